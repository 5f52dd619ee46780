// Mode's tutorial, Mode style: no container; the app service owns its children (`addDependency`).
// Run it with `npx mode-di run samples/tutorial/mode-style.ts`, or from code:
//   new Worker(new AppService(), { loglevel: 'info' }).executeFromCommandline();
import { renderGraph, Service } from 'mode-di';
import { UserCache } from './user-cache.js';
import { Webserver } from './webserver.js';
import { Websockets } from './websockets.js';

/** The same app as app.module.ts, built by hand: its dependencies start first and stop last. */
export class AppService extends Service {
  constructor() {
    super();
    this.addDependencies(new Websockets(), new UserCache(), new Webserver());
  }

  /** As in the seed: `TUTORIAL_GRAPH=image.png` draws the graph at start-up (`this.beacon.root` is the Worker's node). */
  override async onStart(): Promise<void> {
    const file = process.env['TUTORIAL_GRAPH'];
    if (file) this.log.info('Wrote the graph to %s', await renderGraph(this.beacon.root, file));
  }
}

export default new AppService();
