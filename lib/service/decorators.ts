// The lifecycle decorators for any injectable class: @onStart and friends, and @dependsOn.
import { LazyServiceIdentifier, type ServiceIdentifier } from 'inversify';
import { DecoratorError } from '../errors/usage.js';
import { declareDependsOn, declareHook, type HookName } from '../lifecycle/declarations.js';
import { type Duration, parseDuration } from '../utils/durations.js';
import { applyingDecorator } from '../utils/stack.js';
import type { SignalMethod, SignalMethodDecorator } from './signal-method.js';

/**
 * Options of a lifecycle hook decorator.
 * @example
 * ```ts
 * @onStop({ timeout: '10s' }) async flush(signal: AbortSignal) { … }
 * ```
 * @category Services
 */
export interface HookOptions {
  /**
   * How long the hook may take (overrides the application's `hookTimeout`). Past it the
   * hook's AbortSignal aborts and the start (or stop) records a `HookTimeoutError`.
   */
  timeout?: Duration;
}

/**
 * A decorator usable both as `@onStart` and `@onStart({ timeout: '5s' })`, on a method that
 * takes nothing or the AbortSignal (see {@link SignalMethodDecorator}).
 * @example
 * ```ts
 * const hook: HookDecorator = onStop;
 * ```
 * @category Services
 */
export interface HookDecorator {
  (options?: HookOptions): SignalMethodDecorator;
  <T extends SignalMethod>(target: object, propertyKey: string | symbol, descriptor: TypedPropertyDescriptor<T>): void;
}

function describeMember(target: object, key: string | symbol): string {
  const owner = typeof target === 'function' ? target.name : target.constructor.name;
  return `${owner}.${String(key)}`;
}

/**
 * The descriptor of the decorated member: the one the decorator was given, or (when applied by
 * hand, as inversify's `decorate(onStart(), Db, 'connect')` does, with none) the one found on
 * the prototype chain.
 */
export function memberDescriptor(target: object, key: string | symbol, descriptor: PropertyDescriptor | undefined): PropertyDescriptor | undefined {
  if (descriptor) return descriptor;
  for (let on: object | null = target; on && on !== Object.prototype; on = Object.getPrototypeOf(on) as object | null) {
    const found = Object.getOwnPropertyDescriptor(on, key);
    if (found) return found;
  }
  return undefined;
}

/** Checks a decorator is on an instance method; returns the class it belongs to. */
export function methodOwner(decorator: string, target: object, key: string | symbol, given: PropertyDescriptor | undefined): Function {
  const descriptor = memberDescriptor(target, key, given);
  if (typeof target === 'function') {
    throw new DecoratorError(`${decorator} cannot decorate the static member ${describeMember(target, key)}: lifecycle methods run on the instance. Make it an instance method.`);
  }
  if (!descriptor || typeof descriptor.value !== 'function') {
    const what = descriptor?.get || descriptor?.set ? 'an accessor' : 'a property';
    throw new DecoratorError(`${decorator} must decorate a method, but ${describeMember(target, key)} is ${what}. Write it as a method: ${String(key)}() { … }.`);
  }
  // Read as a descriptor, like the decorated method: a property load on each class's prototype
  // costs V8 another ~56 bytes of bookkeeping per class (5.6 MB at 100,000 classes).
  const own = Object.getOwnPropertyDescriptor(target, 'constructor')?.value as unknown;
  return typeof own === 'function' ? own : target.constructor;
}

