// What a class's decorators add up to: its own hooks, merged with its bases', and declarations made late.
import { describe, expect, it } from 'vitest';
import { declareHook, lifecycleOf } from '../../lib/lifecycle/declarations.js';
import { onStart, onStop, Service } from '../../lib/index.js';

const names = (ctor: Function) => lifecycleOf(ctor).hookNames;

describe('lifecycleOf', () => {
  it("gives a class's own hooks, each bound to the decorated function", () => {
    class Db {
      @onStart() open(_signal: AbortSignal) {}
      @onStop() close() {}
    }
    const lifecycle = lifecycleOf(Db);
    expect(lifecycle.hooks.onStart.map((h) => [h.method, h.fn])).toEqual([['open', Db.prototype.open]]);
    expect(lifecycle.hooks.onStop.map((h) => [h.method, h.fn])).toEqual([['close', Db.prototype.close]]);
    expect([lifecycle.hasLifecycle, lifecycle.isService]).toEqual([true, false]);
    expect(lifecycleOf(Db)).toBe(lifecycle);
  });

  it('leaves a lifecycle already read as it was when the class is declared more hooks later; the next read has them', () => {
    class Late {
      @onStart() open() {}
      close() {}
    }
    const before = lifecycleOf(Late);
    declareHook(Late, { phase: 'onStop', method: 'close', fn: Late.prototype.close });
    const after = lifecycleOf(Late);
    expect(before.hooks.onStop).toEqual([]);
    expect(before.hookNames).toEqual(['open (onStart)']);
    expect(after.hooks.onStart.map((h) => h.method)).toEqual(['open']);
    expect(after.hooks.onStop.map((h) => h.method)).toEqual(['close']);
    expect(after.hookNames).toEqual(['open (onStart)', 'close (onStop)']);
  });

  it('keeps the timeout a hook declares', () => {
    class Db {
      open() {}
      close() {}
    }
    declareHook(Db, { phase: 'onStart', method: 'open', fn: Db.prototype.open });
    declareHook(Db, { phase: 'onStop', method: 'close', fn: Db.prototype.close, timeoutMs: 50 });
    const lifecycle = lifecycleOf(Db);
    expect(lifecycle.hookNames).toEqual(['open (onStart)', 'close (onStop)']);
    expect(lifecycle.hooks.onStop[0]!.timeoutMs).toBe(50);
    expect(lifecycle.hooks.onStart[0]!.timeoutMs).toBeUndefined();
  });

  it("merges a subclass's hooks after its base's, and calls the subclass's override of an inherited hook", () => {
    class Base {
      @onStart() open() {}
      @onStop() close() {}
    }
    class Derived extends Base {
      override close() {}
      @onStart() warm() {}
    }
    const lifecycle = lifecycleOf(Derived);
    expect(lifecycle.hooks.onStart.map((h) => h.method)).toEqual(['open', 'warm']);
    expect(lifecycle.hooks.onStop.map((h) => h.fn)).toEqual([Derived.prototype.close]);
    expect(names(Base)).toEqual(['open (onStart)', 'close (onStop)']);
    expect(lifecycleOf(Base).hooks.onStop.map((h) => h.fn)).toEqual([Base.prototype.close]);
  });

  it('gives a class without declarations an empty lifecycle, and a Service subclass its overridden callbacks', () => {
    class Plain {}
    expect([lifecycleOf(Plain).hasLifecycle, lifecycleOf(Plain).hookNames]).toEqual([false, []]);
    class Cache extends Service {
      override async onStart() {}
      @onStop() flush() {}
    }
    const lifecycle = lifecycleOf(Cache);
    expect(lifecycle.isService).toBe(true);
    expect(lifecycle.hookNames).toEqual(['onStart', 'flush (onStop)']);
  });
});
