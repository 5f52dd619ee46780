// A Clock that only moves when a test moves it: exact, instant timer tests.
import type { Clock, ClockTimer } from '../utils/clock.js';
import { type Duration, parseDuration } from '../utils/durations.js';

interface Pending {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

/**
 * Lets every queued promise reaction and `setImmediate` run before returning.
 * @example
 * ```ts
 * void app.start();
 * await flushMicrotasks();   // the start has run as far as it can without time passing
 * ```
 * @category Testing
 */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A {@link Clock} whose time advances only when told to. Timers fire in due order, each
 * seeing `now()` equal to its due time. The `…Async` methods let promise reactions run
 * between timers, which is what async code under test needs. Only code that waits on this
 * clock moves with it (see {@link ManualClock.runUntil}).
 *
 * @example
 * ```ts
 * const clock = new ManualClock();
 * const app = new Application(appModule, { clock });
 * const started = app.start();
 * await clock.advanceAsync('5s');   // hooks that sleep on the clock wake up
 * await started;
 * ```
 * @category Testing
 */
export class ManualClock implements Clock {
  #now: number;
  readonly #epoch: number;
  #queue: Pending[] = [];
  #ids = 0;

  /** @param startAt wall-clock time (ms since epoch, or a Date) that `now() === 0` maps to. */
  constructor(startAt: number | Date = Date.UTC(2026, 0, 1)) {
    this.#epoch = typeof startAt === 'number' ? startAt : startAt.getTime();
    this.#now = 0;
  }

  now(): number {
    return this.#now;
  }

  date(): Date {
    return new Date(this.#epoch + this.#now);
  }

  setTimeout(callback: () => void, ms: number): ClockTimer {
    const entry: Pending = { id: ++this.#ids, at: this.#now + Math.max(0, ms), callback };
    // Keep the queue ordered by due time, then by creation (stable, like Node's timers).
    let i = this.#queue.length;
    while (i > 0 && this.#queue[i - 1]!.at > entry.at) i--;
    this.#queue.splice(i, 0, entry);
    return entry;
  }

  clearTimeout(timer: ClockTimer): void {
    const i = this.#queue.indexOf(timer as Pending);
    if (i >= 0) this.#queue.splice(i, 1);
  }

  /** Number of timers waiting to fire. */
  get pending(): number {
    return this.#queue.length;
  }

  /** Due time of the next timer, or `undefined` when none is pending. */
  get nextAt(): number | undefined {
    return this.#queue[0]?.at;
  }

  /**
   * Moves time forward by `ms`, firing due timers synchronously, in order. Timers already
   * overdue (after a {@link ManualClock.jump}) fire at the current time: a late wake.
   */
  advance(duration: Duration): void {
    const until = this.#now + parseDuration(duration);
    for (let next = this.#queue[0]; next && next.at <= until; next = this.#queue[0]) {
      this.#queue.shift();
      this.#now = Math.max(this.#now, next.at);
      next.callback();
    }
    this.#now = Math.max(this.#now, until);
  }

  /**
   * Moves time forward without firing anything. The timers it skipped fire on the next
   * `advance(0)` / `advanceAsync(0)`, seeing the later time: that is how a test simulates
   * a late wake-up (a blocked event loop).
   */
  jump(duration: Duration): void {
    this.#now += parseDuration(duration);
  }

  /**
   * Moves time forward by `ms`; before each due timer and at the end, lets pending promise
   * reactions run, so async code woken by one timer can schedule the next.
   */
  async advanceAsync(duration: Duration): Promise<void> {
    const until = this.#now + parseDuration(duration);
    await flushMicrotasks();
    for (let next = this.#queue[0]; next && next.at <= until; next = this.#queue[0]) {
      this.#queue.shift();
      this.#now = Math.max(this.#now, next.at);
      next.callback();
      await flushMicrotasks();
    }
    this.#now = Math.max(this.#now, until);
    await flushMicrotasks();
  }

  /**
   * Fires timers one at a time (letting promise reactions run between them) until `done`
   * settles or no timer is left. Returns `done`'s outcome.
   *
   * It drives only hooks and work that wait on this clock, the one injected with
   * `new Application(m, { clock })`: hook timeouts, `@timer`, `@crontab`, supervisor backoff,
   * `Service.sleep()` and `wait()` timeouts, and your own waits when they use this same clock
   * (`sleepOn(clock, …)`). A hook that waits on anything else (real I/O, the global
   * `setTimeout`, `node:timers/promises`) is not moved forward: once no timer of this clock is
   * left, `runUntil` throws instead of waiting for it.
   *
   * @example
   * ```ts
   * const clock = new ManualClock();
   * const app = new Application(appModule, { clock });   // its hooks sleep with this.sleep('10s')
   * await clock.runUntil(app.start());                   // instant: fires the 10s timer at once
   * ```
   * @throws when no timer is left but `done` has not settled (the code under test hangs, or
   * waits on something other than this clock).
   */
  async runUntil<T>(done: Promise<T>, maxTimers = 1_000_000): Promise<T> {
    let settled = false;
    const watched = done.finally(() => {
      settled = true;
    });
    watched.catch(() => {});
    await flushMicrotasks();
    for (let fired = 0; !settled; fired++) {
      const next = this.#queue.shift();
      if (!next) throw new Error('ManualClock.runUntil: no timers left but the promise has not settled');
      if (fired >= maxTimers) throw new Error(`ManualClock.runUntil: gave up after ${maxTimers} timers`);
      this.#now = Math.max(this.#now, next.at);
      next.callback();
      await flushMicrotasks();
    }
    return watched;
  }
}
