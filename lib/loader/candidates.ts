// Which TypeScript file a specifier written the NodeNext way means: shared by the loader hooks and `mode-di run`'s entry path.

/** Extensions a specifier may end with; anything else after a dot (`app.module`) is part of the name. */
const KNOWN_EXTENSION = /\.(?:[cm]?js|[cm]?ts|tsx|jsx|json|node|wasm)$/i;

/**
 * The TypeScript files a specifier that finds nothing may mean: `./x.js` → `./x.ts`, `./x.tsx`;
 * `./x.mjs` → `./x.mts`; `./x` or `./app.module` (no known extension) → `./x.ts`,
 * `./x/index.ts`. A query or hash is kept.
 * @example
 * ```ts
 * typeScriptCandidates('./cache.js');     // ['./cache.ts', './cache.tsx']
 * typeScriptCandidates('./app.module');   // ['./app.module.ts', './app.module/index.ts']
 * ```
 */
export function typeScriptCandidates(specifier: string): string[] {
  const at = specifier.search(/[?#]/);
  const path = at >= 0 ? specifier.slice(0, at) : specifier;
  const rest = at >= 0 ? specifier.slice(at) : '';
  let paths: string[] = [];
  if (path.endsWith('.js')) paths = [`${path.slice(0, -3)}.ts`, `${path.slice(0, -3)}.tsx`];
  else if (path.endsWith('.mjs')) paths = [`${path.slice(0, -4)}.mts`];
  else if (!KNOWN_EXTENSION.test(path)) paths = [`${path}.ts`, `${path}/index.ts`];
  return paths.map((p) => p + rest);
}
