// app.beacon: the live graph of a DI app, a Mode-style tree and a mixed app; states as the app starts, crashes and stops; the planned graph.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerModule, inject, injectable } from 'inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Application,
  asGraph,
  type BeaconSnapshot,
  CycleError,
  dependsOn,
  onStart,
  renderGraph,
  Service,
  toDot,
  toJSON,
  toMermaid,
} from '../../lib/index.js';
import { failOnUnhandledRejections } from '../support/unhandled.js';
import { svgTexts } from './fixtures.js';

failOnUnhandledRejections();

/** Edges as `from -kind-> to`, sorted, for readable comparisons. */
function edgesOf(snapshot: BeaconSnapshot): string[] {
  return snapshot.edges.map((e) => `${e.from} -${e.kind}-> ${e.to}`).sort();
}

/** `label state depth kind` per node, in snapshot order. */
function nodesOf(snapshot: BeaconSnapshot): string[] {
  return snapshot.nodes.map((n) => `${n.label} ${n.state} ${n.depth} ${n.kind}`);
}

// The tutorial's shape, plus a plain injectable and a declared edge.
@injectable()
class Config {}
@injectable()
class Metrics {
  @onStart() open() {}
}
@injectable()
class Websockets extends Service {}
@injectable()
class UserCache extends Service {}
@dependsOn(Metrics)
@injectable()
class Webserver extends Service {
  constructor(readonly config: Config) {
    super();
  }
}
@injectable()
class AppService extends Service {
  constructor(
    readonly websockets: Websockets,
    readonly userCache: UserCache,
    readonly webserver: Webserver,
  ) {
    super();
  }
}
const tutorial = () =>
  new ContainerModule(({ bind }) => {
    for (const c of [AppService, Websockets, UserCache, Webserver, Config, Metrics]) bind(c).toSelf().inSingletonScope();
  });

describe('app.beacon: graph shape', () => {
  it('draws a DI app: the root, a node per binding with its kind and depth, an edge per dependency with how it arose', async () => {
    const app = new Application(tutorial());
    await app.start();
    const snapshot = app.beacon.snapshot();
    expect(nodesOf(snapshot)).toEqual([
      'Application running 0 worker',
      'AppService running 1 service',
      'Websockets running 2 service',
      'UserCache running 2 service',
      'Webserver running 2 service',
      'Config running 3 injectable',
      'Metrics running 3 service',
    ]);
    expect(edgesOf(snapshot)).toEqual([
      'AppService -injected-> UserCache',
      'AppService -injected-> Webserver',
      'AppService -injected-> Websockets',
      'Application -owned-> AppService',
      'Webserver -declared-> Metrics',
      'Webserver -injected-> Config',
    ]);
    expect(snapshot.nodes.find((n) => n.label === 'Webserver')!.startDurationMs).toBeGreaterThanOrEqual(0);
    await app.stop();
  });

  it('draws a Mode-style tree: owned children and a runtime dependency', async () => {
    class Leaf extends Service {}
    class Lazy extends Service {}
    class Branch extends Service {
      leaf = this.addDependency(new Leaf());
    }
    class Root extends Service {
      branch = this.addDependency(new Branch());
      lazy = new Lazy();
      override async onStart() {
        await this.addRuntimeDependency(this.lazy);
      }
    }
    const app = new Application(new Root());
    app.beacon.label = 'Worker';
    await app.start();
    const snapshot = app.beacon.snapshot();
    expect(nodesOf(snapshot)).toEqual(['Worker running 0 worker', 'Root running 1 service', 'Branch running 2 service', 'Leaf running 3 service', 'Lazy running 2 service']);
    expect(edgesOf(snapshot)).toEqual(['Branch -owned-> Leaf', 'Root -owned-> Branch', 'Root -runtime-> Lazy', 'Worker -owned-> Root']);
    await app.stop();
  });

  it('draws a mixed app: injected services that own Mode-style children', async () => {
    class Connection extends Service {}
    @injectable()
    class Pool extends Service {
      readonly connections = [this.addDependency(new Connection()), this.addDependency(new Connection())];
    }
    @injectable()
    class Api {
      constructor(readonly pool: Pool) {}
      @onStart() listen() {}
    }
    const app = new Application(
      new ContainerModule(({ bind }) => {
        bind(Api).toSelf().inSingletonScope();
        bind(Pool).toSelf().inSingletonScope();
      }),
    );
    await app.start();
    const snapshot = app.beacon.snapshot({ root: false });
    // Two services share a label: ids tell them apart, labels stay as they are.
    expect(snapshot.nodes.map((n) => [n.id, n.label, n.depth])).toEqual([
      ['Api', 'Api', 1],
      ['Pool', 'Pool', 2],
      ['Connection#1', 'Connection', 3],
      ['Connection#2', 'Connection', 3],
    ]);
    expect(edgesOf(snapshot)).toEqual(['Api -injected-> Pool', 'Pool -owned-> Connection#1', 'Pool -owned-> Connection#2']);
    await app.stop();
  });
});

