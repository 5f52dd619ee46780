// A container's services made the engine's graph: planned, checked, created in binding order, each adopted as a node, then linked.
import type { Container, ServiceIdentifier } from 'inversify';
import type { Lifecycle } from '../lifecycle/lifecycle.js';
import { runtimeOf, ServiceRuntime } from '../lifecycle/runtime.js';
import { planContainer } from './container-plan.js';
import { adoptDeactivation } from './deactivation.js';
import { guardScopedValues, instanceOf, resolveSingletons } from './resolution.js';
import { chosenServices } from './selection.js';

/**
 * Plans `container`'s bindings (with the `declared` dependencies), creates the singletons of the
 * services chosen by `roots` (all when none), and adopts each into `engine`'s graph with its edges.
 * A binding without an object (a number, a string) becomes a node of its own, so the graph
 * still orders what depends on it.
 * @example
 * ```ts
 * await adoptContainer(engine, container, new Map(), undefined);
 * engine.graph.nodes.length; // every binding
 * ```
 * @throws {@link PlanError} for graph mistakes, before anything is created; {@link ResolutionError} when a service cannot be created.
 */
export async function adoptContainer(
  engine: Lifecycle,
  container: Container,
  declared: Map<ServiceIdentifier, ServiceIdentifier[]>,
  roots: readonly ServiceIdentifier[] | undefined,
): Promise<void> {
  const plan = planContainer(container, declared);
  const members = chosenServices(plan, roots);
  guardScopedValues(container, plan);
  await resolveSingletons(container, plan, members);
  const position = new Int32Array(plan.size);
  for (const i of members) {
    const instance = instanceOf(plan.bindings[i]!);
    position[i] = engine.adopt(instance !== null && typeof instance === 'object' ? runtimeOf(instance) : new ServiceRuntime(undefined, plan.label(i)));
    adoptDeactivation(plan.bindings[i]!, instance, engine.graph.nodes[position[i]!]!);
  }
  const { edgeStart, edgeTo } = plan;
  for (const i of members) for (let e = edgeStart[i]!; e < edgeStart[i + 1]!; e++) engine.graph.link(position[i]!, position[edgeTo[e]!]!, plan.kindOf(e));
}
