// The app module's import, before any Worker exists: signals during it, and a top-level await that can never settle.
import type { Writable } from 'node:stream';
import { AppModuleError } from '../loader/errors.js';
import { type Clock, type ClockTimer, systemClock } from '../utils/clock.js';
import { formatDuration } from '../utils/durations.js';
import { ExitCode } from '../worker/exit-codes.js';
import { installSignalHandlers, type StopSignal, StopSignalLog } from '../worker/signals.js';

/**
 * What {@link guardImport} needs besides the import itself.
 * @example
 * ```ts
 * const settings: ImportGuardSettings = { module: './app.module.ts', shutdownTimeoutMs: 30_000 };
 * ```
 */
export interface ImportGuardSettings {
  /** The module as the user wrote it, for messages. */
  readonly module: string;
  /** The hard deadline once a stop was asked for (`--shutdown-timeout`); 0 waits for the import forever. */
  readonly shutdownTimeoutMs: number;
  readonly stderr?: Writable;
  readonly clock?: Clock;
  /** Ends the process (default `process.exit`); a forced stop calls it with status 1. */
  readonly exit?: (code: number) => void;
}

/**
 * The outcome of a guarded import: what it returned, or `stopped` (a SIGINT, SIGTERM or SIGHUP
 * came during it, so nothing is to start; the import has settled).
 * @example
 * ```ts
 * const outcome: GuardedImport<AppModule> = await guardImport(() => loadAppModule(path), settings);
 * ```
 */
export type GuardedImport<T> = { readonly stopped: false; readonly value: T } | { readonly stopped: true; readonly signal: StopSignal };

/**
 * Runs the app module's import with the process's signals handled, as the Worker handles them
 * later: a first SIGINT, SIGTERM or SIGHUP asks to stop (an import cannot be interrupted, so it
 * is let finish and nothing starts: the outcome is `stopped`); a second one, or the shutdown
 * deadline after the first, ends the process at once with status 1; SIGUSR2 says what is
 * loading, and for how long. If the event loop runs dry while the import is still pending, its
 * top-level await can never settle (Node would exit with status 13 and say nothing): the
 * import rejects with an {@link AppModuleError} naming the module. The handlers are removed
 * when the promise settles, so whoever runs next must install its own in the same turn.
 *
 * @example
 * ```ts
 * const outcome = await guardImport(() => loadAppModule('./app.module.ts'), { module: './app.module.ts', shutdownTimeoutMs: 30_000 });
 * if (!outcome.stopped) await new Worker(outcome.value.target).executeFromCommandline();
 * ```
 */
export async function guardImport<T>(importing: () => Promise<T>, settings: ImportGuardSettings): Promise<GuardedImport<T>> {
  const stderr = settings.stderr ?? process.stderr;
  const clock = settings.clock ?? systemClock;
  const exit = settings.exit ?? ((code: number) => process.exit(code));
  const began = clock.now();
  const signals = new StopSignalLog(() => clock.now());
  let stoppedBy: StopSignal | undefined;
  let deadline: ClockTimer | undefined;
  let neverSettles!: (error: Error) => void;
  const dry = new Promise<never>((_, reject) => (neverSettles = reject));

  const force = (why: string) => {
    stderr.write(`mode-di: ${why} while loading ${settings.module}: exiting before anything started.\n`);
    exit(ExitCode.FAILURE);
  };
  const uninstallSignals = installSignalHandlers(
    {
      stop: (signal) => {
        if (signals.isDuplicate(signal)) return;
        if (stoppedBy) return force(`Second signal (${signal})`);
        stoppedBy = signal;
        const ms = settings.shutdownTimeoutMs;
        const limit = ms > 0 ? `, or past the shutdown deadline (${formatDuration(ms)})` : '';
        stderr.write(`mode-di: ${signal} received while loading ${settings.module}: nothing will start. Waiting for the import to finish (a second signal${limit} exits at once).\n`);
        if (ms > 0 && Number.isFinite(ms)) deadline = clock.setTimeout(() => force(`Shutdown timed out after ${formatDuration(ms)}`), ms);
      },
      dump: () => {
        const resources = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
        stderr.write(
          `mode-di: dump at ${clock.date().toISOString()} (pid ${process.pid})\n` +
            `Still loading ${settings.module} (for ${formatDuration(clock.now() - began)}): no service has been created or started yet.\n` +
            `Active resources: ${resources.join(', ') || 'none'}\n`,
        );
      },
    },
    stderr,
  );
  const onDry = () =>
    neverSettles(
      new AppModuleError(
        settings.module,
        'its top-level await never settles: the module (or one it imports) awaits a promise that nothing is left to resolve ' +
          '(no timer, socket or other work is pending), so Node would exit with status 13. Check what it awaits at the top level; ' +
          'code that waits for the app to run belongs in an @onStart hook.',
      ),
    );
  process.on('beforeExit', onDry);
  try {
    const value = await Promise.race([importing(), dry]);
    return stoppedBy ? { stopped: true, signal: stoppedBy } : { stopped: false, value };
  } finally {
    process.off('beforeExit', onDry);
    uninstallSignals();
    if (deadline !== undefined) clock.clearTimeout(deadline);
  }
}
