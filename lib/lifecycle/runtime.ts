// One service in the engine: its state machine, hooks, signal and background work. No ordering here.
import { HookError, HookTimeoutError, ServiceStoppingError } from '../errors/lifecycle.js';
import { toError } from '../errors/mode-error.js';
import type { Clock } from '../utils/clock.js';
import type { EventBus } from '../utils/event-bus.js';
import type { LifecycleEvent } from './events.js';
import { type BackgroundContext, type ClassLifecycle, type HookName, type HookSpec, lifecycleOf } from './metadata.js';
import type { LogLevel, ServiceNode, ServiceState } from './state.js';

/** What a runtime needs from the engine it belongs to. */
export interface RuntimeHost {
  readonly clock: Clock;
  readonly bus: EventBus<LifecycleEvent>;
  /** Default timeout for hooks that do not set their own. */
  readonly hookTimeoutMs: number | undefined;
  /** Aborts stop hooks still running when a stop is forced. */
  readonly forceSignal: AbortSignal;
  /** A number increasing with every service that reaches `running` (orders the stop). */
  nextSeq(): number;
  /** A running service crashed. */
  onCrash(node: ServiceRuntime, error: Error): void;
}

const NO_HOOKS: ClassLifecycle = lifecycleOf(class NoLifecycle {});
const runtimes = new WeakMap<object, ServiceRuntime>();

/** The runtime of `instance`, created on first use. */
export function runtimeOf(instance: object): ServiceRuntime {
  let runtime = runtimes.get(instance);
  if (!runtime) {
    runtime = new ServiceRuntime(instance);
    runtimes.set(instance, runtime);
  }
  return runtime;
}

/** The runtime of `instance` if it has one. */
export function existingRuntimeOf(instance: object): ServiceRuntime | undefined {
  return runtimes.get(instance);
}

function isAbortOf(signal: AbortSignal | undefined, error: unknown): boolean {
  return !!signal?.aborted && (error === signal.reason || (error instanceof Error && error.name === 'AbortError'));
}

/**
 * The engine's record of one service: state, the AbortSignal of the current run, background
 * work in flight, and how to run its hooks. Ordering between services is the scheduler's job.
 */
export class ServiceRuntime implements ServiceNode {
  state: ServiceState = 'init';
  /** Position in the host's graph (binding order), `-1` until added. */
  index = -1;
  depth = 1;
  /** Order in which this reached `running` (stop goes in reverse). */
  startSeq = 0;
  restartCount = 0;
  startDurationMs: number | undefined;
  crashReason: Error | undefined;
  host: RuntimeHost | undefined;
  /** Mode-style dependencies this service owns (`addDependency`): they start before it. */
  readonly children: ServiceRuntime[] = [];
  readonly lifecycle: ClassLifecycle;
  readonly instance: object | undefined;

  #label: string | undefined;
  readonly #labelOf: (() => string) | undefined;
  #firstStartDone = false;
  #needsStop = false;
  #run: AbortController | undefined;
  #futures: Set<Promise<unknown>> | undefined;
  #futureNames: Map<Promise<unknown>, string> | undefined;
  #stopped: Array<() => void> | undefined;

  constructor(instance: object | undefined, label?: string | (() => string)) {
    this.instance = instance;
    this.lifecycle = instance ? lifecycleOf(instance.constructor) : NO_HOOKS;
    if (typeof label === 'function') this.#labelOf = label;
    else if (label !== undefined) this.#label = label;
    else if (this.lifecycle.isService) this.#labelOf = () => (instance as { label: string }).label;
  }

  get label(): string {
    if (this.#label === undefined) {
      const fromInstance = this.#labelOf?.();
      this.#label = fromInstance ?? this.instance?.constructor.name ?? 'anonymous';
    }
    return this.#label;
  }

  /** Whether a stop is owed: `onStart` completed (or work is in flight) and no stop has run since. */
  get needsStop(): boolean {
    return this.#needsStop || this.state === 'running' || !!this.#futures?.size;
  }

  /** The AbortSignal of the current run; aborts when the service begins to stop or crashes. */
  get signal(): AbortSignal {
    this.#run ??= new AbortController();
    return this.#run.signal;
  }

  /** Names of background work in flight (tasks, timers, futures). */
  get inFlight(): string[] {
    return this.#futures ? [...this.#futures].map((f) => this.#futureNames?.get(f) ?? 'future') : [];
  }

