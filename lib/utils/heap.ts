// A binary min-heap of small integers ordered by a key array; the scheduler's ready queue.

/** Min-heap of node indices, ordered by `key(index)` (smallest first). */
export class IndexHeap {
  readonly #items: number[] = [];
  constructor(private readonly key: (index: number) => number) {}

  get size(): number {
    return this.#items.length;
  }

  push(index: number): void {
    const items = this.#items;
    const k = this.key(index);
    let i = items.length;
    items.push(index);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (this.key(p) <= k) break;
      items[i] = p;
      i = parent;
    }
    items[i] = index;
  }

  pop(): number | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    const k = this.key(last);
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= items.length) break;
      const r = l + 1;
      const c = r < items.length && this.key(items[r]!) < this.key(items[l]!) ? r : l;
      if (this.key(items[c]!) >= k) break;
      items[i] = items[c]!;
      i = c;
    }
    items[i] = last;
    return top;
  }
}
