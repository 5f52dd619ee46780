// The dependency graph of a running app: nodes in binding order, typed edges, cycles, depths.
import type { ServiceRuntime } from './runtime.js';

/**
 * How a dependency edge came to be: constructor/property injection, Mode's `addDependency`
 * (owned), `addRuntimeDependency` (runtime), or an explicit declaration (`@dependsOn`).
 */
export type EdgeKind = 'injected' | 'owned' | 'runtime' | 'declared';

/** Shared by every node without edges (replaced on the first `link`). */
const NONE: never[] = [];
Object.freeze(NONE);

/**
 * `kinds` lists whose edges are all injected (most), one shared frozen list per length: at
 * 100,000 services a list per node was ~60 bytes a service. Copied before any change.
 */
const allInjected: Array<readonly EdgeKind[]> = [];

/** The shared kinds list of `count` injected edges. */
export function injectedKinds(count: number): readonly EdgeKind[] {
  return (allInjected[count] ??= Object.freeze(new Array<EdgeKind>(count).fill('injected')));
}

/** `kinds` itself, or the shared list when every edge in it is injected. */
function sharedKinds(kinds: readonly EdgeKind[]): readonly EdgeKind[] {
  for (let k = 0; k < kinds.length; k++) if (kinds[k] !== 'injected') return kinds;
  return injectedKinds(kinds.length);
}

/** A directed graph over runtimes; an edge `from -> to` means `from` depends on `to`. */
export class ServiceGraph {
  readonly nodes: ServiceRuntime[] = [];
  /** `deps[i]`: indices node `i` depends on. */
  readonly deps: number[][] = [];
  /** `kinds[i][k]`: how `deps[i][k]` came to be (lists may be shared: never change one in place). */
  readonly kinds: (readonly EdgeKind[])[] = [];
  /** `dependents[i]`: indices that depend on node `i`. */
  readonly dependents: number[][] = [];
  /** Increases with every change of nodes or edges (so a validation can be reused until then). */
  version = 0;
  /** Nodes whose lists grew by push since the last {@link ServiceGraph.compact} (may repeat). */
  #loose: number[] = [];

  get size(): number {
    return this.nodes.length;
  }

  /** Adds a node, giving it the next index. */
  add(node: ServiceRuntime): number {
    node.index = this.nodes.length;
    this.version++;
    this.nodes.push(node);
    this.deps.push(NONE);
    this.kinds.push(NONE);
    this.dependents.push(NONE);
    return node.index;
  }

  /** Whether `node` is a node of this graph. */
  has(node: ServiceRuntime): boolean {
    return this.nodes[node.index] === node;
  }

  /** Records that `from` depends on `to` (once; self-edges are ignored). */
  link(from: number, to: number, kind: EdgeKind): void {
    if (from === to || this.deps[from]!.includes(to)) return;
    this.version++;
    if (this.deps[from] === NONE) this.deps[from] = [to];
    else this.deps[from]!.push(to);
    // Shared lists (NONE, all-injected ones) are frozen: copied once, then pushed to.
    let kinds = this.kinds[from]!;
    if (Object.isFrozen(kinds)) this.kinds[from] = kinds = kinds.slice();
    (kinds as EdgeKind[]).push(kind);
    this.#addDependent(to, from);
    this.#loose.push(from);
  }

  /**
   * Gives `from`, which has no dependencies yet, all of them at once: `to` and `kinds` are
   * kept as they are (exact-size lists need no compaction). Self-edges and repeats are
   * dropped. Falls back to {@link ServiceGraph.link} when `from` already has dependencies.
   */
  setDeps(from: number, to: number[], kinds: readonly EdgeKind[]): void {
    if (to.length === 0) return;
    if (this.deps[from] !== NONE || !allDistinct(to, from)) {
      for (let k = 0; k < to.length; k++) this.link(from, to[k]!, kinds[k]!);
      return;
    }
    this.version++;
    this.deps[from] = to;
    this.kinds[from] = sharedKinds(kinds);
    for (let k = 0; k < to.length; k++) this.#addDependent(to[k]!, from);
  }

