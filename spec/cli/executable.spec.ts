// The built `mode-di` executable runs as a command (as `npx mode-di …` runs it), not only through `node`.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from './harness.js';

describe('the mode-di executable', () => {
  it('is executable after the build and prints its version', () => {
    const { version } = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { version: string };
    const out = execFileSync(BIN, ['--version'], { cwd: ROOT, encoding: 'utf8' });
    expect(out.trim()).toBe(version);
  });
});
