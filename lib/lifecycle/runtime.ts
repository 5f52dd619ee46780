// One service in the engine: its state machine, hooks, signal and background work. No ordering here.
import { HookError, ServiceStoppingError } from '../errors/lifecycle.js';
import { toError } from '../errors/mode-error.js';
import type { Clock } from '../utils/clock.js';
import type { EventBus } from '../utils/event-bus.js';
import type { LifecycleEvent } from './events.js';
import { hookName, invoke, invokeWithTimeout, isThenable } from './invoke.js';
import { type BackgroundContext, type BoundHook, type ClassLifecycle, type HookSpec, lifecycleOf } from './metadata.js';
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
  /** The node's distance from the graph's roots (1 for a root). */
  depthOf(node: ServiceRuntime): number;
  /** A running service crashed. */
  onCrash(node: ServiceRuntime, error: Error): void;
}

/** Called exactly once when a start settles: `error` is set when it failed. */
export type StartDone = (node: ServiceRuntime, error: HookError | undefined) => void;
/** Called exactly once when a stop settles, with the errors met (the service stopped anyway). */
export type StopDone = (node: ServiceRuntime, errors: readonly Error[]) => void;

const NO_HOOKS: ClassLifecycle = lifecycleOf(class NoLifecycle {});
const NO_ERRORS: readonly Error[] = Object.freeze([]);
const NO_CHILDREN: readonly ServiceRuntime[] = Object.freeze([]);
const runtimes = new WeakMap<object, ServiceRuntime>();
const FIRST_START_DONE = 1;
const NEEDS_STOP = 2;

/**
 * The runtime of `instance`, created on first use. `lifecycle`, when given, must be the
 * lifecycle of `instance.constructor` (it saves looking it up).
 */
export function runtimeOf(instance: object, lifecycle?: ClassLifecycle): ServiceRuntime {
  let runtime = runtimes.get(instance);
  if (!runtime) {
    runtime = new ServiceRuntime(instance, undefined, lifecycle);
    runtimes.set(instance, runtime);
  }
  return runtime;
}

function isAbortOf(signal: AbortSignal | undefined, error: unknown): boolean {
  return !!signal?.aborted && (error === signal.reason || (error instanceof Error && error.name === 'AbortError'));
}

/**
 * When a start or stop begins, for its duration: read only when someone listens (observers
 * get the duration; no one else asks for it), else `NaN`.
 */
function observedNow(host: RuntimeHost): number {
  return host.bus.active ? host.clock.now() : NaN;
}

/** Milliseconds since `t0` (from {@link observedNow}); 0 when it was not read (a listener came later). */
function since(host: RuntimeHost, t0: number): number {
  return Number.isNaN(t0) ? 0 : host.clock.now() - t0;
}

/**
 * Whether a start or stop that began with `t0` (from {@link observedNow}) began unobserved: its
 * `service.starting` / `service.stopping` was not emitted, so a listener added since gets it
 * when the start or stop ends, just before the outcome.
 */
function begunUnobserved(t0: number): boolean {
  return Number.isNaN(t0);
}

function hasTimeout(ms: number | undefined): ms is number {
  return ms !== undefined && ms > 0 && Number.isFinite(ms);
}

/**
 * The engine's record of one service: state, the AbortSignal of the current run, background
 * work in flight, and how to run its hooks. Ordering between services is the scheduler's job.
 */
export class ServiceRuntime implements ServiceNode {
  state: ServiceState = 'init';
  /** Position in the host's graph (binding order), `-1` until added. */
  index = -1;
  /** Order in which this reached `running` (stop goes in reverse). */
  startSeq = 0;
  restartCount = 0;
  startDurationMs: number | undefined = undefined;
  crashReason: Error | undefined = undefined;
  host: RuntimeHost | undefined = undefined;
  /** Mode-style dependencies this service owns (`addDependency`): they start before it. */
  children: readonly ServiceRuntime[] = NO_CHILDREN;
  readonly lifecycle: ClassLifecycle;
  readonly instance: object | undefined;

  /** The label, once given or known. */
  #label: string | undefined;
  /** {@link FIRST_START_DONE} and {@link NEEDS_STOP} (one field for both: a field per service is 0.8 MB at 100,000). */
  #flags = 0;
  #run: AbortController | undefined = undefined;
  #futures: Map<Promise<unknown>, string> | undefined = undefined;
  #stopped: Array<() => void> | undefined = undefined;

