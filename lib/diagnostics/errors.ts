// Errors of the diagnostics: a watchdog thread that cannot run.
import { describeError, ModeError } from '../errors/mode-error.js';

/**
 * The blocking detector's watchdog thread could not start, or died: blocking detection is off
 * until the detector is started again. `cause` is what the thread reported.
 *
 * @example
 * ```ts
 * await detector.start().catch((error: WatchdogError) => log.warning(error.message));
 * ```
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
