// Start and stop along the graph: every kind of dependency edge, ties, concurrency.
import { Container, ContainerModule, inject, injectable, LazyServiceIdentifier, multiInject, type Newable } from 'inversify';
import { describe, expect, it } from 'vitest';
import { Application, dependsOn, ManualClock, onStart, onStop, Service, sleepOn } from '../../lib/index.js';
import { Lifecycle } from '../../lib/lifecycle/lifecycle.js';
import { runtimeOf } from '../../lib/lifecycle/runtime.js';
import { BURST } from '../../lib/lifecycle/scheduler.js';
import { recordEvents, singletons } from '../support/modules.js';

/** A class with hooks that log `Name+` / `Name-`. */
function logged(log: string[], name: string) {
  @injectable()
  class Logged {
    @onStart() s() {
      log.push(`${name}+`);
    }
    @onStop() t() {
      log.push(`${name}-`);
    }
  }
  Object.defineProperty(Logged, 'name', { value: name });
  return Logged;
}

describe('dependency edges', () => {
  it('starts a constructor-injected dependency first and stops it last (binding order does not matter)', async () => {
    const log: string[] = [];
    @injectable()
    class Db {
      @onStart() s() {
        log.push('Db+');
      }
      @onStop() t() {
        log.push('Db-');
      }
    }
    @injectable()
    class Repo {
      constructor(readonly db: Db) {}
      @onStart() s() {
        log.push('Repo+');
      }
      @onStop() t() {
        log.push('Repo-');
      }
    }
    const app = new Application(singletons(Repo, Db));
    await app.start();
    await app.stop();
    expect(log).toEqual(['Db+', 'Repo+', 'Repo-', 'Db-']);
  });

  it('orders property injection the same way', async () => {
    const log: string[] = [];
    const Db = logged(log, 'Db');
    @injectable()
    class Repo {
      @inject(Db) db!: unknown;
      @onStart() s() {
        log.push('Repo+');
      }
      @onStop() t() {
        log.push('Repo-');
      }
    }
    const app = new Application(singletons(Repo, Db));
    await app.start();
    await app.stop();
    expect(log).toEqual(['Db+', 'Repo+', 'Repo-', 'Db-']);
  });

  it('passes ordering through plain injectables without hooks', async () => {
    const log: string[] = [];
    const Db = logged(log, 'Db');
    @injectable()
    class Plain {
      constructor(@inject(Db) readonly db: unknown) {}
    }
    @injectable()
    class Top {
      constructor(readonly plain: Plain) {}
      @onStart() s() {
        log.push('Top+');
      }
      @onStop() t() {
        log.push('Top-');
      }
    }
    // Plain is bound transient: it is a node without a single instance, and ordering still passes through it.
    const app = new Application(
      new ContainerModule(({ bind }) => {
        bind(Top).toSelf().inSingletonScope();
        bind(Plain).toSelf();
        bind(Db).toSelf().inSingletonScope();
      }),
    );
    await app.start();
    await app.stop();
    expect(log).toEqual(['Db+', 'Top+', 'Top-', 'Db-']);
  });

  it('honours @dependsOn for dependencies the container cannot see', async () => {
    const log: string[] = [];
    const Db = logged(log, 'Db');
    @dependsOn(Db)
    @injectable()
    class Reports {
      @onStart() s() {
        log.push('Reports+');
      }
      @onStop() t() {
        log.push('Reports-');
      }
    }
    const app = new Application(singletons(Reports, Db));
    await app.start();
    await app.stop();
    expect(log).toEqual(['Db+', 'Reports+', 'Reports-', 'Db-']);
  });

  it('@dependsOn accepts a LazyServiceIdentifier for classes declared later', async () => {
    const log: string[] = [];
    @dependsOn(new LazyServiceIdentifier(() => Later))
    @injectable()
    class Early {
      @onStart() s() {
        log.push('Early+');
      }
    }
    const Later = logged(log, 'Later');
    const app = new Application(singletons(Early, Later));
    await app.start();
    expect(log).toEqual(['Later+', 'Early+']);
    await app.stop();
  });

  it('honours the dependencies option for toDynamicValue factories', async () => {
    const log: string[] = [];
    const Db = logged(log, 'Db');
    const REPORT = Symbol('report');
    const app = new Application(
      new ContainerModule(({ bind }) => {
        bind(REPORT)
          .toDynamicValue((ctx) => {
            const db = ctx.get(Db);
            const r = new (logged(log, 'Report'))();
            return Object.assign(r, { db });
          })
          .inSingletonScope();
        bind(Db).toSelf().inSingletonScope();
      }),
      { dependencies: [[REPORT, [Db]]] },
    );
    await app.start();
    await app.stop();
    expect(log).toEqual(['Db+', 'Report+', 'Report-', 'Db-']);
  });

  it('follows toService() redirections and multiInject', async () => {
    const log: string[] = [];
    const A = logged(log, 'A');
    const B = logged(log, 'B');
    const PLUGIN = Symbol('plugin');
    @injectable()
    class Host {
      constructor(@multiInject(PLUGIN) readonly plugins: unknown[], @inject('alias') readonly a: unknown) {}
      @onStart() s() {
        log.push('Host+');
      }
    }
    const app = new Application(
      new ContainerModule(({ bind }) => {
        bind(Host).toSelf().inSingletonScope();
        bind('alias').toService(A);
        bind(PLUGIN).toService(B);
        bind(A).toSelf().inSingletonScope();
        bind(B).toSelf().inSingletonScope();
      }),
    );
    await app.start();
    expect(log).toEqual(['A+', 'B+', 'Host+']);
    expect(app.get(Host).a).toBe(app.get(A));
    await app.stop();
  });

  it('treats a Mode-style child added in the constructor as a dependency', async () => {
    const log: string[] = [];
    class Child extends Service {
      override onStart() {
        log.push('Child+');
      }
      override onStop() {
        log.push('Child-');
      }
    }
    @injectable()
    class Parent extends Service {
      readonly child = this.addDependency(new Child());
      override onStart() {
        log.push('Parent+');
      }
      override onStop() {
        log.push('Parent-');
      }
    }
    const app = new Application(singletons(Parent));
    await app.start();
    await app.stop();
    expect(log).toEqual(['Child+', 'Parent+', 'Parent-', 'Child-']);
    expect(app.services.map((s) => s.label)).toEqual(['Parent', 'Child']);
  });

  it('a runtime dependency added while running starts at once and stops after its owner', async () => {
    const log: string[] = [];
    class Lazy extends Service {
      override onStart() {
        log.push('Lazy+');
      }
      override onStop() {
        log.push('Lazy-');
      }
    }
    @injectable()
    class Owner extends Service {
      override onStop() {
        log.push('Owner-');
      }
    }
    const app = new Application(singletons(Owner));
    await app.start();
    const lazy = await app.get(Owner).addRuntimeDependency(new Lazy());
    expect(lazy.state).toBe('running');
    expect(app.services.map((s) => [s.label, s.depth])).toEqual([
      ['Owner', 1],
      ['Lazy', 2],
    ]);
    await app.stop();
    expect(log).toEqual(['Lazy+', 'Owner-', 'Lazy-']);
  });
});

