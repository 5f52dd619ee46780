// A service asks its application to stop from inside (fx's Shutdowner); lifecycle events reach diagnostics_channel.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { injectable } from 'inversify';
import { describe, expect, it } from 'vitest';
import {
  Application,
  LIFECYCLE_CHANNEL,
  type LifecycleEvent,
  ManualClock,
  onStart,
  onStop,
  Service,
  ServiceStateError,
  Shutdowner,
  UsageError,
} from '../../lib/index.js';
import { singletons } from '../support/modules.js';
import { failOnUnhandledRejections } from '../support/unhandled.js';
import { harness } from '../support/worker-harness.js';

failOnUnhandledRejections();

@injectable()
class LicenceCheck {
  constructor(readonly shutdowner: Shutdowner) {}
  stopped = false;
  @onStart() check() {}
  @onStop() close() {
    this.stopped = true;
  }
}

describe('Shutdowner', () => {
  it('is injectable by type, stops the running app, and records the exit code and reason', async () => {
    const app = new Application(singletons(LicenceCheck));
    const events: string[] = [];
    app.on((e) => events.push(e.type));
    await app.start();
    const check = app.get(LicenceCheck);
    expect(check.shutdowner).toBe(app.shutdowner);
    check.shutdowner.shutdown({ exitCode: 3, reason: 'licence expired' });
    await app.waitUntilStopped();
    expect(app.state).toBe('shutdown');
    expect(check.stopped).toBe(true);
    expect(app.engine.shutdownRequest).toEqual({ exitCode: 3, reason: 'licence expired' });
    expect(events.slice(events.indexOf('app.shutdownRequested'))).toEqual(expect.arrayContaining(['app.shutdownRequested', 'app.stopping', 'app.stopped']));
  });

  it('is not a service of the graph', async () => {
    const app = new Application(singletons(LicenceCheck));
    await app.start();
    expect(app.services.map((s) => s.label)).toEqual(['LicenceCheck']);
    expect((await app.plan()).services.map((s) => s.label)).toEqual(['LicenceCheck']);
    await app.stop();
  });

  it('called from a start hook rolls the start back: the first request stands', async () => {
    class Quits extends Service {
      override onStart() {
        this.shutdown({ exitCode: 4, reason: 'nothing to do' });
        this.shutdown({ exitCode: 5, reason: 'ignored' });
      }
    }
    const quits = new Quits();
    const app = new Application(quits);
    await expect(app.start()).rejects.toThrow('Start was interrupted');
    expect(app.state).toBe('shutdown');
    expect(app.engine.shutdownRequest).toEqual({ exitCode: 4, reason: 'nothing to do' });
  });

  it('refuses a bad exit code, and a service that was never started', () => {
    const shutdowner = new Application(singletons(LicenceCheck)).shutdowner;
    expect(() => shutdowner.shutdown({ exitCode: 256 })).toThrow(UsageError);
    expect(() => shutdowner.shutdown({ exitCode: 1.5 })).toThrow('whole number from 0 to 255');
    expect(() => new Service().shutdown()).toThrow(ServiceStateError);
  });

  it('under the Worker: logs the reason and exits with the code asked for', async () => {
    class Job extends Service {
      override async onStarted() {
        await Promise.resolve();
        this.shutdown({ exitCode: 7, reason: 'batch done' });
      }
    }
    const h = harness(new Job(), { clock: new ManualClock() });
    expect(await h.worker.run()).toBe(7);
    await h.worker.close();
    expect(h.out()).toContain('[^Worker]: Shutdown requested: batch done (exit code 7)');
    expect(h.out()).toContain('[^Worker]: -Stopped!');
  });

  it('under the Worker: follows an app.stop() called from inside, and exits 0', async () => {
    let app!: Application;
    class Job extends Service {
      override async onStarted() {
        await Promise.resolve();
        void app.stop();
      }
    }
    app = new Application(new Job());
    const h = harness(app, { clock: new ManualClock() });
    expect(await h.worker.run()).toBe(0);
    await h.worker.close();
    expect(h.out()).toContain('[^Worker]: -Stopped!');
  });
});

describe(`the '${LIFECYCLE_CHANNEL}' diagnostics channel`, () => {
  it('carries every lifecycle event to subscribers that never imported mode-di', async () => {
    const seen: string[] = [];
    const listener = (message: unknown) => seen.push((message as LifecycleEvent).type);
    subscribe(LIFECYCLE_CHANNEL, listener);
    try {
      const app = new Application(singletons(LicenceCheck));
      await app.start();
      await app.stop();
    } finally {
      unsubscribe(LIFECYCLE_CHANNEL, listener);
    }
    expect(seen).toEqual([
      'app.starting',
      'service.starting',
      'hook.executing',
      'hook.executed',
      'service.started',
      'app.started',
      'app.readiness',
      'app.stopping',
      'app.readiness',
      'service.stopping',
      'hook.executing',
      'hook.executed',
      'service.stopped',
      'app.stopped',
    ]);
  });
});
