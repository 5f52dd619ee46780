// Imports a user's app module and takes what it runs from its default export, explaining every way that can fail.
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Container, ContainerModule } from 'inversify';
import { Application, type ApplicationTarget } from '../application/application.js';
import { describeError } from '../errors/mode-error.js';
import { lifecycleOf } from '../lifecycle/declarations.js';
import { whereThrown } from '../utils/stack.js';
import { closestMatch } from '../utils/suggest.js';
import { typeScriptCandidates } from './candidates.js';
import { AppModuleError } from './errors.js';

/**
 * The module kinds `mode-di run` accepts.
 * @example
 * ```ts
 * MODULE_EXTENSIONS.includes('.mts'); // true
 * ```
 */
export const MODULE_EXTENSIONS = ['.ts', '.mts', '.tsx', '.js', '.mjs', '.cjs'] as const;

const TYPESCRIPT = new Set(['.ts', '.mts', '.tsx']);
const EXPECTED = 'a ContainerModule, an array of ContainerModules, a Container, an Application, or a service object (e.g. new AppService())';

/**
 * What an app module's default export may be, once checked.
 * @example
 * ```ts
 * const { target }: { target: AppModuleTarget } = await loadAppModule('app.ts');
 * ```
 * @category Loader
 */
export type AppModuleTarget = Application | ApplicationTarget;

/**
 * A loaded app module.
 * @example
 * ```ts
 * const { path, isTypeScript, target } = await loadAppModule('./app.module.ts');
 * ```
 * @category Loader
 */
export interface AppModule {
  /** The absolute path of the module file. */
  readonly path: string;
  /** Whether it is a TypeScript file (compiled by the loader hooks). */
  readonly isTypeScript: boolean;
  /** The default export, checked to be runnable. */
  readonly target: AppModuleTarget;
}

/** The kind of thing at `path`, or `undefined` when nothing is there. */
function kindOf(path: string): 'file' | 'folder' | undefined {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'file';
  } catch {
    return undefined;
  }
}

/** "Did you mean …?" for a missing file: the nearest name of a loadable module in its folder. */
function nearestFile(path: string, cwd: string, module: string): string {
  let names: string[];
  try {
    names = readdirSync(dirname(path)).filter((n) => (MODULE_EXTENSIONS as readonly string[]).includes(extname(n)));
  } catch {
    return '';
  }
  const wanted = basename(path);
  const stem = (n: string) => n.slice(0, n.length - extname(n).length);
  const match = closestMatch(wanted, names) ?? names.find((n) => closestMatch(stem(wanted), [stem(n)]) !== undefined);
  if (!match) return '';
  const suggestion = relative(cwd, join(dirname(path), match));
  return ` Did you mean ${module.startsWith('./') && !suggestion.startsWith('.') ? `./${suggestion}` : suggestion}?`;
}

/**
 * Checks that `module` names a file mode-di can load; returns its absolute path. The path
 * resolves as the app's own imports do: `./app.module.js` or `./app.module` finds
 * `app.module.ts` when only that exists, and a folder its `index.ts`.
 * @example
 * ```ts
 * resolveModulePath('samples/tutorial/app.module.ts'); // '/repo/samples/tutorial/app.module.ts'
 * resolveModulePath('samples/tutorial/app.module');    // the same
 * ```
 * @throws {@link AppModuleError} for a missing file (naming the nearest one there), a folder, or an unknown extension.
 */
