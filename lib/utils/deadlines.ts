// Deadlines on the real clock: one shared Node timer for all of them, a setImmediate tail for precise ones.

/**
 * Node fires a timer anywhere from ~1 ms early to ~1 ms late (libuv counts whole
 * milliseconds). A precise deadline leaves Node's timer this long before it is due and
 * finishes the wait by turning the event loop (setImmediate), which keeps I/O flowing.
 */
const PRECISE_LEAD_MS = 1.25;
/** Node's timers overflow past 2^31-1 ms; longer waits are taken in steps. */
const MAX_NODE_DELAY_MS = 2 ** 31 - 1;

/** A pending deadline. Opaque to callers: pass it back to {@link clearDeadline}. */
export class Deadline {
  /** Position in its heap, `-1` once fired or cleared. */
  index = -1;
  constructor(
    readonly at: number,
    readonly callback: () => void,
    readonly precise: boolean,
    readonly seq: number,
  ) {}
}

/** A binary min-heap of deadlines by due time (then creation order), with removal by handle. */
class DeadlineHeap {
  readonly items: Deadline[] = [];

  peek(): Deadline | undefined {
    return this.items[0];
  }

  push(d: Deadline): void {
    d.index = this.items.length;
    this.items.push(d);
    this.#up(d.index);
  }

  pop(): Deadline | undefined {
    const top = this.items[0];
    if (top) this.remove(top);
    return top;
  }

  remove(d: Deadline): void {
    const items = this.items;
    const i = d.index;
    const last = items.pop()!;
    d.index = -1;
    if (last === d) return;
    items[i] = last;
    last.index = i;
    this.#down(i);
    this.#up(last.index);
  }

  #before(a: Deadline, b: Deadline): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  #up(i: number): void {
    const items = this.items;
    const d = items[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (!this.#before(d, p)) break;
      items[i] = p;
      p.index = i;
      i = parent;
    }
    items[i] = d;
    d.index = i;
  }

  #down(i: number): void {
    const items = this.items;
    const n = items.length;
    const d = items[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.#before(items[r]!, items[l]!) ? r : l;
      const child = items[c]!;
      if (!this.#before(child, d)) break;
      items[i] = child;
      child.index = i;
      i = c;
    }
    items[i] = d;
    d.index = i;
  }
}

const precise = new DeadlineHeap();
const coarse = new DeadlineHeap();
let seq = 0;
let nodeTimer: NodeJS.Timeout | undefined;
let nodeTimerAt = Infinity;
let immediate: NodeJS.Immediate | undefined;
let ticking = false;

/**
 * Calls `callback` once `performance.now()` reaches `at`, never before. With `precise`, the
 * call comes within a few microseconds of `at` on an idle loop, at the cost of turning the
 * event loop for the last ~1-2 ms; without it, within ~1.5 ms (Node's timer granularity).
 * Every deadline shares one Node timer.
 *
 * @example
 * const d = setDeadline(() => tick(), performance.now() + 10, true);
 * clearDeadline(d);
 */
export function setDeadline(callback: () => void, at: number, isPrecise = false): Deadline {
  const d = new Deadline(at, callback, isPrecise, seq++);
  (isPrecise ? precise : coarse).push(d);
  arm();
  return d;
}

/** Cancels a deadline that has not fired yet. Fired or cleared deadlines are ignored. */
export function clearDeadline(d: Deadline): void {
  if (d.index < 0) return;
  (d.precise ? precise : coarse).remove(d);
  arm();
}

/** The next deadline due (the earlier of both heaps' tops). */
function nextDue(): Deadline | undefined {
  const p = precise.peek();
  const c = coarse.peek();
  if (!p) return c;
  if (!c) return p;
  return p.at < c.at || (p.at === c.at && p.seq < c.seq) ? p : c;
}

function tick(): void {
  ticking = true;
  const now = performance.now();
  // Deadlines added while firing wait for the next turn, so a callback that keeps
  // rescheduling itself in the past cannot starve the event loop.
  const horizon = seq;
  try {
    for (let d = nextDue(); d && d.at <= now && d.seq < horizon; d = nextDue()) {
      (d.precise ? precise : coarse).remove(d);
      try {
        d.callback();
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
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
  const c = coarse.peek();
  if (!p && !c) {
    if (nodeTimer) clearTimeout(nodeTimer);
    nodeTimer = undefined;
    nodeTimerAt = Infinity;
    return;
  }
  const wakeAt = Math.min(p ? p.at - PRECISE_LEAD_MS : Infinity, c ? c.at : Infinity);
  const delay = wakeAt - performance.now();
  if (delay <= 0) {
    immediate ??= setImmediate(onImmediate);
    return;
  }
  if (immediate) {
    clearImmediate(immediate);
    immediate = undefined;
  }
  if (nodeTimer && nodeTimerAt === wakeAt) return;
  if (nodeTimer) clearTimeout(nodeTimer);
  nodeTimerAt = wakeAt;
  nodeTimer = setTimeout(onNodeTimer, Math.min(MAX_NODE_DELAY_MS, Math.max(1, Math.round(delay))));
}
