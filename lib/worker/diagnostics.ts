// The Worker's diagnostics: the blocking detector and the event-loop delay monitor, logged through the Worker's logger.
import type { Writable } from 'node:stream';
import { BlockingDetector } from '../diagnostics/blocking-detector.js';
import { formatLoopDelay, LoopMonitor } from '../diagnostics/loop-monitor.js';
import type { BlockingReport } from '../diagnostics/watchdog-protocol.js';
import type { LogLevel } from '../lifecycle/state.js';
import { formatDuration } from '../utils/durations.js';

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

  private constructor(settings: WorkerDiagnosticsSettings) {
    const { log } = settings;
    this.loop.start();
    if (settings.blockingTimeoutMs <= 0) return;
    const fd = (settings.stderr as { fd?: unknown }).fd;
    this.detector = new BlockingDetector({
      timeout: formatDuration(settings.blockingTimeoutMs).replace(/\.00(?=[smh]$)/, ''),
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

  /** Stops the monitor and the detector; resolves when the watchdog thread has exited. */
  stop(): Promise<void> {
    this.loop.stop();
    return this.detector?.stop() ?? Promise.resolve();
  }
}

function withStack(message: string, stack: string | undefined): string {
  return stack ? `${message}\n${stack}` : message;
}