  /**
   * @param lifecycle The lifecycle of `instance`'s class when the caller already has it (the
   * planner does): a lookup per class saved.
   */
  constructor(instance: object | undefined, label?: string, lifecycle?: ClassLifecycle) {
    this.instance = instance;
    this.lifecycle = lifecycle ?? (instance ? lifecycleOf(instance.constructor) : NO_HOOKS);
    this.#label = label;
  }

  /** Distance from the root: 1 for services nothing depends on (and outside an engine), 2 for what they need, … */
  get depth(): number {
    return this.host ? this.host.depthOf(this) : 1;
  }

  get label(): string {
    if (this.#label !== undefined) return this.#label;
    const instance = this.instance;
    const own = this.lifecycle.isService ? (instance as { label: string }).label : undefined;
    return (this.#label = own ?? instance?.constructor.name ?? 'anonymous');
  }

  get #firstStartDone(): boolean {
    return (this.#flags & FIRST_START_DONE) !== 0;
  }

  /** Whether `onStart` completed (or work is in flight) and no stop has run since. */
  get #needsStop(): boolean {
    return (this.#flags & NEEDS_STOP) !== 0;
  }

  /** Whether a stop must run the stop hooks: `onStart` completed or the service is running. */
  get #owesStop(): boolean {
    return this.#needsStop || this.state === 'running';
  }

  set #needsStop(value: boolean) {
    this.#flags = value ? this.#flags | NEEDS_STOP : this.#flags & ~NEEDS_STOP;
  }

  /** Whether a stop is owed: `onStart` completed (or work is in flight) and no stop has run since. */
  get needsStop(): boolean {
    return this.#owesStop || !!this.#futures?.size;
  }

  /** The AbortSignal of the current run; aborts when the service begins to stop or crashes. */
  get signal(): AbortSignal {
    this.#run ??= new AbortController();
    return this.#run.signal;
  }

  /** Whether its class declares lifecycle work or is a `Service` (a node with no instance has neither). */
  get hasLifecycle(): boolean {
    return this.lifecycle.hasLifecycle;
  }

  /** Names of background work in flight (tasks, timers, futures). */
  get inFlight(): string[] {
    return this.#futures ? [...this.#futures.values()] : [];
  }

  /** Adds a Mode-style owned dependency. */
  addChild(child: ServiceRuntime): void {
    if (!this.children.includes(child)) this.children = [...this.children, child];
  }

  /** Forgets an owned dependency. */
  removeChild(child: ServiceRuntime): void {
    this.children = this.children.filter((c) => c !== child);
  }

