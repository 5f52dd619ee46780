// The typed events the lifecycle engine emits; logging, the beacon, the console and tests consume them.
import type { HookError } from '../errors/lifecycle.js';
import type { LogLevel, Readiness, ServiceNode } from './state.js';
import type { Shutdowner } from './shutdowner.js';

/** The application began starting `services` services. */
export interface AppStartingEvent {
  readonly type: 'app.starting';
  readonly services: number;
}
/** Every service is running. */
export interface AppStartedEvent {
  readonly type: 'app.started';
  readonly durationMs: number;
}
/** A start failed; everything already started is being stopped in reverse order. */
export interface AppRollingBackEvent {
  readonly type: 'app.rollingBack';
  readonly errors: readonly HookError[];
}
/** The application began stopping (`reason`: `'stop'`, `'crash'`, `'rollback'`, or a caller's word). */
export interface AppStoppingEvent {
  readonly type: 'app.stopping';
  readonly reason: string;
}
/**
 * A service asked the application to stop from inside (a {@link Shutdowner}); the stop
 * follows. The Worker exits with `exitCode` and logs `reason`.
 */
export interface AppShutdownRequestedEvent {
  readonly type: 'app.shutdownRequested';
  readonly exitCode: number;
  readonly reason: string | undefined;
}
/** Every service has stopped; `errors` lists what failed while stopping. */
export interface AppStoppedEvent {
  readonly type: 'app.stopped';
  readonly durationMs: number;
  readonly errors: readonly Error[];
}
/**
 * The application's readiness changed (`app.readiness`): emitted right after the event that
 * changed it has reached every listener.
 */
export interface AppReadinessEvent {
  readonly type: 'app.readiness';
  readonly readiness: Readiness;
  readonly previous: Readiness;
}
/** A service began starting. */
export interface ServiceStartingEvent {
  readonly type: 'service.starting';
  readonly service: ServiceNode;
}
/** A service is running. */
export interface ServiceStartedEvent {
  readonly type: 'service.started';
  readonly service: ServiceNode;
  readonly durationMs: number;
}
/** A service failed to start. */
export interface ServiceStartFailedEvent {
  readonly type: 'service.startFailed';
  readonly service: ServiceNode;
  readonly error: HookError;
}
/** A service began stopping. */
export interface ServiceStoppingEvent {
  readonly type: 'service.stopping';
  readonly service: ServiceNode;
}
/** A service has stopped; `errors` lists hooks or background work that failed on the way. */
export interface ServiceStoppedEvent {
  readonly type: 'service.stopped';
  readonly service: ServiceNode;
  readonly durationMs: number;
  readonly errors: readonly Error[];
}
/** A running service crashed (a task or timer threw, or `crash()` was called). */
export interface ServiceCrashedEvent {
  readonly type: 'service.crashed';
  readonly service: ServiceNode;
  readonly error: Error;
}
/** A service is being restarted (after its stop, before its start). */
export interface ServiceRestartingEvent {
  readonly type: 'service.restarting';
  readonly service: ServiceNode;
}
/**
 * A supervisor is restarting a crashed service: restart `attempt` of at most `maxRestarts`
 * within its window, after `delayMs` of backoff.
 */
export interface SupervisorRestartingEvent {
  readonly type: 'supervisor.restarting';
  readonly supervisor: string;
  /** The strategy restarting it (`'one-for-one'`, `'rest-for-one'`, `'one-for-all'`). */
  readonly strategy: string;
  readonly service: ServiceNode;
  /** Every service the strategy restarts (the crashed one first). */
  readonly services: readonly ServiceNode[];
  readonly attempt: number;
  readonly maxRestarts: number;
  readonly delayMs: number;
  readonly error: Error;
}
/** A supervisor gave up on crashed services (a forfeit strategy, or a temporary service): they are stopped. */
export interface SupervisorGaveUpEvent {
  readonly type: 'supervisor.gaveUp';
  readonly supervisor: string;
  readonly service: ServiceNode;
  readonly services: readonly ServiceNode[];
  readonly error: Error;
}
/** A supervisor's restart budget is spent: it escalates `error` (a `MaxRestartsExceededError`) to its parent, or the app. */
export interface SupervisorEscalatingEvent {
  readonly type: 'supervisor.escalating';
  readonly supervisor: string;
  readonly service: ServiceNode;
  readonly error: Error;
}
/** A stop that hung during a restart was abandoned after `timeoutMs`. */
export interface ServiceStopAbandonedEvent {
  readonly type: 'service.stopAbandoned';
  readonly service: ServiceNode;
  readonly timeoutMs: number;
}
/** A hook began. */
export interface HookExecutingEvent {
  readonly type: 'hook.executing';
  readonly service: ServiceNode;
  readonly hook: string;
}
/** A hook settled; `error` is set when it failed. */
export interface HookExecutedEvent {
  readonly type: 'hook.executed';
  readonly service: ServiceNode;
  readonly hook: string;
  readonly durationMs: number;
  readonly error?: Error;
}
/** A service logged something through its `log`. */
export interface ServiceLogEvent {
  readonly type: 'service.log';
  readonly service: ServiceNode;
  readonly level: LogLevel;
  readonly message: string;
  readonly error?: Error;
}

/** Every event the lifecycle engine emits, discriminated by `type`. */
export type LifecycleEvent =
  | AppStartingEvent
  | AppStartedEvent
  | AppRollingBackEvent
  | AppStoppingEvent
  | AppShutdownRequestedEvent
  | AppStoppedEvent
  | AppReadinessEvent
  | ServiceStartingEvent
  | ServiceStartedEvent
  | ServiceStartFailedEvent
  | ServiceStoppingEvent
  | ServiceStoppedEvent
  | ServiceCrashedEvent
  | ServiceRestartingEvent
  | SupervisorRestartingEvent
  | SupervisorGaveUpEvent
  | SupervisorEscalatingEvent
  | ServiceStopAbandonedEvent
  | HookExecutingEvent
  | HookExecutedEvent
  | ServiceLogEvent;
