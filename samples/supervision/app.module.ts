// Supervision: a flaky feed crashes every few seconds and is restarted, with its dependent, under rest-for-one.
import { ContainerModule, injectable } from 'inversify';
import { onStart, onStop, parseDuration, Service, supervised, task, timer } from 'mode-di';

// Durations from the environment are text: parseDuration checks them (naming the variable) and gives milliseconds.
const CRASH_EVERY = parseDuration(process.env['CRASH_EVERY'] ?? '2s', 'CRASH_EVERY');
const BACKOFF_MIN = parseDuration(process.env['BACKOFF_MIN'] ?? '1s', 'BACKOFF_MIN');

/** Reads prices from a flaky upstream: its task throws a few seconds after each start. */
@supervised({ strategy: 'rest-for-one', maxRestarts: 6, over: '2m', backoff: { min: BACKOFF_MIN, max: '30s' } })
@injectable()
export class Feed extends Service {
  override onStart() {
    this.log.info('Connected to the upstream');
  }
  @task() async read(signal: AbortSignal) {
    await this.sleep(CRASH_EVERY);
    if (!signal.aborted) throw new Error('upstream connection reset');
  }
}

/** Shows what the feed reads: it depends on the feed, so rest-for-one restarts it too (stopped first, started after). */
@injectable()
export class Dashboard extends Service {
  constructor(readonly feed: Feed) {
    super();
  }
  override onStart() {
    this.log.info('Dashboard up');
  }
}

/** Independent of the feed: it keeps running through every restart. */
@injectable()
export class Heartbeat {
  beats = 0;
  @onStart() begin() {}
  @timer(CRASH_EVERY) beat() {
    this.beats++;
  }
  @onStop() end() {
    console.log(`Heartbeat beat ${this.beats} times without a restart`);
  }
}

export default new ContainerModule(({ bind }) => {
  bind(Dashboard).toSelf().inSingletonScope();
  bind(Feed).toSelf().inSingletonScope();
  bind(Heartbeat).toSelf().inSingletonScope();
});
