// Turns a container's bindings into planned nodes and typed edges, and validates them before anything starts.
import { type Binding, ClassElementMetadataKind, getClassMetadata } from '@inversifyjs/core';
import { type Container, inject, type ServiceIdentifier } from 'inversify';
import { CycleError, MissingBindingError, ScopeError } from '../errors/plan.js';
import { findCycleBy, type EdgeKind } from '../lifecycle/graph.js';
import { type ClassLifecycle, lifecycleOf } from '../lifecycle/metadata.js';
import { bindingsOf, boundInParent, listBindings, nameOf, satisfying, unwrapId } from './bindings.js';
import type { PlanEntry } from './plan.js';

/** An edge of the plan: the node depends on `to`. */
export interface PlannedEdge {
  readonly to: number;
  readonly kind: EdgeKind;
  /** How the dependency is expressed: `constructor parameter #0`, `property cache`, `@dependsOn`, … */
  readonly via: string;
}

/** One binding of the container as a node of the plan. */
export interface PlannedNode {
  readonly index: number;
  readonly binding: Binding;
  readonly serviceIdentifier: ServiceIdentifier;
  readonly label: string;
  readonly lifecycle: ClassLifecycle | undefined;
  deps: readonly PlannedEdge[];
  /** Whether other bindings share its service identifier (multi-injection). */
  readonly shared: boolean;
}

/** Tags of an injection as pairs (shared empty list for the usual untagged case). */
function tagsOf(tags: ReadonlyMap<unknown, unknown>): ReadonlyArray<readonly [unknown, unknown]> {
  return tags.size === 0 ? NO_TAGS : [...tags];
}
const NO_TAGS: ReadonlyArray<readonly [unknown, unknown]> = Object.freeze([]);
const NO_EDGES: readonly PlannedEdge[] = Object.freeze([]);
const NO_BINDINGS: readonly Binding[] = Object.freeze([]);
const NO_METADATA = { constructorArguments: [] as ReturnType<typeof getClassMetadata>['constructorArguments'], properties: new Map() as ReturnType<typeof getClassMetadata>['properties'] };

/** `constructor parameter #i`, one string per position rather than one per edge. */
const parameterVias: string[] = [];
function parameterVia(i: number): string {
  return (parameterVias[i] ??= `constructor parameter #${i}`);
}

/**
 * Where inversify keeps a class's injection metadata. A class without it (no `@inject`, no
 * constructor parameters) injects nothing, and `getClassMetadata` would only build an empty
 * default for it (three collections per class). The key is inversify's internal one, so it is
 * checked once against a probe class: if it ever moves, every class takes the full path.
 */
const CLASS_METADATA_KEY = '@inversifyjs/core/classMetadataReflectKey';
/** @internal Whether the key holds (exported for a spec that fails when an inversify upgrade moves it). */
export const metadataKeyHolds = (() => {
  class Probe {
    dependency: unknown;
  }
  inject('probe')(Probe.prototype, 'dependency');
  return Reflect.hasOwnMetadata(CLASS_METADATA_KEY, Probe) && !Reflect.hasOwnMetadata(CLASS_METADATA_KEY, class Bare {});
})();

/** Whether `type` surely injects nothing (so its metadata need not be read). */
function injectsNothing(type: Function): boolean {
  return metadataKeyHolds && type.length === 0 && !Reflect.hasOwnMetadata(CLASS_METADATA_KEY, type);
}

function hasEdgeTo(edges: readonly PlannedEdge[], to: number): boolean {
  for (let k = 0; k < edges.length; k++) if (edges[k]!.to === to) return true;
  return false;
}

interface Missing {
  readonly from: number;
  readonly id: unknown;
  readonly via: string;
  readonly detail: string;
}

/** The class of what a binding gives: its implementation type, or a constant's constructor. */
export function implementationOf(binding: Binding): Function | undefined {
  if (binding.type === 'Instance') return binding.implementationType;
  if (binding.type === 'ConstantValue') {
    const value: unknown = binding.value;
    if (value !== null && typeof value === 'object' && value.constructor !== Object) return value.constructor;
  }
  return undefined;
}

