// The one source of time: every timeout, timer, backoff and sleep asks a Clock.
import { onAbort } from './abort.js';
import { clearLongTimeout, type LongTimeout, setLongTimeout } from './long-timeout.js';

/**
 * An opaque handle returned by {@link Clock.setTimeout}.
 * @example
 * ```ts
 * const timer: ClockTimer = clock.setTimeout(() => console.log('late'), 1_000);
 * clock.clearTimeout(timer);
 * ```
 * @category Utilities
 */
export type ClockTimer =
  | {
      /** Marks the type; never set. */
      readonly __clockTimer?: never;
    }
  | object;

/**
 * Where mode-di gets time from. The engine, timers and timeouts never call `Date`,
 * `performance` or `setTimeout` directly, so a test can pass a {@link ManualClock} and
 * drive time exactly.
 *
 * @example
 * ```ts
 * const app = new Application(appModule, { clock: new ManualClock() });
 * ```
 * @category Utilities
 */
export interface Clock {
  /** Monotonic time in milliseconds (fractional), for measuring and scheduling. */
  now(): number;
  /** Wall-clock time, for cron schedules and log timestamps. */
  date(): Date;
  /** Calls `callback` after `ms` milliseconds, however long that is. */
  setTimeout(callback: () => void, ms: number): ClockTimer;
  /** Cancels a pending {@link Clock.setTimeout}. Unknown or fired handles are ignored. */
  clearTimeout(timer: ClockTimer): void;
}

/**
 * The real clock: `performance.now()`, `new Date()` and Node's timers (chained past Node's
 * 2³¹−1 ms limit, so `'30d'` means thirty days).
 * @example
 * ```ts
 * systemClock.setTimeout(() => console.log('a month later'), 30 * 86_400_000);
 * ```
 * @category Utilities
 */
export const systemClock: Clock = {
  now: () => performance.now(),
  date: () => new Date(),
  // Node's timers count whole milliseconds and keep one list per distinct delay: a fractional
  // delay rounds up (a wake is then never early by the fraction) and reuses the lists.
  setTimeout: (callback, ms) => setLongTimeout(callback, ms),
  clearTimeout: (timer) => clearLongTimeout(timer as NodeJS.Timeout | LongTimeout),
};

/**
 * Resolves after `ms` on `clock`, or early (still resolving) when `signal` aborts.
 * Resolves to `true` when the full time elapsed, `false` when woken by the signal.
 * @example
 * ```ts
 * const slept = await sleepOn(systemClock, 1_000, controller.signal);
 * ```
 * @category Utilities
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
