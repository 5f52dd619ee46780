// Identity lists: the members of a whole graph.
/** `[0, 1, …, n - 1]`, by a plain loop (a mapping callback per element is slow before V8 optimizes it). */
export function indices(n: number): number[] {
  const list = new Array<number>(n);
  for (let i = 0; i < n; i++) list[i] = i;
  return list;
}
