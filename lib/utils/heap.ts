// A binary min-heap of small integers ordered by a key array; the scheduler's ready queue.

/**
 * Min-heap of indices ordered by `keys[index]` (smallest first). Keys live in a typed array
 * rather than behind a callback: at 100,000 nodes the comparisons are the hot loop.
 */
export class IndexHeap {
  readonly #items: number[] = [];
  readonly #keys: ArrayLike<number>;

  constructor(keys: ArrayLike<number>) {
    this.#keys = keys;
  }

  get size(): number {
    return this.#items.length;
  }

  push(index: number): void {
    const items = this.#items;
    const keys = this.#keys;
    const k = keys[index]!;
    let i = items.length;
    items.push(index);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (keys[p]! <= k) break;
      items[i] = p;
      i = parent;
    }
    items[i] = index;
  }

  pop(): number | undefined {
    const items = this.#items;
    const keys = this.#keys;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    const k = keys[last]!;
    const n = items.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && keys[items[r]!]! < keys[items[l]!]! ? r : l;
      if (keys[items[c]!]! >= k) break;
      items[i] = items[c]!;
      i = c;
    }
    items[i] = last;
    return top;
  }
}

/** `[0, 1, …, n - 1]`: keys that order indices by themselves. */
export function identityKeys(n: number): Int32Array {
  const keys = new Int32Array(n);
  for (let i = 0; i < n; i++) keys[i] = i;
  return keys;
}
