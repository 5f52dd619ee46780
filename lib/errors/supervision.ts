// Failures of supervision: a restart budget spent, a policy that cannot work, a stop given up on.
import { formatDuration } from '../utils/durations.js';
import { describeError, ModeError } from './mode-error.js';
import { UsageError } from './usage.js';

/**
 * A supervisor restarted services `restarts` times within its window and a crash came
 * again: it gives up and crashes itself, so its parent supervisor (or the application) acts.
 * @example
 * ```ts
 * if (app.crashReason instanceof MaxRestartsExceededError) console.error(app.crashReason.service);
 * ```
 * @category Errors
 */
export class MaxRestartsExceededError extends ModeError {
  constructor(
    /** The label of the supervisor that gave up. */
    readonly supervisor: string,
    /** The label of the service whose crash spent the budget. */
    readonly service: string,
    /** The restarts it allows within the window (`maxRestarts`), all spent. */
    readonly restarts: number,
    /** The window the restarts are counted in (`over`), in milliseconds. */
    readonly overMs: number,
    cause: unknown,
  ) {
    super(`${supervisor.charAt(0).toUpperCase()}${supervisor.slice(1)} gave up on ${service} after ${restarts} restart(s) within ${formatDuration(overMs)} (maxRestarts ${restarts} over ${formatDuration(overMs)}); its last crash: ${describeError(cause)}`, { cause });
  }
}

/**
 * A supervision policy that cannot work as declared (a bad number, or a backoff so slow that
 * the restart limit could never be reached, so the service would retry forever).
 * @example
 * ```ts
 * try { new OneForOneSupervisor({ maxRestarts: 10, over: '5s' }); } catch (e) { if (e instanceof SupervisionPolicyError) … }
 * ```
 * @category Errors
 */
export class SupervisionPolicyError extends UsageError {}

/**
 * A service's stop hung past the supervisor's stop timeout during a restart: the stop was
 * given up on (its hook left to settle on its own) so the restart could go on.
 * @example
 * ```ts
 * app.on('service.stopAbandoned', (e) => console.warn(e.service.label, e.timeoutMs));
 * ```
 * @category Errors
 */
export class StopTimeoutError extends ModeError {
  constructor(
    /** The label of the service whose stop hung. */
    readonly service: string,
    /** The supervisor's stop timeout it exceeded, in milliseconds. */
    readonly timeoutMs: number,
  ) {
    super(`${service} did not stop within ${timeoutMs}ms; its stop was abandoned so the restart could go on`);
  }
}
