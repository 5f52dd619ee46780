// The graph algorithms: cycle detection, depths, closures.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findCycle, ServiceGraph } from '../../lib/lifecycle/graph.js';
import { ServiceRuntime } from '../../lib/lifecycle/runtime.js';

/** Kahn's algorithm: whether `deps` is acyclic. */
function isAcyclic(deps: number[][]): boolean {
  const pending = deps.map((d) => d.length);
  const dependents: number[][] = deps.map(() => []);
  deps.forEach((ds, i) => ds.forEach((d) => dependents[d]!.push(i)));
  const queue = pending.flatMap((p, i) => (p === 0 ? [i] : []));
  for (let head = 0; head < queue.length; head++) for (const w of dependents[queue[head]!]!) if (--pending[w]! === 0) queue.push(w);
  return queue.length === deps.length;
}

const graphs = fc.integer({ min: 1, max: 60 }).chain((n) =>
  fc.array(fc.uniqueArray(fc.nat(n - 1), { maxLength: 3 }), { minLength: n, maxLength: n }).map((deps) => deps.map((d, i) => d.filter((x) => x !== i))),
);

describe('findCycle', () => {
  it('finds a cycle exactly when the graph is not a DAG, and the cycle is made of real edges', () => {
    fc.assert(
      fc.property(graphs, (deps) => {
        const cycle = findCycle(deps);
        expect(cycle === undefined).toBe(isAcyclic(deps));
        if (cycle) {
          expect(cycle[0]).toBe(cycle.at(-1));
          for (let k = 0; k + 1 < cycle.length; k++) expect(deps[cycle[k]!]).toContain(cycle[k + 1]);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('handles a 100,000-long chain without overflowing the stack', () => {
    const deps = Array.from({ length: 100_000 }, (_, i) => (i === 0 ? [] : [i - 1]));
    expect(findCycle(deps)).toBeUndefined();
    deps[0] = [99_999];
    expect(findCycle(deps)).toHaveLength(100_001);
  });
});

describe('ServiceGraph', () => {
  const graph = () => {
    const g = new ServiceGraph();
    const [a, b, c, d] = ['A', 'B', 'C', 'D'].map((l) => g.add(new ServiceRuntime(undefined, l)));
    g.link(a!, b!, 'injected');
    g.link(b!, c!, 'owned');
    g.link(a!, c!, 'declared');
    g.link(d!, c!, 'runtime');
    return g;
  };

  it('ignores duplicate edges and self-edges', () => {
    const g = graph();
    g.link(0, 1, 'injected');
    g.link(2, 2, 'injected');
    expect(g.deps).toEqual([[1, 2], [2], [], [2]]);
    expect(g.dependents).toEqual([[], [0], [1, 0, 3], []]);
  });

  it('takes planned edges in bulk: the same lists as edge by edge, dependents at their exact size', () => {
    fc.assert(
      fc.property(graphs, fc.nat(3), (deps, existing) => {
        const build = (bulk: boolean) => {
          const g = new ServiceGraph();
          for (let i = 0; i < deps.length + existing; i++) g.add(new ServiceRuntime(undefined, `N${i}`));
          // Nodes added earlier, already depended on by others: new dependents join their lists.
          for (let e = 0; e < existing; e++) g.link(deps.length + e, e % deps.length, 'owned');
          const from = deps.map((_, i) => i).filter((i) => deps[i]!.length > 0);
          const to = from.map((i) => [...deps[i]!]);
          const kinds = to.map((list) => list.map(() => 'injected' as const));
          if (bulk) g.setPlannedDeps(from, to, kinds);
          else from.forEach((f, k) => g.setDeps(f, to[k]!, kinds[k]!));
          g.compact();
          return g;
        };
        const bulk = build(true);
        const single = build(false);
        expect(bulk.deps).toEqual(single.deps);
        expect(bulk.kinds).toEqual(single.kinds);
        expect(bulk.dependents.map((d) => [...d].sort((a, b) => a - b))).toEqual(single.dependents.map((d) => [...d].sort((a, b) => a - b)));
        for (const list of bulk.dependents) expect(Object.keys(list)).toHaveLength(list.length);
      }),
      { numRuns: 300 },
    );
  });

  it('falls back to checked edges when planned nodes repeat or already have dependencies', () => {
    const g = graph();
    g.setPlannedDeps([3, 1], [[0], [3]], [['declared'], ['injected']]);
    expect(g.deps).toEqual([[1, 2], [2, 3], [], [2, 0]]);
    expect(g.kinds[3]).toEqual(['runtime', 'declared']);
    expect(g.dependents[0]).toEqual([3]);
  });

  it('computes depths as the shortest distance from a root', () => {
    const g = graph();
    expect(g.nodes.map((_, i) => g.depthOf(i))).toEqual([1, 2, 2, 1]);
    g.link(3, 0, 'injected');
    expect(g.nodes.map((_, i) => g.depthOf(i))).toEqual([2, 3, 2, 1]);
  });

  it('walks closures, optionally by edge kind', () => {
    const g = graph();
    expect(g.closureOf(0).sort()).toEqual([0, 1, 2]);
    expect(g.closureOf(1, (k) => k === 'owned').sort()).toEqual([1, 2]);
    expect(g.closureOf(0, (k) => k === 'owned')).toEqual([0]);
  });

  it('unlinks edges both ways', () => {
    const g = graph();
    g.unlink(0, 2);
    expect(g.deps[0]).toEqual([1]);
    expect(g.kinds[0]).toEqual(['injected']);
    expect(g.dependents[2]).toEqual([1, 3]);
  });
});

describe('ServiceGraph edges', () => {
  /** Random edge lists (repeats and self-edges included), applied edge by edge or in bulk. */
  const edgeLists = fc.integer({ min: 1, max: 30 }).chain((n) => fc.array(fc.array(fc.nat(n - 1), { maxLength: 20 }), { minLength: n, maxLength: n }));

  const build = (lists: number[][], bulk: boolean) => {
    const graph = new ServiceGraph();
    lists.forEach(() => graph.add(new ServiceRuntime(undefined, 'x')));
    lists.forEach((tos, from) => {
      if (bulk) graph.setDeps(from, [...tos], tos.map(() => 'injected'));
      else tos.forEach((to) => graph.link(from, to, 'injected'));
    });
    graph.compact();
    return graph;
  };

  it('gives the same graph whether edges come one by one or in bulk (repeats and self-edges dropped)', () => {
    fc.assert(
      fc.property(edgeLists, (lists) => {
        const one = build(lists, false);
        const bulk = build(lists, true);
        const sorted = (g: ServiceGraph) => ({ deps: g.deps.map((d) => [...d].sort((a, b) => a - b)), dependents: g.dependents.map((d) => [...d].sort((a, b) => a - b)) });
        expect(sorted(bulk)).toEqual(sorted(one));
        lists.forEach((tos, from) => {
          const expected = [...new Set(tos.filter((t) => t !== from))].sort((a, b) => a - b);
          expect([...bulk.deps[from]!].sort((a, b) => a - b)).toEqual(expected);
          expect(bulk.kinds[from]).toHaveLength(bulk.deps[from]!.length);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('adds to a node that already has dependencies instead of replacing them', () => {
    const graph = new ServiceGraph();
    for (let i = 0; i < 4; i++) graph.add(new ServiceRuntime(undefined, `n${i}`));
    graph.link(0, 1, 'owned');
    graph.setDeps(0, [2, 3], ['injected', 'declared']);
    expect(graph.deps[0]).toEqual([1, 2, 3]);
    expect(graph.kinds[0]).toEqual(['owned', 'injected', 'declared']);
    expect(graph.dependents[3]).toEqual([0]);
  });

  it('shares one all-injected kinds list between nodes, and a later link or unlink never changes another node', () => {
    const graph = new ServiceGraph();
    for (let i = 0; i < 5; i++) graph.add(new ServiceRuntime(undefined, `n${i}`));
    graph.setDeps(0, [2, 3], ['injected', 'injected']);
    graph.setDeps(1, [3, 4], ['injected', 'injected']);
    expect(graph.kinds[0]).toBe(graph.kinds[1]);
    graph.link(0, 4, 'runtime');
    expect(graph.kinds[0]).toEqual(['injected', 'injected', 'runtime']);
    expect(graph.kinds[1]).toEqual(['injected', 'injected']);
    graph.unlink(1, 3);
    expect(graph.kinds[1]).toEqual(['injected']);
    expect(graph.deps[1]).toEqual([4]);
    expect(graph.kinds[0]).toEqual(['injected', 'injected', 'runtime']);
  });
});