describe('app.beacon: kinds', () => {
  it('draws a service that says it is a supervisor (beaconKind) as one; an unknown word is ignored', async () => {
    class Worker1 extends Service {}
    class Watcher extends Service {
      readonly beaconKind = 'supervisor' as const;
      w = this.addDependency(new Worker1());
    }
    class Odd extends Service {
      readonly beaconKind = 'gremlin';
    }
    class Root extends Service {
      watcher = this.addDependency(new Watcher());
      odd = this.addDependency(new Odd());
    }
    const app = new Application(new Root());
    await app.start();
    expect(nodesOf(app.beacon.snapshot({ root: false }))).toEqual(['Root running 1 service', 'Watcher running 2 supervisor', 'Worker1 running 3 service', 'Odd running 2 service']);
    await app.stop();
  });
});

describe('app.beacon: states', () => {
  it('follows the app as it starts, crashes and stops', async () => {
    @injectable()
    class Db extends Service {}
    @injectable()
    class Web extends Service {
      constructor(readonly db: Db) {
        super();
      }
    }
    const app = new Application(
      new ContainerModule(({ bind }) => {
        bind(Web).toSelf().inSingletonScope();
        bind(Db).toSelf().inSingletonScope();
      }),
    );
    const states = (s = app.beacon.snapshot()) => Object.fromEntries(s.nodes.map((n) => [n.label, n.state]));
    // Before start(): nothing is built, the root alone.
    expect(states()).toEqual({ Application: 'init' });
    const seen: Array<Record<string, string>> = [];
    app.on('service.starting', () => seen.push(states()));
    app.on('service.crashed', () => seen.push(states()));
    app.on('service.stopping', () => seen.push(states()));
    await app.start();
    expect(seen).toEqual([
      { Application: 'starting', Web: 'init', Db: 'starting' },
      { Application: 'starting', Web: 'starting', Db: 'running' },
    ]);
    expect(states()).toEqual({ Application: 'running', Web: 'running', Db: 'running' });

    seen.length = 0;
    app.get(Db).crash(new Error('connection lost'));
    await app.waitUntilStopped();
    expect(seen[0]).toEqual({ Application: 'running', Web: 'running', Db: 'crashed' });
    expect(seen.slice(1)).toEqual([
      { Application: 'stopping', Web: 'stopping', Db: 'crashed' },
      { Application: 'stopping', Web: 'shutdown', Db: 'stopping' },
    ]);
    const after = app.beacon.snapshot();
    expect(states(after)).toEqual({ Application: 'crashed', Web: 'shutdown', Db: 'shutdown' });
    expect(after.nodes.find((n) => n.label === 'Db')!.crashReason).toBe('connection lost');
  });

  it('counts restarts', async () => {
    class Child extends Service {}
    class Root extends Service {
      child = this.addDependency(new Child());
    }
    const root = new Root();
    const app = new Application(root);
    await app.start();
    await root.child.restart();
    expect(app.beacon.snapshot().nodes.map((n) => [n.label, n.restartCount, n.state])).toEqual([
      ['Application', 0, 'running'],
      ['Root', 0, 'running'],
      ['Child', 1, 'running'],
    ]);
    await app.stop();
  });
});

