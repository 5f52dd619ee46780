// A synchronous, typed event stream: the engine emits, observers (logging, tests, console) listen.

/**
 * Removes the listener it was returned for.
 * @example
 * ```ts
 * const off: Unsubscribe = app.on('app.started', () => console.log('up'));
 * off();
 * ```
 * @category Utilities
 */
export type Unsubscribe = () => void;

/**
 * A minimal typed event stream over a discriminated union `E` (keyed by `type`).
 * Emission is synchronous; a listener that throws is reported as a process warning and
 * never disturbs the emitter or the other listeners.
 *
 * @example
 * ```ts
 * const bus = new EventBus<{ type: 'tick'; n: number }>();
 * const off = bus.on((e) => console.log(e.n));
 * bus.emit({ type: 'tick', n: 1 });
 * off();
 * ```
 * @category Utilities
 */
export class EventBus<
  E extends {
    /** The event's name, which listeners filter on. */
    readonly type: string;
  },
> {
  #listeners: ReadonlyArray<(event: E) => void> = [];

  /** Whether anyone listens. */
  get hasListeners(): boolean {
    return this.#listeners.length > 0;
  }

  /** Subscribes to every event. */
  on(listener: (event: E) => void): Unsubscribe;
  /** Subscribes to events of one type. */
  on<K extends E['type']>(type: K, listener: (event: Extract<E, { type: K }>) => void): Unsubscribe;
  on(a: unknown, b?: unknown): Unsubscribe {
    const listener =
      typeof a === 'function'
        ? (a as (event: E) => void)
        : (event: E) => {
            if (event.type === a) (b as (event: E) => void)(event);
          };
    // Copy on write: emit() may be iterating the current array.
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  /** Delivers `event` to every listener, in subscription order. */
  emit(event: E): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        process.emitWarning(`A listener of the "${event.type}" event threw: ${String(error)}`, 'ModeListenerWarning');
      }
    }
  }
}
