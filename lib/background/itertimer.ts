// Mode's Service.itertimer: an async iterator that wakes on an anchored schedule until its service stops.
import { type Clock, sleepOn } from '../utils/clock.js';
import { type Duration, formatDuration } from '../utils/durations.js';
import { timerInterval } from './timer.js';

/** What {@link iterTimer} needs from its service. */
export interface IterTimerOptions {
  readonly clock: Clock;
  /** Aborts when the service begins to stop: a sleep ends at once, and the iteration with it. */
  readonly signal: AbortSignal;
  /** Whether the service is stopping or stopped (then nothing more is yielded). */
  shouldStop(): boolean;
  /** The name in the overlap warning. */
  readonly name: string;
  readonly warn: (message: string) => void;
}

/**
 * Yields every `interval`, the milliseconds it slept each time, until its service stops (Mode's
 * `itertimer`, which yields seconds). The schedule is anchored like `@timer`'s: run *k* is due
 * at `start + k × interval`, so lateness never accumulates; when the loop's body overruns a
 * slot, the next iteration comes at once (one catch-up) with Mode's overlap warning.
 * @example
 * ```ts
 * for await (const slept of iterTimer('1s', { clock, signal, shouldStop: () => service.shouldStop, name: 'poll', warn })) await poll();
 * ```
 */
export async function* iterTimer(interval: Duration, options: IterTimerOptions): AsyncGenerator<number, void, undefined> {
  const { clock, signal } = options;
  const ms = timerInterval(interval, `interval of itertimer ${options.name}`);
  let due = clock.now() + ms;
  while (!options.shouldStop()) {
    const before = clock.now();
    await sleepOn(clock, Math.max(0, due - before), signal);
    if (signal.aborted || options.shouldStop()) return;
    const woke = clock.now();
    yield woke - before;
    const after = clock.now();
    due += ms;
    if (due <= after) {
      options.warn(`Timer ${options.name} is overlapping (interval=${formatDuration(ms)} runtime=${formatDuration(after - woke)})`);
      due += Math.floor((after - due) / ms) * ms;
    }
  }
}
