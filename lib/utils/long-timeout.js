// @ts-check
// Node's timers overflow past 2^31-1 ms (they fire after 1 ms, with a TimeoutOverflowWarning): a timeout of any length, as a chain of shorter ones.
// Plain JavaScript with no imports, so the diagnostics threads use it from dist/ and from lib/ under vitest alike.

/** Node's timers overflow past this many milliseconds (and then fire after 1 ms). */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** A timeout longer than Node allows: a chain of timers, each at most {@link MAX_TIMER_DELAY_MS}. */
export class LongTimeout {
  /** @type {NodeJS.Timeout} */
  #timer;
  #unref = false;

  /**
   * @param {() => void} callback
   * @param {number} at when to call it, on `performance.now()`'s scale
   */
  constructor(callback, at) {
    this.callback = callback;
    this.at = at;
    this.#timer = this.#arm();
  }

  /** @returns {NodeJS.Timeout} */
  #arm() {
    const left = this.at - performance.now();
    const timer = left <= MAX_TIMER_DELAY_MS ? setTimeout(this.callback, Math.max(0, Math.ceil(left))) : setTimeout(() => (this.#timer = this.#arm()), MAX_TIMER_DELAY_MS);
    if (this.#unref) timer.unref();
    return timer;
  }

  /** Lets the process exit while it waits (as `timer.unref()`). */
  unref() {
    this.#unref = true;
    this.#timer.unref();
    return this;
  }

  clear() {
    clearTimeout(this.#timer);
  }
}

/**
 * `setTimeout` for any delay: Node's own timer up to {@link MAX_TIMER_DELAY_MS}, a
 * {@link LongTimeout} past it. A fractional delay rounds up (never early by the fraction).
 * Cancel it with {@link clearLongTimeout}.
 * @example
 * ```js
 * const timer = setLongTimeout(() => console.log('a month later'), 30 * 86_400_000).unref();
 * clearLongTimeout(timer);
 * ```
 * @param {() => void} callback
 * @param {number} ms
 * @returns {NodeJS.Timeout | LongTimeout}
 */
export function setLongTimeout(callback, ms) {
  return ms > MAX_TIMER_DELAY_MS ? new LongTimeout(callback, performance.now() + ms) : setTimeout(callback, Math.ceil(ms));
}

/**
 * Cancels a {@link setLongTimeout}; fired or unknown handles are ignored.
 * @example
 * ```js
 * clearLongTimeout(setLongTimeout(() => {}, 1_000));
 * ```
 * @param {NodeJS.Timeout | LongTimeout | undefined} timer
 */
export function clearLongTimeout(timer) {
  if (timer instanceof LongTimeout) timer.clear();
  else clearTimeout(timer);
}
