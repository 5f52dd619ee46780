// The lifecycle engine: a start that records what started, a stop that unwinds exactly that, and crash routing.
import { HookError, StartError, StartInterruptedError } from '../errors/lifecycle.js';
import { CycleError } from '../errors/plan.js';
import { ServiceStateError, UsageError } from '../errors/usage.js';
import { type Clock, systemClock } from '../utils/clock.js';
import { joinable } from '../utils/deferred.js';
import { type Duration, parseOptionalDuration } from '../utils/durations.js';
import { LifecycleEvents } from './event-stream.js';
import { type EdgeKind, ServiceGraph } from './graph.js';
import type { RuntimeHost, ServiceRuntime } from './runtime.js';
import { startAlong, stopAlong } from './scheduler.js';
import { addRuntimeDependency, ownedSet, restartNode, startNode } from './node-operations.js';
import { StartAttempt } from './start-attempt.js';
import { addInitDependencies } from './init-dependencies.js';

/**
 * Settings of the lifecycle engine, shared by `Application` and standalone services.
 * @example
 * ```ts
 * const options: LifecycleOptions = { concurrency: 1, hookTimeout: '30s' };
 * ```
 * @category Lifecycle
 */
export interface LifecycleOptions {
  /** Where time comes from (default: the system clock). Pass a `ManualClock` in tests. */
  clock?: Clock;
  /** How many services may start or stop at once. Default: unlimited; `1` is sequential. */
  concurrency?: number;
  /** Default timeout of every hook that sets none itself. Default: none. */
  hookTimeout?: Duration;
}

/**
 * The state of a whole application.
 * @example
 * ```ts
 * if (app.state === 'crashed') console.error(app.crashReason);
 * ```
 * @category Lifecycle
 */
export type AppState = 'init' | 'starting' | 'running' | 'stopping' | 'shutdown' | 'crashed';

/** What a {@link Shutdowner} asked for: the exit code the Worker uses, and why. */
export interface ShutdownRequest {
  readonly exitCode: number;
  readonly reason: string | undefined;
}

/**
 * The engine. Holds the dependency graph, starts it along its edges (dependencies first,
 * independent branches concurrently) and stops it in reverse, transactionally: what started
 * is a record (`startedOrder`), and stop, rollback and restart unwind exactly that. Emits
 * typed events and never logs.
 */
export class Lifecycle implements RuntimeHost {
  readonly graph = new ServiceGraph();
  readonly events = new LifecycleEvents();
  readonly clock: Clock;
  readonly hookTimeoutMs: number | undefined;
  readonly concurrency: number;
  /** The service whose own `start()` / `stop()` / `restart()` are the whole app's (a Mode-style root). */
  root: ServiceRuntime | undefined;
  state: AppState = 'init';
  crashReason: Error | undefined;
  /** Set when a {@link Shutdowner} asked the app to stop. */
  shutdownRequest: ShutdownRequest | undefined;
  /** Every service whose start began and that has not stopped since, in the order the starts began. */
  readonly startedOrder = new Set<ServiceRuntime>();
  readonly #force = new AbortController();
  #attempt: StartAttempt | undefined;
  #stopping: Promise<Error[]> | undefined;
  #restarting: Promise<void> | undefined;
  #restart: { halted: boolean } | undefined;
  #waiters: Array<() => void> = [];
  #validVersion = -1;

  constructor(options: LifecycleOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.hookTimeoutMs = parseOptionalDuration(options.hookTimeout, 'hookTimeout');
    const concurrency = options.concurrency ?? Infinity;
    if (!(concurrency >= 1)) throw new UsageError(`concurrency must be 1 or more (or left out for no limit), got ${String(concurrency)}.`);
    this.concurrency = concurrency;
  }

  /** Aborts when the stop is forced: stop hooks and background work still running are abandoned. */
  get forceSignal(): AbortSignal {
    return this.#force.signal;
  }

  depthOf(node: ServiceRuntime): number {
    return this.graph.has(node) ? this.graph.depthOf(node.index) : 1;
  }

  startBegan(node: ServiceRuntime): void {
    this.startedOrder.delete(node);
    this.startedOrder.add(node);
  }

  stopEnded(node: ServiceRuntime): void {
    this.startedOrder.delete(node);
  }

