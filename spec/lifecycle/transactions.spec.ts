// Starts, stops and restarts are transactions: a stop at any moment of a start rolls it back, every promise settles.
import { ContainerModule, injectable } from 'inversify';
import { describe, expect, it } from 'vitest';
import { Application, ManualClock, onStart, onStarted, onStop, Service, sleepOn, StartError, StartInterruptedError, task } from '../../lib/index.js';
import { singletons } from '../support/modules.js';
import { failOnUnhandledRejections } from '../support/unhandled.js';

failOnUnhandledRejections();

/** Db <- Web, each logging its hooks; Web's start waits `webStartMs` on the clock (0: synchronous). */
function webApp(log: string[], clock: ManualClock, webStartMs = 0) {
  @injectable()
  class Db {
    @onStart() open() {
      log.push('Db+');
    }
    @onStop() close() {
      log.push('Db-');
    }
  }
  @injectable()
  class Web {
    constructor(readonly db: Db) {}
    @onStart() async listen(signal: AbortSignal) {
      log.push('Web+');
      if (webStartMs > 0) await sleepOn(clock, webStartMs, signal);
      log.push(signal.aborted ? 'Web aborted' : 'Web listening');
    }
    @onStarted() ready() {
      log.push('Web ready');
    }
    @onStop() close() {
      log.push('Web-');
    }
  }
  return new Application(singletons(Web, Db), { clock });
}

describe('stop() during start()', () => {
  it('before the services are even created: rejects the start, creates and starts nothing, ends shutdown', async () => {
    const log: string[] = [];
    const app = webApp(log, new ManualClock());
    const started = app.start();
    await app.stop();
    await expect(started).rejects.toBeInstanceOf(StartInterruptedError);
    expect(log).toEqual([]);
    expect(app.state).toBe('shutdown');
  });

  it('while a container module is still loading: the same', async () => {
    const log: string[] = [];
    let loaded!: () => void;
    const module = new ContainerModule(async () => new Promise<void>((resolve) => (loaded = resolve)));
    const app = new Application(module);
    const started = app.start();
    const stopped = app.stop();
    await new Promise((r) => setImmediate(r));
    loaded();
    await stopped;
    await expect(started).rejects.toBeInstanceOf(StartInterruptedError);
    expect(log).toEqual([]);
    expect(app.state).toBe('shutdown');
  });

  it('while a start hook waits on its signal: aborts it at once, stops what started in reverse, never runs onStarted', async () => {
    const log: string[] = [];
    const clock = new ManualClock();
    const app = webApp(log, clock, 3_600_000);
    const started = app.start();
    await clock.advanceAsync(10);
    expect(log).toEqual(['Db+', 'Web+']);
    // No clock time passes: the stop does not wait for the hour-long hook.
    await app.stop();
    await expect(started).rejects.toBeInstanceOf(StartInterruptedError);
    expect(log).toEqual(['Db+', 'Web+', 'Web aborted', 'Web-', 'Db-']);
    expect(app.state).toBe('shutdown');
    expect(app.services.map((s) => s.state)).toEqual(['shutdown', 'shutdown']);
  });

  it('from inside a start hook, before its first await (Mode: _actually_start third stop): no onStarted, no tasks, rolled back', async () => {
    const log: string[] = [];
    let stopped: Promise<void> | undefined;
    class Svc extends Service {
      override onStart() {
        log.push('onStart');
        stopped = this.stop();
      }
      override onStarted() {
        log.push('onStarted');
      }
      override onStop() {
        log.push('onStop');
      }
      @task() async work() {
        log.push('task');
      }
    }
    const svc = new Svc();
    await expect(svc.start()).rejects.toBeInstanceOf(StartInterruptedError);
    await stopped;
    expect(log).toEqual(['onStart', 'onStop']);
    expect(svc.state).toBe('shutdown');
  });

  it('app.stop() from a decorated class start hook, after an await: the same', async () => {
    const log: string[] = [];
    let stopped: Promise<void> | undefined;
    let app!: Application;
    @injectable()
    class Quitter {
      @onStart() async begin() {
        await Promise.resolve();
        log.push('begin');
        stopped = app.stop();
      }
      @onStarted() started() {
        log.push('started');
      }
      @onStop() end() {
        log.push('end');
      }
    }
    app = new Application(singletons(Quitter));
    await expect(app.start()).rejects.toBeInstanceOf(StartInterruptedError);
    await stopped;
    expect(log).toEqual(['begin', 'end']);
    expect(app.state).toBe('shutdown');
  });

  it('a later start after an interrupted one starts cleanly', async () => {
    const log: string[] = [];
    const clock = new ManualClock();
    const app = webApp(log, clock);
    const first = app.start();
    await app.stop();
    await expect(first).rejects.toBeInstanceOf(StartInterruptedError);
    await app.start();
    expect(app.state).toBe('running');
    await app.stop();
    expect(log).toEqual(['Db+', 'Web+', 'Web listening', 'Web ready', 'Web-', 'Db-']);
  });
});

