// @timer and runTimer: Mode's drift-corrected periodic timer, anchored so lateness never accumulates.
import { DecoratorError, DurationError } from '../errors/usage.js';
import { type Clock, type ClockTimer, systemClock } from '../utils/clock.js';
import { type Duration, formatDuration, parseDuration } from '../utils/durations.js';
import { onAbort } from '../utils/abort.js';
import { Deadline } from '../utils/deadlines.js';
import { type BackgroundCallback, type BackgroundRun, checkOptions, decoratedMethod, declare } from './declare.js';

/**
 * Options of {@link timer} and {@link runTimer}.
 * @example
 * ```ts
 * @timer('5s', { execFirst: true, name: 'heartbeat', overlap: 'skip' }) beat() { … }
 * ```
 */
export interface TimerOptions {
  /** Run once at start instead of waiting one interval first. Default `false`. */
  execFirst?: boolean;
  /**
   * The name in log lines ("Timer <name> is overlapping …") and crash reports. Default:
   * `Class.method` in log lines (as Mode), the method's name in crash reports.
   */
  name?: string;
  /**
   * What follows a run that ends past the next slot. `'immediate'` (default): one catch-up
   * run starts right after it (however many slots passed), then the schedule goes on.
   * `'skip'`: the passed slots are skipped and the next run waits for the next slot. Runs
   * never overlap either way, and the schedule keeps its phase.
   */
  overlap?: 'immediate' | 'skip';
  /**
   * Finish each wait with a short event-loop tail so runs start within microseconds of
   * their slot rather than within Node's ~1 ms timer granularity. Costs about 1-2 ms of busy
   * event loop per run, the last 1 ms of it holding the loop (so another callback falling
   * due then cannot delay the run). Default: `true` for intervals under 100 ms. A timer that
   * is not precise may have its first run up to a quarter of its interval (at most 1 s) later
   * than one interval, in phase with the other timers of that interval started within that
   * window, so that they share their wake-ups.
   */
  precise?: boolean;
}

/**
 * What {@link runTimer} needs besides its options: when to stop, the clock, where to report.
 * @example
 * ```ts
 * runTimer(poll, '1s', { signal: this.signal, clock, warn: (m) => this.log.warning(m) });
 * ```
 */
export interface RunTimerOptions extends TimerOptions {
  /** Stops the timer: a sleep ends at once, a run in flight is awaited. */
  signal: AbortSignal;
  /** Where time comes from. Default: the system clock. */
  clock?: Clock;
  /** Receives Mode's warnings (overlap, drift). */
  warn?: (message: string) => void;
}

/** Mode's bound for logging drift: 30% of the interval, at most 1.2 s; sub-second timers never log it. */
const MAX_DRIFT_FRACTION = 0.3;
const MAX_DRIFT_CEILING_MS = 1_200;
const DRIFT_LOG_MIN_INTERVAL_MS = 1_000;
/** Intervals shorter than this get the precise wait by default. */
const PRECISE_BELOW_MS = 100;
/**
 * A coarse timer's first run may come this much (a quarter of its interval, at most 1 s) after
 * one interval, so that timers of the same interval started within that window share their
 * first slot, and so every wake-up after it: on Node each wake-up of the event loop costs
 * far more CPU than the runs it serves. (A fixed grid instead would split a thousand
 * services starting across one of its lines into two groups, doubling the wake-ups.)
 */
const PHASE_SLACK_FRACTION = 0.25;
const MAX_PHASE_SLACK_MS = 1_000;
/** Per clock, per interval: the first slot of the last group of coarse timers. */
const phaseGroups = new WeakMap<Clock, Map<number, number>>();

/** The first slot of a coarse timer of `interval` anchored at `anchor`: its group's, or a new group's. */
function groupSlot(clock: Clock, interval: number, anchor: number): number {
  let groups = phaseGroups.get(clock);
  if (!groups) phaseGroups.set(clock, (groups = new Map()));
  const earliest = anchor + interval;
  const slack = Math.min(interval * PHASE_SLACK_FRACTION, MAX_PHASE_SLACK_MS);
  const slot = groups.get(interval);
  if (slot !== undefined && slot >= earliest && slot <= earliest + slack) return slot;
  groups.set(interval, earliest + slack);
  return earliest + slack;
}

/** The fallback `setTimeout` path sleeps in steps no longer than Node's timer limit. */
const MAX_STEP_MS = 2 ** 31 - 1;

/** The callback of a timer's own deadline, never called: the timer overrides `fire`. */
const noWake = (): void => {};

/** Parses a timer interval: a duration, more than zero. */
export function timerInterval(interval: Duration, what: string): number {
  const ms = parseDuration(interval, what);
  if (ms <= 0) throw new DurationError(interval, what, "must be more than 0; write e.g. '1s' or '10/s'");
  return ms;
}

