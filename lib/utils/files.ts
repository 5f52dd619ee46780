// Small file helpers shared by the caches: an atomic write, and mode-di's own version.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes `text` to `path` atomically (a temporary file renamed over it), creating the folder
 * if needed, so a concurrent reader sees the old content or the new, never a part. Returns
 * `false` instead of throwing when the file cannot be written (a read-only or full disk).
 *
 * @example
 * ```ts
 * writeFileAtomic('/app/node_modules/.cache/mode-di/x.js', code);
 * ```
 */
export function writeFileAtomic(path: string, text: string): boolean {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(temp, text);
    renameSync(temp, path);
    return true;
  } catch {
    return false;
  }
}

let version: string | undefined;

/**
 * mode-di's version, from its package.json (`'unknown'` if that cannot be read).
 * @example
 * ```ts
 * modeDiVersion(); // '0.1.0'
 * ```
 */
export function modeDiVersion(): string {
  if (version === undefined) {
    try {
      version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
    } catch {
      version = 'unknown';
    }
  }
  return version;
}