describe('after a failed start', () => {
  it('the failed service ends shutdown with its crash reason, and every waitUntilStopped() settles', async () => {
    class Child extends Service {
      override onStart() {
        throw new Error('no disk');
      }
    }
    class Root extends Service {
      readonly child = this.addDependency(new Child());
    }
    const root = new Root();
    const waits = [root.waitUntilStopped(), root.child.waitUntilStopped()];
    const error = await root.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartError);
    await Promise.all([...waits, root.waitUntilStopped(), root.child.waitUntilStopped()]);
    // The root never began: it stays init.
    expect([root.state, root.child.state]).toEqual(['init', 'shutdown']);
    expect(root.child.crashReason?.message).toBe('Child.onStart failed: Error: no disk');
  });
});

/** Mode's functional test tree: Complex owns X and Y; Y owns Z; Z adds a runtime X and futures, and has a task. */
function complexTree(clock: ManualClock) {
  const counts = { zTask: 0, zStops: 0, runtimeXStarted: 0, runtimeXStopped: 0 };
  class X extends Service {}
  class RuntimeX extends Service {
    override onStart() {
      counts.runtimeXStarted++;
    }
    override onStop() {
      counts.runtimeXStopped++;
    }
  }
  class Z extends Service {
    wakeups = 0;
    override async onStart() {
      await this.addRuntimeDependency(new RuntimeX());
      this.addFuture((signal) => sleepOn(clock, 1_000_000, signal));
    }
    override onStop() {
      counts.zStops++;
    }
    @task() async tick(signal: AbortSignal) {
      counts.zTask++;
      while (!signal.aborted) if (await sleepOn(clock, 400, signal)) this.wakeups++;
    }
  }
  class Y extends Service {
    readonly z = this.addDependency(new Z());
  }
  class Complex extends Service {
    readonly x = this.addDependency(new X());
    readonly y = this.addDependency(new Y());
  }
  return { root: new Complex(), counts };
}

describe('a Mode-style tree: stop, restart, stop again (Mode: test_start_stop_restart_complex)', () => {
  it('behaves like the first time, any number of times', async () => {
    const clock = new ManualClock();
    const { root, counts } = complexTree(clock);
    await root.start({ clock });
    for (let round = 1; round <= 3; round++) {
      await clock.advanceAsync(600);
      expect(root.y.z.wakeups).toBeGreaterThan(0);
      await clock.runUntil(root.stop());
      expect([root.state, root.x.state, root.y.state, root.y.z.state]).toEqual(['shutdown', 'shutdown', 'shutdown', 'shutdown']);
      expect(root.y.z.runtime.inFlight).toEqual([]);
      expect(counts.zStops).toBe(round);
      expect(counts.runtimeXStopped).toBe(counts.runtimeXStarted);
      const pending = clock.pending;
      await clock.advanceAsync(10_000);
      expect(clock.pending).toBe(pending);
      await root.restart();
      expect(root.state).toBe('running');
      expect(root.restartCount).toBe(round);
      root.y.z.wakeups = 0;
    }
    await clock.runUntil(root.stop());
    expect(counts.zStops).toBe(4);
    expect(counts.zTask).toBe(4);
    expect(counts.runtimeXStopped).toBe(counts.runtimeXStarted);
  });
});

