// The HTTP server, DI style: it depends on the cache, so it stops (and drains) before the cache's last flush.
import { injectable } from 'inversify';
import { Service } from 'mode-di';
import { config } from './config.js';
import { PageViewEndpoint } from './http-endpoint.js';
import { PageViewCache } from './page-view-cache.js';

/**
 * Serves `POST /views/<page>` and `GET /views/<page>` on `HOST:PORT`.
 * @example
 * ```ts
 * bind(PageViewServer).toSelf().inSingletonScope();   // needs PageViewCache
 * ```
 */
@injectable()
export class PageViewServer extends Service {
  readonly endpoint: PageViewEndpoint;

  constructor(readonly cache: PageViewCache) {
    super();
    this.endpoint = new PageViewEndpoint(cache);
  }

  override async onStart(): Promise<void> {
    const port = await this.endpoint.listen(config.port, config.host);
    this.log.info('Serving on http://%s:%d', config.host, port);
  }

  override async onStop(): Promise<void> {
    this.log.info('Closing: %d request(s) in flight', this.endpoint.inFlight);
    await this.endpoint.close();
  }
}
