// inversify's teardown of a singleton (its @preDestroy methods, its binding's onDeactivation) as the last step of its stop, once per run.
import { type Binding, getClassMetadata } from '@inversifyjs/core';
import type { BoundHook } from '../lifecycle/declarations.js';
import type { ServiceRuntime } from '../lifecycle/runtime.js';

/** Bindings whose teardown an application has taken over (a container run by two applications is taken over once). */
const adopted = new WeakSet<object>();

/**
 * Makes inversify's own teardown of a singleton a step of its stop: its `@preDestroy` methods
 * (read from inversify's class metadata) and then its binding's `onDeactivation` run as the
 * last `onShutdown` hooks of `runtime`, so in graph order, after everything that depends on
 * it has stopped and before what it depends on begins to stop.
 *
 * Each runs once per run of the service: whoever calls it first in a run — the stop, or
 * inversify deactivating the binding (`container.unbind*`, the dispose plugin's
 * `container[Symbol.asyncDispose]()`) — runs it, and the other finds it done. inversify calls
 * `instance[method]()` and `binding.onDeactivation(value)`, so the guards sit there: an own
 * property of the instance in front of each `@preDestroy` method, and the binding's handler
 * replaced by a guarded one (the one place mode-di writes to an inversify object;
 * `spec/application/deactivation.spec.ts` fails if an upgrade calls them another way).
 *
 * @example
 * ```ts
 * adoptDeactivation(plan.bindings[i], instanceOf(plan.bindings[i]), runtime);
 * ```
 */
export function adoptDeactivation(binding: Binding, value: unknown, runtime: ServiceRuntime): void {
  if (binding.type === 'ServiceRedirection' || binding.scope !== 'Singleton' || value === undefined || adopted.has(binding)) return;
  const hooks: BoundHook[] = [];
  if (binding.type === 'Instance' && typeof value === 'object' && value !== null) {
    const { onStop, onShutdown } = runtime.lifecycle.hooks;
    for (const method of getClassMetadata(binding.implementationType).lifecycle.preDestroyMethodNames) {
      const fn = (value as Record<string | symbol, unknown>)[method];
      if (typeof fn !== 'function') continue;
      if ([...onStop, ...onShutdown].some((hook) => hook.method === method)) {
        // Already a stop hook (`@onStop() @preDestroy() close()`): it runs as such; inversify runs it only for a service that never started.
        Reflect.defineProperty(value, method, { value: unlessStarted(runtime, fn as (...args: unknown[]) => unknown), writable: true, configurable: true, enumerable: false });
        continue;
      }
      const guarded = oncePerRun(runtime, fn as (...args: unknown[]) => unknown);
      // Frozen instances keep their method: then inversify may run it again after the stop.
      if (Reflect.defineProperty(value, method, { value: guarded, writable: true, configurable: true, enumerable: false })) hooks.push(teardownHook(method, guarded));
      else hooks.push(teardownHook(method, oncePerRun(runtime, fn as (...args: unknown[]) => unknown)));
    }
  }
  const handler = binding.onDeactivation;
  if (handler) {
    const guarded = oncePerRun(runtime, handler as (...args: unknown[]) => unknown);
    Object.defineProperty(binding, 'onDeactivation', { value: guarded, writable: true, configurable: true, enumerable: true });
    hooks.push(teardownHook('onDeactivation', () => guarded(value)));
  }
  if (hooks.length === 0) return;
  adopted.add(binding);
  runtime.addHooks('onShutdown', hooks);
}

/** An `onShutdown` hook named after what it runs (`close`, `onDeactivation`), called with the instance as `this` and no signal, as inversify calls it. */
function teardownHook(method: string | symbol, fn: Function): BoundHook {
  return { phase: 'onShutdown', method, fn, takesSignal: false };
}

/** `fn`, run at most once per run of the service (`runtime.starts`); later calls in the same run return `undefined`. */
function oncePerRun<F extends (...args: unknown[]) => unknown>(runtime: ServiceRuntime, fn: F): (this: unknown, ...args: unknown[]) => unknown {
  let ranIn = -1;
  return function (this: unknown, ...args: unknown[]) {
    if (ranIn === runtime.starts) return undefined;
    ranIn = runtime.starts;
    return fn.apply(this, args);
  };
}

/** `fn`, run only while the service has never started (once it has, its stop hooks run it). */
function unlessStarted(runtime: ServiceRuntime, fn: (...args: unknown[]) => unknown): (this: unknown, ...args: unknown[]) => unknown {
  return function (this: unknown, ...args: unknown[]) {
    return runtime.starts > 0 ? undefined : fn.apply(this, args);
  };
}