describe('ordering', () => {
  it('breaks ties by binding order, so synchronous hooks start and stop deterministically', async () => {
    const log: string[] = [];
    const classes = ['E', 'B', 'D', 'A', 'C'].map((n) => logged(log, n));
    const app = new Application(singletons(...classes));
    await app.start();
    await app.stop();
    expect(log).toEqual(['E+', 'B+', 'D+', 'A+', 'C+', 'C-', 'A-', 'D-', 'B-', 'E-']);
  });

  it('starts independent branches at the same time: wall time is the critical path, not the sum', async () => {
    const clock = new ManualClock();
    const make = (name: string, ms: number) => {
      @injectable()
      class Timed {
        @onStart() async s() {
          await sleepOn(clock, ms);
        }
        @onStop() async t() {
          await sleepOn(clock, ms);
        }
      }
      Object.defineProperty(Timed, 'name', { value: name });
      return Timed;
    };
    const Slow = make('Slow', 300);
    const Fast = make('Fast', 100);
    @injectable()
    class Top {
      constructor(@inject(Slow) readonly s: unknown, @inject(Fast) readonly f: unknown) {}
      @onStart() async s2() {
        await sleepOn(clock, 50);
      }
    }
    const app = new Application(singletons(Top, Slow, Fast), { clock });
    await clock.runUntil(app.start());
    expect(clock.now()).toBe(350);
    const t = clock.now();
    await clock.runUntil(app.stop());
    expect(clock.now() - t).toBe(300);
  });

  it('starts every ready service in the same turn of the event loop, however many there are', async () => {
    // More independent services than one pass of the scheduler launches (BURST): the rest are
    // launched after a microtask hop, still before any timer or I/O callback could run.
    const count = BURST * 3 + 7;
    let open!: () => void;
    const released = new Promise<void>((resolve) => (open = resolve));
    let entered = 0;
    const make = () => {
      @injectable()
      class Waiting {
        @onStart() async s() {
          entered++;
          await released;
        }
      }
      return Waiting;
    };
    const app = new Application(singletons(...Array.from({ length: count }, make)));
    const starting = app.start();
    let enteredBeforeMacrotask = -1;
    await new Promise<void>((resolve) =>
      setImmediate(() => {
        enteredBeforeMacrotask = entered;
        resolve();
      }),
    );
    expect(enteredBeforeMacrotask).toBe(count);
    open();
    await starting;
    await app.stop();
  });

  it('keeps at most one burst of hooks in flight when they settle at once, so a wide graph stays cheap', async () => {
    const count = BURST * 4;
    let inFlight = 0;
    let most = 0;
    const make = () => {
      @injectable()
      class Quick {
        @onStart() async s() {
          most = Math.max(most, ++inFlight);
          await Promise.resolve();
          inFlight--;
        }
        @onStop() async t() {
          most = Math.max(most, ++inFlight);
          await Promise.resolve();
          inFlight--;
        }
      }
      return Quick;
    };
    const app = new Application(singletons(...Array.from({ length: count }, make)));
    await app.start();
    expect(most).toBeLessThanOrEqual(BURST);
    most = 0;
    await app.stop();
    expect(most).toBeLessThanOrEqual(BURST);
    expect(app.services.every((s) => s.state === 'shutdown')).toBe(true);
  });

  it('keeps one burst in flight when each settle readies more (a 4-ary tree stopping from its root)', async () => {
    const count = BURST * 8;
    let inFlight = 0;
    let most = 0;
    const hook = async () => {
      most = Math.max(most, ++inFlight);
      await Promise.resolve();
      inFlight--;
    };
    const classes = Array.from({ length: count }, () => {
      @injectable()
      class Node {
        @onStart() s() {
          return hook();
        }
        @onStop() t() {
          return hook();
        }
      }
      return Node;
    });
    // Node i needs its four children 4i+1…4i+4: stopping the root frees four, each of those four more.
    const dependencies = classes.map((c, i) => [c, [1, 2, 3, 4].map((k) => classes[4 * i + k]).filter((d) => d !== undefined)] as const);
    const app = new Application(singletons(...classes), { dependencies });
    await app.start();
    most = 0;
    await app.stop();
    // Before, a settle launched what it freed at once, behind every reaction already queued: the
    // whole frontier (three quarters of the tree) was in flight.
    expect(most).toBeLessThanOrEqual(BURST + 4);
    expect(app.services.every((s) => s.state === 'shutdown')).toBe(true);
  });

  it('with concurrency: 1 runs hooks one at a time (the sum)', async () => {
    const clock = new ManualClock();
    const make = (ms: number) => {
      @injectable()
      class Timed {
        @onStart() async s() {
          await sleepOn(clock, ms);
        }
      }
      return Timed;
    };
    const app = new Application(singletons(make(300), make(100), make(50)), { clock, concurrency: 1 });
    await clock.runUntil(app.start());
    expect(clock.now()).toBe(450);
    await app.stop();
  });

  it('starts a service as soon as its own dependencies run, not when a whole level is done', async () => {
    const clock = new ManualClock();
    const starts: Record<string, number> = {};
    const make = (name: string, ms: number, deps: Newable[] = []) => {
      @injectable()
      class Timed {
        @onStart() async s() {
          starts[name] = clock.now();
          await sleepOn(clock, ms);
        }
      }
      Object.defineProperty(Timed, 'name', { value: name });
      deps.forEach((d, k) => inject(d)(Timed.prototype, `d${k}`));
      return Timed;
    };
    const SlowRoot = make('SlowRoot', 500);
    const FastRoot = make('FastRoot', 10);
    const AfterFast = make('AfterFast', 10, [FastRoot]);
    const app = new Application(singletons(SlowRoot, FastRoot, AfterFast), { clock });
    await clock.runUntil(app.start());
    // A level-by-level (NestJS-style) scheduler would start AfterFast at 500.
    expect(starts).toEqual({ SlowRoot: 0, FastRoot: 0, AfterFast: 10 });
  });

  it('emits starting/started and stopping/stopped per service in order', async () => {
    const Db = logged([], 'Db');
    @injectable()
    class Web {
      constructor(@inject(Db) readonly db: unknown) {}
    }
    const app = new Application(singletons(Web, Db));
    const events = recordEvents(app, ['service.starting', 'service.started', 'service.stopping', 'service.stopped']);
    await app.start();
    await app.stop();
    expect(events).toEqual([
      'service.starting:Db',
      'service.started:Db',
      'service.starting:Web',
      'service.started:Web',
      'service.stopping:Web',
      'service.stopped:Web',
      'service.stopping:Db',
      'service.stopped:Db',
    ]);
  });

  it('computes depths from the roots: 1 for what nothing needs, one more per edge', async () => {
    const Db = logged([], 'Db');
    @injectable()
    class Cache {
      constructor(@inject(Db) readonly db: unknown) {}
    }
    @injectable()
    class Web {
      constructor(readonly cache: Cache, @inject(Db) readonly db: unknown) {}
    }
    const c = new Container();
    c.bind(Web).toSelf().inSingletonScope();
    c.bind(Cache).toSelf().inSingletonScope();
    c.bind(Db).toSelf().inSingletonScope();
    const app = new Application(c);
    await app.start();
    expect(Object.fromEntries(app.services.map((s) => [s.label, s.depth]))).toEqual({ Web: 1, Cache: 2, Db: 2 });
    await app.stop();
  });
});

describe('stop order', () => {
  it('stops independent services in reverse of the order their starts began', async () => {
    const log: string[] = [];
    const engine = new Lifecycle();
    const runtimes = [0, 1, 2, 3, 4].map((i) => runtimeOf(new (logged(log, `S${i}`))()));
    runtimes.forEach((r) => engine.adopt(r));
    // Start them one by one in a shuffled order: the stop is its mirror.
    for (const i of [3, 1, 4, 0, 2]) await engine.startNode(runtimes[i]!);
    log.length = 0;
    await engine.stopAll();
    expect(log.map((entry) => entry.slice(0, -1))).toEqual(['S2', 'S0', 'S4', 'S1', 'S3']);
  });

  it('after a restart of one service, stops it first among the independent ones', async () => {
    const log: string[] = [];
    const engine = new Lifecycle();
    const runtimes = [0, 1, 2].map((i) => runtimeOf(new (logged(log, `S${i}`))()));
    runtimes.forEach((r) => engine.adopt(r));
    await engine.startAll();
    await engine.restartNode(runtimes[0]!);
    log.length = 0;
    await engine.stopAll();
    expect(log.map((entry) => entry.slice(0, -1))).toEqual(['S0', 'S2', 'S1']);
  });
});
