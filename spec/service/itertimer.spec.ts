// Mode's itertimer and wait_many on Service: an anchored async iterator that ends with its service, and waiting for all of several things.
import { describe, expect, it } from 'vitest';
import { DurationError, ManualClock, Service, ServiceStoppingError, WaitTimeoutError } from '../../lib/index.js';
import { flushMicrotasks } from '../../lib/testing/manual-clock.js';

describe('Service.itertimer', () => {
  it('yields every interval the time it slept, and ends at once when the service stops', async () => {
    const clock = new ManualClock();
    const seen: Array<[number, number]> = [];
    class Poller extends Service {
      loop: Promise<void> | undefined;
      override onStarted() {
        this.loop = (async () => {
          for await (const slept of this.itertimer('1s')) seen.push([clock.now(), slept]);
        })();
      }
    }
    const poller = new Poller();
    await poller.start({ clock });
    await clock.advanceAsync('999ms');
    expect(seen).toEqual([]);
    await clock.advanceAsync('1ms');
    expect(seen).toEqual([[1_000, 1_000]]);
    await clock.advanceAsync('2500ms');
    expect(seen).toEqual([[1_000, 1_000], [2_000, 1_000], [3_000, 1_000]]);
    // Mid-sleep: the stop ends the iteration without waiting for the next slot.
    await poller.stop();
    await poller.loop;
    await clock.advanceAsync('10s');
    expect(seen).toHaveLength(3);
  });

  it('catches up once, with the overlap warning, when the body overruns a slot', async () => {
    const clock = new ManualClock();
    const warnings: string[] = [];
    const times: number[] = [];
    class Slow extends Service {
      loop: Promise<void> | undefined;
      override onStarted() {
        this.loop = (async () => {
          for await (const _ of this.itertimer('100ms', { name: 'slow' })) {
            times.push(clock.now());
            if (times.length === 1) await this.sleep('250ms');
          }
        })();
      }
    }
    const slow = new Slow();
    slow.runtime.log = (level, message) => void (level === 'warning' && warnings.push(message));
    await slow.start({ clock });
    await clock.advanceAsync('100ms');
    await clock.advanceAsync('250ms');
    await flushMicrotasks();
    // Slots at 200 and 300 passed during the body: one run at once (350), then the schedule (400).
    await clock.advanceAsync('50ms');
    expect(times).toEqual([100, 350, 400]);
    expect(warnings).toEqual(['Timer slow is overlapping (interval=100ms runtime=250ms)']);
    await slow.stop();
    await slow.loop;
  });

  it('yields nothing once the service is stopping, and refuses a bad interval', async () => {
    const service = new Service();
    await service.start();
    await service.stop();
    const yielded: number[] = [];
    for await (const slept of service.itertimer('1ms')) yielded.push(slept);
    expect(yielded).toEqual([]);
    await expect(service.itertimer('0s').next()).rejects.toThrow(DurationError);
  });
});

describe('Service.waitMany', () => {
  it('resolves with every value in order, a signal giving its reason', async () => {
    const service = new Service();
    await service.start();
    const gate = new AbortController();
    const all = service.waitMany([Promise.resolve(1), new Promise((r) => setTimeout(() => r('two'), 5)), gate.signal]);
    gate.abort('three');
    await expect(all).resolves.toEqual([1, 'two', 'three']);
    await service.stop();
  });

  it('rejects when the service stops first, with the first rejection, or after its timeout', async () => {
    const clock = new ManualClock();
    const service = new Service();
    await service.start({ clock });
    const never = new Promise<never>(() => {});
    const timed = expect(service.waitMany([never], { timeout: '5s' })).rejects.toBeInstanceOf(WaitTimeoutError);
    const failing = service.waitMany([never, Promise.reject(new Error('db down'))]);
    await expect(failing).rejects.toThrow('db down');
    await clock.advanceAsync('5s');
    await timed;
    const stopped = service.waitMany([never]);
    await service.stop();
    await expect(stopped).rejects.toBeInstanceOf(ServiceStoppingError);
  });
});

describe('Service.waitForStopped (Mode test_wait__when_stopped / when_crashed)', () => {
  it('is false when what it waits for settles first', async () => {
    const service = new Service();
    await service.start();
    await expect(service.waitForStopped(Promise.resolve('done'))).resolves.toBe(false);
    await service.stop();
  });

  it('is true when the service stops first, and when it crashes first', async () => {
    const never = new Promise<never>(() => {});
    const stopped = new Service();
    await stopped.start();
    const waiting = stopped.waitForStopped(never);
    await stopped.stop();
    await expect(waiting).resolves.toBe(true);

    const crashed = new Service();
    await crashed.start();
    const waitingToo = crashed.waitForStopped(never);
    crashed.crash(new Error('foo'));
    await expect(waitingToo).resolves.toBe(true);
    await crashed.waitUntilStopped();
  });

  it('rejects with what it waited for, and after its timeout', async () => {
    const clock = new ManualClock();
    const service = new Service();
    await service.start({ clock });
    await expect(service.waitForStopped(Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    const timed = expect(service.waitForStopped(new Promise(() => {}), { timeout: '1s' })).rejects.toBeInstanceOf(WaitTimeoutError);
    await clock.advanceAsync('1s');
    await timed;
    await service.stop();
  });
});
