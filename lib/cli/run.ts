// `mode-di run <module>`: load the module (TypeScript through the loader hooks) and hand its default export to a Worker.
import { dirname } from 'node:path';
import { loadAppModule, resolveModulePath } from '../loader/app-module.js';
import { defaultCacheDir } from '../loader/cache-dir.js';
import { registerLoader } from '../loader/register.js';
import { WorkerLogger } from '../worker/logger.js';
import { Worker } from '../worker/worker.js';
import { type RunArguments, toWorkerOptions } from './run-options.js';

/**
 * Loads what an app will use (mode-di's public API, winston) before the loader hooks are in
 * place: every module loaded through the loader thread costs several times more.
 * @example
 * ```ts
 * await preloadRun();
 * ```
 */
export async function preloadRun(): Promise<void> {
  await Promise.all([import('../index.js'), WorkerLogger.preload()]);
}

/**
 * Runs `mode-di run` with parsed arguments: checks them, registers the TypeScript loader,
 * imports the module, and runs its default export under a {@link Worker} until it stops.
 * Does not return once the Worker runs (it exits the process with the app's status).
 *
 * @example
 * ```ts
 * await runCommand({ module: 'samples/tutorial/app.module.ts', loglevel: 'info' });
 * ```
 * @throws a `UsageError` (bad option, module that cannot be loaded) before anything starts.
 */
export async function runCommand(args: RunArguments): Promise<void> {
  const { module, options } = toWorkerOptions(args);
  const path = resolveModulePath(module);
  await preloadRun();
  registerLoader({ cacheDir: defaultCacheDir(dirname(path)) });
  const { target } = await loadAppModule(module);
  const worker = new Worker(target, options);
  await worker.executeFromCommandline();
}
