// mode-di's public API. Anything not exported here is internal.
/**
 * mode-di's public API, by category: start with {@link Application} and {@link Service}.
 *
 * @categoryDescription Lifecycle
 * Run an application: plan its dependency graph, start it along its edges, stop it in reverse.
 * @categoryDescription Services
 * Write services: the Mode-style `Service` class, or hook decorators on any injectable class.
 * @categoryDescription Events
 * The typed events the engine emits at every step; logging, the beacon and tests listen to them.
 * @categoryDescription Supervision
 * Restart crashed services: Mode's supervisors, `@supervised`, and restart policies with backoff.
 * @categoryDescription Background work
 * Work that runs while a service runs: `@task`, `@timer`, `@crontab`, and their functions.
 * @categoryDescription Worker
 * Run an app as a process: signals, logging, exit codes (what `mode-di run` does).
 * @categoryDescription Beacon
 * The service graph as pictures: SVG, PNG, DOT, Mermaid and JSON, live or planned.
 * @categoryDescription Diagnostics
 * Find what blocks the event loop, measure its delay, and inspect a running app from a console.
 * @categoryDescription Production
 * Run under an orchestrator: health endpoint, readiness, drain, systemd notifications.
 * @categoryDescription Errors
 * Every error mode-di throws: typed, named, carrying what failed; messages say what to do.
 * @categoryDescription Testing
 * Drive time by hand, so tests of timers, timeouts and restarts are exact and instant.
 * @categoryDescription Loader
 * Load TypeScript app modules with decorator metadata, as `mode-di run` does.
 * @categoryDescription Utilities
 * Clocks, durations and a typed event bus, shared by the rest.
 * @packageDocumentation
 */
import 'reflect-metadata';

export { Application, type ApplicationOptions, type ApplicationTarget } from './application/application.js';
export { formatPlan, type Plan, type PlanEntry, type PlanDependency } from './application/plan.js';

export { Service } from './service/service.js';
export {
  onFirstStart,
  onStart,
  onStarted,
  onStop,
  onShutdown,
  onRestart,
  dependsOn,
  type HookOptions,
  type HookDecorator,
} from './service/decorators.js';
export { cachedProperty } from './service/cached-property.js';
export type { SignalMethod, SignalMethodDecorator } from './service/signal-method.js';
export { ServiceLogger } from './service/logger.js';
export { logFor } from './service/log-for.js';

// ---- Supervision ----
export {
  SupervisorStrategy,
  OneForOneSupervisor,
  OneForAllSupervisor,
  RestForOneSupervisor,
  ForfeitOneForOneSupervisor,
  ForfeitOneForAllSupervisor,
  CrashingSupervisor,
  type SupervisorOptions,
} from './supervision/mode-supervisors.js';
export { supervised, type SupervisedOptions, type SupervisionOptions } from './supervision/declared.js';
export { restartPolicy, type SupervisionStrategy, type RestartType, type BackoffOptions, type RestartPolicyOptions, type RestartPolicy } from './supervision/policy.js';

export type { AppState, LifecycleOptions } from './lifecycle/lifecycle.js';
export { Shutdowner, type ShutdownOptions } from './lifecycle/shutdowner.js';
export { LIFECYCLE_CHANNEL } from './lifecycle/event-stream.js';
export type { ServiceNode, ServiceState, LogLevel, Readiness } from './lifecycle/state.js';
export type { EdgeKind } from './lifecycle/graph.js';
export type { HookName } from './lifecycle/declarations.js';
export type * from './lifecycle/events.js';

export * from './errors/index.js';

export { type Clock, type ClockTimer, systemClock, sleepOn } from './utils/clock.js';
export { type Duration, type DurationString, type DurationUnit, parseDuration, wantSeconds, humanizeSeconds, formatDuration } from './utils/durations.js';
export { EventBus, type Unsubscribe } from './utils/event-bus.js';

