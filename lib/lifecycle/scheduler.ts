// Starts and stops a set of services along the graph: each as soon as its ordering allows, concurrently.
import { HookError } from '../errors/lifecycle.js';
import { toError } from '../errors/mode-error.js';
import { RankQueue, ranksBy } from '../utils/rank-queue.js';
import type { ServiceGraph } from './graph.js';
import type { ServiceRuntime, StartDone, StopDone } from './runtime.js';

/** How many services may run their hooks at once (`1` gives the sequential order). */
export interface ScheduleOptions {
  readonly concurrency: number;
}

/** Read before each launch of a start: once `halted` is true, nothing new starts. */
export interface StartControl {
  readonly halted: boolean;
}

/**
 * How many hooks one pass of the scheduler leaves in flight before it lets the microtask queue
 * run. Everything ready still starts in the same turn of the event loop (before any I/O or
 * timer), but hooks that settle at once (most of them) settle before the next batch begins: a
 * wide graph then keeps a few hundred frames alive instead of one per ready service, which at
 * 100,000 services is most of the garbage collector's work.
 */
export const BURST = 256;

/**
 * Launches hooks while `launchNext` finds one to launch (it counts each in {@link Pump.inflight}),
 * yielding to the microtask queue after {@link BURST} launches still in flight. A hook settling
 * outside a pass queues the next one (at most one is queued), so the reactions already queued
 * settle first. `finish` runs once, after the first pass that leaves nothing in flight and
 * nothing queued.
 */
