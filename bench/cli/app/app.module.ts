// Bench app: a small TypeScript app (6 services over 3 files) for `mode-di run` start-up timing.
import { ContainerModule } from 'inversify';
import { Cache, Config, Database } from './storage.js';
import { Api, App, Sessions } from './web.js';

export default new ContainerModule(({ bind }) => {
  bind(App).toSelf().inSingletonScope();
  bind(Api).toSelf().inSingletonScope();
  bind(Sessions).toSelf().inSingletonScope();
  bind(Database).toSelf().inSingletonScope();
  bind(Cache).toSelf().inSingletonScope();
  bind(Config).toSelf().inSingletonScope();
});
