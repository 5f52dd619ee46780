// Errors of the diagnostics: a watchdog thread that cannot run, a console that cannot be served.
import { describeError, ModeError } from '../errors/mode-error.js';
import { UsageError } from '../errors/usage.js';

/**
 * The blocking detector's watchdog thread could not start, or died: blocking detection is off
 * until the detector is started again. `cause` is what the thread reported.
 *
 * @example
 * ```ts
 * await detector.start().catch((error: WatchdogError) => log.warning(error.message));
 * ```
 * @category Errors
 */
export class WatchdogError extends ModeError {
  constructor(what: string, cause?: unknown) {
    super(
      `The blocking detector's watchdog thread ${what}${cause === undefined ? '' : `: ${describeError(cause)}`}. ` +
        'Blocking detection is off; the app itself is unaffected (set --blocking-timeout 0 to not start the watchdog).',
      cause === undefined ? undefined : { cause },
    );
  }
}

/**
 * The remote console cannot be served as asked: a bad option, a socket folder others can
 * write to, a socket or port already in use. The message names the thing and the fix.
 *
 * @example
 * ```ts
 * await console.start().catch((error: ConsoleError) => log.error(error.message));
 * ```
 * @category Errors
 */
export class ConsoleError extends UsageError {}
