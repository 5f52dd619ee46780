// Which hook each service is running right now, and since when: what a dump or a hung shutdown names, and a hook that runs long is warned about.
import type { LifecycleEvent } from '../lifecycle/events.js';
import type { ServiceNode } from '../lifecycle/state.js';
import type { Clock, ClockTimer } from '../utils/clock.js';
import { formatDuration } from '../utils/durations.js';

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

/** After how long a hook still running is first warned about (then again each time its age doubles). */
export const SLOW_HOOK_MS = 10_000;

interface Tracked extends RunningHook {
  warning: ClockTimer | undefined;
}

/**
 * Follows `hook.executing` / `hook.executed` events to know which hook every service is in,
 * and calls `warn` when one has been running for {@link SLOW_HOOK_MS} (10 s), then at 20 s,
 * 40 s, …: a start or stop held by a hook that never returns is never silent.
 *
 * @example
 * ```ts
 * const activity = new Activity(systemClock, (message) => logger.warn(message));
 * app.on((event) => activity.observe(event));
 * activity.hookOf(service); // { hook: 'onStop', since: 1234.5 }
 * ```
 */
export class Activity {
  readonly #hooks = new Map<ServiceNode, Tracked>();

  constructor(
    private readonly clock: Pick<Clock, 'now' | 'setTimeout' | 'clearTimeout'>,
    private readonly warn: (message: string) => void = () => {},
    private readonly slowAfterMs = SLOW_HOOK_MS,
  ) {}

  /** Feeds one lifecycle event. */
  observe(event: LifecycleEvent): void {
    if (event.type === 'hook.executing') this.#begin(event.service, event.hook);
    // Only the hook tracked: an older one returning late (its stop was abandoned) does not end a newer one.
    else if (event.type === 'hook.executed' && this.#hooks.get(event.service)?.hook === event.hook) this.#end(event.service);
  }

  /** The hook `service` is running, if any. */
  hookOf(service: ServiceNode): RunningHook | undefined {
    const tracked = this.#hooks.get(service);
    return tracked && { hook: tracked.hook, since: tracked.since };
  }

  /** Stops every pending warning (the Worker is done). */
  close(): void {
    for (const service of [...this.#hooks.keys()]) this.#end(service);
  }

  #begin(service: ServiceNode, hook: string): void {
    this.#end(service);
    const tracked: Tracked = { hook, since: this.clock.now(), warning: undefined };
    this.#hooks.set(service, tracked);
    this.#warnAfter(service, tracked, this.slowAfterMs);
  }

  #warnAfter(service: ServiceNode, tracked: Tracked, ageMs: number): void {
    tracked.warning = this.clock.setTimeout(() => {
      this.warn(
        `${service.label}.${tracked.hook} has been running for ${ageMs % 1_000 === 0 ? `${ageMs / 1_000}s` : formatDuration(ageMs)}: the app's start or stop waits for it. ` +
          'SIGUSR2 shows what each service is doing; a hook can take { timeout } or watch its AbortSignal.',
      );
      this.#warnAfter(service, tracked, ageMs * 2);
    }, ageMs - (this.clock.now() - tracked.since));
  }

  #end(service: ServiceNode): void {
    const tracked = this.#hooks.get(service);
    if (!tracked) return;
    if (tracked.warning !== undefined) this.clock.clearTimeout(tracked.warning);
    this.#hooks.delete(service);
  }
}
