// A service's work in flight (background tasks, timers, futures): started with its run, awaited at its stop.
import { HookError, ServiceStoppingError } from '../errors/lifecycle.js';
import { onAbort } from '../utils/abort.js';
import type { BackgroundContext } from './declarations.js';
import type { ServiceRuntime } from './runtime.js';

/**
 * One piece of work in flight.
 * @example
 * ```ts
 * for (const item of runtime.work.items()) console.log(item.name, item.kind, item.startedAt);
 * ```
 */
export interface WorkItem {
  readonly name: string;
  /** `task`, `timer`, `crontab` or `future`. */
  readonly kind: string;
  /** When it began, on the engine's clock (milliseconds). */
  readonly startedAt: number;
}

/** Whether `error` is the stop's own abort of `signal` (not a failure). */
function isStopAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  if (error instanceof ServiceStoppingError) return true;
  return !!signal?.aborted && (error === signal.reason || (error instanceof Error && error.name === 'AbortError'));
}

/** The work in flight of one service. A rejection other than the stop's abort crashes the service. */
export class ServiceWork {
  /** Made on first use: most services never have work in flight. */
  #items: Map<Promise<unknown>, WorkItem> | undefined;

  constructor(private readonly runtime: ServiceRuntime) {}

  get size(): number {
    return this.#items?.size ?? 0;
  }

  /** The names of the work in flight. */
  names(): string[] {
    return this.items().map((item) => item.name);
  }

  /** The work in flight. */
  items(): WorkItem[] {
    return this.#items ? [...this.#items.values()] : [];
  }

  /** Tracks `promise` until it settles; returns it. */
  add<T>(promise: Promise<T>, name = 'future', kind = 'future'): Promise<T> {
    const runtime = this.runtime;
    const signal = runtime.signal;
    const items = (this.#items ??= new Map());
    items.set(promise, { name, kind, startedAt: runtime.host?.clock.now() ?? performance.now() });
    promise.then(
      () => items.delete(promise),
      (error: unknown) => {
        items.delete(promise);
        const live = runtime.state === 'running' || runtime.state === 'starting';
        if (live && !isStopAbort(error, signal)) runtime.crash(new HookError(runtime.label, name, error));
      },
    );
    return promise;
  }

  /** Starts the class's background work (tasks, timers, cron jobs) for the run of `signal`. */
  beginBackground(signal: AbortSignal): void {
    const runtime = this.runtime;
    const specs = runtime.lifecycle.background;
    if (specs.length === 0) return;
    const context: BackgroundContext = {
      signal,
      clock: runtime.host!.clock,
      service: runtime.label,
      warn: (message) => runtime.log('warning', message),
      debug: (message) => runtime.log('debug', message),
    };
    for (const spec of specs) this.add(Promise.resolve().then(() => spec.run(runtime.instance!, context)), spec.name, spec.kind);
  }

  /**
   * Waits for everything in flight (work added meanwhile included) and resolves with the
   * failures other than the stop's own abort. Gives up waiting when `force` aborts.
   */
  async settle(force: AbortSignal): Promise<Error[]> {
    const errors: Error[] = [];
    const items = this.#items;
    if (!items || items.size === 0) return errors;
    const signal = this.runtime.signal;
    let forget = () => {};
    const forced = new Promise<never[]>((resolve) => (forget = onAbort(force, () => resolve([]))));
    while (items.size > 0 && !force.aborted) {
      const pending = [...items];
      const results = await Promise.race([Promise.allSettled(pending.map(([promise]) => promise)), forced]);
      results.forEach((result, i) => {
        if (result.status === 'rejected' && !isStopAbort(result.reason, signal)) errors.push(new HookError(this.runtime.label, pending[i]![1].name, result.reason));
      });
      for (const [promise] of pending) items.delete(promise);
    }
    forget();
    return errors;
  }
}
