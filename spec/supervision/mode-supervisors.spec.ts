// Mode's own supervisor test, translated: Y owns X, Z beside it, both under one supervisor; Z crashes.
import { describe, expect, it } from 'vitest';
import {
  CrashingSupervisor,
  ForfeitOneForAllSupervisor,
  ForfeitOneForOneSupervisor,
  ManualClock,
  MaxRestartsExceededError,
  OneForAllSupervisor,
  OneForOneSupervisor,
  RestForOneSupervisor,
  Service,
  ServiceStateError,
  SupervisionPolicyError,
  type SupervisorStrategy,
} from '../../lib/index.js';
import { failOnUnhandledRejections } from '../support/unhandled.js';

failOnUnhandledRejections();

/** A service counting its starts and stops (Mode's StatService). */
class StatService extends Service {
  startedCount = 0;
  stoppedCount = 0;
  override onStart() {
    this.startedCount++;
  }
  override onStop() {
    this.stoppedCount++;
  }
}
class X extends StatService {}
class Y extends StatService {
  readonly x = this.addDependency(new X());
}
class Z extends StatService {}

/** Mode's setup: a supervisor with Y (owning X) and Z, started. */
async function started(Supervisor: new (options?: object) => SupervisorStrategy, clock = new ManualClock()) {
  const supervisor = new Supervisor({ random: () => 0.5 });
  const y = new Y();
  const z = new Z();
  supervisor.add(y);
  supervisor.add(z);
  await supervisor.start({ clock });
  expect([y.supervisor, z.supervisor]).toEqual([supervisor, supervisor]);
  expect([y.startedCount, y.x.startedCount, z.startedCount]).toEqual([1, 1, 1]);
  return { supervisor, y, z, clock };
}

/** Lets the supervisor react to a crash (its first restart comes at once). */
async function settled(clock: ManualClock) {
  await clock.advanceAsync(0);
  await clock.advanceAsync(0);
}

describe("Mode's supervisor test (test_supervisors.py), with the same counts", () => {
  it('OneForOne: Z stopped 1, started 2; Y and X started 1, stopped 0; then stop() stops each once', async () => {
    const { supervisor, y, z, clock } = await started(OneForOneSupervisor);
    z.crash(new Error('KeyError'));
    await settled(clock);
    expect([z.stoppedCount, z.startedCount]).toEqual([1, 2]);
    expect([y.stoppedCount, y.startedCount, y.x.stoppedCount, y.x.startedCount]).toEqual([0, 1, 0, 1]);
    expect(z.state).toBe('running');
    await supervisor.stop();
    expect([z.stoppedCount, y.stoppedCount, y.x.stoppedCount]).toEqual([2, 1, 1]);
  });

  it('ForfeitOneForOne: Z stopped 1, started 1; Y untouched', async () => {
    const { supervisor, y, z, clock } = await started(ForfeitOneForOneSupervisor);
    z.crash(new Error('KeyError'));
    await settled(clock);
    expect([z.stoppedCount, z.startedCount, z.state]).toEqual([1, 1, 'shutdown']);
    expect([y.stoppedCount, y.startedCount, y.state]).toEqual([0, 1, 'running']);
    await supervisor.stop();
    expect([z.stoppedCount, y.stoppedCount, y.x.stoppedCount]).toEqual([1, 1, 1]);
  });

  it('OneForAll: Y, X and Z each stopped 1, started 2, all running afterwards', async () => {
    const { supervisor, y, z, clock } = await started(OneForAllSupervisor);
    z.crash(new Error('KeyError'));
    await settled(clock);
    expect([y.stoppedCount, y.x.stoppedCount, z.stoppedCount]).toEqual([1, 1, 1]);
    expect([y.startedCount, y.x.startedCount, z.startedCount]).toEqual([2, 2, 2]);
    expect([y.state, y.x.state, z.state]).toEqual(['running', 'running', 'running']);
    await supervisor.stop();
    expect([y.stoppedCount, y.x.stoppedCount, z.stoppedCount]).toEqual([2, 2, 2]);
  });

  it('ForfeitOneForAll: Y, X and Z each stopped 1, started 1', async () => {
    const { supervisor, y, z, clock } = await started(ForfeitOneForAllSupervisor);
    z.crash(new Error('KeyError'));
    await settled(clock);
    expect([y.stoppedCount, y.x.stoppedCount, z.stoppedCount]).toEqual([1, 1, 1]);
    expect([y.startedCount, y.x.startedCount, z.startedCount]).toEqual([1, 1, 1]);
    await supervisor.stop();
    expect([y.stoppedCount, y.x.stoppedCount, z.stoppedCount]).toEqual([1, 1, 1]);
  });
});

