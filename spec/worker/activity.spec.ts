// A hook that runs long is never silent: the Worker warns at 10 s, 20 s, 40 s …, and stops warning once it returns.
import { ContainerModule, injectable } from 'inversify';
import { describe, expect, it } from 'vitest';
import type { ServiceNode } from '../../lib/lifecycle/state.js';
import { onStart } from '../../lib/service/decorators.js';
import { flushMicrotasks, ManualClock } from '../../lib/testing/manual-clock.js';
import { Activity } from '../../lib/worker/activity.js';
import { harness } from '../support/worker-harness.js';

const db = { label: 'Db' } as ServiceNode;

describe('Activity', () => {
  it('warns when a hook has run 10s, then each time its age doubles, and not after it returned', () => {
    const clock = new ManualClock();
    const warnings: string[] = [];
    const activity = new Activity(clock, (message) => warnings.push(message));
    activity.observe({ type: 'hook.executing', service: db, hook: 'connect' });
    clock.advance('9999ms');
    expect(warnings).toEqual([]);
    clock.advance('1ms');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Db\.connect has been running for 10s: the app's start or stop waits for it\. SIGUSR2/);
    clock.advance('10s');
    clock.advance('20s');
    expect(warnings.map((w) => /for (\S+):/.exec(w)![1])).toEqual(['10s', '20s', '40s']);
    activity.observe({ type: 'hook.executed', service: db, hook: 'connect', durationMs: 40_000 });
    expect(activity.hookOf(db)).toBeUndefined();
    clock.advance('1h');
    expect(warnings).toHaveLength(3);
  });

  it('a hook returning late from an abandoned stop does not end the newer hook being tracked', () => {
    const clock = new ManualClock();
    const warnings: string[] = [];
    const activity = new Activity(clock, (message) => warnings.push(message));
    activity.observe({ type: 'hook.executing', service: db, hook: 'close' });
    activity.observe({ type: 'hook.executing', service: db, hook: 'connect' });
    activity.observe({ type: 'hook.executed', service: db, hook: 'close', durationMs: 1 });
    expect(activity.hookOf(db)?.hook).toBe('connect');
    clock.advance('10s');
    expect(warnings).toEqual([expect.stringMatching(/^Db\.connect has been running for 10s/)]);
  });

  it('a hook that returns in time is never warned about, and the next hook starts its own count', () => {
    const clock = new ManualClock();
    const warnings: string[] = [];
    const activity = new Activity(clock, (message) => warnings.push(message));
    activity.observe({ type: 'hook.executing', service: db, hook: 'connect' });
    clock.advance('9s');
    activity.observe({ type: 'hook.executed', service: db, hook: 'connect', durationMs: 9_000 });
    activity.observe({ type: 'hook.executing', service: db, hook: 'warm' });
    expect(activity.hookOf(db)).toEqual({ hook: 'warm', since: 9_000 });
    clock.advance('9s');
    expect(warnings).toEqual([]);
    clock.advance('1s');
    expect(warnings).toEqual([expect.stringMatching(/^Db\.warm has been running for 10s/)]);
    activity.close();
    clock.advance('1h');
    expect(warnings).toHaveLength(1);
  });
});

@injectable()
class Db {
  @onStart() async connect(signal: AbortSignal) {
    await new Promise((resolve) => signal.addEventListener('abort', resolve));
  }
}

describe('Worker: a start hook that hangs without a timeout', () => {
  it('logs a WARNING naming the service and the hook after 10s', async () => {
    const clock = new ManualClock();
    const h = harness(new ContainerModule(({ bind }) => void bind(Db).toSelf().inSingletonScope()), { clock });
    const status = h.worker.run();
    await h.until('[^-Db]: Starting...');
    await clock.advanceAsync('10s');
    await flushMicrotasks();
    expect(h.out()).toMatch(/: WARNING\]: \[\^Worker\]: Db\.connect has been running for 10s: the app's start or stop waits for it\./);
    await h.worker.stop();
    expect(await status).toBe(0);
    await h.worker.close();
  });
});
