// @timer and runTimer: Mode's drift-corrected periodic timer, anchored so lateness never accumulates.
import { DecoratorError, DurationError } from '../errors/usage.js';
import { type Clock, type ClockTimer, systemClock } from '../utils/clock.js';
import { type Duration, formatDuration, parseDuration } from '../utils/durations.js';
import { onAbort } from '../utils/abort.js';
import { applyingDecorator } from '../utils/stack.js';
import { callThen } from '../lifecycle/call.js';
import type { SignalMethodDecorator } from '../service/signal-method.js';
import { type BackgroundCallback, type BackgroundRun, checkOptions, decoratedMethod, declare } from './declare.js';

/**
 * Options of {@link timer} and {@link runTimer}.
 * @example
 * ```ts
 * @timer('5s', { execFirst: true, name: 'heartbeat', overlap: 'skip' }) beat() { … }
 * ```
 * @category Background work
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
   * Finish each wait by turning the event loop (`setImmediate`) for its last ~1.5 ms, so runs
   * start within a fraction of a millisecond of their slot rather than within Node's ~1 ms
   * timer granularity. Costs that much busy event loop per run. Default `false`: runs are
   * still anchored (no cumulative lag), each within about a millisecond of its slot.
   */
  precise?: boolean;
}

/**
 * What {@link runTimer} needs besides its options: when to stop, the clock, where to report.
 * @example
 * ```ts
 * runTimer(poll, '1s', { signal: this.signal, clock, warn: (m) => this.log.warning(m) });
 * ```
 * @category Background work
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
/** A precise timer leaves Node's timer this long before its slot and turns the event loop for the rest. */
const PRECISE_LEAD_MS = 1.5;

/**
 * On the system clock a timer's slots lie on a grid of a quarter of its interval (at most 1 s):
 * timers of one interval started a few milliseconds apart (a thousand services starting) then
 * wake the event loop together, not each on its own millisecond — on Node each wake-up costs
 * far more CPU than the runs it serves. The first run comes one interval after the start,
 * rounded up to the grid.
 */
const GRID_FRACTION = 0.25;
const MAX_GRID_MS = 1_000;

/** The first slot of a timer of `interval` started at `anchor`: one interval later, on the grid. */
export function firstSlot(anchor: number, interval: number): number {
  const grid = Math.min(interval * GRID_FRACTION, MAX_GRID_MS);
  return Math.ceil((anchor + interval) / grid) * grid;
}

/** Parses a timer interval: a duration, more than zero. */
export function timerInterval(interval: Duration, what: string): number {
  const ms = parseDuration(interval, what);
  if (ms <= 0) throw new DurationError(interval, what, "must be more than 0; write e.g. '1s' or '10/s'");
  return ms;
}

/** One running timer: runs due at `first + k × interval` (see {@link firstSlot}), never two at once, never before their slot. */
class TimerLoop {
  #stopping = false;
  #running = false;
  #due = 0;
  #runStart = 0;
  #lastEnd = 0;
  #lastRuntime = 0;
  #handle: ClockTimer | undefined;
  #spinning: NodeJS.Immediate | undefined;
  readonly #maxDrift: number;
  readonly #clock: Clock;
  readonly #wake = () => this.#woke();
  #resolve!: () => void;
  #reject!: (error: unknown) => void;
  #forgetAbort: (() => void) | undefined;

  constructor(
    private readonly fn: (this: unknown, signal: AbortSignal) => unknown,
    private readonly thisArg: unknown,
    private readonly interval: number,
    private readonly options: RunTimerOptions,
  ) {
    this.#clock = options.clock ?? systemClock;
    this.#maxDrift = interval >= DRIFT_LOG_MIN_INTERVAL_MS ? Math.min(interval * MAX_DRIFT_FRACTION, MAX_DRIFT_CEILING_MS) : Infinity;
  }

