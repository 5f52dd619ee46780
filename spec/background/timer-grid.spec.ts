// Timers of one interval started a few milliseconds apart share their slots (one wake-up of the event loop, not one each).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstSlot } from '../../lib/background/timer.js';

describe('firstSlot', () => {
  it('is one interval after the start, rounded up to a quarter-interval grid (at most 1s)', () => {
    expect(firstSlot(0, 100)).toBe(100);
    expect(firstSlot(3, 100)).toBe(125);
    expect(firstSlot(1_003, 60_000)).toBe(62_000);
  });

  it('puts a thousand 100ms timers started over 60ms on at most 4 slots', () => {
    const slots = new Set(Array.from({ length: 1_000 }, (_, i) => firstSlot(5_000 + i * 0.06, 100)));
    expect(slots.size).toBeLessThanOrEqual(4);
  });

  it('is never before one interval, and never more than a grid step after it', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e9, noNaN: true }), fc.double({ min: 0.001, max: 1e8, noNaN: true }), (anchor, interval) => {
        const slot = firstSlot(anchor, interval);
        const grid = Math.min(interval / 4, 1_000);
        expect(slot).toBeGreaterThanOrEqual(anchor + interval);
        expect(slot - (anchor + interval)).toBeLessThanOrEqual(grid * (1 + 1e-9));
      }),
    );
  });
});
