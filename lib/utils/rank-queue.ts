// A min-queue of small integers (ranks): the scheduler's ready queue.

/** Index of the lowest set bit of a non-zero 32-bit word. */
function lowestBit(word: number): number {
  return 31 - Math.clz32(word & -word);
}

/**
 * The integers `0 … capacity - 1` present in it, popped smallest first. A bitmap with a second
 * bitmap of its non-empty words: a push or pop is a few word operations, where a binary heap
 * of 10,000 ready services made each pop a dozen comparisons through a key array (~1 µs).
 * Each integer is in it at most once (pushing one already present does nothing).
 */
export class RankQueue {
  readonly #words: Uint32Array;
  /** Bit `w` set when `#words[w]` is not zero. */
  readonly #summary: Uint32Array;
  #size = 0;
  /** No word below this one has a bit set. */
  #low: number;

  constructor(capacity: number) {
    const words = (capacity + 31) >>> 5;
    this.#words = new Uint32Array(words);
    this.#summary = new Uint32Array(((words + 31) >>> 5) + 1);
    this.#low = words;
  }

  get size(): number {
    return this.#size;
  }

  push(rank: number): void {
    const w = rank >>> 5;
    const bit = 1 << (rank & 31);
    const word = this.#words[w]!;
    if (word & bit) return;
    if (word === 0) this.#summary[w >>> 5]! |= 1 << (w & 31);
    this.#words[w] = word | bit;
    this.#size++;
    if (w < this.#low) this.#low = w;
  }

  /** The smallest rank in the queue, removed; `-1` when it is empty. */
  pop(): number {
    if (this.#size === 0) return -1;
    const summary = this.#summary;
    let s = this.#low >>> 5;
    let mask = summary[s]! & (-1 << (this.#low & 31));
    while (mask === 0) mask = summary[++s]!;
    const w = (s << 5) + lowestBit(mask);
    const word = this.#words[w]!;
    const rest = word & (word - 1);
    this.#words[w] = rest;
    if (rest === 0) summary[s]! &= ~(1 << (w & 31));
    this.#low = w;
    this.#size--;
    return (w << 5) + lowestBit(word);
  }
}

/**
 * Ranks that order `members` by `keys` ascending (`keys[k]` is the key of `members[k]`), ties
 * by position in `members`: `byRank[r]` is the member of rank `r`, `rankOf[m]` the rank of
 * member `m` (`size` is the largest member + 1). Keys are integers from 0 up. A counting sort
 * when the keys span little more than the members (a stop after one start: start sequence
 * numbers), else one native sort of packed numbers.
 */
export function ranksBy(members: readonly number[], keys: ArrayLike<number>, size: number): { byRank: Int32Array; rankOf: Int32Array } {
  const n = members.length;
  const byRank = new Int32Array(n);
  const rankOf = new Int32Array(size);
  let top = 0;
  for (let k = 0; k < n; k++) if (keys[k]! > top) top = keys[k]!;
  if (top <= 2 * n + 1024) {
    const start = new Int32Array(top + 2);
    for (let k = 0; k < n; k++) start[keys[k]! + 1]!++;
    for (let v = 1; v <= top + 1; v++) start[v]! += start[v - 1]!;
    for (let k = 0; k < n; k++) {
      const r = start[keys[k]!]!++;
      byRank[r] = members[k]!;
      rankOf[members[k]!] = r;
    }
  } else {
    const packed = new Float64Array(n);
    for (let k = 0; k < n; k++) packed[k] = keys[k]! * n + k;
    packed.sort();
    for (let r = 0; r < n; r++) {
      const m = members[packed[r]! % n]!;
      byRank[r] = m;
      rankOf[m] = r;
    }
  }
  return { byRank, rankOf };
}
