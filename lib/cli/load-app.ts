// Loads an app module for the commands that look at an app without running it (`graph`, `plan`).
import { dirname } from 'node:path';
import { Application } from '../application/application.js';
import { loadAppModule, resolveModulePath } from '../loader/app-module.js';
import { defaultCacheDir } from '../loader/cache-dir.js';
import { guardImport } from './loading.js';

/**
 * An app module loaded for inspection.
 * @example
 * ```ts
 * const { app, path, cacheDir }: LoadedApp = await loadApplication('samples/tutorial/app.module.ts');
 * ```
 */
export interface LoadedApp {
  /** The module's default export as an `Application` (nothing created or started). */
  readonly app: Application;
  /** The module's absolute path. */
  readonly path: string;
  /** Where compiled modules (and recorded start durations) are kept; `undefined` with the cache off. */
  readonly cacheDir: string | undefined;
}

/**
 * Imports the app module (TypeScript through the loader hooks, with decorator metadata) and
 * wraps its default export in an `Application` without creating or starting anything. A
 * Mode-style module's services are objects the module itself creates when imported. The
 * import is guarded as `mode-di run` guards it: a top-level await that can never settle is an
 * error naming the module, and a SIGINT/SIGTERM/SIGHUP during it ends the process (status 0)
 * once the import is done.
 * @example
 * ```ts
 * const { app } = await loadApplication('./app.module.ts');
 * console.log(formatPlan(await app.plan()));
 * ```
 * @throws `AppModuleError` (a `UsageError`) when the module cannot be found, compiled or imported, or has no usable default export.
 */
export async function loadApplication(module: string): Promise<LoadedApp> {
  const path = resolveModulePath(module);
  const cacheDir = defaultCacheDir(dirname(path));
  const { registerLoader } = await import('../loader/register.js');
  registerLoader({ cacheDir });
  const loaded = await guardImport(() => loadAppModule(module), { module, shutdownTimeoutMs: 30_000 });
  if (loaded.stopped) {
    process.stderr.write(`mode-di: stopped by ${loaded.signal} while loading ${module}; nothing was created.\n`);
    process.exit(0);
  }
  const { target } = loaded.value;
  return { app: target instanceof Application ? target : new Application(target), path, cacheDir };
}
