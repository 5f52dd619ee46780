// Turns a container's bindings into planned nodes and typed edges, and validates them before anything starts.
import { type Binding, ClassElementMetadataKind, getClassMetadata } from '@inversifyjs/core';
import type { Container, ServiceIdentifier } from 'inversify';
import { ScopeError } from '../errors/plan.js';
import { type EdgeKind, findCycleBy } from '../lifecycle/graph.js';
import { type ClassLifecycle, lifecycleOf } from '../lifecycle/declarations.js';
import { Shutdowner } from '../lifecycle/shutdowner.js';
import { bindingService, bindingsOf, boundInParent, listBindings, nameOf, satisfying, unwrapId } from './bindings.js';
import type { PlanDependency, PlanEntry } from './plan.js';
import { cycleError, type Missing, missingError } from './plan-errors.js';

const KINDS: readonly EdgeKind[] = ['injected', 'owned', 'runtime', 'declared'];

/**
 * A container's bindings as planned nodes (binding order) with typed edges, without resolving
 * anything. The edges are kept flat (one typed array each, node `i`'s from `edgeStart[i]` to
 * `edgeStart[i + 1]`): at 100,000 services, an object and a list per edge and per node were
 * ~200 bytes a service, alive while the container creates everything.
 */
export class ContainerPlan {
  readonly size: number;
  /** The binding of each node. */
  readonly bindings: readonly Binding[];
  /** The resolved lifecycle of each node's class (`undefined` when it has no class). */
  readonly lifecycles: ReadonlyArray<ClassLifecycle | undefined>;
  /** Node `i`'s edges are `edgeStart[i]` up to `edgeStart[i + 1]`. */
  readonly edgeStart: Int32Array;
  /** The node each edge leads to (the dependency). */
  readonly edgeTo: Int32Array;
  readonly #edgeKind: Uint8Array;
  readonly #edgeVia: Int32Array;
  readonly #vias: readonly string[];
  /** Nodes whose identifier other bindings share (multi-injection). */
  readonly #shared: Uint8Array;

  /** @internal Built by {@link planContainer}. */
  constructor(bindings: readonly Binding[], lifecycles: ReadonlyArray<ClassLifecycle | undefined>, shared: Uint8Array, edges: EdgeBuffer) {
    this.size = bindings.length;
    this.bindings = bindings;
    this.lifecycles = lifecycles;
    this.#shared = shared;
    this.edgeStart = edges.start;
    this.edgeTo = edges.to.slice(0, edges.count);
    this.#edgeKind = edges.kind.slice(0, edges.count);
    this.#edgeVia = edges.via.slice(0, edges.count);
    this.#vias = edges.vias;
  }

  serviceIdentifier(i: number): ServiceIdentifier {
    return this.bindings[i]!.serviceIdentifier;
  }

  /** The node's name in messages: its class name, or its identifier's. */
  label(i: number): string {
    return labelOf(this.bindings[i]!);
  }

  /** Whether other bindings share node `i`'s service identifier. */
  shared(i: number): boolean {
    return this.#shared[i] === 1;
  }

