// The lifecycle decorators: forms accepted, and clear errors for misuse.
import { injectable } from 'inversify';
import { describe, expect, it } from 'vitest';
import { Application, DecoratorError, dependsOn, onShutdown, onStart, onStop } from '../../lib/index.js';
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
