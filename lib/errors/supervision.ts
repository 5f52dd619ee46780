// Failures of supervision: a restart budget spent, a policy that cannot work, a stop given up on.
import { ModeError } from './mode-error.js';
import { UsageError } from './usage.js';

/**
 * A supervisor restarted services `restarts` times within its window and a crash came
 * again: it gives up and crashes itself, so its parent supervisor (or the application) acts.
 * @example
 * ```ts
 * if (app.crashReason instanceof MaxRestartsExceededError) console.error(app.crashReason.service);
 * ```
 */
export class MaxRestartsExceededError extends ModeError {
  constructor(
    readonly supervisor: string,
    readonly service: string,
    readonly restarts: number,
    readonly overMs: number,
    cause: unknown,
  ) {
    super(`${supervisor} gave up on ${service}: it crashed again after ${restarts} restart(s) within ${overMs}ms (maxRestarts ${restarts} over ${overMs}ms)`, { cause });
  }
}

/**
 * A supervision policy that cannot work as declared (a bad number, or a backoff so slow that
 * the restart limit could never be reached, so the service would retry forever).
 * @example
 * ```ts
 * try { new OneForOneSupervisor({ maxRestarts: 10, over: '5s' }); } catch (e) { if (e instanceof SupervisionPolicyError) … }
 * ```
 */
export class SupervisionPolicyError extends UsageError {}

/**
 * A service's stop hung past the supervisor's stop timeout during a restart: the stop was
 * given up on (its hook left to settle on its own) so the restart could go on.
 * @example
 * ```ts
 * app.on('service.stopAbandoned', (e) => console.warn(e.service.label, e.timeoutMs));
 * ```
 */
export class StopTimeoutError extends ModeError {
  constructor(
    readonly service: string,
    readonly timeoutMs: number,
  ) {
    super(`${service} did not stop within ${timeoutMs}ms; its stop was abandoned so the restart could go on`);
  }
}
