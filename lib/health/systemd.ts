// systemd's notify protocol (sd_notify): READY=1, STOPPING=1, STATUS= and watchdog pings, sent with the systemd-notify tool.
import type { Unsubscribe } from '../utils/event-bus.js';
import { MAX_TIMER_DELAY_MS } from '../utils/long-timeout.js';
import { SystemdNotifyError } from './errors.js';
import type { HealthSource } from './source.js';

/**
 * What systemd tells a service through its environment.
 * @example
 * ```ts
 * systemdEnvironment({ NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '20000000' }, process.pid);
 * // { socket: '/run/systemd/notify', watchdogMs: 20000 }
 * ```
 * @category Production
 */
export interface SystemdEnvironment {
  /** `NOTIFY_SOCKET`: where notifications go. */
  readonly socket: string;
  /** `WATCHDOG_USEC` in ms, when the watchdog is on for this process (`WATCHDOG_PID` unset or ours). */
  readonly watchdogMs: number | undefined;
}

/**
 * Reads {@link SystemdEnvironment}; `undefined` when not run by systemd with `Type=notify`.
 * @example
 * ```ts
 * const systemd = systemdEnvironment();
 * if (systemd) new SystemdNotifier(source, systemd).start();
 * ```
 * @category Production
 */
export function systemdEnvironment(env: NodeJS.ProcessEnv = process.env, pid = process.pid): SystemdEnvironment | undefined {
  const socket = env['NOTIFY_SOCKET'];
  if (!socket) return undefined;
  const usec = Number(env['WATCHDOG_USEC']);
  const watchdogPid = env['WATCHDOG_PID'];
  const forUs = watchdogPid === undefined || watchdogPid === '' || Number(watchdogPid) === pid;
  return { socket, watchdogMs: forUs && Number.isFinite(usec) && usec > 0 ? usec / 1_000 : undefined };
}

/**
 * Options of a {@link SystemdNotifier}.
 * @example
 * ```ts
 * new SystemdNotifier(source, env, { onError: (e) => log.warning(e.message) });
 * ```
 * @category Production
 */
export interface SystemdNotifierOptions {
  /** The tool that sends a notification (default `systemd-notify`, from systemd). */
  readonly command?: string;
  /** Receives each distinct failure once (the tool missing, or failing). */
  readonly onError?: (error: SystemdNotifyError) => void;
}

/**
 * Tells systemd about the app, for `Type=notify` units: `READY=1` once readiness first
 * becomes `ready` (every service running), `STOPPING=1` when a stop begins (before the
 * drain), a `STATUS=` line on each change, and `WATCHDOG=1` every half `WATCHDOG_USEC` from
 * a timer of the main event loop (so no ping while the loop is blocked). Node cannot send
 * unix datagrams, so each notification runs `systemd-notify` (the unit needs
 * `NotifyAccess=all`); notifications go one at a time, in order.
 *
 * @example
 * ```ts
 * const systemd = systemdEnvironment();
 * const notifier = systemd && new SystemdNotifier(new AppHealthSource(app), systemd).start();
 * // … at exit
 * await notifier?.close();
 * ```
 * @category Production
 */
export class SystemdNotifier {
  #queue: Promise<void> = Promise.resolve();
  #sentReady = false;
  #sentStopping = false;
  #status: string | undefined;
  #pingQueued = false;
  #watchdog: NodeJS.Timeout | undefined;
  #unsubscribe: Unsubscribe | undefined;
  readonly #reported = new Set<string>();

  constructor(
    private readonly source: HealthSource,
    private readonly systemd: SystemdEnvironment,
    private readonly options: SystemdNotifierOptions = {},
  ) {}

  /** Begins following the source and pinging the watchdog. */
  start(): this {
    this.#unsubscribe = this.source.onChange(() => this.#update());
    const watchdogMs = this.systemd.watchdogMs;
    if (watchdogMs !== undefined) {
      // More often than needed past Node's timer limit (WatchdogSec= over 49 days), never less.
      this.#watchdog = setInterval(() => this.#ping(), Math.min(MAX_TIMER_DELAY_MS, Math.max(1, watchdogMs / 2)));
      this.#watchdog.unref();
    }
    this.#update();
    return this;
  }

  /** Stops following and pinging; resolves once every notification queued has been sent. */
  async close(): Promise<void> {
    this.#unsubscribe?.();
    clearInterval(this.#watchdog);
    await this.#queue;
  }

  /** Sends `assignments` (e.g. `['READY=1', 'STATUS=Ready']`) after those queued before. Never rejects. */
  notify(assignments: readonly string[]): Promise<void> {
    const send = () => this.#send(assignments);
    this.#queue = this.#queue.then(send);
    return this.#queue;
  }

  #update(): void {
    const source = this.source;
    if (source.stopping) {
      if (this.#sentStopping) return;
      this.#sentStopping = true;
      this.#status = 'Stopping';
      void this.notify(['STOPPING=1', 'STATUS=Stopping']);
      return;
    }
    // Nothing to say before the first start has finished: a start of many services reads nothing per event.
    if (!source.started) return;
    const readiness = source.readiness();
    const services = source.services();
    const status =
      readiness === 'ready'
        ? `Ready: ${services.length} services running`
        : `Degraded: ${services.filter((s) => s.state !== 'running').map((s) => `${s.label} ${s.state}`).join(', ')}`;
    if (readiness === 'ready' && !this.#sentReady) {
      this.#sentReady = true;
      this.#status = status;
      void this.notify(['READY=1', `STATUS=${status}`]);
    } else if (status !== this.#status && (this.#sentReady || readiness === 'degraded')) {
      this.#status = status;
      void this.notify([`STATUS=${status}`]);
    }
  }

  #ping(): void {
    if (this.#pingQueued) return; // one in the queue is enough
    this.#pingQueued = true;
    void this.notify(['WATCHDOG=1']).then(() => (this.#pingQueued = false));
  }

  async #send(assignments: readonly string[]): Promise<void> {
    const command = this.options.command ?? 'systemd-notify';
    const env = { ...process.env, NOTIFY_SOCKET: this.systemd.socket };
    const { execFile } = await import('node:child_process');
    return new Promise((resolve) => {
      execFile(command, [...assignments], { env, timeout: 10_000 }, (error, _stdout, stderr) => {
        // The tool's own words (e.g. "Failed to notify init system: No such file or directory") say more than "Command failed".
        if (error) this.#report(new SystemdNotifyError(assignments.join(' '), stderr.trim() ? Object.assign(new Error(`${command}: ${stderr.trim().split('\n').at(-1)}`), { code: error.code }) : error));
        resolve();
      });
    });
  }

  #report(error: SystemdNotifyError): void {
    const key = String((error.cause as NodeJS.ErrnoException | undefined)?.code ?? error.message);
    if (this.#reported.has(key)) return;
    this.#reported.add(key);
    this.options.onError?.(error);
  }
}
