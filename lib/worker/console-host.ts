// The remote console's view of the Worker's app, built from the public API: app.services, app.on(...), Service.restart()/stop().
import type { Application } from '../application/application.js';
import type { ConsoleHost, ConsoleTask } from '../diagnostics/console-host.js';
import { ConsoleError } from '../diagnostics/errors.js';
import type { LoopMonitor } from '../diagnostics/loop-monitor.js';
import type { ServiceNode } from '../lifecycle/state.js';
import { Service } from '../service/service.js';
import type { Unsubscribe } from '../utils/event-bus.js';
import type { Activity } from './activity.js';
import { serviceTreeLines } from './dump.js';

/**
 * A {@link ConsoleHost} for a Worker's app: uptimes from `service.started` events, hooks in
 * progress from the Worker's `Activity`, background work from `ServiceNode.inFlight`, restart
 * and stop through `Service`. It has no `cancel`: cancelling single tasks needs the engine's
 * registry of work in flight.
 *
 * @example
 * ```ts
 * const host = workerConsoleHost(app, activity, monitor, () => worker.dumpText(), () => performance.now());
 * // … later
 * host.dispose();
 * ```
 */
export function workerConsoleHost(app: Application, activity: Activity, loop: LoopMonitor, dump: () => string, now: () => number): ConsoleHost & { dispose: Unsubscribe } {
  const runningSince = new Map<ServiceNode, number>();
  const dispose = app.on((event) => {
    if (event.type === 'service.started') runningSince.set(event.service, now());
    else if (event.type === 'service.stopping' || event.type === 'service.crashed' || event.type === 'service.startFailed') runningSince.delete(event.service);
  });
  const find = (label: string): Service => {
    const matches = app.services.filter((s) => s.label === label);
    if (matches.length === 0) throw new ConsoleError(`There is no service ${JSON.stringify(label)}. Services: ${app.services.map((s) => s.label).join(', ') || 'none'}.`);
    const instance = matches[0]!.instance;
    if (!(instance instanceof Service)) {
      throw new ConsoleError(`${label} is a plain injectable, not a Service: the console restarts and stops Service subclasses only (restart the app, or make ${label} extend Service).`);
    }
    return instance;
  };
  return {
    app,
    dispose,
    services: () => app.services,
    uptimeOf: (service) => {
      const since = runningSince.get(service);
      return since === undefined || service.state !== 'running' ? undefined : now() - since;
    },
    graph: () => serviceTreeLines(app, activity, now()).join('\n'),
    tasks: () => {
      const at = now();
      const tasks: ConsoleTask[] = [];
      for (const service of app.services) {
        const hook = activity.hookOf(service);
        if (hook) tasks.push({ id: `${service.label}:${hook.hook}`, service: service.label, name: hook.hook, kind: 'hook', ageMs: at - hook.since });
        for (const name of service.inFlight) tasks.push({ id: `${service.label}:${name}`, service: service.label, name, kind: 'background', ageMs: undefined });
      }
      return tasks;
    },
    restart: (label) => find(label).restart(),
    stop: (label) => find(label).stop(),
    loopDelay: () => loop.snapshot(),
    dump,
  };
}