export function resolveModulePath(module: string, cwd = process.cwd()): string {
  const given = resolve(cwd, module);
  let path = given;
  let kind = kindOf(given);
  if (kind !== 'file') {
    const candidate = typeScriptCandidates(given).find((c) => kindOf(c) === 'file');
    if (candidate) {
      path = candidate;
      kind = 'file';
    }
  }
  if (kind === undefined) {
    throw new AppModuleError(module, `no such file (looked for ${given}).${nearestFile(given, cwd, module)} Paths are relative to the current directory (${cwd}).`);
  }
  if (kind === 'folder') throw new AppModuleError(module, `it is a folder. Give the module file itself, e.g. ${module.replace(/\/?$/, '/app.module.ts')}.`);
  const ext = extname(path);
  if (ext === '.cts') throw new AppModuleError(module, 'it is a .cts file: mode-di loads TypeScript as ES modules only. Rename it to .ts or .mts (import/export, no require).');
  if (!(MODULE_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new AppModuleError(module, `mode-di runs ${MODULE_EXTENSIONS.join(', ')} modules, not "${ext || 'no extension'}" files.`);
  }
  return path;
}

/**
 * Imports the module at `path` (TypeScript needs `registerLoader()` first) and returns its
 * checked default export. `from`, when given, is the URL to import instead: a current mirror
 * of the module (see `currentMirror`), which needs no loader.
 *
 * @example
 * ```ts
 * registerLoader({ cacheDir });
 * const { target } = await loadAppModule('./app.module.ts');
 * await new Worker(target).executeFromCommandline();
 * ```
 * @throws {@link AppModuleError} when the file cannot be found, compiled or imported, or its
 * default export is missing or not runnable.
 * @category Loader
 */
export async function loadAppModule(module: string, cwd = process.cwd(), from?: string): Promise<AppModule> {
  const path = resolveModulePath(module, cwd);
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(from ?? pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new AppModuleError(module, describeImportError(error), { cause: error });
  }
  return { path, isTypeScript: TYPESCRIPT.has(extname(path)), target: checkDefaultExport(module, namespace) };
}

/**
 * One paragraph on why an import failed: the compiler's diagnostic, or the error and where it was thrown.
 * @example
 * ```ts
 * describeImportError(new Error('boom')); // 'importing it threw Error: boom (at app.ts:3:7).'
 * ```
 */
export function describeImportError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ERR_MODE_DI_COMPILE') return `it does not compile:\n${message}`;
  if (code === 'ERR_MODE_DI_CTS') return message;
  if (code === 'ERR_MODULE_NOT_FOUND') return `one of its imports cannot be found: ${message}`;
  if (code === 'ERR_UNKNOWN_FILE_EXTENSION') return `one of its imports has an extension Node cannot load: ${message}`;
  const early = error instanceof ReferenceError ? /^Cannot access '([^']+)' before initialization$/.exec(error.message) : null;
  if (early) {
    const name = early[1]!;
    return (
      `importing it threw ReferenceError: ${message}${whereThrown(error)}. This is usually a circular import: two files import each other, and ${name} was used ` +
      `(often as a constructor parameter's type) before its file finished loading. If the two services need each other, that is a dependency cycle: ` +
      `move what both need into a third service. Otherwise, in the file that uses ${name}, import it for its type only and inject it lazily: ` +
      `import type { ${name} as ${name}Type } from '…'; constructor(@inject(new LazyServiceIdentifier(() => ${name})) dep: ${name}Type).`
    );
  }
  if (error instanceof SyntaxError) {
    const where = /^(file:\/\/\S+|\/\S+):(\d+)/.exec(error.stack ?? '');
    return `syntax error: ${message}${where ? ` (${where[1]}:${where[2]})` : ''}`;
  }
  return `importing it threw ${describeError(error)}${whereThrown(error)}.`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'function') return /^class\b/.test(Function.prototype.toString.call(value)) ? `the class ${value.name || '(anonymous)'}` : `a function (${value.name || 'anonymous'})`;
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  if (typeof value !== 'object') return `${typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`} (${String(value)})`;
  if (Array.isArray(value)) return 'an array';
  const ctor = (value as object).constructor;
  return ctor && ctor !== Object ? `an instance of ${ctor.name}` : 'a plain object';
}

/**
 * The default export of an imported module, checked to be something an `Application` runs.
 * @example
 * ```ts
 * checkDefaultExport('./app.module.ts', await import('./app.module.ts'));
 * ```
 * @throws {@link AppModuleError} naming what was exported and what is expected.
 */
export function checkDefaultExport(module: string, namespace: Record<string, unknown>): AppModuleTarget {
  if (!('default' in namespace) || namespace['default'] === undefined) {
    const named = Object.keys(namespace).filter((k) => k !== 'default');
    const hint = named.length ? ` It exports ${named.slice(0, 5).join(', ')}${named.length > 5 ? ', …' : ''} by name.` : '';
    throw new AppModuleError(module, `it has no default export.${hint} mode-di runs the default export: end the module with e.g. export default new ContainerModule(({ bind }) => { … }); (expected ${EXPECTED}).`);
  }
  let value: unknown = namespace['default'];
  // A CommonJS module compiled from TypeScript: module.exports = { __esModule: true, default: … }.
  if (value !== null && typeof value === 'object' && (value as { __esModule?: unknown }).__esModule && 'default' in value) {
    value = (value as { default: unknown }).default;
  }
  if (value instanceof ContainerModule || value instanceof Container || value instanceof Application) return value;
  if (Array.isArray(value)) {
    if (value.length === 0) throw new AppModuleError(module, `its default export is an empty array: there is nothing to run. Export ${EXPECTED}.`);
    const bad = value.findIndex((m) => !(m instanceof ContainerModule));
    if (bad >= 0) throw new AppModuleError(module, `its default export is an array, but item #${bad} is ${describeValue(value[bad])}, not a ContainerModule.${sameNameHint(value[bad])}`);
    return value as ContainerModule[];
  }
  if (typeof value === 'function') {
    const lifecycle = lifecycleOf(value);
    const hint = lifecycle.hasLifecycle ? ` Export an instance instead: export default new ${value.name}();` : '';
    throw new AppModuleError(module, `its default export is ${describeValue(value)}, not something mode-di can run.${hint} Expected ${EXPECTED}.`);
  }
  if (value !== null && typeof value === 'object') {
    if (value instanceof Promise) throw new AppModuleError(module, `its default export is a Promise. Await it first (top-level await works): export default await createApp();`);
    if (typeof value.constructor === 'function' && lifecycleOf(value.constructor).hasLifecycle) return value;
    throw new AppModuleError(module, `its default export is ${describeValue(value)}, which has no lifecycle (not a Service, no @onStart/@onStop hooks).${sameNameHint(value)} Expected ${EXPECTED}.`);
  }
  throw new AppModuleError(module, `its default export is ${describeValue(value)}. Expected ${EXPECTED}.`);
}

/** When something looks like an inversify object but fails `instanceof`: two copies of inversify. */
function sameNameHint(value: unknown): string {
  const name = (value as { constructor?: { name?: string } } | null)?.constructor?.name;
  return name === 'ContainerModule' || name === 'Container'
    ? ` It is a ${name} from another copy of inversify than mode-di's: make your project resolve a single inversify (npm dedupe).`
    : '';
}
