// Bench app: SERVICES (default 1,000) services, each with a timer, and a stop hook taking STOP_MS (default 20ms).
import { ContainerModule, injectable } from 'inversify';
import { Service, timer } from 'mode-di';

const count = Number(process.env['SERVICES'] ?? 1000);
const stopMs = Number(process.env['STOP_MS'] ?? 20);

function makeService(i: number): new () => Service {
  class Periodic extends Service {
    ticks = 0;
    tick() {
      this.ticks++;
    }
    override async onStop() {
      await new Promise((resolve) => setTimeout(resolve, stopMs));
    }
  }
  Object.defineProperty(Periodic, 'name', { value: `Periodic${i}` });
  const tick = Object.getOwnPropertyDescriptor(Periodic.prototype, 'tick')!;
  timer('100ms')(Periodic.prototype, 'tick', tick);
  injectable()(Periodic);
  return Periodic;
}

const services = Array.from({ length: count }, (_, i) => makeService(i));

export default new ContainerModule(({ bind }) => {
  for (const service of services) bind(service).toSelf().inSingletonScope();
});