export { ManualClock, flushMicrotasks } from './testing/manual-clock.js';

// ---- Background work (tasks, timers, cron) ----
export { task, type TaskOptions, type TaskDecorator } from './background/task.js';
export { timer, runTimer, type TimerOptions, type RunTimerOptions } from './background/timer.js';
export { crontab, runCrontab, parseCron, type CrontabOptions, type RunCrontabOptions } from './background/crontab.js';
export type { BackgroundCallback } from './background/declare.js';

// ---- Worker and command line ----
export { Worker, type WorkerTarget } from './worker/worker.js';
export type { WorkerOptions, WorkerConsoleOptions } from './worker/options.js';
export type { WorkerLogger } from './worker/logger.js';
export { ExitCode, exitCodeFor, type ExitCodeValue } from './worker/exit-codes.js';
export { ForcedStopError } from './worker/errors.js';
export { formatLogLine, formatJsonLine, type LogRecord } from './worker/log-format.js';
export { AppModuleError } from './loader/errors.js';
export { loadAppModule, type AppModule, type AppModuleTarget } from './loader/app-module.js';
export { registerLoader, type LoaderOptions } from './loader/register.js';
export { defaultCacheDir } from './loader/cache-dir.js';

// ---- Beacon: the service graph as pictures (SVG, PNG, DOT, Mermaid, JSON) ----
export type { BeaconSnapshot, BeaconNode, BeaconEdge, BeaconState, BeaconNodeKind } from './beacon/snapshot.js';
export { isBeaconSnapshot, type BeaconSource } from './beacon/snapshot.js';
export { Beacon } from './beacon/beacon.js';
export { AppBeacon, type AppSnapshotOptions } from './beacon/app-beacon.js';
export { ServiceBeacon, beaconOf } from './beacon/service-beacon.js';
export { asGraph, toDot } from './beacon/dot.js';
export { toMermaid } from './beacon/mermaid.js';
export { toJSON, type BeaconJSON } from './beacon/json.js';
export { BEACON_FONT_FAMILY, BEACON_STATE_COLORS, BEACON_EDGE_STYLES } from './beacon/style.js';
export { BEACON_FONT_FILE, type RasterOptions } from './beacon/raster.js';
export { loadGraphviz, type LayoutEngine } from './beacon/layout.js';
export {
  renderGraph,
  renderGraphToBuffer,
  type GraphInput,
  type GraphFormat,
  type RenderOptions,
} from './beacon/render.js';

// ---- Diagnostics (blocking detection, event-loop delay, the remote console) ----
export { BlockingDetector, type BlockingDetectorOptions, type LoopStall } from './diagnostics/blocking-detector.js';
export { LoopMonitor, formatLoopDelay, type LoopDelay } from './diagnostics/loop-monitor.js';
export type { BlockingReport, UnblockedReport, CapturedStack } from './diagnostics/watchdog-protocol.js';
export { WatchdogError } from './diagnostics/errors.js';
export { ConsoleServer, type ConsoleServerOptions } from './diagnostics/console-server.js';
export type { ConsoleHost, ConsoleTask } from './diagnostics/console-host.js';
export { ConsoleError } from './diagnostics/errors.js';

// ---- Production: readiness, health endpoint, drain, systemd ----
export { AppHealthSource, type AppHealthSourceOptions, type HealthSource } from './health/source.js';
export { healthStatus, type HealthStatus, type ServiceStatus } from './health/status.js';
export { HealthServer } from './health/server.js';
export { Orchestration, type OrchestrationSettings, type OrchestrationLog } from './health/orchestration.js';
export { SystemdNotifier, systemdEnvironment, type SystemdEnvironment, type SystemdNotifierOptions } from './health/systemd.js';
export { resolveHealthOptions, type HealthOptions, type ResolvedHealthOptions } from './health/options.js';
export { HealthEndpointError, SystemdNotifyError } from './health/errors.js';
