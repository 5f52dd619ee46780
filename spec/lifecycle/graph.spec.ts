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
  /** Random edge lists (repeats and self-edges included). */
  const edgeLists = fc.integer({ min: 1, max: 30 }).chain((n) => fc.array(fc.array(fc.nat(n - 1), { maxLength: 20 }), { minLength: n, maxLength: n }));

  it('keeps each edge once in both directions, dropping repeats and self-edges', () => {
    fc.assert(
      fc.property(edgeLists, (lists) => {
        const graph = new ServiceGraph();
        lists.forEach(() => graph.add(new ServiceRuntime(undefined, 'x')));
        lists.forEach((tos, from) => tos.forEach((to) => graph.link(from, to, 'injected')));
        lists.forEach((tos, from) => {
          const expected = [...new Set(tos.filter((t) => t !== from))];
          expect(graph.deps[from]).toEqual(expected);
          expect(graph.kinds[from]).toHaveLength(expected.length);
          for (const to of expected) expect(graph.dependents[to]).toContain(from);
        });
        expect(graph.dependents.flat()).toHaveLength(graph.deps.flat().length);
      }),
      { numRuns: 300 },
    );
  });

  it('walks what depends on a node, transitively', () => {
    const graph = new ServiceGraph();
    for (let i = 0; i < 5; i++) graph.add(new ServiceRuntime(undefined, `n${i}`));
    graph.link(1, 0, 'injected');
    graph.link(2, 1, 'injected');
    graph.link(3, 0, 'declared');
    expect(graph.dependentsClosureOf(1).sort()).toEqual([1, 2]);
    expect(graph.dependentsClosureOf(0).sort()).toEqual([0, 1, 2, 3]);
    expect(graph.dependentsClosureOf(4)).toEqual([4]);
  });
});
