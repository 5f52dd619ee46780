// The main thread's own record of event-loop stalls, read off its heartbeat: what /live answers without waiting for the watchdog.
import { formatDuration } from '../utils/durations.js';

const NS_PER_MS = 1_000_000;

/**
 * A stall of the event loop as the main thread itself saw it (its heartbeat came later than
 * the timeout), from `BlockingDetector.recentStall()`.
 * @example
 * ```ts
 * const stall: LoopStall | undefined = detector.recentStall();
 * if (stall) response.writeHead(503).end(stall.message);
 * ```
 * @category Diagnostics
 */
export interface LoopStall {
  /** How long the loop did not turn, in milliseconds. */
  readonly blockedMs: number;
  /** How long ago it turned again (`0`: it is turning again just now, this very turn). */
  readonly endedMsAgo: number;
  /** E.g. `the event loop did not turn for 1.51s (blocking timeout 300ms), 4ms ago`. */
  readonly message: string;
}

/**
 * Fed each heartbeat of the main thread, keeps the last gap between beats that was a stall:
 * overdue by more than the timeout, the watchdog's own criterion.
 * @example
 * ```ts
 * const record = new StallRecord(10_000, 100, '10s');
 * setInterval(() => record.beat(process.hrtime.bigint(), false), 100);
 * record.recent(process.hrtime.bigint(), 10_000); // undefined, or the last stall
 * ```
 */
export class StallRecord {
  #lastBeatNs = 0n;
  #last: { blockedMs: number; endedNs: bigint } | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly heartbeatIntervalMs: number,
    private readonly timeoutText: string,
  ) {}

  /** A heartbeat at `nowNs`; a gap that was a stall is recorded, unless a debugger is attached. */
  beat(nowNs: bigint, debugging: boolean): void {
    if (this.#lastBeatNs !== 0n && !debugging && this.#stalled(Number(nowNs - this.#lastBeatNs) / NS_PER_MS)) {
      this.#last = { blockedMs: Number(nowNs - this.#lastBeatNs) / NS_PER_MS, endedNs: nowNs };
    }
    this.#lastBeatNs = nowNs;
  }

  /**
   * The stall that ends this very turn (no beat since it began), or the last one if it ended
   * less than `withinMs` before `nowNs`; else `undefined`.
   */
  recent(nowNs: bigint, withinMs: number): LoopStall | undefined {
    if (this.#lastBeatNs === 0n) return undefined;
    const sinceBeatMs = Number(nowNs - this.#lastBeatNs) / NS_PER_MS;
    if (this.#stalled(sinceBeatMs)) return this.#describe(sinceBeatMs, 0);
    const last = this.#last;
    if (!last) return undefined;
    const endedMsAgo = Number(nowNs - last.endedNs) / NS_PER_MS;
    return endedMsAgo < withinMs ? this.#describe(last.blockedMs, endedMsAgo) : undefined;
  }

  #stalled(sinceBeatMs: number): boolean {
    return sinceBeatMs - this.heartbeatIntervalMs > this.timeoutMs;
  }

  #describe(blockedMs: number, endedMsAgo: number): LoopStall {
    const when = endedMsAgo < 1 ? 'until just now' : `${formatDuration(endedMsAgo)} ago`;
    return { blockedMs, endedMsAgo, message: `the event loop did not turn for ${formatDuration(blockedMs)} (blocking timeout ${this.timeoutText}), ${when}` };
  }
}
