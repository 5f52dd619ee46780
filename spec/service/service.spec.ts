// Mode's Service API: a tree without a container, runtime dependencies, futures, waiting.
import { describe, expect, it } from 'vitest';
import {
  cachedProperty,
  CycleError,
  ManualClock,
  Service,
  ServiceStateError,
  ServiceStoppingError,
  StartError,
  StopError,
  WaitTimeoutError,
  type LifecycleEvent,
} from '../../lib/index.js';

function tree(log: string[]) {
  class Leaf extends Service {
    constructor(private readonly name: string) {
      super();
    }
    override get label() {
      return this.name;
    }
    override onStart() {
      log.push(`${this.name}+`);
    }
    override onStop() {
      log.push(`${this.name}-`);
    }
  }
  class Root extends Service {
    readonly a = this.addDependency(new Leaf('A'));
    readonly b = this.addDependency(new Leaf('B'));
    override onStart() {
      log.push('Root+');
    }
    override onStop() {
      log.push('Root-');
    }
  }
  return { Leaf, Root };
}

describe('a Mode-style tree without a container', () => {
  it('starts dependencies first and stops them after, on its own', async () => {
    const log: string[] = [];
    const root = new (tree(log).Root)();
    await root.start();
    expect([root.a.state, root.b.state]).toEqual(['running', 'running']);
    await root.stop();
    expect(log).toEqual(['A+', 'B+', 'Root+', 'Root-', 'B-', 'A-']);
    expect([root.state, root.a.state, root.b.state]).toEqual(['shutdown', 'shutdown', 'shutdown']);
  });

  it('uses the label getter in errors and events', async () => {
    class Named extends Service {
      override get label() {
        return 'custom-name';
      }
      override onStart() {
        throw new Error('x');
      }
    }
    await expect(new Named().start()).rejects.toThrow('custom-name.onStart failed: Error: x');
  });

  it('start() twice is an error naming the service and the fix', async () => {
    const s = new (tree([]).Root)();
    await s.start();
    await expect(s.start()).rejects.toThrow(ServiceStateError);
    await expect(s.start()).rejects.toThrow(/start\(\) called on Root while it is running\. .*maybeStart\(\)/);
    await s.stop();
  });

  it('maybeStart() starts only when needed', async () => {
    const s = new (tree([]).Root)();
    expect(await s.maybeStart()).toBe(true);
    expect(await s.maybeStart()).toBe(false);
    await s.stop();
  });

  it('stop() on a service that never started does nothing', async () => {
    const log: string[] = [];
    await new (tree(log).Root)().stop();
    expect(log).toEqual([]);
  });

  it('a failing child fails the root start, and what started is stopped again', async () => {
    const log: string[] = [];
    const { Leaf, Root } = tree(log);
    class BadLeaf extends Leaf {
      override onStart() {
        throw new Error('no');
      }
    }
    class R extends Root {
      readonly bad = this.addDependency(new BadLeaf('Bad'));
    }
    const r = new R();
    await expect(r.start()).rejects.toBeInstanceOf(StartError);
    expect(log).toEqual(['A+', 'B+', 'B-', 'A-']);
    expect(r.state).toBe('init');
  });

  it('addDependency while running is an error pointing to addRuntimeDependency', async () => {
    const { Leaf, Root } = tree([]);
    const r = new Root();
    await r.start();
    expect(() => r.addDependency(new Leaf('late'))).toThrow(/use addRuntimeDependency\(\)/);
    await r.stop();
  });

  it('addRuntimeDependency on a stopped service is an error', async () => {
    const { Leaf, Root } = tree([]);
    const r = new Root();
    await r.start();
    await r.stop();
    await expect(r.addRuntimeDependency(new Leaf('late'))).rejects.toThrow(/addRuntimeDependency\(late\) called on Root while it is shutdown/);
  });

  it('a runtime dependency that would close a cycle is refused', async () => {
    const { Root } = tree([]);
    const r = new Root();
    await r.start();
    await expect(r.a.addRuntimeDependency(r)).rejects.toBeInstanceOf(CycleError);
    await r.stop();
  });

  it('removeDependency forgets a child: it no longer starts with the parent', async () => {
    const log: string[] = [];
    const r = new (tree(log).Root)();
    await r.removeDependency(r.b);
    await r.start();
    await r.stop();
    expect(log).toEqual(['A+', 'Root+', 'Root-', 'A-']);
  });

  it("removeDependency on a running service stops the child and forgets it (Mode's test_remove_dependency)", async () => {
    const log: string[] = [];
    const r = new (tree(log).Root)();
    await r.start();
    log.length = 0;
    expect(await r.removeDependency(r.b)).toBe(r.b);
    expect(r.b.state).toBe('shutdown');
    expect(log).toEqual(['B-']);
    expect(r.beacon.children.map((c) => c.label)).not.toContain('B');
    await r.stop();
    expect(log).toEqual(['B-', 'Root-', 'A-']);
  });

  it('restart() restarts the service with the children it owns', async () => {
    const log: string[] = [];
    const r = new (tree(log).Root)();
    await r.start();
    log.length = 0;
    await r.restart();
    expect(log).toEqual(['Root-', 'B-', 'A-', 'A+', 'B+', 'Root+']);
    expect(r.a.restartCount).toBe(1);
    await r.stop();
  });

  it('stop() of a child owned by a running parent stops just that child', async () => {
    const log: string[] = [];
    const r = new (tree(log).Root)();
    await r.start();
    log.length = 0;
    await r.a.stop();
    expect(log).toEqual(['A-']);
    expect(r.state).toBe('running');
    await r.stop();
  });

  it('await using stops the service at the end of the block', async () => {
    const log: string[] = [];
    {
      await using r = new (tree(log).Root)();
      await r.start();
    }
    expect(log.at(-1)).toBe('A-');
  });

  it('stop() rejects with a StopError listing failures, after stopping everything', async () => {
    const log: string[] = [];
    const { Leaf, Root } = tree(log);
    class Sticky extends Leaf {
      override onStop() {
        log.push('Sticky-');
        throw new Error('stuck');
      }
    }
    class R extends Root {
      readonly s = this.addDependency(new Sticky('S'));
    }
    const r = new R();
    await r.start();
    const error = (await r.stop().catch((e: unknown) => e)) as StopError;
    expect(error).toBeInstanceOf(StopError);
    expect(error.errors.map((e) => e.message)).toEqual(['S.onStop failed: Error: stuck']);
    expect(log.slice(-4)).toEqual(['Root-', 'Sticky-', 'B-', 'A-']);
  });
});

