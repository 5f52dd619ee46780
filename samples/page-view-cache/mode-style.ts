// The page-view cache, Mode style (the seed's code): no container; children are created by
// @cachedProperty and added with addRuntimeDependency. Run: npx mode-di run samples/page-view-cache/mode-style.ts
// or from code: new Worker(new App(), { loglevel: 'info' }).executeFromCommandline();
import { Service, cachedProperty, timer } from 'mode-di';
import { config } from './config.js';
import { type PageViewCounter, PageViewEndpoint } from './http-endpoint.js';
import { PageViewBuffer } from './page-view-buffer.js';
import { RedisConnection } from './redis-connection.js';
import { RedisPageViewStore } from './redis-store.js';

/** The seed's PageViewCache: its Redis client is a runtime dependency, so it stops after the cache's last flush. */
export class PageViewCache extends Service implements PageViewCounter {
  readonly store = new RedisPageViewStore(() => this.redis.client, config);
  readonly buffer = new PageViewBuffer(this.store);

  @cachedProperty get redis(): RedisConnection {
    return new RedisConnection();
  }

  override async onStart(): Promise<void> {
    await this.addRuntimeDependency(this.redis);
  }

  update(url: string, n = 1): void {
    this.buffer.add(url, n);
  }

  async get(url: string): Promise<number> {
    return (await this.store.views(url)) + this.buffer.unflushedViewsOf(url);
  }

  @timer(config.flushIntervalMs, { name: 'PageViewCache.flush' })
  async flush(): Promise<void> {
    if (!(await this.buffer.flush())) this.log.warning('Flush failed, %d views kept for the next one: %s', this.buffer.unflushedViews, String(this.buffer.lastError));
  }

  override async onStop(signal: AbortSignal): Promise<void> {
    const views = this.buffer.unflushedViews;
    await this.buffer.close(config.finalFlushAttempts, signal);
    this.log.info('Flushed the last %d views', views);
  }
}

/** The HTTP server: the cache is its dependency, so the server drains before the cache's last flush. */
export class Webserver extends Service {
  readonly endpoint: PageViewEndpoint;

  constructor(readonly cache: PageViewCache) {
    super();
    this.addDependency(cache);
    this.endpoint = new PageViewEndpoint(cache);
  }

  override async onStart(): Promise<void> {
    const port = await this.endpoint.listen(config.port, config.host);
    this.log.info('Serving on http://%s:%d', config.host, port);
  }

  override async onStop(): Promise<void> {
    await this.endpoint.close();
  }
}

/** The seed's App: starts the cache (and the server that uses it) at run time. */
export class App extends Service {
  @cachedProperty get pageViewCache(): PageViewCache {
    return new PageViewCache();
  }

  @cachedProperty get webserver(): Webserver {
    return new Webserver(this.pageViewCache);
  }

  override async onStart(): Promise<void> {
    await this.addRuntimeDependency(this.pageViewCache);
    await this.addRuntimeDependency(this.webserver);
  }
}

export default new App();