/**
 * One running timer: a small state machine, so a synchronous callback costs no promise per
 * run. It offers itself to the clock as the handle to recycle: the system clock then arms
 * the timer itself as its deadline (it extends {@link Deadline} and overrides `fire`), so a
 * run reaches it without a closure, and with the fields a run touches first, a thousand timers
 * woken together touch as little memory as Node's own timer objects would. Other clocks
 * ignore the offer and call `#onWake`.
 */
class TimerLoop extends Deadline {
  // What every run reads or writes.
  #stopping = false;
  #running = false;
  #due = 0;
  #runStart = 0;
  #lastEnd = 0;
  #lastRuntime = 0;
  readonly #interval: number;
  readonly #maxDrift: number;
  /** Called as `fn.call(thisArg, signal)`: a decorated method is not bound (one object less per run). */
  readonly #fn: (this: unknown, signal: AbortSignal) => unknown;
  readonly #thisArg: unknown;
  readonly #signal: AbortSignal;
  readonly #clock: Clock;
  readonly #precise: boolean;
  readonly #skip: boolean;
  #handle: ClockTimer | undefined;
  // The rest.
  #wakeAt = 0;
  /** The last handle, fired or cleared (at first the timer itself): the clock may recycle it for the next wait. */
  #spent: ClockTimer = this;
  readonly #name: string;
  readonly #warn: ((message: string) => void) | undefined;
  #resolve!: () => void;
  #reject!: (error: unknown) => void;
  #forgetAbort: (() => void) | undefined;
  readonly #onWake = (now?: number): void => this.#wake(now ?? this.#clock.now());
  /** Callbacks for asynchronous runs, made on first use. */
  #onRunEnd: (() => void) | undefined;
  #onRunError: ((error: unknown) => void) | undefined;

  constructor(fn: (this: unknown, signal: AbortSignal) => unknown, thisArg: unknown, intervalMs: number, options: RunTimerOptions) {
    super(noWake);
    this.#fn = fn;
    this.#thisArg = thisArg;
    this.#interval = intervalMs;
    this.#name = options.name ?? 'timer';
    this.#clock = options.clock ?? systemClock;
    this.#signal = options.signal;
    this.#skip = options.overlap === 'skip';
    this.#precise = options.precise ?? intervalMs < PRECISE_BELOW_MS;
    this.#warn = options.warn;
    this.#maxDrift = intervalMs >= DRIFT_LOG_MIN_INTERVAL_MS ? Math.min(intervalMs * MAX_DRIFT_FRACTION, MAX_DRIFT_CEILING_MS) : Infinity;
  }

  /** The system clock reached the deadline this timer is. */
  override fire(now: number): void {
    this.#wake(now);
  }

  run(execFirst: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
      if (this.#signal.aborted) return resolve();
      this.#forgetAbort = onAbort(this.#signal, () => this.#aborted());
      const anchor = this.#clock.now();
      this.#lastEnd = anchor;
      const firstSlot = this.#precise ? anchor + this.#interval : groupSlot(this.#clock, this.#interval, anchor);
      if (execFirst) {
        this.#due = firstSlot - this.#interval;
        this.#start(anchor);
      } else {
        this.#due = firstSlot;
        this.#sleep();
      }
    });
  }

  #sleep(): void {
    const clock = this.#clock;
    const due = this.#due;
    this.#wakeAt = due;
    if (clock.setTimeoutAt) {
      this.#handle = this.#spent = clock.setTimeoutAt(this.#onWake, due, this.#precise, this.#spent);
    } else {
      const now = clock.now();
      this.#wakeAt = Math.min(due, now + MAX_STEP_MS);
      this.#handle = clock.setTimeout(this.#onWake, this.#wakeAt - now);
    }
  }

  #wake(now: number): void {
    this.#handle = undefined;
    if (this.#stopping) return;
    if (now < this.#due) {
      // Woke early (an imprecise clock, or a long wait taken in steps): sleep the rest.
      const early = this.#wakeAt - now;
      if (early >= this.#maxDrift) this.#driftWarning('early', `-${formatDuration(early)}`, now);
      this.#sleep();
      return;
    }
    this.#start(now);
  }

  #start(now: number): void {
    const late = now - this.#due;
    if (late > 0) {
      if (late >= this.#maxDrift) this.#driftWarning('late', `+${formatDuration(late)}`, now);
      // Whole slots missed (a blocked event loop): this one run stands for the latest of them.
      if (late >= this.#interval) this.#due += Math.floor(late / this.#interval) * this.#interval;
    }
    this.#running = true;
    this.#runStart = now;
    let result: unknown;
    try {
      result = this.#fn.call(this.#thisArg, this.#signal);
    } catch (error) {
      this.#fail(error);
      return;
    }
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
      (result as PromiseLike<unknown>).then((this.#onRunEnd ??= () => this.#ran()), (this.#onRunError ??= (error: unknown) => this.#fail(error)));
    } else {
      this.#ran();
    }
  }

  #ran(): void {
    this.#running = false;
    const end = this.#clock.now();
    const runtime = end - this.#runStart;
    this.#lastEnd = end;
    this.#lastRuntime = runtime;
    if (this.#stopping) return this.#finish();
    const interval = this.#interval;
    if (runtime > interval) {
      this.#warn?.(`Timer ${this.#name} is overlapping (interval=${formatDuration(interval)} runtime=${formatDuration(runtime)})`);
    }
    let next = this.#due + interval;
    if (next <= end) {
      // Slots passed during the run: catch up once at once (due = the latest of them), or skip them.
      const latest = this.#due + Math.floor((end - this.#due) / interval) * interval;
      next = this.#skip ? latest + interval : latest;
    }
    this.#due = next;
    // Even a run due at once goes through the clock, so a timer that always overruns still
    // lets the event loop turn between runs.
    this.#sleep();
  }

  #driftWarning(kind: 'late' | 'early', drift: string, now: number): void {
    this.#warn?.(
      `Timer ${this.#name} woke up too ${kind}, with a drift of ${drift} ` +
        `runtime=${formatDuration(this.#lastRuntime)} sleeptime=${formatDuration(now - this.#lastEnd)}`,
    );
  }

  #aborted(): void {
    this.#stopping = true;
    if (this.#handle !== undefined) {
      this.#clock.clearTimeout(this.#handle);
      this.#handle = undefined;
    }
    if (!this.#running) this.#finish();
  }

  #finish(): void {
    this.#forgetAbort?.();
    this.#resolve();
  }

  #fail(error: unknown): void {
    this.#running = false;
    if (this.#handle !== undefined) this.#clock.clearTimeout(this.#handle);
    this.#handle = undefined;
    this.#forgetAbort?.();
    this.#reject(error);
  }
}

