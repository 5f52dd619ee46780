// The test clock: exact time, timers in due order.
import { describe, expect, it } from 'vitest';
import { ManualClock, sleepOn } from '../../lib/index.js';

describe('ManualClock', () => {
  it('fires timers in due order, each seeing its due time, stable for equal times', () => {
    const clock = new ManualClock();
    const fired: Array<[string, number]> = [];
    clock.setTimeout(() => fired.push(['b', clock.now()]), 20);
    clock.setTimeout(() => fired.push(['a', clock.now()]), 10);
    clock.setTimeout(() => fired.push(['a2', clock.now()]), 10);
    const cancelled = clock.setTimeout(() => fired.push(['x', clock.now()]), 15);
    clock.clearTimeout(cancelled);
    clock.advance(25);
    expect(fired).toEqual([
      ['a', 10],
      ['a2', 10],
      ['b', 20],
    ]);
    expect(clock.now()).toBe(25);
    expect(clock.pending).toBe(0);
  });

  it('maps now() = 0 to the wall-clock start it was given', () => {
    const clock = new ManualClock(new Date('2026-11-25T10:00:00Z'));
    clock.advance('1m30s');
    expect(clock.date().toISOString()).toBe('2026-11-25T10:01:30.000Z');
  });

  it('jump() moves time without firing (a late wake-up)', () => {
    const clock = new ManualClock();
    let fired = false;
    clock.setTimeout(() => (fired = true), 10);
    clock.jump(50);
    expect(fired).toBe(false);
    expect(clock.nextAt).toBe(10);
  });

  it('advanceAsync lets async code scheduled by one timer schedule the next', async () => {
    const clock = new ManualClock();
    const ticks: number[] = [];
    void (async () => {
      for (let i = 0; i < 3; i++) {
        await sleepOn(clock, 100);
        ticks.push(clock.now());
      }
    })();
    await clock.advanceAsync(1_000);
    expect(ticks).toEqual([100, 200, 300]);
  });

  it('runUntil drives timers until a promise settles, and says so when nothing can move it', async () => {
    const clock = new ManualClock();
    await expect(clock.runUntil(sleepOn(clock, 5_000).then(() => clock.now()))).resolves.toBe(5_000);
    await expect(clock.runUntil(new Promise(() => {}))).rejects.toThrow('no timers left but the promise has not settled');
  });

  it('sleepOn resolves false at once when the signal aborts', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const slept = sleepOn(clock, 1_000, controller.signal);
    controller.abort();
    await expect(slept).resolves.toBe(false);
    expect(clock.pending).toBe(0);
  });
});
