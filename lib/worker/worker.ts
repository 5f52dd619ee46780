// Mode's Worker: runs an application as the process — logging, signals, a graceful stop with a deadline, and the exit status.
import type { Application } from '../application/application.js';
import { StartInterruptedError } from '../errors/lifecycle.js';
import { UsageError } from '../errors/usage.js';
import type { LifecycleEvent } from '../lifecycle/events.js';
import type { LogLevel } from '../lifecycle/state.js';
import { type Clock, systemClock } from '../utils/clock.js';
import { formatDuration } from '../utils/durations.js';
import type { Orchestration } from '../health/orchestration.js';
import { startOrchestration } from '../health/start.js';
import { Activity } from './activity.js';
import { workerConsoleHost } from './console-host.js';
import { WorkerDiagnostics } from './diagnostics.js';
import { dumpServiceTree } from './dump.js';
import { fatalText, startFailureLine, uncaughtLine } from './failure-report.js';
import { logLifecycleEvent } from './event-log.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';
import { writeGraphFile } from './graph-file.js';
import { flushStream, WorkerLogger } from './logger.js';
import { type ResolvedWorkerOptions, resolveWorkerOptions, type WorkerOptions } from './options.js';
import type { LogRecord } from './log-format.js';
import { installSignalHandlers, type StopSignal, StopSignalLog } from './signals.js';
import { StopSequence } from './stop-sequence.js';
import { type WorkerTarget, workerApplication } from './target.js';

export type { WorkerTarget } from './target.js';
import type { Shutdowner } from '../lifecycle/shutdowner.js';

const WORKER = 'Worker';
/** After a forced stop, how long the last lines may take to reach their destinations before the process exits anyway. */
const FORCED_CLOSE_MS = 50;

/**
 * Mode's Worker: starts an application as the program, logs its lifecycle in Mode's format
 * (winston), stops it gracefully on SIGINT/SIGTERM (a second signal, or the shutdown
 * deadline, forces exit naming what hung), dumps the service tree on SIGUSR2, and exits
 * with 0 (clean stop), 1 (failure, crash, forced stop) or 2 (usage error).
 *
 * @example Mode style, as in the seed
 * ```ts
 * new Worker(new AppService(), { loglevel: 'info' }).executeFromCommandline();
 * ```
 * @example A container module, from code
 * ```ts
 * const worker = new Worker(appModule, { logfile: 'app.log' });
 * const status = await worker.run();   // resolves when stopped (signal, crash, or worker.stop())
 * ```
 * @category Worker
 */
export class Worker {
  /** The application being run. */
  readonly app: Application;
  readonly #options: ResolvedWorkerOptions;
  readonly #clock: Clock;
  readonly #activity: Activity;
  #logger: WorkerLogger | undefined;
  #diagnostics: WorkerDiagnostics | undefined;
  #settingUp: Promise<void> | undefined;
  #orchestration: Orchestration | undefined;
  #cleanups: Array<() => void> = [];
  /** Lines said before the logger exists (a signal while it is created): written once it is. */
  #early: LogRecord[] | undefined = [];
  #signalsInstalled = false;
  readonly #stop: StopSequence;
  readonly #signals: StopSignalLog;
  #code: number = ExitCode.OK;
  #settled = false;
  #settle!: () => void;
  readonly #done: Promise<void>;