describe('restart() is transactional', () => {
  it('a restart whose start fails stops the owner and its child again, and rejects', async () => {
    let starts = 0;
    class Child extends Service {}
    class Owner extends Service {
      readonly child = this.addDependency(new Child());
      override onStart() {
        if (++starts === 2) throw new Error('second start fails');
      }
    }
    const owner = new Owner();
    await owner.start();
    await expect(owner.restart()).rejects.toBeInstanceOf(StartError);
    expect([owner.state, owner.child.state]).toEqual(['shutdown', 'shutdown']);
    await owner.waitUntilStopped();
    await owner.child.waitUntilStopped();
  });

  it('a child restart whose start fails leaves nothing of the app half-running', async () => {
    let childStarts = 0;
    class Child extends Service {
      override onStart() {
        if (++childStarts === 2) throw new Error('child cannot restart');
      }
    }
    class Owner extends Service {
      readonly child = this.addDependency(new Child());
    }
    const owner = new Owner();
    const app = new Application(owner);
    await app.start();
    await expect(owner.child.restart()).rejects.toBeInstanceOf(StartError);
    await app.waitUntilStopped();
    expect([owner.state, owner.child.state]).toEqual(['shutdown', 'shutdown']);
    expect(app.state).toBe('crashed');
  });
});

describe('a crash in a Mode-style tree (Mode: test_crash_leaf / middle / head)', () => {
  for (const which of ['leaf', 'middle', 'head'] as const) {
    it(`sets the crash reason on every service up and across the tree, and on the app (${which})`, async () => {
      const clock = new ManualClock();
      const { root } = complexTree(clock);
      const app = new Application(root, { clock });
      await app.start();
      const target = which === 'leaf' ? root.y.z : which === 'middle' ? root.y : root;
      const error = new Error('foo');
      target.crash(error);
      await clock.runUntil(app.waitUntilStopped());
      for (const service of [root, root.x, root.y, root.y.z]) expect(service.crashReason).toBe(error);
      expect(app.crashReason).toBe(error);
      expect(app.state).toBe('crashed');
      expect([root.state, root.y.z.state]).toEqual(['shutdown', 'shutdown']);
    });
  }
});

describe("Mode's _actually_start cases (test_services.py), translated", () => {
  /** A Service logging its hooks; `stopIn` names the hook that calls `this.stop()` (not awaited). */
  function logging(log: string[], stopIn?: 'onFirstStart' | 'onStart') {
    class Svc extends Service {
      stopping: Promise<void> | undefined;
      override onFirstStart() {
        log.push('onFirstStart');
        if (stopIn === 'onFirstStart') this.stopping = this.stop();
      }
      override onStart() {
        log.push('onStart');
        if (stopIn === 'onStart') this.stopping = this.stop();
      }
      override onStarted() {
        log.push('onStarted');
      }
      override onStop() {
        log.push('onStop');
      }
      @task() async work() {
        log.push('task');
      }
    }
    return new Svc();
  }

  it('second stop: a stop during onFirstStart means onStart never runs (and no stop hooks are owed)', async () => {
    const log: string[] = [];
    const svc = logging(log, 'onFirstStart');
    await expect(svc.start()).rejects.toBeInstanceOf(StartInterruptedError);
    await svc.stopping;
    expect(log).toEqual(['onFirstStart']);
    expect(svc.state).toBe('shutdown');
  });

  it('third stop: a stop during onStart means no tasks and no onStarted', async () => {
    const log: string[] = [];
    const svc = logging(log, 'onStart');
    await expect(svc.start()).rejects.toBeInstanceOf(StartInterruptedError);
    await svc.stopping;
    expect(log).toEqual(['onFirstStart', 'onStart', 'onStop']);
  });

  it('raises: an onStart that throws fails the start with its error, nothing runs after it', async () => {
    class Raises extends Service {
      override onStart() {
        throw new RangeError('foo');
      }
      override onStarted() {
        throw new Error('never');
      }
    }
    const svc = new Raises();
    const error = await svc.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartError);
    expect((error as StartError).cause).toBeInstanceOf(RangeError);
    expect(svc.state).toBe('shutdown');
  });

  it("fourth stop: a stop while a child starts means the parent's start never runs", async () => {
    const log: string[] = [];
    class Child extends Service {
      override async onStart() {
        log.push('child onStart');
        void root.stop();
        await Promise.resolve();
      }
      override onStop() {
        log.push('child onStop');
      }
    }
    class Root extends Service {
      readonly child = this.addDependency(new Child());
      override onStart() {
        log.push('root onStart');
      }
    }
    const root = new Root();
    await expect(root.start()).rejects.toBeInstanceOf(StartInterruptedError);
    await root.waitUntilStopped();
    expect(log).toEqual(['child onStart', 'child onStop']);
    expect([root.state, root.child.state]).toEqual(['init', 'shutdown']);
  });
});