  /** Adds `node` (and, transitively, the Mode-style children it owns) to the graph; returns its index. */
  adopt(node: ServiceRuntime): number {
    if (node.host === this && this.graph.has(node)) return node.index;
    if (node.host && node.host !== this) {
      throw new ServiceStateError(node.label, `${node.label} already belongs to another application or service tree; a service can be part of one only.`);
    }
    node.host = this;
    addInitDependencies(node);
    const index = this.graph.add(node);
    for (const child of node.children) this.graph.link(index, this.adopt(child), 'owned');
    return index;
  }

  /** Adds an edge: `from` depends on `to`. */
  link(from: ServiceRuntime, to: ServiceRuntime, kind: EdgeKind): void {
    this.graph.link(this.adopt(from), this.adopt(to), kind);
  }

  /** Throws {@link CycleError} if the graph has a cycle. Checked once per change of the graph. */
  validate(): void {
    if (this.#validVersion === this.graph.version) return;
    const cycle = this.graph.findCycle();
    if (cycle) throw new CycleError(cycle.map((i) => this.graph.nodes[i]!.label));
    this.#validVersion = this.graph.version;
  }

  /**
   * Starts every service along the graph, after `prepare` (which builds the graph). If
   * anything fails, or a stop is asked for meanwhile, stops what started (in reverse) and
   * rejects: {@link StartError} or {@link StartInterruptedError}. Waits for a stop in progress.
   */
  startAll(prepare?: () => Promise<void>): Promise<void> {
    if (this.#attempt || this.state === 'running') {
      return Promise.reject(new ServiceStateError('application', `start() called while the application is ${this.state}; call it once, or stop() first.`));
    }
    if (this.#stopping) return this.#stopping.then(() => this.startAll(prepare));
    const attempt = (this.#attempt = new StartAttempt(this.startedOrder, this.state));
    this.state = 'starting';
    this.crashReason = undefined;
    this.shutdownRequest = undefined;
    return this.#start(attempt, prepare).finally(() => {
      this.#attempt = undefined;
      attempt.settled();
    });
  }

  async #start(attempt: StartAttempt, prepare: (() => Promise<void>) | undefined): Promise<void> {
    const t0 = this.clock.now();
    try {
      await prepare?.();
      this.validate();
    } catch (error) {
      // Nothing has started: a first start that fails here leaves the app as it was.
      if (attempt.stateBefore === 'init') this.state = 'init';
      this.#stopped();
      throw error;
    }
    if (!attempt.halted) {
      const all = [...this.graph.nodes.keys()].filter((i) => this.graph.nodes[i]!.state !== 'running');
      this.events.emit({ type: 'app.starting', services: this.graph.size });
      attempt.failures.push(...(await startAlong(this.graph, all, { concurrency: this.concurrency, halted: () => attempt.halted })));
    }
    if (attempt.failures.length > 0 || attempt.halted) {
      if (attempt.failures.length > 0) this.events.emit({ type: 'app.rollingBack', errors: attempt.failures });
      attempt.rollbackErrors = await this.#unwind(attempt.failures.length > 0 ? 'rollback' : attempt.haltReason);
      throw attempt.failures.length > 0 ? new StartError(attempt.failures, attempt.rollbackErrors) : new StartInterruptedError();
    }
    this.state = 'running';
    this.events.emit({ type: 'app.started', durationMs: this.clock.now() - t0 });
  }

