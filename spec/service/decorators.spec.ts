// The lifecycle decorators: forms accepted, and clear errors for misuse.
import { decorate, injectable } from 'inversify';
import { describe, expect, it } from 'vitest';
import { Application, crontab, DecoratorError, dependsOn, ManualClock, onShutdown, onStart, onStop, task, timer } from '../../lib/index.js';
import { singletons } from '../support/modules.js';

describe('lifecycle decorators', () => {
  it('work bare (@onStart) as well as called (@onStart())', async () => {
    const calls: string[] = [];
    @injectable()
    class Bare {
      @onStart start() {
        calls.push('start');
      }
      @onShutdown shut() {
        calls.push('shutdown');
      }
    }
    const app = new Application(singletons(Bare));
    await app.start();
    await app.stop();
    expect(calls).toEqual(['start', 'shutdown']);
  });

  it('reject a property, naming it and the fix', () => {
    expect(() => {
      class C {
        // @ts-expect-error: a method decorator on a field is a type error too
        @onStart() field = 1;
      }
      return C;
    }).toThrow(new DecoratorError('@onStart() must decorate a method, but C.field is a property. Write it as a method: field() { … }.'));
  });

  it('reject an accessor', () => {
    expect(() => {
      class C {
        // @ts-expect-error: an accessor is no method, a type error too (this checks the run-time guard, for JavaScript)
        @onStop() get value() {
          return 1;
        }
      }
      return C;
    }).toThrow(/@onStop\(\) must decorate a method, but C\.value is an accessor/);
  });

  it('reject a static method', () => {
    expect(() => {
      class C {
        @onStart() static boot() {}
      }
      return C;
    }).toThrow(/@onStart\(\) cannot decorate the static member C\.boot/);
  });

  it('reject options that are not an object', () => {
    // @ts-expect-error: wrong argument type on purpose
    expect(() => onStart('5s')).toThrow(/@onStart\(\) takes an options object such as \{ timeout: '5s' \}, got 5s/);
  });

  it('@dependsOn rejects an empty list and undefined (a circular import)', () => {
    expect(() => {
      @dependsOn()
      class C {}
      return C;
    }).toThrow(/@dependsOn\(\) on C lists nothing/);
    expect(() => {
      @dependsOn(undefined as never)
      class D {}
      return D;
    }).toThrow(/@dependsOn\(\.\.\.\) on D got undefined at position 1, usually a circular import\. Use new LazyServiceIdentifier/);
  });
});

describe('decorators applied by hand, as plain JavaScript does', () => {
  it("work with inversify's decorate(), which passes no property descriptor", async () => {
    const calls: string[] = [];
    class Db {
      connect(signal: AbortSignal) {
        calls.push(`connect ${signal instanceof AbortSignal}`);
      }
      close() {
        calls.push('close');
      }
    }
    decorate(injectable(), Db);
    decorate(onStart({ timeout: '5s' }) as MethodDecorator, Db, 'connect');
    decorate(onStop() as MethodDecorator, Db, 'close');
    const app = new Application(singletons(Db));
    await app.start();
    await app.stop();
    expect(calls).toEqual(['connect true', 'close']);
  });

  it('find an inherited method on the prototype chain', async () => {
    const calls: string[] = [];
    class Base {
      open() {
        calls.push('open');
      }
    }
    class Db extends Base {}
    decorate(injectable(), Db);
    decorate(onStart() as MethodDecorator, Db, 'open');
    const app = new Application(singletons(Db));
    await app.start();
    await app.stop();
    expect(calls).toEqual(['open']);
  });

  it('run @task, @timer and @crontab applied with decorate()', async () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:30Z'));
    const calls: string[] = [];
    class Pump {
      run(signal: AbortSignal) {
        calls.push('task');
        return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      }
      tick() {
        calls.push('timer');
      }
      minutely() {
        calls.push('cron');
      }
    }
    decorate(injectable(), Pump);
    decorate(task() as MethodDecorator, Pump, 'run');
    decorate(timer('10s') as MethodDecorator, Pump, 'tick');
    decorate(crontab('* * * * *', { timezone: 'UTC' }) as MethodDecorator, Pump, 'minutely');
    const app = new Application(singletons(Pump), { clock });
    await app.start();
    await clock.advanceAsync('30s');
    await app.stop();
    expect(calls.filter((c) => c === 'task')).toHaveLength(1);
    expect(calls.filter((c) => c === 'timer')).toHaveLength(3);
    expect(calls.filter((c) => c === 'cron')).toHaveLength(1);
  });

  it('still reject a name that is no method', () => {
    class Cache {
      warm = true;
    }
    expect(() => decorate(onStart() as MethodDecorator, Cache, 'warm')).toThrow(new DecoratorError('@onStart() must decorate a method, but Cache.warm is a property. Write it as a method: warm() { … }.'));
    expect(() => decorate(timer('1s') as MethodDecorator, Cache, 'warm')).toThrow(/@timer\(\) must decorate a method, but Cache\.warm is a property/);
  });
});