  /** How edge `e` came to be. */
  kindOf(e: number): EdgeKind {
    return KINDS[this.#edgeKind[e]!]!;
  }

  /** The kinds of node `i`'s edges, in order. */
  kinds(i: number): EdgeKind[] {
    return Array.from(this.#edgeKind.subarray(this.edgeStart[i]!, this.edgeStart[i + 1]!), (k) => KINDS[k]!);
  }

  /** How edge `e` is expressed: `constructor parameter #0`, `property cache`, `@dependsOn`, … */
  via(e: number): string {
    return this.#vias[this.#edgeVia[e]!]!;
  }

  /** The nodes node `i` depends on (a new list). */
  depsOf(i: number): number[] {
    return Array.from(this.edgeTo.subarray(this.edgeStart[i]!, this.edgeStart[i + 1]!));
  }
}

/** Edges as they are found: growing typed arrays, and the interned `via` strings. */
class EdgeBuffer {
  count = 0;
  to = new Int32Array(1024);
  kind = new Uint8Array(1024);
  via = new Int32Array(1024);
  readonly start: Int32Array;
  readonly vias: string[] = [];
  readonly #viaIndex = new Map<string, number>();

  constructor(nodes: number) {
    this.start = new Int32Array(nodes + 1);
  }

  /** The index of `via` among the interned strings. */
  intern(via: string): number {
    let v = this.#viaIndex.get(via);
    if (v === undefined) {
      v = this.vias.length;
      this.vias.push(via);
      this.#viaIndex.set(via, v);
    }
    return v;
  }

  /**
   * Adds an edge of the node being planned (whose edges begin at `first`), unless it has it
   * already. `kind` indexes {@link KINDS}; `via` is interned.
   */
  add(first: number, to: number, kind: number, via: number): void {
    for (let e = first; e < this.count; e++) if (this.to[e] === to) return;
    if (this.count === this.to.length) {
      const grow = <T extends Int32Array | Uint8Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.to = grow(this.to);
      this.kind = grow(this.kind);
      this.via = grow(this.via);
    }
    this.to[this.count] = to;
    this.kind[this.count] = kind;
    this.via[this.count] = via;
    this.count++;
  }
}

const INJECTED = KINDS.indexOf('injected');
const DECLARED = KINDS.indexOf('declared');

/** Tags of an injection as pairs (shared empty list for the usual untagged case). */
function tagsOf(tags: ReadonlyMap<unknown, unknown>): ReadonlyArray<readonly [unknown, unknown]> {
  return tags.size === 0 ? NO_TAGS : [...tags];
}
const NO_TAGS: ReadonlyArray<readonly [unknown, unknown]> = Object.freeze([]);
const NO_TAG_MAP: ReadonlyMap<unknown, unknown> = new Map();
const NO_BINDINGS: readonly Binding[] = Object.freeze([]);


/** The class of what a binding gives: its implementation type, or a constant's constructor. */
export function implementationOf(binding: Binding): Function | undefined {
  if (binding.type === 'Instance') return binding.implementationType;
  if (binding.type === 'ConstantValue') {
    const value: unknown = binding.value;
    if (value !== null && typeof value === 'object' && value.constructor !== Object) return value.constructor;
  }
  return undefined;
}

/** A binding's name in messages: its class name, or its identifier's. */
export function labelOf(binding: Binding): string {
  const impl = implementationOf(binding);
  if (impl && (typeof binding.serviceIdentifier !== 'function' || binding.serviceIdentifier === impl)) return impl.name;
  return nameOf(binding.serviceIdentifier);
}

/**
 * Reads every binding of `container` as a node with its dependency edges (constructor and
 * property injection, `toService`, `toResolvedValue` arguments, `@dependsOn`, and the
 * `declared` map), then validates: lifecycle classes must be singletons, every non-optional
 * injection must have a binding, and the graph must be acyclic.
 *
 * @throws {@link ScopeError}, {@link MissingBindingError}, {@link CycleError}
 */
export function planContainer(container: Container, declared: ReadonlyMap<ServiceIdentifier, readonly ServiceIdentifier[]>): ContainerPlan {
  // The Shutdowner is the application's own: not a service of the graph.
  const listed = listBindings(container);
  const bindings = listed.bindings.filter((b) => b.serviceIdentifier !== Shutdowner);
  const { sharedIds } = listed;
  const service = bindingService(container);
  const n = bindings.length;
  const positions = new Map(bindings.map((binding, i) => [binding, i]));
  const lifecycles = new Array<ClassLifecycle | undefined>(n);
  const shared = new Uint8Array(n);
  const missing: Missing[] = [];
  const edges = new EdgeBuffer(n);
  // The node being planned, and where its edges begin.
  let from = 0;
  let first = 0;

  /** Adds the edges of one injection of the node being planned (`via` and `kind` as the buffer keeps them). */
  const depend = (rawId: unknown, via: number, kind: number, optional: boolean, name?: unknown, tags: ReadonlyMap<unknown, unknown> = NO_TAG_MAP) => {
    if (rawId === undefined || rawId === null) {
      const label = labelOf(bindings[from]!);
      missing.push({
        from,
        id: rawId,
        via: edges.vias[via]!,
        detail: `The type of ${edges.vias[via]!} of ${label} was undefined when the class was decorated, usually a circular import: inject it with @inject(new LazyServiceIdentifier(() => TheClass)).`,
      });
      return;
    }
    const id = unwrapId(rawId);
    const candidates = bindingsOf(service, id) ?? NO_BINDINGS;
    if (candidates.length === 0) {
      if (optional || boundInParent(container, id)) return;
      const detail = `Bind it in a ContainerModule, e.g. bind(${nameOf(id)}).toSelf().inSingletonScope(), or mark ${edges.vias[via]!} of ${labelOf(bindings[from]!)} @optional().`;
      missing.push({ from, id, via: edges.vias[via]!, detail });
      return;
    }
    const targets = candidates.length === 1 && name === undefined && tags.size === 0 ? candidates : satisfying(candidates, id, name as string | undefined, tagsOf(tags), bindings[from]!.serviceIdentifier);
    for (const target of targets) {
      const to = positions.get(target);
      if (to !== undefined && to !== from) edges.add(first, to, kind, via);
    }
  };

  for (from = 0; from < n; from++) {
    const binding = bindings[from]!;
    first = edges.count;
    edges.start[from] = first;
    const impl = implementationOf(binding);
    const lifecycle = impl && lifecycleOf(impl);
    lifecycles[from] = lifecycle;
    if (sharedIds.size > 0 && sharedIds.has(binding.serviceIdentifier)) shared[from] = 1;
    if (binding.type === 'Instance') {
      if (lifecycle?.hasLifecycle && binding.scope !== 'Singleton') throw new ScopeError(labelOf(binding), binding.scope);
      const meta = getClassMetadata(binding.implementationType);
      const args = meta.constructorArguments;
      for (let i = 0; i < args.length; i++) {
        const arg = args[i]!;
        if (arg.kind === ClassElementMetadataKind.unmanaged) continue;
        depend(arg.value, edges.intern(`constructor parameter #${i}`), INJECTED, arg.optional, arg.name, arg.tags);
      }
      if (meta.properties.size > 0) {
        for (const [key, arg] of meta.properties) {
          if (arg.kind === ClassElementMetadataKind.unmanaged) continue;
          depend(arg.value, edges.intern(`property ${String(key)}`), INJECTED, arg.optional, arg.name, arg.tags);
        }
      }
    } else if (binding.type === 'ResolvedValue') {
      binding.metadata.arguments.forEach((arg, i) => depend(arg.value, edges.intern(`argument #${i}`), INJECTED, arg.optional, arg.name, arg.tags));
    } else if (binding.type === 'ServiceRedirection') {
      depend(binding.targetServiceIdentifier, edges.intern('toService()'), INJECTED, false);
    }
    const dependsOn = lifecycle?.dependsOn;
    if (dependsOn?.length) for (const id of dependsOn) depend(id, edges.intern('@dependsOn'), DECLARED, false);
    if (declared.size > 0) for (const id of declared.get(binding.serviceIdentifier) ?? []) depend(id, edges.intern('the dependencies option'), DECLARED, false);
  }
  edges.start[n] = edges.count;
  const plan = new ContainerPlan(bindings, lifecycles, shared, edges);
  if (missing.length) throw missingError(plan, missing);
  const { edgeStart, edgeTo } = plan;
  const cycle = findCycleBy(n, (v) => edgeStart[v + 1]! - edgeStart[v]!, (v, k) => edgeTo[edgeStart[v]! + k]!);
  if (cycle) throw cycleError(plan, cycle);
  return plan;
}

/**
 * The plan entries (labels, edges, hooks) of the planned nodes `members`, for `computePlan`.
 * `declared` is the `dependencies` option: a `toDynamicValue` binding listed there (even with
 * an empty list) has its dependencies declared.
 */
export function planEntries(plan: ContainerPlan, members: readonly number[], declared: ReadonlyMap<ServiceIdentifier, unknown> = new Map()): PlanEntry[] {
  const position = new Map(members.map((m, k) => [m, k]));
  return members.map((i) => {
    const binding = plan.bindings[i]!;
    const kinds = plan.kinds(i);
    const dependencies: PlanDependency[] = [];
    for (let e = plan.edgeStart[i]!, k = 0; e < plan.edgeStart[i + 1]!; e++, k++) {
      const to = plan.edgeTo[e]!;
      dependencies.push({ label: plan.label(to), via: plan.via(e), kind: kinds[k]!, index: position.get(to)! });
    }
    const unseen = binding.type === 'DynamicValue' && !declared.has(binding.serviceIdentifier);
    return {
      label: plan.label(i),
      dependencies,
      hooks: plan.lifecycles[i]?.hookNames ?? [],
      kind: binding.type,
      ...('scope' in binding && binding.scope ? { scope: binding.scope } : {}),
      hasLifecycle: plan.lifecycles[i]?.hasLifecycle ?? false,
      ...(unseen ? { unseenDependencies: true } : {}),
    };
  });
}
