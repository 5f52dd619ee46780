// What the probes and systemd read: readiness, startup, liveness and each service's state, behind one small interface.
import type { Application } from '../application/application.js';
import type { LifecycleEvent } from '../lifecycle/events.js';
import type { ServiceNode } from '../lifecycle/state.js';
import type { Unsubscribe } from '../utils/event-bus.js';

/**
 * SPEC §11's readiness: `ready` when every service runs, `degraded` while a service
 * restarts (or is otherwise not running) after the first start, `not ready` before the first
 * start has finished and from the moment a stop begins.
 * @example
 * ```ts
 * const ok = (r: Readiness) => r === 'ready';
 * ```
 * @category Production
 */
export type Readiness = 'ready' | 'degraded' | 'not ready';

/**
 * What the health endpoint and the systemd notifier read. {@link AppHealthSource} builds it
 * from the public API (events); the engine can provide its own (its `app.readiness`).
 * @example
 * ```ts
 * const source: HealthSource = new AppHealthSource(app);
 * if (source.readiness() === 'ready') notify('READY=1');
 * ```
 * @category Production
 */
export interface HealthSource {
  /** The app's readiness now. */
  readiness(): Readiness;
  /** The first start has finished. */
  readonly started: boolean;
  /** A stop has begun (a drain included). */
  readonly stopping: boolean;
  /** The app has crashed (liveness fails). */
  readonly crashed: boolean;
  /** Every service of the graph, as the beacon sees it. */
  services(): readonly ServiceNode[];
  /** How long `service` has been running (ms), or `undefined` when it is not running. */
  uptimeMs(service: ServiceNode): number | undefined;
  /** Calls `listener` whenever readiness or `stopping` may have changed. */
  onChange(listener: () => void): Unsubscribe;
  /** Marks the beginning of a stop (the Worker's drain), before any service stops. */
  beginStop(): void;
}

/** Events after which readiness may differ. */
const READINESS_EVENTS = new Set<LifecycleEvent['type']>(['app.starting', 'app.started', 'app.stopping', 'app.stopped', 'service.started', 'service.stopping', 'service.crashed', 'service.restarting', 'service.startFailed']);

/**
 * A {@link HealthSource} read off an `Application`'s public API: its lifecycle events and
 * `app.services`.
 * @example
 * ```ts
 * const source = new AppHealthSource(app);
 * await app.start();
 * source.readiness(); // 'ready'
 * ```
 * @category Production
 */
export class AppHealthSource implements HealthSource {
  #started = false;
  #stopping = false;
  readonly #runningSince = new Map<ServiceNode, number>();
  readonly #listeners = new Set<() => void>();
  readonly #unsubscribe: Unsubscribe;

  constructor(
    private readonly app: Application,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#unsubscribe = app.on((event) => this.#observe(event));
  }

  get started(): boolean {
    return this.#started;
  }

  get stopping(): boolean {
    return this.#stopping;
  }

  get crashed(): boolean {
    return this.app.state === 'crashed';
  }

  readiness(): Readiness {
    if (!this.#started || this.#stopping || this.crashed) return 'not ready';
    return this.app.services.every((s) => s.state === 'running') ? 'ready' : 'degraded';
  }

  services(): readonly ServiceNode[] {
    return this.app.services;
  }

  uptimeMs(service: ServiceNode): number | undefined {
    const since = this.#runningSince.get(service);
    return since === undefined || service.state !== 'running' ? undefined : Math.round(this.now() - since);
  }

  onChange(listener: () => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  beginStop(): void {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#changed();
  }

  /** Stops listening to the app. */
  close(): void {
    this.#unsubscribe();
    this.#listeners.clear();
  }

  #observe(event: LifecycleEvent): void {
    switch (event.type) {
      case 'app.starting':
        this.#stopping = false;
        break;
      case 'app.started':
        this.#started = true;
        // A service started before anyone listened has no start time: count from now.
        for (const service of this.app.services) if (!this.#runningSince.has(service)) this.#runningSince.set(service, this.now());
        break;
      case 'app.stopping':
        this.#stopping = true;
        break;
      case 'service.started':
        this.#runningSince.set(event.service, this.now());
        break;
      case 'service.stopping':
      case 'service.crashed':
      case 'service.restarting':
        this.#runningSince.delete(event.service);
        break;
      default:
        break;
    }
    if (READINESS_EVENTS.has(event.type)) this.#changed();
  }

  #changed(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}
