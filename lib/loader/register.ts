// Installs the TypeScript loader hooks in this process (once) and turns on source-mapped stack traces.
import { register } from 'node:module';
import type { LoaderData } from './hooks.js';

let registered: LoaderData | undefined;

/**
 * Options of {@link registerLoader}.
 * @example
 * ```ts
 * registerLoader({ cacheDir: defaultCacheDir(process.cwd()) } satisfies LoaderOptions);
 * ```
 */
export interface LoaderOptions {
  /** Where compiled output is cached (see `defaultCacheDir`); `undefined` compiles every time. */
  readonly cacheDir?: string | undefined;
}

/**
 * Lets this process `import()` TypeScript files with decorator metadata: registers the
 * loader hooks (`module.register`, compiled by swc on the loader thread) and enables source
 * maps so stacks show `.ts` lines. Call it before importing the first `.ts` file; later calls
 * do nothing.
 *
 * @example
 * ```ts
 * registerLoader({ cacheDir: defaultCacheDir(process.cwd()) });
 * const mod = await import(pathToFileURL('./app.module.ts').href);
 * ```
 */
export function registerLoader(options: LoaderOptions = {}): void {
  if (registered) return;
  registered = { cacheDir: options.cacheDir };
  process.setSourceMapsEnabled(true);
  register(new URL('./hooks.js', import.meta.url), { data: registered });
}