describe('app.beacon.planned()', () => {
  it('gives the graph start() would build, without creating anything, with the live ids and edges', async () => {
    let created = 0;
    @injectable()
    class Counted {
      constructor() {
        created++;
      }
    }
    @injectable()
    class Top extends Service {
      constructor(readonly counted: Counted) {
        super();
      }
    }
    const app = new Application(
      new ContainerModule(({ bind }) => {
        bind(Top).toSelf().inSingletonScope();
        bind(Counted).toSelf().inSingletonScope();
      }),
    );
    const planned = await app.beacon.planned();
    expect(created).toBe(0);
    expect(nodesOf(planned)).toEqual(['Application planned 0 worker', 'Top planned 1 service', 'Counted planned 2 injectable']);
    await app.start();
    const live = app.beacon.snapshot();
    expect(planned.nodes.map((n) => n.id)).toEqual(live.nodes.map((n) => n.id));
    expect(edgesOf(planned)).toEqual(edgesOf(live));
    await app.stop();
  });

  it('plans a Mode-style tree from its owned children', async () => {
    class Leaf extends Service {}
    class Root extends Service {
      leaf = this.addDependency(new Leaf());
    }
    const planned = await new Application(new Root()).beacon.planned({ root: false });
    expect(nodesOf(planned)).toEqual(['Root planned 1 service', 'Leaf planned 2 service']);
    expect(edgesOf(planned)).toEqual(['Root -owned-> Leaf']);
  });

  it('rejects with the plan error', async () => {
    @injectable()
    class A {
      constructor(@inject('b') readonly b: unknown) {}
    }
    @injectable()
    class B {
      constructor(readonly a: A) {}
    }
    const app = new Application(
      new ContainerModule(({ bind }) => {
        bind(A).toSelf().inSingletonScope();
        bind('b').to(B).inSingletonScope();
      }),
    );
    await expect(app.beacon.planned()).rejects.toBeInstanceOf(CycleError);
  });
});

describe('app.beacon exports', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mode-di-app-beacon-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('asGraph, toDot, toMermaid and toJSON draw the current snapshot; JSON.stringify uses toJSON', async () => {
    const app = new Application(tutorial());
    await app.start();
    const snapshot = app.beacon.snapshot();
    expect(app.beacon.toDot()).toBe(toDot(snapshot));
    expect(app.beacon.toMermaid()).toBe(toMermaid(snapshot));
    expect(app.beacon.toJSON()).toEqual(toJSON(snapshot));
    expect(JSON.parse(JSON.stringify(app.beacon))).toEqual(toJSON(snapshot));
    expect(app.beacon.asGraph().nodes.map((n) => n.id)).toEqual(asGraph(snapshot).nodes.map((n) => n.id));
    await app.stop();
    expect(app.beacon.toJSON().nodes.map((n) => n.state)).toEqual(['shutdown', 'shutdown', 'shutdown', 'shutdown', 'shutdown', 'shutdown', 'shutdown']);
  });

  it('renderGraph(app.beacon, file) draws it with the states of the moment', async () => {
    const app = new Application(tutorial());
    await app.start();
    const file = await renderGraph(app.beacon, join(dir, 'image.svg'));
    const svg = await readFile(file, 'utf8');
    expect(svgTexts(svg)).toEqual(['Application', 'AppService', 'Websockets', 'UserCache', 'Webserver', 'Config', 'Metrics']);
    await app.stop();
  });
});
