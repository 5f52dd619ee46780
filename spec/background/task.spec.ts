// @task and addFuture: started after onStart, aborted and awaited at stop, crashing on error.
import { injectable } from 'inversify';
import { describe, expect, it } from 'vitest';
import {
  Application,
  DecoratorError,
  HookError,
  ManualClock,
  StartError,
  onShutdown,
  onStart,
  onStarted,
  onStop,
  Service,
  sleepOn,
  task,
} from '../../lib/index.js';
import { singletons } from '../support/modules.js';
import { failOnUnhandledRejections } from '../support/unhandled.js';

failOnUnhandledRejections();

/** Resolves when `signal` aborts. */
const aborted = (signal: AbortSignal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

describe('@task', () => {
  it('starts after onStart, is aborted when the stop begins and awaited before onShutdown', async () => {
    const clock = new ManualClock();
    const log: string[] = [];
    @injectable()
    class Consumer {
      @onStart() open() {
        log.push('onStart');
      }
      @task() async consume(signal: AbortSignal) {
        log.push('task begins');
        await aborted(signal);
        log.push(`task aborted: ${(signal.reason as Error).message}`);
        await sleepOn(clock, 100); // drains for a while after the abort
        log.push('task drained');
      }
      @onStop() close() {
        log.push('onStop');
      }
      @onShutdown() release() {
        log.push('onShutdown');
      }
    }
    const app = new Application(singletons(Consumer), { clock });
    await app.start();
    await clock.advanceAsync(0);
    expect(log).toEqual(['onStart', 'task begins']);
    let stopped = false;
    const stopping = app.stop().then(() => (stopped = true));
    await clock.advanceAsync(99);
    expect(stopped).toBe(false);
    await clock.advanceAsync(1);
    await stopping;
    expect(log).toEqual(['onStart', 'task begins', 'onStop', 'task aborted: Consumer is stopping', 'task drained', 'onShutdown']);
  });

  it('runs while onStarted runs: background work begins between onStart and onStarted', async () => {
    const log: string[] = [];
    @injectable()
    class Worker {
      @onStarted() async ready() {
        log.push('onStarted begins');
        await new Promise((r) => setImmediate(r));
        log.push('onStarted ends');
      }
      @task() work() {
        log.push('task');
      }
    }
    const app = new Application(singletons(Worker), { clock: new ManualClock() });
    await app.start();
    expect(log).toEqual(['onStarted begins', 'task', 'onStarted ends']);
    await app.stop();
  });

  it('works bare (@task) and on a Mode-style Service, with the service label in the abort reason', async () => {
    const seen: string[] = [];
    class Pump extends Service {
      override get label() {
        return 'pump';
      }
      @task async run(signal: AbortSignal) {
        await aborted(signal);
        seen.push(String((signal.reason as Error).message));
      }
    }
    const pump = new Pump();
    await pump.start({ clock: new ManualClock() });
    await pump.stop();
    expect(seen).toEqual(['pump is stopping']);
  });

  it('may finish early; the service keeps running', async () => {
    @injectable()
    class Once {
      done = false;
      @task() warmUp() {
        this.done = true;
      }
    }
    const app = new Application(singletons(Once), { clock: new ManualClock() });
    await app.start();
    await new Promise((r) => setImmediate(r));
    expect(app.get(Once).done).toBe(true);
    expect(app.state).toBe('running');
    await app.stop();
    expect(app.state).toBe('shutdown');
  });

  it('runs again on every restart', async () => {
    let runs = 0;
    class Looper extends Service {
      @task() async loop(signal: AbortSignal) {
        runs++;
        await aborted(signal);
      }
    }
    const looper = new Looper();
    await looper.start({ clock: new ManualClock() });
    await looper.restart();
    await looper.restart();
    await new Promise((r) => setImmediate(r));
    expect(runs).toBe(3);
    await looper.stop();
  });

  it('rejecting with the stop abort (or an AbortError) is a clean stop', async () => {
    @injectable()
    class Fetcher {
      @task() async fetch(signal: AbortSignal) {
        await aborted(signal);
        throw signal.reason;
      }
      @task() async other(signal: AbortSignal) {
        await aborted(signal);
        throw new DOMException('The operation was aborted', 'AbortError');
      }
    }
    const app = new Application(singletons(Fetcher), { clock: new ManualClock() });
    await app.start();
    await app.stop();
    expect(app.state).toBe('shutdown');
  });

  it('that throws crashes its service; the application stops in reverse order and is crashed', async () => {
    const clock = new ManualClock();
    const log: string[] = [];
    @injectable()
    class Db {
      @onStop() close() {
        log.push('Db stop');
      }
    }
    @injectable()
    class Consumer {
      constructor(readonly db: Db) {}
      @task({ name: 'consume-orders' }) async consume() {
        await sleepOn(clock, 500);
        throw new Error('queue closed');
      }
      @onStop() close() {
        log.push('Consumer stop');
      }
    }
    const app = new Application(singletons(Consumer, Db), { clock });
    const crashed: string[] = [];
    app.on('service.crashed', (e) => crashed.push(`${e.service.label}: ${e.error.message}`));
    await app.start();
    await clock.advanceAsync(500);
    await app.waitUntilStopped();
    expect(app.state).toBe('crashed');
    expect(app.crashReason).toBeInstanceOf(HookError);
    expect(crashed).toEqual(['Consumer: Consumer.consume-orders failed: Error: queue closed']);
    expect(log).toEqual(['Consumer stop', 'Db stop']);
  });

  it('a synchronous throw crashes the service too: before the start has settled, it fails the start', async () => {
    class Broken extends Service {
      @task() boom() {
        throw new RangeError('no');
      }
    }
    const broken = new Broken();
    await expect(broken.start({ clock: new ManualClock() })).rejects.toThrow(StartError);
    await broken.waitUntilStopped();
    expect(broken.state).toBe('shutdown');
    expect(broken.crashReason?.message).toBe('Broken.boom failed: RangeError: no');
  });

  it('Service.addFuture work is tracked the same way: awaited at stop, crashing on error', async () => {
    const clock = new ManualClock();
    const log: string[] = [];
    class Owner extends Service {
      override onStart() {
        this.addFuture(async (signal) => {
          await aborted(signal);
          await sleepOn(clock, 10);
          log.push('future drained');
        }, 'drain');
      }
      override onShutdown() {
        log.push('onShutdown');
      }
    }
    const owner = new Owner();
    await owner.start({ clock });
    await clock.runUntil(owner.stop());
    expect(log).toEqual(['future drained', 'onShutdown']);

    class Failing extends Service {
      override onStarted() {
        this.addFuture(sleepOn(clock, 5).then(() => Promise.reject(new Error('lost'))), 'poller');
      }
    }
    const failing = new Failing();
    await failing.start({ clock });
    await clock.advanceAsync(5);
    await failing.waitUntilStopped();
    expect(failing.crashReason?.message).toBe('Failing.poller failed: Error: lost');
  });
});

describe('bad use of @task', () => {
  it('rejects a field, naming it and the fix', () => {
    expect(() => {
      class C {
        // @ts-expect-error: a method decorator on a field is a type error too
        @task() field = 1;
      }
      return C;
    }).toThrow(new DecoratorError('@task() must decorate a method, but C.field is a property. Write it as a method: field() { … }.'));
  });

  it('rejects a static method', () => {
    expect(() => {
      class C {
        @task() static run() {}
      }
      return C;
    }).toThrow(/@task\(\) cannot decorate the static member C\.run/);
  });

  it('rejects an accessor', () => {
    expect(() => {
      class C {
        // @ts-expect-error: an accessor is no method, a type error too (this checks the run-time guard, for JavaScript)
        @task() get value() {
          return 1;
        }
      }
      return C;
    }).toThrow(/@task\(\) must decorate a method, but C\.value is an accessor/);
  });

  it('rejects options that are not an object', () => {
    expect(() => task('consumer' as never)).toThrow(new DecoratorError(`@task() takes an options object such as { name: 'consumer' }, got consumer.`));
  });
});
