// What the probes and systemd read: readiness, startup, liveness and each service's state, behind one small interface.
import type { Application } from '../application/application.js';
import type { LifecycleEvent } from '../lifecycle/events.js';
import type { Readiness, ServiceNode } from '../lifecycle/state.js';
import type { Unsubscribe } from '../utils/event-bus.js';

export type { Readiness } from '../lifecycle/state.js';

/**
 * What the health endpoint and the systemd notifier read. {@link AppHealthSource} reads it
 * off an `Application` (`app.readiness`, its events, `app.services`); any other source of
 * readiness can stand in.
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
  /**
   * Why the event loop does not count as live now, though the app has not crashed: a stall
   * the blocking detector reports (liveness fails), or `undefined`. Optional.
   */
  loopStall?(): string | undefined;
  /** The last crash of `service`, kept after a restart. Optional: `service.crashReason` (the current one) otherwise. */
  lastCrashOf?(service: ServiceNode): Error | undefined;
  /** Every service of the graph, as the beacon sees it. */
  services(): readonly ServiceNode[];
  /** How long `service` has been running (ms), or `undefined` when it is not running. */
  uptimeMs(service: ServiceNode): number | undefined;
  /** Calls `listener` whenever readiness or `stopping` may have changed. */
  onChange(listener: () => void): Unsubscribe;
  /** Marks the beginning of a stop (the Worker's drain), before any service stops. */
  beginStop(): void;
}

/** Events after which what a source reports (readiness, the services' states) may differ. */
const CHANGE_EVENTS = new Set<LifecycleEvent['type']>(['app.readiness', 'app.started', 'app.stopping', 'service.started', 'service.stopping', 'service.crashed', 'service.restarting', 'service.startFailed']);

/**
 * Options of an {@link AppHealthSource}.
 * @example
 * ```ts
 * new AppHealthSource(app, { loopStall: () => detector.recentStall()?.message });
 * ```
 * @category Production
 */
export interface AppHealthSourceOptions {
  /** The clock uptimes are read on (milliseconds). Default `performance.now`. */
  readonly now?: () => number;
  /** Why the event loop does not count as live now (a stall the blocking detector reports), or `undefined`. */
  readonly loopStall?: () => string | undefined;
}

/**
 * A {@link HealthSource} read off an `Application`: its readiness (`app.readiness`), except
 * that a stop begun by the Worker ({@link HealthSource.beginStop}, before the drain) is `not
 * ready` at once; its events for uptimes and last crashes; and, for liveness, its state and
 * an optional report of a stalled event loop.
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
  readonly #lastCrash = new Map<ServiceNode, Error>();
  readonly #listeners = new Set<() => void>();
  readonly #unsubscribe: Unsubscribe;
  readonly #now: () => number;

  constructor(
    private readonly app: Application,
    private readonly options: AppHealthSourceOptions = {},
  ) {
    this.#now = options.now ?? (() => performance.now());
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
    return this.#stopping ? 'not ready' : this.app.readiness;
  }

  loopStall(): string | undefined {
    return this.options.loopStall?.();
  }

  lastCrashOf(service: ServiceNode): Error | undefined {
    return this.#lastCrash.get(service) ?? service.crashReason;
  }

  services(): readonly ServiceNode[] {
    return this.app.services;
  }

  uptimeMs(service: ServiceNode): number | undefined {
    const since = this.#runningSince.get(service);
    return since === undefined || service.state !== 'running' ? undefined : Math.round(this.#now() - since);
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
        for (const service of this.app.services) if (!this.#runningSince.has(service)) this.#runningSince.set(service, this.#now());
        break;
      case 'app.stopping':
        this.#stopping = true;
        break;
      case 'service.started':
        this.#runningSince.set(event.service, this.#now());
        break;
      case 'service.crashed':
      case 'service.startFailed':
        this.#lastCrash.set(event.service, event.error);
        this.#runningSince.delete(event.service);
        break;
      case 'service.stopping':
      case 'service.restarting':
        this.#runningSince.delete(event.service);
        break;
      default:
        break;
    }
    if (CHANGE_EVENTS.has(event.type)) this.#changed();
  }

  #changed(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}
