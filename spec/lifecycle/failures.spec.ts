// Transactional start, stop that never skips, crashes without a supervisor.
import { injectable } from 'inversify';
import { describe, expect, it } from 'vitest';
import {
  Application,
  HookError,
  ManualClock,
  onShutdown,
  onStart,
  onStop,
  ResolutionError,
  Service,
  sleepOn,
  StartError,
  StartInterruptedError,
  StopError,
  task,
} from '../../lib/index.js';
import { recordEvents, singletons } from '../support/modules.js';
import { failOnUnhandledRejections } from '../support/unhandled.js';

failOnUnhandledRejections();

function chain(log: string[], failAt?: string, failStopAt?: readonly string[]) {
  const hooks = (name: string) => ({
    start() {
      if (name === failAt) throw new Error(`${name} cannot connect`);
      log.push(`${name}+`);
    },
    stop() {
      log.push(`${name}-`);
      if (failStopAt?.includes(name)) throw new Error(`${name} cannot close`);
    },
  });
  @injectable()
  class Db {
    h = hooks('Db');
    @onStart() s() {
      this.h.start();
    }
    @onStop() t() {
      this.h.stop();
    }
  }
  @injectable()
  class Cache {
    h = hooks('Cache');
    constructor(readonly db: Db) {}
    @onStart() s() {
      this.h.start();
    }
    @onStop() t() {
      this.h.stop();
    }
  }
  @injectable()
  class Web {
    h = hooks('Web');
    constructor(readonly cache: Cache) {}
    @onStart() s() {
      this.h.start();
    }
    @onStop() t() {
      this.h.stop();
    }
  }
  return singletons(Web, Cache, Db);
}

describe('a failing start', () => {
  it('stops everything already started, in reverse order, and rejects naming the service, hook and cause', async () => {
    const log: string[] = [];
    const app = new Application(chain(log, 'Web'));
    const error = await app.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartError);
    expect((error as StartError).message).toBe('Start failed: Web.s (onStart) failed: Error: Web cannot connect');
    const [failure] = (error as StartError).errors;
    expect(failure).toBeInstanceOf(HookError);
    expect(failure).toMatchObject({ service: 'Web', hook: 's', phase: 'onStart' });
    expect((failure!.cause as Error).message).toBe('Web cannot connect');
    expect(log).toEqual(['Db+', 'Cache+', 'Cache-', 'Db-']);
    expect(app.state).toBe('shutdown');
    // The failed service is stopped too (its stop hooks are not owed), and says why it failed.
    expect(app.services.map((s) => s.state)).toEqual(['shutdown', 'shutdown', 'shutdown']);
    expect(app.services[0]!.crashReason).toBe(failure);
  });

  it('stops every started service even when some of those stops fail, and reports them', async () => {
    const log: string[] = [];
    const app = new Application(chain(log, 'Web', ['Cache']));
    const error = (await app.start().catch((e: unknown) => e)) as StartError;
    expect(log).toEqual(['Db+', 'Cache+', 'Cache-', 'Db-']);
    expect(error.rollbackErrors.map((e) => e.message)).toEqual(['Cache.t (onStop) failed: Error: Cache cannot close']);
    expect(error.message).toContain('1 error(s) while rolling back');
  });

  it('lists every failure when independent branches fail together', async () => {
    @injectable()
    class A {
      @onStart() async s() {
        throw new Error('a');
      }
    }
    @injectable()
    class B {
      @onStart() async s() {
        throw new Error('b');
      }
    }
    const app = new Application(singletons(A, B));
    const error = (await app.start().catch((e: unknown) => e)) as StartError;
    expect(error.errors.map((e) => e.service)).toEqual(['A', 'B']);
    expect(error.message).toContain('(and 1 more: B.s)');
  });

  it('does not start dependents of a failed service, and aborts starts still in flight', async () => {
    const clock = new ManualClock();
    let slowSignal: AbortSignal | undefined;
    let dependentStarted = false;
    @injectable()
    class Fails {
      @onStart() async s() {
        await sleepOn(clock, 10);
        throw new Error('nope');
      }
    }
    @injectable()
    class Slow {
      @onStart() async s(signal: AbortSignal) {
        slowSignal = signal;
        await sleepOn(clock, 1_000, signal);
      }
      @onStop() t() {}
    }
    @injectable()
    class Dependent {
      constructor(readonly f: Fails) {}
      @onStart() s() {
        dependentStarted = true;
      }
    }
    const app = new Application(singletons(Fails, Slow, Dependent), { clock });
    await expect(clock.runUntil(app.start())).rejects.toBeInstanceOf(StartError);
    expect(dependentStarted).toBe(false);
    expect(slowSignal!.aborted).toBe(true);
    expect(clock.now()).toBe(10);
  });

  it('fails when the container cannot create a service, before anything starts', async () => {
    let started = false;
    @injectable()
    class Ok {
      @onStart() s() {
        started = true;
      }
    }
    @injectable()
    class Broken {
      constructor(readonly ok: Ok) {
        throw new Error('bad config');
      }
    }
    const app = new Application(singletons(Ok, Broken));
    const error = await app.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResolutionError);
    expect((error as Error).message).toMatch(/^Could not create Broken: .*bad config/);
    expect(started).toBe(false);
  });

  it('emits app.rollingBack and startFailed events', async () => {
    const app = new Application(chain([], 'Cache'));
    const events = recordEvents(app, ['service.startFailed', 'app.rollingBack', 'app.stopping', 'app.stopped']);
    await app.start().catch(() => {});
    expect(events).toEqual(['service.startFailed:Cache', 'app.rollingBack', 'app.stopping', 'app.stopped']);
  });
});

