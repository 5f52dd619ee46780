// What the planner found wrong, as typed errors naming the services involved and how they are linked.
import { CycleError, MissingBindingError } from '../errors/plan.js';
import { nameOf } from './bindings.js';
import type { ContainerPlan } from './container-plan.js';

/** An injection with no binding: who needs it, what, through what, and the fix. */
export interface Missing {
  readonly from: number;
  readonly id: unknown;
  readonly via: string;
  readonly detail: string;
}

/** A {@link CycleError} for the planned nodes `cycle` (first repeated last), saying how each needs the next. */
export function cycleError(plan: ContainerPlan, cycle: readonly number[]): CycleError {
  const links = cycle.slice(1).map((to, k) => {
    const from = cycle[k]!;
    for (let e = plan.edgeStart[from]!; e < plan.edgeStart[from + 1]!; e++) if (plan.edgeTo[e] === to) return plan.via(e);
    return 'an edge';
  });
  return new CycleError(cycle.map((i) => plan.label(i)), links);
}

/** A {@link MissingBindingError} for the first missing injection, with the shortest chain from a root service down to it. */
export function missingError(plan: ContainerPlan, missing: readonly Missing[]): MissingBindingError {
  const first = missing[0]!;
  const dependents: number[][] = Array.from({ length: plan.size }, () => []);
  for (let v = 0; v < plan.size; v++) for (const w of plan.depsOf(v)) dependents[w]!.push(v);
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
  for (let v = root; v >= 0; v = parent.get(v)!) chain.push(plan.label(v));
  const others = missing.slice(1).map((m) => `${nameOf(m.id)} (${m.via} of ${plan.label(m.from)})`);
  const detail = others.length ? `${first.detail} Also missing: ${others.join(', ')}.` : first.detail;
  return new MissingBindingError(nameOf(first.id), [...chain, `${nameOf(first.id)} (${first.via})`], detail);
}
