// Starts and stops a set of services along the graph: each as soon as its ordering allows, concurrently.
import { HookError } from '../errors/lifecycle.js';
import { toError } from '../errors/mode-error.js';
import { IndexHeap, identityKeys } from '../utils/heap.js';
import type { ServiceGraph } from './graph.js';
import type { ServiceRuntime, StartDone, StopDone } from './runtime.js';

/** How many services may run their hooks at once (`1` gives the sequential order). */
export interface ScheduleOptions {
  readonly concurrency: number;
}

/**
 * Starts every node of `members` once all its dependencies are running. Dependencies outside
 * `members` must already be running. Ready nodes start in binding (index) order. After the
 * first failure, or when `halted()` turns true, nothing new starts; the promise resolves with
 * the failures once every start in flight has settled. Never rejects.
 */
export function startAlong(
  graph: ServiceGraph,
  members: readonly number[],
  options: ScheduleOptions & { halted?: () => boolean },
): Promise<HookError[]> {
  const { nodes, deps, dependents } = graph;
  const inSet = new Uint8Array(graph.size);
  const pending = new Int32Array(graph.size);
  for (const m of members) inSet[m] = 1;
  const ready = new IndexHeap(identityKeys(graph.size));
  for (const m of members) {
    let count = 0;
    for (const d of deps[m]!) if (inSet[d] && nodes[d]!.state !== 'running') count++;
    pending[m] = count;
    if (count === 0) ready.push(m);
  }
  const failures: HookError[] = [];
  const halted = options.halted;
  let inflight = 0;
  let pumping = false;
  let done = false;

  return new Promise((resolve) => {
    const succeeded = (i: number) => {
      for (const d of dependents[i]!) if (inSet[d] && --pending[d] === 0) ready.push(d);
    };
    const failed = (node: ServiceRuntime, error: unknown) => {
      if (failures.length === 0) interruptStarting(nodes, members, error);
      failures.push(error instanceof HookError ? error : new HookError(node.label, 'start', error));
    };
    // A start may settle synchronously, inside pump(): then pump's own loop carries on.
    const settled: StartDone = (node, error) => {
      inflight--;
      if (error) failed(node, error);
      else succeeded(node.index);
      if (!pumping) pump();
    };
    const pump = () => {
      pumping = true;
      while (ready.size > 0 && inflight < options.concurrency && failures.length === 0 && !halted?.()) {
        const i = ready.pop()!;
        const node = nodes[i]!;
        if (node.state === 'running') {
          succeeded(i);
          continue;
        }
        inflight++;
        node.start(settled);
      }
      pumping = false;
      if (!done && inflight === 0) {
        done = true;
        resolve(failures);
      }
    };
    pump();
  });
}

/** Aborts the run signal of services still starting, so a rollback does not wait on slow starts. */
function interruptStarting(nodes: readonly ServiceRuntime[], members: readonly number[], reason: unknown): void {
  for (const m of members) if (nodes[m]!.state === 'starting') nodes[m]!.interruptStart(toError(reason));
}

/**
 * Stops every node of `members` that needs stopping, each only after all of its dependents in
 * `members` have stopped; ties go in reverse start order. Never skips a node and never rejects:
 * resolves with every error met.
 */
export function stopAlong(graph: ServiceGraph, members: readonly number[], options: ScheduleOptions): Promise<Error[]> {
  const { nodes, deps, dependents } = graph;
  const active = new Uint8Array(graph.size);
  const pending = new Int32Array(graph.size);
  const list = members.filter((m) => nodes[m]!.needsStop);
  const order = new Float64Array(graph.size);
  for (const m of list) {
    active[m] = 1;
    order[m] = -nodes[m]!.startSeq;
  }
  const ready = new IndexHeap(order);
  for (const m of list) {
    let count = 0;
    for (const d of dependents[m]!) if (active[d]) count++;
    pending[m] = count;
    if (count === 0) ready.push(m);
  }
  const errors: Error[] = [];
  let inflight = 0;
  let pumping = false;
  let done = false;

  return new Promise((resolve) => {
    const settled: StopDone = (node, errs) => {
      inflight--;
      for (const e of errs) errors.push(e);
      for (const d of deps[node.index]!) if (active[d] && --pending[d] === 0) ready.push(d);
      if (!pumping) pump();
    };
    const pump = () => {
      pumping = true;
      while (ready.size > 0 && inflight < options.concurrency) {
        inflight++;
        nodes[ready.pop()!]!.stop(settled);
      }
      pumping = false;
      if (!done && inflight === 0) {
        done = true;
        resolve(errors);
      }
    };
    pump();
  });
}
