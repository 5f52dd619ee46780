// Which hook each service is running right now, and since when: what a dump or a hung shutdown names.
import type { LifecycleEvent } from '../lifecycle/events.js';
import type { ServiceNode } from '../lifecycle/state.js';

/**
 * A hook in progress.
 * @example
 * ```ts
 * const { hook, since } = activity.hookOf(service) ?? {};
 * ```
 */
export interface RunningHook {
  readonly hook: string;
  /** When it began, on the Worker's clock (milliseconds). */
  readonly since: number;
}

/**
 * Follows `hook.executing` / `hook.executed` events to know which hook every service is in.
 *
 * @example
 * ```ts
 * const activity = new Activity(() => performance.now());
 * app.on((event) => activity.observe(event));
 * activity.hookOf(service); // { hook: 'onStop', since: 1234.5 }
 * ```
 */
export class Activity {
  readonly #hooks = new Map<ServiceNode, RunningHook>();

  constructor(private readonly now: () => number) {}

  /** Feeds one lifecycle event. */
  observe(event: LifecycleEvent): void {
    if (event.type === 'hook.executing') this.#hooks.set(event.service, { hook: event.hook, since: this.now() });
    else if (event.type === 'hook.executed') this.#hooks.delete(event.service);
  }

  /** The hook `service` is running, if any. */
  hookOf(service: ServiceNode): RunningHook | undefined {
    return this.#hooks.get(service);
  }
}
