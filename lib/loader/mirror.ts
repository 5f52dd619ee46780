// Prebuilt module graphs: an app's compiled TypeScript with every import pointing at its resolved file, so a warm start needs no loader hooks.
import { readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * What a mirror's manifest records: what it was built for, and every file it depends on, so a
 * warm start can tell in a few milliseconds (no compiler, no hashing library) whether it is
 * still exactly what the loader hooks would produce.
 */
export interface MirrorManifest {
  /** {@link mirrorKey} when it was built. */
  readonly key: string;
  /** The mirror file of the app module. */
  readonly entry: string;
  /** Every TypeScript source of the graph, with its length (UTF-16 units, as read) and {@link hashText} of its content. */
  readonly sources: ReadonlyArray<{ readonly path: string; readonly length: number; readonly hash: string }>;
  /** Every other file an import resolved to (packages, JavaScript, JSON), with its size and mtime. */
  readonly targets: ReadonlyArray<{ readonly path: string; readonly size: number; readonly mtimeMs: number }>;
  /** The mirror files, with their size. */
  readonly mirrors: ReadonlyArray<{ readonly path: string; readonly size: number }>;
}

/** The folder of the mirrors inside a cache folder. */
export function mirrorDir(cacheDir: string): string {
  return join(cacheDir, 'mirror');
}

/**
 * A 53-bit hash of `text` as hex (cyrb53): enough to notice an edit, cheap enough to run on
 * every source at start-up on the main thread (which does not load `node:crypto`).
 * @example
 * ```ts
 * hashText('export {}'); // '1a2b…'
 * ```
 */
export function hashText(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16);
}

/** The manifest of the mirror of the app module at `entryPath`. */
export function manifestPath(cacheDir: string, entryPath: string): string {
  return join(mirrorDir(cacheDir), `${hashText(entryPath)}.json`);
}

/** Where the compiled, rewritten copy of `sourcePath` goes (its name kept, for stack traces without source maps). */
export function mirrorFile(cacheDir: string, sourcePath: string): string {
  return join(mirrorDir(cacheDir), `${basename(sourcePath, extname(sourcePath))}.${hashText(sourcePath)}.mjs`);
}

/**
 * What else decides how imports resolve and what the output looks like: the mirror format,
 * mode-di's version, Node's version and its flags (`--conditions` change resolution).
 */
export function mirrorKey(modeDiVersion: string, env: NodeJS.ProcessEnv = process.env): string {
  return JSON.stringify(['mirror-v1', modeDiVersion, process.version, process.execArgv, env['NODE_OPTIONS'] ?? '']);
}

/**
 * The URL to import instead of the app module at `entryPath` when its mirror is current: built
 * with the same {@link mirrorKey}, every source unchanged in content, every other file an
 * import resolved to unchanged in size and mtime, every mirror file in place. Otherwise
 * `undefined` (then the loader hooks load the app, and rebuild the mirror).
 *
 * @example
 * ```ts
 * const url = currentMirror(cacheDir, '/app/app.module.ts', mirrorKey(modeDiVersion()));
 * await import(url ?? pathToFileURL('/app/app.module.ts').href); // the second needs registerLoader()
 * ```
 */
export function currentMirror(cacheDir: string, entryPath: string, key: string): string | undefined {
  let manifest: MirrorManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath(cacheDir, entryPath), 'utf8')) as MirrorManifest;
    if (manifest.key !== key) return undefined;
    for (const source of manifest.sources) {
      const text = readFileSync(source.path, 'utf8');
      if (text.length !== source.length || hashText(text) !== source.hash) return undefined;
    }
    for (const target of manifest.targets) {
      const stats = statSync(target.path);
      if (stats.size !== target.size || stats.mtimeMs !== target.mtimeMs) return undefined;
    }
    for (const mirror of manifest.mirrors) if (statSync(mirror.path).size !== mirror.size) return undefined;
  } catch {
    // Missing, unreadable or malformed: not current.
    return undefined;
  }
  return pathToFileURL(manifest.entry).href;
}
