// Sleeps and background work share one 'abort' listener per signal.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ManualClock, sleepOn } from '../../lib/index.js';

describe('sleepOn with a signal', () => {
  it('shares one abort listener among many sleeps, wakes them all on abort, and forgets the ones that finished', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const short = Array.from({ length: 5 }, () => sleepOn(clock, 10, controller.signal));
    const long = Array.from({ length: 20 }, () => sleepOn(clock, 1_000, controller.signal));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    clock.advance(10);
    expect(await Promise.all(short)).toEqual(new Array(5).fill(true));
    controller.abort();
    expect(await Promise.all(long)).toEqual(new Array(20).fill(false));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('returns false at once for a signal already aborted, and needs no signal at all', async () => {
    const clock = new ManualClock();
    expect(await sleepOn(clock, 10, AbortSignal.abort())).toBe(false);
    const plain = sleepOn(clock, 10);
    clock.advance(10);
    expect(await plain).toBe(true);
  });
});
