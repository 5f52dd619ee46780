// Where the engine's events go: its listeners, and `node:diagnostics_channel` for tools outside the app's code.
import { channel } from 'node:diagnostics_channel';
import { EventBus } from '../utils/event-bus.js';
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

/** The engine's event stream: every event reaches the listeners, then the diagnostics channel. */
export class LifecycleEvents extends EventBus<LifecycleEvent> {
  override emit(event: LifecycleEvent): void {
    super.emit(event);
    if (lifecycleChannel.hasSubscribers) lifecycleChannel.publish(event);
  }
}