  /**
   * Stops every service that started, each after everything that depends on it. Never
   * rejects: resolves with every stop error (the rest still stopped). A start (or restart) in
   * progress is halted and rolled back instead; a stop in progress is joined.
   */
  stopAll(reason = 'stop'): Promise<Error[]> {
    if (this.#restart) this.#restart.halted = true;
    return this.#stop(reason);
  }

  #stop(reason: string): Promise<Error[]> {
    if (this.#stopping) return this.#stopping;
    const attempt = this.#attempt;
    if (attempt) {
      attempt.halt(reason);
      return attempt.done.then(() => attempt.rollbackErrors);
    }
    if (this.startedOrder.size === 0 && this.state !== 'running' && this.state !== 'crashed') return Promise.resolve([]);
    return this.#unwind(reason);
  }

  /** Unwinds the record of what started: stops it in reverse, along the graph. */
  #unwind(reason: string): Promise<Error[]> {
    return joinable((p) => (this.#stopping = p), () => this.#unwindAll(reason).finally(() => (this.#stopping = undefined)));
  }

  async #unwindAll(reason: string): Promise<Error[]> {
    const t0 = this.clock.now();
    this.state = 'stopping';
    this.events.emit({ type: 'app.stopping', reason });
    const errors: Error[] = [];
    // Work started while stopping (a runtime dependency of a service still stopping) is unwound too.
    while (this.startedOrder.size > 0 && !this.#force.signal.aborted) errors.push(...(await this.stopServices([...this.startedOrder])));
    this.#stopped();
    this.events.emit({ type: 'app.stopped', durationMs: this.clock.now() - t0, errors });
    return errors;
  }

  /** The app is stopped: its state says how, and whoever waits for it is told. */
  #stopped(): void {
    if (this.state !== 'init') this.state = this.crashReason ? 'crashed' : 'shutdown';
    for (const resolve of this.#waiters.splice(0)) resolve();
  }

  /** Stops `members` along the graph; among those ready, the last started first. */
  stopServices(members: Iterable<ServiceRuntime>): Promise<Error[]> {
    const set = new Set(members);
    const order = [...this.startedOrder].reverse().filter((node) => set.delete(node));
    order.push(...set);
    return stopAlong(this.graph, order.map((node) => this.adopt(node)), this.concurrency);
  }

  /**
   * Stop → onRestart (every service) → start, transactional like {@link Lifecycle.startAll}.
   * A stop asked for meanwhile cancels the start. Joins a restart in progress.
   */
  restartAll(): Promise<void> {
    if (this.#restarting) return this.#restarting;
    const restart = (this.#restart = { halted: false });
    return joinable((p) => (this.#restarting = p), async () => {
      await this.#stop('restart');
      if (restart.halted) throw new StartInterruptedError();
      await this.startAll(async () => {
        try {
          for (const node of this.graph.nodes) await node.restarting();
        } catch (error) {
          throw new StartError([error as HookError]);
        }
      });
    }).finally(() => {
      this.#restarting = undefined;
      this.#restart = undefined;
    });
  }

  /** Aborts the signal given to stop hooks still running: the stop is forced. */
  force(reason: Error): void {
    this.#force.abort(reason);
    this.#attempt?.halt('forced');
  }

  /** Resolves when the application has stopped (after a stop, a crash, or a failed start). */
  waitUntilStopped(): Promise<void> {
    if (this.#attempt) return this.#attempt.done.then(() => this.waitUntilStopped());
    if (this.#stopping) return this.#stopping.then(() => this.waitUntilStopped());
    if (this.state !== 'running') return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** A service crashed: its supervisor takes it (only once the app runs: a boot error fails the start), or the start fails, or the whole app stops. */
  onCrash(node: ServiceRuntime, error: Error): void {
    if (this.state === 'running' && node.supervisor?.handle(node, error)) return;
    this.crashApp(node, error);
  }

  /** Fails the start in progress with `error`, or stops the running app with it as the crash reason (Mode: up the whole tree). */
  crashApp(node: ServiceRuntime, error: Error): void {
    if (this.#attempt) {
      this.#attempt.fail(error instanceof HookError ? error : new HookError(node.label, 'crash', error));
      return;
    }
    if (this.state !== 'running') return;
    this.crashReason = error;
    for (const each of this.graph.nodes) each.crashReason = error;
    void this.stopAll('crash');
  }

  /** Asks the app to stop from inside (a {@link Shutdowner}); the first request's exit code and reason stand. */
  requestShutdown(request: ShutdownRequest): void {
    if (this.shutdownRequest) return;
    this.shutdownRequest = request;
    this.events.emit({ type: 'app.shutdownRequested', exitCode: request.exitCode, reason: request.reason });
    void this.stopAll('shutdown');
  }

  /** Starts `node` and whatever it needs that is not running yet; rolls that back on failure. */
  startNode(node: ServiceRuntime): Promise<void> {
    return startNode(this, node);
  }

  /** Stops `node` and the children it owns (dependents are left running). */
  stopNode(node: ServiceRuntime): Promise<Error[]> {
    return this.stopServices(ownedSet(this, node));
  }

  /** Stop → onRestart → start for `node` and the children it owns; a failure crashes the app. */
  restartNode(node: ServiceRuntime): Promise<Error[]> {
    return restartNode(this, node);
  }

  /** Makes `owner` depend on `child` from now on; if `owner` is starting or running, `child` starts at once. */
  addRuntimeDependency(owner: ServiceRuntime, child: ServiceRuntime): Promise<void> {
    return addRuntimeDependency(this, owner, child);
  }
}
