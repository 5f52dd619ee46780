// The lifecycle engine: owns the graph, starts and stops it transactionally, and routes crashes.
import { CycleError } from '../errors/plan.js';
import { HookError, StartError, StartInterruptedError } from '../errors/lifecycle.js';
import { ServiceStateError } from '../errors/usage.js';
import { type Clock, systemClock } from '../utils/clock.js';
import { type Duration, parseOptionalDuration } from '../utils/durations.js';
import { EventBus } from '../utils/event-bus.js';
import { indices } from '../utils/indices.js';
import type { LifecycleEvent } from './events.js';
import { type EdgeKind, ServiceGraph } from './graph.js';
import type { RuntimeHost, ServiceRuntime } from './runtime.js';
import { startAlong, stopAlong } from './scheduler.js';

/** Settings of the lifecycle engine, shared by `Application` and standalone services. */
export interface LifecycleOptions {
  /** Where time comes from (default: the system clock). Pass a `ManualClock` in tests. */
  clock?: Clock;
  /** How many services may start or stop at once. Default: unlimited; `1` is sequential. */
  concurrency?: number;
  /** Default timeout of every hook that sets none itself. Default: none. */
  hookTimeout?: Duration;
}

/** The state of a whole application. */
export type AppState = 'init' | 'starting' | 'running' | 'stopping' | 'shutdown' | 'crashed';

/**
 * Decides what happens when a running service crashes. Returns `true` when it took care of
 * it (a supervisor restarting the service); otherwise the whole graph is stopped.
 */
export type CrashHandler = (node: ServiceRuntime, error: Error) => boolean;

const OWNED = (kind: EdgeKind) => kind === 'owned' || kind === 'runtime';

/**
 * The engine. Holds the dependency graph, starts it along its edges (dependencies first,
 * independent branches concurrently) and stops it in reverse, transactionally; emits typed
 * {@link LifecycleEvent}s and never logs.
 */
export class Lifecycle implements RuntimeHost {
  readonly graph = new ServiceGraph();
  readonly bus = new EventBus<LifecycleEvent>();
  readonly clock: Clock;
  readonly hookTimeoutMs: number | undefined;
  readonly concurrency: number;
  /** Set by supervision; without one a crash stops everything. */
  crashHandler: CrashHandler | undefined;
  state: AppState = 'init';
  crashReason: Error | undefined;

  readonly #force = new AbortController();
  #seq = 0;
  #starting: Promise<void> | undefined;
  #stopping: Promise<Error[]> | undefined;
  /** Halts a start in progress (a stop was asked for, or a service crashed while starting). */
  readonly #startControl = { halted: false };
  #startCrash: HookError | undefined;
  #waiters: Array<() => void> = [];
  #validVersion = -1;

  constructor(options: LifecycleOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.hookTimeoutMs = parseOptionalDuration(options.hookTimeout, 'hookTimeout');
    const concurrency = options.concurrency ?? Infinity;
    if (!(concurrency >= 1)) throw new RangeError(`concurrency must be 1 or more, got ${concurrency}`);
    this.concurrency = concurrency;
  }

  get forceSignal(): AbortSignal {
    return this.#force.signal;
  }

  nextSeq(): number {
    return ++this.#seq;
  }

  depthOf(node: ServiceRuntime): number {
    return this.graph.has(node) ? this.graph.depthOf(node.index) : 1;
  }

  /**
   * Adds `node` (and, transitively, the Mode-style children it owns) to the graph. Returns its
   * index. A node already here is left as is.
   */
  adopt(node: ServiceRuntime): number {
    if (node.host === this && this.graph.has(node)) return node.index;
    if (node.host && node.host !== this) {
      throw new ServiceStateError(node.label, `${node.label} already belongs to another application or service tree; a service can be part of one only.`);
    }
    node.host = this;
    const index = this.graph.add(node);
    const children = node.children;
    for (let i = 0; i < children.length; i++) this.graph.link(index, this.adopt(children[i]!), 'owned');
    return index;
  }

  /** Adds an edge `from` depends on `to`. */
  link(from: ServiceRuntime, to: ServiceRuntime, kind: EdgeKind): void {
    this.graph.link(this.adopt(from), this.adopt(to), kind);
  }

  /**
   * Throws {@link CycleError} if the graph has a cycle; trims the adjacency
   * lists. Done once per change of the graph: starting again without a change reuses it.
   * `knownAcyclic` skips the cycle search when the caller has already made it (the planner).
   */
  validate(knownAcyclic = false): void {
    if (this.#validVersion === this.graph.version) return;
    if (!knownAcyclic) {
      const cycle = this.graph.findCycle();
      if (cycle) throw new CycleError(cycle.map((i) => this.graph.nodes[i]!.label));
    }
    this.graph.compact();
    this.#validVersion = this.graph.version;
  }

  #all(): number[] {
    return indices(this.graph.size);
  }