  #emit(event: LifecycleEvent): void {
    this.host!.bus.emit(event);
  }

  /**
   * Runs onFirstStart → onStart → background → onStarted. Returns `undefined` when there was
   * nothing asynchronous to do (the scheduler's fast path).
   */
  start(): Promise<void> | undefined {
    const host = this.host!;
    this.crashReason = undefined;
    if (!this.lifecycle.hasWork && !this.#futures?.size) {
      this.state = 'running';
      this.startSeq = host.nextSeq();
      if (host.bus.active) {
        this.#emit({ type: 'service.starting', service: this });
        this.#emit({ type: 'service.started', service: this, durationMs: 0 });
      }
      return undefined;
    }
    return this.#startHooked(host);
  }

  async #startHooked(host: RuntimeHost): Promise<void> {
    const t0 = host.clock.now();
    this.state = 'starting';
    if (host.bus.active) this.#emit({ type: 'service.starting', service: this });
    const hooks = this.lifecycle.hooks;
    try {
      if (!this.#firstStartDone) {
        await this.#runPhase(hooks.onFirstStart, true);
        this.#firstStartDone = true;
      }
      await this.#runPhase(hooks.onStart, true);
      this.#needsStop = true;
      if (this.crashReason) throw this.crashReason;
      this.#beginBackground();
      await this.#runPhase(hooks.onStarted, true);
      if (this.crashReason) throw this.crashReason;
    } catch (error) {
      const failure = error instanceof HookError ? error : new HookError(this.label, 'crash', error);
      this.crashReason = failure;
      this.state = 'crashed';
      this.#run?.abort(new ServiceStoppingError(this.label));
      if (host.bus.active) this.#emit({ type: 'service.startFailed', service: this, error: failure });
      throw failure;
    }
    this.state = 'running';
    this.startSeq = host.nextSeq();
    this.startDurationMs = host.clock.now() - t0;
    if (host.bus.active) this.#emit({ type: 'service.started', service: this, durationMs: this.startDurationMs });
  }

  /**
   * Runs onStop → (background cancelled and awaited) → onShutdown. Never throws: returns the
   * errors met on the way. Returns `undefined` when there was nothing asynchronous to do.
   */
  stop(): Promise<Error[]> | undefined {
    const host = this.host!;
    if (!this.lifecycle.hasWork && !this.#futures?.size && !this.#run) {
      this.#needsStop = false;
      this.state = 'shutdown';
      if (host.bus.active) {
        this.#emit({ type: 'service.stopping', service: this });
        this.#emit({ type: 'service.stopped', service: this, durationMs: 0, errors: [] });
      }
      this.#notifyStopped();
      return undefined;
    }
    return this.#stopHooked(host);
  }

  async #stopHooked(host: RuntimeHost): Promise<Error[]> {
    const t0 = host.clock.now();
    const owed = this.#needsStop || this.state === 'running';
    this.state = 'stopping';
    if (host.bus.active) this.#emit({ type: 'service.stopping', service: this });
    this.#run?.abort(new ServiceStoppingError(this.label));
    const errors: Error[] = [];
    const hooks = this.lifecycle.hooks;
    if (owed) await this.#runPhase(hooks.onStop, false).catch((e: unknown) => errors.push(toError(e)));
    if (this.#futures?.size) await this.#settleFutures(errors);
    if (owed) await this.#runPhase(hooks.onShutdown, false).catch((e: unknown) => errors.push(toError(e)));
    this.#needsStop = false;
    this.#run = undefined;
    this.state = 'shutdown';
    if (host.bus.active) {
      this.#emit({ type: 'service.stopped', service: this, durationMs: host.clock.now() - t0, errors });
    }
    this.#notifyStopped();
    return errors;
  }

  /** Runs the onRestart hooks (between a restart's stop and its start). */
  async restarting(): Promise<void> {
    this.state = 'restarting';
    this.restartCount++;
    if (this.host!.bus.active) this.#emit({ type: 'service.restarting', service: this });
    await this.#runPhase(this.lifecycle.hooks.onRestart, false);
  }

  /** Aborts the run signal of a service still starting (another start failed; hurry up). */
  interruptStart(reason: Error): void {
    if (this.state === 'starting') this.#run?.abort(reason);
  }

  /**
   * Marks the service crashed and tells its host, which stops the app or lets a supervisor
   * act. During start, the start fails with this error instead. Ignored once stopping.
   */
  crash(error: Error): void {
    if (this.state === 'starting') {
      this.crashReason ??= error;
      this.#run?.abort(error);
      return;
    }
    if (this.state !== 'running') return;
    this.crashReason = error;
    this.state = 'crashed';
    this.#run?.abort(error);
    const host = this.host;
    if (!host) return;
    if (host.bus.active) this.#emit({ type: 'service.crashed', service: this, error });
    host.onCrash(this, error);
  }

  /**
   * Tracks `promise` as work of the current run: awaited at stop; a rejection that is not the
   * stop's own abort crashes the service.
   */
  addFuture<T>(promise: Promise<T>, name = 'future'): Promise<T> {
    const futures = (this.#futures ??= new Set());
    futures.add(promise);
    if (name !== 'future') (this.#futureNames ??= new Map()).set(promise, name);
    const forget = () => {
      futures.delete(promise);
      this.#futureNames?.delete(promise);
    };
    promise.then(forget, (error: unknown) => {
      forget();
      if (this.state === 'running' || this.state === 'starting') {
        if (!isAbortOf(this.#run?.signal, error)) this.crash(new HookError(this.label, name, error));
      }
    });
    return promise;
  }

  async #settleFutures(errors: Error[]): Promise<void> {
    const signal = this.#run?.signal;
    const pending = [...this.#futures!];
    const names = pending.map((f) => this.#futureNames?.get(f) ?? 'future');
    const results = await Promise.allSettled(pending);
    results.forEach((r, i) => {
      if (r.status === 'rejected' && !isAbortOf(signal, r.reason) && !(r.reason instanceof ServiceStoppingError)) {
        errors.push(new HookError(this.label, names[i]!, r.reason));
      }
    });
  }

  #beginBackground(): void {
    const specs = this.lifecycle.background;
    if (specs.length === 0) return;
    const target = this.instance!;
    const context: BackgroundContext = {
      signal: this.signal,
      clock: this.host!.clock,
      service: this.label,
      warn: (message) => this.log('warning', message),
      debug: (message) => this.log('debug', message),
    };
    for (const spec of specs) this.addFuture(Promise.resolve().then(() => spec.run(target, context)), spec.name);
  }

  /** Resolves once the service has fully stopped (or at once if it is not running). */
  waitUntilStopped(): Promise<void> {
    if (this.state === 'init' || this.state === 'shutdown') return Promise.resolve();
    return new Promise((resolve) => (this.#stopped ??= []).push(resolve));
  }

  #notifyStopped(): void {
    const waiters = this.#stopped;
    this.#stopped = undefined;
    waiters?.forEach((w) => w());
  }

  /** Emits a `service.log` event; with nobody listening, warnings and worse go to stderr. */
  log(level: LogLevel, message: string, error?: Error): void {
    const bus = this.host?.bus;
    if (bus?.active) {
      bus.emit({ type: 'service.log', service: this, level, message, ...(error ? { error } : {}) });
    } else if (level !== 'debug' && level !== 'info') {
      process.stderr.write(`[${level.toUpperCase()}] ${this.label}: ${message}${error ? `\n${error.stack ?? error}` : ''}\n`);
    }
  }

  async #runPhase(specs: readonly HookSpec[], startPhase: boolean): Promise<void> {
    for (const spec of specs) await this.#callHook(spec, startPhase);
  }

  #callHook(spec: HookSpec, startPhase: boolean): Promise<void> {
    const host = this.host!;
    const target = this.instance as Record<string | symbol, unknown>;
    const fn = target[spec.method];
    const name = spec.method === spec.phase ? spec.phase : String(spec.method);
    if (typeof fn !== 'function') {
      return Promise.reject(new HookError(this.label, name, new TypeError(`${String(spec.method)} is not a method`), spec.phase));
    }
    const timeoutMs = spec.timeoutMs ?? host.hookTimeoutMs;
    const observed = host.bus.active;
    const t0 = observed ? host.clock.now() : 0;
    if (observed) this.#emit({ type: 'hook.executing', service: this, hook: name });
    let result: Promise<void>;
    if (timeoutMs === undefined || timeoutMs <= 0 || !Number.isFinite(timeoutMs)) {
      const signal = fn.length > 0 ? this.#phaseSignal(startPhase) : undefined;
      result = invoke(fn, target, signal);
    } else {
      result = this.#callWithTimeout(fn, target, name, timeoutMs, startPhase);
    }
    result = result.catch((error: unknown) => {
      throw error instanceof HookError ? error : new HookError(this.label, name, error, spec.phase);
    });
    if (!observed) return result;
    return result.then(
      () => this.#emit({ type: 'hook.executed', service: this, hook: name, durationMs: host.clock.now() - t0 }),
      (error: Error) => {
        this.#emit({ type: 'hook.executed', service: this, hook: name, durationMs: host.clock.now() - t0, error });
        throw error;
      },
    );
  }

  /** Start hooks get the run's signal; stop hooks one that aborts only when the stop is forced. */
  #phaseSignal(startPhase: boolean): AbortSignal {
    return startPhase ? this.signal : this.host!.forceSignal;
  }

  #callWithTimeout(fn: Function, target: object, name: string, timeoutMs: number, startPhase: boolean): Promise<void> {
    const clock = this.host!.clock;
    const timeout = new AbortController();
    const signal = AbortSignal.any([this.#phaseSignal(startPhase), timeout.signal]);
    return new Promise<void>((resolve, reject) => {
      const timer = clock.setTimeout(() => {
        const error = new HookTimeoutError(this.label, name, timeoutMs);
        timeout.abort(error);
        reject(error);
      }, timeoutMs);
      invoke(fn, target, signal).then(
        () => {
          clock.clearTimeout(timer);
          resolve();
        },
        (error: unknown) => {
          clock.clearTimeout(timer);
          reject(error);
        },
      );
    });
  }
}

function invoke(fn: Function, target: object, signal: AbortSignal | undefined): Promise<void> {
  try {
    const result: unknown = signal === undefined ? fn.call(target) : fn.call(target, signal);
    if (result instanceof Promise) return result;
    return typeof (result as PromiseLike<unknown> | undefined)?.then === 'function'
      ? Promise.resolve(result as PromiseLike<void>)
      : Promise.resolve();
  } catch (error) {
    return Promise.reject(error);
  }
}
