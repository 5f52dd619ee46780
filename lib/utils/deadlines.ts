// Deadlines on the real clock: one shared Node timer for all of them, a setImmediate tail for precise ones.

/**
 * Node fires a timer anywhere from ~1 ms early to ~1 ms late (libuv counts whole
 * milliseconds). A precise deadline leaves Node's timer this long before it is due and
 * finishes the wait by turning the event loop (setImmediate), which keeps I/O flowing.
 */
const PRECISE_LEAD_MS = 1.25;
/**
 * Node's timer may also fire up to ~1 ms before the time asked for. A precise deadline this
 * close is finished on the event loop rather than with another (too coarse) Node timer.
 */
const PRECISE_SPIN_MS = PRECISE_LEAD_MS + 1;
/**
 * The last stretch of a precise wait is a synchronous busy-wait: another timer's callback
 * that becomes due in that window can no longer run first and make the deadline late. It
 * holds the event loop at most this long.
 */
const PRECISE_HOLD_MS = 1.0;
/** Node's timers overflow past 2^31-1 ms; longer waits are taken in steps. */
const MAX_NODE_DELAY_MS = 2 ** 31 - 1;

/**
 * A pending deadline. Opaque to callers: pass it back to {@link clearDeadline}, or to
 * {@link setDeadline} once fired to have it recycled (a timer then allocates nothing per run).
 */
export class Deadline {
  /** Position in the precise heap; for a coarse deadline `0` while pending. `-1` once fired or cleared. */
  index = -1;
  /**
   * The millisecond (bucket key) and the bucket's serial of a coarse deadline. Numbers, not
   * the bucket: no old-to-young pointer (write barrier) per run.
   */
  bucketAt = 0;
  bucketSeq = -1;
  /** When it is due, on `performance.now()`'s scale; set when armed. */
  at = 0;
  precise = false;
  /** Arming order: deadlines due together fire in it. Set when armed. */
  seq = -1;
  constructor(public callback: (now: number) => void) {}

  /**
   * Called when the deadline is reached, with the time the batch began firing. Calls
   * `callback`; a subclass armed with {@link armDeadline} may override it instead, and so
   * be its own deadline (no callback closure to reach it).
   */
  fire(now: number): void {
    this.callback(now);
  }
}

/**
 * Coarse deadlines due within the same millisecond, fired together once that millisecond has
 * passed — like Node's own timer lists, so a thousand of them cost one wake-up and no sorting.
 */
class Bucket {
  index = -1;
  live = 0;
  /** Entries `0 … size-1` are this bucket's; the list keeps its length when recycled (truncating it would free its storage). */
  size = 0;
  readonly entries: Deadline[] = [];
  constructor(
    public at: number,
    public seq: number,
  ) {}
}

/**
 * Fired buckets, kept for reuse with their entry lists: a thousand timers re-armed every
 * interval would otherwise grow a fresh list by push each time, the bulk of their garbage.
 */
const spareBuckets: Bucket[] = [];
const MAX_SPARE_BUCKETS = 8;

function newBucket(at: number, bucketSeq: number): Bucket {
  const spare = spareBuckets.pop();
  if (!spare) return new Bucket(at, bucketSeq);
  spare.at = at;
  spare.seq = bucketSeq;
  return spare;
}

/** Fills the slots of a recycled bucket, so it holds on to no deadline. */
const SPENT = new Deadline(() => {});

function recycle(bucket: Bucket): void {
  bucket.entries.fill(SPENT, 0, bucket.size);
  bucket.size = 0;
  bucket.live = 0;
  if (lastBucket === bucket) lastBucket = undefined;
  if (spareBuckets.length < MAX_SPARE_BUCKETS) spareBuckets.push(bucket);
}

/** A binary min-heap by `at` (then creation order), with removal by handle. */
class Heap<T extends { index: number; readonly at: number; readonly seq: number }> {
  readonly items: T[] = [];

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    item.index = this.items.length;
    this.items.push(item);
    this.#up(item.index);
  }

  remove(item: T): void {
    const items = this.items;
    const i = item.index;
    const last = items.pop()!;
    item.index = -1;
    if (last === item) return;
    items[i] = last;
    last.index = i;
    this.#down(i);
    this.#up(last.index);
  }

  #before(a: T, b: T): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  #up(i: number): void {
    const items = this.items;
    const item = items[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (!this.#before(item, p)) break;
      items[i] = p;
      p.index = i;
      i = parent;
    }
    items[i] = item;
    item.index = i;
  }

  #down(i: number): void {
    const items = this.items;
    const n = items.length;
    const item = items[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.#before(items[r]!, items[l]!) ? r : l;
      const child = items[c]!;
      if (!this.#before(child, item)) break;
      items[i] = child;
      child.index = i;
      i = c;
    }
    items[i] = item;
    item.index = i;
  }
}

const precise = new Heap<Deadline>();
const buckets = new Heap<Bucket>();
const bucketAt = new Map<number, Bucket>();
let seq = 0;
let nodeTimer: NodeJS.Timeout | undefined;
let nodeTimerAt = Infinity;
let immediate: NodeJS.Immediate | undefined;
let ticking = false;
let lastBucket: Bucket | undefined;

/**
 * Calls `callback` once `performance.now()` reaches `at`, never before, passing the time read
 * when the batch of due deadlines began firing. With `precise`, the call comes within a few
 * microseconds of `at`, at the cost of turning the event loop for the last ~1-2 ms and
 * holding it for the last 1 ms; without it, once the millisecond `at` falls in has passed (within ~1-2 ms, Node's
 * timer granularity), together with every other deadline of that millisecond. Every
 * deadline shares one Node timer.
 *
 * @example
 * ```ts
 * const d = setDeadline((now) => tick(now), performance.now() + 10, true);
 * clearDeadline(d);
 * ```
 */
