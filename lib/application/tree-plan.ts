// The plan of a Mode-style service tree (a service and the children it owns), computed without adopting it.
import { CycleError } from '../errors/plan.js';
import { findCycle } from '../lifecycle/graph.js';
import { addInitDependencies } from '../lifecycle/init-dependencies.js';
import type { ServiceRuntime } from '../lifecycle/runtime.js';
import { computePlan, type Plan, type PlanEntry } from './plan.js';

/**
 * The plan of a Mode-style tree (a service and the children it owns), without adopting it.
 * @example
 * ```ts
 * planTree(runtimeOf(new AppService())).waves;
 * ```
 * @throws {@link CycleError} when the tree's dependencies form a cycle.
 */
export function planTree(root: ServiceRuntime): Plan {
  const nodes: ServiceRuntime[] = [];
  const index = new Map<ServiceRuntime, number>();
  const visit = (n: ServiceRuntime) => {
    if (index.has(n)) return;
    index.set(n, nodes.length);
    nodes.push(n);
    addInitDependencies(n);
    n.children.forEach(visit);
  };
  visit(root);
  const deps = nodes.map((n) => n.children.map((c) => index.get(c)!));
  const cycle = findCycle(deps);
  if (cycle) throw new CycleError(cycle.map((i) => nodes[i]!.label));
  const entries: PlanEntry[] = nodes.map((n) => ({
    label: n.label,
    dependencies: n.children.map((c) => ({ label: c.label, via: 'addDependency', kind: 'owned' as const, index: index.get(c)! })),
    hooks: n.lifecycle.hookNames,
    kind: 'Service',
    hasLifecycle: n.hasLifecycle,
  }));
  return computePlan(entries, deps);
}