  #emit(event: LifecycleEvent): void {
    this.host!.bus.emit(event);
  }

  /**
   * Runs onFirstStart → onStart → background → onStarted, then calls `done` (synchronously
   * when nothing was asynchronous). Never throws.
   */
  start(done: StartDone): void {
    const host = this.host!;
    this.crashReason = undefined;
    const sole = this.lifecycle.soleStart;
    if (sole !== undefined && this.#futures === undefined && !host.bus.active && host.hookTimeoutMs === undefined) {
      this.#startSole(host, done, sole);
      return;
    }
    if (!this.lifecycle.hasWork && !this.#futures?.size) {
      this.state = 'running';
      this.startSeq = host.nextSeq();
      if (host.bus.active) {
        this.#emit({ type: 'service.starting', service: this });
        this.#emit({ type: 'service.started', service: this, durationMs: 0 });
      }
      done(this, undefined);
      return;
    }
    const { onFirstStart, onStart, onStarted } = this.lifecycle.hooks;
    if (onStart.length === 1 && onStarted.length === 0 && this.lifecycle.background.length === 0 && (onFirstStart.length === 0 || this.#firstStartDone)) {
      this.#startOne(host, done, onStart[0]!);
      return;
    }
    void this.#startHooked(host, done);
  }

  /**
   * The commonest start on the shortest path: the class's only start work is one `onStart`
   * hook, and nobody listens or times hooks. At 10,000 services most of a start runs before V8
   * has optimized it, so the fewer calls and checks per service the better.
   */
  #startSole(host: RuntimeHost, done: StartDone, hook: BoundHook): void {
    this.state = 'starting';
    this.#callThen(
      hook,
      true,
      () => this.#startedOne(host, done, NaN),
      (error) => this.#startFailed(host, done, NaN, hook, error),
      false,
    );
  }

  /**
   * The usual case, one `onStart` hook and nothing else to start: continued by callbacks rather
   * than an async function, whose suspended frame is most of a start's garbage.
   */
  #startOne(host: RuntimeHost, done: StartDone, hook: BoundHook): void {
    const t0 = observedNow(host);
    this.state = 'starting';
    if (host.bus.active) this.#emit({ type: 'service.starting', service: this });
    this.#callThen(
      hook,
      true,
      () => this.#startedOne(host, done, t0),
      (error) => this.#startFailed(host, done, t0, hook, error),
    );
  }

  /**
   * Calls `hook`, then `ok` or `fail` with its error: at once when the hook did not return a
   * promise. `observed` (false only on the short paths, where nobody listens and nothing is
   * timed) routes the call through {@link ServiceRuntime.#callHook}.
   */
  #callThen(hook: BoundHook, startPhase: boolean, ok: () => void, fail: (error: unknown) => void, observed = true): void {
    let pending: unknown;
    try {
      pending = observed ? this.#callHook(hook, startPhase) : this.#invoke(hook, startPhase);
    } catch (error) {
      fail(error);
      return;
    }
    if (isThenable(pending)) pending.then(ok, fail);
    else ok();
  }

  #startedOne(host: RuntimeHost, done: StartDone, t0: number): void {
    this.#flags |= FIRST_START_DONE | NEEDS_STOP;
    if (this.crashReason) this.#startFailed(host, done, t0, undefined, this.crashReason);
    else this.#started(host, done, t0);
  }

  /** A start (begun at `t0`) failed: in `hook`, or (no hook) by a crash while starting. */
  #startFailed(host: RuntimeHost, done: StartDone, t0: number, hook: BoundHook | undefined, error: unknown): void {
    const failure = hook ? this.#hookError(hook, error) : error instanceof HookError ? error : new HookError(this.label, 'crash', error);
    this.crashReason = failure;
    this.state = 'crashed';
    this.#run?.abort(ServiceStoppingError.for(this.label));
    if (host.bus.active) {
      if (begunUnobserved(t0)) this.#emit({ type: 'service.starting', service: this });
      this.#emit({ type: 'service.startFailed', service: this, error: failure });
    }
    done(this, failure);
  }

  #started(host: RuntimeHost, done: StartDone, t0: number): void {
    this.state = 'running';
    this.startSeq = host.nextSeq();
    if (host.bus.active) {
      if (begunUnobserved(t0)) this.#emit({ type: 'service.starting', service: this });
      this.startDurationMs = since(host, t0);
      this.#emit({ type: 'service.started', service: this, durationMs: this.startDurationMs });
    } else {
      this.startDurationMs = undefined;
    }
    done(this, undefined);
  }

  async #startHooked(host: RuntimeHost, done: StartDone): Promise<void> {
    const t0 = observedNow(host);
    this.state = 'starting';
    if (host.bus.active) this.#emit({ type: 'service.starting', service: this });
    const hooks = this.lifecycle.hooks;
    // Hooks are awaited only when they return a promise; `current` names the one that failed.
    let current: BoundHook | undefined;
    try {
      // Indexed loops, as in #stopHooked.
      if (!this.#firstStartDone) {
        const first = hooks.onFirstStart;
        for (let i = 0; i < first.length; i++) {
          current = first[i]!;
          const pending = this.#callHook(current, true);
          if (pending) await pending;
        }
        this.#flags |= FIRST_START_DONE;
      }
      const onStart = hooks.onStart;
      for (let i = 0; i < onStart.length; i++) {
        current = onStart[i]!;
        const pending = this.#callHook(current, true);
        if (pending) await pending;
      }
      current = undefined;
      this.#needsStop = true;
      if (this.crashReason) throw this.crashReason;
      this.#beginBackground();
      const onStarted = hooks.onStarted;
      for (let i = 0; i < onStarted.length; i++) {
        current = onStarted[i]!;
        const pending = this.#callHook(current, true);
        if (pending) await pending;
      }
      current = undefined;
      if (this.crashReason) throw this.crashReason;
    } catch (error) {
      this.#startFailed(host, done, t0, current, error);
      return;
    }
    this.#started(host, done, t0);
  }

  /**
   * Runs onStop → (background cancelled and awaited) → onShutdown, then calls `done` with the
   * errors met (synchronously when nothing was asynchronous). Never throws, never skips a step.
   */
  stop(done: StopDone): void {
    const host = this.host!;
    const sole = this.lifecycle.soleStop;
    if (sole !== undefined && this.#futures === undefined && this.#run === undefined && !host.bus.active && host.hookTimeoutMs === undefined && this.#owesStop) {
      this.#stopSole(host, done, sole);
      return;
    }
    if (!this.lifecycle.hasWork && !this.#futures?.size && !this.#run) {
      this.#needsStop = false;
      this.state = 'shutdown';
      if (host.bus.active) {
        this.#emit({ type: 'service.stopping', service: this });
        this.#emit({ type: 'service.stopped', service: this, durationMs: 0, errors: NO_ERRORS });
      }
      this.#notifyStopped();
      done(this, NO_ERRORS);
      return;
    }
    const { onStop, onShutdown } = this.lifecycle.hooks;
    if (onStop.length === 1 && onShutdown.length === 0) {
      this.#stopOne(host, done, onStop[0]!);
      return;
    }
    void this.#stopHooked(host, done);
  }

  /** The commonest stop on the shortest path, as {@link ServiceRuntime.#startSole}: one `onStop` hook owed, no run signal, nobody listening. */
  #stopSole(host: RuntimeHost, done: StopDone, hook: BoundHook): void {
    this.state = 'stopping';
    this.#callThen(
      hook,
      false,
      () => this.#stoppedOne(host, done, NaN, undefined),
      (error) => this.#stoppedOne(host, done, NaN, [this.#hookError(hook, error)]),
      false,
    );
  }

  /**
   * The usual case, one `onStop` hook (and background work or none): callbacks, as
   * {@link ServiceRuntime.#startOne}. The order is {@link ServiceRuntime.#stopHooked}'s: the
   * hook, then the background work (aborted with the run's signal) awaited.
   */
  #stopOne(host: RuntimeHost, done: StopDone, hook: BoundHook): void {
    const t0 = observedNow(host);
    const owed = this.#owesStop;
    this.state = 'stopping';
    if (host.bus.active) this.#emit({ type: 'service.stopping', service: this });
    this.#run?.abort(ServiceStoppingError.for(this.label));
    if (!owed) {
      this.#stoppedOne(host, done, t0, undefined);
      return;
    }
    this.#callThen(
      hook,
      false,
      () => this.#stoppedOne(host, done, t0, undefined),
      (error) => this.#stoppedOne(host, done, t0, [this.#hookError(hook, error)]),
    );
  }

  /** After the one onStop hook: work it started in the meantime is still awaited. */
  #stoppedOne(host: RuntimeHost, done: StopDone, t0: number, errors: Error[] | undefined): void {
    if (this.#futures?.size) void this.#settleFutures(errors).then((all) => this.#finishStop(host, done, t0, all));
    else this.#finishStop(host, done, t0, errors);
  }

  #finishStop(host: RuntimeHost, done: StopDone, t0: number, errors: Error[] | undefined): void {
    this.#needsStop = false;
    this.#run = undefined;
    this.state = 'shutdown';
    if (host.bus.active) {
      if (begunUnobserved(t0)) this.#emit({ type: 'service.stopping', service: this });
      this.#emit({ type: 'service.stopped', service: this, durationMs: since(host, t0), errors: errors ?? NO_ERRORS });
    }
    this.#notifyStopped();
    done(this, errors ?? NO_ERRORS);
  }

  async #stopHooked(host: RuntimeHost, done: StopDone): Promise<void> {
    const t0 = observedNow(host);
    const owed = this.#owesStop;
    this.state = 'stopping';
    if (host.bus.active) this.#emit({ type: 'service.stopping', service: this });
    this.#run?.abort(ServiceStoppingError.for(this.label));
    let errors: Error[] | undefined;
    const hooks = this.lifecycle.hooks;
    // onStop, then background work cancelled and awaited, then onShutdown; a failure skips nothing.
    // Indexed loops: a for-of iterator in an async function allocates its results (~0.5 kB a stop).
    for (let phase = 0; phase < 2; phase++) {
      if (phase === 1 && this.#futures?.size) errors = await this.#settleFutures(errors);
      if (!owed) continue;
      const list = phase === 0 ? hooks.onStop : hooks.onShutdown;
      for (let i = 0; i < list.length; i++) {
        const spec = list[i]!;
        try {
          const pending = this.#callHook(spec, false);
          if (pending) await pending;
        } catch (error) {
          (errors ??= []).push(this.#hookError(spec, error));
        }
      }
    }
    this.#finishStop(host, done, t0, errors);
  }

  /** Runs the onRestart hooks (between a restart's stop and its start). */
  async restarting(): Promise<void> {
    this.state = 'restarting';
    this.restartCount++;
    if (this.host!.bus.active) this.#emit({ type: 'service.restarting', service: this });
    for (const spec of this.lifecycle.hooks.onRestart) {
      try {
        const pending = this.#callHook(spec, false);
        if (pending) await pending;
      } catch (error) {
        throw this.#hookError(spec, error);
      }
    }
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
    const futures = (this.#futures ??= new Map());
    futures.set(promise, name);
    promise.then(
      () => futures.delete(promise),
      (error: unknown) => {
        futures.delete(promise);
        if (this.state === 'running' || this.state === 'starting') {
          if (!isAbortOf(this.#run?.signal, error)) this.crash(new HookError(this.label, name, error));
        }
      },
    );
    return promise;
  }

  async #settleFutures(errors: Error[] | undefined): Promise<Error[] | undefined> {
    const signal = this.#run?.signal;
    const pending = [...this.#futures!];
    const results = await Promise.allSettled(pending.map(([future]) => future));
    results.forEach((r, i) => {
      if (r.status === 'rejected' && !isAbortOf(signal, r.reason) && !(r.reason instanceof ServiceStoppingError)) {
        (errors ??= []).push(new HookError(this.label, pending[i]![1], r.reason));
      }
    });
    return errors;
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
    if (waiters === undefined) return;
    this.#stopped = undefined;
    for (const w of waiters) w();
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

  #hookError(spec: HookSpec, error: unknown): HookError {
    if (error instanceof HookError && error.service === this.label) return error;
    return new HookError(this.label, hookName(spec), error, spec.phase);
  }

  /**
   * Calls one hook. Returns `undefined` when it completed synchronously, else its promise;
   * failures are thrown or rejected as they come (the caller names the hook). Observers and
   * timeouts take the slower path, {@link ServiceRuntime.#callObserved}.
   */
  #callHook(hook: BoundHook, startPhase: boolean): PromiseLike<unknown> | undefined {
    const host = this.host!;
    const timeoutMs = hook.timeoutMs ?? host.hookTimeoutMs;
    if (host.bus.active || hasTimeout(timeoutMs)) return this.#callObserved(hook, timeoutMs, startPhase);
    const result = this.#invoke(hook, startPhase);
    return isThenable(result) ? result : undefined;
  }

  /** Calls `hook` on the instance, with its phase's signal when it takes one; throws what it throws. */
  #invoke(hook: BoundHook, startPhase: boolean): unknown {
    return hook.takesSignal ? hook.fn.call(this.instance, this.#phaseSignal(startPhase)) : hook.fn.call(this.instance);
  }

  /** Hook events for observers, and a timeout racing the hook. */
  #callObserved(hook: BoundHook, timeoutMs: number | undefined, startPhase: boolean): Promise<void> {
    const host = this.host!;
    const { fn } = hook;
    const target = this.instance!;
    const name = hookName(hook);
    const observed = host.bus.active;
    const t0 = host.clock.now();
    if (observed) this.#emit({ type: 'hook.executing', service: this, hook: name });
    const result = hasTimeout(timeoutMs)
      ? invokeWithTimeout(fn, target, this.#phaseSignal(startPhase), host.clock, { service: this.label, hook: name, ms: timeoutMs })
      : invoke(fn, target, hook.takesSignal ? this.#phaseSignal(startPhase) : undefined);
    if (!observed) return result;
    return result.then(
      () => this.#emit({ type: 'hook.executed', service: this, hook: name, durationMs: host.clock.now() - t0 }),
      (error: unknown) => {
        this.#emit({ type: 'hook.executed', service: this, hook: name, durationMs: host.clock.now() - t0, error: toError(error) });
        throw error;
      },
    );
  }

  /** Start hooks get the run's signal; stop hooks one that aborts only when the stop is forced. */
  #phaseSignal(startPhase: boolean): AbortSignal {
    return startPhase ? this.signal : this.host!.forceSignal;
  }
}
