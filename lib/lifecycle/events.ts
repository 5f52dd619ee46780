// The typed events the lifecycle engine emits; logging, the beacon, the console and tests consume them.
import type { HookError } from '../errors/lifecycle.js';
import type { LogLevel, Readiness, ServiceNode } from './state.js';
import type { Shutdowner } from './shutdowner.js';

/**
 * The application began starting `services` services.
 * @category Events
 */
export interface AppStartingEvent {
  /** The event's name, which tells the events of {@link LifecycleEvent} apart. */
  readonly type: 'app.starting';
  /** How many services will start. */
  readonly services: number;
}
/**
 * Every service is running.
 * @category Events
 */
export interface AppStartedEvent {
  /** The event's name, which tells the events of {@link LifecycleEvent} apart. */
  readonly type: 'app.started';
  /** How long the whole start took, in milliseconds (on the application's clock). */
  readonly durationMs: number;
}
/**
 * A start failed; everything already started is being stopped in reverse order.
 * @category Events
 */
export interface AppRollingBackEvent {
  /** The event's name, which tells the events of {@link LifecycleEvent} apart. */
  readonly type: 'app.rollingBack';
  /** The hook failures that made the start fail (usually one). */
  readonly errors: readonly HookError[];
}
/**
 * The application began stopping; `reason` says why.
 * @category Events
 */
export interface AppStoppingEvent {
  /** The event's name, which tells the events of {@link LifecycleEvent} apart. */
  readonly type: 'app.stopping';
  /**
   * Why: `'stop'` (a call to `stop()`), `'crash'`, `'shutdown'` (a {@link Shutdowner}),
   * `'rollback'` (a failed start), `'restart'` (a whole-app restart), `'signal'` (under the
   * Worker), or the word passed to `worker.stop(reason)`.
   */
  readonly reason: string;
}
/**
 * A service asked the application to stop from inside (a {@link Shutdowner}); the stop
 * follows. The Worker exits with `exitCode` and logs `reason`.
 * @category Events
 */
export interface AppShutdownRequestedEvent {
  /** The event's name, which tells the events of {@link LifecycleEvent} apart. */
  readonly type: 'app.shutdownRequested';
  /** The exit code the service asked for (the Worker exits with it). */
  readonly exitCode: number;
  /** The reason it gave, if any, for the log. */
  readonly reason: string | undefined;
}
/**
 * Every service has stopped; `errors` lists what failed while stopping.
 * @category Events
 */
export interface AppStoppedEvent {
  /** The event's name, which tells the events of {@link LifecycleEvent} apart. */
  readonly type: 'app.stopped';
  /** How long the whole stop took, in milliseconds (on the application's clock). */
  readonly durationMs: number;
  /** What failed while stopping (empty after a clean stop). */
  readonly errors: readonly Error[];
}
/**
 * The application's readiness changed (`app.readiness`): emitted right after the event that
 * changed it has reached every listener.
 * @category Events
 */
export interface AppReadinessEvent {
  /** The event's name, which tells the events of {@link LifecycleEvent} apart. */
  readonly type: 'app.readiness';
  /** The readiness now. */
  readonly readiness: Readiness;
  /** The readiness before this change. */
  readonly previous: Readiness;
}

/**
 * A service began starting.
 * @category Events
 */
export interface ServiceStartingEvent {
  /** The event's name, which tells the events of {@link LifecycleEvent} apart. */
  readonly type: 'service.starting';
  /** The service it happened to. */
  readonly service: ServiceNode;
}
/**
 * A service is running.
 * @category Events
 */
export interface ServiceStartedEvent {
  /** The event's name, which tells the events of {@link LifecycleEvent} apart. */
  readonly type: 'service.started';
  /** The service it happened to. */
  readonly service: ServiceNode;
  /** How long its start hooks took, in milliseconds (on the application's clock). */
  readonly durationMs: number;
}
/**
 * A service failed to start.
 * @category Events
 */
export interface ServiceStartFailedEvent {
  /** The event's name, which tells the events of {@link LifecycleEvent} apart. */
  readonly type: 'service.startFailed';
  /** The service it happened to. */
  readonly service: ServiceNode;
  /** The hook failure; its `cause` is what the hook threw. */
  readonly error: HookError;
}
/**
 * A service began stopping.
 * @category Events
 */
export interface ServiceStoppingEvent {
  /** The event's name, which tells the events of {@link LifecycleEvent} apart. */
  readonly type: 'service.stopping';
  /** The service it happened to. */
  readonly service: ServiceNode;
}
/**
 * A service has stopped; `errors` lists hooks or background work that failed on the way.
 * @category Events
 */
export interface ServiceStoppedEvent {
  /** The event's name, which tells the events of {@link LifecycleEvent} apart. */
  readonly type: 'service.stopped';
  /** The service it happened to. */
  readonly service: ServiceNode;
  /** How long its stop took, in milliseconds (on the application's clock). */
  readonly durationMs: number;
  /** The stop hooks and background work that failed on the way (empty after a clean stop). */
  readonly errors: readonly Error[];
}
/**
 * A running service crashed (a task or timer threw, or `crash()` was called).
 * @category Events
 */
