// Decides whether a JavaScript app module can be imported without the loader hooks: nothing it reaches is TypeScript.
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const TYPESCRIPT = /\.(?:ts|mts|tsx|cts)$/;
const JAVASCRIPT = new Set(['.js', '.mjs', '.cjs']);
/** Specifiers naming a file: relative, absolute or a file: URL (not a package, not `#imports`). */
const FILE_SPECIFIER = /^(?:\.{1,2}\/|\/|file:)/;
/** `… from '…'` and `import '…'`: static imports and re-exports. */
const STATIC_IMPORT = /\b(?:from|import)\s*(['"])([^'"\r\n]*)\1/g;
/** `import('…')` of a string literal alone. */
const LITERAL_IMPORT_CALL = /\bimport\s*\(\s*(['"])([^'"\r\n]*)\1\s*[,)]/g;
const IMPORT_CALL = /\bimport\s*\(/g;
/** A comment between the keyword and the specifier, where the patterns above do not look. */
const COMMENTED = /\b(?:from|import)\s*(?:\(\s*)?\/[*/]/;

/**
 * Why the JavaScript module at `entryPath` needs mode-di's loader hooks, or `undefined` when
 * plain Node can import it: none of the files its `import`s, `export … from`s and literal
 * `import()`s reach (followed from file to file, packages excepted) is TypeScript, and none
 * has an `import()` whose target is known only when it runs.
 *
 * Only the hooks compile TypeScript, and they cost a thread whose start-up blocks the main
 * thread and which every later module loads through; a failed import cannot be retried with
 * them afterwards (Node keeps the failure), so the decision is made before importing. What
 * CommonJS `require()`s is not followed: the hooks never see a `require`.
 *
 * The scan reads the text, not a syntax tree (a lexer costs more start-up than it saves here):
 * it may see an import in a comment or a string, which only keeps the hooks, and anything it
 * cannot read for sure (a comment before a specifier, an `import(` of anything but a lone
 * string) keeps them too.
 *
 * @example
 * ```ts
 * whyLoaderIsNeeded('/app/out/app.module.js'); // undefined: import it directly
 * whyLoaderIsNeeded('/app/main.mjs');           // '/app/main.mjs imports /app/config.ts (TypeScript)'
 * ```
 */
export function whyLoaderIsNeeded(entryPath: string): string | undefined {
  const seen = new Set<string>([entryPath]);
  for (let queue = [entryPath], head = 0; head < queue.length; head++) {
    const file = queue[head]!;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      return `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
    }
    if (COMMENTED.test(text)) return `${file} has a comment inside an import, which this scan does not read`;
    const literalCalls = [...text.matchAll(LITERAL_IMPORT_CALL)];
    if (literalCalls.length !== (text.match(IMPORT_CALL)?.length ?? 0)) return `${file} has an import() whose target is known only when it runs`;
    for (const [, , specifier] of [...text.matchAll(STATIC_IMPORT), ...literalCalls]) {
      if (specifier!.startsWith('#')) return `${file} imports ${specifier} (a package.json "imports" entry, which may be TypeScript)`;
      if (!FILE_SPECIFIER.test(specifier!)) continue; // a package or a Node built-in
      const target = fileOf(specifier!, file);
      if (target === undefined || seen.has(target)) continue;
      if (TYPESCRIPT.test(target)) return `${file} imports ${target} (TypeScript)`;
      seen.add(target);
      if (JAVASCRIPT.has(extname(target))) queue.push(target);
    }
  }
  return undefined;
}

/** The path `specifier` names from `parent`, without its query and hash; `undefined` when no such file exists (Node reports that itself, hooks or not). */
function fileOf(specifier: string, parent: string): string | undefined {
  try {
    const url = new URL(specifier, pathToFileURL(parent));
    url.search = '';
    url.hash = '';
    const path = fileURLToPath(url);
    return statSync(path, { throwIfNoEntry: false })?.isFile() ? path : undefined;
  } catch {
    return undefined;
  }
}
