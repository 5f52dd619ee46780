// Durations past Node's 2^31-1 ms timer limit: chained on the system clock, never fired early, never a TimeoutOverflowWarning.
import { injectable } from 'inversify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Application, onStart, Service, StartInterruptedError, systemClock, timer } from '../../lib/index.js';
import { clearLongTimeout, MAX_TIMER_DELAY_MS, setLongTimeout } from '../../lib/utils/long-timeout.js';
import { singletons } from '../support/modules.js';
import { failOnUnhandledRejections } from '../support/unhandled.js';

failOnUnhandledRejections();

const DAY_MS = 86_400_000;
/** How long, in real time, a 30-day wait is watched: a timer that overflowed fires after 1 ms. */
const WATCH_MS = 150;

describe('setLongTimeout (fake Node timers, which overflow as Node does)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires once, 30 days later, not a millisecond sooner', () => {
    const fired: number[] = [];
    setLongTimeout(() => fired.push(performance.now()), 30 * DAY_MS);
    vi.advanceTimersByTime(30 * DAY_MS - 1);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([30 * DAY_MS]);
    vi.advanceTimersByTime(60 * DAY_MS);
    expect(fired).toHaveLength(1);
  });

  it('is cancelled by clearLongTimeout, before and after it re-arms', () => {
    const fired: string[] = [];
    const early = setLongTimeout(() => fired.push('early'), 60 * DAY_MS);
    const late = setLongTimeout(() => fired.push('late'), 60 * DAY_MS);
    clearLongTimeout(early);
    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS + 1);
    clearLongTimeout(late);
    vi.advanceTimersByTime(60 * DAY_MS);
    expect(fired).toEqual([]);
  });

  it('keeps short delays as plain Node timers, fractions rounded up', () => {
    const fired: number[] = [];
    setLongTimeout(() => fired.push(performance.now()), 2.2);
    vi.advanceTimersByTime(2);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([3]);
  });
});

describe('30-day durations on the real clock', () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  beforeEach(() => {
    warnings.length = 0;
    process.on('warning', onWarning);
  });
  afterEach(async () => {
    // Node emits a warning on the next tick: give it the time to arrive before looking.
    await new Promise((resolve) => setTimeout(resolve, 10));
    process.off('warning', onWarning);
    expect(warnings.filter((w) => w.name === 'TimeoutOverflowWarning').map((w) => w.message)).toEqual([]);
  });

  /** Resolves after `ms` of real time. */
  const realWait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Whether `promise` settles within {@link WATCH_MS}. */
  async function settlesSoon(promise: Promise<unknown>): Promise<boolean> {
    let settled = false;
    promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    await realWait(WATCH_MS);
    return settled;
  }

  it('systemClock.setTimeout(30 days) does not fire', async () => {
    let fired = false;
    const handle = systemClock.setTimeout(() => (fired = true), 30 * DAY_MS);
    await realWait(WATCH_MS);
    systemClock.clearTimeout(handle);
    expect(fired).toBe(false);
  });

  it("service.sleep('30d') sleeps until the service stops", async () => {
    const service = new Service();
    await service.start();
    const slept = service.sleep('30d');
    expect(await settlesSoon(slept)).toBe(false);
    await service.stop();
    await slept;
  });

  it("service.wait(promise, { timeout: '30d' }) waits, and rejects with the stop when the service stops", async () => {
    const service = new Service();
    await service.start();
    const waited = service.wait(new Promise(() => {}), { timeout: '30d' });
    expect(await settlesSoon(waited)).toBe(false);
    await service.stop();
    await expect(waited).rejects.toThrow(/stopping/);
  });

  it("@onStart({ timeout: '30d' }) lets the hook run", async () => {
    @injectable()
    class Db {
      aborted: unknown;
      @onStart({ timeout: '30d' }) connect(signal: AbortSignal) {
        return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve((this.aborted = signal.reason))));
      }
    }
    const app = new Application(singletons(Db));
    const started = app.start();
    expect(await settlesSoon(started)).toBe(false);
    await app.stop();
    await expect(started).rejects.toBeInstanceOf(StartInterruptedError);
    expect(String(app.get(Db).aborted)).toMatch(/Db is stopping/);
  });

  it("@timer('30d') does not run", async () => {
    @injectable()
    class Monthly {
      runs = 0;
      @timer('30d') report() {
        this.runs++;
      }
    }
    const app = new Application(singletons(Monthly));
    await app.start();
    await realWait(WATCH_MS);
    expect(app.get(Monthly).runs).toBe(0);
    await app.stop();
  });
});
