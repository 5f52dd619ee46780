// Restart policies: how many restarts within what window, and the backoff between them.
import { SupervisionPolicyError } from '../errors/supervision.js';
import { type Duration, formatDuration, parseDuration } from '../utils/durations.js';

/**
 * What a supervisor does when a service crashes. `'one-for-one'` restarts it;
 * `'rest-for-one'` restarts it and every service that depends on it, transitively;
 * `'one-for-all'` restarts the whole group; the `'forfeit-…'` ones give up (stop, no
 * restart); `'crashing'` lets the crash through to the parent (the app stops).
 * @example
 * ```ts
 * const strategy: SupervisionStrategy = 'rest-for-one';
 * ```
 * @category Supervision
 */
export type SupervisionStrategy = 'one-for-one' | 'one-for-all' | 'rest-for-one' | 'forfeit-one-for-one' | 'forfeit-one-for-all' | 'crashing';

/** Every strategy, for checking input. */
export const STRATEGIES: readonly SupervisionStrategy[] = ['one-for-one', 'one-for-all', 'rest-for-one', 'forfeit-one-for-one', 'forfeit-one-for-all', 'crashing'];

/**
 * OTP's restart types: `'permanent'` and `'transient'` services are restarted after a crash
 * (a permanent one also when it stops by itself while the app runs); `'temporary'` ones never
 * are (a crash stops them, and what needs them).
 * @example
 * ```ts
 * @supervised({ strategy: 'one-for-one', restart: 'transient' })
 * ```
 * @category Supervision
 */
export type RestartType = 'permanent' | 'transient' | 'temporary';

/**
 * Exponential backoff between restarts: the first restart comes at once, then `min`,
 * doubling (`factor`) up to `max`, each ± `jitter` (a fraction). Defaults: 1s, 30s, 2, 0.2.
 * @example
 * ```ts
 * const backoff: BackoffOptions = { min: '500ms', max: '10s', factor: 2, jitter: 0.1 };
 * ```
 * @category Supervision
 */
export interface BackoffOptions {
  /** The delay before the second restart (the first comes at once). Default `'1s'`. */
  min?: Duration;
  /** The longest delay, however many restarts came before. Default `'30s'`. */
  max?: Duration;
  /** What each delay is multiplied by for the next restart (1 or more). Default `2`. */
  factor?: number;
  /** How far each delay is randomly moved, as a fraction of it (0 up to, not including, 1). Default `0.2`. */
  jitter?: number;
}

/**
 * A restart policy, with Mode's names: at most `maxRestarts` within `over` (a sliding
 * window, as OTP's intensity), `backoff` between restarts, reset after `resetAfter` running
 * (default 60s), and `stopTimeout` (default 30s) after which a hung stop during a restart is
 * abandoned. Defaults: 5 restarts within 60s.
 * @example
 * ```ts
 * new OneForOneSupervisor({ maxRestarts: 3, over: '1m', backoff: { min: '2s' } });
 * ```
 * @category Supervision
 */
export interface RestartPolicyOptions {
  /** The most restarts allowed within `over`; one more crash escalates. Default `5`. */
  maxRestarts?: number;
  /** The sliding window the restarts are counted in. Default `'60s'`. */
  over?: Duration;
  /** The delays between restarts. */
  backoff?: BackoffOptions;
  /** How long a restarted service must run before its backoff starts again from the beginning. Default `'60s'`. */
  resetAfter?: Duration;
  /** How long a stop during a restart may hang before it is abandoned. Default `'30s'`. */
  stopTimeout?: Duration;
}

/**
 * A checked restart policy, in milliseconds: {@link RestartPolicyOptions} with the defaults
 * filled in (a supervisor's `policy`).
 * @example
 * ```ts
 * new OneForOneSupervisor({ over: '1m' }).policy.overMs; // 60000
 * ```
 * @category Supervision
 */
export interface RestartPolicy {
  /** The most restarts allowed within `overMs`. */
  readonly maxRestarts: number;
  /** The sliding window the restarts are counted in, in milliseconds. */
  readonly overMs: number;
  /** The delays between restarts, in milliseconds. */
  readonly backoff: {
    /** The delay before the second restart. */
    readonly minMs: number;
    /** The longest delay. */
    readonly maxMs: number;
    /** What each delay is multiplied by for the next. */
    readonly factor: number;
    /** How far each delay is randomly moved, as a fraction of it. */
    readonly jitter: number;
  };
  /** How long a restarted service must run before its backoff starts again, in milliseconds. */
  readonly resetAfterMs: number;
  /** How long a stop during a restart may hang before it is abandoned, in milliseconds. */
  readonly stopTimeoutMs: number;
}

