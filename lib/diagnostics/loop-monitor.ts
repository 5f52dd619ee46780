// Event-loop delay percentiles (perf_hooks.monitorEventLoopDelay), for the console, the dump and metrics.
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { type Duration, formatDuration, parseDuration } from '../utils/durations.js';

/**
 * How late the event loop has been, in milliseconds, since the monitor started (or was reset).
 * @example
 * ```ts
 * const { p99, max }: LoopDelay = monitor.snapshot();
 * ```
 * @category Diagnostics
 */
export interface LoopDelay {
  /** The median delay, in milliseconds. */
  readonly p50: number;
  /** The 90th percentile, in milliseconds. */
  readonly p90: number;
  /** The 99th percentile, in milliseconds. */
  readonly p99: number;
  /** The longest delay seen, in milliseconds. */
  readonly max: number;
  /** The mean delay, in milliseconds. */
  readonly mean: number;
  /** How many samples (one per resolution period while the loop turns). */
  readonly samples: number;
  /** Over how long, in milliseconds. */
  readonly sinceMs: number;
}

/**
 * Samples how late the event loop runs a native timer (Node's `monitorEventLoopDelay`) and
 * reports percentiles. Durations only, after the fact: the blocking detector says *what* blocked.
 *
 * @example
 * ```ts
 * const monitor = new LoopMonitor();
 * monitor.start();
 * console.log(formatLoopDelay(monitor.snapshot())); // 'p50 10.1ms, p90 10.3ms, p99 12.0ms, max 25.4ms (…)'
 * monitor.stop();
 * ```
 * @category Diagnostics
 */
export class LoopMonitor {
  /** The sampling period in milliseconds. */
  readonly resolutionMs: number;
  #histogram: IntervalHistogram | undefined;
  #running = false;
  #since = 0;

  /** @param options.resolution Sampling period (default `'20ms'`; at least 1 ms). */
  constructor(options: { resolution?: Duration } = {}) {
    this.resolutionMs = Math.max(1, Math.round(parseDuration(options.resolution ?? '20ms', 'loop monitor resolution')));
  }

  /** Whether it is sampling. */
  get running(): boolean {
    return this.#running;
  }

  /** Starts sampling (again from zero). */
  start(): void {
    this.#histogram?.disable();
    this.#histogram = monitorEventLoopDelay({ resolution: this.resolutionMs });
    this.#histogram.enable();
    this.#running = true;
    this.#since = performance.now();
  }

  /** Stops sampling; the last figures stay readable until the next start. */
  stop(): void {
    this.#histogram?.disable();
    this.#running = false;
  }

  /** Forgets the samples so far. */
  reset(): void {
    this.#histogram?.reset();
    this.#since = performance.now();
  }

  /** The percentiles so far (all zero before {@link LoopMonitor.start}). */
  snapshot(): LoopDelay {
    const h = this.#histogram;
    const ms = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : 0);
    // The histogram counts the resolution itself as delay; what matters is lateness beyond it.
    const late = (ns: number) => Math.max(0, ms(ns) - this.resolutionMs);
    if (!h || h.count === 0) return { p50: 0, p90: 0, p99: 0, max: 0, mean: 0, samples: 0, sinceMs: h ? performance.now() - this.#since : 0 };
    return {
      p50: late(h.percentile(50)),
      p90: late(h.percentile(90)),
      p99: late(h.percentile(99)),
      max: late(h.max),
      mean: late(h.mean),
      samples: h.count,
      sinceMs: performance.now() - this.#since,
    };
  }
}

/**
 * One line for a {@link LoopDelay}.
 * @example
 * ```ts
 * formatLoopDelay(monitor.snapshot()); // 'p50 0.05ms, p90 0.12ms, p99 1.20ms, max 1.50s (2,950 samples over 60.00s)'
 * ```
 * @category Diagnostics
 */
export function formatLoopDelay(delay: LoopDelay): string {
  const f = formatDuration;
  return `p50 ${f(delay.p50)}, p90 ${f(delay.p90)}, p99 ${f(delay.p99)}, max ${f(delay.max)} (${delay.samples.toLocaleString('en-US')} samples over ${f(delay.sinceMs)})`;
}