class Pump {
  /** Launched hooks not yet settled. */
  inflight = 0;
  #pumping = false;
  #queued = false;
  #finished = false;
  readonly #next = () => {
    this.#queued = false;
    this.run();
  };

  constructor(
    private readonly launchNext: () => boolean,
    private readonly finish: () => void,
  ) {}

  /**
   * A launched hook settled: the next pass is queued (unless one is running or queued), not
   * run here. Running it here launched what this settle made ready behind every reaction
   * already queued, so a wide graph whose hooks settle at once held its whole frontier in
   * flight (at 100,000 services, ~25 MB of frames promoted to the old generation).
   */
  settled(): void {
    this.inflight--;
    if (!this.#pumping && !this.#queued) {
      this.#queued = true;
      queueMicrotask(this.#next);
    }
  }

  run(): void {
    this.#pumping = true;
    const limit = this.inflight + BURST;
    const launchNext = this.launchNext;
    while (launchNext()) {
      if (this.inflight >= limit) {
        this.#queued = true;
        queueMicrotask(this.#next);
        break;
      }
    }
    this.#pumping = false;
    if (!this.#queued && this.inflight === 0 && !this.#finished) {
      this.#finished = true;
      this.finish();
    }
  }
}

/**
 * Starts every node of `members` once all its dependencies are running. Dependencies outside
 * `members` must already be running. Ready nodes start in binding (index) order. After the
 * first failure, or once `control.halted` is true, nothing new starts; the promise resolves
 * with the failures once every start in flight has settled. Never rejects.
 */
export function startAlong(
  graph: ServiceGraph,
  members: readonly number[],
  options: ScheduleOptions & { control?: StartControl },
): Promise<HookError[]> {
  const { nodes, deps, dependents } = graph;
  const inSet = new Uint8Array(graph.size);
  const pending = new Int32Array(graph.size);
  // Indexed loops throughout: a for-of that V8 has not optimized yet allocates a result object per
  // element (~0.8 MB over the two loops below at 10,000 services).
  for (let k = 0; k < members.length; k++) inSet[members[k]!] = 1;
  // Ready nodes start in binding order: a node's rank is its index.
  const ready = new RankQueue(graph.size);
  for (let j = 0; j < members.length; j++) {
    const m = members[j]!;
    let count = 0;
    const below = deps[m]!;
    for (let k = 0; k < below.length; k++) if (inSet[below[k]!] && nodes[below[k]!]!.state !== 'running') count++;
    pending[m] = count;
    if (count === 0) ready.push(m);
  }
  const failures: HookError[] = [];
  // Read once: each launch checks them, and at 10,000 services most launches run before V8
  // has optimized this code, when every property read is a call into an inline cache.
  const { concurrency, control } = options;

  return new Promise((resolve) => {
    const succeeded = (i: number) => {
      const list = dependents[i]!;
      for (let k = 0; k < list.length; k++) {
        const d = list[k]!;
        if (inSet[d] && --pending[d] === 0) ready.push(d);
      }
    };
    const failed = (node: ServiceRuntime, error: unknown) => {
      if (failures.length === 0) interruptStarting(nodes, members, error);
      failures.push(error instanceof HookError ? error : new HookError(node.label, 'start', error));
    };
    // A start may settle synchronously, inside a pass of the pump: then its own loop carries on.
    const settled: StartDone = (node, error) => {
      if (error) failed(node, error);
      else succeeded(node.index);
      pump.settled();
    };
    const pump = new Pump(
      () => {
        if (pump.inflight >= concurrency || failures.length > 0 || control?.halted) return false;
        const i = ready.pop();
        if (i < 0) return false;
        const node = nodes[i]!;
        if (node.state === 'running') {
          succeeded(i);
          return true;
        }
        pump.inflight++;
        node.start(settled);
        return true;
      },
      () => resolve(failures),
    );
    pump.run();
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
  const list: number[] = [];
  let lastSeq = 0;
  let unstarted = 0;
  for (let k = 0; k < members.length; k++) {
    const m = members[k]!;
    const node = nodes[m]!;
    if (!node.needsStop) continue;
    list.push(m);
    active[m] = 1;
    if (node.startSeq > lastSeq) lastSeq = node.startSeq;
    if (node.startSeq === 0) unstarted++;
  }
  const { byRank, rankOf, capacity } = stopRanks(nodes, list, lastSeq, unstarted, graph.size);
  const ready = new RankQueue(capacity);
  for (let j = 0; j < list.length; j++) {
    const m = list[j]!;
    let count = 0;
    const above = dependents[m]!;
    for (let k = 0; k < above.length; k++) if (active[above[k]!]) count++;
    pending[m] = count;
    if (count === 0) ready.push(rankOf[m]!);
  }
  const errors: Error[] = [];
  const concurrency = options.concurrency;

  return new Promise((resolve) => {
    const settled: StopDone = (node, errs) => {
      for (let k = 0; k < errs.length; k++) errors.push(errs[k]!);
      const below = deps[node.index]!;
      for (let k = 0; k < below.length; k++) {
        const d = below[k]!;
        if (active[d] && --pending[d] === 0) ready.push(rankOf[d]!);
      }
      pump.settled();
    };
    const pump = new Pump(
      () => {
        if (pump.inflight >= concurrency) return false;
        const rank = ready.pop();
        if (rank < 0) return false;
        pump.inflight++;
        nodes[byRank[rank]! - 1]!.stop(settled);
        return true;
      },
      () => resolve(errors),
    );
    pump.run();
  });
}

/**
 * Ranks for a stop: reverse start order (rank 0 stopped first among the ready), services that
 * never started last; `byRank[r]` is the member of rank `r` plus one. Start sequence numbers
 * are distinct, so after a start they are the ranks themselves (`lastSeq - startSeq`, no sort);
 * when restarts have spread them far apart (or two share one), a counting or native sort ranks
 * them densely.
 */
function stopRanks(
  nodes: readonly ServiceRuntime[],
  list: readonly number[],
  lastSeq: number,
  unstarted: number,
  size: number,
): { byRank: Int32Array; rankOf: Int32Array; capacity: number } {
  const capacity = lastSeq + unstarted;
  if (capacity <= 2 * list.length + 1024) {
    // byRank holds member + 1, so a slot met twice (a shared number) is seen.
    const byRank = new Int32Array(capacity);
    const rankOf = new Int32Array(size);
    let next = lastSeq;
    let direct = true;
    for (let j = 0; j < list.length && direct; j++) {
      const m = list[j]!;
      const seq = nodes[m]!.startSeq;
      const r = seq === 0 ? next++ : lastSeq - seq;
      if (byRank[r] !== 0) direct = false;
      byRank[r] = m + 1;
      rankOf[m] = r;
    }
    if (direct) return { byRank, rankOf, capacity };
  }
  const sinceLast = new Float64Array(list.length);
  for (let k = 0; k < list.length; k++) sinceLast[k] = lastSeq - nodes[list[k]!]!.startSeq;
  const { byRank, rankOf } = ranksBy(list, sinceLast, size);
  for (let r = 0; r < byRank.length; r++) byRank[r]!++;
  return { byRank, rankOf, capacity: list.length };
}
