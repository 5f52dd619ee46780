// The application's readiness (ready, degraded, not ready), followed from the engine's events, and announced when it changes.
import type { LifecycleEvent } from '../lifecycle/events.js';
import type { Lifecycle } from '../lifecycle/lifecycle.js';
import type { Readiness, ServiceNode } from '../lifecycle/state.js';

/**
 * Follows the engine's events to know the app's {@link Readiness}, and emits `app.readiness`
 * (`{ readiness, previous }`) on the app's event stream when it changes:
 * - `not ready` until `app.started`, and from `app.stopping` on (a stop, a crash, a restart of the app);
 * - once started, `ready` while every service runs, `degraded` while any does not: it crashed,
 *   a supervisor is restarting it or backing off, gave up on it, or it was stopped on its own.
 *
 * Costs O(1) an event: it keeps the services seen leaving `running` since the app started.
 *
 * @example
 * ```ts
 * const readiness = new AppReadiness(engine);
 * engine.events.on('app.readiness', (e) => console.log(`${e.previous} -> ${e.readiness}`));
 * readiness.current; // 'not ready' until the first start finishes
 * ```
 */
export class AppReadiness {
  #current: Readiness = 'not ready';
  /** Services not running since the app last started (filled as they leave `running`). */
  readonly #notRunning = new Set<ServiceNode>();
  #crashPending = false;

  constructor(private readonly engine: Lifecycle) {
    engine.events.follow((event) => this.#observe(event));
  }

  /** The readiness now. */
  get current(): Readiness {
    return this.#current;
  }

  #observe(event: LifecycleEvent): void {
    switch (event.type) {
      case 'app.started':
        this.#notRunning.clear();
        for (const node of this.engine.graph.nodes) if (node.state !== 'running') this.#notRunning.add(node);
        break;
      case 'service.started':
        this.#notRunning.delete(event.service);
        break;
      case 'service.starting':
      case 'service.stopping':
      case 'service.startFailed':
      case 'service.restarting':
        this.#notRunning.add(event.service);
        break;
      case 'service.crashed':
        this.#notRunning.add(event.service);
        // The engine settles the crash's fate right after this event: a supervisor takes it
        // (degraded), or the app stops (not ready). Judge once it has, so an app that stops on
        // a crash never shows `degraded` on its way down.
        if (!this.#crashPending) {
          this.#crashPending = true;
          queueMicrotask(() => {
            this.#crashPending = false;
            this.#update();
          });
        }
        return;
      case 'app.starting':
      case 'app.stopping':
        break;
      default:
        return;
    }
    this.#update();
  }

  #update(): void {
    const next: Readiness = this.engine.state !== 'running' ? 'not ready' : this.#notRunning.size === 0 ? 'ready' : 'degraded';
    if (next === this.#current) return;
    const previous = this.#current;
    this.#current = next;
    this.engine.events.emit({ type: 'app.readiness', readiness: next, previous });
  }
}