export function setDeadline(callback: (now: number) => void, at: number, isPrecise = false, reuse?: Deadline): Deadline {
  let d: Deadline;
  if (reuse && reuse.index < 0) {
    d = reuse;
    d.callback = callback;
  } else {
    d = new Deadline(callback);
  }
  armDeadline(d, at, isPrecise);
  return d;
}

/**
 * Arms `d` (not pending: new, fired or cleared) for `at`, as {@link setDeadline} does; when
 * it is reached, `d.fire(now)` is called. A subclass of {@link Deadline} overriding `fire` is
 * then a deadline with no callback of its own: what a timer re-armed every run uses, so a run
 * reaches the timer directly, not through a closure.
 *
 * @example
 * ```ts
 * class Tick extends Deadline { override fire(now: number) { console.log(now); } }
 * armDeadline(new Tick(() => {}), performance.now() + 100, false);
 * ```
 */
export function armDeadline(d: Deadline, at: number, isPrecise: boolean): void {
  d.at = at;
  d.precise = isPrecise;
  d.seq = seq++;
  if (isPrecise) {
    precise.push(d);
  } else {
    const key = Math.ceil(at);
    // Timers fired together are re-armed together, mostly into the same bucket.
    let bucket = lastBucket !== undefined && lastBucket.at === key && lastBucket.index >= 0 ? lastBucket : bucketAt.get(key);
    if (!bucket) {
      bucket = newBucket(key, seq++);
      bucketAt.set(key, bucket);
      buckets.push(bucket);
    }
    lastBucket = bucket;
    if (bucket.size < bucket.entries.length) bucket.entries[bucket.size] = d;
    else bucket.entries.push(d);
    bucket.size++;
    bucket.live++;
    d.bucketAt = key;
    d.bucketSeq = bucket.seq;
    d.index = 0;
  }
  arm();
}

/** Cancels a deadline that has not fired yet. Fired or cleared deadlines are ignored. */
export function clearDeadline(d: Deadline): void {
  if (d.index < 0) return;
  if (d.precise) {
    precise.remove(d);
  } else {
    d.index = -1;
    // A bucket being fired is no longer in the map: its loop skips the cleared deadline.
    const bucket = bucketAt.get(d.bucketAt);
    if (bucket && bucket.seq === d.bucketSeq && --bucket.live === 0) {
      buckets.remove(bucket);
      bucketAt.delete(bucket.at);
      recycle(bucket);
    }
  }
  arm();
}

function fire(d: Deadline, now: number): void {
  try {
    d.fire(now);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

function tick(): void {
  ticking = true;
  // What is added while firing waits for the next turn, so a callback that keeps
  // rescheduling itself in the past cannot starve the event loop.
  const horizon = seq;
  try {
    for (;;) {
      const now = performance.now();
      for (let d = precise.peek(); d && d.at <= now && d.seq < horizon; d = precise.peek()) {
        precise.remove(d);
        fire(d, now);
      }
      for (let b = buckets.peek(); b && b.at <= now && b.seq < horizon; b = buckets.peek()) {
        buckets.remove(b);
        bucketAt.delete(b.at);
        const entries = b.entries;
        // Callbacks re-arm into later buckets, never this one: it is out of the map.
        for (let i = 0; i < b.size; i++) {
          const d = entries[i]!;
          if (d.index < 0) continue;
          d.index = -1;
          fire(d, now);
        }
        recycle(b);
      }
      const next = precise.peek();
      if (!next || next.seq >= horizon || next.at - performance.now() > PRECISE_HOLD_MS) break;
      while (performance.now() < next.at);
    }
  } finally {
    ticking = false;
    arm();
  }
}

function onNodeTimer(): void {
  nodeTimer = undefined;
  nodeTimerAt = Infinity;
  tick();
}

function onImmediate(): void {
  immediate = undefined;
  tick();
}

/** Makes sure exactly the right wake-up is pending: a Node timer, a setImmediate turn, or none. */
function arm(): void {
  if (ticking) return;
  const p = precise.peek();
  const b = buckets.peek();
  if (!p && !b) {
    if (nodeTimer) clearTimeout(nodeTimer);
    nodeTimer = undefined;
    nodeTimerAt = Infinity;
    return;
  }
  const now = performance.now();
  if ((p && p.at - now <= PRECISE_SPIN_MS) || (b && b.at <= now)) {
    immediate ??= setImmediate(onImmediate);
    return;
  }
  if (immediate) {
    clearImmediate(immediate);
    immediate = undefined;
  }
  const preciseWake = p ? p.at - PRECISE_LEAD_MS : Infinity;
  const coarseWake = b ? b.at : Infinity;
  const wakeAt = Math.min(preciseWake, coarseWake);
  if (nodeTimer && nodeTimerAt === wakeAt) return;
  if (nodeTimer) clearTimeout(nodeTimer);
  nodeTimerAt = wakeAt;
  // Rounded up for coarse deadlines: a Node timer that fires early costs a second wake-up.
  const delay = preciseWake <= coarseWake ? Math.round(wakeAt - now) : Math.ceil(wakeAt - now);
  nodeTimer = setTimeout(onNodeTimer, Math.min(MAX_NODE_DELAY_MS, Math.max(1, delay)));
}