  /**
   * Gives each node `from[k]` the dependencies `to[k]` with `kinds[k]`, all at once: the
   * planner's edges for nodes it numbered, so the `from` are distinct and have no dependencies
   * yet, and each `to[k]` has no repeats and no `from[k]` (else each goes through
   * {@link ServiceGraph.setDeps}). The new dependents lists are built at their exact size, so
   * nothing is left to compact (pushing them one by one left up to 17 slots per list, copied
   * again by `compact`).
   */
  setPlannedDeps(from: readonly number[], to: ReadonlyArray<number[]>, kinds: ReadonlyArray<readonly EdgeKind[]>): void {
    const n = this.nodes.length;
    const added = new Int32Array(n);
    for (let k = 0; k < from.length; k++) {
      if (this.deps[from[k]!] !== NONE || added[from[k]!] === -1) {
        for (let j = 0; j < from.length; j++) this.setDeps(from[j]!, to[j]!, kinds[j]!);
        return;
      }
      added[from[k]!] = -1;
    }
    added.fill(0);
    this.version++;
    for (let k = 0; k < from.length; k++) {
      const list = to[k]!;
      this.deps[from[k]!] = list;
      this.kinds[from[k]!] = sharedKinds(kinds[k]!);
      for (let e = 0; e < list.length; e++) added[list[e]!]!++;
    }
    // `added[t]` becomes where the next dependent of `t` goes.
    for (let t = 0; t < n; t++) {
      const count = added[t]!;
      if (count === 0) continue;
      const old = this.dependents[t]!;
      const list = count === 1 && old.length === 0 ? [0] : new Array<number>(old.length + count);
      for (let j = 0; j < old.length; j++) list[j] = old[j]!;
      this.dependents[t] = list;
      added[t] = old.length;
    }
    for (let k = 0; k < from.length; k++) {
      const list = to[k]!;
      for (let e = 0; e < list.length; e++) this.dependents[list[e]!]![added[list[e]!]!++] = from[k]!;
    }
  }

  /**
   * A first dependent gets a list of exactly one (most nodes have one); more grow it by push,
   * which leaves up to 17 slots, so the node is queued for {@link ServiceGraph.compact}.
   */
  #addDependent(to: number, from: number): void {
    const list = this.dependents[to]!;
    if (list === NONE) {
      this.dependents[to] = [from];
      return;
    }
    list.push(from);
    this.#loose.push(to);
  }

  /**
   * Trims every adjacency list to its length. V8 gives an array room for 17 elements on its
   * first push; at 100,000 services the slack of three small lists per node is most of the
   * graph's memory.
   */
  compact(): void {
    const loose = this.#loose;
    this.#loose = [];
    const done = new Uint8Array(this.nodes.length);
    for (let k = 0; k < loose.length; k++) {
      const i = loose[k]!;
      if (done[i]) continue;
      done[i] = 1;
      if (this.deps[i]!.length > 0) this.deps[i] = this.deps[i]!.slice();
      if (this.kinds[i]!.length > 0 && !Object.isFrozen(this.kinds[i])) this.kinds[i] = this.kinds[i]!.slice();
      if (this.dependents[i]!.length > 0) this.dependents[i] = this.dependents[i]!.slice();
    }
  }

  /** Removes the edge `from -> to`, if present. */
  unlink(from: number, to: number): void {
    const k = this.deps[from]!.indexOf(to);
    if (k < 0) return;
    this.version++;
    this.deps[from] = this.deps[from]!.filter((_, j) => j !== k);
    this.kinds[from] = this.kinds[from]!.filter((_, j) => j !== k);
    this.dependents[to] = this.dependents[to]!.filter((d) => d !== from);
  }

  /** A cycle as a list of indices (first repeated last), or `undefined` if the graph is a DAG. */
  findCycle(): number[] | undefined {
    return findCycle(this.deps);
  }

  /**
   * Node `i`'s depth: 1 for nodes nothing depends on, then one more per edge (shortest way).
   * Computed for every node at the first question after a change (only observers ask: the
   * Worker's log lines indent by it).
   */
  depthOf(i: number): number {
    if (this.#depthVersion !== this.version || !this.#depths) {
      this.#depths = this.#computeDepths();
      this.#depthVersion = this.version;
    }
    return this.#depths[i] || 1;
  }

  #depths: Int32Array | undefined = undefined;
  #depthVersion = -1;

  #computeDepths(): Int32Array {
    const n = this.nodes.length;
    const depth = new Int32Array(n);
    const queue = new Int32Array(n);
    let tail = 0;
    for (let i = 0; i < n; i++) {
      if (this.dependents[i]!.length === 0) {
        depth[i] = 1;
        queue[tail++] = i;
      }
    }
    for (let head = 0; head < tail; head++) {
      const v = queue[head]!;
      const below = this.deps[v]!;
      for (let k = 0; k < below.length; k++) {
        const w = below[k]!;
        if (depth[w] === 0) {
          depth[w] = depth[v]! + 1;
          queue[tail++] = w;
        }
      }
    }
    return depth;
  }

  /** `start` and every node it depends on, transitively (indices, unordered). */
  closureOf(start: number, follow: (kind: EdgeKind) => boolean = () => true): number[] {
    const seen = new Set([start]);
    const queue = [start];
    for (let head = 0; head < queue.length; head++) {
      const v = queue[head]!;
      this.deps[v]!.forEach((w, k) => {
        if (!seen.has(w) && follow(this.kinds[v]![k]!)) {
          seen.add(w);
          queue.push(w);
        }
      });
    }
    return queue;
  }
}

