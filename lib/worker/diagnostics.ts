// The Worker's diagnostics: the blocking detector, the event-loop delay monitor and the remote console, logged through the Worker's logger.
import type { Writable } from 'node:stream';
import { BlockingDetector } from '../diagnostics/blocking-detector.js';
import type { ConsoleHost } from '../diagnostics/console-host.js';
import { ConsoleServer, type ConsoleServerOptions } from '../diagnostics/console-server.js';
import { formatLoopDelay, LoopMonitor } from '../diagnostics/loop-monitor.js';
import type { BlockingReport } from '../diagnostics/watchdog-protocol.js';
import type { LogLevel } from '../lifecycle/state.js';
import { type DurationString, formatDuration } from '../utils/durations.js';

/**
 * What the Worker hands its diagnostics.
 * @example
 * ```ts
 * WorkerDiagnostics.start({ blockingTimeoutMs: 10_000, stderr: process.stderr, stderrEnabled: true, logFormat: 'text', log: (level, message, at) => … });
 * ```
 */
export interface WorkerDiagnosticsSettings {
  /** `0` disables the blocking detector. */
  readonly blockingTimeoutMs: number;
  /** The Worker's stderr: the watchdog writes to its file descriptor, when it has one. */
  readonly stderr: Writable;
  /** Whether WARNING lines go to the console at all (not `--quiet`, level at most `warning`). */
  readonly stderrEnabled: boolean;
  readonly logFormat: 'text' | 'json';
  /** Logs a line as the Worker, stamped `at`. */
  readonly log: (level: LogLevel, message: string, at: Date) => void;
}

/**
 * Runs the {@link BlockingDetector} and a {@link LoopMonitor} for a Worker: each stall is
 * logged through the Worker's logger once the loop turns again (the watchdog has already
 * written it to stderr), and the SIGUSR2 dump gets the loop's delay and the last stall.
 *
 * @example
 * ```ts
 * const diagnostics = WorkerDiagnostics.start({ blockingTimeoutMs: 10_000, stderr: process.stderr, stderrEnabled: true, logFormat: 'text', log });
 * process.stderr.write(diagnostics.describe());
 * await diagnostics.stop();
 * ```
 */
export class WorkerDiagnostics {
  /** The event-loop delay monitor (always on while the Worker runs). */
  readonly loop = new LoopMonitor();
  /** The blocking detector (`undefined` when disabled). */
  readonly detector: BlockingDetector | undefined;
  /** The remote console, once opened. */
  console: ConsoleServer | undefined;
  #host: (ConsoleHost & { dispose(): void }) | undefined;
  readonly #settings: WorkerDiagnosticsSettings;

  private constructor(settings: WorkerDiagnosticsSettings) {
    this.#settings = settings;
    const { log } = settings;
    this.loop.start();
    if (settings.blockingTimeoutMs <= 0) return;
    const fd = (settings.stderr as { fd?: unknown }).fd;
    this.detector = new BlockingDetector({
      // A formatted duration ('10s', '1.50s') reads back as the same duration: the detector's messages show it so.
      timeout: formatDuration(settings.blockingTimeoutMs).replace(/\.00(?=[smh]$)/, '') as DurationString,
      stderr: settings.stderrEnabled && typeof fd === 'number' ? fd : false,
      logFormat: settings.logFormat,
      onBlocked: (report) => log('warning', withStack(report.message, report.stack), report.detectedAt),
      onUnblocked: (report) => {
        if (report.lateStack) log('warning', withStack('Blocked in native code: the JavaScript stack once it returned', report.lateStack), report.endedAt);
        log('warning', report.message, report.endedAt);
      },
      onError: (error) => log('warning', error.message, new Date()),
    });
    this.detector.start().catch((error: Error) => log('warning', error.message, new Date()));
  }

  /** Starts the monitor and, with a timeout above 0, the detector (its thread comes up in the background). */
  static start(settings: WorkerDiagnosticsSettings): WorkerDiagnostics {
    return new WorkerDiagnostics(settings);
  }

  /**
   * Opens the remote console (`--console-socket` / `--console-port`) and logs where it listens;
   * a random token goes to stderr only, never to the log.
   * @throws a `ConsoleError` (a usage error) when it cannot listen as asked.
   */
  async openConsole(options: ConsoleServerOptions, host: ConsoleHost & { dispose(): void }): Promise<void> {
    const { log, stderr } = this.#settings;
    this.#host = host;
    const server = new ConsoleServer(host, options);
    const address = await server.start();
    this.console = server;
    const client = address.startsWith('unix:') ? `--socket ${address.slice(5)}` : `--port ${address.slice(address.lastIndexOf(':') + 1)}`;
    log('info', `Console listening on ${address} (connect with: mode-di console ${client})`, new Date());
    if (server.exposed) log('warning', `The console listens beyond this machine (${address}): anyone who has the token can run code in this process.`, new Date());
    if (server.token !== undefined && !server.tokenGiven) stderr.write(`mode-di: console token: ${server.token} (mode-di console ${client} --token ${server.token})\n`);
  }

  /**
   * Why the event loop does not count as live now (what `/live` answers): a stall longer than
   * the blocking timeout that ended less than one timeout ago, or ends this very turn; else
   * `undefined` (and always with the detector off).
   */
  loopStall(): string | undefined {
    return this.detector?.recentStall()?.message;
  }

  /** The dump's section: event-loop delay, and the blocking detector's last stall with its stack. */
  describe(): string {
    const lines = ['', `Event loop delay: ${formatLoopDelay(this.loop.snapshot())}`];
    const detector = this.detector;
    if (!detector) lines.push('Blocking detector: off (--blocking-timeout 0)');
    else lines.push(`Blocking detector: timeout ${formatDuration(detector.timeoutMs)}, ${detector.stalls} stall(s) reported${detector.running ? '' : ' (watchdog not running)'}`);
    const last: BlockingReport | undefined = detector?.lastReport;
    if (last) lines.push(`Last stall, at ${last.detectedAt.toISOString()}: ${withStack(last.message, last.stack)}`);
    return `${lines.join('\n')}\n`;
  }

  /** Stops the monitor, the detector and the console; resolves when their threads have exited. */
  async stop(): Promise<void> {
    this.loop.stop();
    this.#host?.dispose();
    await Promise.all([this.detector?.stop(), this.console?.stop()]);
  }
}

function withStack(message: string, stack: string | undefined): string {
  return stack ? `${message}\n${stack}` : message;
}
