// The page-view cache, DI style: `npx mode-di run samples/page-view-cache/app.module.ts` (REDIS_URL, PORT).
// Start order, read from the constructors: RedisConnection → PageViewCache → PageViewServer; stop is the reverse.
import { ContainerModule } from 'inversify';
import { PageViewCache } from './page-view-cache.js';
import { PageViewServer } from './page-view-server.js';
import { RedisConnection } from './redis-connection.js';

export default new ContainerModule(({ bind }) => {
  bind(PageViewServer).toSelf().inSingletonScope();
  bind(PageViewCache).toSelf().inSingletonScope();
  bind(RedisConnection).toSelf().inSingletonScope();
});
