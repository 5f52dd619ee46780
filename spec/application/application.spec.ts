// The Application: what it runs, its plan, its validation errors, and its options.
import { Container, ContainerModule, inject, injectable, LazyServiceIdentifier, optional } from 'inversify';
import { describe, expect, it } from 'vitest';
import {
  Application,
  dependsOn,
  ApplicationTargetError,
  CycleError,
  MissingBindingError,
  MissingMetadataError,
  ModuleLoadError,
  onStart,
  onStop,
  PlanError,
  ScopeError,
  Service,
  UnboundServiceError,
  UsageError,
} from '../../lib/index.js';
import { singletons } from '../support/modules.js';

interface Config {
  port: number;
}
@injectable()
class Server {
  constructor(readonly config: Config) {}
}

@injectable()
class Db {
  started = false;
  @onStart() s() {
    this.started = true;
  }
}
@injectable()
class Cache {
  constructor(readonly db: Db) {}
  @onStart() s() {}
}
@injectable()
class Web {
  constructor(
    readonly cache: Cache,
    readonly db: Db,
  ) {}
  @onStart() s() {}
}
@injectable()
class Metrics {
  @onStart() s() {}
}

describe('what an Application runs', () => {
  it('a ContainerModule', async () => {
    const app = new Application(singletons(Db));
    await app.start();
    expect(app.get(Db).started).toBe(true);
    await app.stop();
  });

  it('an array of ContainerModules', async () => {
    const app = new Application([singletons(Db), singletons(Cache)]);
    await app.start();
    expect(app.get(Cache).db).toBe(app.get(Db));
    await app.stop();
  });

  it('a ContainerModule that loads asynchronously', async () => {
    const app = new Application(
      new ContainerModule(async ({ bind }) => {
        await Promise.resolve();
        bind(Db).toSelf().inSingletonScope();
      }),
    );
    await app.start();
    expect(app.get(Db).started).toBe(true);
    await app.stop();
  });

  it('a Container', async () => {
    const container = new Container({ defaultScope: 'Singleton' });
    container.bind(Db).toSelf();
    const app = new Application(container);
    await app.start();
    expect(app.container).toBe(container);
    expect(container.get(Db).started).toBe(true);
    await app.stop();
  });

  it('a Mode-style service, with nothing to get()', async () => {
    class Root extends Service {}
    const app = new Application(new Root());
    await app.start();
    expect(app.services.map((s) => s.label)).toEqual(['Root']);
    expect(() => app.get(Db)).toThrow(UsageError);
    await app.stop();
  });

  it('rejects anything else with a one-line ApplicationTargetError', () => {
    expect(() => new Application(42 as never)).toThrow(/^An Application runs a ContainerModule, an array of them, a Container, or a service object; got a number \(42\)\.$/);
    expect(() => new Application([singletons(Db), 2] as never)).toThrow(/got an array whose item #1 is not a ContainerModule \(a number \(2\)\)\.$/);
    expect(() => new Application(undefined as never)).toThrow(ApplicationTargetError);
  });

  it('names a class given instead of an instance, without pasting its source', () => {
    class AppService extends Service {
      override onStart() {
        this.log.info('a line of source that must not reach the message');
      }
    }
    const error = (() => {
      try {
        new Application(AppService as never);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(ApplicationTargetError);
    expect(error!.message).toBe(
      'An Application runs a ContainerModule, an array of them, a Container, or a service object; got the class AppService. ' +
        'Pass an instance (new Application(new AppService())) or a ContainerModule that binds it.',
    );
  });

  it('get() of an unbound identifier: a short UnboundServiceError naming what is bound and the fix', async () => {
    class Payments {}
    @injectable()
    class Cache {}
    const app = new Application(singletons(Db, Cache));
    await app.start();
    const error = (() => {
      try {
        app.get(Payments);
      } catch (e) {
        return e as UnboundServiceError;
      }
    })();
    expect(error).toBeInstanceOf(UnboundServiceError);
    expect(error!.message).toBe('app.get(Payments): nothing is bound to Payments. Bound services: Db, Cache. Bind it in a ContainerModule, e.g. bind(Payments).toSelf().inSingletonScope().');
    expect(error!.bound).toEqual(['Db', 'Cache']);
    expect(() => app.get('dB')).toThrow(/^app\.get\(dB\): nothing is bound to dB\. Did you mean Db\? Bound services: Db, Cache\. Bind it in a ContainerModule, e\.g\. bind\('dB'\)\.toConstantValue\(…\)\.$/);
    await app.stop();
  });

  it('get() of an identifier bound only under a condition keeps inversify\'s answer (it is bound, not missing)', async () => {
    const app = new Application(
      new ContainerModule(({ bind }) => {
        bind(Db).toSelf().inSingletonScope();
        bind('db').toConstantValue('primary').whenNamed('primary');
      }),
    );
    await app.start();
    let error: unknown;
    try {
      app.get('db');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(UnboundServiceError);
    expect((error as Error).message).not.toMatch(/nothing is bound/);
    await app.stop();
  });

  it('start() twice is an error; start() after stop() starts again', async () => {
    const app = new Application(singletons(Db));
    await app.start();
    await expect(app.start()).rejects.toThrow(/start\(\) called while the application is running/);
    await app.stop();
    app.get(Db).started = false;
    await app.start();
    expect(app.get(Db).started).toBe(true);
    await app.stop();
  });

  it('await using stops it', async () => {
    let stopped = false;
    @injectable()
    class S {
      @onStop() t() {
        stopped = true;
      }
    }
    {
      await using app = new Application(singletons(S));
      await app.start();
    }
    expect(stopped).toBe(true);
  });
});

describe('plan()', () => {
  it('gives waves, the sequential order and the critical path without creating anything', async () => {
    let created = 0;
    @injectable()
    class Counted {
      constructor() {
        created++;
      }
      @onStart() s() {}
    }
    const app = new Application(singletons(Web, Metrics, Cache, Db, Counted));
    const plan = await app.plan();
    expect(created).toBe(0);
    expect(plan.waves).toEqual([['Metrics', 'Db', 'Counted'], ['Cache'], ['Web']]);
    expect(plan.order).toEqual(['Metrics', 'Db', 'Cache', 'Web', 'Counted']);
    expect(plan.criticalPath).toEqual(['Db', 'Cache', 'Web']);
    expect(plan.services.find((s) => s.label === 'Web')).toEqual({
      label: 'Web',
      dependencies: [
        { label: 'Cache', via: 'constructor parameter #0', kind: 'injected', index: 2 },
        { label: 'Db', via: 'constructor parameter #1', kind: 'injected', index: 3 },
      ],
      hooks: ['s (onStart)'],
      kind: 'Instance',
      scope: 'Singleton',
      hasLifecycle: true,
    });
    expect(plan.criticalPathWeight).toBe(3);
    expect(app.state).toBe('init');
  });

  it('plans a Mode-style tree from its owned children', async () => {
    class Leaf extends Service {}
    class Root extends Service {
      leaf = this.addDependency(new Leaf());
      override onStart() {}
    }
    const plan = await new Application(new Root()).plan();
    expect(plan.order).toEqual(['Leaf', 'Root']);
    expect(plan.services[0]!.hooks).toEqual(['onStart']);
  });
});

describe('validation, before anything starts', () => {
  it('reports a missing binding with the chain from the root', async () => {
    const app = new Application(singletons(Web, Cache));
    const error = (await app.start().catch((e: unknown) => e)) as MissingBindingError;
    expect(error).toBeInstanceOf(MissingBindingError);
    expect(error).toBeInstanceOf(PlanError);
    expect(error.chain).toEqual(['Web', 'Db (constructor parameter #1)']);
    expect(error.message).toBe(
      'No binding for Db, needed by Web -> Db (constructor parameter #1). Bind it in a ContainerModule, e.g. bind(Db).toSelf().inSingletonScope(), or mark constructor parameter #1 of Web @optional(). Also missing: Db (constructor parameter #0 of Cache).',
    );
    expect(app.state).toBe('init');
  });

  it('explains a parameter typed with an interface', async () => {
    const error = await new Application(singletons(Server)).plan().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingMetadataError);
    expect((error as Error).message).toContain('Server has constructor parameters the container cannot resolve by type. Either a parameter is typed with an interface or primitive (TypeScript emits it as Object): inject it by token with @inject(TOKEN)');
  });

  it('reports the chain through intermediate services', async () => {
    @injectable()
    class Top {
      constructor(readonly cache: Cache) {}
    }
    const error = (await new Application(singletons(Top, Cache)).plan().catch((e: unknown) => e)) as MissingBindingError;
    expect(error.chain).toEqual(['Top', 'Cache', 'Db (constructor parameter #0)']);
  });

  it('explains a class compiled without decorator metadata (tsx, esbuild)', async () => {
    class NoMetadata {
      constructor(readonly db: Db) {}
    }
    injectable()(NoMetadata);
    const error = await new Application(singletons(NoMetadata)).plan().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingMetadataError);
    expect((error as Error).message).toMatch(/^NoMetadata has constructor parameters the container cannot resolve by type\..*tsx and esbuild drop the metadata/);
  });

  it('reports a module that throws while loading', async () => {
    const broken = new ContainerModule(() => {
      throw new Error('REDIS_URL is not set');
    });
    await expect(new Application(broken).start()).rejects.toThrow(new ModuleLoadError(new Error('REDIS_URL is not set')));
  });

  it('lets optional injections be unbound', async () => {
    @injectable()
    class Server {
      constructor(@inject('config') @optional() readonly config?: unknown) {}
    }
    await expect(new Application(singletons(Server)).plan()).resolves.toMatchObject({ order: ['Server'] });
  });

  it('reports a cycle with the services involved', async () => {
    @injectable()
    class A {
      constructor(@inject(new LazyServiceIdentifier(() => C)) readonly c: unknown) {}
    }
    @injectable()
    class B {
      constructor(readonly a: A) {}
    }
    @injectable()
    class C {
      constructor(readonly b: B) {}
    }
    const error = (await new Application(singletons(A, B, C)).plan().catch((e: unknown) => e)) as CycleError;
    expect(error).toBeInstanceOf(CycleError);
    expect(error.cycle).toEqual(['A', 'C', 'B', 'A']);
    expect(error.message).toMatch(/^Dependency cycle: A -> C -> B -> A\. A needs C through constructor parameter #0; C needs B through constructor parameter #0; B needs A through constructor parameter #0\./);
  });

  describe('the cycle advice offers only fixes that work', () => {
    it('says a LazyServiceIdentifier or property injection does not break a cycle, as inversify refuses both', async () => {
      @injectable()
      class A {
        constructor(@inject(new LazyServiceIdentifier(() => B)) readonly b: unknown) {}
      }
      @injectable()
      class B {
        @inject(A) readonly a!: A;
      }
      const error = (await new Application(singletons(A, B)).plan().catch((e: unknown) => e)) as CycleError;
      expect(error).toBeInstanceOf(CycleError);
      expect(error.links).toEqual(['constructor parameter #0', 'property a']);
      expect(error.message).toContain('(a LazyServiceIdentifier or property injection does not break one)');
      // inversify itself: the same classes cannot be created.
      const container = new Container({ defaultScope: 'Singleton' });
      container.bind(A).toSelf();
      container.bind(B).toSelf();
      expect(() => container.get(A)).toThrow(/Circular dependency found: A -> B -> A/);
    });

    it('suggests a factory, and the factory it suggests runs', async () => {
      @injectable()
      class Ledger {
        constructor(@inject('ReportsFactory') readonly reports: () => Reports) {}
        @onStart() s() {}
      }
      @injectable()
      class Reports {
        constructor(readonly ledger: Ledger) {}
        @onStart() s() {}
      }
      const cyclic = new ContainerModule(({ bind }) => {
        bind(Ledger).toSelf().inSingletonScope();
        bind(Reports).toSelf().inSingletonScope();
      });
      // Without the factory (Ledger needs Reports directly, declared): the advice names the factory binding to write.
      @injectable()
      @dependsOn(Reports)
      class DirectLedger extends Ledger {}
      const error = (await new Application(new ContainerModule(({ bind }) => {
        bind(Ledger).to(DirectLedger).inSingletonScope();
        bind(Reports).toSelf().inSingletonScope();
        bind<() => Reports>('ReportsFactory').toFactory((ctx) => () => ctx.get(Reports));
      })).plan().catch((e: unknown) => e)) as CycleError;
      expect(error.message).toContain("inject a factory instead: bind('ReportsFactory').toFactory((ctx) => () => ctx.get(Reports)) and @inject('ReportsFactory') in Ledger");
      // With it, as advised: the app plans, starts, and the factory gives the running Reports.
      const app = new Application([cyclic, new ContainerModule(({ bind }) => void bind<() => Reports>('ReportsFactory').toFactory((ctx) => () => ctx.get(Reports)))]);
      await app.start();
      expect(app.get(Ledger).reports()).toBe(app.get(Reports));
      expect(app.get(Reports).ledger).toBe(app.get(Ledger));
      await app.stop();
    });
  });

  it('refuses a lifecycle class in transient or request scope, saying how to bind it', async () => {
    const transient = new Application(new ContainerModule(({ bind }) => void bind(Db).toSelf()));
    await expect(transient.start()).rejects.toThrow(new ScopeError('Db', 'Transient'));
    const request = new Application(new ContainerModule(({ bind }) => void bind(Db).toSelf().inRequestScope()));
    await expect(request.plan()).rejects.toThrow(/Db has lifecycle hooks but is bound in Request scope.*bind\(Db\)\.toSelf\(\)\.inSingletonScope\(\)/);
  });

  describe('a value made in code (toDynamicValue, toResolvedValue) in transient or request scope', () => {
    class Client {
      connected = false;
      @onStart() connect() {
        this.connected = true;
      }
    }
    @injectable()
    class Api {
      constructor(@inject('client') readonly client: Client) {}
      @onStart() s() {}
    }

    it('is a ScopeError when it has lifecycle hooks, found as it is made, before anything starts', async () => {
      const started: string[] = [];
      const app = new Application(
        new ContainerModule(({ bind }) => {
          bind(Api).toSelf().inSingletonScope();
          bind('client').toDynamicValue(() => new Client());
        }),
      );
      app.on('service.started', (e) => started.push(e.service.label));
      const error = (await app.start().catch((e: unknown) => e)) as ScopeError;
      expect(error).toBeInstanceOf(ScopeError);
      expect(error.message).toBe(
        'client is bound with toDynamicValue in Transient scope and made a Client, which has lifecycle hooks (connect (onStart)): ' +
          "a new value at every injection is never started, so its hooks would never run. Lifecycle services are singletons: bind('client').toDynamicValue(…).inSingletonScope().",
      );
      expect([error.service, error.scope]).toEqual(['client', 'Transient']);
      expect(started).toEqual([]);
      expect(app.state).not.toBe('running');
    });

    it('is refused in request scope and for toResolvedValue too', async () => {
      const request = new Application(
        new ContainerModule(({ bind }) => {
          bind(Api).toSelf().inSingletonScope();
          bind('client').toDynamicValue(() => new Client()).inRequestScope();
        }),
      );
      await expect(request.start()).rejects.toThrow(/^client is bound with toDynamicValue in Request scope and made a Client/);
      const resolved = new Application(
        new ContainerModule(({ bind }) => {
          bind(Api).toSelf().inSingletonScope();
          bind('client').toResolvedValue(() => new Client());
        }),
      );
      await expect(resolved.start()).rejects.toThrow(/^client is bound with toResolvedValue in Transient scope.*bind\('client'\)\.toResolvedValue\(…\)\.inSingletonScope\(\)\.$/);
    });

    it('is refused when made later by app.get(), too', async () => {
      const app = new Application(
        new ContainerModule(({ bind }) => {
          bind(Db).toSelf().inSingletonScope();
          bind('client').toDynamicValue(() => new Client());
        }),
      );
      await app.start();
      expect(() => app.get('client')).toThrow(ScopeError);
      await app.stop();
    });

    it('lets a transient value without a class be (Object.create(null), a constructor field)', async () => {
      const app = new Application(
        new ContainerModule(({ bind }) => {
          bind(Db).toSelf().inSingletonScope();
          bind('bare').toDynamicValue(() => Object.assign(Object.create(null), { port: 80 }));
          bind('odd').toDynamicValue(() => ({ constructor: 'x' }));
        }),
      );
      await app.start();
      expect(app.get<{ port: number }>('bare').port).toBe(80);
      expect(app.get<{ constructor: string }>('odd').constructor).toBe('x');
      await app.stop();
    });

    it('runs the hooks of the same binding in singleton scope, and lets a transient value without hooks be', async () => {
      const app = new Application(
        new ContainerModule(({ bind }) => {
          bind(Api).toSelf().inSingletonScope();
          bind('client').toDynamicValue(() => new Client()).inSingletonScope();
          bind('config').toDynamicValue(() => ({ port: 80 }));
        }),
      );
      await app.start();
      expect(app.get(Api).client.connected).toBe(true);
      expect(app.get<{ port: number }>('config').port).toBe(80);
      await app.stop();
    });
  });

  it('treats every Service subclass as a lifecycle class, hooks or not', async () => {
    @injectable()
    class Quiet extends Service {}
    await expect(new Application(new ContainerModule(({ bind }) => void bind(Quiet).toSelf())).plan()).rejects.toBeInstanceOf(ScopeError);
  });
});

describe('options', () => {
  it('services: starts only the chosen roots and what they need', async () => {
    const app = new Application(singletons(Web, Metrics, Cache, Db), { services: [Cache] });
    await app.start();
    expect(app.services.map((s) => s.label)).toEqual(['Cache', 'Db']);
    await app.stop();
    const byLabel = new Application(singletons(Web, Metrics, Cache, Db), { services: ['Metrics'] });
    expect((await byLabel.plan()).order).toEqual(['Metrics']);
  });

  it('services: an unknown service is a UsageError listing what is bound', async () => {
    const app = new Application(singletons(Db), { services: ['Nope'] });
    await expect(app.start()).rejects.toThrow(/No service Nope to start: it is not bound\. Bound services: Db\./);
  });

  it('get() before start() says to start first', async () => {
    const app = new Application(singletons(Db));
    expect(() => app.get(Db)).toThrow(/get\(Db\) called before start\(\).*Await app\.start\(\) first/);
    await app.start();
    expect(app.get(Db).started).toBe(true);
    await app.stop();
  });

  it('dependencies: entries for the same service merge, LazyServiceIdentifier included', async () => {
    const order: string[] = [];
    const make = (name: string) => {
      @injectable()
      class Named {
        @onStart() s() {
          order.push(name);
        }
      }
      return Named;
    };
    const [A, B, Report] = [make('A'), make('B'), make('Report')];
    // Bound so that a lost edge to A would let Report start before A.
    const app = new Application(singletons(B, Report, A), {
      dependencies: [
        [Report, [A]],
        [new LazyServiceIdentifier(() => Report) as never, [B]],
      ],
    });
    await app.start();
    expect(order).toEqual(['B', 'A', 'Report']);
    await app.stop();
  });

  it('concurrency must be at least 1', () => {
    expect(() => new Application(singletons(Db), { concurrency: 0 })).toThrow(/concurrency must be 1 or more/);
  });

  it('hookTimeout must be a duration', () => {
    // @ts-expect-error: not a duration, a type error too (this checks the run-time check, for JavaScript and text from outside)
    expect(() => new Application(singletons(Db), { hookTimeout: 'later' })).toThrow(/Invalid hookTimeout "later"/);
  });
});
