// The states a service (and an application) moves through.

/**
 * Mode's service states. `shutdown` means fully stopped (Mode reports `stopping` there; we
 * don't). `crashed` is entered by a crash and left by a restart or stop.
 * @example
 * ```ts
 * const stuck = app.services.filter((node) => node.state !== 'running');
 * ```
 * @category Lifecycle
 */
export type ServiceState = 'init' | 'starting' | 'running' | 'stopping' | 'shutdown' | 'crashed' | 'restarting';

/**
 * Whether an application can take traffic (SPEC §11): `ready` when it runs and every service
 * runs; `degraded` when it runs but some service does not (crashed, restarting, backing off,
 * given up on by a supervisor, or stopped on its own); `not ready` before the first start has
 * finished and from the moment a stop begins.
 * @example
 * ```ts
 * if (app.readiness !== 'ready') response.writeHead(503);
 * ```
 * @category Production
 */
export type Readiness = 'ready' | 'degraded' | 'not ready';

/**
 * The log levels of Mode, lowest first.
 * @example
 * ```ts
 * const level: LogLevel = 'warning';
 * ```
 * @category Services
 */
export type LogLevel = 'debug' | 'info' | 'warning' | 'error' | 'critical';

/**
 * A read-only view of one service in the running graph, as events and the beacon see it.
 * @example
 * ```ts
 * app.on('service.started', ({ service }) => console.log(service.label, service.depth, service.startDurationMs));
 * ```
 * @category Lifecycle
 */
export interface ServiceNode {
  /** The name shown in logs: the class name unless the service says otherwise. */
  readonly label: string;
  /** Its state now. */
  readonly state: ServiceState;
  /** The service object (`undefined` for bindings with no single instance). */
  readonly instance: object | undefined;
  /**
   * Whether its class declares lifecycle work (hooks, background work) or is a `Service`: the
   * Worker logs such a service's start and stop at INFO, a plain injectable's at DEBUG.
   */
  readonly hasLifecycle: boolean;
  /**
   * The level its routine lines ("Starting...", "-Stopped!") are logged at (Mode's
   * `mundane_level`): `info` for services with a lifecycle, `debug` for plain injectables, or
   * what a `Service` subclass sets in its `mundaneLevel`.
   */
  readonly mundaneLevel: 'info' | 'debug';
  /** Distance from the root: 1 for services nothing depends on, 2 for what they need, … */
  readonly depth: number;
  /** How many times the service was restarted. */
  readonly restartCount: number;
  /** How long its last start took, in milliseconds (`undefined` until it has started once). */
  readonly startDurationMs: number | undefined;
  /** Why it last crashed or failed to start. */
  readonly crashReason: Error | undefined;
  /** Names of its background work in flight (tasks, timers, futures). */
  readonly inFlight: readonly string[];
}
