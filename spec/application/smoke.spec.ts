import { describe, it, expect } from 'vitest';
import { ContainerModule, injectable } from 'inversify';
import { Application, Service, onStart, onStop } from '../../lib/index.js';

const log: string[] = [];
@injectable() class Cache { @onStart() async connect() { log.push('cache start'); } @onStop() close() { log.push('cache stop'); } }
@injectable() class App extends Service { constructor(readonly cache: Cache) { super(); } override async onStart() { log.push('app start'); } override onStop() { log.push('app stop'); } }

it('smoke', async () => {
  const app = new Application(new ContainerModule(({ bind }) => { bind(App).toSelf().inSingletonScope(); bind(Cache).toSelf().inSingletonScope(); }));
  const events: string[] = [];
  app.on((e) => events.push(e.type + ('service' in e ? ':' + e.service.label : '')));
  console.log(await app.plan());
  await app.start();
  expect(app.get(App).cache).toBe(app.get(Cache));
  await app.stop();
  expect(log).toEqual(['cache start', 'app start', 'app stop', 'cache stop']);
  console.log(events.join('\n'));
});
