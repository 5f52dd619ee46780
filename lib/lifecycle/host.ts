// What one service's runtime needs from the engine it belongs to.
import type { Clock } from '../utils/clock.js';
import type { LifecycleEvents } from './event-stream.js';
import type { ServiceRuntime } from './runtime.js';

/** What a runtime needs from the engine it belongs to. */
export interface RuntimeHost {
  readonly clock: Clock;
  readonly events: LifecycleEvents;
  /** Default timeout for hooks that do not set their own. */
  readonly hookTimeoutMs: number | undefined;
  /** Aborts stop hooks and background work still running when a stop is forced. */
  readonly forceSignal: AbortSignal;
  /** The node's distance from the graph's roots (1 for a root). */
  depthOf(node: ServiceRuntime): number;
  /** `node` began a start: it joins the record of what has started. */
  startBegan(node: ServiceRuntime): void;
  /** `node` has stopped: it leaves that record. */
  stopEnded(node: ServiceRuntime): void;
  /** A running service crashed. */
  onCrash(node: ServiceRuntime, error: Error): void;
}

/**
 * Takes care of a service's crashes instead of the application: a supervisor.
 * @example
 * ```ts
 * runtime.supervisor = { handle: (node, error) => { void restartLater(node); return true; } };
 * ```
 */
export interface CrashSupervisor {
  /** Returns `true` when it takes care of `node`'s crash (the application keeps running). */
  handle(node: ServiceRuntime, error: Error): boolean;
}
