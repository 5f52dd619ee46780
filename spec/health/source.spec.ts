// Readiness read off the public API: not ready until started, degraded while a service restarts, not ready from a stop's first moment.
import { ContainerModule, injectable } from 'inversify';
import { describe, expect, it } from 'vitest';
import { Application, ManualClock, Service, supervised, task } from '../../lib/index.js';
import { AppHealthSource } from '../../lib/health/source.js';
import { healthStatus } from '../../lib/health/status.js';

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('AppHealthSource', () => {
  it('is not ready until the first start finishes, then ready; not ready from the moment a stop begins', async () => {
    const starting = gate();
    @injectable()
    class Db extends Service {
      override async onStart() {
        await starting.promise;
      }
    }
    const app = new Application(new ContainerModule(({ bind }) => void bind(Db).toSelf().inSingletonScope()));
    const source = new AppHealthSource(app);
    const seen: string[] = [];
    source.onChange(() => seen.push(source.readiness()));
    const started = app.start();
    await Promise.resolve();
    expect([source.readiness(), source.started]).toEqual(['not ready', false]);
    starting.open();
    await started;
    expect([source.readiness(), source.started, source.stopping, source.crashed]).toEqual(['ready', true, false, false]);
    source.beginStop(); // the Worker's drain: before any service stops
    expect([source.readiness(), source.stopping, app.services[0]!.state]).toEqual(['not ready', true, 'running']);
    await app.stop();
    expect(source.readiness()).toBe('not ready');
    expect(seen).toContain('ready');
    expect(seen.at(-1)).toBe('not ready');
  });

  it('is degraded while a service restarts, and ready again after', async () => {
    const restarting = gate();
    @injectable()
    class Cache extends Service {
      override async onRestart() {
        await restarting.promise;
      }
    }
    @injectable()
    class Web {
      constructor(readonly cache: Cache) {}
    }
    const app = new Application(new ContainerModule(({ bind }) => {
      bind(Web).toSelf().inSingletonScope();
      bind(Cache).toSelf().inSingletonScope();
    }));
    const source = new AppHealthSource(app);
    await app.start();
    const restart = app.get(Cache).restart();
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.readiness()).toBe('degraded');
    expect(healthStatus(source).services.find((s) => s.label === 'Cache')).toMatchObject({ uptimeMs: null });
    restarting.open();
    await restart;
    expect(source.readiness()).toBe('ready');
    const cache = healthStatus(source).services.find((s) => s.label === 'Cache');
    expect(cache).toMatchObject({ state: 'running', restarts: 1, lastCrashReason: null, uptimeMs: expect.any(Number) });
    await app.stop();
  });

  it('reports a crash: /live fails, /status names the reason', async () => {
    @injectable()
    class Flaky extends Service {}
    const app = new Application(new ContainerModule(({ bind }) => void bind(Flaky).toSelf().inSingletonScope()));
    const source = new AppHealthSource(app);
    await app.start();
    app.get(Flaky).crash(new Error('disk full'));
    await app.waitUntilStopped();
    expect(source.crashed).toBe(true);
    expect(source.readiness()).toBe('not ready');
    expect(healthStatus(source)).toMatchObject({ live: false, services: [{ label: 'Flaky', lastCrashReason: 'disk full' }] });
  });

  it("reads the app's readiness: degraded while a supervisor backs off, with the crash and the restarts in /status, kept after the restart", async () => {
    const clock = new ManualClock();
    let fail: ((error: Error) => void) | undefined;
    @supervised({ strategy: 'one-for-one', backoff: { min: '2s', jitter: 0 } })
    @injectable()
    class Feed {
      @task() async read(signal: AbortSignal) {
        await new Promise<void>((resolve, reject) => {
          fail = reject;
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
      }
    }
    const app = new Application(new ContainerModule(({ bind }) => void bind(Feed).toSelf().inSingletonScope()), { clock });
    const source = new AppHealthSource(app, { now: () => clock.now() });
    const seen: string[] = [];
    source.onChange(() => seen.push(source.readiness()));
    await app.start();
    const settle = async () => {
      for (let i = 0; i < 3; i++) await clock.advanceAsync(0);
    };
    fail!(new Error('upstream reset')); // restarted at once
    await settle();
    fail!(new Error('upstream reset again')); // restarted after 2s
    await settle();
    expect(source.readiness()).toBe('degraded');
    expect(healthStatus(source)).toMatchObject({
      readiness: 'degraded',
      live: true,
      services: [{ label: 'Feed', state: 'restarting', restarts: 1, lastCrashReason: 'Feed.read failed: Error: upstream reset again', uptimeMs: null }],
    });
    await clock.advanceAsync('2s');
    await settle();
    await clock.advanceAsync(250);
    expect(source.readiness()).toBe('ready');
    expect(healthStatus(source).services).toEqual([{ label: 'Feed', state: 'running', restarts: 2, lastCrashReason: 'Feed.read failed: Error: upstream reset again', uptimeMs: 250 }]);
    expect(seen.filter((r, i) => r !== seen[i - 1])).toEqual(['not ready', 'ready', 'degraded', 'ready', 'degraded', 'ready']);
    await app.stop();
  });
});
