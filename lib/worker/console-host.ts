// The remote console's view of the Worker's app: services and uptimes, the engine's work in flight (cancellable), restart and stop by label.
import type { Application } from '../application/application.js';
import type { ConsoleHost, ConsoleTask } from '../diagnostics/console-host.js';
import { ConsoleError } from '../diagnostics/errors.js';
import type { LoopMonitor } from '../diagnostics/loop-monitor.js';
import { WorkCancelledError } from '../errors/lifecycle.js';
import type { ServiceNode } from '../lifecycle/state.js';
import type { Unsubscribe } from '../utils/event-bus.js';
import type { Activity } from './activity.js';
import { serviceTreeLines } from './dump.js';

/** What `cancel <id>` says about an id that names no work in flight it can cancel; `undefined` when it can. */
function cannotCancel(app: Application, id: string, tasks: readonly ConsoleTask[]): string | undefined {
  const task = tasks.find((t) => t.id === id);
  if (!task) return `Nothing in flight has the id ${JSON.stringify(id)} (it may have finished): type tasks for the list.`;
  if (task.kind === 'hook') return `${task.service} is in its ${task.name} hook: a hook is not cancelled on its own; stop ${task.service} aborts its signal.`;
  if (task.cancellable) return undefined;
  return `${id} is a future of ${task.service} added as a promise (${task.name}): mode-di can list it but not cancel it, since whoever made the promise settles it. Pass addFuture a function to give it a signal that cancel aborts, or restart ${task.service}.`;
}

/**
 * A {@link ConsoleHost} for a Worker's app: uptimes from `service.started` events, hooks in
 * progress from the Worker's `Activity`, background work from the engine's registry of work
 * in flight (with ids, ages, creation stacks, and `cancel`), `restart` / `stop` through
 * `app.restartService` / `app.stopService` (plain injectables included).
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
  const tasks = (): ConsoleTask[] => {
    const at = now();
    const engineNow = app.engine.clock.now();
    const list: ConsoleTask[] = [];
    for (const node of app.engine.graph.nodes) {
      const hook = activity.hookOf(node);
      if (hook) list.push({ id: `${node.label}:${hook.hook}`, service: node.label, name: hook.hook, kind: 'hook', ageMs: at - hook.since, cancellable: false });
      for (const item of node.workItems) {
        list.push({ id: String(item.id), service: node.label, name: item.name, kind: item.kind, ageMs: engineNow - item.startedAt, stack: item.stack, cancellable: item.cancellable });
      }
    }
    return list;
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
    tasks,
    cancel: async (id) => {
      const why = cannotCancel(app, id, tasks());
      if (why) throw new ConsoleError(why);
      const workId = Number(id);
      const node = app.engine.graph.nodes.find((n) => n.workItems.some((item) => item.id === workId))!;
      const item = node.workItems.find((i) => i.id === workId)!;
      node.work.cancel(workId, new WorkCancelledError(node.label, item.name, workId));
      return `Cancelled ${id} (${node.label}.${item.name}, a ${item.kind}): its signal aborted; ${node.label} keeps running.`;
    },
    restart: (label) => app.restartService(label),
    stop: (label) => app.stopService(label),
    loopDelay: () => loop.snapshot(),
    dump,
  };
}
