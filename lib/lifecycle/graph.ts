// The dependency graph of a running app: nodes in binding order, typed edges, cycles, depths.
import type { ServiceRuntime } from './runtime.js';

/**
 * How a dependency edge came to be: constructor/property injection, Mode's `addDependency`
 * (owned), `addRuntimeDependency` (runtime), or an explicit declaration (`@dependsOn`).
 * @example
 * ```ts
 * const kind: EdgeKind = 'injected';
 * ```
 * @category Lifecycle
 */
export type EdgeKind = 'injected' | 'owned' | 'runtime' | 'declared';

/** A directed graph over runtimes; an edge `from -> to` means `from` depends on `to`. */
export class ServiceGraph {
  readonly nodes: ServiceRuntime[] = [];
  /** `deps[i]`: indices node `i` depends on. */
  readonly deps: number[][] = [];
  /** `kinds[i][k]`: how `deps[i][k]` came to be. */
  readonly kinds: EdgeKind[][] = [];
  /** `dependents[i]`: indices that depend on node `i`. */
  readonly dependents: number[][] = [];
  /** Increases with every change of nodes or edges (validations and depths are reused until then). */
  version = 0;
  #depths: Int32Array | undefined;
  #depthsVersion = -1;

  get size(): number {
    return this.nodes.length;
  }

  /** Adds a node, giving it the next index. */
  add(node: ServiceRuntime): number {
    node.index = this.nodes.length;
    this.version++;
    this.nodes.push(node);
    this.deps.push([]);
    this.kinds.push([]);
    this.dependents.push([]);
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
    this.deps[from]!.push(to);
    this.kinds[from]!.push(kind);
    this.dependents[to]!.push(from);
  }

  /** Removes the edge `from -> to`, if present. */
  unlink(from: number, to: number): void {
    const k = this.deps[from]!.indexOf(to);
    if (k < 0) return;
    this.version++;
    this.deps[from]!.splice(k, 1);
    this.kinds[from]!.splice(k, 1);
    this.dependents[to]!.splice(this.dependents[to]!.indexOf(from), 1);
  }

  /** A cycle as a list of indices (first repeated last), or `undefined` if the graph is a DAG. */
  findCycle(): number[] | undefined {
    return findCycle(this.deps);
  }

  /** Node `i`'s depth: 1 for nodes nothing depends on, then one more per edge (shortest way). */
  depthOf(i: number): number {
    if (this.#depthsVersion !== this.version || !this.#depths) {
      this.#depths = this.#computeDepths();
      this.#depthsVersion = this.version;
    }
    return this.#depths[i] || 1;
  }

  #computeDepths(): Int32Array {
    const depth = new Int32Array(this.size);
    const queue: number[] = [];
    for (let i = 0; i < this.size; i++) {
      if (this.dependents[i]!.length === 0) {
        depth[i] = 1;
        queue.push(i);
      }
    }
    for (let head = 0; head < queue.length; head++) {
      const v = queue[head]!;
      for (const w of this.deps[v]!) {
        if (depth[w] === 0) {
          depth[w] = depth[v]! + 1;
          queue.push(w);
        }
      }
    }
    return depth;
  }

  /** `start` and every node it depends on, transitively, following only edges `follow` accepts. */
  closureOf(start: number, follow: (kind: EdgeKind) => boolean = () => true): number[] {
    return this.#reach(start, (v, visit) => this.deps[v]!.forEach((w, k) => follow(this.kinds[v]![k]!) && visit(w)));
  }

  /** `start` and every node that depends on it, transitively. */
  dependentsClosureOf(start: number): number[] {
    return this.#reach(start, (v, visit) => this.dependents[v]!.forEach(visit));
  }

  #reach(start: number, next: (v: number, visit: (w: number) => void) => void): number[] {
    const seen = new Set([start]);
    const queue = [start];
    const visit = (w: number) => {
      if (seen.has(w)) return;
      seen.add(w);
      queue.push(w);
    };
    for (let head = 0; head < queue.length; head++) next(queue[head]!, visit);
    return queue;
  }
}

/**
 * A cycle in the graph given by adjacency lists (`deps[i]`: what `i` depends on), as a list
 * of indices with the first repeated last, or `undefined` for a DAG.
 */
export function findCycle(deps: readonly (readonly number[])[]): number[] | undefined {
  return findCycleBy(deps.length, (v) => deps[v]!.length, (v, k) => deps[v]![k]!);
}

/**
 * {@link findCycle} over any adjacency structure: `n` nodes, `degree(v)` edges out of `v`, the
 * `k`-th going to `target(v, k)` (so a plan's flat edge arrays need no lists). Iterative: deep
 * graphs do not overflow the stack.
 */
export function findCycleBy(n: number, degree: (v: number) => number, target: (v: number, k: number) => number): number[] | undefined {
  const color = new Uint8Array(n); // 0 unvisited, 1 on the path, 2 done
  const parent = new Int32Array(n);
  const stack: Array<{ node: number; edge: number }> = [];
  for (let root = 0; root < n; root++) {
    if (color[root]) continue;
    color[root] = 1;
    stack.push({ node: root, edge: 0 });
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.edge === degree(top.node)) {
        color[top.node] = 2;
        stack.pop();
        continue;
      }
      const w = target(top.node, top.edge++);
      if (color[w] === 0) {
        color[w] = 1;
        parent[w] = top.node;
        stack.push({ node: w, edge: 0 });
      } else if (color[w] === 1) {
        const cycle = [w];
        for (let x = top.node; x !== w; x = parent[x]!) cycle.push(x);
        cycle.push(w);
        return cycle.reverse();
      }
    }
  }
  return undefined;
}