describe('Mode-style supervisors', () => {
  it('RestForOne restarts the crashed service and those added after it, in their order', async () => {
    const { supervisor, y, z, clock } = await started(RestForOneSupervisor);
    y.crash(new Error('boom'));
    await settled(clock);
    expect([y.startedCount, y.x.startedCount, z.startedCount]).toEqual([2, 2, 2]);
    z.crash(new Error('boom'));
    await settled(clock);
    expect([y.startedCount, z.startedCount]).toEqual([2, 3]);
    await supervisor.stop();
  });

  it('restarts with backoff, then gives up past its budget and crashes, which stops the app', async () => {
    const clock = new ManualClock();
    const supervisor = new OneForOneSupervisor({ maxRestarts: 2, over: '1m', backoff: { min: '1s', jitter: 0 } });
    const z = supervisor.add(new Z()).services[0] as Z;
    await supervisor.start({ clock });
    z.crash(new Error('first'));
    await settled(clock);
    expect(z.startedCount).toBe(2);
    z.crash(new Error('second'));
    await settled(clock);
    expect([z.state, z.startedCount]).toEqual(['restarting', 2]);
    await clock.advanceAsync(999);
    expect(z.startedCount).toBe(2);
    await clock.advanceAsync(1);
    await settled(clock);
    expect(z.startedCount).toBe(3);
    z.crash(new Error('third'));
    await settled(clock);
    await supervisor.waitUntilStopped();
    expect(supervisor.crashReason).toBeInstanceOf(MaxRestartsExceededError);
    expect(supervisor.state).toBe('shutdown');
    expect(z.state).toBe('shutdown');
  });

  it('escalates through a parent supervisor, which restarts the child supervisor and its services', async () => {
    const clock = new ManualClock();
    const parent = new OneForOneSupervisor({ backoff: { jitter: 0 } });
    const child = new OneForOneSupervisor({ maxRestarts: 0 });
    const z = new Z();
    child.add(z);
    parent.add(child);
    await parent.start({ clock });
    z.crash(new Error('boom'));
    await settled(clock);
    await settled(clock);
    expect(child.restartCount).toBe(1);
    expect([child.state, z.state, z.startedCount]).toEqual(['running', 'running', 2]);
    await parent.stop();
  });

  it('CrashingSupervisor lets a crash through: the whole tree stops with the reason', async () => {
    const clock = new ManualClock();
    const supervisor = new CrashingSupervisor();
    const z = new Z();
    supervisor.add(z);
    await supervisor.start({ clock });
    const error = new Error('poison');
    z.crash(error);
    await supervisor.waitUntilStopped();
    expect(supervisor.crashReason).toBe(error);
    expect(z.state).toBe('shutdown');
  });

  it("Mode's replacement puts a new service in the crashed one's place", async () => {
    const clock = new ManualClock();
    const made: Z[] = [];
    const supervisor = new OneForOneSupervisor({
      replacement: (_old, index) => {
        const fresh = new Z();
        made.push(fresh);
        expect(index).toBe(0);
        return fresh;
      },
    });
    const z = new Z();
    supervisor.add(z);
    await supervisor.start({ clock });
    z.crash(new Error('boom'));
    await settled(clock);
    expect(supervisor.services).toEqual(made);
    expect([z.state, made[0]!.state, made[0]!.supervisor]).toEqual(['shutdown', 'running', supervisor]);
    await supervisor.stop();
    expect(made[0]!.stoppedCount).toBe(1);
  });

  it('refuses a service supervised twice, and a policy that can never reach its limit', () => {
    const z = new Z();
    new OneForOneSupervisor().add(z);
    expect(() => new OneForAllSupervisor().add(z)).toThrow(ServiceStateError);
    expect(() => new OneForOneSupervisor({ maxRestarts: 10, over: '5s' })).toThrow(SupervisionPolicyError);
    expect(() => new OneForOneSupervisor({ maxRestarts: 10, over: '5s' })).toThrow(/10 restarts take .* of backoff, more than the 5.00s window/);
  });
});
