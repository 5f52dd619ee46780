// The one source of time: every timeout, timer, backoff and sleep asks a Clock.
import { onAbort } from './abort.js';
import { clearDeadline, Deadline, setDeadline } from './deadlines.js';

/** An opaque handle returned by {@link Clock.setTimeout}. */
export type ClockTimer = { readonly __clockTimer?: never } | object;

/**
 * Where mode-di gets time from. The engine, timers and timeouts never call `Date`,
 * `performance` or `setTimeout` directly, so a test can pass a {@link ManualClock} and
 * drive time exactly.
 *
 * @example
 * ```ts
 * const app = new Application(appModule, { clock: new ManualClock() });
 * ```
 */
export interface Clock {
  /** Monotonic time in milliseconds (fractional), for measuring and scheduling. */
  now(): number;
  /** Wall-clock time, for cron schedules and log timestamps. */
  date(): Date;
  /** Calls `callback` after `ms` milliseconds. */
  setTimeout(callback: () => void, ms: number): ClockTimer;
  /** Cancels a pending {@link Clock.setTimeout} or {@link Clock.setTimeoutAt}. Unknown or fired handles are ignored. */
  clearTimeout(timer: ClockTimer): void;
  /**
   * Optional: calls `callback` when {@link Clock.now} reaches `at` (absolute), never before,
   * passing the time the clock read when it began firing (callbacks due together share one
   * read). With `precise`, the system clock finishes the wait with a short event-loop tail
   * to get sub-millisecond precision (Node's own timers are only millisecond-precise).
   * Timers use it when present and fall back to {@link Clock.setTimeout}. `reuse` may be a
   * handle this method returned before whose callback has fired (or that was cleared), or an
   * object the caller offers for the purpose: the clock may recycle it rather than allocate
   * (returning it), or ignore it.
   *
   * @example
   * ```ts
   * clock.setTimeoutAt?.((now) => tick(now), clock.now() + 10, true);
   * ```
   */
  setTimeoutAt?(callback: (now: number) => void, at: number, precise?: boolean, reuse?: ClockTimer): ClockTimer;
}

/** The real clock: `performance.now()`, `new Date()` and Node's timers (one shared timer for `setTimeoutAt`). */
export const systemClock: Clock = {
  now: () => performance.now(),
  date: () => new Date(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => (timer instanceof Deadline ? clearDeadline(timer) : clearTimeout(timer as NodeJS.Timeout)),
  setTimeoutAt: (callback, at, precise, reuse) => setDeadline(callback, at, precise, reuse instanceof Deadline ? reuse : undefined),
};

/**
 * Resolves after `ms` on `clock`, or early (still resolving) when `signal` aborts.
 * Resolves to `true` when the full time elapsed, `false` when woken by the signal.
 */
export function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    // Every sleep on a signal shares its one listener (many at once trip no MaxListeners warning).
    const forget = signal
      ? onAbort(signal, () => {
          clock.clearTimeout(timer);
          resolve(false);
        })
      : undefined;
    const timer = clock.setTimeout(() => {
      forget?.();
      resolve(true);
    }, ms);
  });
}