function hookDecorator(phase: HookName): HookDecorator {
  const name = `@${phase}()`;
  return function decorator(this: unknown, ...args: unknown[]): SignalMethodDecorator | void {
    const apply = (options: HookOptions | undefined, target: object, key: string | symbol, descriptor?: PropertyDescriptor) =>
      applyingDecorator(`@${phase}`, key, () => {
        const owner = methodOwner(name, target, key, descriptor);
        const timeoutMs = options?.timeout === undefined ? undefined : parseDuration(options.timeout, `timeout of ${name} on ${describeMember(target, key)}`);
        declareHook(owner, { phase, method: key, fn: memberDescriptor(target, key, descriptor)!.value as Function, timeoutMs });
      });
    const [first, key, descriptor] = args;
    if (args.length >= 2 && (typeof key === 'string' || typeof key === 'symbol')) {
      // Used bare: @onStart instead of @onStart().
      apply(undefined, first as object, key, descriptor as PropertyDescriptor | undefined);
      return;
    }
    if (first !== undefined && (typeof first !== 'object' || first === null)) {
      throw new DecoratorError(`${name} takes an options object such as { timeout: '5s' }, got ${String(first)}.`);
    }
    const options = first as HookOptions | undefined;
    return (target: object, k: string | symbol, d?: PropertyDescriptor) => apply(options, target, k, d);
  } as HookDecorator;
}

/**
 * Marks a method to run the first time the service starts, before `onStart`.
 * @example
 * ```ts
 * @onFirstStart() async migrate(signal: AbortSignal) { await runMigrations({ signal }); }
 * ```
 * @category Services
 */
export const onFirstStart: HookDecorator = hookDecorator('onFirstStart');

/**
 * Marks a method to run when the service starts, after everything it depends on is running.
 * It receives an AbortSignal that aborts when the service begins to stop or the hook times out.
 * @example
 * ```ts
 * @injectable() class Db {
 *   @onStart({ timeout: '5s' }) async connect(signal: AbortSignal) { this.client = await open({ signal }); }
 * }
 * ```
 * @category Services
 */
export const onStart: HookDecorator = hookDecorator('onStart');

/**
 * Marks a method to run once the service's `onStart` hooks finished and its background work began.
 * @example
 * ```ts
 * @onStarted() announce() { console.log('ready'); }
 * ```
 * @category Services
 */
export const onStarted: HookDecorator = hookDecorator('onStarted');

/**
 * Marks a method to run when the service begins to stop, before its background work is
 * cancelled and awaited. Dependents have already stopped.
 * @example
 * ```ts
 * @onStop() async close() { await this.server.close(); }
 * ```
 * @category Services
 */
export const onStop: HookDecorator = hookDecorator('onStop');

/**
 * Marks a method to run last when the service stops, after its background work has settled.
 * @example
 * ```ts
 * @onShutdown() release() { this.pool.destroy(); }
 * ```
 * @category Services
 */
export const onShutdown: HookDecorator = hookDecorator('onShutdown');

/**
 * Marks a method to run on restart, between the stop and the new start.
 * @example
 * ```ts
 * @onRestart() reset() { this.cache.clear(); }
 * ```
 * @category Services
 */
export const onRestart: HookDecorator = hookDecorator('onRestart');

/**
 * Declares that a class must start after (and stop before) services the container cannot
 * see it use — e.g. something it looks up at runtime. Use a `LazyServiceIdentifier` for a
 * class declared later in the file.
 * @example
 * ```ts
 * @dependsOn(Database, new LazyServiceIdentifier(() => Cache))
 * @injectable() class Reports { @onStart() warm() { … } }
 * ```
 * @category Services
 */
export function dependsOn(...ids: Array<ServiceIdentifier | LazyServiceIdentifier>): ClassDecorator {
  return (target) => {
    if (ids.length === 0) throw new DecoratorError(`@dependsOn() on ${target.name} lists nothing; name the services it must start after.`);
    ids.forEach((id, i) => {
      if (id === undefined || id === null) {
        throw new DecoratorError(
          `@dependsOn(...) on ${target.name} got ${String(id)} at position ${i + 1}, usually a circular import. ` +
            `Use new LazyServiceIdentifier(() => TheClass) instead.`,
        );
      }
    });
    declareDependsOn(target, ids as ServiceIdentifier[]);
  };
}
