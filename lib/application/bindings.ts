// Reads an inversify container's bindings without resolving anything, through the plugin API.
import { type Binding, type BindingConstraints, type BindingService } from '@inversifyjs/core';
import { Plugin, type PluginApi, type PluginContext } from '@inversifyjs/plugin';
import { type Container, LazyServiceIdentifier, type ServiceIdentifier } from 'inversify';

const contexts = new WeakMap<Container, PluginContext>();

/** The container's binding service (inversify's store of bindings), reached once through a plugin. */
export function bindingService(container: Container): BindingService {
  let context = contexts.get(container);
  if (!context) {
    let captured: PluginContext | undefined;
    class BindingsReader extends Plugin<Container> {
      constructor(c: Container, ctx: PluginContext) {
        super(c, ctx);
        captured = ctx;
      }
      load(_api: PluginApi): void {}
    }
    container.register(BindingsReader);
    context = captured!;
    contexts.set(container, context);
  }
  return context.bindingService;
}

/**
 * Every binding made in `container` itself (not its parents), in binding order, and the
 * identifiers bound more than once (multi-injection).
 */
export function listBindings(container: Container): { bindings: Binding[]; sharedIds: Set<ServiceIdentifier> } {
  const service = bindingService(container);
  const all: Binding[] = [];
  const sharedIds = new Set<ServiceIdentifier>();
  for (const id of service.getNonParentBoundServices()) {
    const list = bindingsOf(service, id) ?? [];
    if (list.length > 1) sharedIds.add(id);
    all.push(...list);
  }
  // Binding ids grow with binding order.
  return { bindings: all.sort((a, b) => a.id - b.id), sharedIds };
}

/** The bindings of `id` made in the container itself, in binding order (inversify's own list: do not modify). */
export function bindingsOf(service: BindingService, id: ServiceIdentifier): readonly Binding[] | undefined {
  return asArray(service.getNonParentBindings(id));
}

/** inversify keeps (and returns) an array; typed as an iterable, so copied if it ever is not one. */
function asArray(list: Iterable<Binding> | undefined): readonly Binding[] | undefined {
  return list === undefined || Array.isArray(list) ? (list as readonly Binding[] | undefined) : [...list];
}

/** Whether `id` is bound in a parent of `container` (outside what the application manages). */
export function boundInParent(container: Container, id: ServiceIdentifier): boolean {
  return [...bindingService(container).getChained(id)].length > 0;
}

/** A service identifier with any `LazyServiceIdentifier` unwrapped. */
export function unwrapId(id: unknown): ServiceIdentifier {
  return LazyServiceIdentifier.is(id) ? id.unwrap() : (id as ServiceIdentifier);
}

/** A readable name for a service identifier: class name, symbol description or string. */
export function nameOf(id: unknown): string {
  if (typeof id === 'function') return id.name || 'anonymous class';
  if (typeof id === 'symbol') return id.description ? `Symbol(${id.description})` : 'Symbol()';
  return String(id);
}

/**
 * A service identifier as written in code: `Db`, `'report'`, `Symbol.for('db')`.
 * @example
 * ```ts
 * idInCode('report'); // "'report'"
 * ```
 */
export function idInCode(id: unknown): string {
  if (typeof id === 'string') return `'${id.replace(/'/g, "\\'")}'`;
  if (typeof id === 'symbol') return Symbol.keyFor(id) !== undefined ? `Symbol.for('${Symbol.keyFor(id)}')` : `Symbol('${id.description ?? ''}')`;
  return nameOf(id);
}

/**
 * The bindings of `id` that would satisfy an injection with `name`/`tags` into a service bound
 * as `parent`. Conservative: when the constraints cannot be evaluated, every binding counts.
 */
export function satisfying(
  candidates: readonly Binding[],
  id: ServiceIdentifier,
  name: BindingConstraints['name'],
  tags: ReadonlyArray<readonly [unknown, unknown]>,
  parent: ServiceIdentifier,
): Binding[] {
  const parentConstraints: BindingConstraints = { name: undefined, tags: new Map(), serviceIdentifier: parent, getAncestor: () => undefined };
  const constraints: BindingConstraints = {
    name,
    tags: new Map(tags as Array<[string | number | symbol, unknown]>),
    serviceIdentifier: id,
    getAncestor: () => parentConstraints,
  };
  const matched = candidates.filter((b) => {
    try {
      return b.isSatisfiedBy(constraints);
    } catch {
      return true;
    }
  });
  return matched.length ? matched : [...candidates];
}
