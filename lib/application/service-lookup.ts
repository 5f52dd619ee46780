// Finding one service of a running application by its label, for the operations an operator asks for (restart, stop).
import { AmbiguousServiceError, ServiceStateError, UnknownServiceError } from '../errors/usage.js';
import type { Lifecycle } from '../lifecycle/lifecycle.js';
import type { ServiceRuntime } from '../lifecycle/runtime.js';

/**
 * The one service of `engine`'s running app labelled `label`.
 * @example
 * ```ts
 * await engine.restartNode(serviceByLabel(engine, 'PageViewCache'));
 * ```
 * @throws {@link UnknownServiceError} when none has it, {@link AmbiguousServiceError} when several do,
 * {@link ServiceStateError} when the app is not running.
 */
export function serviceByLabel(engine: Lifecycle, label: string): ServiceRuntime {
  const nodes = engine.graph.nodes;
  const matches = nodes.filter((node) => node.label === label);
  if (matches.length === 0) throw new UnknownServiceError(label, nodes.map((node) => node.label));
  if (matches.length > 1) throw new AmbiguousServiceError(label, matches.length);
  if (engine.state !== 'running') {
    throw new ServiceStateError(label, `Cannot act on ${label} while the application is ${engine.state}: restart or stop a single service while the app runs (start() it first, or wait for its start to finish).`);
  }
  return matches[0]!;
}
