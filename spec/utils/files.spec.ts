// The caches' file helpers: atomic writes that never throw, and mode-di's own version.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modeDiVersion, writeFileAtomic } from '../../lib/utils/files.js';

describe('writeFileAtomic', () => {
  it('creates the folder, replaces the file whole, and leaves no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mode-di-files-'));
    const path = join(dir, 'a', 'b', 'out.txt');
    expect(writeFileAtomic(path, 'one')).toBe(true);
    expect(writeFileAtomic(path, 'two')).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('two');
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['out.txt']);
  });

  it('returns false, without throwing, where it cannot write', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mode-di-files-'));
    const file = join(dir, 'plain');
    writeFileSync(file, '');
    expect(writeFileAtomic(join(file, 'below', 'out.txt'), 'x')).toBe(false);
  });
});

describe('modeDiVersion', () => {
  it("is package.json's version", () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(modeDiVersion()).toBe(pkg.version);
  });
});