export interface ServiceCrashedEvent {
  /** The event's name, which tells the events of {@link LifecycleEvent} apart. */
  readonly type: 'service.crashed';
  /** The service it happened to. */
  readonly service: ServiceNode;
  /** Why it crashed (its `crashReason`). */
  readonly error: Error;
}
/**
 * A service is being restarted (after its stop, before its start).
 * @category Events
 */
export interface ServiceRestartingEvent {
  /** The event's name, which tells the events of {@link LifecycleEvent} apart. */
  readonly type: 'service.restarting';
  /** The service it happened to. */
  readonly service: ServiceNode;
}
/**
 * A supervisor is restarting a crashed service: restart `attempt` of at most `maxRestarts`
 * within its window, after `delayMs` of backoff.
 * @category Events
 */
export interface SupervisorRestartingEvent {
  /** The event's name, which tells the events of {@link LifecycleEvent} apart. */
  readonly type: 'supervisor.restarting';
  /** The label of the supervisor. */
  readonly supervisor: string;
  /** The strategy restarting it (`'one-for-one'`, `'rest-for-one'`, `'one-for-all'`). */
  readonly strategy: string;
  /** The service that crashed. */
  readonly service: ServiceNode;
  /** Every service the strategy restarts (the crashed one first). */
  readonly services: readonly ServiceNode[];
  /** Which restart this is within the window (1 for the first). */
  readonly attempt: number;
  /** The most restarts the policy allows within its window. */
  readonly maxRestarts: number;
  /** The backoff before the restart, in milliseconds. */
  readonly delayMs: number;
  /** The crash that caused the restart. */
  readonly error: Error;
}
/**
 * A supervisor gave up on crashed services (a forfeit strategy, or a temporary service): they are stopped.
 * @category Events
 */
export interface SupervisorGaveUpEvent {
  /** The event's name, which tells the events of {@link LifecycleEvent} apart. */
  readonly type: 'supervisor.gaveUp';
  /** The label of the supervisor. */
  readonly supervisor: string;
  /** The service that crashed. */
  readonly service: ServiceNode;
  /** Every service it stops as a result (the crashed one first). */
  readonly services: readonly ServiceNode[];
  /** The crash it gave up on. */
  readonly error: Error;
}
/**
 * A supervisor's restart budget is spent: it escalates `error` (a `MaxRestartsExceededError`) to its parent, or the app.
 * @category Events
 */
export interface SupervisorEscalatingEvent {
  /** The event's name, which tells the events of {@link LifecycleEvent} apart. */
  readonly type: 'supervisor.escalating';
  /** The label of the supervisor. */
  readonly supervisor: string;
  /** The service whose crash spent the budget. */
  readonly service: ServiceNode;
  /** The `MaxRestartsExceededError` it escalates (its `cause` is the last crash). */
  readonly error: Error;
}
/**
 * A stop that hung during a restart was abandoned after `timeoutMs`.
 * @category Events
 */
export interface ServiceStopAbandonedEvent {
  /** The event's name, which tells the events of {@link LifecycleEvent} apart. */
  readonly type: 'service.stopAbandoned';
  /** The service whose stop hung. */
  readonly service: ServiceNode;
  /** The supervisor's stop timeout that ran out, in milliseconds. */
  readonly timeoutMs: number;
}
/**
 * A hook began.
 * @category Events
 */
export interface HookExecutingEvent {
  /** The event's name, which tells the events of {@link LifecycleEvent} apart. */
  readonly type: 'hook.executing';
  /** The service it happened to. */
  readonly service: ServiceNode;
  /** The hook's method name (e.g. `'onStart'`). */
  readonly hook: string;
}
/**
 * A hook settled; `error` is set when it failed.
 * @category Events
 */
export interface HookExecutedEvent {
  /** The event's name, which tells the events of {@link LifecycleEvent} apart. */
  readonly type: 'hook.executed';
  /** The service it happened to. */
  readonly service: ServiceNode;
  /** The hook's method name (e.g. `'onStart'`). */
  readonly hook: string;
  /** How long the hook ran, in milliseconds (on the application's clock). */
  readonly durationMs: number;
  /** Why it failed (it threw or timed out); absent when it succeeded. */
  readonly error?: Error;
}
/**
 * A service logged something through its `log`.
 * @category Events
 */
export interface ServiceLogEvent {
  /** The event's name, which tells the events of {@link LifecycleEvent} apart. */
  readonly type: 'service.log';
  /** The service that logged. */
  readonly service: ServiceNode;
  /** The level it logged at. */
  readonly level: LogLevel;
  /** The formatted message. */
  readonly message: string;
  /** The error passed to `log.exception()`, whose stack the Worker prints. */
  readonly error?: Error;
}

/**
 * Every event the lifecycle engine emits, discriminated by `type`. Subscribe with
 * `app.on(type, listener)` or `app.on(listener)`, or from outside the code through
 * `node:diagnostics_channel` ({@link LIFECYCLE_CHANNEL}).
 * @example
 * ```ts
 * app.on('service.started', (event) => console.log(`${event.service.label} took ${event.durationMs}ms`));
 * app.on((event: LifecycleEvent) => { if (event.type === 'service.crashed') report(event.error); });
 * ```
 * @category Events
 */
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
