// Mode's Service, camelCased: the object-oriented face of the lifecycle engine.
import { StopError, WaitTimeoutError } from '../errors/lifecycle.js';
import { toError } from '../errors/mode-error.js';
import { ServiceStateError } from '../errors/usage.js';
import { Lifecycle, type LifecycleOptions } from '../lifecycle/lifecycle.js';
import { declareOverridableHooks } from '../lifecycle/declarations.js';
import { type ShutdownOptions, shutdownRequest } from '../lifecycle/shutdowner.js';
import { runtimeOf } from '../lifecycle/runtime.js';
import { type Clock, sleepOn, systemClock } from '../utils/clock.js';
import { type Duration, parseDuration } from '../utils/durations.js';
import { iterTimer } from '../background/itertimer.js';
import { checkResource } from '../lifecycle/contexts.js';
import { addOwnedDependency, addRuntimeDependency, raceUntilStopped, removeDependency, settledBy } from './service-helpers.js';
import { ServiceBase } from './service-base.js';

export { forgetDependency } from './service-helpers.js';

/**
 * Mode's `Service`: a class you start, stop, restart and supervise. Override the hooks you
 * need; add the services yours depends on with {@link Service.addDependency} (they start
 * first and stop after) or let the container inject them.
 *
 * @example
 * ```ts
 * class PageViewCache extends Service {
 *   redis?: Redis;
 *   override async onStart() { this.redis = await connectToRedis(); }
 *   override async onStop() { await this.redis?.quit(); }
 * }
 *
 * class App extends Service {
 *   @cachedProperty get pageViewCache() { return new PageViewCache(); }
 *   override async onStart() { await this.addRuntimeDependency(this.pageViewCache); }
 * }
 *
 * const app = new App();
 * await app.start();   // App starts PageViewCache from its onStart
 * await app.stop();    // App stops first, then PageViewCache
 * ```
 * @category Services
 */
