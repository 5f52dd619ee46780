// Human-readable snapshots of a running app: the service tree (SIGUSR2) and what a stop is still waiting on.
import type { Application } from '../application/application.js';
import type { ServiceNode } from '../lifecycle/state.js';
import { formatDuration } from '../utils/durations.js';
import type { Activity } from './activity.js';
import { formatLabel } from './log-format.js';

/** A service's current work: the hook it is in (and for how long) and its background work in flight. */
function doing(service: ServiceNode, activity: Activity, now: number): string {
  const parts: string[] = [];
  const hook = activity.hookOf(service);
  if (hook) parts.push(`in ${hook.hook} for ${formatDuration(now - hook.since)}`);
  if (service.inFlight.length) parts.push(`in flight: ${service.inFlight.join(', ')}`);
  return parts.join('; ');
}

/**
 * Names what a stop is still waiting for: the services in `stopping` and those still
 * `starting` (each with its hook and how long it has run), then those not stopped yet.
 *
 * @example
 * ```ts
 * describeUnstopped(app.services, activity, performance.now());
 * // 'Still stopping: Webserver (in onStop for 30.00s); not stopped yet: AppService'
 * // 'Still starting: Db (in onStart for 1.20s)'
 * ```
 */
export function describeUnstopped(services: readonly ServiceNode[], activity: Activity, now: number): string {
  const named = (list: readonly ServiceNode[]) =>
    list
      .map((s) => {
        const what = doing(s, activity, now);
        return what ? `${s.label} (${what})` : s.label;
      })
      .join(', ');
  const stopping = services.filter((s) => s.state === 'stopping');
  const starting = services.filter((s) => s.state === 'starting' || s.state === 'restarting');
  const waiting = services.filter((s) => s.state === 'running');
  const parts: string[] = [];
  if (stopping.length) parts.push(`still stopping: ${named(stopping)}`);
  if (starting.length) parts.push(`still starting: ${named(starting)}`);
  if (waiting.length) parts.push(`not stopped yet: ${waiting.map((s) => s.label).join(', ')}`);
  const text = parts.join('; ') || 'nothing is left to stop (every service has stopped)';
  return text[0]!.toUpperCase() + text.slice(1);
}

/**
 * The service tree with states and work in flight, dependencies below their dependents
 * (Mode's `cry`), followed by the main thread's JavaScript stack and Node's active resources.
 *
 * @example
 * ```ts
 * process.stderr.write(dumpServiceTree(app, activity, performance.now()));
 * ```
 */
export function dumpServiceTree(app: Application, activity: Activity, now: number, date = new Date()): string {
  const lines = [`mode-di: service dump at ${date.toISOString()} (pid ${process.pid})`, ...serviceTreeLines(app, activity, now)];
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  const stack = new Error('main thread stack').stack ?? '';
  Error.stackTraceLimit = limit;
  lines.push('', 'Main thread stack:', ...stack.split('\n').slice(1));
  const resources = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) resources.set(r, (resources.get(r) ?? 0) + 1);
  lines.push('', `Active resources: ${[...resources].map(([r, n]) => (n > 1 ? `${r} ×${n}` : r)).join(', ') || 'none'}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The service tree with states and work in flight, dependencies indented below their
 * dependents (a service needed by several is shown once, then `(see above)`).
 *
 * @example
 * ```ts
 * serviceTreeLines(app, activity, performance.now()).join('\n');
 * // '[^Worker]  application running, 2 service(s)\n  [^-App]  running\n    [^--Db]  running'
 * ```
 */
export function serviceTreeLines(app: Application, activity: Activity, now: number): string[] {
  const { graph } = app.engine;
  const lines = [`${formatLabel('Worker', 0)}  application ${app.state}, ${graph.nodes.length} service(s)`];
  const shown = new Set<number>();
  const visit = (index: number, level: number) => {
    const node = graph.nodes[index]!;
    const indent = '  '.repeat(level);
    if (shown.has(index)) {
      lines.push(`${indent}${formatLabel(node.label, level)}  (see above)`);
      return;
    }
    shown.add(index);
    const what = doing(node, activity, now);
    const restarts = node.restartCount ? `, restarted ${node.restartCount}×` : '';
    lines.push(`${indent}${formatLabel(node.label, level)}  ${node.state}${restarts}${what ? `  (${what})` : ''}`);
    for (const dep of graph.deps[index]!) visit(dep, level + 1);
  };
  graph.nodes.forEach((_, i) => {
    if (graph.dependents[i]!.length === 0) visit(i, 1);
  });
  graph.nodes.forEach((_, i) => {
    if (!shown.has(i)) visit(i, 1);
  });
  return lines;
}
