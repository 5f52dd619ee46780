// Mode's @cached_property: a getter computed once per instance.
import { DecoratorError } from '../errors/usage.js';

/**
 * Turns a getter into a lazily computed, cached value (Mode's `cached_property`). Typical
 * use: a child service created on first access and added with `addRuntimeDependency`.
 *
 * @example
 * ```ts
 * class App extends Service {
 *   @cachedProperty get pageViewCache() { return new PageViewCache(); }
 *   override async onStart() { await this.addRuntimeDependency(this.pageViewCache); }
 * }
 * ```
 * @category Services
 */
export function cachedProperty(target: object, key: string | symbol, descriptor?: PropertyDescriptor): PropertyDescriptor {
  const owner = typeof target === 'function' ? target.name : target.constructor.name;
  const getter = descriptor?.get;
  if (!getter) {
    throw new DecoratorError(`@cachedProperty must decorate a getter, but ${owner}.${String(key)} is not one. Write it as: get ${String(key)}() { … }.`);
  }
  return {
    configurable: true,
    enumerable: descriptor.enumerable ?? false,
    get(this: object) {
      const value = getter.call(this);
      Object.defineProperty(this, key, { value, writable: true, configurable: true, enumerable: false });
      return value;
    },
    set(this: object, value: unknown) {
      Object.defineProperty(this, key, { value, writable: true, configurable: true, enumerable: false });
    },
  };
}
