// Mode's on_init_dependencies: a service names the services it needs; they start before it, stop after it, and are asked for once.
import { ContainerModule, injectable } from 'inversify';
import { describe, expect, it } from 'vitest';
import { Application, Service, UsageError } from '../../lib/index.js';

class Recorder extends Service {
  constructor(
    readonly name: string,
    readonly record: string[],
  ) {
    super();
  }
  override onStart() {
    this.record.push(`${this.name}+`);
  }
  override onStop() {
    this.record.push(`${this.name}-`);
  }
}

describe('onInitDependencies', () => {
  it('adds what it returns as owned dependencies: they start first, stop last, and a restart does not ask again', async () => {
    const log: string[] = [];
    let asked = 0;
    const db = new Recorder('db', log);
    const cache = new Recorder('cache', log);
    class App extends Recorder {
      override onInitDependencies() {
        asked++;
        return [db, cache];
      }
    }
    const app = new App('app', log);
    const plan = await new Application(app).plan();
    expect(plan.order.at(-1)).toBe('App');
    expect([...plan.order].slice(0, 2).sort()).toEqual(['Recorder', 'Recorder']);
    await app.start();
    expect(log.indexOf('app+')).toBe(2);
    await app.restart();
    await app.stop();
    expect(log.at(-3)).toBe('app-');
    expect(log.slice(-2).sort()).toEqual(['cache-', 'db-']);
    expect(asked).toBe(1);
    expect(db.state).toBe('shutdown');
  });

  it('works for a Service bound in a container', async () => {
    const log: string[] = [];
    const metrics = new Recorder('metrics', log);
    @injectable()
    class Api extends Service {
      override onInitDependencies() {
        return [metrics];
      }
      override onStart() {
        log.push('api+');
      }
    }
    const app = new Application(new ContainerModule(({ bind }) => void bind(Api).toSelf().inSingletonScope()));
    await app.start();
    expect(log).toEqual(['metrics+', 'api+']);
    await app.stop();
    expect(metrics.state).toBe('shutdown');
  });

  it('refuses something that is not a service, naming the service and the position', async () => {
    class Bad extends Service {
      override onInitDependencies() {
        return [new Service(), 'db' as never];
      }
    }
    await expect(new Bad().start()).rejects.toThrow(new UsageError('Bad.onInitDependencies() returned a string at position 1: return the services it needs (objects), e.g. [this.db].'));
  });
});