describe('cachedProperty', () => {
  it('computes once per instance', () => {
    let n = 0;
    class C {
      @cachedProperty get value() {
        return ++n;
      }
    }
    const a = new C();
    const b = new C();
    expect([a.value, a.value, b.value, b.value]).toEqual([1, 1, 2, 2]);
  });

  it('rejects a non-getter', () => {
    expect(() => {
      class C {
        @cachedProperty method() {}
      }
      return C;
    }).toThrow(/@cachedProperty must decorate a getter, but C\.method is not one/);
  });

  it('is how Mode builds a child started at runtime (the seed example)', async () => {
    const log: string[] = [];
    class PageViewCache extends Service {
      override onStart() {
        log.push('PageViewCache+');
      }
    }
    class App extends Service {
      @cachedProperty get pageViewCache() {
        return new PageViewCache();
      }
      override async onStart() {
        log.push('App+');
        await this.addRuntimeDependency(this.pageViewCache);
      }
    }
    const app = new App();
    await app.start();
    expect(app.pageViewCache.state).toBe('running');
    expect(log).toEqual(['App+', 'PageViewCache+']);
    await app.stop();
    expect(app.pageViewCache.state).toBe('shutdown');
  });
});

describe('background work and waiting', () => {
  it('addFuture work is aborted and awaited at stop', async () => {
    const clock = new ManualClock();
    let finished = false;
    class Pump extends Service {
      override onStart() {
        this.addFuture(async (signal) => {
          while (!signal.aborted) await this.sleep('1s');
          finished = true;
        });
      }
    }
    const p = new Pump();
    await p.start({ clock });
    await clock.advanceAsync(5_000);
    expect(finished).toBe(false);
    await p.stop();
    expect(finished).toBe(true);
  });

  it('sleep() wakes early, without error, when the service stops', async () => {
    const clock = new ManualClock();
    let slept: 'done' | undefined;
    class Sleeper extends Service {
      override onStart() {
        this.addFuture(this.sleep('1h').then(() => (slept = 'done')));
      }
    }
    const s = new Sleeper();
    await s.start({ clock });
    await s.stop();
    expect(slept).toBe('done');
    expect(clock.now()).toBe(0);
  });

  it('wait() resolves with the value, rejects on timeout, and rejects with the stop reason when stopping', async () => {
    const clock = new ManualClock();
    const s = new (class W extends Service {})();
    await s.start({ clock });
    await expect(s.wait(Promise.resolve(42))).resolves.toBe(42);
    const timedOut = s.wait(new Promise(() => {}), { timeout: '2s' });
    const timedOutResult = timedOut.catch((e: unknown) => e);
    await clock.advanceAsync(2_000);
    expect(await timedOutResult).toBeInstanceOf(WaitTimeoutError);
    const pending = s.wait(new Promise(() => {})).catch((e: unknown) => e);
    await s.stop();
    expect(await pending).toBeInstanceOf(ServiceStoppingError);
  });

  it('waitFirst() resolves with the first to settle, also for signals', async () => {
    const s = new (class W extends Service {})();
    await s.start();
    const controller = new AbortController();
    const first = s.waitFirst(new Promise(() => {}), controller.signal);
    controller.abort('go');
    await expect(first).resolves.toEqual({ index: 1, value: 'go' });
    await expect(s.waitFirst(Promise.resolve('a'), new Promise(() => {}))).resolves.toEqual({ index: 0, value: 'a' });
    await s.stop();
  });

  it('waitUntilStopped() resolves once the service has stopped', async () => {
    const s = new (class W extends Service {})();
    await s.start();
    let stopped = false;
    const waiting = s.waitUntilStopped().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    await s.stop();
    await waiting;
    expect(stopped).toBe(true);
  });
});

describe('log', () => {
  it('emits service.log events with util.format formatting', async () => {
    class Talker extends Service {
      override onStart() {
        this.log.info('Serving on port %d', 8000);
        this.log.warn('careful');
        this.log.exception(new Error('bad'), 'Request %s failed', 'GET /');
      }
    }
    const { Application } = await import('../../lib/index.js');
    const app = new Application(new Talker());
    const lines: string[] = [];
    app.on('service.log', (e: Extract<LifecycleEvent, { type: 'service.log' }>) => lines.push(`${e.level} ${e.service.label}: ${e.message}${e.error ? ` (${e.error.message})` : ''}`));
    await app.start();
    await app.stop();
    expect(lines).toEqual(['info Talker: Serving on port 8000', 'warning Talker: careful', 'error Talker: Request GET / failed (bad)']);
  });
});
