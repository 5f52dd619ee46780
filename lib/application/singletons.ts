// The singletons an application runs: created in binding order, and each binding's instance read back.
import type { Binding } from '@inversifyjs/core';
import type { Container } from 'inversify';
import { ResolutionError } from '../errors/lifecycle.js';
import type { ContainerPlan } from './container-plan.js';

/** The value a binding holds: a constant, or a singleton already created (`undefined` otherwise). */
export function instanceOf(binding: Binding): unknown {
  if (binding.type === 'ConstantValue') return binding.value;
  if ('cache' in binding && binding.cache.isRight) return binding.cache.value;
  return undefined;
}

const NO_TAGS = new Map<never, never>();
const NO_ANCESTOR = () => undefined;

/** Whether a plain `get` of the binding's identifier (no name, no tags, no parent) would pick it. */
function resolvableAlone(binding: Binding): boolean {
  try {
    return binding.isSatisfiedBy({ name: undefined, tags: NO_TAGS, serviceIdentifier: binding.serviceIdentifier, getAncestor: NO_ANCESTOR });
  } catch {
    return false;
  }
}

/** Creates every singleton to run, in binding order, so each node has its instance. */
export async function resolveSingletons(container: Container, plan: ContainerPlan, members: readonly number[]): Promise<void> {
  const done = new Set<unknown>();
  for (let k = 0; k < members.length; k++) {
    const i = members[k]!;
    const binding = plan.bindings[i]!;
    // Most are created by now, with the first service that needed them.
    if (instanceOf(binding) !== undefined) continue;
    const singleton = binding.type === 'ConstantValue' || ('scope' in binding && binding.scope === 'Singleton');
    if (!singleton) continue;
    const id = binding.serviceIdentifier;
    const shared = plan.shared(i);
    // An identifier bound once is met once; a shared one is resolved whole (getAllAsync), once.
    if (shared) {
      if (done.has(id)) continue;
      done.add(id);
    }
    try {
      // Plain getAsync is about twice as fast as with { optional: true }; use it when it cannot miss.
      if (!shared && resolvableAlone(binding)) await container.getAsync(id);
      else await container.getAllAsync(id, { optional: true });
    } catch (error) {
      throw new ResolutionError(plan.label(i), error);
    }
  }
}
