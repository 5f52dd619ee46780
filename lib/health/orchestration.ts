// What the Worker does for an orchestrator: the health endpoint, the drain before a stop, systemd notifications, and the budget warnings.
import type { Application } from '../application/application.js';
import type { LogLevel } from '../lifecycle/state.js';
import { type Clock, sleepOn, systemClock } from '../utils/clock.js';
import { budgetWarning, describeBudget, formatSeconds, npmAsPid1Warning, shutdownBudget } from './budget.js';
import type { ResolvedHealthOptions } from './options.js';
import { HealthServer } from './server.js';
import { AppHealthSource, type HealthSource } from './source.js';
import { SystemdNotifier, systemdEnvironment } from './systemd.js';

/**
 * Where {@link Orchestration} writes its lines (the Worker's log).
 * @example
 * ```ts
 * const log: OrchestrationLog = (level, message) => worker.logger?.write({ level, label: 'Worker', depth: 0, message, timestamp: new Date() });
 * ```
 * @category Production
 */
export type OrchestrationLog = (level: LogLevel, message: string) => void;

/**
 * What {@link Orchestration.start} needs.
 * @example
 * ```ts
 * await Orchestration.start(app, { ...resolveHealthOptions(opts), shutdownTimeoutMs: 30_000, log });
 * ```
 * @category Production
 */
export interface OrchestrationSettings extends ResolvedHealthOptions {
  /** The Worker's deadline for the graceful stop, in milliseconds (`0`: none), for the budget. */
  readonly shutdownTimeoutMs: number;
  /** Where the budget, the warnings and the drain's lines go. */
  readonly log: OrchestrationLog;
  /** The clock the drain and the watchdog timer run on (default the system clock). */
  readonly clock?: Clock;
  /** Default `process.env` (read for `NOTIFY_SOCKET`, `WATCHDOG_USEC`). */
  readonly env?: NodeJS.ProcessEnv;
  /** `/proc/1/cmdline`, for the npm-as-PID-1 warning (none when not given). */
  readonly pid1CommandLine?: string;
  /** The readiness to serve; default an {@link AppHealthSource} of the app. */
  readonly source?: HealthSource;
  /** For that default source: why the event loop does not count as live now (the blocking detector's recent stall), or `undefined`. */
  readonly loopStall?: () => string | undefined;
}

/**
 * The Worker's production side: serves the probes, notifies systemd, prints the shutdown
 * budget and its warnings at start-up, and drains before a stop ({@link Orchestration.beforeStop}).
 *
 * @example
 * ```ts
 * const orchestration = await Orchestration.start(app, { ...resolveHealthOptions({ healthPort: 8081, drain: '5s' }), shutdownTimeoutMs: 20_000, log });
 * await orchestration.beforeStop();   // /ready fails, STOPPING=1, then the drain
 * await app.stop();
 * await orchestration.close();
 * ```
 * @category Production
 */
export class Orchestration {
  readonly #drained = new AbortController();
  #server: HealthServer | undefined;
  #systemd: SystemdNotifier | undefined;

  private constructor(
    /** What the probes read. */
    readonly source: HealthSource,
    private readonly settings: OrchestrationSettings,
  ) {}

  /**
   * Starts what the settings ask for (nothing listens unless `healthPort` is set) and logs
   * the budget (when a production option was given) and any warning.
   * @throws {@link HealthEndpointError} when the health port cannot be bound.
   */
  static async start(app: Application, settings: OrchestrationSettings): Promise<Orchestration> {
    const source = settings.source ?? new AppHealthSource(app, settings.loopStall ? { loopStall: settings.loopStall } : {});
    const orchestration = new Orchestration(source, settings);
    await orchestration.#start();
    return orchestration;
  }

  async #start(): Promise<void> {
    const { log, healthPort, healthHost } = this.settings;
    const systemd = systemdEnvironment(this.settings.env ?? process.env);
    const pid1 = npmAsPid1Warning(this.settings.pid1CommandLine, process.pid);
    if (pid1) log('warning', pid1);
    if (this.settings.declared) {
      const budget = shutdownBudget({ drainMs: this.settings.drainMs, shutdownTimeoutMs: this.settings.shutdownTimeoutMs, gracePeriodMs: this.settings.gracePeriodMs });
      log('info', describeBudget(budget));
      const warning = budgetWarning(budget);
      if (warning) log('warning', warning);
    }
    if (healthPort !== undefined) {
      this.#server = new HealthServer(this.source);
      const { host, port } = await this.#server.listen(healthPort, healthHost);
      log('info', `Health checks on http://${host.includes(':') ? `[${host}]` : host}:${port} (/startup /live /ready /status)`);
    }
    if (systemd) {
      const onError = (error: Error) => log('warning', error.message);
      this.#systemd = new SystemdNotifier(this.source, systemd, { onError }).start();
      log('info', `Notifying systemd (NOTIFY_SOCKET=${systemd.socket}${systemd.watchdogMs ? `, watchdog every ${formatSeconds(systemd.watchdogMs / 2)}` : ''})`);
    }
  }

  /**
   * Call when a stop begins, before any service stops: readiness turns `not ready` at once
   * (`/ready` fails, systemd hears `STOPPING=1`), then waits the drain while the services
   * keep serving. Resolves early when {@link Orchestration.close} is called.
   */
  async beforeStop(): Promise<void> {
    this.source.beginStop();
    const drainMs = this.settings.drainMs;
    if (!(drainMs > 0)) return;
    this.settings.log('info', `Draining for ${formatSeconds(drainMs)}: /ready fails, the services keep serving`);
    await sleepOn(this.settings.clock ?? systemClock, drainMs, this.#drained.signal);
  }

  /** Stops serving probes and notifying; ends a drain in progress. */
  async close(): Promise<void> {
    this.#drained.abort();
    await Promise.all([this.#server?.close(), this.#systemd?.close()]);
    if (this.source instanceof AppHealthSource) this.source.close();
  }
}
