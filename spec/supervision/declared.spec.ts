// Declared supervision in a DI app: @supervised per class and group, the app-wide option, over the dependency graph.
import { inject, injectable } from 'inversify';
import { describe, expect, it } from 'vitest';
import {
  Application,
  DecoratorError,
  ManualClock,
  MaxRestartsExceededError,
  onStart,
  onStop,
  sleepOn,
  StartError,
  supervised,
  SupervisionPolicyError,
  task,
} from '../../lib/index.js';
import { crashable } from '../support/crashable.js';
import { singletons } from '../support/modules.js';
import { failOnUnhandledRejections } from '../support/unhandled.js';

failOnUnhandledRejections();

/** Lets the supervisor react (stops, restarts that come at once). */
async function settled(clock: ManualClock) {
  for (let i = 0; i < 3; i++) await clock.advanceAsync(0);
}

describe('rest-for-one on the dependency graph', () => {
  it('restarts the crashed service and what depends on it, dependents stopping first and starting last; others untouched', async () => {
    const log: string[] = [];
    const A = crashable('A', log);
    const B = crashable('B', log, { strategy: 'rest-for-one' });
    const C = crashable('C', log);
    const D = crashable('D', log);
    inject(A)(B.prototype, 'a');
    inject(B)(C.prototype, 'b');
    const clock = new ManualClock();
    const app = new Application(singletons(C, B, A, D), { clock });
    await app.start();
    log.length = 0;
    app.get(B).crash();
    await settled(clock);
    expect(log).toEqual(['C-', 'B-', 'B+', 'C+']);
    expect(app.services.map((s) => `${s.label}:${s.state}:${s.restartCount}`)).toEqual(['C:running:1', 'B:running:1', 'A:running:0', 'D:running:0']);
    expect(app.state).toBe('running');
    await app.stop();
  });
});

describe('strategies and restart types', () => {
  it("one-for-one restarts only the crashed service; its dependents keep running", async () => {
    const log: string[] = [];
    const A = crashable('A', log, { strategy: 'one-for-one' });
    const B = crashable('B', log);
    inject(A)(B.prototype, 'a');
    const clock = new ManualClock();
    const app = new Application(singletons(B, A), { clock });
    await app.start();
    log.length = 0;
    app.get(A).crash();
    await settled(clock);
    expect(log).toEqual(['A-', 'A+']);
    await app.stop();
  });

  it("one-for-all restarts the group's services (and what depends on them), in graph order", async () => {
    const log: string[] = [];
    const A = crashable('A', log, { strategy: 'one-for-all', group: 'storage' });
    const B = crashable('B', log, { strategy: 'one-for-all', group: 'storage' });
    const C = crashable('C', log);
    const D = crashable('D', log);
    inject(B)(C.prototype, 'b');
    const clock = new ManualClock();
    const app = new Application(singletons(C, B, A, D), { clock });
    await app.start();
    log.length = 0;
    app.get(A).crash();
    await settled(clock);
    expect([...log].sort()).toEqual(['A+', 'A-', 'B+', 'B-', 'C+', 'C-']);
    expect(log.indexOf('C-')).toBeLessThan(log.indexOf('B-'));
    expect(log.indexOf('B+')).toBeLessThan(log.indexOf('C+'));
    await app.stop();
  });

  it('a temporary service is not restarted: it stops, with what depends on it', async () => {
    const log: string[] = [];
    const A = crashable('A', log, { strategy: 'one-for-one', restart: 'temporary' });
    const B = crashable('B', log);
    const D = crashable('D', log);
    inject(A)(B.prototype, 'a');
    const clock = new ManualClock();
    const app = new Application(singletons(B, A, D), { clock });
    const gaveUp: string[] = [];
    app.on('supervisor.gaveUp', (e) => gaveUp.push(e.services.map((s) => s.label).join(',')));
    await app.start();
    log.length = 0;
    app.get(A).crash();
    await settled(clock);
    expect(log).toEqual(['B-', 'A-']);
    expect(gaveUp).toEqual(['A,B']);
    expect(app.services.map((s) => s.state)).toEqual(['shutdown', 'shutdown', 'running']);
    expect(app.state).toBe('running');
    await app.stop();
  });

  it('a transient or permanent service is restarted after a crash', async () => {
    for (const restart of ['transient', 'permanent'] as const) {
      const log: string[] = [];
      const A = crashable('A', log, { strategy: 'one-for-one', restart });
      const clock = new ManualClock();
      const app = new Application(singletons(A), { clock });
      await app.start();
      app.get(A).crash();
      await settled(clock);
      expect(log).toEqual(['A+', 'A-', 'A+']);
      await app.stop();
    }
  });

  it('never restarts a service whose first start failed: the boot error fails the start', async () => {
    @supervised({ strategy: 'one-for-one' })
    @injectable()
    class Broken {
      @onStart() begin() {
        throw new Error('no config');
      }
    }
    const app = new Application(singletons(Broken), { supervisor: { strategy: 'one-for-all' } });
    await expect(app.start()).rejects.toBeInstanceOf(StartError);
    expect(app.services[0]!.restartCount).toBe(0);
  });
});

