// The seed's PageViewCache / App example, written in Mode style and in DI style.
import { ContainerModule, injectable } from 'inversify';
import { describe, expect, it } from 'vitest';
import { Application, cachedProperty, onStart, onStop, Service } from '../../lib/index.js';
import { recordEvents } from '../support/modules.js';

/** A stand-in for Redis: counts per key. */
class FakeRedis {
  readonly data = new Map<string, number>();
  closed = false;
  async incr(key: string, n: number) {
    const v = (this.data.get(key) ?? 0) + n;
    this.data.set(key, v);
    return v;
  }
  async get(key: string) {
    return this.data.get(key) ?? 0;
  }
  async quit() {
    this.closed = true;
  }
}

describe('the seed example, Mode style', () => {
  class PageViewCache extends Service {
    redis: FakeRedis | undefined;
    override async onStart() {
      this.redis = new FakeRedis();
    }
    override async onStop() {
      await this.redis?.quit();
    }
    update(url: string, n = 1) {
      return this.redis!.incr(url, n);
    }
    get(url: string) {
      return this.redis!.get(url);
    }
  }
  class App extends Service {
    @cachedProperty get pageViewCache() {
      return new PageViewCache();
    }
    override async onStart() {
      await this.addRuntimeDependency(this.pageViewCache);
    }
  }

  it('starts the cache from App.onStart, serves, and stops App then the cache', async () => {
    const app = new Application(new App());
    const events = recordEvents(app, ['service.started', 'service.stopped']);
    await app.start();
    const root = app.services[0]!.instance as App;
    await root.pageViewCache.update('/home');
    await root.pageViewCache.update('/home', 2);
    expect(await root.pageViewCache.get('/home')).toBe(3);
    const redis = root.pageViewCache.redis!;
    await app.stop();
    expect(redis.closed).toBe(true);
    expect(events).toEqual(['service.started:PageViewCache', 'service.started:App', 'service.stopped:App', 'service.stopped:PageViewCache']);
  });
});

describe('the seed example, DI style', () => {
  @injectable()
  class PageViewCache {
    redis: FakeRedis | undefined;
    @onStart() async connect() {
      this.redis = new FakeRedis();
    }
    @onStop() async close() {
      await this.redis?.quit();
    }
    update(url: string, n = 1) {
      return this.redis!.incr(url, n);
    }
  }
  @injectable()
  class App extends Service {
    constructor(readonly cache: PageViewCache) {
      super();
    }
    hits = 0;
    override async onStart() {
      this.hits = await this.cache.update('/');
    }
  }

  it('injects the cache, starts it first, and stops it last', async () => {
    const app = new Application(
      new ContainerModule(({ bind }) => {
        bind(App).toSelf().inSingletonScope();
        bind(PageViewCache).toSelf().inSingletonScope();
      }),
    );
    const events = recordEvents(app, ['service.started', 'service.stopped']);
    await app.start();
    expect(app.get(App).hits).toBe(1);
    expect(app.get(App).cache).toBe(app.get(PageViewCache));
    await app.stop();
    expect(app.get(PageViewCache).redis!.closed).toBe(true);
    expect(events).toEqual(['service.started:PageViewCache', 'service.started:App', 'service.stopped:App', 'service.stopped:PageViewCache']);
  });
});
