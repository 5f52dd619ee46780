// The seed's PageViewCache, DI style: views are buffered in memory, a timer flushes them to Redis, the stop flushes the rest.
import { injectable } from 'inversify';
import { Service, timer } from 'mode-di';
import { config } from './config.js';
import type { PageViewCounter } from './http-endpoint.js';
import { PageViewBuffer } from './page-view-buffer.js';
import { RedisConnection } from './redis-connection.js';
import { RedisPageViewStore } from './redis-store.js';

/**
 * Counts page views. Its constructor takes the {@link RedisConnection}, so Redis connects
 * before the cache starts and quits only after the cache's last flush.
 * @example
 * ```ts
 * cache.update('/home');          // counted in memory at once
 * await cache.get('/home');       // Redis's count plus what is not flushed yet
 * ```
 */
@injectable()
export class PageViewCache extends Service implements PageViewCounter {
  readonly store: RedisPageViewStore;
  readonly buffer: PageViewBuffer;
  #failing = false;

  constructor(readonly redis: RedisConnection) {
    super();
    this.store = new RedisPageViewStore(() => redis.client, config);
    this.buffer = new PageViewBuffer(this.store);
  }

  /** Counts `n` views of `page` (in memory; the next flush writes them). */
  update(page: string, n = 1): void {
    this.buffer.add(page, n);
  }

  /** The views of `page`: Redis's count plus the views not flushed yet. */
  async get(page: string): Promise<number> {
    return (await this.store.views(page)) + this.buffer.unflushedViewsOf(page);
  }

  /** Writes the buffered views in one round trip; a failure keeps them for the next run. */
  @timer(config.flushIntervalMs, { name: 'PageViewCache.flush' })
  async flush(): Promise<void> {
    const flushed = await this.buffer.flush();
    if (!flushed && !this.#failing) this.log.warning('Flush failed, %d views kept for the next one: %s', this.buffer.unflushedViews, String(this.buffer.lastError));
    else if (flushed && this.#failing) this.log.info('Flushing again');
    this.#failing = !flushed;
  }

  /** The last flush: runs after the HTTP server has stopped, before Redis disconnects. */
  override async onStop(signal: AbortSignal): Promise<void> {
    const views = this.buffer.unflushedViews;
    await this.buffer.close(config.finalFlushAttempts, signal);
    this.log.info('Flushed the last %d views', views);
  }
}