describe('the restart policy', () => {
  it('backs off exactly: at once, then 1s, 2s, 4s (jitter 0), and the budget spent escalates to the app', async () => {
    const log: string[] = [];
    const A = crashable('A', log, { strategy: 'one-for-one', maxRestarts: 4, over: '1m', backoff: { jitter: 0 } });
    const clock = new ManualClock();
    const app = new Application(singletons(A), { clock });
    const restarts: string[] = [];
    app.on('supervisor.restarting', (e) => restarts.push(`${e.attempt}/${e.maxRestarts} in ${e.delayMs}`));
    await app.start();
    const starts = () => log.filter((l) => l === 'A+').length;
    for (const [delay, expected] of [[0, 2], [1_000, 3], [2_000, 4], [4_000, 5]] as const) {
      app.get(A).crash();
      await settled(clock);
      if (delay > 0) {
        expect(starts()).toBe(expected - 1);
        await clock.advanceAsync(delay - 1);
        expect(starts()).toBe(expected - 1);
        await clock.advanceAsync(1);
        await settled(clock);
      }
      expect(starts()).toBe(expected);
    }
    expect(restarts).toEqual(['1/4 in 0', '2/4 in 1000', '3/4 in 2000', '4/4 in 4000']);
    app.get(A).crash();
    await clock.runUntil(app.waitUntilStopped());
    expect(app.state).toBe('crashed');
    expect(app.crashReason).toBeInstanceOf(MaxRestartsExceededError);
    expect(app.crashReason!.message).toBe('The supervisor of A gave up on A after 4 restart(s) within 1.00m (maxRestarts 4 over 1.00m); its last crash: HookError: A.watch failed: Error: A broke');
  });

  it('keeps jitter within its bounds', async () => {
    for (const [random, factor] of [[0, 0.8], [0.999999, 1.2]] as const) {
      const log: string[] = [];
      const A = crashable('A', log, { strategy: 'one-for-one', backoff: { min: '1s', jitter: 0.2 } });
      const clock = new ManualClock();
      const app = new Application(singletons(A), { clock, supervisor: { strategy: 'crashing', random: () => random } });
      const delays: number[] = [];
      app.on('supervisor.restarting', (e) => delays.push(e.delayMs));
      await app.start();
      app.get(A).crash();
      await settled(clock);
      app.get(A).crash();
      await settled(clock);
      expect(delays[0]).toBe(0);
      expect(delays[1]).toBeCloseTo(1_000 * factor, 0);
      await clock.runUntil(app.stop());
    }
  });

  it('resets the backoff once the service has run for resetAfter', async () => {
    const log: string[] = [];
    const A = crashable('A', log, { strategy: 'one-for-one', backoff: { jitter: 0 }, resetAfter: '10s' });
    const clock = new ManualClock();
    const app = new Application(singletons(A), { clock });
    const delays: number[] = [];
    app.on('supervisor.restarting', (e) => delays.push(e.delayMs));
    await app.start();
    app.get(A).crash();
    await settled(clock);
    await clock.advanceAsync('10s');
    app.get(A).crash();
    await settled(clock);
    expect(delays).toEqual([0, 0]);
    await app.stop();
  });

  it('escalates through two levels: a class budget to the app-wide supervisor, then the app stops', async () => {
    const log: string[] = [];
    const A = crashable('A', log, { strategy: 'one-for-one', maxRestarts: 1, over: '1m', backoff: { jitter: 0 } });
    const B = crashable('B', log);
    const clock = new ManualClock();
    const app = new Application(singletons(A, B), { clock, supervisor: { strategy: 'one-for-all', maxRestarts: 1, over: '1m', backoff: { jitter: 0 } } });
    const escalations: string[] = [];
    app.on('supervisor.escalating', (e) => escalations.push(e.supervisor));
    await app.start();
    app.get(A).crash();
    await settled(clock);
    // A's own budget is spent: the app-wide one-for-all restarts everything once.
    app.get(A).crash();
    await settled(clock);
    expect(escalations).toEqual(['the supervisor of A']);
    expect(log.filter((l) => l === 'B+')).toHaveLength(2);
    app.get(A).crash();
    await settled(clock);
    app.get(A).crash();
    await clock.runUntil(app.waitUntilStopped());
    expect(escalations).toEqual(['the supervisor of A', 'the supervisor of A', "the application's supervisor"]);
    expect(app.state).toBe('crashed');
    expect(app.crashReason).toBeInstanceOf(MaxRestartsExceededError);
  });

  it('abandons a stop that hangs during a restart after the stop timeout, and restarts anyway', async () => {
    let hang = false;
    @supervised({ strategy: 'one-for-one', stopTimeout: '5s' })
    @injectable()
    class Stuck {
      starts = 0;
      @onStart() begin() {
        this.starts++;
      }
      @onStop() end() {
        if (hang) return new Promise<void>(() => {});
      }
      @task() async watch(signal: AbortSignal) {
        await sleepOn(clock, 100, signal);
        if (!signal.aborted && hang) throw new Error('broke');
      }
    }
    const clock = new ManualClock();
    const app = new Application(singletons(Stuck), { clock });
    const abandoned: string[] = [];
    app.on('service.stopAbandoned', (e) => abandoned.push(`${e.service.label} after ${e.timeoutMs}`));
    await app.start();
    hang = true;
    await clock.advanceAsync(100);
    await settled(clock);
    expect(app.get(Stuck).starts).toBe(1);
    await clock.advanceAsync('5s');
    await settled(clock);
    expect(abandoned).toEqual(['Stuck after 5000']);
    expect(app.get(Stuck).starts).toBe(2);
    hang = false;
    await clock.runUntil(app.stop().catch(() => {}));
  });

  it('does not restart a service that crashes while the app is stopping', async () => {
    const log: string[] = [];
    const A = crashable('A', log, { strategy: 'one-for-one' });
    @injectable()
    class Slow {
      @onStop() async end() {
        await sleepOn(clock, 1_000);
      }
    }
    inject(A)(Slow.prototype, 'a');
    const clock = new ManualClock();
    const app = new Application(singletons(Slow, A), { clock });
    await app.start();
    const stopped = app.stop();
    await settled(clock);
    app.get(A).crash();
    await clock.runUntil(stopped);
    expect(log.filter((l) => l === 'A+')).toHaveLength(1);
    expect(app.state).toBe('shutdown');
  });

  it('treats a crash during a restart as another crash, under the same budget', async () => {
    let failNext = false;
    @supervised({ strategy: 'one-for-one', backoff: { jitter: 0 } })
    @injectable()
    class Flaky {
      starts = 0;
      @onStart() begin() {
        this.starts++;
        if (failNext) {
          failNext = false;
          throw new Error('not yet');
        }
      }
      @task() async watch(signal: AbortSignal) {
        await sleepOn(clock, 50, signal);
        if (!signal.aborted && this.starts === 1) throw new Error('broke');
      }
    }
    const clock = new ManualClock();
    const app = new Application(singletons(Flaky), { clock });
    const restarts: number[] = [];
    app.on('supervisor.restarting', (e) => restarts.push(e.delayMs));
    await app.start();
    failNext = true;
    await clock.advanceAsync(50);
    await settled(clock);
    await clock.advanceAsync('1s');
    await settled(clock);
    expect(restarts).toEqual([0, 1_000]);
    expect(app.get(Flaky).starts).toBe(3);
    expect(app.services[0]!.state).toBe('running');
    await clock.runUntil(app.stop());
  });
});

describe('declaration mistakes', () => {
  it('refuses an unknown strategy or restart type, and a policy that can never trip, at declaration', async () => {
    expect(() => supervised({ strategy: 'one-for-some' as never })).toThrow(DecoratorError);
    expect(() => supervised({ restart: 'sometimes' as never })).toThrow(/use 'permanent', 'transient' or 'temporary'/);
    expect(() => supervised({ maxRestarts: 20, over: '10s' })(class Busy {})).toThrow(SupervisionPolicyError);
    await expect(new Application(singletons(), { supervisor: { strategy: 'nope' as never } }).start()).rejects.toThrow(/strategy "nope"/);
  });
});
