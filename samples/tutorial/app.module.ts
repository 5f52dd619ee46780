// Mode's tutorial as a mode-di app: `npx mode-di run samples/tutorial/app.module.ts`, Ctrl-C to stop.
import { ContainerModule } from 'inversify';
import { AppService } from './app.js';
import { UserCache } from './user-cache.js';
import { Webserver } from './webserver.js';
import { Websockets } from './websockets.js';

export default new ContainerModule(({ bind }) => {
  bind(AppService).toSelf().inSingletonScope();
  bind(Websockets).toSelf().inSingletonScope();
  bind(UserCache).toSelf().inSingletonScope();
  bind(Webserver).toSelf().inSingletonScope();
});