/**
 * Calls `callback` every `interval` until `signal` aborts, with Mode's Timer semantics made
 * exact: runs are due at `start + k × interval`, so a late wake shortens the next sleep and
 * an early one lengthens it — lateness never accumulates. The first call comes after one
 * interval (at once with `execFirst`). When slots pass unserved (a call that overruns, a
 * blocked event loop), one catch-up call runs at once and the schedule goes on; a call that
 * overruns is reported ("Timer X is overlapping"). Calls never overlap. Resolves once
 * stopped (after a call in flight settles); rejects with the first error a call throws.
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * const done = runTimer(() => console.log('tick'), '1s', { signal: stop.signal, name: 'ticker' });
 * // later
 * stop.abort();
 * await done;
 * ```
 */
export function runTimer(callback: BackgroundCallback, interval: Duration, options: RunTimerOptions): Promise<void> {
  checkOverlap(options.overlap, 'runTimer()');
  const ms = timerInterval(interval, `interval of timer ${options.name ?? ''}`.trimEnd());
  return startTimer(callback, undefined, ms, options);
}

function startTimer(fn: (this: unknown, signal: AbortSignal) => unknown, thisArg: unknown, ms: number, options: RunTimerOptions): Promise<void> {
  return new TimerLoop(fn, thisArg, ms, options).run(options.execFirst ?? false);
}

function checkOverlap(overlap: unknown, where: string): void {
  if (overlap !== undefined && overlap !== 'immediate' && overlap !== 'skip') {
    throw new DecoratorError(`${where} got overlap: ${JSON.stringify(overlap)}; use 'immediate' (the default) or 'skip'.`);
  }
}

/**
 * Runs a method periodically while its service runs (Mode's `@Service.timer`). The interval
 * is a duration (`'1s'`, `'250ms'`, `'10/s'`, or milliseconds). Timers begin after `onStart`
 * on every (re)start, and stop (awaiting a run in flight) when the service stops. The method
 * gets the service's AbortSignal; if it throws, the service crashes. See {@link runTimer}
 * for the schedule and {@link TimerOptions} for the options.
 *
 * @example
 * ```ts
 * @injectable() class PageViewCache {
 *   @timer('1s') async refresh(signal: AbortSignal) { this.data = await fetchCounts({ signal }); }
 *   @timer('10/s', { execFirst: true, name: 'flush' }) flush() { this.buffer.flush(); }
 * }
 * ```
 */
export function timer(interval: Duration, options: TimerOptions = {}): MethodDecorator {
  if (typeof interval === 'object' && interval !== null) {
    throw new DecoratorError("@timer needs an interval: write @timer('1s'), not @timer.");
  }
  checkOptions('@timer()', options, '{ execFirst: true }');
  checkOverlap(options.overlap, '@timer()');
  return (target, key, descriptor) => {
    const method = decoratedMethod('@timer()', target, key, descriptor);
    const intervalMs = timerInterval(interval, `interval of @timer() on ${method.where}`);
    const name = options.name ?? method.where;
    const run: BackgroundRun = (fn, target, context) =>
      startTimer(fn as (this: unknown, signal: AbortSignal) => unknown, target, intervalMs, { ...options, name, signal: context.signal, clock: context.clock, warn: context.warn });
    declare(method, 'timer', options.name, run, { intervalMs, execFirst: options.execFirst ?? false });
  };
}
