// The work behind Service's methods: its dependencies added and removed, and waiting for the first of several things unless it stops.
import { StopError, WaitTimeoutError } from '../errors/lifecycle.js';
import { ServiceStateError } from '../errors/usage.js';
import type { Lifecycle } from '../lifecycle/lifecycle.js';
import type { ServiceRuntime } from '../lifecycle/runtime.js';
import type { Clock } from '../utils/clock.js';
import { type Duration, parseDuration } from '../utils/durations.js';

/** `owner` needs `child` (Mode's `addDependency`): only before it starts, or once stopped. */
export function addOwnedDependency(owner: ServiceRuntime, child: ServiceRuntime): void {
  if (owner.state !== 'init' && owner.state !== 'shutdown') {
    throw new ServiceStateError(owner.label, `addDependency() called on ${owner.label} while it is ${owner.state}; use addRuntimeDependency() to add a service that starts at once.`);
  }
  owner.addChild(child);
  (owner.host as Lifecycle | undefined)?.link(owner, child, 'owned');
}

/** `owner` needs `child` from now on; `child` starts at once if `owner` is starting or running. */
export async function addRuntimeDependency(owner: ServiceRuntime, child: ServiceRuntime): Promise<void> {
  const engine = owner.host as Lifecycle | undefined;
  if (engine) return engine.addRuntimeDependency(owner, child);
  if (owner.state !== 'init') throw new ServiceStateError(owner.label, `addRuntimeDependency() called on ${owner.label} while it is ${owner.state}.`);
  owner.addChild(child);
}

/** Forgets `owner`'s dependency on `child` and stops `child`, unless a running service still needs it. */
export async function removeDependency(owner: ServiceRuntime, child: ServiceRuntime): Promise<void> {
  forgetDependency(owner, child);
  const engine = owner.host as Lifecycle | undefined;
  if (!engine?.graph.has(child)) return;
  if (engine.graph.dependents[child.index]!.some((d) => engine.startedOrder.has(engine.graph.nodes[d]!))) return;
  const errors = await engine.stopNode(child);
  if (errors.length) throw new StopError(errors);
}

/** Makes `owner` no longer depend on `child` (nothing is stopped). */
export function forgetDependency(owner: ServiceRuntime, child: ServiceRuntime): void {
  owner.removeChild(child);
  const engine = owner.host as Lifecycle | undefined;
  if (engine?.graph.has(owner) && engine.graph.has(child)) engine.graph.unlink(owner.index, child.index);
}

/** What {@link raceUntilStopped} waits with. */
interface RaceOptions {
  /** The service's run signal: its abort rejects the wait with its reason. */
  readonly signal: AbortSignal;
  readonly clock: Clock;
  /** Names the service in a timeout. */
  readonly label: string;
  readonly timeout?: Duration | undefined;
}

/**
 * Resolves with the index and value of the first of `what` to settle (a promise's value, a
 * signal's abort reason); rejects when a promise rejects, when `signal` aborts first (with its
 * reason), or with a {@link WaitTimeoutError} after `timeout`. Leaves no listener or timer behind.
 */
export function raceUntilStopped(what: Array<PromiseLike<unknown> | AbortSignal>, options: RaceOptions): Promise<{ index: number; value: unknown }> {
  const { signal, clock } = options;
  const timeoutMs = options.timeout === undefined ? undefined : parseDuration(options.timeout, 'wait timeout');
  return new Promise((resolve, reject) => {
    const cleanups: Array<() => void> = [];
    const finish = (fn: () => void) => {
      cleanups.forEach((c) => c());
      fn();
    };
    const onStop = () => finish(() => reject(signal.reason));
    if (signal.aborted) return onStop();
    signal.addEventListener('abort', onStop, { once: true });
    cleanups.push(() => signal.removeEventListener('abort', onStop));
    if (timeoutMs !== undefined) {
      const timer = clock.setTimeout(() => finish(() => reject(new WaitTimeoutError(options.label, timeoutMs))), timeoutMs);
      cleanups.push(() => clock.clearTimeout(timer));
    }
    what.forEach((item, index) => {
      if (item instanceof AbortSignal) {
        const onAbort = () => finish(() => resolve({ index, value: item.reason }));
        if (item.aborted) return onAbort();
        item.addEventListener('abort', onAbort, { once: true });
        cleanups.push(() => item.removeEventListener('abort', onAbort));
      } else {
        Promise.resolve(item).then(
          (value) => finish(() => resolve({ index, value })),
          (error: unknown) => finish(() => reject(error)),
        );
      }
    });
  });
}

/** A promise of `what`: itself, or, for an AbortSignal, one that resolves with its reason once it aborts. */
export function settledBy<T>(what: PromiseLike<T> | AbortSignal): PromiseLike<T | unknown> {
  if (!(what instanceof AbortSignal)) return what;
  return new Promise((resolve) => (what.aborted ? resolve(what.reason) : what.addEventListener('abort', () => resolve(what.reason), { once: true })));
}
