// Turns a container's bindings into planned nodes and typed edges, and validates them before anything starts.
import { type Binding, ClassElementMetadataKind, getClassMetadata } from '@inversifyjs/core';
import type { Container, ServiceIdentifier } from 'inversify';
import { CycleError, MissingBindingError, ScopeError } from '../errors/plan.js';
import { findCycle, type EdgeKind } from '../lifecycle/graph.js';
import { type ClassLifecycle, lifecycleOf } from '../lifecycle/metadata.js';
import { boundInParent, listBindings, nameOf, satisfying, unwrapId } from './bindings.js';
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

interface Missing {
  readonly from: number;
  readonly id: unknown;
  readonly via: string;
  readonly detail: string;
}

function implementationOf(binding: Binding): Function | undefined {
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
  const bindings = listBindings(container);
  const indexOf = new Map<Binding, number>();
  const byId = new Map<ServiceIdentifier, Binding[]>();
  bindings.forEach((b, i) => {
    indexOf.set(b, i);
    const list = byId.get(b.serviceIdentifier);
    if (list) list.push(b);
    else byId.set(b.serviceIdentifier, [b]);
  });
  const nodes: PlannedNode[] = bindings.map((binding, index) => {
    const impl = implementationOf(binding);
    const shared = byId.get(binding.serviceIdentifier)!.length > 1;
    return { index, binding, serviceIdentifier: binding.serviceIdentifier, label: labelOf(binding), lifecycle: impl && lifecycleOf(impl), deps: NO_EDGES, shared };
  });
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
    const candidates = byId.get(id) ?? [];
    if (candidates.length === 0) {
      if (optional || boundInParent(container, id)) return;
      const detail = `Bind it in a ContainerModule, e.g. bind(${nameOf(id)}).toSelf().inSingletonScope(), or mark ${via} of ${node.label} @optional().`;
      missing.push({ from: node.index, id, via, detail });
      return;
    }
    const targets = candidates.length === 1 && name === undefined && tags.length === 0 ? candidates : satisfying(candidates, id, name as string | undefined, tags, node.serviceIdentifier);
    for (const target of targets) {
      const to = indexOf.get(target);
      if (to !== undefined && to !== node.index && !edges.some((e) => e.to === to)) edges.push({ to, kind, via });
    }
  };

  for (const node of nodes) {
    const { binding } = node;
    if (binding.type === 'Instance') {
      if (node.lifecycle?.hasLifecycle && binding.scope !== 'Singleton') throw new ScopeError(node.label, binding.scope);
      const meta = getClassMetadata(binding.implementationType);
      meta.constructorArguments.forEach((arg, i) => {
        if (arg.kind === ClassElementMetadataKind.unmanaged) return;
        depend(node, arg.value, `constructor parameter #${i}`, 'injected', arg.optional, arg.name, tagsOf(arg.tags));
      });
      for (const [key, arg] of meta.properties) {
        if (arg.kind === ClassElementMetadataKind.unmanaged) continue;
        depend(node, arg.value, `property ${String(key)}`, 'injected', arg.optional, arg.name, tagsOf(arg.tags));
      }
    } else if (binding.type === 'ResolvedValue') {
      binding.metadata.arguments.forEach((arg, i) => depend(node, arg.value, `argument #${i}`, 'injected', arg.optional, arg.name, tagsOf(arg.tags)));
    } else if (binding.type === 'ServiceRedirection') {
      depend(node, binding.targetServiceIdentifier, 'toService()', 'injected', false);
    }
    for (const id of node.lifecycle?.dependsOn ?? []) depend(node, id, '@dependsOn', 'declared', false);
    for (const id of declared.get(node.serviceIdentifier) ?? []) depend(node, id, 'the dependencies option', 'declared', false);
    if (edges.length) {
      node.deps = edges.slice();
      edges.length = 0;
    }
  }

  if (missing.length) throw missingError(nodes, missing);
  const cycle = findCycle(nodes.map((n) => n.deps.map((e) => e.to)));
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
