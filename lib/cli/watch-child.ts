// The app's side of `mode-di run --watch`: tells the watcher which files the app imported, and stops when the watcher is gone.
import { createRequire } from 'node:module';
import { sep } from 'node:path';

/**
 * The environment variable a watcher sets on the `mode-di run` process it starts.
 * @example
 * ```ts
 * spawn(process.execPath, [bin, 'run', 'app.ts'], { env: { ...process.env, [WATCH_CHILD]: '1' }, stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
 * ```
 */
export const WATCH_CHILD = 'MODE_DI_WATCH_CHILD';

/**
 * The message a watched app sends its watcher: files it imported (absolute paths).
 * @example
 * ```ts
 * process.send?.({ 'mode-di:imported': ['/app/cache.ts'] } satisfies ImportedFiles);
 * ```
 */
export interface ImportedFiles {
  readonly 'mode-di:imported': readonly string[];
}

/**
 * Whether `message` is an {@link ImportedFiles} report.
 * @example
 * ```ts
 * child.on('message', (m) => { if (isImportedFiles(m)) watch(m['mode-di:imported']); });
 * ```
 */
export function isImportedFiles(message: unknown): message is ImportedFiles {
  const files = (message as Partial<ImportedFiles> | null)?.['mode-di:imported'];
  return Array.isArray(files) && files.every((f) => typeof f === 'string');
}

const NODE_MODULES = `${sep}node_modules${sep}`;

/**
 * In a process started by `mode-di run --watch`: a function that reports a file the app
 * imported to the watcher (batched, one message per turn), after arranging that the process
 * stops gracefully (as on SIGTERM) if the watcher goes away without stopping it. Elsewhere
 * `undefined`.
 * @example
 * ```ts
 * const report = watchedChild();
 * registerLoader({ cacheDir, onImport: report });
 * ```
 */
export function watchedChild(): ((file: string) => void) | undefined {
  if (process.env[WATCH_CHILD] !== '1' || typeof process.send !== 'function') return undefined;
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  // The channel must not keep the app alive: the Worker decides when the process ends.
  process.channel?.unref();
  let batch: string[] | undefined;
  return (file) => {
    if (batch) {
      batch.push(file);
      return;
    }
    batch = [file];
    queueMicrotask(() => {
      const files = batch!;
      batch = undefined;
      if (process.connected) process.send!({ 'mode-di:imported': files } satisfies ImportedFiles, undefined, {}, () => {});
    });
  };
}

/**
 * Reports the CommonJS files loaded so far (`require.cache`; the loader hooks see only
 * ES module imports), outside `node_modules`.
 * @example
 * ```ts
 * reportRequired(report);
 * ```
 */
export function reportRequired(report: (file: string) => void): void {
  for (const file of Object.keys(createRequire(import.meta.url).cache)) if (!file.includes(NODE_MODULES)) report(file);
}