  /**
   * @throws {@link UsageError} for bad options, or `services` with a Mode-style service tree.
   */
  constructor(target: WorkerTarget, options: WorkerOptions = {}) {
    this.#options = resolveWorkerOptions(options);
    this.#clock = options.clock ?? systemClock;
    this.app = workerApplication(target, options);
    this.app.beacon.label = WORKER;
    this.#activity = new Activity(this.#clock, (message) => this.#say('warning', message));
    this.#stop = new StopSequence({
      app: this.app,
      clock: this.#clock,
      activity: this.#activity,
      shutdownTimeoutMs: this.#options.shutdownTimeoutMs,
      say: (level, message) => this.#say(level, message),
      raise: (code) => this.#raise(code),
      finish: () => this.#finish(),
      drain: () => this.#orchestration?.beforeStop(),
    });
    this.#signals = new StopSignalLog(() => this.#clock.now());
    this.#done = new Promise((resolve) => (this.#settle = resolve));
  }

  /** The logger (available once {@link Worker.start} has begun). */
  get logger(): WorkerLogger | undefined {
    return this.#logger;
  }

  /** The exit status so far: 0 until something fails. */
  get exitCode(): number {
    return this.#code;
  }

  /**
   * Sets up logging and signal handling, then starts the application.
   * @throws what `Application.start()` throws (already logged), or a {@link UsageError} for a log file that cannot be opened.
   */
  async start(): Promise<void> {
    await this.#setUp();
    this.#say('info', 'Starting...');
    if (this.#stop.begun) throw new StartInterruptedError();
    await this.app.start();
  }

  /** Creates the logger and subscribes to the app and the signals (once). */
  #setUp(): Promise<void> {
    this.#settingUp ??= (async () => {
      const o = this.#options;
      this.#installSignals();
      this.#logger = await WorkerLogger.create({ level: o.loglevel, format: o.logFormat, color: o.color, quiet: o.quiet, logfile: o.logfile, transports: o.transports, stdout: o.stdout });
      const early = this.#early ?? [];
      this.#early = undefined;
      for (const record of early) this.#logger.write(record);
      this.#cleanups.push(this.app.on((event) => this.#onEvent(event)));
      const warns = !o.quiet && this.#logger.isEnabled('warning');
      const log = (level: LogLevel, message: string, timestamp: Date) => this.#logger?.write({ timestamp, level, label: WORKER, depth: 0, message });
      this.#diagnostics = WorkerDiagnostics.start({ blockingTimeoutMs: o.blockingTimeoutMs, stderr: o.stderr, stderrEnabled: warns, logFormat: o.logFormat, log });
      if (o.console) {
        const host = workerConsoleHost(this.app, this.#activity, this.#diagnostics.loop, () => this.#dumpText(), () => this.#clock.now());
        await this.#diagnostics.openConsole(o.console, host);
      }
      this.#orchestration = await startOrchestration(this.app, { ...o.health, shutdownTimeoutMs: o.shutdownTimeoutMs, clock: this.#clock, loopStall: () => this.#diagnostics?.loopStall(), log: (level, message) => this.#say(level, message) });
    })();
    this.#settingUp.catch(() => (this.#early = undefined));
    return this.#settingUp;
  }

  /** Handles the stop and dump signals from now on (once; not with `handleSignals: false`). */
  #installSignals(): void {
    if (this.#signalsInstalled || !this.#options.handleSignals) return;
    this.#signalsInstalled = true;
    this.#cleanups.push(installSignalHandlers({ stop: (signal) => this.#onStopSignal(signal), dump: () => this.dump() }, this.#options.stderr));
  }

  /**
   * Runs the application until it stops (a signal, a crash, a {@link Shutdowner}, or
   * {@link Worker.stop}) and resolves with the exit status: 0, 1, 2, or the exit code a
   * Shutdowner asked for. Never rejects: failures are logged and become the status.
   */
  async run(): Promise<number> {
    const onException = (error: unknown) => this.#onUncaught('exception', error);
    const onRejection = (reason: unknown) => this.#onUncaught('rejection', reason);
    process.on('uncaughtException', onException);
    process.on('unhandledRejection', onRejection);
    // Like Mode's worker, run until told to stop, even when no service holds the event loop open.
    const keepAlive = setInterval(() => {}, 2 ** 31 - 1);
    this.#cleanups.push(() => {
      clearInterval(keepAlive);
      process.off('uncaughtException', onException);
      process.off('unhandledRejection', onRejection);
    });
    // Now, in this turn: whoever ran before (the CLI's import guard) has just removed its own.
    this.#installSignals();
    // Not awaited: a start that never settles (a hook that hangs) must not hold a forced stop.
    this.start().catch((error: unknown) => this.#onStartFailure(error));
    await this.#done;
    this.#stop.disarmDeadline();
    await this.#orchestration?.close();
    this.#cleanups.splice(0).forEach((cleanup) => cleanup());
    return this.#code;
  }

  #onStartFailure(error: unknown): void {
    if (!this.#logger) {
      // No logger to say it with (e.g. the log file cannot be opened).
      this.#options.stderr.write(fatalText(error));
      this.#raise(exitCodeFor(error));
      this.#finish();
    } else if (!(error instanceof StartInterruptedError)) {
      const { message, error: stack } = startFailureLine(error);
      this.#say('error', message, stack);
      this.#raise(exitCodeFor(error));
      if (!this.#stop.begun) this.#finish();
    }
  }

  /**
   * Stops gracefully: logs `Stopping...`, stops every service in reverse dependency order,
   * gathers what is left, logs `-Stopped!`. Resolves when done (or when the stop was forced).
   */
  stop(reason = 'stop'): Promise<void> {
    return this.#setUp().then(() => this.#stop.begin(reason));
  }

  /**
   * {@link Worker.run}, then makes sure every log line reached its destination and exits the
   * process with the status. This is what `mode-di run` does.
   */
  async executeFromCommandline(): Promise<never> {
    let code: number;
    try {
      code = await this.run();
    } catch (error) {
      code = exitCodeFor(error);
      this.#options.stderr.write(fatalText(error));
    }
    // Stopped, with the status known: a late signal (a second Ctrl-C) while the last lines are
    // flushed must not kill the process with its default action, nor change the status.
    process.on('SIGINT', ignoreLateSignal);
    process.on('SIGTERM', ignoreLateSignal);
    process.on('SIGHUP', ignoreLateSignal);
    process.exitCode = code;
    // Until the log is closed the process must not end by itself (an empty event loop would end
    // it with the status so far, before a failed log destination is counted).
    const closing = setInterval(() => {}, 1_000);
    await this.close(this.#stop.forced ? FORCED_CLOSE_MS : undefined);
    clearInterval(closing);
    // A log destination that failed lost lines: the run did not go as it should have.
    if (this.#logger?.failure && code === ExitCode.OK) code = ExitCode.FAILURE;
    process.exit(code);
  }

  /**
   * Closes the health endpoint (if any) and the logger, waiting until every line has been
   * written (file, pipe or terminal), or at most `timeoutMs` (default 5 s).
   */
  async close(timeoutMs?: number): Promise<void> {
    await this.#orchestration?.close();
    await this.#logger?.close(timeoutMs);
    await flushStream(this.#options.stderr);
  }

  /** Writes the service tree, what is in flight, and the main thread's stack to stderr (SIGUSR2); redraws the `graph` file. */
  dump(): void {
    this.#options.stderr.write(this.#dumpText());
    this.#drawGraph();
  }

  #dumpText(): string {
    return dumpServiceTree(this.app, this.#activity, this.#clock.now(), this.#clock.date()) + (this.#diagnostics?.describe() ?? '');
  }

  /** Draws the beacon into the `graph` file, if one was asked for. */
  #drawGraph(): void {
    if (this.#options.graph) void writeGraphFile(this.app.beacon, this.#options.graph, (level, message) => this.#say(level, message));
  }

  // ---- Internals. ----

  readonly #sink = (level: LogLevel, label: string, depth: number, message: string, error?: Error) => this.#line(level, label, depth, message, error);
  readonly #enabled = (level: LogLevel) => this.#logger?.isEnabled(level) ?? false;

  #say(level: LogLevel, message: string, error?: Error): void {
    this.#line(level, WORKER, 0, message, error);
  }

  #line(level: LogLevel, label: string, depth: number, message: string, error?: Error): void {
    const record: LogRecord = { timestamp: this.#clock.date(), level, label, depth, message, error };
    if (this.#logger) this.#logger.write(record);
    else this.#early?.push(record);
  }

  #raise(code: number): void {
    if (code > this.#code) this.#code = code;
  }

  #finish(): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#activity.close();
    void this.#diagnostics?.stop();
    this.#settle();
  }

  #onEvent(event: LifecycleEvent): void {
    this.#activity.observe(event);
    logLifecycleEvent(event, this.#sink, this.#enabled);
    switch (event.type) {
      case 'app.started':
        this.#say('info', `Started in ${formatDuration(event.durationMs)} (${this.app.services.length} services)`);
        this.#drawGraph();
        break;
      case 'app.rollingBack':
        this.#say('warning', 'Start failed: stopping the services that started...');
        this.#stop.armDeadline();
        break;
      case 'app.shutdownRequested':
        this.#say('info', `Shutdown requested${event.reason ? `: ${event.reason}` : ''} (exit code ${event.exitCode})`);
        this.#raise(event.exitCode);
        break;
      case 'app.stopping':
        // The engine stops on its own after a crash, a Shutdowner, or app.stop() from code: follow it.
        if (event.reason !== 'rollback' && event.reason !== 'restart') void this.#stop.begin(event.reason, true);
        break;
      default:
        break;
    }
  }

  #onStopSignal(signal: StopSignal): void {
    if (this.#signals.isDuplicate(signal)) {
      this.#say('debug', `Signal received again within ${this.#signals.windowMs}ms: ${signal} (ignored, already stopping)`);
      return;
    }
    this.#say('info', `Signal received: ${signal}`);
    if (this.#stop.begun) this.#stop.force(`Second signal (${signal}) while stopping`);
    else void this.#stop.begin('signal');
  }

  /** An error nobody caught: `exception` from 'uncaughtException', `rejection` from 'unhandledRejection'. */
  #onUncaught(kind: 'exception' | 'rejection', error: unknown): void {
    const { message, error: stack } = uncaughtLine(kind, error);
    this.#say('critical', message, stack);
    this.#raise(ExitCode.FAILURE);
    if (!this.#stop.begun) void this.#stop.begin('crash');
  }
}

function ignoreLateSignal(): void {}
