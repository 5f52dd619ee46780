// Which services a crash affects, by strategy: read on the dependency graph (DI apps) or on a supervisor's list (Mode style).
import type { Lifecycle } from '../lifecycle/lifecycle.js';
import { ownedSet } from '../lifecycle/node-operations.js';
import type { ServiceRuntime } from '../lifecycle/runtime.js';
import type { SupervisionStrategy } from './policy.js';

/** `nodes` and the children each owns, once each, in the order given. */
function withOwned(engine: Lifecycle, nodes: Iterable<ServiceRuntime>): ServiceRuntime[] {
  const set = new Set<ServiceRuntime>();
  for (const node of nodes) for (const owned of ownedSet(engine, node)) set.add(owned);
  return [...set];
}

/** `nodes` and every service that depends on any of them, transitively. */
function withDependents(engine: Lifecycle, nodes: Iterable<ServiceRuntime>): ServiceRuntime[] {
  const set = new Set<ServiceRuntime>();
  for (const node of nodes) for (const i of engine.graph.dependentsClosureOf(engine.adopt(node))) set.add(engine.graph.nodes[i]!);
  return [...set];
}

/**
 * On the dependency graph: `'one-for-one'` the crashed service (and the children it owns);
 * `'rest-for-one'` and `'forfeit-one-for-one'` it and every service that depends on it,
 * transitively (what needs it cannot run without it); the `'…-for-all'` ones the whole
 * `group` and what depends on it. The crashed service comes first.
 */
export function affectedOnGraph(engine: Lifecycle, node: ServiceRuntime, strategy: SupervisionStrategy, group: readonly ServiceRuntime[]): ServiceRuntime[] {
  switch (strategy) {
    case 'one-for-one':
    case 'crashing':
      return withOwned(engine, [node]);
    case 'rest-for-one':
    case 'forfeit-one-for-one':
      return withOwned(engine, withDependents(engine, [node]));
    default:
      return withOwned(engine, [node, ...withDependents(engine, group)]);
  }
}

/**
 * Mode's reading, on a supervisor's list of services (in the order they were added):
 * `'one-for-one'` and `'forfeit-one-for-one'` the crashed service; the `'…-for-all'` ones
 * every service of the list; `'rest-for-one'` the crashed one and those added after it (OTP's
 * order). Each with the children it owns. The crashed service comes first.
 */
export function affectedInList(engine: Lifecycle, node: ServiceRuntime, strategy: SupervisionStrategy, list: readonly ServiceRuntime[]): ServiceRuntime[] {
  switch (strategy) {
    case 'one-for-all':
    case 'forfeit-one-for-all':
      return withOwned(engine, [node, ...list]);
    case 'rest-for-one': {
      const at = list.indexOf(node);
      return withOwned(engine, [node, ...(at >= 0 ? list.slice(at + 1) : [])]);
    }
    default:
      return withOwned(engine, [node]);
  }
}
