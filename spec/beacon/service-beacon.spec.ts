// service.beacon: Mode's Node tree API (root, parent, children, depth, path, walk, traverse) as a view over the engine's graph.
import { ContainerModule, injectable, type Newable } from 'inversify';
import { describe, expect, it } from 'vitest';
import { Application, AppBeacon, type Beacon, beaconOf, onStart, Service, ServiceBeacon } from '../../lib/index.js';
import { failOnUnhandledRejections } from '../support/unhandled.js';

failOnUnhandledRejections();

const labels = (nodes: Iterable<Beacon>) => [...nodes].map((node) => node.label);

// Mode's tutorial, Mode style.
class Websockets extends Service {}
class UserCache extends Service {}
class Webserver extends Service {}
class AppService extends Service {
  readonly websockets = this.addDependency(new Websockets());
  readonly userCache = this.addDependency(new UserCache());
  readonly webserver = this.addDependency(new Webserver());
}

describe('service.beacon in an Application', () => {
  it('has the root, parent, children, depth and path of Mode, the application at the top', async () => {
    const root = new AppService();
    const app = new Application(root);
    app.beacon.label = 'Worker';
    await app.start();
    const web = root.webserver.beacon;
    expect(web).toBeInstanceOf(ServiceBeacon);
    expect(web.root).toBe(app.beacon);
    expect(web.parent).toBe(root.beacon);
    expect(root.beacon.parent).toBe(app.beacon);
    expect(app.beacon.parent).toBeUndefined();
    expect(app.beacon.root).toBe(app.beacon);
    expect([app.beacon.depth, root.beacon.depth, web.depth]).toEqual([0, 1, 2]);
    expect(web.path).toBe('Worker/AppService/Webserver');
    expect(labels(root.beacon.children)).toEqual(['Websockets', 'UserCache', 'Webserver']);
    expect(labels(app.beacon.children)).toEqual(['AppService']);
    expect(web.children).toEqual([]);
    expect(String(web)).toBe('ServiceBeacon: Worker/AppService/Webserver');
    await app.stop();
  });

  it('walk() goes up the parents; traverse() goes down the tree, breadth first', async () => {
    class Leaf extends Service {}
    class Branch extends Service {
      leaf = this.addDependency(new Leaf());
    }
    class Root extends Service {
      a = this.addDependency(new Branch());
      b = this.addDependency(new Websockets());
    }
    const root = new Root();
    const app = new Application(root);
    await app.start();
    expect(labels(root.a.leaf.beacon.walk())).toEqual(['Leaf', 'Branch', 'Root', 'Application']);
    expect(labels(app.beacon.traverse())).toEqual(['Application', 'Root', 'Branch', 'Websockets', 'Leaf']);
    expect(labels(root.a.beacon.traverse())).toEqual(['Branch', 'Leaf']);
    await app.stop();
  });

  it('is the same object every time, and reads states live', async () => {
    const root = new AppService();
    const app = new Application(root);
    expect(root.beacon).toBe(root.beacon);
    expect(root.beacon.state).toBe('init');
    await app.start();
    expect([...app.beacon.traverse()].map((node) => node.state)).toEqual(['running', 'running', 'running', 'running', 'running']);
    expect(root.beacon.data).toBe(root);
    expect(app.beacon.data).toBe(app);
    await app.stop();
    expect(root.webserver.beacon.state).toBe('shutdown');
  });

  it('in a DAG, places a shared dependency once, under the dependent that reaches it first (its owner when it has one)', async () => {
    @injectable()
    class Db extends Service {}
    @injectable()
    class Cache extends Service {
      constructor(readonly db: Db) {
        super();
      }
    }
    @injectable()
    class Api extends Service {
      constructor(
        readonly cache: Cache,
        readonly db: Db,
      ) {
        super();
      }
    }
    @injectable()
    class Jobs {
      constructor(readonly cache: Cache) {}
      @onStart() run() {}
    }
    const app = new Application(
      new ContainerModule(({ bind }) => {
        for (const c of [Api, Jobs, Cache, Db] as Newable[]) bind(c).toSelf().inSingletonScope();
      }),
    );
    await app.start();
    const api = app.get(Api).beacon;
    // Db is depth 2 (Api injects it directly), though Cache needs it too.
    expect(app.get(Db).beacon.depth).toBe(2);
    expect(app.get(Db).beacon.parent).toBe(api);
    expect(labels(api.children)).toEqual(['Cache', 'Db']);
    expect(app.get(Cache).beacon.children).toEqual([]);
    // Cache is reached from Api first (binding order); every service appears once.
    expect(labels(app.beacon.traverse())).toEqual(['Application', 'Api', 'Jobs', 'Cache', 'Db']);
    // The graph under a node still has every edge, not only the tree's.
    expect(app.get(Cache).beacon.snapshot().edges).toEqual([{ from: 'Cache', to: 'Db', kind: 'injected' }]);
    // Plain injectables have a beacon too.
    expect(beaconOf(app.get(Jobs)).path).toBe('Application/Jobs');
    await app.stop();
  });

  it('prefers the owner as parent when another dependent reaches the service as soon', async () => {
    @injectable()
    class Db extends Service {}
    @injectable()
    class Api {
      constructor(readonly db: Db) {}
      @onStart() listen() {}
    }
    let app: Application | undefined;
    @injectable()
    class Pool extends Service {
      override async onStart() {
        await this.addRuntimeDependency(app!.get(Db));
      }
    }
    app = new Application(
      new ContainerModule(({ bind }) => {
        for (const c of [Api, Pool, Db] as Newable[]) bind(c).toSelf().inSingletonScope();
      }),
    );
    await app.start();
    // Api injects Db and comes first, but Pool owns it (addRuntimeDependency).
    expect(app.get(Db).beacon.parent).toBe(app.get(Pool).beacon);
    expect(app.get(Db).beacon.path).toBe('Application/Pool/Db');
    expect(beaconOf(app.get(Api)).children).toEqual([]);
    await app.stop();
  });
});

describe('service.beacon without an Application', () => {
  it('knows what it owns before starting, but not its parent', () => {
    const root = new AppService();
    expect(labels(root.beacon.children)).toEqual(['Websockets', 'UserCache', 'Webserver']);
    expect(root.webserver.beacon.parent).toBeUndefined();
    expect(root.beacon.depth).toBe(1);
    expect(root.beacon.snapshot().nodes.map((n) => `${n.label} ${n.state} ${n.depth}`)).toEqual(['AppService init 1', 'Websockets init 2', 'UserCache init 2', 'Webserver init 2']);
  });

  it('makes the top service the root of a stand-alone tree once started', async () => {
    const root = new AppService();
    await root.start();
    expect(root.webserver.beacon.root).toBe(root.beacon);
    expect(root.beacon.root).toBe(root.beacon);
    expect(root.beacon.parent).toBeUndefined();
    expect(root.webserver.beacon.path).toBe('AppService/Webserver');
    expect(root.beacon.root).not.toBeInstanceOf(AppBeacon);
    expect(root.beacon.snapshot().nodes.map((n) => `${n.label} ${n.state}`)).toEqual(['AppService running', 'Websockets running', 'UserCache running', 'Webserver running']);
    await root.stop();
  });
});
