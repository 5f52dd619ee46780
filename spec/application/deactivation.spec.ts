// inversify's conventions: @preDestroy and a binding's onDeactivation at stop, in graph order, once per run (with and without the dispose plugin); @postConstruct at creation.
import { Container, injectable, postConstruct, preDestroy } from 'inversify';
import { describe, expect, it } from 'vitest';
import { Application } from '../../lib/application/application.js';
import { onStart, onStop } from '../../lib/service/decorators.js';
import { withDisposePlugin } from '../support/dispose-plugin.js';

/** Builds a three-service chain (Api -> Cache -> Db) recording every call, in a container of its own. */
function chain(options: { plugin?: boolean; failOpen?: boolean; failDisconnect?: boolean } = {}) {
  const calls: string[] = [];

  @injectable()
  class Db {
    @onStart() open() {
      if (options.failOpen) throw new Error('no database');
      calls.push('Db.onStart');
    }
    @onStop() close() {
      calls.push('Db.onStop');
    }
    @preDestroy() release() {
      calls.push('Db.preDestroy');
    }
  }

  @injectable()
  class Cache {
    constructor(readonly db: Db) {}
    @preDestroy() async flush() {
      await Promise.resolve();
      calls.push('Cache.flush');
    }
    @preDestroy() disconnect() {
      if (options.failDisconnect) throw new Error('socket already closed');
      calls.push('Cache.disconnect');
    }
  }

  @injectable()
  class Api {
    constructor(readonly cache: Cache) {}
    @onStop() drain() {
      calls.push('Api.onStop');
    }
    @preDestroy() release() {
      calls.push('Api.preDestroy');
    }
  }

  const container = options.plugin ? withDisposePlugin(new Container()) : new Container();
  container.bind(Api).toSelf().inSingletonScope();
  container.bind(Cache).toSelf().inSingletonScope().onDeactivation(() => {
    calls.push('Cache.onDeactivation');
  });
  container.bind(Db).toSelf().inSingletonScope();
  return { calls, container: container as Container & Partial<AsyncDisposable>, app: new Application(container), Api, Cache, Db };
}

const ONE_STOP = ['Api.onStop', 'Api.preDestroy', 'Cache.flush', 'Cache.disconnect', 'Cache.onDeactivation', 'Db.onStop', 'Db.preDestroy'];

describe("inversify's @preDestroy and onDeactivation", () => {
  it('runs them at stop in graph order: after every dependent stopped, before the dependency stops', async () => {
    const { calls, app } = chain();
    await app.start();
    expect(calls).toEqual(['Db.onStart']);
    calls.length = 0;
    await app.stop();
    // Per service: its stop hooks, then its @preDestroy methods (declaration order), then its binding's onDeactivation.
    expect(calls).toEqual(ONE_STOP);
  });

  it('reports them as hooks of the stop (events), and a failing one as a stop error naming it', async () => {
    const { app, calls } = chain({ failDisconnect: true });
    const hooks: string[] = [];
    app.on('hook.executed', (e) => hooks.push(`${e.service.label}.${e.hook}`));
    await app.start();
    await expect(app.stop()).rejects.toThrow(/Cache.*disconnect.*socket already closed/s);
    expect(hooks).toEqual(['Db.open', 'Api.drain', 'Api.release', 'Cache.flush', 'Cache.disconnect', 'Cache.onDeactivation', 'Db.close', 'Db.release']);
    // The rest of the stop still ran.
    expect(calls.at(-1)).toBe('Db.preDestroy');
  });

  it('does not run them a second time when the container unbinds everything after the stop', async () => {
    const { calls, app, container } = chain();
    await app.start();
    await app.stop();
    calls.length = 0;
    await container.unbindAllAsync();
    expect(calls).toEqual([]);
  });

  it('does not run them a second time when the dispose plugin disposes the container after the stop', async () => {
    const { calls, app, container } = chain({ plugin: true });
    await app.start();
    await app.stop();
    expect(calls.filter((c) => !c.endsWith('onStart'))).toEqual(ONE_STOP);
    calls.length = 0;
    await container[Symbol.asyncDispose]!();
    expect(calls).toEqual([]);
  });

  it('runs them once per run: at each stop of a restarted app, never again from the plugin', async () => {
    const { calls, app, container } = chain({ plugin: true });
    await app.start();
    await app.restart();
    await app.stop();
    await container[Symbol.asyncDispose]!();
    expect(calls.filter((c) => c === 'Cache.onDeactivation')).toHaveLength(2);
    expect(calls.filter((c) => c === 'Db.preDestroy')).toHaveLength(2);
    expect(calls.filter((c) => c === 'Api.preDestroy')).toHaveLength(2);
  });

  it('leaves them to inversify for a service that never started, and runs them only once then', async () => {
    const { calls, app, container } = chain({ plugin: true, failOpen: true });
    await expect(app.start()).rejects.toThrow(/no database/);
    // Db's start failed and nothing else started: no stop step ran their teardown.
    expect(calls).toEqual([]);
    await container[Symbol.asyncDispose]!();
    await container[Symbol.asyncDispose]!();
    expect([...calls].sort()).toEqual(['Api.preDestroy', 'Cache.disconnect', 'Cache.flush', 'Cache.onDeactivation', 'Db.preDestroy']);
  });

  it('does not run them at stop when inversify already did in this run (unbinding a running service)', async () => {
    const { calls, app, container, Api } = chain();
    await app.start();
    await container.unbindAsync(Api);
    expect(calls).toContain('Api.preDestroy');
    calls.length = 0;
    await app.stop();
    expect(calls).toEqual(ONE_STOP.filter((c) => c !== 'Api.preDestroy'));
  });

  it('runs a method that is both a stop hook and @preDestroy once per stop, as the stop hook', async () => {
    const calls: string[] = [];
    @injectable()
    class Pool {
      @onStop() @preDestroy() close() {
        calls.push('close');
      }
    }
    const container = withDisposePlugin(new Container());
    container.bind(Pool).toSelf().inSingletonScope();
    const app = new Application(container);
    await app.start();
    await app.stop();
    await container[Symbol.asyncDispose]();
    expect(calls).toEqual(['close']);
  });

  it('leaves @preDestroy of transient classes alone (inversify never calls it; no scope error)', async () => {
    const calls: string[] = [];
    @injectable()
    class Request {
      @preDestroy() done() {
        calls.push('Request.preDestroy');
      }
    }
    const container = new Container();
    container.bind(Request).toSelf();
    const app = new Application(container);
    await app.start();
    await app.stop();
    expect(calls).toEqual([]);
  });
});

describe("inversify's @postConstruct", () => {
  it('runs once, when the container creates the instance: before any onStart, not again on restart', async () => {
    const calls: string[] = [];
    @injectable()
    class Pool {
      @postConstruct() init() {
        calls.push('postConstruct');
      }
      @onStart() connect() {
        calls.push('onStart');
      }
    }
    const container = new Container();
    container.bind(Pool).toSelf().inSingletonScope();
    const app = new Application(container);
    await app.start();
    await app.restart();
    await app.stop();
    expect(calls).toEqual(['postConstruct', 'onStart', 'onStart']);
  });
});
