// Which of a container's planned services an application runs, and the dependencies declared in its options.
import type { ServiceIdentifier } from 'inversify';
import { UsageError } from '../errors/usage.js';
import { nameOf, unwrapId } from './bindings.js';
import type { ContainerPlan } from './container-plan.js';

/**
 * The `dependencies` option gathered by identifier (an identifier listed twice keeps both lists).
 * @example
 * ```ts
 * declaredDependencies([['report', [Database]], ['report', [Cache]]]); // Map { 'report' => [Database, Cache] }
 * ```
 */
export function declaredDependencies(
  dependencies: Iterable<readonly [ServiceIdentifier, readonly ServiceIdentifier[]]> | undefined,
): Map<ServiceIdentifier, ServiceIdentifier[]> {
  const declared = new Map<ServiceIdentifier, ServiceIdentifier[]>();
  for (const [id, deps] of dependencies ?? []) {
    const key = unwrapId(id);
    declared.set(key, [...(declared.get(key) ?? []), ...deps]);
  }
  return declared;
}

/**
 * The planned nodes to run, in binding order: all of them, or the `services` option's roots
 * (by identifier or label) and everything they need, transitively.
 * @example
 * ```ts
 * chosenServices(plan, ['Api']); // Api's index and those of its dependencies, sorted
 * ```
 * @throws {@link UsageError} naming a root that is not bound, and what is.
 */
export function chosenServices(plan: ContainerPlan, roots: readonly ServiceIdentifier[] | undefined): number[] {
  if (!roots?.length) return [...Array(plan.size).keys()];
  const chosen = new Uint8Array(plan.size);
  const queue: number[] = [];
  const choose = (index: number) => {
    if (chosen[index]) return;
    chosen[index] = 1;
    queue.push(index);
  };
  for (const id of roots) {
    let found = false;
    for (let i = 0; i < plan.size; i++) {
      if (plan.serviceIdentifier(i) === id || plan.label(i) === id) {
        found = true;
        choose(i);
      }
    }
    if (!found) {
      const known = Array.from({ length: plan.size }, (_, i) => plan.label(i)).join(', ');
      throw new UsageError(`No service ${nameOf(id)} to start: it is not bound. Bound services: ${known || 'none'}.`);
    }
  }
  for (let head = 0; head < queue.length; head++) plan.depsOf(queue[head]!).forEach(choose);
  return queue.sort((a, b) => a - b);
}
