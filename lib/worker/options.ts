// The Worker's options, checked and given their defaults in one place.
import type { Writable } from 'node:stream';
import type Winston from 'winston';
import type { ApplicationOptions } from '../application/application.js';
import { graphFormatOf } from '../beacon/render.js';
import type { ConsoleServerOptions } from '../diagnostics/console-server.js';
import { UsageError } from '../errors/usage.js';
import { type HealthOptions, type ResolvedHealthOptions, resolveHealthOptions } from '../health/options.js';
import type { LogLevel } from '../lifecycle/state.js';
import { type Duration, parseDuration } from '../utils/durations.js';

/**
 * The log levels the Worker accepts, most verbose first.
 * @example
 * ```ts
 * WORKER_LOG_LEVELS.includes('debug'); // true
 * ```
 */
export const WORKER_LOG_LEVELS = ['debug', 'info', 'warning', 'error', 'critical'] as const;

/**
 * Options of a {@link Worker}: logging, shutdown, and the options of the `Application` it
 * builds (`services`, `concurrency`, `hookTimeout`, `clock`, …), which are ignored when the
 * target is already an `Application`.
 *
 * @example
 * ```ts
 * new Worker(appModule, { loglevel: 'debug', logfile: 'app.log', shutdownTimeout: '10s' });
 * ```
 * @category Worker
 */
export interface WorkerOptions extends ApplicationOptions, HealthOptions {
  /** Least severe level logged: `debug`, `info` (default), `warning`, `error` or `critical`. */
  loglevel?: LogLevel | 'warn';
  /** Also append the log to this file. */
  logfile?: string;
  /** `text` (Mode's lines, default) or `json` (one object per line). */
  logFormat?: 'text' | 'json';
  /** Colour the console log. Default: when stdout is a terminal and `NO_COLOR` is not set. */
  color?: boolean;
  /** No log on the console (the log file and transports still get it). */
  quiet?: boolean;
  /** More winston transports, with Mode's level names (`warning`, not `warn`). */
  transports?: Winston.transport[];
  /** Hard deadline for a stop: past it the hung services are named and the exit status is 1. Default `'30s'`; `0` waits forever. */
  shutdownTimeout?: Duration;
  /**
   * Report a stall of the event loop longer than this, with the blocked main thread's stack
   * (see `BlockingDetector`). Default `'10s'`; `0` disables.
   */
  blockingTimeout?: Duration;
  /** Serve the remote console (`mode-di console`) on this unix socket (mode 0600), as `--console-socket`. Off by default. */
  consoleSocket?: string;
  /** Serve the remote console on this TCP port (`0`: any free port), with a token, as `--console-port`. Off by default. */
  consolePort?: number;
  /** The address `consolePort` binds, as `--console-host` (default `127.0.0.1`: anyone with the token can run code in the app). */
  consoleHost?: string;
  /** The remote console's settings that have no flag (`token`, `maxConnections`, `authTimeout`). */
  console?: WorkerConsoleOptions;
  /** Handle SIGINT, SIGTERM and SIGUSR2 (default `true`). */
  handleSignals?: boolean;
  /**
   * Draw the service graph into this file once the app is running (states included), and
   * again on SIGUSR2; the extension picks the format (`.svg`, `.png`, `.dot`, `.mmd`, `.json`).
   */
  graph?: string;
  /** Where the console log goes (default `process.stdout`). */
  stdout?: Writable;
  /** Where the `-INT-` banner and dumps go (default `process.stderr`). */
  stderr?: Writable;
}

/**
 * The `console` option of a {@link WorkerOptions}: the remote console's settings that have no
 * flag. Its `socket`, `port` and `host` are the old names of `consoleSocket`, `consolePort`
 * and `consoleHost`, still accepted.
 * @example
 * ```ts
 * new Worker(appModule, { consolePort: 50101, console: { maxConnections: 2, authTimeout: '2s' } });
 * ```
 * @category Worker
 */
export interface WorkerConsoleOptions extends Omit<ConsoleServerOptions, 'socket' | 'port' | 'host'> {
  /** @deprecated Use the Worker option `consoleSocket`, named as the flag (`--console-socket`). */
  socket?: string;
  /** @deprecated Use the Worker option `consolePort`, named as the flag (`--console-port`). */
  port?: number;
  /** @deprecated Use the Worker option `consoleHost`, named as the flag (`--console-host`). */
  host?: string;
}

/**
 * {@link WorkerOptions} after defaults and checks.
 * @example
 * ```ts
 * resolveWorkerOptions({}).shutdownTimeoutMs; // 30000
 * ```
 */
