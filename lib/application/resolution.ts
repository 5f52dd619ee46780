// Creating an app's instances through its container: the singletons to run, lookups by identifier, and the checks only creation can make.
import type { Binding } from '@inversifyjs/core';
import type { Container, ServiceIdentifier } from 'inversify';
import { ResolutionError } from '../errors/lifecycle.js';
import { MissingMetadataError, ModuleLoadError, ScopeError } from '../errors/plan.js';
import { UnboundServiceError } from '../errors/usage.js';
import { lifecycleOf } from '../lifecycle/declarations.js';
import { Shutdowner } from '../lifecycle/shutdowner.js';
import { closestMatch } from '../utils/suggest.js';
import { idInCode, listBindings, nameOf } from './bindings.js';
import { type ContainerPlan, labelOf } from './container-plan.js';

/** Turns inversify's errors while loading modules into typed errors that say what to do. */
export function explainLoadError(error: unknown): never {
  const message = error instanceof Error ? error.message : '';
  const missing = /missing metadata on type "([^"]+)"/.exec(message);
  if (missing) throw new MissingMetadataError(missing[1]!);
  throw new ModuleLoadError(error);
}

/** The instance a binding holds: a constant's value, or a singleton once created. */
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
      // A scope mistake found while creating (see guardScopedValues) is the user's, as at plan time.
      throw error instanceof ScopeError ? error : new ResolutionError(plan.label(i), error);
    }
  }
}


/** How many bound services an {@link UnboundServiceError} names. */
const LISTED = 10;

/**
 * `container.get(id)`, with a short {@link UnboundServiceError} (naming what is bound and
 * how to bind it) instead of inversify's when nothing is bound to `id`.
 */
export function getBound<T>(container: Container, id: ServiceIdentifier<T>): T {
  try {
    return container.get(id);
  } catch (error) {
    const bindings = listBindings(container).bindings;
    // Bound, but under a condition (whenNamed, whenTagged…) this plain get did not meet: inversify's own error says which.
    if (container.isBound(id) || bindings.some((b) => b.serviceIdentifier === id)) throw error;
    const labels = [...new Set(bindings.filter((b) => b.serviceIdentifier !== Shutdowner).map(labelOf))];
    const name = nameOf(id);
    const near = closestMatch(name, labels);
    const shown = labels.length > LISTED ? `${labels.slice(0, LISTED).join(', ')}, … (${labels.length} in all)` : labels.join(', ') || 'none';
    const example = typeof id === 'function' ? `bind(${name}).toSelf().inSingletonScope()` : `bind(${idInCode(id)}).toConstantValue(…)`;
    throw new UnboundServiceError(name, labels, `${near ? `Did you mean ${near}? ` : ''}Bound services: ${shown}. Bind it in a ContainerModule, e.g. ${example}.`);
  }
}

/** Bindings that make their value in code: what they make is known only once made. */
const MADE_IN_CODE: Readonly<Record<string, string>> = { DynamicValue: 'toDynamicValue', ResolvedValue: 'toResolvedValue' };

/**
 * Refuses, as it is created, a value with lifecycle hooks from a `toDynamicValue` or
 * `toResolvedValue` binding in transient or request scope (a {@link ScopeError}): a new value
 * at every injection is never started, so its hooks would never run. The planner cannot see
 * it (the value's class is known only once made), so this watches creation through the
 * container's public `onActivation`, for identifiers with no singleton binding.
 */
export function guardScopedValues(container: Container, plan: ContainerPlan): void {
  const byId = new Map<ServiceIdentifier, Binding[]>();
  for (const binding of plan.bindings) {
    const list = byId.get(binding.serviceIdentifier);
    if (list) list.push(binding);
    else byId.set(binding.serviceIdentifier, [binding]);
  }
  for (const [id, bindings] of byId) {
    const made = bindings.find((b) => b.type in MADE_IN_CODE);
    if (!made || !('scope' in made) || bindings.some((b) => b.type === 'ConstantValue' || ('scope' in b && b.scope === 'Singleton'))) continue;
    const { scope } = made;
    container.onActivation(id, (_context, value: unknown) => {
      // A plain value (or one without a class: Object.create(null), a `constructor` field) has no hooks.
      const ctor: unknown = value !== null && typeof value === 'object' ? (value as { constructor?: unknown }).constructor : undefined;
      if (typeof ctor !== 'function') return value;
      const lifecycle = lifecycleOf(ctor);
      if (!lifecycle.hasLifecycle) return value;
      const code = `bind(${idInCode(id)}).${MADE_IN_CODE[made.type]!}(…)`;
      throw new ScopeError(
        nameOf(id),
        scope,
        `${nameOf(id)} is bound with ${MADE_IN_CODE[made.type]} in ${scope} scope and made a ${ctor.name}, which has lifecycle hooks (${lifecycle.hookNames.join(', ')}): ` +
          `a new value at every injection is never started, so its hooks would never run. Lifecycle services are singletons: ${code}.inSingletonScope().`,
      );
    });
  }
}
