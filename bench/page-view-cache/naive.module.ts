// The bench's anchors: the same HTTP endpoint counting with one INCR per hit (acknowledged after Redis answers), or not counting at all.
// COUNTER=naive (default) or COUNTER=none; REDIS_URL, PORT, KEY_PREFIX as for the sample.
import { ContainerModule, injectable } from 'inversify';
import { Service } from 'mode-di';
import { config } from '../../samples/page-view-cache/config.js';
import { type PageViewCounter, PageViewEndpoint } from '../../samples/page-view-cache/http-endpoint.js';
import { RedisConnection } from '../../samples/page-view-cache/redis-connection.js';
import { pageKey } from '../../samples/page-view-cache/redis-store.js';

const COUNT_NOTHING = process.env['COUNTER'] === 'none';

/** Counts each view with its own INCR, and answers only once Redis has. */
@injectable()
export class NaivePageViewCounter implements PageViewCounter {
  constructor(readonly redis: RedisConnection) {}

  update(page: string, n = 1): Promise<void> | void {
    if (COUNT_NOTHING) return; // the ceiling: the endpoint alone
    return this.redis.client.incrby(pageKey(config.keyPrefix, page), n).then(() => undefined);
  }

  async get(page: string): Promise<number> {
    return Number((await this.redis.client.get(pageKey(config.keyPrefix, page))) ?? 0);
  }
}

/** The sample's endpoint on the naive counter. */
@injectable()
export class NaivePageViewServer extends Service {
  readonly endpoint: PageViewEndpoint;

  constructor(readonly counter: NaivePageViewCounter) {
    super();
    this.endpoint = new PageViewEndpoint(counter);
  }

  override async onStart(): Promise<void> {
    this.log.info('Serving on http://%s:%d', config.host, await this.endpoint.listen(config.port, config.host));
  }

  override async onStop(): Promise<void> {
    await this.endpoint.close();
  }
}

export default new ContainerModule(({ bind }) => {
  bind(NaivePageViewServer).toSelf().inSingletonScope();
  bind(NaivePageViewCounter).toSelf().inSingletonScope();
  bind(RedisConnection).toSelf().inSingletonScope();
});
