import { it, expect } from 'vitest';
import { ContainerModule, injectable, inject, LazyServiceIdentifier } from 'inversify';
import { Application, Service, onStart, onStop, cachedProperty, StartError, CycleError, MissingBindingError, ScopeError, ManualClock } from '../../lib/index.js';

it('rollback', async () => {
  const log: string[] = [];
  @injectable() class A { @onStart() s() { log.push('A+'); } @onStop() t() { log.push('A-'); } }
  @injectable() class B { constructor(readonly a: A) {} @onStart() s() { throw new Error('boom'); } @onStop() t() { log.push('B-'); } }
  const app = new Application(new ContainerModule(({ bind }) => { bind(A).toSelf().inSingletonScope(); bind(B).toSelf().inSingletonScope(); }));
  const err = await app.start().catch((e) => e);
  expect(err).toBeInstanceOf(StartError);
  console.log(err.message);
  expect(log).toEqual(['A+', 'A-']);
  expect(app.state).toBe('shutdown');
});

it('mode style', async () => {
  const log: string[] = [];
  class PageViewCache extends Service { override async onStart() { log.push('cache+'); } override async onStop() { log.push('cache-'); } }
  class App extends Service {
    @cachedProperty get cache() { return new PageViewCache(); }
    override async onStart() { log.push('app+'); await this.addRuntimeDependency(this.cache); }
    override async onStop() { log.push('app-'); }
  }
  const app = new App();
  await app.start();
  expect(app.cache.state).toBe('running');
  await app.stop();
  expect(log).toEqual(['app+', 'cache+', 'app-', 'cache-']);
  expect(app.state).toBe('shutdown');
  expect(app.cache.state).toBe('shutdown');
});

it('errors', async () => {
  @injectable() class X { constructor(@inject(new LazyServiceIdentifier(() => Y)) readonly y: unknown) {} }
  @injectable() class Y { constructor(readonly x: X) {} }
  const e1 = await new Application(new ContainerModule(({ bind }) => { bind(X).toSelf(); bind(Y).toSelf(); })).plan().catch((e) => e);
  console.log(e1.message);
  @injectable() class Z { constructor(readonly y: Y) {} }
  @injectable() class Top { constructor(readonly z: Z) {} }
  const e2 = await new Application(new ContainerModule(({ bind }) => { bind(Top).toSelf(); bind(Z).toSelf(); })).plan().catch((e) => e);
  console.log(e2.message);
  @injectable() class H { @onStart() s() {} }
  const e3 = await new Application(new ContainerModule(({ bind }) => { bind(H).toSelf(); })).plan().catch((e) => e);
  console.log(e3.message);
  expect(e1).toBeInstanceOf(CycleError); expect(e2).toBeInstanceOf(MissingBindingError); expect(e3).toBeInstanceOf(ScopeError);
});

it('timeout with manual clock', async () => {
  const clock = new ManualClock();
  @injectable() class Slow { @onStart({ timeout: '5s' }) s(signal: AbortSignal) { return new Promise((_, rej) => signal.addEventListener('abort', () => rej(signal.reason))); } }
  const app = new Application(new ContainerModule(({ bind }) => { bind(Slow).toSelf().inSingletonScope(); }), { clock });
  const p = app.start();
  const err = await clock.runUntil(p).catch((e) => e);
  console.log(err.message, clock.now());
});

it('crash stops app', async () => {
  @injectable() class C extends Service { override onStop() {} }
  const app = new Application(new ContainerModule(({ bind }) => { bind(C).toSelf().inSingletonScope(); }));
  await app.start();
  app.get(C).crash(new Error('bad'));
  await app.waitUntilStopped();
  expect(app.state).toBe('crashed');
  expect(app.crashReason?.message).toBe('bad');
});
