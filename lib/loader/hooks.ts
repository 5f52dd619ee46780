// Node module hooks (run on the loader thread): compile .ts/.mts to ESM with swc, and map './x.js' to './x.ts'.
import { readFile } from 'node:fs/promises';
import type { MessagePort } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { typeScriptCandidates } from './candidates.js';
import { CompileCache } from './cache.js';
import { compileTypeScript, compilerId, describeCompileError } from './compile.js';
import { MirrorRecorder } from './mirror-build.js';

/**
 * What {@link registerLoader} passes to the hooks thread.
 * @example
 * ```ts
 * register(new URL('./hooks.js', import.meta.url), { data: { cacheDir: undefined } satisfies LoaderData });
 * ```
 */
export interface LoaderData {
  /** Where compiled output is cached; `undefined` disables the cache. */
  readonly cacheDir: string | undefined;
  /**
   * Where the main thread asks for a mirror of the app module it loaded (`{ mirror: url }`),
   * with the {@link mirrorKey} to build it under. Without it nothing is recorded.
   */
  readonly mirror?: { readonly port: MessagePort; readonly key: string } | undefined;
  /** Where each file an import resolves to (outside `node_modules` and mode-di) is posted once, as `{ imported: path }` (watch mode). */
  readonly imports?: MessagePort | undefined;
}

interface ResolveContext {
  readonly parentURL?: string;
  readonly conditions: readonly string[];
  readonly importAttributes?: Record<string, string>;
}
interface ResolveResult {
  readonly url: string;
  readonly format?: string | null;
  readonly shortCircuit?: boolean;
}
interface LoadContext {
  readonly format?: string | null;
  readonly conditions: readonly string[];
  readonly importAttributes?: Record<string, string>;
}
interface LoadResult {
  readonly format: string;
  readonly source?: string | ArrayBuffer | Uint8Array | null;
  readonly shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<ResolveResult>;
type NextLoad = (url: string, context?: LoadContext) => Promise<LoadResult>;

const TS_FILE = /\.(?:ts|mts|tsx)$/;
const RELATIVE = /^\.{1,2}\//;
let cache: CompileCache | undefined;
let recorder: MirrorRecorder | undefined;
let imports: MessagePort | undefined;
const reported = new Set<string>();
/** mode-di's own files: they import the app module; anything else importing TypeScript from JavaScript needs the hooks. */
const OWN_FILES = new URL('../', import.meta.url).href;

/**
 * Called once by `module.register` with {@link LoaderData}.
 * @example
 * ```ts
 * register(hooksUrl, { data: { cacheDir: '/app/node_modules/.cache/mode-di' } });
 * ```
 */
export function initialize(data: LoaderData | undefined): void {
  cache = data?.cacheDir ? new CompileCache(data.cacheDir, compilerId()) : undefined;
  imports = data?.imports;
  const mirror = data?.mirror;
  if (!data?.cacheDir || !mirror) return;
  const active = new MirrorRecorder(data.cacheDir, mirror.key);
  recorder = active;
  mirror.port.on('message', (message: { mirror?: string }) => {
    if (typeof message?.mirror !== 'string') return;
    // Built once, after the app module loaded; nothing more is recorded afterwards.
    recorder = undefined;
    void active
      .build(message.mirror)
      .then(
        (reason) => mirror.port.postMessage({ mirrored: message.mirror, reason }),
        (error: unknown) => mirror.port.postMessage({ mirrored: message.mirror, reason: String(error) }),
      )
      .finally(() => active.forget());
  });
  mirror.port.unref();
}

/** Notes how an import resolved, for the mirror, and reports the file it found (watch mode). */
function record(specifier: string, context: ResolveContext, result: ResolveResult): ResolveResult {
  const parent = context.parentURL;
  if (imports && result.url.startsWith('file:') && !result.url.startsWith(OWN_FILES) && !result.url.includes('/node_modules/') && !reported.has(result.url)) {
    reported.add(result.url);
    imports.postMessage({ imported: fileURLToPath(result.url) });
  }
  if (recorder && parent) {
    if (isTypeScriptUrl(parent)) recorder.resolved(parent, specifier, result.url);
    else if (parent.startsWith('file:') && !parent.startsWith(OWN_FILES) && isTypeScriptUrl(result.url)) {
      // A user's JavaScript (or a package) importing TypeScript needs the hooks every time.
      recorder.unsafe(`${fileURLToPath(parent)} (JavaScript) imports TypeScript`);
    }
  }
  return result;
}

function isTypeScriptUrl(url: string): boolean {
  return url.startsWith('file:') && TS_FILE.test(new URL(url).pathname);
}

/**
 * Resolves as Node does; when a relative import from a TypeScript file finds nothing, tries
 * the TypeScript file it means.
 * @example
 * ```ts
 * resolve('./cache.js', { parentURL: 'file:///app/app.ts', conditions: [] }, next);
 * ```
 */
export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<ResolveResult> {
  if (!context.parentURL || !RELATIVE.test(specifier) || !isTypeScriptUrl(context.parentURL)) {
    return record(specifier, context, await nextResolve(specifier, context));
  }
  try {
    return record(specifier, context, await nextResolve(specifier, context));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'ERR_UNSUPPORTED_DIR_IMPORT') throw error;
    for (const candidate of typeScriptCandidates(specifier)) {
      try {
        return record(specifier, context, await nextResolve(candidate, context));
      } catch {
        // Try the next one; the original error is the one worth reporting.
      }
    }
    throw error;
  }
}

/**
 * Loads `.ts`, `.mts` and `.tsx` files as ES modules compiled by swc (from the cache when the
 * source is unchanged); everything else as Node would.
 * @example
 * ```ts
 * load('file:///app/app.ts', { conditions: [] }, next);
 * ```
 */
export async function load(url: string, context: LoadContext, nextLoad: NextLoad): Promise<LoadResult> {
  if (!url.startsWith('file:')) return nextLoad(url, context);
  const path = new URL(url).pathname;
  if (path.endsWith('.cts')) {
    const error = new Error(`${fileURLToPath(url)} is a .cts file: mode-di loads TypeScript as ES modules only. Rename it to .ts or .mts (import/export, no require).`);
    Object.assign(error, { code: 'ERR_MODE_DI_CTS' });
    throw error;
  }
  if (!TS_FILE.test(path)) return nextLoad(url, context);
  const filename = fileURLToPath(url);
  const source = await readFile(filename, 'utf8');
  let code = cache?.get(filename, source);
  if (code === undefined) {
    try {
      code = compileTypeScript(source, filename);
    } catch (error) {
      const failure = new SyntaxError(describeCompileError(error));
      Object.assign(failure, { code: 'ERR_MODE_DI_COMPILE', url });
      throw failure;
    }
    cache?.set(filename, source, code);
  }
  recorder?.compiled(url, filename, source, code);
  return { format: 'module', source: code, shortCircuit: true };
}