function labelOf(binding: Binding): string {
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
export function planContainer(container: Container, declared: ReadonlyMap<ServiceIdentifier, readonly ServiceIdentifier[]>): PlannedNode[] {
  // No maps of our own: inversify already keeps the bindings of each identifier, and binding
  // ids grow with binding order, so a binary search finds a binding's node. (Two maps of
  // 100,000 entries were a quarter of the planning garbage.)
  const bindings = listBindings(container);
  const ids = new Float64Array(bindings.length);
  for (let i = 0; i < bindings.length; i++) ids[i] = bindings[i]!.id;
  const indexOf = (binding: Binding): number => {
    let lo = 0;
    let hi = ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const id = ids[mid]!;
      if (id === binding.id) return mid;
      if (id < binding.id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
  const nodes: PlannedNode[] = new Array<PlannedNode>(bindings.length);
  for (let index = 0; index < bindings.length; index++) {
    const binding = bindings[index]!;
    const impl = implementationOf(binding);
    const shared = bindingsOf(container, binding.serviceIdentifier)!.length > 1;
    nodes[index] = { index, binding, serviceIdentifier: binding.serviceIdentifier, label: labelOf(binding), lifecycle: impl && lifecycleOf(impl), deps: NO_EDGES, shared };
  }
  const missing: Missing[] = [];
  // Edges of the node being planned; copied out at their exact length (arrays grown by push keep 17 slots).
  const edges: PlannedEdge[] = [];

  const depend = (node: PlannedNode, rawId: unknown, via: string, kind: EdgeKind, optional: boolean, name?: unknown, tags: ReadonlyArray<readonly [unknown, unknown]> = NO_TAGS) => {
    if (rawId === undefined || rawId === null) {
      missing.push({
        from: node.index,
        id: rawId,
        via,
        detail: `The type of ${via} of ${node.label} was undefined when the class was decorated, usually a circular import: inject it with @inject(new LazyServiceIdentifier(() => TheClass)).`,
      });
      return;
    }
    const id = unwrapId(rawId);
    const candidates = bindingsOf(container, id) ?? NO_BINDINGS;
    if (candidates.length === 0) {
      if (optional || boundInParent(container, id)) return;
      const detail = `Bind it in a ContainerModule, e.g. bind(${nameOf(id)}).toSelf().inSingletonScope(), or mark ${via} of ${node.label} @optional().`;
      missing.push({ from: node.index, id, via, detail });
      return;
    }
    const targets = candidates.length === 1 && name === undefined && tags.length === 0 ? candidates : satisfying(candidates, id, name as string | undefined, tags, node.serviceIdentifier);
    for (let t = 0; t < targets.length; t++) {
      const to = indexOf(targets[t]!);
      if (to >= 0 && to !== node.index && !hasEdgeTo(edges, to)) edges.push({ to, kind, via });
    }
  };

  for (const node of nodes) {
    const { binding } = node;
    if (binding.type === 'Instance') {
      if (node.lifecycle?.hasLifecycle && binding.scope !== 'Singleton') throw new ScopeError(node.label, binding.scope);
      const meta = injectsNothing(binding.implementationType) ? NO_METADATA : getClassMetadata(binding.implementationType);
      const args = meta.constructorArguments;
      for (let i = 0; i < args.length; i++) {
        const arg = args[i]!;
        if (arg.kind === ClassElementMetadataKind.unmanaged) continue;
        depend(node, arg.value, parameterVia(i), 'injected', arg.optional, arg.name, tagsOf(arg.tags));
      }
      if (meta.properties.size > 0) {
        for (const [key, arg] of meta.properties) {
          if (arg.kind === ClassElementMetadataKind.unmanaged) continue;
          depend(node, arg.value, `property ${String(key)}`, 'injected', arg.optional, arg.name, tagsOf(arg.tags));
        }
      }
    } else if (binding.type === 'ResolvedValue') {
      binding.metadata.arguments.forEach((arg, i) => depend(node, arg.value, `argument #${i}`, 'injected', arg.optional, arg.name, tagsOf(arg.tags)));
    } else if (binding.type === 'ServiceRedirection') {
      depend(node, binding.targetServiceIdentifier, 'toService()', 'injected', false);
    }
    const dependsOn = node.lifecycle?.dependsOn;
    if (dependsOn?.length) for (const id of dependsOn) depend(node, id, '@dependsOn', 'declared', false);
    if (declared.size > 0) for (const id of declared.get(node.serviceIdentifier) ?? []) depend(node, id, 'the dependencies option', 'declared', false);
    if (edges.length) {
      node.deps = edges.slice();
      edges.length = 0;
    }
  }

  if (missing.length) throw missingError(nodes, missing);
  const cycle = findCycleBy(nodes.length, (v) => nodes[v]!.deps.length, (v, k) => nodes[v]!.deps[k]!.to);
  if (cycle) throw new CycleError(cycle.map((i) => nodes[i]!.label));
  return nodes;
}

function missingError(nodes: readonly PlannedNode[], missing: readonly Missing[]): MissingBindingError {
  const first = missing[0]!;
  const dependents: number[][] = nodes.map(() => []);
  for (const n of nodes) for (const e of n.deps) dependents[e.to]!.push(n.index);
  // Walk up from the node that needs the binding to a root, shortest way.
  const parent = new Map<number, number>([[first.from, -1]]);
  const queue = [first.from];
  let root = first.from;
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!;
    if (dependents[v]!.length === 0) {
      root = v;
      break;
    }
    for (const w of dependents[v]!) {
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  const chain: string[] = [];
  for (let v = root; v >= 0; v = parent.get(v)!) chain.push(nodes[v]!.label);
  const others = missing.slice(1).map((m) => `${nameOf(m.id)} (${m.via} of ${nodes[m.from]!.label})`);
  const detail = others.length ? `${first.detail} Also missing: ${others.join(', ')}.` : first.detail;
  return new MissingBindingError(nameOf(first.id), [...chain, `${nameOf(first.id)} (${first.via})`], detail);
}

/** The plan entries (labels, edges, hooks) of planned nodes, for `computePlan`. */
export function planEntries(nodes: readonly PlannedNode[]): PlanEntry[] {
  return nodes.map((n) => ({
    label: n.label,
    dependencies: n.deps.map((e) => ({ label: nodes[e.to]!.label, via: e.via })),
    hooks: n.lifecycle?.hookNames ?? [],
    kind: n.binding.type,
    ...('scope' in n.binding && n.binding.scope ? { scope: n.binding.scope } : {}),
  }));
}