/** The delay before restart number `attempt` (1 for the first, which comes at once), before jitter. */
export function nominalDelay(policy: Pick<RestartPolicy, 'backoff'>, attempt: number): number {
  if (attempt <= 1) return 0;
  const { minMs, maxMs, factor } = policy.backoff;
  return Math.min(maxMs, minMs * factor ** (attempt - 2));
}

/** The delay before restart number `attempt`, jittered by `random()` (a number in [0, 1)). */
export function backoffDelay(policy: RestartPolicy, attempt: number, random: () => number): number {
  const delay = nominalDelay(policy, attempt);
  return delay === 0 ? 0 : Math.max(0, delay * (1 + policy.backoff.jitter * (2 * random() - 1)));
}

function wholeNumber(value: unknown, what: string, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new SupervisionPolicyError(`${what} of ${where} must be a whole number from 0 up, got ${String(value)}.`);
  return value;
}

/**
 * Checks `options` and fills in the defaults. Refuses a policy whose backoff could never
 * exhaust its window: if the delays before `maxRestarts` restarts add up to more than `over`,
 * the limit never trips and a crashing service would retry forever.
 * @throws {@link SupervisionPolicyError} naming the setting and `where` it was declared.
 * @example
 * ```ts
 * restartPolicy({ maxRestarts: 3, over: '1m' }).backoff.minMs; // 1000
 * restartPolicy({ maxRestarts: 100, over: '1s' }); // SupervisionPolicyError: the backoff could never reach the limit
 * ```
 * @category Supervision
 */
export function restartPolicy(options: RestartPolicyOptions = {}, where = 'the supervisor'): RestartPolicy {
  if (typeof options !== 'object' || options === null) throw new SupervisionPolicyError(`The options of ${where} must be an object such as { maxRestarts: 5, over: '60s' }, got ${String(options)}.`);
  const backoff = options.backoff ?? {};
  const factor = backoff.factor ?? 2;
  const jitter = backoff.jitter ?? 0.2;
  if (typeof factor !== 'number' || !(factor >= 1)) throw new SupervisionPolicyError(`backoff.factor of ${where} must be a number of 1 or more, got ${String(factor)}.`);
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter < 1)) throw new SupervisionPolicyError(`backoff.jitter of ${where} must be a fraction from 0 up to (not including) 1, got ${String(jitter)}.`);
  const policy: RestartPolicy = {
    maxRestarts: wholeNumber(options.maxRestarts ?? 5, 'maxRestarts', where),
    overMs: parseDuration(options.over ?? '60s', `over of ${where}`),
    backoff: { minMs: parseDuration(backoff.min ?? '1s', `backoff.min of ${where}`), maxMs: parseDuration(backoff.max ?? '30s', `backoff.max of ${where}`), factor, jitter },
    resetAfterMs: parseDuration(options.resetAfter ?? '60s', `resetAfter of ${where}`),
    stopTimeoutMs: parseDuration(options.stopTimeout ?? '30s', `stopTimeout of ${where}`),
  };
  if (policy.overMs <= 0) throw new SupervisionPolicyError(`over of ${where} must be more than 0.`);
  if (policy.backoff.maxMs < policy.backoff.minMs) throw new SupervisionPolicyError(`backoff.max of ${where} (${formatDuration(policy.backoff.maxMs)}) is less than backoff.min (${formatDuration(policy.backoff.minMs)}).`);
  let total = 0;
  for (let attempt = 1; attempt <= policy.maxRestarts; attempt++) total += nominalDelay(policy, attempt);
  if (total > policy.overMs) {
    throw new SupervisionPolicyError(
      `The restart policy of ${where} can never reach its limit: ${policy.maxRestarts} restarts take ${formatDuration(total)} of backoff, ` +
        `more than the ${formatDuration(policy.overMs)} window (over), so a crashing service would retry forever. ` +
        `Lengthen over, lower maxRestarts, or shorten the backoff.`,
    );
  }
  return policy;
}
