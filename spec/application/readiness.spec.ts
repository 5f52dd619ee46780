// app.readiness and the app.readiness event: not ready until started and from a stop's first moment; degraded while a service is down.
import { injectable } from 'inversify';
import { describe, expect, it } from 'vitest';
import {
  AmbiguousServiceError,
  Application,
  type LifecycleEvent,
  ManualClock,
  onStart,
  onStop,
  Service,
  ServiceStateError,
  UnknownServiceError,
} from '../../lib/index.js';
import { crashable } from '../support/crashable.js';
import { singletons } from '../support/modules.js';
import { failOnUnhandledRejections } from '../support/unhandled.js';

failOnUnhandledRejections();

/** Every readiness change of `app`, as `previous>readiness`, and the events around it. */
function readinessLog(app: Application): { changes: string[]; events: string[] } {
  const changes: string[] = [];
  const events: string[] = [];
  app.on((e: LifecycleEvent) => {
    if (e.type === 'app.readiness') {
      // The getter already says what the event says (a mismatch would show as `!getter`).
      changes.push(`${e.previous}>${e.readiness}${app.readiness === e.readiness ? '' : `!${app.readiness}`}`);
    }
    if (e.type.startsWith('app.') || e.type === 'service.stopping') events.push(e.type === 'app.readiness' ? `readiness:${e.readiness}` : e.type);
  });
  return { changes, events };
}

/** Lets the supervisor react (stops, restarts that come at once). */
async function settled(clock: ManualClock) {
  for (let i = 0; i < 3; i++) await clock.advanceAsync(0);
}

describe('app.readiness', () => {
  it('is not ready until the first start has finished, ready once every service runs, and not ready from the stop on, before any service stops', async () => {
    const A = crashable('A');
    const app = new Application(singletons(A));
    const { changes, events } = readinessLog(app);
    expect(app.readiness).toBe('not ready');
    const starting = app.start();
    expect(app.readiness).toBe('not ready');
    await starting;
    expect(app.readiness).toBe('ready');
    await app.stop();
    expect(app.readiness).toBe('not ready');
    expect(changes).toEqual(['not ready>ready', 'ready>not ready']);
    // Each change follows its cause, and the stop's comes before the first service stops.
    expect(events).toEqual(['app.starting', 'app.started', 'readiness:ready', 'app.stopping', 'readiness:not ready', 'service.stopping', 'app.stopped']);
  });

  it('is degraded during a supervised restart and its backoff, and ready again after it', async () => {
    const clock = new ManualClock();
    const A = crashable('A', [], { strategy: 'one-for-one', backoff: { min: '1s', jitter: 0 } });
    const B = crashable('B');
    const app = new Application(singletons(A, B), { clock });
    const { changes } = readinessLog(app);
    await app.start();
    app.get(A).crash(); // the first restart comes at once
    await settled(clock);
    expect([app.readiness, app.services[0]!.state]).toEqual(['ready', 'running']);
    expect(changes).toEqual(['not ready>ready', 'ready>degraded', 'degraded>ready']);
    app.get(A).crash(); // the second after a backoff of 1s
    await settled(clock);
    expect([app.readiness, app.services[0]!.state]).toEqual(['degraded', 'restarting']);
    await clock.advanceAsync(999);
    expect(app.readiness).toBe('degraded');
    await clock.advanceAsync(1);
    await settled(clock);
    expect([app.readiness, app.services[0]!.state, app.services[0]!.restartCount]).toEqual(['ready', 'running', 2]);
    expect(changes).toEqual(['not ready>ready', 'ready>degraded', 'degraded>ready', 'ready>degraded', 'degraded>ready']);
    await app.stop();
  });

  it('stays degraded after a forfeit strategy gave up on a service, until the app stops', async () => {
    const clock = new ManualClock();
    const A = crashable('A', [], { strategy: 'forfeit-one-for-one' });
    const B = crashable('B');
    const app = new Application(singletons(A, B), { clock });
    const { changes } = readinessLog(app);
    await app.start();
    app.get(A).crash();
    await settled(clock);
    await clock.advanceAsync('10m');
    expect([app.readiness, app.state, app.services.map((s) => s.state)]).toEqual(['degraded', 'running', ['shutdown', 'running']]);
    await app.stop();
    expect(changes).toEqual(['not ready>ready', 'ready>degraded', 'degraded>not ready']);
  });

  it('goes from ready straight to not ready when an unsupervised crash stops the app', async () => {
    const A = crashable('A');
    const app = new Application(singletons(A));
    const { changes } = readinessLog(app);
    await app.start();
    app.get(A).crash();
    await app.waitUntilStopped();
    expect(app.state).toBe('crashed');
    expect(changes).toEqual(['not ready>ready', 'ready>not ready']);
  });

  it('is not ready while the whole app restarts, and ready after', async () => {
    const app = new Application(singletons(crashable('A')));
    const { changes } = readinessLog(app);
    await app.start();
    await app.restart();
    expect(app.readiness).toBe('ready');
    expect(changes).toEqual(['not ready>ready', 'ready>not ready', 'not ready>ready']);
    await app.stop();
  });

  it('keeps a service’s warnings on stderr when only the readiness follows the events', async () => {
    @injectable()
    class Noisy extends Service {
      override onStart() {
        this.log.warning('disk almost full');
      }
    }
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => written.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      const app = new Application(singletons(Noisy));
      await app.start();
      await app.stop();
    } finally {
      process.stderr.write = write;
    }
    expect(written.join('')).toContain('[WARNING] Noisy: disk almost full');
  });
});