/** Whether `list` has no repeats and does not contain `self`. */
function allDistinct(list: readonly number[], self: number): boolean {
  if (list.length <= 16) {
    for (let a = 0; a < list.length; a++) {
      if (list[a] === self) return false;
      for (let b = a + 1; b < list.length; b++) if (list[a] === list[b]) return false;
    }
    return true;
  }
  const seen = new Set<number>(list);
  return seen.size === list.length && !seen.has(self);
}

/**
 * A cycle in the graph given by adjacency lists (`deps[i]`: what `i` depends on), as a list
 * of indices with the first repeated last, or `undefined` for a DAG. Iterative (deep graphs
 * do not overflow the stack).
 */
export function findCycle(deps: readonly (readonly number[])[]): number[] | undefined {
  return findCycleBy(deps.length, (v) => deps[v]!.length, (v, k) => deps[v]![k]!);
}

/**
 * {@link findCycle} over any adjacency structure: `n` nodes, `degree(v)` edges out of `v`, the
 * `k`-th going to `target(v, k)`. (No per-node lists need building.)
 */
export function findCycleBy(n: number, degree: (v: number) => number, target: (v: number, k: number) => number): number[] | undefined {
  const color = new Uint8Array(n); // 0 unvisited, 1 on the path, 2 done
  const parent = new Int32Array(n);
  const stackNode = new Int32Array(n);
  const stackEdge = new Int32Array(n);
  for (let root = 0; root < n; root++) {
    if (color[root]) continue;
    let sp = 0;
    stackNode[0] = root;
    stackEdge[0] = 0;
    color[root] = 1;
    while (sp >= 0) {
      const v = stackNode[sp]!;
      const k = stackEdge[sp]!;
      if (k === degree(v)) {
        color[v] = 2;
        sp--;
        continue;
      }
      stackEdge[sp] = k + 1;
      const w = target(v, k);
      if (color[w] === 0) {
        color[w] = 1;
        parent[w] = v;
        sp++;
        stackNode[sp] = w;
        stackEdge[sp] = 0;
      } else if (color[w] === 1) {
        const cycle = [w];
        for (let x = v; x !== w; x = parent[x]!) cycle.push(x);
        cycle.push(w);
        return cycle.reverse();
      }
    }
  }
  return undefined;
}
