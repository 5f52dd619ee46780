// `mode-di run <module>`: load the module (TypeScript through the loader hooks) and hand its default export to a Worker.
import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { type AppModule, loadAppModule, resolveModulePath } from '../loader/app-module.js';
import { defaultCacheDir } from '../loader/cache-dir.js';
import { whyLoaderIsNeeded } from '../loader/javascript-graph.js';
import { currentMirror, mirrorKey } from '../loader/mirror.js';
import { modeDiVersion } from '../utils/files.js';
import { WorkerLogger } from '../worker/logger.js';
import { Worker } from '../worker/worker.js';
import { guardImport } from './loading.js';
import { type RunArguments, toWorkerOptions } from './run-options.js';
import { recordStartDurations } from './start-durations.js';
import { reportRequired, watchedChild } from './watch-child.js';

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
 * imports the module (with the signals handled from the start: see `guardImport`), and runs
 * its default export under a {@link Worker} until it stops. Does not return once the Worker
 * runs (it exits the process with the app's status); a stop asked for during the import
 * exits 0 once the import has finished, with nothing started.
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
  const cacheDir = defaultCacheDir(dirname(path));
  const shutdownTimeoutMs = typeof options.shutdownTimeout === 'number' ? options.shutdownTimeout : 30_000;
  const watched = watchedChild();
  const loaded = await guardImport(async () => {
    await preloadRun();
    return importApp(module, path, cacheDir, watched);
  }, { module, shutdownTimeoutMs });
  if (loaded.stopped) {
    process.stderr.write(`mode-di: stopped by ${loaded.signal} while loading ${module}; nothing was started.\n`);
    process.exit(0);
  }
  // In the same turn as the import guard removed its signal handlers: the Worker installs its own.
  const worker = new Worker(loaded.value.target, options);
  recordStartDurations(worker.app, cacheDir, path);
  await worker.executeFromCommandline();
}

/**
 * Imports the app module: from its mirror when that is current (plain JavaScript, no loader
 * thread: the warm start), else through the loader hooks, which then write the mirror for
 * next time (on the loader thread, while the app starts). Under `--watch` (`watched` set),
 * always through the hooks, which report every file imported to the watcher.
 */
async function importApp(module: string, path: string, cacheDir: string | undefined, watched?: (file: string) => void): Promise<AppModule> {
  const typeScript = /\.(?:ts|mts|tsx)$/.test(path);
  const optOut = process.env['MODE_DI_MIRROR'];
  const mirrored = typeScript && cacheDir !== undefined && optOut !== 'off' && optOut !== '0';
  // The real path: the loader sees modules by where they really are (symlinks resolved).
  const real = mirrored ? realpathSync(path) : path;
  if (watched) return importWatched(module, real, cacheDir, mirrored, watched);
  const mirror = mirrored ? currentMirror(cacheDir, real, mirrorKey(modeDiVersion())) : undefined;
  if (mirror) {
    // Stack traces still point at the .ts lines: each mirrored module carries its source map.
    process.setSourceMapsEnabled(true);
    return loadAppModule(module, undefined, mirror);
  }
  // JavaScript that reaches no TypeScript needs no loader thread (MODE_DI_MIRROR=off keeps it, as for TypeScript).
  if (!typeScript && optOut !== 'off' && optOut !== '0' && whyLoaderIsNeeded(path) === undefined) {
    process.setSourceMapsEnabled(true);
    return loadAppModule(module);
  }
  // Loaded only here: the warm path needs neither the loader nor its channel (node:worker_threads).
  const { registerLoader, requestMirror } = await import('../loader/register.js');
  registerLoader({ cacheDir, mirror: mirrored });
  const loaded = await loadAppModule(module);
  if (mirrored) void requestMirror(real);
  return loaded;
}

/** The import under `--watch`: through the hooks (which report each file, and still write the mirror), then the CommonJS files too. */
async function importWatched(module: string, real: string, cacheDir: string | undefined, mirrored: boolean, report: (file: string) => void): Promise<AppModule> {
  const { registerLoader, requestMirror } = await import('../loader/register.js');
  registerLoader({ cacheDir, mirror: mirrored, onImport: report });
  try {
    const loaded = await loadAppModule(module);
    if (mirrored) void requestMirror(real);
    return loaded;
  } finally {
    reportRequired(report);
  }
}
