// `mode-di run` with the blocking detector: the blocked stack in .ts positions, native code, a healthy app, the dump, a prompt exit.
import { describe, expect, it } from 'vitest';
import { fixture, LOG_LINE, messagesOf, startCli } from './harness.js';

const BLOCKING = fixture('blocking.module.ts');

/** The local time of a log line's `[YYYY-MM-DD HH:mm:ss,SSS: …]` stamp, in epoch milliseconds. */
function stampOf(line: string): number {
  const m = /^\[(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d),(\d{3}): /.exec(line);
  if (!m) throw new Error(`Not a log line: ${line}`);
  const [, y, mo, d, h, mi, s, ms] = m.map(Number) as number[];
  return new Date(y!, mo! - 1, d!, h!, mi!, s!, ms!).getTime();
}

/** The text of the first WARNING record whose message starts with `start`, with the stack lines under it. */
function recordOf(text: string, start: string): string {
  const lines = text.split('\n');
  const at = lines.findIndex((line) => LOG_LINE.test(line) && line.includes(`: WARNING]: [^Worker]: ${start}`));
  if (at < 0) throw new Error(`No WARNING "${start}" in:\n${text}`);
  let end = at + 1;
  while (end < lines.length && /^\s+at /.test(lines[end]!)) end++;
  return lines.slice(at, end).join('\n');
}

describe('mode-di run: blocking detection', () => {
  it('logs a busy loop with the stack of burnCpu at its .ts line, within the timeout + 150 ms of the stall', async () => {
    const cli = startCli(['run', BLOCKING, '--blocking-timeout', '300ms']);
    await cli.waitFor('Blocking ended', { stream: 'stderr' });
    await cli.waitFor('Blocking ended');
    cli.kill('SIGTERM');
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    const stallStart = Number(/STALL START (\d+)/.exec(exit.stderr)![1]);
    // Straight from the watchdog to stderr, while the loop is still blocked…
    const warning = recordOf(exit.stderr, 'Blocking detected (timeout=300ms): the event loop has not turned for ');
    expect(warning).toMatch(/^ {4}at burnCpu \(\/.*\/spec\/fixtures\/blocking\.module\.ts:13:\d+\)$/m);
    expect(warning).toMatch(/^ {4}at tick \(.*blocking\.module\.ts:27:\d+\)$/m);
    expect(stampOf(warning) - stallStart).toBeLessThanOrEqual(300 + 150);
    expect(stampOf(warning)).toBeLessThan(Number(/STALL END (\d+)/.exec(exit.stderr)![1]));
    // … once per stall, then one line with its length; and through the Worker's logger once the loop turns.
    expect(exit.stderr.match(/Blocking detected/g)).toHaveLength(1);
    expect(recordOf(exit.stderr, 'Blocking ended')).toMatch(/: WARNING\]: \[\^Worker\]: Blocking ended: the event loop did not turn for 1\.[5-9]\ds$/);
    expect(recordOf(exit.stdout, 'Blocking detected')).toBe(warning);
    const m = messagesOf(exit.stdout);
    expect(m.filter((line) => line.startsWith('[^Worker]: Blocking'))).toHaveLength(2);
  });

  it('reports a blocking execSync as native code, then its stack once it returns, and stops normally', async () => {
    const cli = startCli(['run', BLOCKING, '--blocking-timeout', '300ms'], { env: { BLOCK: 'native' } });
    await cli.waitFor('Blocking ended');
    cli.kill('SIGTERM');
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    expect(recordOf(exit.stderr, 'Blocking detected')).toMatch(/the event loop has not turned for \d+ms: blocked in native code \(no JavaScript stack within 150ms\); its stack follows when the call returns$/);
    const late = recordOf(exit.stderr, 'Blocked in native code: the JavaScript stack once it returned');
    expect(late).toMatch(/^ {4}at execSync \(node:child_process:/m);
    expect(late).toMatch(/^ {4}at tick \(.*blocking\.module\.ts:26:\d+\)$/m);
    expect(recordOf(exit.stdout, 'Blocked in native code')).toContain('at execSync');
    expect(messagesOf(exit.stdout).at(-1)).toBe('[^Worker]: -Stopped!');
  });

  it('reports nothing from a healthy app in 10 s, and exits within a second of its last service stopping', async () => {
    const cli = startCli(['run', BLOCKING, '--blocking-timeout', '300ms'], { env: { BLOCK: 'none' } });
    await cli.waitFor('[^Worker]: Started');
    await new Promise((resolve) => setTimeout(resolve, 10_000)); // the observation itself
    cli.kill('SIGUSR2');
    const dump = await cli.waitFor('Blocking detector:', { stream: 'stderr' });
    expect(dump).toMatch(/Blocking detector: timeout 300ms, 0 stall\(s\) reported\n/);
    cli.kill('SIGTERM');
    await cli.waitFor('[^-Blocker]: -Stopped!');
    const stopped = performance.now();
    const exit = await cli.exited;
    expect(performance.now() - stopped).toBeLessThan(1_000);
    expect(exit.code).toBe(0);
    expect(exit.stdout + exit.stderr).not.toMatch(/Blocking (detected|ended)|Blocked in/);
  });

  it('dumps the loop delay and the last stall with its stack on SIGUSR2, never the environment', async () => {
    const secret = 'hunter2-do-not-print-me';
    const cli = startCli(['run', BLOCKING, '--blocking-timeout', '300ms'], { env: { MODE_TEST_SECRET: secret, API_TOKEN: secret } });
    await cli.waitFor('Blocking ended');
    cli.kill('SIGUSR2');
    const dump = await cli.waitFor('Last stall', { stream: 'stderr' });
    cli.kill('SIGTERM');
    const exit = await cli.exited;
    expect(dump).toMatch(/\nEvent loop delay: p50 [\d.]+m?s, p90 [\d.]+m?s, p99 [\d.]+m?s, max 1\.\d\ds \(/);
    expect(dump).toMatch(/Blocking detector: timeout 300ms, 1 stall\(s\) reported\nLast stall, at \d{4}-.*Z: Blocking detected .*\n {4}at burnCpu /);
    expect(exit.stderr).not.toContain(secret);
    expect(exit.stdout).not.toContain(secret);
  });

  it('watches with a --blocking-timeout of 30d (past Node\'s timer limit) without spinning or a TimeoutOverflowWarning', async () => {
    const cli = startCli(['run', BLOCKING, '--blocking-timeout', '30d'], { env: { BLOCK: 'none' } });
    await cli.waitFor('[^Worker]: Started');
    // A watchdog timer that overflowed fires every millisecond, each time with a warning.
    await new Promise((resolve) => setTimeout(resolve, 300));
    cli.kill('SIGTERM');
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    expect(exit.stderr).not.toMatch(/TimeoutOverflowWarning|Blocking detected/);
  });

  it('turns off with --blocking-timeout 0 or MODE_BLOCKING_TIMEOUT=0, and refuses a bad value (exit 2)', async () => {
    for (const [args, env] of [[['--blocking-timeout', '0'], {}], [[], { MODE_BLOCKING_TIMEOUT: '0' }]] as const) {
      const cli = startCli(['run', BLOCKING, ...args], { env: { ...env, BLOCK: 'none' } });
      await cli.waitFor('[^Worker]: Started');
      cli.kill('SIGUSR2');
      await cli.waitFor('Blocking detector: off', { stream: 'stderr' });
      cli.kill('SIGTERM');
      expect((await cli.exited).code).toBe(0);
    }
    const bad = await startCli(['run', BLOCKING, '--blocking-timeout', '10']).exited;
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Invalid --blocking-timeout "10": has no unit');
  });
});
