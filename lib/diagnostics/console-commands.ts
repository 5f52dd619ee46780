// The remote console's commands answered on the main thread (the console thread answers `stack` itself).
import { describeError } from '../errors/mode-error.js';
import { formatDuration } from '../utils/durations.js';
import type { ConsoleHost } from './console-host.js';
import { formatLoopDelay } from './loop-monitor.js';

/**
 * The console's help text.
 * @example
 * ```ts
 * CONSOLE_HELP.includes('stack'); // true
 * ```
 */
export const CONSOLE_HELP = `Commands:
  help               this list
  services           every service with its state, restarts and uptime
  tasks              hooks, tasks, timers and futures in flight, with their age and creation stack
  cancel <id>        cancel a task, timer or future \`tasks\` lists (its signal aborts; the service keeps running)
  stack              the main thread's JavaScript stack (answered even while its loop is blocked)
  restart <service>  restart a service (by its label)
  stop <service>     stop a service
  graph              the dependency tree with states
  loop               event-loop delay percentiles
  dump               the SIGUSR2 dump
  js                 a JavaScript REPL with \`app\` in scope (top-level await; .exit to come back)
  quit               close the connection`;

const pad = (text: string, width: number) => text.padEnd(width);

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : pad(cell, widths[i]! + 2))).join('').trimEnd()).join('\n');
}

function services(host: ConsoleHost): string {
  const nodes = host.services();
  if (nodes.length === 0) return 'No services (the app has not started).';
  const rows = nodes.map((s) => {
    const up = host.uptimeOf(s);
    return [`${'-'.repeat(Math.max(0, s.depth))}${s.label}`, s.state, String(s.restartCount), up === undefined ? '-' : formatDuration(up), s.inFlight.join(', ') || '-'];
  });
  return table([['SERVICE', 'STATE', 'RESTARTS', 'UPTIME', 'IN FLIGHT'], ...rows]);
}

/** How many frames of a creation stack `tasks` shows. */
const STACK_FRAMES = 6;

function tasks(host: ConsoleHost): string {
  const list = host.tasks();
  if (list.length === 0) return 'Nothing in flight.';
  const rows = list.map((t) => [t.id, t.service, t.name, t.kind + (t.cancellable === false && t.kind !== 'hook' ? ' (not cancellable)' : ''), t.ageMs === undefined ? '-' : formatDuration(t.ageMs)]);
  const stacks = list.filter((t) => t.stack).map((t) => `\n\n${t.id} (${t.service}.${t.name}) created at:\n${t.stack!.split('\n').slice(0, STACK_FRAMES).join('\n')}`);
  return table([['ID', 'SERVICE', 'NAME', 'KIND', 'AGE'], ...rows]) + stacks.join('');
}

/**
 * Answers one console line (already trimmed) for `host`. Never rejects: a failure is the answer.
 * @example
 * ```ts
 * await runConsoleCommand(host, 'restart Webserver'); // 'Restarted Webserver.'
 * ```
 */
export async function runConsoleCommand(host: ConsoleHost, line: string): Promise<string> {
  const [command = '', ...rest] = line.trim().split(/\s+/);
  const argument = rest.join(' ');
  try {
    switch (command) {
      case 'help':
        return CONSOLE_HELP;
      case 'services':
        return services(host);
      case 'tasks':
        return tasks(host);
      case 'graph':
        return host.graph();
      case 'loop': {
        const delay = host.loopDelay();
        return delay ? `Event loop delay: ${formatLoopDelay(delay)}` : 'The event-loop delay is not measured here.';
      }
      case 'dump':
        return host.dump();
      case 'restart':
      case 'stop':
        if (!argument) return `${command} needs a service label, e.g. ${command} ${host.services()[0]?.label ?? 'Webserver'}`;
        if (command === 'restart') {
          await host.restart(argument);
          return `Restarted ${argument}.`;
        }
        await host.stop(argument);
        return `Stopped ${argument}.`;
      case 'cancel':
        if (!argument) return 'cancel needs an id from `tasks`, e.g. cancel 12';
        if (!host.cancel) return 'cancel is not available: this app keeps no registry of its tasks to cancel one by one. Use restart <service> or stop <service>.';
        return await host.cancel(argument);
      default:
        return `Unknown command "${command}": type help for the list.`;
    }
  } catch (error) {
    return `${command} failed: ${describeError(error)}`;
  }
}
