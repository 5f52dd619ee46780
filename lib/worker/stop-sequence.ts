// The Worker's one stop: Stopping..., every service stopped in reverse order, the work gathered, -Stopped!, within the shutdown deadline or forced.
import type { Application } from '../application/application.js';
import type { LogLevel } from '../lifecycle/state.js';
import type { Clock, ClockTimer } from '../utils/clock.js';
import { formatDuration } from '../utils/durations.js';
import type { Activity } from './activity.js';
import { describeUnstopped } from './dump.js';
import { ForcedStopError } from './errors.js';
import { ExitCode } from './exit-codes.js';

/** What the stop sequence needs from its Worker. */
export interface StopSequenceHost {
  readonly app: Application;
  readonly clock: Clock;
  readonly activity: Activity;
  readonly shutdownTimeoutMs: number;
  /** Logs one of the Worker's own lines. */
  say(level: LogLevel, message: string): void;
  /** Raises the exit status to at least `code`. */
  raise(code: number): void;
  /** Ends the run (the Worker's `run()` resolves). */
  finish(): void;
  /** The drain before a stop the Worker began (readiness fails, then a pause), if configured. */
  drain(): Promise<void> | undefined;
}

/**
 * Mode's graceful stop, once per run: `Stopping...`, the engine's stop in reverse dependency
 * order, `Gathering service tasks...`, `Gathering all futures...`, `-Stopped!`. The shutdown
 * deadline (armed as the stop or a rollback begins) or a second signal forces it: the error
 * names what was still stopping, the status is 1, and the run ends at once.
 * @example
 * ```ts
 * const stop = new StopSequence(host);
 * await stop.begin('signal');
 * ```
 */
export class StopSequence {
  #begun = false;
  #stopping: Promise<void> | undefined;
  #deadline: ClockTimer | undefined;
  #forced = false;

  constructor(private readonly host: StopSequenceHost) {}

  /** Whether the stop has begun (set before the engine is told, which may report it back at once). */
  get begun(): boolean {
    return this.#begun;
  }

  /** Whether the stop was forced (the deadline passed, or a second signal). */
  get forced(): boolean {
    return this.#forced;
  }

  /**
   * Begins the one stop of the run (later calls join it). `followingEngine`: the engine began it
   * (a crash, a Shutdowner, `app.stop()` from code) and the Worker follows; otherwise (a signal,
   * `worker.stop()`) the drain runs first, before any service stops.
   */
  begin(reason: string, followingEngine = false): Promise<void> {
    if (this.#begun) return this.#stopping ?? Promise.resolve();
    this.#begun = true;
    const drained = followingEngine ? undefined : this.host.drain();
    this.#stopping = drained ? drained.then(() => this.#stopServices(reason)) : this.#stopServices(reason);
    return this.#stopping;
  }

  #stopServices(reason: string): Promise<void> {
    if (this.#forced) return Promise.resolve();
    this.host.say('info', 'Stopping...');
    this.armDeadline();
    // Joins a stop the engine began itself; halts and rolls back a start in progress.
    const stopped = this.host.app.engine.stopAll(reason);
    this.host.say('info', 'Gathering service tasks...');
    return this.#complete(stopped);
  }

  async #complete(stopped: Promise<Error[]>): Promise<void> {
    const { app, say, raise } = this.host;
    const errors = await stopped;
    if (this.#forced) return;
    say('info', 'Gathering all futures...');
    await app.waitUntilStopped();
    this.disarmDeadline();
    if (this.#forced) return;
    if (errors.length) {
      say('error', `Stopped with ${errors.length} error(s): ${errors.map((e) => e.message).join('; ')}`);
      raise(ExitCode.FAILURE);
    }
    if (app.state === 'crashed') {
      say('error', `Stopped after a crash: ${app.crashReason?.message ?? 'unknown reason'}`);
      raise(ExitCode.FAILURE);
    }
    say('info', '-Stopped!');
    this.host.finish();
  }

  /** Arms the shutdown deadline (once; not for a zero or infinite timeout). */
  armDeadline(): void {
    const ms = this.host.shutdownTimeoutMs;
    if (this.#deadline !== undefined || !(ms > 0) || !Number.isFinite(ms)) return;
    this.#deadline = this.host.clock.setTimeout(() => this.force(`Shutdown timed out after ${formatDuration(ms)}`), ms);
  }

  /** Disarms the deadline (the stop ended, or the run did). */
  disarmDeadline(): void {
    if (this.#deadline !== undefined) this.host.clock.clearTimeout(this.#deadline);
  }

  /** Forces the stop: logs why and what was still stopping, status 1, the engine forced, the run ended. */
  force(why: string): void {
    if (this.#forced) return;
    this.#forced = true;
    this.disarmDeadline();
    const { app, activity, clock } = this.host;
    const error = new ForcedStopError(why, describeUnstopped(app.services, activity, clock.now()));
    this.host.say('error', error.message);
    this.host.raise(ExitCode.FAILURE);
    app.engine.force(error);
    this.host.finish();
  }
}
