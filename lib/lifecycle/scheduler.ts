// Starts and stops a set of services along the graph: each as soon as its ordering allows, concurrently, bounded.
import { HookError, ServiceStoppingError } from '../errors/lifecycle.js';
import { RankQueue } from '../utils/rank-queue.js';
import type { ServiceGraph } from './graph.js';

/**
 * How many steps one pass of the scheduler launches before it lets the microtask queue run.
 * Everything ready still begins in the same turn of the event loop, but hooks that settle at
 * once settle before the next batch: a wide graph keeps a few hundred suspended hooks alive,
 * not one per ready service.
 */
export const BURST = 256;

/** A walk over some of a graph's nodes, each stepped once everything it waits for has finished. */
interface Walk {
  readonly size: number;
  /** The members in priority order: among those ready, the earliest goes first. */
  readonly order: readonly number[];
  /** The nodes `i` waits for (only members count). */
  waitsFor(i: number): readonly number[];
  /** The nodes that may be waiting for `i`. */
  releases(i: number): readonly number[];
  /** Runs node `i`; resolves `true` when it releases what waits for it. Never rejects. */
  step(i: number): Promise<boolean>;
  readonly concurrency: number;
  /** Read before each launch: once true, nothing new is stepped. */
  halted(): boolean;
}

/** Steps every member of `walk` in dependency order, at most `concurrency` at once; resolves when nothing is in flight or ready. */
function walkAlong(walk: Walk): Promise<void> {
  const { order } = walk;
  const position = new Int32Array(walk.size).fill(-1);
  order.forEach((i, p) => (position[i] = p));
  const pending = new Int32Array(order.length);
  const ready = new RankQueue(order.length);
  order.forEach((i, p) => {
    pending[p] = walk.waitsFor(i).filter((w) => position[w]! >= 0).length;
    if (pending[p] === 0) ready.push(p);
  });
  return new Promise((resolve) => {
    let inflight = 0;
    let pumping = false;
    let queued = false;
    let done = false;
    const queuePump = () => {
      queued = true;
      queueMicrotask(pump);
    };
    const finished = (i: number, releases: boolean) => {
      inflight--;
      if (releases) {
        for (const r of walk.releases(i)) {
          const p = position[r]!;
          if (p >= 0 && --pending[p]! === 0) ready.push(p);
        }
      }
      if (!pumping && !queued) queuePump();
    };
    function pump(): void {
      queued = false;
      pumping = true;
      for (let launched = 0; inflight < walk.concurrency && !walk.halted(); launched++) {
        if (launched === BURST) {
          queuePump();
          break;
        }
        const p = ready.pop();
        if (p < 0) break;
        const i = order[p]!;
        inflight++;
        void walk.step(i).then((releases) => finished(i, releases));
      }
      pumping = false;
      if (inflight === 0 && !queued && !done) {
        done = true;
        resolve();
      }
    }
    pump();
  });
}

/** Options of {@link startAlong}. */
export interface StartOptions {
  readonly concurrency: number;
  /** Once true, nothing new starts. */
  halted(): boolean;
}

/**
 * Starts every member (indices, ascending: ties go by binding order) once all its
 * dependencies among them are running. After the first failure, or once halted, nothing new
 * starts and the starts still in flight are interrupted; resolves with the failures once
 * every start in flight has settled. Never rejects.
 */
export function startAlong(graph: ServiceGraph, members: readonly number[], options: StartOptions): Promise<HookError[]> {
  const { nodes } = graph;
  const failures: HookError[] = [];
  const interruptOthers = () => members.forEach((m) => nodes[m]!.interruptStart());
  return walkAlong({
    size: graph.size,
    order: members,
    waitsFor: (i) => graph.deps[i]!,
    releases: (i) => graph.dependents[i]!,
    concurrency: options.concurrency,
    halted: () => failures.length > 0 || options.halted(),
    step: (i) =>
      nodes[i]!.start().then(
        () => true,
        (error: unknown) => {
          if (error instanceof ServiceStoppingError) return false;
          if (failures.length === 0) interruptOthers();
          failures.push(error instanceof HookError ? error : new HookError(nodes[i]!.label, 'start', error));
          return false;
        },
      ),
  }).then(() => failures);
}

/**
 * Stops every member (in priority order: among those ready, the earliest stops first), each
 * only after all of its dependents among them have stopped. Never skips one and never
 * rejects: resolves with every error met.
 */
export function stopAlong(graph: ServiceGraph, order: readonly number[], concurrency: number): Promise<Error[]> {
  const errors: Error[] = [];
  return walkAlong({
    size: graph.size,
    order,
    waitsFor: (i) => graph.dependents[i]!,
    releases: (i) => graph.deps[i]!,
    concurrency,
    halted: () => false,
    step: (i) =>
      graph.nodes[i]!.stop().then((errs) => {
        errors.push(...errs);
        return true;
      }),
  }).then(() => errors);
}
