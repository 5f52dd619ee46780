// Where the engine's events go: its listeners, `node:diagnostics_channel` for tools outside the app's code, then the framework's own followers.
import { channel } from 'node:diagnostics_channel';
import { EventBus, type Unsubscribe } from '../utils/event-bus.js';
import type { LifecycleEvent } from './events.js';

/**
 * The `node:diagnostics_channel` every lifecycle event is published on, so APM and
 * monitoring tools can observe an app without importing mode-di. Publishing costs nothing
 * while nobody subscribes.
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * subscribe('mode-di:lifecycle', (event) => console.log((event as { type: string }).type));
 * ```
 * @category Events
 */
export const LIFECYCLE_CHANNEL = 'mode-di:lifecycle';

const lifecycleChannel = channel(LIFECYCLE_CHANNEL);

/**
 * The engine's event stream: every event reaches the listeners, then the diagnostics channel,
 * then the followers.
 */
export class LifecycleEvents extends EventBus<LifecycleEvent> {
  #followers: ReadonlyArray<(event: LifecycleEvent) => void> = [];

  override emit(event: LifecycleEvent): void {
    super.emit(event);
    if (lifecycleChannel.hasSubscribers) lifecycleChannel.publish(event);
    for (const follower of this.#followers) {
      try {
        follower(event);
      } catch (error) {
        process.emitWarning(`A follower of the "${event.type}" event threw: ${String(error)}`, 'ModeListenerWarning');
      }
    }
  }

  /**
   * Adds a follower: the framework's own observer that derives a fact from the events (the
   * app's readiness). It sees each event once every listener has, so the events it emits in
   * turn come after their cause; and it does not count as a listener (`hasListeners`), so a
   * service's warnings still reach stderr when nobody else listens.
   */
  follow(follower: (event: LifecycleEvent) => void): Unsubscribe {
    // Copy on write: emit() may be iterating the current array.
    this.#followers = [...this.#followers, follower];
    return () => {
      this.#followers = this.#followers.filter((f) => f !== follower);
    };
  }
}
