// The one source of time: every timeout, timer, backoff and sleep asks a Clock.

/** An opaque handle returned by {@link Clock.setTimeout}. */
export type ClockTimer = { readonly __clockTimer?: never } | object;

/**
 * Where mode-di gets time from. The engine, timers and timeouts never call `Date`,
 * `performance` or `setTimeout` directly, so a test can pass a {@link ManualClock} and
 * drive time exactly.
 *
 * @example
 * const app = new Application(appModule, { clock: new ManualClock() });
 */
export interface Clock {
  /** Monotonic time in milliseconds (fractional), for measuring and scheduling. */
  now(): number;
  /** Wall-clock time, for cron schedules and log timestamps. */
  date(): Date;
  /** Calls `callback` after `ms` milliseconds. */
  setTimeout(callback: () => void, ms: number): ClockTimer;
  /** Cancels a pending {@link Clock.setTimeout}. Unknown or fired handles are ignored. */
  clearTimeout(timer: ClockTimer): void;
}

/** The real clock: `performance.now()`, `new Date()` and Node's timers. */
export const systemClock: Clock = {
  now: () => performance.now(),
  date: () => new Date(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

/**
 * Resolves after `ms` on `clock`, or early (still resolving) when `signal` aborts.
 * Resolves to `true` when the full time elapsed, `false` when woken by the signal.
 */
export function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clock.clearTimeout(timer);
      resolve(false);
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