describe('stop', () => {
  it('never skips a service: every one stops, and every failure is reported', async () => {
    const log: string[] = [];
    const app = new Application(chain(log, undefined, ['Web', 'Cache']));
    await app.start();
    const error = (await app.stop().catch((e: unknown) => e)) as StopError;
    expect(error).toBeInstanceOf(StopError);
    expect(log).toEqual(['Db+', 'Cache+', 'Web+', 'Web-', 'Cache-', 'Db-']);
    expect(error.errors.map((e) => e.message)).toEqual(['Web.t (onStop) failed: Error: Web cannot close', 'Cache.t (onStop) failed: Error: Cache cannot close']);
    expect(app.services.every((s) => s.state === 'shutdown')).toBe(true);
  });

  it('runs every stop hook of a service even after one of them fails', async () => {
    const calls: string[] = [];
    @injectable()
    class Pool {
      @onStop() drain() {
        calls.push('drain');
        throw new Error('drain failed');
      }
      @onStop() close() {
        calls.push('close');
      }
      @onShutdown() release() {
        calls.push('release');
      }
    }
    const app = new Application(singletons(Pool));
    await app.start();
    const error = (await app.stop().catch((e: unknown) => e)) as StopError;
    expect(calls).toEqual(['drain', 'close', 'release']);
    expect(error.errors.map((e) => e.message)).toEqual(['Pool.drain (onStop) failed: Error: drain failed']);
  });

  it('stop() while start() runs halts the start and stops what had started', async () => {
    const clock = new ManualClock();
    const log: string[] = [];
    @injectable()
    class First {
      @onStart() async s() {
        await sleepOn(clock, 100);
        log.push('First+');
      }
      @onStop() t() {
        log.push('First-');
      }
    }
    @injectable()
    class Second {
      constructor(readonly f: First) {}
      @onStart() s() {
        log.push('Second+');
      }
    }
    const app = new Application(singletons(First, Second), { clock });
    const starting = app.start();
    const startResult = starting.catch((e: unknown) => e);
    await clock.advanceAsync(10);
    const stopping = app.stop();
    await clock.runUntil(stopping);
    expect(await startResult).toBeInstanceOf(StartInterruptedError);
    expect(log).toEqual(['First+', 'First-']);
    expect(app.state).toBe('shutdown');
  });

  it('is idempotent: a second stop() does nothing', async () => {
    const log: string[] = [];
    const app = new Application(chain(log));
    await app.start();
    await Promise.all([app.stop(), app.stop()]);
    await app.stop();
    expect(log.filter((l) => l.endsWith('-'))).toEqual(['Web-', 'Cache-', 'Db-']);
  });
});

