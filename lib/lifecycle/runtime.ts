// One service's lifecycle in the engine: the AbortSignal of its run, its work and resources, and its hooks run in phase order on start, stop, restart and crash.
import { HookError, ServiceStoppingError } from '../errors/lifecycle.js';
import { deferred } from '../utils/deferred.js';
import { callHook } from './hook-call.js';
import { type BoundHook, hookName } from './declarations.js';
import { RuntimeNode } from './runtime-node.js';
import { RunContexts, type RunResource } from './contexts.js';
import { ServiceWork, type WorkItem } from './work.js';

export type { CrashSupervisor, RuntimeHost } from './host.js';

/** Each instance's runtime. */
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

/** A stop under way: when it began, what failed so far, and how it is settled. */
interface StopInProgress {
  readonly t0: number;
  readonly errors: Error[];
  finish(errors: Error[]): void;
}

/**
 * The engine's record of one service as a lifecycle: the AbortSignal of the current run, its
 * background work and resources, and its hooks run in phase order on start, stop, restart and
 * crash (what it is in the graph is {@link RuntimeNode}). Ordering between services is the
 * scheduler's job.
 */
export class ServiceRuntime extends RuntimeNode {
  #work: ServiceWork | undefined;
  #contexts: RunContexts | undefined;
  #firstStartDone = false;
  /** `onStart` completed and no stop has run since: the stop hooks are owed. */
  #stopHooksOwed = false;
  #run: AbortController | undefined;
  /** Why the current run must end (a stop's interruption or a crash), once it must. */
  #halt: Error | undefined;
  #starting: Promise<void> | undefined;
  #stopping: Promise<Error[]> | undefined;
  #stopInProgress: StopInProgress | undefined;
  #stopWaiters: Array<() => void> | undefined;

  /** Distance from the root: 1 for services nothing depends on (and outside an engine), 2 for what they need, … */
  get depth(): number {
    return this.host ? this.host.depthOf(this) : 1;
  }

  /** Names of background work in flight (tasks, timers, futures). */
  get inFlight(): string[] {
    return this.#work?.names() ?? [];
  }

  /** Its work in flight with ids, start times and creation stacks (see {@link ServiceWork.cancel}). */
  get workItems(): readonly WorkItem[] {
    return this.#work?.items() ?? [];
  }

  /**
   * The AbortSignal of the current run; aborts when the service begins to stop or crashes.
   * Made on first use (aborting a signal nobody holds would cost ~15 µs a service).
   */
  get signal(): AbortSignal {
    if (!this.#run) {
      this.#run = new AbortController();
      if (this.#halt) this.#run.abort(this.#halt);
    }
    return this.#run.signal;
  }

  /** Ends the current run: its signal (if anyone holds it) aborts with `reason`. */
  #abortRun(reason: Error): void {
    this.#halt ??= reason;
    this.#run?.abort(reason);
  }

