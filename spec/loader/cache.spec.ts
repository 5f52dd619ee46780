// The compile cache: reused while the source is unchanged, one file per source, never in the way.
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCacheDir } from '../../lib/loader/cache-dir.js';
import { CompileCache } from '../../lib/loader/cache.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'mode-di-cache-spec-'));

describe('CompileCache', () => {
  it('returns what was stored for the same source, and nothing for a changed one', () => {
    const cache = new CompileCache(join(scratch(), 'cache'), 'swc@1;v1');
    expect(cache.get('/app/a.ts', 'v1')).toBeUndefined();
    expect(cache.set('/app/a.ts', 'v1', 'compiled v1')).toBe('compiled v1');
    expect(cache.get('/app/a.ts', 'v1')).toBe('compiled v1');
    expect(cache.get('/app/a.ts', 'v2')).toBeUndefined();
    expect(cache.get('/app/b.ts', 'v1')).toBeUndefined();
  });

  it('keeps one file per source path, however often it changes', () => {
    const dir = join(scratch(), 'cache');
    const cache = new CompileCache(dir, 'swc@1;v1');
    for (let v = 0; v < 5; v++) cache.set('/app/a.ts', `v${v}`, `compiled v${v}`);
    cache.set('/app/b.ts', 'b', 'compiled b');
    expect(readdirSync(dir)).toHaveLength(2);
    expect(cache.get('/app/a.ts', 'v4')).toBe('compiled v4');
  });

  it('is invalidated by another compiler', () => {
    const dir = join(scratch(), 'cache');
    new CompileCache(dir, 'swc@1;v1').set('/app/a.ts', 'src', 'old');
    expect(new CompileCache(dir, 'swc@2;v1').get('/app/a.ts', 'src')).toBeUndefined();
  });

  it('skips a cache it cannot write', () => {
    const file = join(scratch(), 'not-a-folder');
    writeFileSync(file, '');
    const cache = new CompileCache(join(file, 'cache'), 'swc@1;v1');
    expect(cache.set('/app/a.ts', 'src', 'code')).toBe('code');
    expect(cache.get('/app/a.ts', 'src')).toBeUndefined();
  });
});

describe('defaultCacheDir', () => {
  it('uses node_modules/.cache/mode-di of the nearest folder with node_modules', () => {
    const root = scratch();
    mkdirSync(join(root, 'node_modules'));
    mkdirSync(join(root, 'src', 'deep'), { recursive: true });
    expect(defaultCacheDir(join(root, 'src', 'deep'), {})).toBe(join(root, 'node_modules', '.cache', 'mode-di'));
  });

  it('falls back to the temp folder, and obeys MODE_DI_CACHE_DIR (off disables it)', () => {
    expect(defaultCacheDir('/', {})).toBe(join(tmpdir(), 'mode-di-cache'));
    expect(defaultCacheDir('/', { MODE_DI_CACHE_DIR: '/var/cache/app' })).toBe('/var/cache/app');
    expect(defaultCacheDir('/', { MODE_DI_CACHE_DIR: 'off' })).toBeUndefined();
  });
});
