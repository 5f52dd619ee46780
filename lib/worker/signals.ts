// The Worker's signal handling: SIGINT/SIGTERM/SIGHUP stop (a second one forces), SIGUSR2 dumps. SIGUSR1 stays Node's inspector.
import type { Writable } from 'node:stream';

/**
 * A signal that stops the Worker.
 * @example
 * ```ts
 * const stop = (signal: StopSignal) => worker.stop(signal);
 * ```
 */
export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/**
 * What the Worker does on each signal.
 * @example
 * ```ts
 * installSignalHandlers({ stop: (signal) => void worker.stop(signal), dump: () => worker.dump() });
 * ```
 */
export interface SignalHandlers {
  /** SIGINT, SIGTERM or SIGHUP: the first stops gracefully; a second one during the stop forces exit. */
  stop(signal: StopSignal): void;
  /** SIGUSR2: dump the service tree and the main thread's stack. */
  dump(): void;
}

/**
 * What SIGINT prints to stderr first, as Mode does.
 * @example
 * ```ts
 * process.stderr.write(`${INT_BANNER}\n`);
 * ```
 */
export const INT_BANNER = '-INT- -INT- -INT- -INT- -INT- -INT-';

/**
 * Installs handlers for SIGINT, SIGTERM, SIGHUP and SIGUSR2 (which replaces Node's default
 * exit on those) and returns a function that removes them. SIGHUP (the terminal closed, or a
 * supervisor's "hang up") stops gracefully, like SIGTERM: a service never dies mid-write
 * because its terminal went away. SIGUSR1 is never touched: it starts Node's inspector, the
 * remote debugger.
 *
 * @example
 * ```ts
 * const uninstall = installSignalHandlers({ stop: (s) => worker.stop(s), dump: () => print(tree()) });
 * // … later
 * uninstall();
 * ```
 */
export function installSignalHandlers(handlers: SignalHandlers, stderr: Writable = process.stderr): () => void {
  const onInt = () => {
    stderr.write(`${INT_BANNER}\n`);
    handlers.stop('SIGINT');
  };
  const onTerm = () => handlers.stop('SIGTERM');
  const onHup = () => handlers.stop('SIGHUP');
  const onUsr2 = () => handlers.dump();
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  process.on('SIGHUP', onHup);
  const dumps = process.platform !== 'win32';
  if (dumps) process.on('SIGUSR2', onUsr2);
  return () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    process.off('SIGHUP', onHup);
    if (dumps) process.off('SIGUSR2', onUsr2);
  };
}

/**
 * Tells a repeated stop signal from a second request: `npx`/`npm exec` under some shells
 * forward the terminal's Ctrl-C, so one keypress can arrive twice. The same signal as the
 * first, within `windowMs` (250) of it, is a duplicate delivery.
 *
 * @example
 * ```ts
 * const signals = new StopSignalLog(() => performance.now());
 * signals.isDuplicate('SIGINT'); // false (the first)
 * signals.isDuplicate('SIGINT'); // true, right after it
 * ```
 */
export class StopSignalLog {
  #first: { readonly signal: StopSignal; readonly at: number } | undefined;

  constructor(
    private readonly now: () => number,
    readonly windowMs = 250,
  ) {}

  /** Records `signal`; `true` when it is the first one delivered again within the window. */
  isDuplicate(signal: StopSignal): boolean {
    const now = this.now();
    const first = this.#first;
    if (first && first.signal === signal && now - first.at < this.windowMs) return true;
    this.#first ??= { signal, at: now };
    return false;
  }
}
