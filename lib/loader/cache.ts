// The compile cache: one file per source path, reused while the source's content hash (and the compiler) are unchanged.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../utils/files.js';

/**
 * A content-addressed store of compiled output. Each source path owns one cache file whose
 * first line records the hash of the source and compiler it was made from; a changed source
 * overwrites it, so the cache does not grow with edits. Writes are atomic (write, then
 * rename); a cache that cannot be written is silently skipped.
 *
 * @example
 * ```ts
 * const cache = new CompileCache('/app/node_modules/.cache/mode-di', 'swc@1.16;v1');
 * const js = cache.get('/app/x.ts', source) ?? cache.set('/app/x.ts', source, compile(source));
 * ```
 */
export class CompileCache {
  constructor(
    readonly dir: string,
    readonly compiler: string,
  ) {}

  #paths(filename: string, source: string): { file: string; stamp: string } {
    const file = join(this.dir, `${createHash('sha1').update(filename).digest('hex')}.js`);
    const stamp = `// mode-di:${createHash('sha256').update(this.compiler).update('\0').update(source).digest('hex')}\n`;
    return { file, stamp };
  }

  /** The cached output for `filename` if it was compiled from exactly `source`. */
  get(filename: string, source: string): string | undefined {
    const { file, stamp } = this.#paths(filename, source);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    return text.startsWith(stamp) ? text.slice(stamp.length) : undefined;
  }

  /** Stores `code` as the output for `filename` compiled from `source`; returns `code`. */
  set(filename: string, source: string, code: string): string {
    const { file, stamp } = this.#paths(filename, source);
    // A read-only or full disk costs a recompile next time, nothing more.
    writeFileAtomic(file, stamp + code);
    return code;
  }
}
