// Every line logged before exit reaches its destination: 20,000 at start and 20,000 while stopping, to a pipe and a file.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, LOG_LINE, linesOf, startCli } from '../cli/harness.js';

const LINES = 20_000;

function count(text: string, what: string): number {
  const seen = new Set<number>();
  for (const match of text.matchAll(new RegExp(`\\]: ${what} (\\d+)\\n`, 'g'))) seen.add(Number(match[1]));
  return seen.size;
}

describe('Worker logging on exit', () => {
  it('loses no line on SIGTERM, on a pipe or in --logfile', { timeout: 60_000 }, async () => {
    const logfile = join(mkdtempSync(join(tmpdir(), 'mode-di-lines-')), 'app.log');
    const cli = startCli(['run', fixture('chatty.module.ts'), '--logfile', logfile], { env: { LINES: String(LINES) } });
    await cli.waitFor('[^Worker]: Started', { timeoutMs: 45_000 });
    cli.kill('SIGTERM');
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    for (const [where, text] of [['pipe', exit.stdout], ['logfile', readFileSync(logfile, 'utf8')]] as const) {
      expect.soft(count(text, 'start line'), where).toBe(LINES);
      expect.soft(count(text, 'stop line'), where).toBe(LINES);
      const lines = linesOf(text);
      expect.soft(lines.length, where).toBe(2 * LINES + 10);
      expect.soft(lines.at(-1), where).toMatch(/\[\^Worker\]: -Stopped!$/);
      expect.soft(lines.every((line) => LOG_LINE.test(line)), where).toBe(true);
    }
  });
});
