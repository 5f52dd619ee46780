// Mode's ServiceBase: what a Service is (its hooks to override, its label, state and signal), apart from what it does (service.ts).
import { beaconOfRuntime, type ServiceBeacon } from '../beacon/service-beacon.js';
import { runtimeOf, type ServiceRuntime } from '../lifecycle/runtime.js';
import type { ServiceState } from '../lifecycle/state.js';
import { logFor } from './log-for.js';
import type { ServiceLogger } from './logger.js';

/**
 * The hooks a {@link Service} overrides and what it is: its label, state, run signal and
 * logger. Extend `Service`, not this.
 * @example
 * ```ts
 * class Cache extends Service { override onStart() { this.log.info('%s is %s', this.label, this.state); } }
 * ```
 * @category Services
 */
export abstract class ServiceBase {
  // ---- Hooks: override the ones you need. Each receives an AbortSignal. ----

  /** Runs before `onStart` the first time the service starts (not on restarts). */
  onFirstStart(_signal: AbortSignal): void | Promise<void> {}
  /** Runs when the service starts, after everything it depends on is running. */
  onStart(_signal: AbortSignal): void | Promise<void> {}
  /** Runs after `onStart`, once background work has begun. */
  onStarted(_signal: AbortSignal): void | Promise<void> {}
  /** Runs when the service begins to stop; dependents have already stopped. */
  onStop(_signal: AbortSignal): void | Promise<void> {}
  /** Runs last when stopping, after background work has been cancelled and awaited. */
  onShutdown(_signal: AbortSignal): void | Promise<void> {}
  /** Runs on restart, between the stop and the new start. */
  onRestart(_signal: AbortSignal): void | Promise<void> {}
  /**
   * Mode's `on_init_dependencies`: the services this one needs, added as with `addDependency`
   * once, before its tree is first planned or started (not again on a restart).
   * @example
   * ```ts
   * override onInitDependencies() { return [this.db, this.cache]; }
   * ```
   */
  onInitDependencies(): Iterable<object> {
    return [];
  }

  // ---- Identity and state. ----

  /**
   * The level of its routine log lines ("Starting...", "-Stopped!"): Mode's `mundane_level`.
   * Set `'debug'` in a subclass for a chatty service.
   */
  mundaneLevel: 'info' | 'debug' = 'info';

  /** The Mode-style supervisor (a `SupervisorStrategy`) that handles this service's crashes, if any. */
  supervisor: ServiceBase | undefined = undefined;

  /** The name shown in logs and graphs. Defaults to the class name; override to change it. */
  get label(): string {
    return this.constructor.name;
  }

  /** @internal The engine's record of this service. */
  get runtime(): ServiceRuntime {
    return runtimeOf(this);
  }

  /** The current state: `init`, `starting`, `running`, `stopping`, `shutdown`, `crashed` or `restarting`. */
  get state(): ServiceState {
    return this.runtime.state;
  }

  /** Whether the service is starting or running. */
  get started(): boolean {
    const state = this.runtime.state;
    return state === 'starting' || state === 'running';
  }

  /** Whether it crashed (Mode's `crashed`): true from the crash until its next start. */
  get crashed(): boolean {
    return this.runtime.crashReason !== undefined;
  }

  /** Whether the service has been asked to stop (or crashed): loops should wind down. */
  get shouldStop(): boolean {
    const runtime = this.runtime;
    const state = runtime.state;
    // A stop that halts a start in progress leaves the state 'starting' until the hook returns.
    return state === 'stopping' || state === 'shutdown' || state === 'crashed' || (state === 'starting' && runtime.signal.aborted);
  }

  /** Why the service last crashed or failed to start. */
  get crashReason(): Error | undefined {
    return this.runtime.crashReason;
  }

  /** How many times the service was restarted. */
  get restartCount(): number {
    return this.runtime.restartCount;
  }

  /**
   * The service's node in the beacon (Mode's `Node`): `root`, `parent`, `children`, `depth`,
   * `path`, `walk()`, `traverse()`, and the graph under it (`snapshot()`, `toDot()`, …).
   * `this.beacon.root` is the application's beacon, from which the whole app is drawn.
   * @example
   * ```ts
   * override async onStart() {
   *   await renderGraph(this.beacon.root, 'image.png');
   * }
   * ```
   */
  get beacon(): ServiceBeacon {
    return beaconOfRuntime(this.runtime);
  }

  /** The AbortSignal of the current run: aborts when the service begins to stop or crashes. */
  get signal(): AbortSignal {
    return this.runtime.signal;
  }

  /** The service's logger; lines appear as `[^--Label]: message` under the Worker. */
  get log(): ServiceLogger {
    return logFor(this);
  }
}
