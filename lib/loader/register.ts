// Installs the TypeScript loader hooks in this process (once) and turns on source-mapped stack traces.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { modeDiVersion } from '../utils/files.js';
import type { LoaderData } from './hooks.js';
import { mirrorKey } from './mirror.js';

let registered: LoaderData | undefined;
/** The main thread's end of the channel to the hooks (when there is a cache to build mirrors in). */
let mirrorPort: MessagePort | undefined;

/**
 * Options of {@link registerLoader}.
 * @example
 * ```ts
 * registerLoader({ cacheDir: defaultCacheDir(process.cwd()) } satisfies LoaderOptions);
 * ```
 * @category Loader
 */
export interface LoaderOptions {
  /** Where compiled output is cached (see {@link defaultCacheDir}); `undefined` compiles every time. */
  readonly cacheDir?: string | undefined;
  /**
   * Record what the hooks load, so that a mirror of the app module (its compiled files with
   * their imports resolved) can be written into the cache folder for the next warm start:
   * what `mode-di run` does. Needs `cacheDir`. Default: off.
   */
  readonly mirror?: boolean;
  /**
   * Called with each file an import resolves to (once each; not files under `node_modules`,
   * nor mode-di's own), as the hooks see them: what `mode-di run --watch` watches.
   */
  readonly onImport?: (file: string) => void;
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
 * @category Loader
 */
export function registerLoader(options: LoaderOptions = {}): void {
  if (registered) return;
  process.setSourceMapsEnabled(true);
  const transferList: MessagePort[] = [];
  const imports = options.onImport ? importsChannel(options.onImport) : undefined;
  if (imports) transferList.push(imports);
  let mirror: LoaderData['mirror'];
  if (options.cacheDir && options.mirror) {
    const { port1, port2 } = new MessageChannel();
    port1.unref();
    mirrorPort = port1;
    mirror = { port: port2, key: mirrorKey(modeDiVersion()) };
    transferList.push(port2);
  }
  registered = { cacheDir: options.cacheDir, mirror, imports };
  register(new URL('./hooks.js', import.meta.url), { data: registered, transferList });
}

/** The hooks' end of a channel whose messages (`{ imported: path }`) reach `onImport`; it never keeps the process alive. */
function importsChannel(onImport: (file: string) => void): MessagePort {
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (message: { imported?: unknown }) => {
    if (typeof message?.imported === 'string') onImport(message.imported);
  });
  // Listening refs the port: unref it after.
  port1.unref();
  return port2;
}

/**
 * Asks the loader thread to write the mirror of the app module at `entryPath` (which this
 * process has just imported through the hooks): next time, `mode-di run` can import it as
 * plain JavaScript, without the hooks (see `currentMirror`). The work happens on the loader
 * thread; the promise (which never rejects, and does not keep the process alive) says why no
 * mirror was written, or `undefined` once it was.
 *
 * @example
 * ```ts
 * registerLoader({ cacheDir });
 * await import(pathToFileURL('/app/app.module.ts').href);
 * void requestMirror('/app/app.module.ts');
 * ```
 */
export function requestMirror(entryPath: string): Promise<string | undefined> {
  const port = mirrorPort;
  if (!port) return Promise.resolve('the loader records nothing (registerLoader without a cacheDir and mirror: true)');
  const url = pathToFileURL(entryPath).href;
  return new Promise((resolve) => {
    const onMessage = (message: { mirrored?: string; reason?: string }) => {
      if (message?.mirrored !== url) return;
      port.off('message', onMessage);
      port.unref();
      resolve(message.reason);
    };
    port.on('message', onMessage);
    // Listening refs the port again: a pending mirror must not keep the process alive.
    port.unref();
    port.postMessage({ mirror: url });
  });
}