describe('app.restartService(label) and app.stopService(label)', () => {
  function plainApp(log: string[]) {
    @injectable()
    class Cache {
      @onStart() open() {
        log.push('Cache+');
      }
      @onStop() close() {
        log.push('Cache-');
      }
    }
    @injectable()
    class Web {
      constructor(readonly cache: Cache) {}
      @onStart() listen() {
        log.push('Web+');
      }
    }
    return new Application(singletons(Web, Cache));
  }

  it('restarts a plain injectable by its label; the app is degraded meanwhile, and its dependents keep running', async () => {
    const log: string[] = [];
    const app = plainApp(log);
    const { changes } = readinessLog(app);
    await app.start();
    log.length = 0;
    await app.restartService('Cache');
    expect(log).toEqual(['Cache-', 'Cache+']);
    expect(app.services.map((s) => `${s.label}:${s.state}:${s.restartCount}`)).toEqual(['Web:running:0', 'Cache:running:1']);
    expect(changes).toEqual(['not ready>ready', 'ready>degraded', 'degraded>ready']);
    await app.stop();
  });

  it('stops a service by its label: degraded until it is restarted', async () => {
    const log: string[] = [];
    const app = plainApp(log);
    await app.start();
    await app.stopService('Cache');
    expect([app.readiness, app.services[1]!.state]).toEqual(['degraded', 'shutdown']);
    await app.restartService('Cache');
    expect(app.readiness).toBe('ready');
    await app.stop();
  });

  it('refuses a label no service has, or several have, and an app that is not running, with typed errors', async () => {
    const app = plainApp([]);
    await expect(app.restartService('Cache')).rejects.toThrow(UnknownServiceError); // nothing planned yet
    await app.start();
    const unknown = await app.restartService('Cahce').catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(UnknownServiceError);
    expect((unknown as Error).message).toBe('There is no service "Cahce" in this application. Services: Web, Cache.');
    await expect(app.stopService('')).rejects.toThrow(UnknownServiceError);
    await app.stop();
    await expect(app.restartService('Cache')).rejects.toThrow(ServiceStateError);
    await expect(app.restartService('Cache')).rejects.toThrow('Cannot act on Cache while the application is shutdown');

    class Twin extends Service {
      override get label() {
        return 'Twin';
      }
    }
    const twins = new Application(new (class Root extends Service {
      constructor() {
        super();
        this.addDependencies(new Twin(), new Twin());
      }
    })());
    await twins.start();
    const ambiguous = await twins.restartService('Twin').catch((e: unknown) => e);
    expect(ambiguous).toBeInstanceOf(AmbiguousServiceError);
    expect((ambiguous as Error).message).toContain('2 services are labelled "Twin"');
    await twins.stop();
  });
});
