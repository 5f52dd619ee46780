// Mode's tutorial, Mode style: no container; the app service owns its children (`addDependency`).
// Run it with `npx mode-di run samples/tutorial/mode-style.ts`, or from code:
//   new Worker(new AppService(), { loglevel: 'info' }).executeFromCommandline();
import { Service } from 'mode-di';
import { UserCache } from './user-cache.js';
import { Webserver } from './webserver.js';
import { Websockets } from './websockets.js';

/** The same app as app.module.ts, built by hand: its dependencies start first and stop last. */
export class AppService extends Service {
  constructor() {
    super();
    this.addDependencies(new Websockets(), new UserCache(), new Webserver());
  }
}

export default new AppService();
