// Graph shapes for the lifecycle benchmarks, built from a seeded PRNG so every run measures the same graphs.

/** A small deterministic PRNG (mulberry32). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** deps[i]: what node i depends on. A 4-ary tree: each node needs its (up to) four children. */
export function tree(n) {
  return Array.from({ length: n }, (_, i) => [1, 2, 3, 4].map((k) => 4 * i + k).filter((c) => c < n));
}

/** A random DAG: node i depends on up to 3 nodes after it (so node 0 is a root), seeded. */
export function randomDag(n, seed = 42) {
  const rand = prng(seed);
  return Array.from({ length: n }, (_, i) => {
    const deps = new Set();
    const want = i === n - 1 ? 0 : Math.floor(rand() * 4);
    for (let k = 0; k < want; k++) deps.add(i + 1 + Math.floor(rand() * Math.min(n - i - 1, 1000)));
    return [...deps];
  });
}

/** Levels: level[i] = 0 for leaves (no deps), else 1 + max level of its deps. */
export function levels(deps) {
  const level = new Array(deps.length).fill(-1);
  const visit = (i) => {
    if (level[i] >= 0) return level[i];
    let l = 0;
    for (const d of deps[i]) l = Math.max(l, visit(d) + 1);
    return (level[i] = l);
  };
  // Iterate from the end: deps point forward in both shapes, so this never recurses deeply.
  for (let i = deps.length - 1; i >= 0; i--) visit(i);
  return level;
}

/** Longest chain of `cost` along deps. */
export function criticalPath(deps, cost) {
  const dist = new Array(deps.length).fill(0);
  for (let i = deps.length - 1; i >= 0; i--) dist[i] = cost[i] + Math.max(0, ...deps[i].map((d) => dist[d]));
  return Math.max(...dist);
}
