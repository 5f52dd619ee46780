// Mode's on_init_dependencies: the dependencies a service names for itself, added once, before its graph is first planned or built.
import { UsageError } from '../errors/usage.js';
import { runtimeOf, type ServiceRuntime } from './runtime.js';

const asked = new WeakSet<ServiceRuntime>();

/**
 * Adds the services `node`'s instance returns from `onInitDependencies()` (if it has one) as
 * dependencies it owns, as `addDependency` does. Asked once per service: a restart does not
 * ask again.
 * @example
 * ```ts
 * addInitDependencies(runtimeOf(app)); // app.onInitDependencies() → its owned children
 * ```
 * @throws {@link UsageError} when it returns something that is not a service (an object).
 */
export function addInitDependencies(node: ServiceRuntime): void {
  const instance = node.instance as { onInitDependencies?: () => Iterable<unknown> } | undefined;
  if (typeof instance?.onInitDependencies !== 'function' || asked.has(node)) return;
  asked.add(node);
  let i = 0;
  for (const dependency of instance.onInitDependencies() ?? []) {
    if (dependency === null || typeof dependency !== 'object') {
      throw new UsageError(`${node.label}.onInitDependencies() returned ${dependency === null ? 'null' : `a ${typeof dependency}`} at position ${i}: return the services it needs (objects), e.g. [this.db].`);
    }
    node.addChild(runtimeOf(dependency));
    i++;
  }
}
