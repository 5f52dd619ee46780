// Builds a mirror on the loader thread from what the hooks saw: each compiled module with its imports rewritten to the files they resolved to.
import { statSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { init, parse } from 'es-module-lexer';
import { writeFileAtomic } from '../utils/files.js';
import { hashText, type MirrorManifest, manifestPath, mirrorFile } from './mirror.js';

/** The package.json of the package under `node_modules` that `file` belongs to, if any. */
export function packageManifestOf(file: string): string | undefined {
  const marker = `${sep}node_modules${sep}`;
  const at = file.lastIndexOf(marker);
  if (at < 0) return undefined;
  const folder = file.slice(0, at + marker.length);
  const rest = file.slice(folder.length).split(sep);
  const name = rest[0]?.startsWith('@') ? rest.slice(0, 2) : rest.slice(0, 1);
  const root = join(folder, ...name);
  return root === file ? undefined : join(root, 'package.json');
}

/** One compiled TypeScript module, as the load hook produced it. */
interface Compiled {
  readonly path: string;
  readonly source: string;
  readonly code: string;
}

/** What replaces `import.meta` in a mirrored module: the original module's, not the copy's. */
const META = '__mode_di_import_meta__';

function metaPreamble(url: string, path: string, resolved: ReadonlyMap<string, string> | undefined): string {
  const u = JSON.stringify(url);
  const known = JSON.stringify(Object.fromEntries(resolved ?? []));
  // What the hooks resolved for this module (e.g. './x.js' to x.ts) first; other relative
  // specifiers against the original file; bare ones as from the copy (same node_modules above it).
  return (
    `const ${META} = Object.freeze({ url: ${u}, filename: ${JSON.stringify(path)}, dirname: ${JSON.stringify(dirname(path))}, ` +
    `resolve: ((known) => (s) => Object.hasOwn(known, s) ? known[s] : /^\\.{0,2}\\//.test(s) ? new URL(s, ${u}).href : import.meta.resolve(s))(${known}) });`
  );
}

/**
 * `code` with each static import's specifier replaced by `target(specifier)` (a URL) and each
 * `import.meta` by the original module's, or a reason why it cannot be mirrored (a dynamic
 * import, whose target is known only when it runs).
 *
 * @example
 * ```ts
 * rewriteImports("import { a } from './a.js';", (s) => 'file:///m/a.1f.mjs', { url, path });
 * // { code: 'import { a } from "file:///m/a.1f.mjs";' }
 * ```
 */
export async function rewriteImports(
  code: string,
  target: (specifier: string) => string | undefined,
  original: { readonly url: string; readonly path: string; readonly resolved?: ReadonlyMap<string, string> },
): Promise<{ code: string } | { reason: string }> {
  await init;
  const [imports] = parse(code);
  let out = '';
  let at = 0;
  let usesMeta = false;
  for (const entry of imports) {
    if (entry.d === -2) {
      out += code.slice(at, entry.s) + META;
      at = entry.e;
      usesMeta = true;
      continue;
    }
    if (entry.d !== -1 || entry.n === undefined) return { reason: `a dynamic import (${code.slice(entry.ss, entry.se)})` };
    const quote = code[entry.s - 1];
    if ((quote !== '"' && quote !== "'") || code[entry.e] !== quote) return { reason: `an import it cannot rewrite (${code.slice(entry.ss, entry.se)})` };
    const url = target(entry.n);
    if (url === undefined) return { reason: `the import of ${entry.n} was not resolved` };
    out += code.slice(at, entry.s - 1) + JSON.stringify(url);
    at = entry.e + 1;
  }
  out += code.slice(at);
  // On the first line, so the source map's lines still match.
  return { code: usesMeta ? metaPreamble(original.url, original.path, original.resolved) + out : out };
}

/**
 * Records, on the loader thread, what the hooks compile and how the imports of compiled modules
 * resolve; {@link MirrorRecorder.build} then writes the mirror of one app module.
 */
export class MirrorRecorder {
  readonly #compiled = new Map<string, Compiled>();
  readonly #resolved = new Map<string, Map<string, string>>();
  #unsafe: string | undefined;

  constructor(
    private readonly cacheDir: string,
    private readonly key: string,
  ) {}

  /** The load hook compiled `url`. */
  compiled(url: string, path: string, source: string, code: string): void {
    this.#compiled.set(url, { path, source, code });
  }

  /** An import `specifier` in `parentUrl` (a compiled module) resolved to `url`. */
  resolved(parentUrl: string, specifier: string, url: string): void {
    let map = this.#resolved.get(parentUrl);
    if (!map) this.#resolved.set(parentUrl, (map = new Map()));
    map.set(specifier, url);
  }

  /** Drops what was recorded (after the one build a process asks for). */
  forget(): void {
    this.#compiled.clear();
    this.#resolved.clear();
  }

  /** Something that only the hooks can load happened (e.g. a JavaScript file importing TypeScript): no mirror. */
  unsafe(reason: string): void {
    this.#unsafe ??= reason;
  }

  /**
   * Writes the mirror of the app module `entryUrl` and its manifest (last, so a reader sees a
   * complete mirror or none). Returns why not, when it cannot be mirrored.
   */
  async build(entryUrl: string): Promise<string | undefined> {
    if (this.#unsafe) return this.#unsafe;
    const order: string[] = [];
    const seen = new Set<string>([entryUrl]);
    for (let queue = [entryUrl], head = 0; head < queue.length; head++) {
      const url = queue[head]!;
      if (!this.#compiled.has(url)) return `${url} was not compiled by the loader`;
      order.push(url);
      for (const next of this.#resolved.get(url)?.values() ?? []) {
        if (this.#compiled.has(next) && !seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    const targets = new Map<string, { path: string; size: number; mtimeMs: number }>();
    const files: Array<{ path: string; text: string }> = [];
    for (const url of order) {
      const { path, code } = this.#compiled.get(url)!;
      const resolved = this.#resolved.get(url);
      const rewritten = await rewriteImports(
        code,
        (specifier) => {
          const to = resolved?.get(specifier);
          if (to === undefined) return undefined;
          if (this.#compiled.has(to)) return pathToFileURL(mirrorFile(this.cacheDir, this.#compiled.get(to)!.path)).href;
          if (to.startsWith('file:') && !targets.has(to)) {
            const file = fileURLToPath(to);
            const stats = statSync(file);
            targets.set(to, { path: file, size: stats.size, mtimeMs: stats.mtimeMs });
            // A package's manifest too: an upgrade may point its exports at another file.
            const manifest = packageManifestOf(file);
            const m = manifest && !targets.has(manifest) ? statSync(manifest, { throwIfNoEntry: false }) : undefined;
            if (manifest && m) targets.set(manifest, { path: manifest, size: m.size, mtimeMs: m.mtimeMs });
          }
          return to;
        },
        { url, path, resolved },
      );
      if ('reason' in rewritten) return `${path} has ${rewritten.reason}`;
      files.push({ path: mirrorFile(this.cacheDir, path), text: rewritten.code });
    }
    for (const file of files) if (!writeFileAtomic(file.path, file.text)) return `${file.path} cannot be written`;
    const manifest: MirrorManifest = {
      key: this.key,
      entry: mirrorFile(this.cacheDir, this.#compiled.get(entryUrl)!.path),
      sources: order.map((url) => {
        const { path, source } = this.#compiled.get(url)!;
        return { path, length: source.length, hash: hashText(source) };
      }),
      targets: [...targets.values()],
      mirrors: files.map((f) => ({ path: f.path, size: Buffer.byteLength(f.text) })),
    };
    const entryPath = this.#compiled.get(entryUrl)!.path;
    return writeFileAtomic(manifestPath(this.cacheDir, entryPath), JSON.stringify(manifest)) ? undefined : 'the manifest cannot be written';
  }
}
