// What the remote console needs from the app it serves: a small interface, so the engine can plug in its own registries later.
import type { ServiceNode } from '../lifecycle/state.js';
import type { LoopDelay } from './loop-monitor.js';

/**
 * Something in flight: a hook that is running, a task, a timer, a cron job or a future.
 * @example
 * ```ts
 * const task: ConsoleTask = { id: '12', service: 'Webserver', name: 'serve', kind: 'task', ageMs: 5_120, cancellable: true };
 * ```
 * @category Diagnostics
 */
export interface ConsoleTask {
  /** What `cancel <id>` takes. */
  readonly id: string;
  /** The service's label. */
  readonly service: string;
  /** The hook, task or timer name. */
  readonly name: string;
  /** `hook`, or the work's kind: `task`, `timer`, `crontab`, `future` (`background` when the host does not know). */
  readonly kind: string;
  /** How long it has run, when known. */
  readonly ageMs: number | undefined;
  /** Where it was created, when the registry records it. */
  readonly stack?: string | undefined;
  /** Whether `cancel <id>` can end it. */
  readonly cancellable?: boolean;
}

/**
 * The app as the console sees it. The Worker builds one from the app: `app.services`,
 * `app.on(...)`, the engine's registry of work in flight (ages, creation stacks, `cancel`),
 * `app.restartService()` / `app.stopService()`.
 *
 * @example
 * ```ts
 * const host: ConsoleHost = {
 *   app,
 *   services: () => app.services,
 *   uptimeOf: () => undefined,
 *   graph: () => app.services.map((s) => s.label).join('\n'),
 *   tasks: () => [],
 *   restart: (label) => restartService(app, label),
 *   stop: (label) => stopService(app, label),
 *   loopDelay: () => monitor.snapshot(),
 *   dump: () => 'nothing to dump',
 * };
 * ```
 * @category Diagnostics
 */
export interface ConsoleHost {
  /** In scope as `app` in the `js` REPL. */
  readonly app: unknown;
  /** Every service of the running graph. */
  services(): readonly ServiceNode[];
  /** How long `service` has been running, in milliseconds (`undefined` when not running or unknown). */
  uptimeOf(service: ServiceNode): number | undefined;
  /** The dependency tree as text, dependencies indented below their dependents. */
  graph(): string;
  /** What is in flight. */
  tasks(): readonly ConsoleTask[];
  /** Cancels what `tasks` lists as `id`; resolves to what happened, rejects saying why it cannot. Absent: the host cannot cancel single tasks. */
  cancel?(id: string): Promise<string>;
  /** Restarts the service labelled `label`. @throws when there is none, or it cannot be restarted. */
  restart(label: string): Promise<void>;
  /** Stops the service labelled `label`. */
  stop(label: string): Promise<void>;
  /** The event loop's delay, when measured. */
  loopDelay(): LoopDelay | undefined;
  /** The same text as the SIGUSR2 dump. */
  dump(): string;
}