export class Service extends ServiceBase implements AsyncDisposable {
  get #clock(): Clock {
    return this.runtime.host?.clock ?? systemClock;
  }

  // ---- Lifecycle. ----

  /** The engine this service belongs to, if any. */
  get #engine(): Lifecycle | undefined {
    return this.runtime.host as Lifecycle | undefined;
  }

  /** Whether this service's start/stop/restart are its whole tree's (it is the root of its engine). */
  get #isRoot(): boolean {
    return this.#engine?.root === this.runtime;
  }

  /**
   * Starts the service after the services it depends on. Without an Application, the service
   * is the root of its own tree: its dependencies start first, in graph order.
   * @throws {@link ServiceStateError} if it is already starting or running.
   * @throws {@link StartError} if a hook fails (whatever had started is stopped again).
   */
  async start(options?: LifecycleOptions): Promise<void> {
    const runtime = this.runtime;
    if (runtime.state === 'starting' || runtime.state === 'running' || runtime.state === 'restarting') {
      throw new ServiceStateError(this.label, `start() called on ${this.label} while it is ${runtime.state}. Call start() once; use maybeStart() to start only if needed, or restart().`);
    }
    let engine = this.#engine;
    if (!engine) {
      engine = new Lifecycle(options);
      engine.root = runtime;
      engine.adopt(runtime);
    }
    if (this.#isRoot) await engine.startAll();
    else await engine.startNode(runtime);
  }

  /** Starts the service unless it is already started. Resolves to whether it started it. */
  async maybeStart(): Promise<boolean> {
    if (this.started) return false;
    await this.start();
    return true;
  }

  /**
   * Stops the service, then the dependencies it owns (those added with `addDependency` /
   * `addRuntimeDependency` that nothing else running needs). Services that depend on this
   * one are not stopped: stop the Application to stop in full reverse order. On the root of
   * a tree (or during its start) this stops the whole tree.
   * @throws {@link StopError} after everything stopped, if some hooks failed.
   */
  async stop(): Promise<void> {
    const engine = this.#engine;
    if (!engine) return;
    const errors = this.#isRoot ? await engine.stopAll() : await engine.stopNode(this.runtime);
    if (errors.length) throw new StopError(errors);
  }

  /**
   * Stop → onRestart → start, for this service and the dependencies it owns (on the root:
   * the whole tree). Transactional: if the new start fails, what started is stopped again
   * and this rejects with a `StartError`.
   */
  async restart(): Promise<void> {
    const engine = this.#engine;
    if (!engine) return this.start();
    if (this.#isRoot) return engine.restartAll();
    const errors = await engine.restartNode(this.runtime);
    if (errors.length) throw new StopError(errors);
  }

  /**
   * Asks the whole application to stop from inside, with an exit code and a reason the
   * Worker uses (see {@link Shutdowner}). Returns at once.
   * @throws {@link ServiceStateError} when the service is not part of a started app or tree.
   */
  shutdown(options?: ShutdownOptions): void {
    const engine = this.#engine;
    if (!engine) throw new ServiceStateError(this.label, `shutdown() called on ${this.label}, which has never been started; it has no application to stop.`);
    engine.requestShutdown(shutdownRequest(options));
  }

  /**
   * Crashes the service: it enters `crashed` with `error` as {@link Service.crashReason}, and
   * its supervisor restarts it or, with none, the whole application stops (exit status 1
   * under the Worker).
   */
  crash(error: unknown): void {
    this.runtime.crash(toError(error));
  }

  /** `await using service = …` stops it at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  // ---- The service tree. ----

  /**
   * Declares that this service needs `service`: it starts before this one and stops after.
   * Call it before the service starts (typically in the constructor); once running, use
   * {@link Service.addRuntimeDependency}.
   * @returns `service`, for chaining.
   */
  addDependency<T extends object>(service: T): T {
    addOwnedDependency(this.runtime, runtimeOf(service));
    return service;
  }

  /** {@link Service.addDependency} for several services. */
  addDependencies(...services: object[]): void {
    for (const service of services) this.addDependency(service);
  }

  /**
   * Adds a dependency while running: if this service is starting or running, `service`
   * starts at once (with what it needs) and resolves when it runs. It stops with this one.
   * @throws {@link ServiceStateError} if this service is stopping or stopped.
   */
  async addRuntimeDependency<T extends object>(service: T): Promise<T> {
    await addRuntimeDependency(this.runtime, runtimeOf(service));
    return service;
  }

  /**
   * Stops and removes a dependency (Mode's `remove_dependency`): `service` no longer starts
   * or stops with this one, and it is stopped now unless a service still running needs it.
   * @returns `service`, once stopped.
   * @throws {@link StopError} when its stop hooks failed (it is removed and stopped anyway).
   */
  async removeDependency<T extends object>(service: T): Promise<T> {
    await removeDependency(this.runtime, runtimeOf(service));
    return service;
  }

  // ---- Background work and waiting. ----

  /**
   * Tracks a promise as part of the current run: it is awaited when the service stops, and
   * if it rejects (other than by the stop's abort) the service crashes. Pass a function to
   * have it called with an AbortSignal of its own, which aborts when the service stops or
   * when the console cancels it (`cancel <id>`); a promise can only be listed, not cancelled.
   * @example
   * ```ts
   * this.addFuture((signal) => this.consume(signal));
   * ```
   */
  addFuture<T>(work: Promise<T> | ((signal: AbortSignal) => Promise<T>), name?: string): Promise<T> {
    const runtime = this.runtime;
    return typeof work === 'function' ? runtime.work.run(work, name) : runtime.work.add(work, name);
  }

  /**
   * Mode's `add_context`: holds a `Disposable` (a lock, a file handle, a subscription) until
   * this run's stop, which calls its `[Symbol.dispose]()` after the background work and
   * before `onShutdown`, last added first. Returns `resource`. A failure to release is a stop
   * error; the others are released anyway.
   * @example
   * ```ts
   * override onStart() { this.lock = this.addContext(this.locks.acquire('feed')); }
   * ```
   * @throws {@link UsageError} for an `AsyncDisposable` (use `addAsyncContext`) or anything without `[Symbol.dispose]`.
   */
  addContext<T extends Disposable>(resource: T): T {
    this.runtime.addContext(checkResource(this.label, resource, false));
    return resource;
  }

  /**
   * Mode's `add_async_context`: as {@link Service.addContext}, for an `AsyncDisposable` (or a
   * `Disposable`), awaited first when given as a promise; its `[Symbol.asyncDispose]()` is
   * awaited at the stop.
   * @example
   * ```ts
   * override async onStart() { this.db = await this.addAsyncContext(openPool(this.url)); }
   * ```
   */
  async addAsyncContext<T extends AsyncDisposable | Disposable>(resource: T | PromiseLike<T>): Promise<T> {
    const held = await resource;
    this.runtime.addContext(checkResource(this.label, held, true));
    return held;
  }

  /** Sleeps for `duration`, waking early (without error) when the service begins to stop. */
  async sleep(duration: Duration): Promise<void> {
    await sleepOn(this.#clock, parseDuration(duration, 'sleep duration'), this.signal);
  }

  /**
   * Waits for a promise (or an AbortSignal to abort). Rejects with the stop reason when the
   * service begins to stop first, and with {@link WaitTimeoutError} after `timeout`.
   */
  wait<T>(what: PromiseLike<T> | AbortSignal, options: { timeout?: Duration } = {}): Promise<T> {
    return raceUntilStopped([what], { signal: this.signal, clock: this.#clock, label: this.label, timeout: options.timeout }).then((r) => r.value as T);
  }

  /**
   * Waits for the first of several promises (or signals) to settle; resolves with its index
   * and value. Rejects like {@link Service.wait}.
   */
  waitFirst<T>(...what: Array<PromiseLike<T> | AbortSignal>): Promise<{
    /** Which of `what` settled first (its position in the arguments). */
    index: number;
    /** What it resolved to. */
    value: T;
  }> {
    return raceUntilStopped(what, { signal: this.signal, clock: this.#clock, label: this.label }) as Promise<{ index: number; value: T }>;
  }

  /**
   * Mode's `wait_for_stopped`: waits for `what` and resolves `false` when it settles first, or
   * `true` when the service stops or crashes first. Rejects when `what` rejects, and with
   * {@link WaitTimeoutError} after `timeout`.
   * @example
   * ```ts
   * if (await this.waitForStopped(this.reply)) return; // stopping: give up on the reply
   * ```
   */
  async waitForStopped(what: PromiseLike<unknown> | AbortSignal, options: { timeout?: Duration } = {}): Promise<boolean> {
    const run = this.signal;
    try {
      await this.wait(what, options);
      return false;
    } catch (error) {
      if (run.aborted && error === run.reason) return true;
      throw error;
    }
  }

  /**
   * Waits for all of several promises (or signals) and resolves with their values, in order
   * (Mode's `wait_many`). Rejects like {@link Service.wait}, or with the first rejection.
   * @example
   * ```ts
   * const [users, orders] = await this.waitMany([fetchUsers(), fetchOrders()], { timeout: '5s' });
   * ```
   */
  waitMany<T>(what: Iterable<PromiseLike<T> | AbortSignal>, options: { timeout?: Duration } = {}): Promise<unknown[]> {
    return this.wait(Promise.all([...what].map(settledBy)), options);
  }

  /**
   * Mode's `itertimer`: yields every `interval` the milliseconds it slept (Mode yields
   * seconds), on an anchored schedule (lateness never accumulates; a body that overruns a slot
   * gets the next iteration at once, with Mode's overlap warning). Ends when the service
   * begins to stop, at once, even mid-sleep.
   * @example
   * ```ts
   * @task() async poll() { for await (const slept of this.itertimer('1s')) await this.fetchOnce(); }
   * ```
   * An interval that is not a positive duration makes the first `next()` reject with a {@link DurationError}.
   */
  itertimer(interval: Duration, options: { name?: string } = {}): AsyncGenerator<number, void, undefined> {
    const warn = (message: string) => this.log.warning(message);
    return iterTimer(interval, { clock: this.#clock, signal: this.signal, shouldStop: () => this.shouldStop, name: options.name ?? `${this.label}.itertimer`, warn });
  }

  /** Resolves once the service has fully stopped (on the root of a tree: once the whole tree has). */
  waitUntilStopped(): Promise<void> {
    return this.#isRoot ? this.#engine!.waitUntilStopped() : this.runtime.waitUntilStopped();
  }
}

declareOverridableHooks(Service);