  /** The precise tail turns the real event loop: it applies on the system clock only (a test clock is exact anyway). */
  get #precise(): boolean {
    return this.options.precise === true && this.#clock === systemClock;
  }

  get #name(): string {
    return this.options.name ?? 'timer';
  }

  run(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
      const { signal } = this.options;
      if (signal.aborted) return resolve();
      this.#forgetAbort = onAbort(signal, () => this.#aborted());
      const anchor = this.#clock.now();
      this.#lastEnd = anchor;
      // A test clock and a precise timer keep the exact anchor; see GRID_FRACTION.
      this.#due = this.#clock === systemClock && !this.#precise ? firstSlot(anchor, this.interval) : anchor + this.interval;
      if (this.options.execFirst) {
        this.#due = anchor;
        this.#start(anchor);
      } else {
        this.#sleep();
      }
    });
  }

  #sleep(): void {
    const left = this.#due - this.#clock.now();
    const lead = this.#precise ? PRECISE_LEAD_MS : 0;
    this.#handle = this.#clock.setTimeout(this.#wake, Math.max(0, left - lead));
  }

  #woke(): void {
    this.#handle = this.#spinning = undefined;
    if (this.#stopping) return;
    const now = this.#clock.now();
    const early = this.#due - now;
    if (early <= 0) return this.#start(now);
    if (early >= this.#maxDrift) this.#driftWarning('early', `-${formatDuration(early)}`, now);
    // Early (an imprecise clock): a precise timer turns the event loop until the slot, others sleep the rest.
    if (this.#precise && early <= PRECISE_LEAD_MS * 2) this.#spinning = setImmediate(this.#wake);
    else this.#sleep();
  }

  #start(now: number): void {
    const late = now - this.#due;
    if (late >= this.#maxDrift) this.#driftWarning('late', `+${formatDuration(late)}`, now);
    // Whole slots missed (a blocked event loop): this one run stands for the latest of them.
    if (late >= this.interval) this.#due += Math.floor(late / this.interval) * this.interval;
    this.#running = true;
    this.#runStart = now;
    callThen(this.fn, this.thisArg, [this.options.signal], (error, failed) => (failed ? this.#fail(error) : this.#ran()));
  }

  #ran(): void {
    this.#running = false;
    const end = this.#clock.now();
    const runtime = end - this.#runStart;
    this.#lastEnd = end;
    this.#lastRuntime = runtime;
    if (this.#stopping) return this.#finish();
    const interval = this.interval;
    if (runtime > interval) {
      this.options.warn?.(`Timer ${this.#name} is overlapping (interval=${formatDuration(interval)} runtime=${formatDuration(runtime)})`);
    }
    let next = this.#due + interval;
    if (next <= end) {
      // Slots passed during the run: catch up once at once (due = the latest of them), or skip them.
      const latest = this.#due + Math.floor((end - this.#due) / interval) * interval;
      next = this.options.overlap === 'skip' ? latest + interval : latest;
    }
    this.#due = next;
    // Even a run due at once goes through the clock, so a timer that always overruns lets the event loop turn.
    this.#sleep();
  }

  #driftWarning(kind: 'late' | 'early', drift: string, now: number): void {
    this.options.warn?.(
      `Timer ${this.#name} woke up too ${kind}, with a drift of ${drift} ` +
        `runtime=${formatDuration(this.#lastRuntime)} sleeptime=${formatDuration(now - this.#lastEnd)}`,
    );
  }

  #cancelWake(): void {
    if (this.#handle !== undefined) this.#clock.clearTimeout(this.#handle);
    if (this.#spinning !== undefined) clearImmediate(this.#spinning);
    this.#handle = this.#spinning = undefined;
  }

  #aborted(): void {
    this.#stopping = true;
    this.#cancelWake();
    if (!this.#running) this.#finish();
  }

  #finish(): void {
    this.#forgetAbort?.();
    this.#resolve();
  }

  #fail(error: unknown): void {
    this.#running = false;
    this.#cancelWake();
    this.#forgetAbort?.();
    this.#reject(error);
  }
}

/**
 * Calls `callback` every `interval` until `signal` aborts, with Mode's Timer semantics made
 * exact: runs are due at `first + k × interval`, so a late wake shortens the next sleep and
 * an early one lengthens it — lateness never accumulates. The first call comes one interval
 * after the start, rounded up to a quarter-interval grid on the system clock so timers
 * started together wake together (exactly one interval on an injected clock or with
 * `precise`; at once with `execFirst`). When slots pass unserved (a call that overruns, a
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
 * @category Background work
 */
export function runTimer(callback: BackgroundCallback, interval: Duration, options: RunTimerOptions): Promise<void> {
  checkOverlap(options.overlap, 'runTimer()');
  const ms = timerInterval(interval, `interval of timer ${options.name ?? ''}`.trimEnd());
  return startTimer(callback, undefined, ms, options);
}

function startTimer(fn: (this: unknown, signal: AbortSignal) => unknown, thisArg: unknown, ms: number, options: RunTimerOptions): Promise<void> {
  return new TimerLoop(fn, thisArg, ms, options).run();
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
 * @category Background work
 */
export function timer(interval: Duration, options: TimerOptions = {}): SignalMethodDecorator {
  if (typeof interval === 'object' && interval !== null) {
    throw new DecoratorError("@timer needs an interval: write @timer('1s'), not @timer.");
  }
  checkOptions('@timer()', options, '{ execFirst: true }');
  checkOverlap(options.overlap, '@timer()');
  return (target, key, descriptor) =>
    applyingDecorator('@timer', key, () => {
      const method = decoratedMethod('@timer()', target, key, descriptor);
      const intervalMs = timerInterval(interval, `interval of @timer() on ${method.where}`);
      const name = options.name ?? method.where;
      const run: BackgroundRun = (fn, target, context) =>
        startTimer(fn as (this: unknown, signal: AbortSignal) => unknown, target, intervalMs, { ...options, name, signal: context.signal, clock: context.clock, warn: context.warn });
      declare(method, 'timer', options.name, run, { intervalMs, execFirst: options.execFirst ?? false });
    });
}
