// Bench app: the services on top of storage.
import { injectable } from 'inversify';
import { Service, timer } from 'mode-di';
import { Cache, Database } from './storage.js';

@injectable()
export class Sessions extends Service {
  constructor(readonly cache: Cache) {
    super();
  }
  @timer('1s') expire() {}
}

@injectable()
export class Api extends Service {
  constructor(
    readonly db: Database,
    readonly sessions: Sessions,
  ) {
    super();
  }
}

@injectable()
export class App extends Service {
  constructor(readonly api: Api) {
    super();
  }
}