  /**
   * Starts every service along the graph. If anything fails, stops what started (in reverse
   * order) and rejects with a {@link StartError}. Rejects with a `ServiceStateError` when
   * already started.
   */
  startAll(): Promise<void> {
    if (this.state === 'starting' || this.state === 'running' || this.state === 'stopping') {
      return Promise.reject(new ServiceStateError('application', `start() called while the application is ${this.state}; call it once, or stop() first.`));
    }
    try {
      this.validate();
    } catch (error) {
      return Promise.reject(error);
    }
    this.#starting = this.#startAll().finally(() => {
      this.#starting = undefined;
    });
    return this.#starting;
  }

  async #startAll(): Promise<void> {
    const t0 = this.clock.now();
    this.state = 'starting';
    this.crashReason = undefined;
    this.#startControl.halted = false;
    this.#startCrash = undefined;
    const all = this.#all();
    if (this.bus.active) this.bus.emit({ type: 'app.starting', services: all.length });
    const failures = await startAlong(this.graph, all, { concurrency: this.concurrency, control: this.#startControl });
    if (this.#startCrash) failures.push(this.#startCrash);
    if (failures.length > 0 || this.#startControl.halted) {
      if (failures.length && this.bus.active) this.bus.emit({ type: 'app.rollingBack', errors: failures });
      const rollbackErrors = await this.#stop(all, failures.length ? 'rollback' : 'stop');
      throw failures.length ? new StartError(failures, rollbackErrors) : new StartInterruptedError();
    }
    this.state = 'running';
    if (this.bus.active) this.bus.emit({ type: 'app.started', durationMs: this.clock.now() - t0 });
  }

  /**
   * Stops every service, each after everything that depends on it. Never rejects: resolves
   * with every stop error (the rest still stopped). While a start is running, it is halted
   * and rolled back instead.
   */
  stopAll(reason = 'stop'): Promise<Error[]> {
    if (this.#stopping) return this.#stopping;
    if (this.#starting) {
      this.#startControl.halted = true;
      return this.#starting.then(
        () => this.stopAll(reason),
        () => [],
      );
    }
    if (this.state !== 'running' && this.state !== 'crashed') {
      if (this.state !== 'init' || !this.graph.nodes.some((n) => n.needsStop)) return Promise.resolve([]);
    }
    this.#stopping = this.#stop(this.#all(), reason).finally(() => {
      this.#stopping = undefined;
    });
    return this.#stopping;
  }

  async #stop(members: number[], reason: string): Promise<Error[]> {
    const t0 = this.clock.now();
    this.state = 'stopping';
    if (this.bus.active) this.bus.emit({ type: 'app.stopping', reason });
    const errors = await stopAlong(this.graph, members, { concurrency: this.concurrency });
    this.state = this.crashReason ? 'crashed' : 'shutdown';
    if (this.bus.active) this.bus.emit({ type: 'app.stopped', durationMs: this.clock.now() - t0, errors });
    const waiters = this.#waiters;
    this.#waiters = [];
    waiters.forEach((w) => w());
    return errors;
  }

  /** Aborts the signal given to stop hooks still running (a forced stop). */
  force(reason: Error): void {
    this.#force.abort(reason);
  }

  /** Resolves when the application has stopped (after `stopAll`, a crash, or a failed start). */
  waitUntilStopped(): Promise<void> {
    if (this.state === 'init' || this.state === 'shutdown' || this.state === 'crashed') return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  onCrash(node: ServiceRuntime, error: Error): void {
    if (this.crashHandler?.(node, error)) return;
    if (this.state === 'starting') {
      this.#startCrash ??= error instanceof HookError ? error : new HookError(node.label, 'crash', error);
      this.#startControl.halted = true;
      return;
    }
    if (this.state !== 'running') return;
    this.crashReason = error;
    void this.stopAll('crash');
  }

  /** Starts `node` and whatever it needs that is not running yet; rolls that back on failure. */
  async startNode(node: ServiceRuntime): Promise<void> {
    this.adopt(node);
    this.validate();
    const members = this.graph.closureOf(node.index).filter((i) => this.graph.nodes[i]!.state !== 'running');
    const failures = await startAlong(this.graph, members, { concurrency: this.concurrency });
    if (failures.length) {
      const rollbackErrors = await stopAlong(this.graph, members, { concurrency: this.concurrency });
      throw new StartError(failures, rollbackErrors);
    }
  }

  /**
   * `node` with the children it owns (Mode's `addDependency` / `addRuntimeDependency`), minus
   * any child still needed by a running service outside that set.
   */
  ownedSet(node: ServiceRuntime): number[] {
    const { graph } = this;
    const set = new Set(graph.closureOf(node.index, OWNED));
    for (let changed = true; changed; ) {
      changed = false;
      for (const m of set) {
        if (m === node.index) continue;
        if (graph.dependents[m]!.some((d) => !set.has(d) && graph.nodes[d]!.needsStop)) {
          set.delete(m);
          changed = true;
        }
      }
    }
    return [...set];
  }

  /** Stops `node` and the children it owns (dependents are left running). */
  stopNode(node: ServiceRuntime): Promise<Error[]> {
    return stopAlong(this.graph, this.ownedSet(node), { concurrency: this.concurrency });
  }

  /** Stop → onRestart → start for `node` and the children it owns. */
  async restartNode(node: ServiceRuntime): Promise<Error[]> {
    const members = this.ownedSet(node);
    const errors = await stopAlong(this.graph, members, { concurrency: this.concurrency });
    for (const m of [...members].sort((a, b) => a - b)) await this.graph.nodes[m]!.restarting();
    const failures = await startAlong(this.graph, members, { concurrency: this.concurrency });
    if (failures.length) throw new StartError(failures, errors);
    return errors;
  }

  /**
   * Makes `owner` depend on `child` from now on. If `owner` is starting or running, `child`
   * (and what it needs) starts at once.
   */
  async addRuntimeDependency(owner: ServiceRuntime, child: ServiceRuntime): Promise<void> {
    if (owner.state === 'stopping' || owner.state === 'shutdown' || owner.state === 'crashed') {
      throw new ServiceStateError(owner.label, `addRuntimeDependency(${child.label}) called on ${owner.label} while it is ${owner.state}; add runtime dependencies while the service is starting or running.`);
    }
    this.link(owner, child, 'runtime');
    try {
      this.validate();
    } catch (error) {
      this.graph.unlink(owner.index, child.index);
      throw error;
    }
    if (owner.state === 'starting' || owner.state === 'running') await this.startNode(child);
  }
}