  /** Its work in flight (background tasks, timers, futures); made on first use. */
  get work(): ServiceWork {
    return (this.#work ??= new ServiceWork(this));
  }

  /** Holds `resource` until this run's stop, which releases it (after the background work, before `onShutdown`). */
  addContext(resource: RunResource): void {
    (this.#contexts ??= new RunContexts()).add(resource);
  }

  /**
   * Runs onFirstStart → onStart → background → onStarted. Rejects with a {@link HookError}
   * when a hook fails (or the service crashes while starting), and with a
   * {@link ServiceStoppingError} when a stop interrupted it. Joins a start in progress.
   */
  start(): Promise<void> {
    if (this.#starting) return this.#starting;
    if (this.state === 'running') return Promise.resolve();
    if (this.#stopping) return this.#stopping.then(() => this.start());
    // Stored before the hooks run, so a hook that calls back into start() joins this one.
    const { promise, resolve, reject } = deferred<void>();
    this.#starting = promise;
    this.#start().then(resolve, reject);
    return promise;
  }

  async #start(): Promise<void> {
    const host = this.host!;
    const t0 = host.clock.now();
    this.state = 'starting';
    this.starts++;
    this.crashReason = undefined;
    this.#halt = undefined;
    if (this.#run?.signal.aborted) this.#run = undefined;
    host.startBegan(this);
    this.emit({ type: 'service.starting', service: this });
    const { hooks } = this.lifecycle;
    let current: BoundHook | undefined;
    try {
      if (!this.#firstStartDone) {
        for (current of hooks.onFirstStart) await this.#call(current, false);
        this.#firstStartDone = true;
        if (this.#halt) throw this.#halt;
      }
      for (current of hooks.onStart) await this.#call(current, false);
      current = undefined;
      this.#stopHooksOwed = true;
      if (this.#halt) throw this.#halt;
      if (this.lifecycle.background.length > 0) this.work.beginBackground();
      for (current of hooks.onStarted) await this.#call(current, false);
      current = undefined;
      if (this.#halt) throw this.#halt;
    } catch (error) {
      throw this.#startFailed(current, error);
    } finally {
      this.#starting = undefined;
    }
    this.state = 'running';
    this.startDurationMs = host.clock.now() - t0;
    this.emit({ type: 'service.started', service: this, durationMs: this.startDurationMs });
  }

  /**
   * Why a start ended early: a stop interrupted it (the hook gave up with the stop's abort, or
   * finished after it), or it failed (in `hook`, or by a crash).
   */
  #startFailed(hook: BoundHook | undefined, error: unknown): Error {
    const halt = this.#halt;
    const cause = error instanceof HookError ? error.cause : error;
    if (halt instanceof ServiceStoppingError && (cause === halt || (cause instanceof Error && cause.name === 'AbortError'))) {
      this.state = 'stopping';
      return halt;
    }
    const reason = this.crashReason ?? error;
    const failure = reason instanceof HookError && reason.service === this.label ? reason : new HookError(this.label, hook ? hookName(hook) : 'crash', reason, hook?.phase);
    this.crashReason = failure;
    this.state = 'crashed';
    this.#abortRun(failure);
    this.emit({ type: 'service.startFailed', service: this, error: failure });
    return failure;
  }

  /** Aborts a start in progress (a stop halted it): its hooks see their signal abort. */
  interruptStart(): void {
    if (this.state === 'starting') this.#abortRun(ServiceStoppingError.for(this.label));
  }

  /**
   * Runs onStop → (background work cancelled and awaited) → onShutdown, skipping nothing,
   * and resolves with the errors met. The stop hooks run only when `onStart` completed.
   * A start in progress is interrupted and awaited first; a stop in progress is joined.
   */
  stop(): Promise<Error[]> {
    if (this.#stopping) return this.#stopping;
    if ((this.state === 'init' || this.state === 'shutdown') && !this.#starting && (this.#work?.size ?? 0) === 0) return Promise.resolve([]);
    // Stored before the hooks run, so a hook that calls back into stop() joins this one.
    const { promise, resolve } = deferred<Error[]>();
    this.#stopping = promise;
    const stop = { t0: this.host!.clock.now(), errors: [] as Error[], finish: resolve };
    this.#stopInProgress = stop;
    void this.#stop(stop);
    return promise;
  }

  async #stop(stop: StopInProgress): Promise<void> {
    const host = this.host!;
    const { errors } = stop;
    if (this.#starting) {
      this.interruptStart();
      await this.#starting.catch(() => {});
    }
    this.state = 'stopping';
    this.emit({ type: 'service.stopping', service: this });
    if (this.#run) this.#abortRun(ServiceStoppingError.for(this.label));
    const owed = this.#stopHooksOwed;
    const { onStop, onShutdown } = this.lifecycle.hooks;
    // After each wait: a stop given up on (abandonStop) ends there, whatever its hung hook does later.
    const abandoned = () => stop !== this.#stopInProgress;
    for (const hook of owed ? onStop : []) {
      await this.#call(hook, true).catch((e: Error) => errors.push(e));
      if (abandoned()) return;
    }
    if (this.#work && this.#work.size > 0) errors.push(...(await this.#work.settle(host.forceSignal)));
    if (abandoned()) return;
    if (this.#contexts && this.#contexts.size > 0) errors.push(...(await this.#contexts.release(this.label)));
    if (abandoned()) return;
    for (const hook of owed ? onShutdown : []) {
      await this.#call(hook, true).catch((e: Error) => errors.push(e));
      if (abandoned()) return;
    }
    this.#stopped(stop);
  }

  #stopped(stop: StopInProgress): void {
    this.#stopInProgress = undefined;
    this.#stopHooksOwed = false;
    this.#run = undefined;
    this.#halt = undefined;
    this.state = 'shutdown';
    this.#stopping = undefined;
    this.host!.stopEnded(this);
    this.emit({ type: 'service.stopped', service: this, durationMs: this.host!.clock.now() - stop.t0, errors: stop.errors });
    const waiters = this.#stopWaiters;
    this.#stopWaiters = undefined;
    waiters?.forEach((resolve) => resolve());
    stop.finish(stop.errors);
  }

  /**
   * Gives up on a stop that hangs (a supervisor's stop timeout): the service counts as
   * stopped now, with `error` among its stop errors; its hung hook is left to settle on its own.
   */
  abandonStop(error: Error): void {
    const stop = this.#stopInProgress;
    if (!stop) return;
    stop.errors.push(error);
    this.#stopped(stop);
  }

  /** Runs the onRestart hooks (between a restart's stop and its start); rejects with a {@link HookError}. */
  async restarting(): Promise<void> {
    this.state = 'restarting';
    this.restartCount++;
    this.emit({ type: 'service.restarting', service: this });
    try {
      for (const hook of this.lifecycle.hooks.onRestart) await this.#call(hook, true);
    } finally {
      // Stopped until the start that follows begins.
      if (this.state === 'restarting') this.state = 'shutdown';
    }
  }

  /**
   * Marks the service crashed and tells its host, which stops the app or lets a supervisor
   * act. While starting, the start fails with this error instead. Ignored once stopping.
   */
  crash(error: Error): void {
    if (this.state === 'starting') {
      this.crashReason ??= error;
      this.#abortRun(error);
      return;
    }
    if (this.state !== 'running') return;
    this.crashReason = error;
    this.state = 'crashed';
    this.#abortRun(error);
    if (!this.host) return;
    this.emit({ type: 'service.crashed', service: this, error });
    this.host.onCrash(this, error);
  }

  /** Resolves once the service has fully stopped (at once when it is not running). */
  waitUntilStopped(): Promise<void> {
    if ((this.state === 'init' || this.state === 'shutdown') && !this.#starting) return Promise.resolve();
    return new Promise((resolve) => (this.#stopWaiters ??= []).push(resolve));
  }

  /** Calls one hook of this service (see {@link callHook}). */
  #call(hook: BoundHook, stopping: boolean): Promise<void> {
    const host = this.host!;
    return callHook(this, hook, hook.takesSignal ? (stopping ? host.forceSignal : this.signal) : undefined);
  }
}
