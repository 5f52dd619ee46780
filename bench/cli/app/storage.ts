// Bench app: the storage layer (a config, a database and a cache).
import { injectable } from 'inversify';
import { onStart, onStop, Service } from 'mode-di';

@injectable()
export class Config {
  readonly url = 'memory://bench';
}

@injectable()
export class Database extends Service {
  constructor(readonly config: Config) {
    super();
  }
  override async onStart() {
    this.log.debug('connected to %s', this.config.url);
  }
}

@injectable()
export class Cache {
  readonly entries = new Map<string, string>();
  @onStart() warm() {
    this.entries.set('ready', 'yes');
  }
  @onStop() flush() {
    this.entries.clear();
  }
}