describe('a crash with no supervisor', () => {
  it('stops the whole app in reverse order and leaves it crashed with the reason', async () => {
    const log: string[] = [];
    @injectable()
    class Db extends Service {
      override onStop() {
        log.push('Db-');
      }
    }
    @injectable()
    class Worker extends Service {
      constructor(readonly db: Db) {
        super();
      }
      override onStop() {
        log.push('Worker-');
      }
    }
    const app = new Application(singletons(Worker, Db));
    const events = recordEvents(app, ['service.crashed', 'app.stopping']);
    await app.start();
    app.get(Db).crash(new Error('connection lost'));
    await app.waitUntilStopped();
    expect(app.state).toBe('crashed');
    expect(app.crashReason?.message).toBe('connection lost');
    expect(app.get(Db).crashReason?.message).toBe('connection lost');
    expect(log).toEqual(['Worker-', 'Db-']);
    expect(events).toEqual(['service.crashed:Db', 'app.stopping']);
  });

  it('a future that rejects while the service runs crashes it, and the app stops', async () => {
    const clock = new ManualClock();
    class Consumer extends Service {
      override onStart() {
        this.addFuture(sleepOn(clock, 30).then(() => Promise.reject(new Error('queue closed'))), 'consume');
      }
    }
    const app = new Application(new Consumer(), { clock });
    await app.start();
    await clock.runUntil(app.waitUntilStopped());
    expect(app.state).toBe('crashed');
    expect(app.crashReason?.message).toBe('Consumer.consume failed: Error: queue closed');
  });

  it('a future that rejects during onStart fails the start', async () => {
    class Consumer extends Service {
      override onStart() {
        this.addFuture(Promise.reject(new Error('queue closed')), 'consume');
      }
    }
    const error = (await new Application(new Consumer()).start().catch((e: unknown) => e)) as StartError;
    expect(error).toBeInstanceOf(StartError);
    expect(error.message).toBe('Start failed: Consumer.consume failed: Error: queue closed');
  });

  it('a crash while the app is starting fails the start', async () => {
    const clock = new ManualClock();
    @injectable()
    class Early extends Service {
      override onStarted() {
        this.addFuture(sleepOn(clock, 5).then(() => Promise.reject(new Error('died early'))), 'pump');
      }
    }
    @injectable()
    class Late {
      @onStart() async s() {
        await sleepOn(clock, 50);
      }
    }
    const app = new Application(singletons(Early, Late), { clock });
    const error = (await clock.runUntil(app.start()).catch((e: unknown) => e)) as StartError;
    expect(error).toBeInstanceOf(StartError);
    expect(error.errors[0]!.message).toBe('Early.pump failed: Error: died early');
    expect(app.state).toBe('shutdown');
  });
});

describe('a service with one start hook and one stop hook (the engine continues it by callbacks)', () => {
  it('fails the start when the hook crashes the service before returning', async () => {
    class Crashing extends Service {
      override async onStart() {
        this.crash(new Error('lost the socket'));
      }
    }
    const service = new Crashing();
    const failure = await service.start().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StartError);
    expect(String((failure as StartError).message)).toMatch(/lost the socket/);
    expect(service.state).toBe('shutdown');
  });

  it('awaits work the stop hook starts before the service counts as stopped', async () => {
    const clock = new ManualClock();
    const log: string[] = [];
    class Flushing extends Service {
      override onStop() {
        this.addFuture(sleepOn(clock, 20).then(() => log.push('flushed')), 'flush');
      }
    }
    const service = new Flushing();
    await service.start({ clock });
    const stopping = service.stop().then(() => log.push(`stopped: ${service.state}`));
    await clock.runUntil(stopping);
    expect(log).toEqual(['flushed', 'stopped: shutdown']);
    expect(clock.now()).toBe(20);
  });

  it('with background work: the stop hook runs, then the aborted work is awaited, and its failure reported', async () => {
    const clock = new ManualClock();
    const log: string[] = [];
    class Pumping extends Service {
      @task() async pump(signal: AbortSignal) {
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        log.push(`pump saw the abort (onStop already ran: ${log.includes('onStop')})`);
        await sleepOn(clock, 10); // ignores the signal: the stop must still wait
        log.push('pump done');
        throw new Error('unflushed');
      }
      override onStop() {
        log.push('onStop');
      }
    }
    const service = new Pumping();
    await clock.runUntil(service.start({ clock }));
    const stopping = service.stop().then(
      () => log.push('stopped'),
      (error: unknown) => log.push(`stop failed: ${(error as Error).message} (${service.state})`),
    );
    await clock.runUntil(stopping);
    expect(log).toEqual(['onStop', 'pump saw the abort (onStop already ran: true)', 'pump done', 'stop failed: Stop finished with 1 error(s): Pumping.pump failed: Error: unflushed (shutdown)']);
    expect(clock.now()).toBe(10);
  });

  it('a service that never finished starting still has its background work awaited at stop', async () => {
    const clock = new ManualClock();
    const log: string[] = [];
    class Early extends Service {
      override async onStart() {
        this.addFuture(sleepOn(clock, 5).then(() => log.push('future done')), 'warm-up');
        throw new Error('no config');
      }
      override onStop() {
        log.push('onStop');
      }
    }
    const service = new Early();
    const failure = await clock.runUntil(service.start({ clock }).catch((e: unknown) => e));
    expect(failure).toBeInstanceOf(StartError);
    expect(log).toEqual(['future done']);
    expect(service.state).toBe('shutdown');
  });

  it('reports a stop hook that throws synchronously, and still stops', async () => {
    @injectable()
    class Brittle {
      @onStart() begin() {}
      @onStop() end() {
        throw new RangeError('half-closed');
      }
    }
    const app = new Application(singletons(Brittle));
    await app.start();
    const failure = await app.stop().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StopError);
    expect(String((failure as StopError).message)).toMatch(/Brittle\.end.*half-closed/);
    expect(app.services[0]!.state).toBe('shutdown');
  });
});