export interface ResolvedWorkerOptions {
  readonly loglevel: LogLevel;
  readonly logfile: string | undefined;
  readonly logFormat: 'text' | 'json';
  readonly color: boolean;
  readonly quiet: boolean;
  readonly transports: readonly Winston.transport[];
  readonly shutdownTimeoutMs: number;
  readonly blockingTimeoutMs: number;
  readonly console: ConsoleServerOptions | undefined;
  readonly handleSignals: boolean;
  readonly graph: string | undefined;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Health endpoint, drain and grace period (lib/health). */
  readonly health: ResolvedHealthOptions;
}

/**
 * Applies defaults and checks {@link WorkerOptions}.
 * @example
 * ```ts
 * resolveWorkerOptions({ loglevel: 'warn' }).loglevel; // 'warning'
 * ```
 * @throws {@link UsageError} naming the bad option.
 */
export function resolveWorkerOptions(options: WorkerOptions): ResolvedWorkerOptions {
  const level = options.loglevel === undefined ? 'info' : String(options.loglevel).toLowerCase();
  const loglevel = (level === 'warn' ? 'warning' : level) as LogLevel;
  if (!(WORKER_LOG_LEVELS as readonly string[]).includes(loglevel)) {
    throw new UsageError(`Invalid loglevel ${JSON.stringify(options.loglevel)}: use one of ${WORKER_LOG_LEVELS.join(', ')}.`);
  }
  const logFormat = options.logFormat ?? 'text';
  if (logFormat !== 'text' && logFormat !== 'json') {
    throw new UsageError(`Invalid logFormat ${JSON.stringify(logFormat)}: use "text" or "json".`);
  }
  if (options.logfile !== undefined && (typeof options.logfile !== 'string' || options.logfile.trim() === '')) {
    throw new UsageError('The logfile option needs a file path, e.g. logfile: "app.log".');
  }
  if (options.graph !== undefined) {
    if (typeof options.graph !== 'string' || options.graph.trim() === '') throw new UsageError('The graph option needs a file path, e.g. graph: "graph.svg".');
    graphFormatOf(options.graph);
  }
  const stdout = options.stdout ?? process.stdout;
  const env = process.env;
  const color = options.color ?? (!!(stdout as { isTTY?: boolean }).isTTY && !env['NO_COLOR'] && env['TERM'] !== 'dumb');
  return {
    loglevel,
    logfile: options.logfile,
    logFormat,
    color,
    quiet: options.quiet ?? false,
    transports: options.transports ?? [],
    shutdownTimeoutMs: parseDuration(options.shutdownTimeout ?? '30s', 'shutdownTimeout'),
    blockingTimeoutMs: parseDuration(options.blockingTimeout ?? '10s', 'blockingTimeout'),
    console: resolveConsole(options),
    handleSignals: options.handleSignals ?? true,
    graph: options.graph,
    stdout,
    stderr: options.stderr ?? process.stderr,
    health: resolveHealthOptions(options),
  };
}

/**
 * The remote console's settings: `consoleSocket`, `consolePort` and `consoleHost` with the rest
 * of `console` (whose `socket`, `port` and `host` are their old names); `undefined` when off.
 * @throws {@link UsageError} when a setting is given under both names, with different values.
 */
function resolveConsole(options: WorkerOptions): ConsoleServerOptions | undefined {
  const { console: settings, consoleSocket, consolePort, consoleHost } = options;
  if (settings === undefined && consoleSocket === undefined && consolePort === undefined && consoleHost === undefined) return undefined;
  const { socket, port, host, ...rest } = settings ?? {};
  const pick = <T>(name: string, value: T | undefined, oldName: string, old: T | undefined): T | undefined => {
    if (value !== undefined && old !== undefined && value !== old) throw new UsageError(`${name} and ${oldName} (its old name) say different things: give ${name} only.`);
    return value ?? old;
  };
  const resolved: ConsoleServerOptions = { ...rest };
  const chosenSocket = pick('consoleSocket', consoleSocket, 'console.socket', socket);
  const chosenPort = pick('consolePort', consolePort, 'console.port', port);
  const chosenHost = pick('consoleHost', consoleHost, 'console.host', host);
  if (chosenSocket !== undefined) resolved.socket = chosenSocket;
  if (chosenPort !== undefined) resolved.port = chosenPort;
  if (chosenHost !== undefined) resolved.host = chosenHost;
  return resolved;
}
