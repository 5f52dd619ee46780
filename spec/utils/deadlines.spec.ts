// The system clock's deadlines: never early, in order, cancellable, recyclable, never starving the loop.
// These run on real time for a few milliseconds, but assert only what holds whatever the timing.
import { describe, expect, it } from 'vitest';
import { armDeadline, clearDeadline, Deadline, setDeadline } from '../../lib/utils/deadlines.js';
import { systemClock } from '../../lib/index.js';

const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('deadlines on the system clock', () => {
  it.each([
    ['coarse', false],
    ['precise', true],
  ])('%s deadlines never fire before their time, and pass the time read when firing', async (_kind, precise) => {
    const seen: Array<{ at: number; firedAt: number; passed: number }> = [];
    await new Promise<void>((resolve) => {
      let left = 20;
      for (let i = 0; i < 20; i++) {
        const at = performance.now() + 1 + ((i * 7) % 9);
        setDeadline(
          (now) => {
            seen.push({ at, firedAt: performance.now(), passed: now });
            if (--left === 0) resolve();
          },
          at,
          precise,
        );
      }
    });
    for (const { at, firedAt, passed } of seen) {
      expect(passed).toBeGreaterThanOrEqual(at);
      expect(firedAt).toBeGreaterThanOrEqual(passed);
    }
  });

  it('fires precise deadlines in time order, ties in creation order', async () => {
    const order: string[] = [];
    const base = performance.now() + 5;
    await new Promise<void>((resolve) => {
      setDeadline(() => order.push('c'), base + 2, true);
      setDeadline(() => order.push('a'), base, true);
      setDeadline(() => order.push('b1'), base + 1, true);
      setDeadline(() => order.push('b2'), base + 1, true);
      setDeadline(() => resolve(), base + 3, true);
    });
    expect(order).toEqual(['a', 'b1', 'b2', 'c']);
  });

  it('a cleared deadline never fires, even when cleared by another deadline of the same batch', async () => {
    const fired: string[] = [];
    const at = performance.now() + 2;
    let victim: ReturnType<typeof setDeadline> | undefined;
    await new Promise<void>((resolve) => {
      setDeadline(() => {
        fired.push('first');
        clearDeadline(victim!);
      }, at);
      victim = setDeadline(() => fired.push('victim'), at);
      const gone = setDeadline(() => fired.push('cleared before'), at);
      clearDeadline(gone);
      setDeadline(() => resolve(), at + 3);
    });
    expect(fired).toEqual(['first']);
  });

  it('keeps deadlines right while their batches are recycled: re-armed every round, one cleared mid-batch, one batch emptied', async () => {
    // Coarse deadlines due in the same millisecond share a batch; fired and emptied batches are
    // reused (with their lists) for later ones, which must not disturb any deadline.
    const rounds = 6;
    const width = 40;
    const last = width - 1;
    const fires = new Array<number>(width).fill(0);
    const handles: Array<ReturnType<typeof setDeadline>> = [];
    let lonelyFired = false;
    await new Promise<void>((resolve) => {
      let finished = 0;
      const arm = (i: number, round: number, at: number) => {
        handles[i] = setDeadline(
          () => {
            fires[i]!++;
            if (i === 0 && round === 2) {
              // Deadline `last` is pending in this very batch: it must be skipped from now on.
              clearDeadline(handles[last]!);
              // A batch emptied at once, in a millisecond nothing else uses: recycled unfired.
              const lonely = setDeadline(() => (lonelyFired = true), performance.now() + 3);
              clearDeadline(lonely);
            }
            if (round + 1 < rounds) arm(i, round + 1, Math.ceil(performance.now()) + 1);
            else if (++finished === last) resolve();
          },
          at,
          false,
          handles[i],
        );
      };
      const at = Math.ceil(performance.now()) + 2;
      for (let i = 0; i < width; i++) arm(i, 0, at);
    });
    expect(fires.slice(0, last)).toEqual(new Array(last).fill(rounds));
    expect(fires[last]).toBe(2);
    expect(lonelyFired).toBe(false);
  });

  it('recycles a fired deadline passed back as reuse, and never a pending one', async () => {
    const first = await new Promise<ReturnType<typeof setDeadline>>((resolve) => {
      const d = setDeadline(() => resolve(d), performance.now() + 1);
    });
    const again = setDeadline(() => {}, performance.now() + 1_000, false, first);
    expect(again).toBe(first);
    const other = setDeadline(() => {}, performance.now() + 1_000, false, again);
    expect(other).not.toBe(again);
    clearDeadline(again);
    clearDeadline(other);
  });

  it.each([
    ['coarse', false],
    ['precise', true],
  ])('a %s Deadline subclass armed with armDeadline is fired through its own fire(), re-arms itself, and clears', async (_kind, precise) => {
    class Ticker extends Deadline {
      fired: number[] = [];
      constructor(readonly rounds: number, readonly done: () => void) {
        super(() => {
          throw new Error('the callback of a subclass that overrides fire() is never called');
        });
      }
      override fire(now: number): void {
        expect(now).toBeGreaterThanOrEqual(this.at);
        this.fired.push(now);
        if (this.fired.length < this.rounds) armDeadline(this, now + 1, precise);
        else this.done();
      }
    }
    const ticker = await new Promise<Ticker>((resolve) => {
      const t: Ticker = new Ticker(3, () => resolve(t));
      armDeadline(t, performance.now() + 1, precise);
    });
    expect(ticker.fired).toHaveLength(3);
    const cleared = new Ticker(1, () => {});
    armDeadline(cleared, performance.now() + 1, precise);
    clearDeadline(cleared);
    await new Promise<void>((resolve) => setDeadline(() => resolve(), performance.now() + 5, precise));
    expect(cleared.fired).toEqual([]);
  });

  it("systemClock.setTimeoutAt arms an offered Deadline (a timer offering itself) and ignores any other object", async () => {
    const fired: string[] = [];
    class Own extends Deadline {
      override fire(): void {
        fired.push('own fire');
      }
    }
    const offered = new Own(() => fired.push('callback'));
    const handle = systemClock.setTimeoutAt!(() => fired.push('callback'), performance.now() + 1, false, offered);
    expect(handle).toBe(offered);
    const stranger = {};
    const other = systemClock.setTimeoutAt!(() => fired.push('other'), performance.now() + 2, false, stranger);
    expect(other).not.toBe(stranger);
    await new Promise<void>((resolve) => setDeadline(() => resolve(), performance.now() + 5));
    expect(fired).toEqual(['own fire', 'other']);
  });

  it('leaves no Node timer behind once nothing is pending, so a cleared long wait cannot hold the process', async () => {
    await new Promise((r) => setImmediate(r));
    const before = timeouts();
    const hour = systemClock.setTimeoutAt!(() => {}, performance.now() + 3_600_000);
    const soon = systemClock.setTimeoutAt!(() => {}, performance.now() + 60_000, true);
    expect(timeouts()).toBe(before + 1); // one shared Node timer
    systemClock.clearTimeout(hour);
    systemClock.clearTimeout(soon);
    expect(timeouts()).toBe(before);
  });

  it('a deadline that keeps rescheduling itself in the past still lets the event loop turn', async () => {
    let runs = 0;
    let stop = false;
    const again = () => {
      runs++;
      if (!stop) setDeadline(again, performance.now() - 1);
    };
    setDeadline(again, performance.now() - 1);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    stop = true;
    await new Promise((r) => setTimeout(r, 5));
    expect(runs).toBeGreaterThan(0);
  });
});
