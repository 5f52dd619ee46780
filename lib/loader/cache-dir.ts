// Where the compile cache lives (without loading the cache itself: the main thread needs only this).
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * Where compiled modules are kept: `node_modules/.cache/mode-di` of the nearest folder (from
 * `from` upwards) that has a `node_modules`, else `<os tmpdir>/mode-di-cache`. The
 * `MODE_DI_CACHE_DIR` environment variable overrides it; `MODE_DI_CACHE_DIR=off` disables
 * the cache.
 *
 * @example
 * ```ts
 * defaultCacheDir('/home/me/app'); // '/home/me/app/node_modules/.cache/mode-di'
 * ```
 * @category Loader
 */
export function defaultCacheDir(from: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const override = env['MODE_DI_CACHE_DIR'];
  if (override === 'off' || override === '0') return undefined;
  if (override) return resolve(override);
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) return join(dir, 'node_modules', '.cache', 'mode-di');
    if (dirname(dir) === dir) break;
  }
  return join(tmpdir(), 'mode-di-cache');
}

