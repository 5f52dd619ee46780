// The Worker from code: exact output on a manual clock, user transports, deadline, crash and usage failures.
import { ContainerModule, injectable } from 'inversify';
import { describe, expect, it } from 'vitest';
import TransportStream from 'winston-transport';
import { Application } from '../../lib/application/application.js';
import { UsageError } from '../../lib/errors/index.js';
import { onStart, onStop } from '../../lib/service/decorators.js';
import { Service } from '../../lib/service/service.js';
import { flushMicrotasks, ManualClock } from '../../lib/testing/manual-clock.js';
import { formatTimestamp } from '../../lib/worker/log-format.js';
import { Worker } from '../../lib/worker/worker.js';
import { harness } from '../support/worker-harness.js';

@injectable()
class Cache {
  @onStart() connect() {}
  @onStop() close() {}
}

@injectable()
class Api extends Service {
  constructor(readonly cache: Cache) {
    super();
  }
  override onStart() {
    this.log.info('listening on %d', 8080);
  }
}

const appModule = new ContainerModule(({ bind }) => {
  bind(Api).toSelf().inSingletonScope();
  bind(Cache).toSelf().inSingletonScope();
});

describe('Worker', () => {
  it("logs Mode's lines exactly and resolves 0 after stop()", async () => {
    const clock = new ManualClock(new Date(2018, 2, 27, 15, 47, 12, 159));
    const h = harness(appModule, { clock });
    const status = h.worker.run();
    await h.until('Started');
    await flushMicrotasks(); // let the engine settle its start
    await h.worker.stop();
    expect(await status).toBe(0);
    await h.worker.close();
    const t = formatTimestamp(clock.date());
    expect(t).toBe('2018-03-27 15:47:12,159');
    expect(h.out()).toBe(
      [
        `[${t}: INFO]: [^Worker]: Starting...`,
        `[${t}: INFO]: [^--Cache]: Starting...`,
        `[${t}: INFO]: [^-Api]: Starting...`,
        `[${t}: INFO]: [^-Api]: listening on 8080`,
        `[${t}: INFO]: [^Worker]: Started in 0ms (2 services)`,
        `[${t}: INFO]: [^Worker]: Stopping...`,
        `[${t}: INFO]: [^-Api]: Stopping...`,
        // Api has no stop hook to wait for: it has stopped before the Worker's next line.
        `[${t}: INFO]: [^-Api]: -Stopped!`,
        `[${t}: INFO]: [^Worker]: Gathering service tasks...`,
        `[${t}: INFO]: [^--Cache]: Stopping...`,
        `[${t}: INFO]: [^--Cache]: -Stopped!`,
        `[${t}: INFO]: [^Worker]: Gathering all futures...`,
        `[${t}: INFO]: [^Worker]: -Stopped!`,
        '',
      ].join('\n'),
    );
  });

  it('runs a Mode-style service, as in the seed', async () => {
    class AppService extends Service {
      override onStart() {
        this.log.info('APP STARTING');
      }
    }
    const h = harness(new AppService(), { loglevel: 'info' });
    const status = h.worker.run();
    await h.until('Started');
    await h.worker.stop();
    expect(await status).toBe(0);
    await h.worker.close();
    expect(h.out()).toContain(']: [^-AppService]: APP STARTING\n');
  });

  it('feeds user-supplied winston transports the formatted lines', async () => {
    const seen: string[] = [];
    class Collect extends TransportStream {
      override log(info: Record<symbol, unknown>, next: () => void) {
        seen.push(String(info[Symbol.for('message')]));
        next();
      }
    }
    const h = harness(appModule, { transports: [new Collect({ level: 'warning' }), new Collect()], quiet: true });
    const status = h.worker.run();
    await h.worker.stop();
    expect(await status).toBe(0);
    await h.worker.close();
    expect(h.out()).toBe('');
    expect(seen.filter((l) => l.includes('[^Worker]: -Stopped!'))).toHaveLength(1);
    expect(seen.every((l) => /^\[[\d-]+ [\d:,]+: (INFO|WARNING)\]: \[\^-*\w+\]: /.test(l))).toBe(true);
  });

  it("lets code log straight to the winston logger, in Mode's format", async () => {
    const h = harness(appModule);
    const status = h.worker.run();
    await h.until('Started');
    h.worker.logger!.winston.log('warning', 'cache is cold');
    await h.worker.stop();
    expect(await status).toBe(0);
    await h.worker.close();
    expect(h.out()).toMatch(/\n\[[\d-]+ [\d:,]+: WARNING\]: \[\^Worker\]: cache is cold\n/);
  });

  it('forces the stop past the shutdown deadline, naming the hung hook (status 1)', async () => {
    @injectable()
    class Stuck {
      @onStop() flush(signal: AbortSignal) {
        return new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      }
    }
    const clock = new ManualClock();
    const h = harness(new ContainerModule(({ bind }) => {
      bind(Stuck).toSelf().inSingletonScope();
    }), { clock, shutdownTimeout: '10s' });
    const status = h.worker.run();
    await h.until('Started');
    void h.worker.stop();
    await flushMicrotasks();
    await clock.advanceAsync(9_999);
    expect(h.out()).not.toContain('timed out');
    await clock.advanceAsync(1);
    expect(await status).toBe(1);
    await h.worker.close();
    expect(h.out()).toContain(']: [^Worker]: Shutdown timed out after 10.00s: forcing exit. Still stopping: Stuck (in flush for 10.00s).\n');
  });

  it('takes a repeat of the same signal within 250ms as a duplicate delivery, and a later one as a second signal', async () => {
    @injectable()
    class Slow {
      @onStop() flush(signal: AbortSignal) {
        return new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      }
    }
    const clock = new ManualClock();
    const h = harness(new ContainerModule(({ bind }) => {
      bind(Slow).toSelf().inSingletonScope();
    }), { clock, handleSignals: true, loglevel: 'debug', shutdownTimeout: 0 });
    const status = h.worker.run();
    await h.until('Started');
    process.emit('SIGINT');
    process.emit('SIGINT');
    await clock.advanceAsync(249);
    process.emit('SIGINT');
    await flushMicrotasks();
    expect(h.out()).not.toContain('forcing exit');
    await clock.advanceAsync(1);
    process.emit('SIGINT');
    expect(await status).toBe(1);
    await h.worker.close();
    expect(h.err()).toBe('-INT- -INT- -INT- -INT- -INT- -INT-\n'.repeat(4));
    expect(h.out().match(/Signal received again within 250ms: SIGINT \(ignored, already stopping\)/g)).toHaveLength(2);
    expect(h.out()).toMatch(/: ERROR\]: \[\^Worker\]: Second signal \(SIGINT\) while stopping: forcing exit\. Still stopping: Slow \(in flush for 250ms\)\.\n/);
    expect(process.listenerCount('SIGINT')).toBe(0);
  });

  it('resolves 1 after a crash, once everything stopped', async () => {
    class Flaky extends Service {
      override onStarted() {
        this.addFuture(async () => {
          await this.sleep('1ms');
          throw new Error('lost the connection');
        }, 'consume');
      }
    }
    const h = harness(new Flaky());
    expect(await h.worker.run()).toBe(1);
    await h.worker.close();
    expect(h.out()).toContain(': ERROR]: [^-Flaky]: Crashed: Flaky.consume failed: Error: lost the connection\nError: lost the connection\n');
    expect(h.out()).toMatch(/\[\^Worker\]: -Stopped!\n$/);
  });

  it('resolves 2 for a usage error at start, logged without a stack', async () => {
    const h = harness(appModule, { services: ['Nope'] });
    expect(await h.worker.run()).toBe(2);
    await h.worker.close();
    expect(h.out()).toMatch(/: ERROR\]: \[\^Worker\]: No service Nope to start: it is not bound\. Bound services: Api, Cache\.\n$/);
  });

  it('accepts an Application, and refuses services for a Mode-style tree', () => {
    const app = new Application(appModule);
    expect(new Worker(app).app).toBe(app);
    expect(() => new Worker(new Service(), { services: ['X'] })).toThrow(UsageError);
    expect(() => new Worker((() => app) as never)).toThrow(/got a function\. Pass what it returns \(new Worker\(makeApp\(\)\)\), not the function\./);
    class AppService extends Service {}
    expect(() => new Worker(AppService as never)).toThrow(/got the class AppService\. Pass an instance \(new Worker\(new AppService\(\)\)\)/);
  });
});
