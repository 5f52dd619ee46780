// What @task, @timer and @crontab share: checking the target, naming the work, calling the method.
import { DecoratorError } from '../errors/usage.js';
import { type BackgroundContext, type BackgroundSpec, declareBackground } from '../lifecycle/declarations.js';
import { methodOwner } from '../service/decorators.js';
import { onAbort } from '../utils/abort.js';

/**
 * A background callback: gets the run's AbortSignal; may return a promise.
 * @example
 * ```ts
 * const poll: BackgroundCallback = async (signal) => { await fetch(url, { signal }); };
 * ```
 * @category Background work
 */
export type BackgroundCallback = (signal: AbortSignal) => unknown;

/** Where a background decorator sits, for messages: `'on Class.method'`. */
export interface DecoratedMethod {
  readonly owner: Function;
  readonly key: string | symbol;
  /** `Class.method`, the default name of the work. */
  readonly where: string;
}

/** Checks that `decorator` sits on an instance method (DecoratorError otherwise). */
export function decoratedMethod(decorator: string, target: object, key: string | symbol, descriptor: PropertyDescriptor | undefined): DecoratedMethod {
  const owner = methodOwner(decorator, target, key, descriptor);
  return { owner, key, where: `${owner.name}.${String(key)}` };
}

/** Checks an option bag is an object (or absent). */
export function checkOptions(decorator: string, options: unknown, example: string): void {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new DecoratorError(`${decorator} takes an options object such as ${example}, got ${String(options)}.`);
  }
}

/** A decorated method, called as `method.call(instance, signal)`. */
export type BackgroundMethod = (this: object, signal: AbortSignal) => unknown;

/** The method named `key` on `target`; looked up at run time so overrides apply. */
function methodOn(target: object, key: string | symbol, where: string): BackgroundMethod {
  const fn = (target as Record<string | symbol, unknown>)[key];
  if (typeof fn !== 'function') throw new TypeError(`${where} is not a method on this instance`);
  return fn as BackgroundMethod;
}

/**
 * How a background decorator runs its method on an instance. The method comes unbound: a
 * timer calls `method.call(target, signal)` on every run, one object less to reach than a
 * bound function.
 */
export type BackgroundRun = (method: BackgroundMethod, target: object, context: BackgroundContext) => Promise<void>;

/**
 * Records background work on the decorated class. The engine names it `name` or the method
 * (crash reports read `Service.method failed: …`); log lines use `Class.method` like Mode.
 */
export function declare(method: DecoratedMethod, kind: string, name: string | undefined, run: BackgroundRun, details: object = {}): void {
  const spec: BackgroundSpec = {
    ...details,
    kind,
    name: name ?? String(method.key),
    method: method.key,
    run: (target, context) => run(methodOn(target, method.key, method.where), target, context),
  };
  declareBackground(method.owner, spec);
}

/** Resolves when `signal` aborts (at once if it already has). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => onAbort(signal, resolve));
}
