// A service's work in flight (background tasks, timers, futures): started with its run, awaited at its stop, listed and cancelled one by one.
import { HookError, ServiceStoppingError } from '../errors/lifecycle.js';
import { onAbort } from '../utils/abort.js';
import type { BackgroundContext } from './declarations.js';
import type { ServiceRuntime } from './runtime.js';

/**
 * One piece of work in flight, as the console's `tasks` lists it.
 * @example
 * ```ts
 * for (const item of runtime.workItems) console.log(item.id, item.name, item.kind, item.startedAt, item.cancellable);
 * ```
 */
export interface WorkItem {
  /** Unique in the process: what `cancel <id>` takes. */
  readonly id: number;
  readonly name: string;
  /** `task`, `timer`, `crontab` or `future`. */
  readonly kind: string;
  /** When it began, on the engine's clock (milliseconds). */
  readonly startedAt: number;
  /** Where it was added (stack frames, formatted when first read). */
  readonly stack: string;
  /**
   * Whether {@link ServiceWork.cancel} can end it: background work, and futures added as a
   * function, run with an AbortSignal of their own; a future added as a promise is settled by
   * whoever made it, and can only be reported.
   */
  readonly cancellable: boolean;
}

let lastWorkId = 0;

/** A {@link WorkItem} with what the engine keeps about it: its own AbortController, and where it was added. */
class InFlight implements WorkItem {
  readonly id = ++lastWorkId;
  readonly #origin: { stack?: string };

  constructor(
    readonly name: string,
    readonly kind: string,
    readonly startedAt: number,
    readonly controller: AbortController | undefined,
    /** The run of its service it belongs to (`ServiceRuntime.starts` when it was added). */
    readonly run: number,
    addedBy: Function,
  ) {
    this.#origin = {};
    Error.captureStackTrace(this.#origin, addedBy);
  }

  get stack(): string {
    return (this.#origin.stack ?? '').split('\n').slice(1).join('\n');
  }

  get cancellable(): boolean {
    return this.controller !== undefined;
  }
}

/** Whether `error` is the stop's (or a cancel's) own abort of `signal`, not a failure. */
function isStopAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  if (error instanceof ServiceStoppingError) return true;
  return !!signal?.aborted && (error === signal.reason || (error instanceof Error && error.name === 'AbortError'));
}

/** The work in flight of one service. A rejection other than the stop's abort (or its cancel) crashes the service. */
export class ServiceWork {
  /** Made on first use: most services never have work in flight. */
  #items: Map<Promise<unknown>, InFlight> | undefined;

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

  /** Tracks `promise` until it settles (reported, not cancellable: its maker settles it); returns it. */
  add<T>(promise: Promise<T>, name = 'future', kind = 'future'): Promise<T> {
    return this.#track(promise, new InFlight(name, kind, this.#now(), undefined, this.runtime.starts, this.add));
  }

  /**
   * Runs `work` with an AbortSignal of its own, which aborts when the run's does (a stop, a
   * crash) or when the item is cancelled, and tracks it; returns its promise.
   */
  run<T>(work: (signal: AbortSignal) => Promise<T>, name = 'future', kind = 'future'): Promise<T> {
    const run = this.runtime.signal;
    const controller = new AbortController();
    const item = new InFlight(name, kind, this.#now(), controller, this.runtime.starts, this.run);
    const forget = onAbort(run, () => controller.abort(run.reason));
    if (run.aborted) controller.abort(run.reason);
    const promise = Promise.resolve().then(() => work(controller.signal));
    promise.then(forget, forget);
    return this.#track(promise, item);
  }

  /**
   * Cancels the work in flight with `id`: its AbortSignal aborts with `reason`; the service
   * keeps running. Returns `false` when there is no such item here, or it cannot be cancelled
   * (a future added as a promise).
   */
  cancel(id: number, reason: Error): boolean {
    for (const item of this.#items?.values() ?? []) {
      if (item.id !== id) continue;
      if (!item.controller) return false;
      item.controller.abort(reason);
      return true;
    }
    return false;
  }

  #now(): number {
    return this.runtime.host?.clock.now() ?? performance.now();
  }

  /**
   * Tracks `promise` for the current run. When it rejects (not with the stop's abort): while
   * its run goes on, the service crashes; while that run stops (or has crashed, a stop to
   * come), it stays for {@link ServiceWork.settle} to report as a stop error; work of an
   * earlier run (left behind by an abandoned or forced stop) is forgotten, never crashing a
   * later run.
   */
  #track<T>(promise: Promise<T>, item: InFlight): Promise<T> {
    const runtime = this.runtime;
    const signal = item.controller?.signal ?? runtime.signal;
    const items = (this.#items ??= new Map());
    items.set(promise, item);
    promise.then(
      () => items.delete(promise),
      (error: unknown) => {
        const current = runtime.starts === item.run;
        if (current && !isStopAbort(error, signal)) {
          if (runtime.state === 'stopping' || runtime.state === 'crashed') return;
          if (runtime.state === 'running' || runtime.state === 'starting') runtime.crash(new HookError(runtime.label, item.name, error));
        }
        items.delete(promise);
      },
    );
    return promise;
  }

  /** Starts the class's background work (tasks, timers, cron jobs) for the current run, each with a signal of its own. */
  beginBackground(): void {
    const runtime = this.runtime;
    const specs = runtime.lifecycle.background;
    if (specs.length === 0) return;
    const instance = runtime.instance!;
    const shared = {
      clock: runtime.host!.clock,
      service: runtime.label,
      warn: (message: string) => runtime.log('warning', message),
      debug: (message: string) => runtime.log('debug', message),
    };
    for (const spec of specs) this.run((signal) => spec.run(instance, { ...shared, signal } satisfies BackgroundContext), spec.name, spec.kind);
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
    // Only this run's work: what an abandoned stop left behind does not hold this one.
    const ofThisRun = () => [...items].filter(([, item]) => item.run === this.runtime.starts);
    for (let pending = ofThisRun(); pending.length > 0 && !force.aborted; pending = ofThisRun()) {
      const results = await Promise.race([Promise.allSettled(pending.map(([promise]) => promise)), forced]);
      results.forEach((result, i) => {
        const item = pending[i]![1];
        if (result.status === 'rejected' && !isStopAbort(result.reason, item.controller?.signal ?? signal)) errors.push(new HookError(this.runtime.label, item.name, result.reason));
      });
      for (const [promise] of pending) items.delete(promise);
    }
    forget();
    return errors;
  }
}
