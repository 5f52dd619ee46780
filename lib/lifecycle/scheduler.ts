// Starts and stops a set of services along the graph: each as soon as its ordering allows, concurrently.
import { HookError } from '../errors/lifecycle.js';
import { toError } from '../errors/mode-error.js';
import { IndexHeap } from '../utils/heap.js';
import type { ServiceGraph } from './graph.js';
import type { ServiceRuntime } from './runtime.js';

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
  const ready = new IndexHeap((i) => i);
  for (const m of members) {
    let count = 0;
    for (const d of deps[m]!) if (inSet[d] && nodes[d]!.state !== 'running') count++;
    pending[m] = count;
    if (count === 0) ready.push(m);
  }
  const failures: HookError[] = [];
  const halted = options.halted;
  let inflight = 0;
  let done = false;

  return new Promise((resolve) => {
    const succeeded = (i: number) => {
      for (const d of dependents[i]!) if (inSet[d] && --pending[d] === 0) ready.push(d);
    };
    const failed = (node: ServiceRuntime, error: unknown) => {
      if (failures.length === 0) interruptStarting(nodes, members, error);
      failures.push(error instanceof HookError ? error : new HookError(node.label, 'start', error));
    };
    const pump = () => {
      while (ready.size > 0 && inflight < options.concurrency && failures.length === 0 && !halted?.()) {
        const i = ready.pop()!;
        const node = nodes[i]!;
        if (node.state === 'running') {
          succeeded(i);
          continue;
        }
        let started: Promise<void> | undefined;
        try {
          started = node.start();
        } catch (error) {
          failed(node, error);
          continue;
        }
        if (started === undefined) {
          succeeded(i);
          continue;
        }
        inflight++;
        started.then(
          () => {
            inflight--;
            succeeded(i);
            pump();
          },
          (error: unknown) => {
            inflight--;
            failed(node, error);
            pump();
          },
        );
      }
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
  for (const m of list) active[m] = 1;
  const ready = new IndexHeap((i) => -nodes[i]!.startSeq);
  for (const m of list) {
    let count = 0;
    for (const d of dependents[m]!) if (active[d]) count++;
    pending[m] = count;
    if (count === 0) ready.push(m);
  }
  const errors: Error[] = [];
  let inflight = 0;
  let done = false;

  return new Promise((resolve) => {
    const stopped = (i: number) => {
      for (const d of deps[i]!) if (active[d] && --pending[d] === 0) ready.push(d);
    };
    const pump = () => {
      while (ready.size > 0 && inflight < options.concurrency) {
        const i = ready.pop()!;
        let result: Promise<Error[]> | undefined;
        try {
          result = nodes[i]!.stop();
        } catch (error) {
          errors.push(toError(error));
        }
        if (result === undefined) {
          stopped(i);
          continue;
        }
        inflight++;
        result.then(
          (errs) => {
            inflight--;
            errors.push(...errs);
            stopped(i);
            pump();
          },
          (error: unknown) => {
            inflight--;
            errors.push(toError(error));
            stopped(i);
            pump();
          },
        );
      }
      if (!done && inflight === 0) {
        done = true;
        resolve(errors);
      }
    };
    pump();
  });
}
