// One service as a node of the engine's graph: its identity, state and counters, the dependencies it owns, and how it reports.
import { type BoundHook, type ClassLifecycle, type HookName, lifecycleOf, withHooks } from './declarations.js';
import type { LifecycleEvent } from './events.js';
import type { CrashSupervisor, RuntimeHost } from './host.js';
import type { ServiceRuntime } from './runtime.js';
import type { LogLevel, ServiceNode, ServiceState } from './state.js';

const NO_LIFECYCLE = lifecycleOf(class NoLifecycle {});
const NO_CHILDREN: readonly ServiceRuntime[] = Object.freeze([]);

/**
 * What the graph, the events and the beacon see of a service: label, state, depth, counters,
 * owned dependencies, hooks as declared. Its lifecycle (start, stop, its run's signal and
 * work) is {@link ServiceRuntime}'s.
 */
export abstract class RuntimeNode implements ServiceNode {
  state: ServiceState = 'init';
  /** Position in the host's graph (binding order), `-1` until added. */
  index = -1;
  restartCount = 0;
  /** How many starts have begun: each run of the service has its number. */
  starts = 0;
  startDurationMs: number | undefined = undefined;
  crashReason: Error | undefined = undefined;
  host: RuntimeHost | undefined = undefined;
  /** Who takes care of its crashes; with none, a crash stops the application. */
  supervisor: CrashSupervisor | undefined = undefined;
  /** Mode-style dependencies this service owns (`addDependency`): they start before it. */
  children: readonly ServiceRuntime[] = NO_CHILDREN;
  /** Its class's hooks and background work (plus any added to this instance with {@link ServiceRuntime.addHooks}). */
  lifecycle: ClassLifecycle;
  readonly instance: object | undefined;
  #label: string | undefined;

  constructor(instance: object | undefined, label?: string) {
    this.instance = instance;
    this.lifecycle = instance ? lifecycleOf(instance.constructor) : NO_LIFECYCLE;
    this.#label = label;
  }

  /** Names of background work in flight (tasks, timers, futures). */
  abstract get inFlight(): string[];

  /** Distance from the root: 1 for services nothing depends on (and outside an engine), 2 for what they need, … */
  abstract get depth(): number;

  get label(): string {
    this.#label ??= (this.lifecycle.isService ? (this.instance as { label?: string }).label : undefined) ?? this.instance?.constructor.name ?? 'anonymous';
    return this.#label;
  }

  get hasLifecycle(): boolean {
    return this.lifecycle.hasLifecycle;
  }

  get mundaneLevel(): 'info' | 'debug' {
    const own = this.lifecycle.isService ? (this.instance as { mundaneLevel?: unknown }).mundaneLevel : undefined;
    return own === 'debug' || own === 'info' ? own : this.hasLifecycle ? 'info' : 'debug';
  }

  /** Adds hooks to the end of `phase` for this instance only (before it first starts). */
  addHooks(phase: HookName, hooks: readonly BoundHook[]): void {
    this.lifecycle = withHooks(this.lifecycle, phase, hooks);
  }

  /** Adds a Mode-style owned dependency. */
  addChild(child: ServiceRuntime): void {
    if (!this.children.includes(child)) this.children = [...this.children, child];
  }

  /** Forgets an owned dependency. */
  removeChild(child: ServiceRuntime): void {
    this.children = this.children.filter((c) => c !== child);
  }

  /** Emits a `service.log` event; with nobody listening, warnings and worse go to stderr. */
  log(level: LogLevel, message: string, error?: Error): void {
    const events = this.host?.events;
    if (events?.hasListeners) {
      events.emit({ type: 'service.log', service: this, level, message, ...(error ? { error } : {}) });
    } else if (level !== 'debug' && level !== 'info') {
      process.stderr.write(`[${level.toUpperCase()}] ${this.label}: ${message}${error ? `\n${error.stack ?? error}` : ''}\n`);
    }
  }

  /** Emits a lifecycle event about this service (nothing outside an engine). */
  emit(event: LifecycleEvent): void {
    this.host?.events.emit(event);
  }
}
