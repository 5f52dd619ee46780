// The tutorial's root service: it needs the web server, the websockets and the user cache, so they start first.
import { injectable } from 'inversify';
import { renderGraph, Service } from 'mode-di';
import { UserCache } from './user-cache.js';
import { Webserver } from './webserver.js';
import { Websockets } from './websockets.js';

/** The app: everything it is given is started before it and stopped after it. */
@injectable()
export class AppService extends Service {
  constructor(
    readonly websockets: Websockets,
    readonly userCache: UserCache,
    readonly webserver: Webserver,
  ) {
    super();
  }

  /** The seed's "dump the graph at start-up", opt-in: `TUTORIAL_GRAPH=image.png npx mode-di run …`. */
  override async onStart(): Promise<void> {
    const file = process.env['TUTORIAL_GRAPH'];
    if (file) this.log.info('Wrote the graph to %s', await renderGraph(this.beacon.root, file));
  }
}
