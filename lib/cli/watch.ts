// `mode-di run --watch`: runs the app in a child process, and replaces it (a graceful stop, then a fresh process) when a file it imported changes.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, type FSWatcher, statSync, watch } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveModulePath } from '../loader/app-module.js';
import { type RunArguments, toWorkerOptions } from './run-options.js';
import { isImportedFiles, WATCH_CHILD } from './watch-child.js';

/** Changes within this long of each other make one restart (an editor's save is often several writes). */
export const WATCH_DEBOUNCE_MS = 100;
const BIN = fileURLToPath(new URL('./bin.js', import.meta.url));
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs `mode-di run` (with the same arguments) in a child process and watches every file the
 * app imported (as the child reports them, plus the module itself): when one changes, the
 * child is stopped gracefully (SIGTERM) and a new one started, which loads the new code (the
 * compile cache and the mirror check every source's content, so they stay correct). A child
 * that exits by itself (a crash, a syntax error) is started again at the next change.
 * SIGINT, SIGTERM and SIGHUP stop the child (a second one forces it, as without `--watch`);
 * the process then exits with the child's status (the last run's, when none is running).
 *
 * @example
 * ```ts
 * process.exitCode = await watchCommand({ module: 'app.module.ts', watch: true }, ['run', 'app.module.ts', '--watch']);
 * ```
 * @throws a `UsageError` for a bad option or a module that does not exist, before any child starts.
 */
export async function watchCommand(args: RunArguments, argv: readonly string[]): Promise<number> {
  const { module } = toWorkerOptions(args);
  return new AppWatcher(argv, resolveModulePath(module)).run();
}

/** The watcher: one child at a time, the files to watch, and how it ends. */
class AppWatcher {
  readonly #files = new Set<string>();
  readonly #folders = new Map<string, FSWatcher>();
  /** The inode each watched folder had: a folder made again under the same name has another. */
  readonly #inodes = new Map<string, number>();
  /** Folders whose watcher ended (removed, or made again): watched again when a run reports them. */
  readonly #unwatched = new Set<string>();
  readonly #handlers = new Map<NodeJS.Signals, () => void>();
  #child: ChildProcess | undefined;
  #lastStatus = 0;
  /** The first file changed since the last restart, and the timer that restarts once changes settle. */
  #changed: string | undefined;
  #debounce: NodeJS.Timeout | undefined;
  #restartWhenExited = false;
  #stopping = false;
  #finish: (status: number) => void = () => {};

  constructor(
    private readonly argv: readonly string[],
    private readonly entry: string,
  ) {}

  run(): Promise<number> {
    return new Promise((resolve) => {
      this.#finish = (status) => {
        clearTimeout(this.#debounce);
        for (const folder of this.#folders.values()) folder.close();
        for (const [signal, handler] of this.#handlers) process.off(signal, handler);
        resolve(status);
      };
      for (const signal of [...STOP_SIGNALS, 'SIGUSR2'] as const) {
        const handler = () => this.#signal(signal);
        this.#handlers.set(signal, handler);
        process.on(signal, handler);
      }
      this.#watch([this.entry]);
      this.#spawn();
    });
  }

  #spawn(): void {
    const child = spawn(process.execPath, [...process.execArgv, BIN, ...this.argv], {
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, [WATCH_CHILD]: '1' },
    });
    this.#child = child;
    child.on('message', (message) => {
      if (isImportedFiles(message)) this.#watch(message['mode-di:imported']);
    });
    child.once('error', (error) => {
      process.stderr.write(`mode-di: cannot start the app's process: ${error.message}\n`);
      this.#exited(child, 1);
    });
    child.once('exit', (code) => this.#exited(child, code ?? 1));
  }

  #exited(child: ChildProcess, status: number): void {
    if (child !== this.#child) return;
    this.#child = undefined;
    this.#lastStatus = status;
    if (this.#stopping) return this.#finish(status);
    if (this.#restartWhenExited) {
      this.#restartWhenExited = false;
      return this.#spawn();
    }
    process.stderr.write(`mode-di: the app exited with status ${status}; it starts again when a file changes.\n`);
  }

  /**
   * Watches the folder of each file the app imported (an editor may replace a file rather than
   * write it). Each run reports its files again, so a folder whose watcher ended (removed and
   * made again, as a branch switch does: Linux's watch then goes silent) is watched anew.
   */
  #watch(files: readonly string[]): void {
    for (const file of files) {
      this.#files.add(file);
      const folder = dirname(file);
      if (this.#folders.has(folder)) {
        if (inodeOf(folder) === this.#inodes.get(folder)) continue;
        this.#unwatch(folder);
      }
      if (this.#unwatched.has(folder)) {
        this.#unwatched.delete(folder);
        const shown = relative(process.cwd(), folder) || folder;
        process.stderr.write(`mode-di: watching ${shown.startsWith('..') ? folder : shown} again (it was removed and made again).\n`);
      }
      try {
        const watcher = watch(folder, (_event, name) => {
          // The folder itself removed (its own name is reported; a new one may even get its inode): this watch is dead.
          if (name?.toString() === basename(folder) || !existsSync(folder)) this.#unwatch(folder);
          const changed = name === null ? undefined : join(folder, name.toString());
          if (changed !== undefined && this.#files.has(changed)) this.#change(changed);
        });
        watcher.on('error', () => this.#unwatch(folder));
        this.#folders.set(folder, watcher);
        this.#inodes.set(folder, inodeOf(folder)!);
      } catch (error) {
        process.stderr.write(`mode-di: cannot watch ${folder}: ${(error as Error).message}\n`);
      }
    }
  }

  #unwatch(folder: string): void {
    this.#folders.get(folder)?.close();
    this.#folders.delete(folder);
    this.#inodes.delete(folder);
    this.#unwatched.add(folder);
  }

  #change(file: string): void {
    if (this.#stopping) return;
    this.#changed ??= file;
    clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => this.#restart(), WATCH_DEBOUNCE_MS);
  }

  #restart(): void {
    const file = this.#changed!;
    this.#changed = undefined;
    if (this.#stopping) return;
    const shown = relative(process.cwd(), file) || basename(file);
    process.stderr.write(`mode-di: ${shown.startsWith('..') ? file : shown} changed: restarting.\n`);
    if (!this.#child) return this.#spawn();
    if (this.#restartWhenExited) return;
    this.#restartWhenExited = true;
    this.#child.kill('SIGTERM');
  }

  /** SIGINT, SIGTERM, SIGHUP: stop the child (again: force it), then end; SIGUSR2: the child's dump. */
  #signal(signal: NodeJS.Signals): void {
    if (signal === 'SIGUSR2') {
      this.#child?.kill(signal);
      return;
    }
    const first = !this.#stopping;
    this.#stopping = true;
    clearTimeout(this.#debounce);
    if (!this.#child) return this.#finish(this.#lastStatus);
    // A child already stopping for a restart stops anyway: only a second signal is passed on (it forces).
    if (first && this.#restartWhenExited) return;
    this.#child.kill(signal);
  }
}

/** The folder's inode, or `undefined` when it is gone. */
function inodeOf(folder: string): number | undefined {
  return statSync(folder, { throwIfNoEntry: false })?.ino;
}
