// Operations on one service inside a running app: start what it needs, stop or restart what it owns, add a runtime dependency.
import { type HookError, StartError } from '../errors/lifecycle.js';
import { ServiceStateError } from '../errors/usage.js';
import type { EdgeKind } from './graph.js';
import type { Lifecycle } from './lifecycle.js';
import type { ServiceRuntime } from './runtime.js';
import { startAlong } from './scheduler.js';

const OWNED = (kind: EdgeKind) => kind === 'owned' || kind === 'runtime';

/** Starts `node` and whatever it needs that is not running yet; rolls that back on failure. */
export async function startNode(engine: Lifecycle, node: ServiceRuntime): Promise<void> {
  engine.adopt(node);
  engine.validate();
  const members = engine.graph.closureOf(node.index).map((i) => engine.graph.nodes[i]!);
  const failures = await startServices(engine, members, () => false);
  if (failures.length > 0) throw new StartError(failures, await engine.stopServices(members.filter((n) => engine.startedOrder.has(n))));
}

/**
 * Starts those of `members` not running yet along the graph (what they need outside `members`
 * must be running), until `halted()` or a failure; resolves with the failures, leaving the
 * rollback to the caller.
 */
export function startServices(engine: Lifecycle, members: readonly ServiceRuntime[], halted: () => boolean): Promise<HookError[]> {
  const indices = members.filter((n) => n.state !== 'running').map((n) => engine.adopt(n)).sort((a, b) => a - b);
  return startAlong(engine.graph, indices, { concurrency: engine.concurrency, halted: () => halted() || engine.forceSignal.aborted });
}

/**
 * `node` with the children it owns (Mode's `addDependency` / `addRuntimeDependency`), minus
 * any child still needed by a started service outside that set.
 */
export function ownedSet(engine: Lifecycle, node: ServiceRuntime): ServiceRuntime[] {
  const { graph } = engine;
  const set = new Set(graph.closureOf(node.index, OWNED));
  for (let changed = true; changed; ) {
    changed = false;
    for (const m of set) {
      if (m !== node.index && graph.dependents[m]!.some((d) => !set.has(d) && engine.startedOrder.has(graph.nodes[d]!))) {
        set.delete(m);
        changed = true;
      }
    }
  }
  return [...set].map((i) => graph.nodes[i]!);
}

/**
 * Stop → onRestart → start for `node` and the children it owns. A failed restart stops
 * what it started again and crashes the app: no half-restarted service is left running.
 * Resolves with the errors of the stop.
 */
export async function restartNode(engine: Lifecycle, node: ServiceRuntime): Promise<Error[]> {
  const members = ownedSet(engine, node);
  const errors = await engine.stopServices(members);
  try {
    for (const m of [...members].sort((a, b) => a.index - b.index)) await m.restarting();
    await startNode(engine, node);
  } catch (error) {
    const failure = error instanceof StartError ? error : new StartError([error as HookError], errors);
    await engine.stopServices(members.filter((m) => engine.startedOrder.has(m)));
    engine.crashApp(node, failure);
    throw failure;
  }
  return errors;
}

/** Makes `owner` depend on `child` from now on; if `owner` is starting or running, `child` starts at once. */
export async function addRuntimeDependency(engine: Lifecycle, owner: ServiceRuntime, child: ServiceRuntime): Promise<void> {
  if (owner.state === 'stopping' || owner.state === 'shutdown' || owner.state === 'crashed') {
    throw new ServiceStateError(
      owner.label,
      `addRuntimeDependency(${child.label}) called on ${owner.label} while it is ${owner.state}; add runtime dependencies while the service is starting or running.`,
    );
  }
  engine.link(owner, child, 'runtime');
  try {
    engine.validate();
  } catch (error) {
    engine.graph.unlink(owner.index, child.index);
    throw error;
  }
  if (owner.state === 'starting' || owner.state === 'running') await startNode(engine, child);
}
