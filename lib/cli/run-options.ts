// The options of `mode-di run` (yargs definitions, each also a MODE_* variable) and their mapping to WorkerOptions.
import type { Argv, Options } from 'yargs';
import { UsageError } from '../errors/usage.js';
import { parseDuration } from '../utils/durations.js';
import type { WorkerOptions } from '../worker/options.js';

/**
 * The levels `--loglevel` accepts.
 * @example
 * ```ts
 * CLI_LOG_LEVELS.includes('warning'); // true
 * ```
 */
export const CLI_LOG_LEVELS = ['debug', 'info', 'warning', 'error', 'critical'] as const;

/**
 * `mode-di run`'s options, as yargs reads them. Every one can also come from `MODE_<NAME>` (e.g. `MODE_SHUTDOWN_TIMEOUT=10s`).
 * @example
 * ```ts
 * yargs(argv).options(RUN_OPTIONS);
 * ```
 */
export const RUN_OPTIONS = {
  loglevel: {
    describe: 'Least severe level to log',
    choices: CLI_LOG_LEVELS,
    defaultDescription: 'info',
    requiresArg: true,
    coerce: (value: unknown) => (Array.isArray(value) ? value.map((v) => String(v).toLowerCase()) : String(value).toLowerCase()),
  },
  logfile: {
    describe: 'Also append the log to this file',
    type: 'string',
    requiresArg: true,
  },
  'log-format': {
    describe: "Log lines as Mode's text or as JSON objects",
    choices: ['text', 'json'],
    defaultDescription: 'text',
    requiresArg: true,
  },
  'shutdown-timeout': {
    describe: 'Hard deadline for a stop: past it, name the hung services and exit 1 (e.g. 10s, 1m; 0 waits forever)',
    type: 'string',
    defaultDescription: '30s',
    requiresArg: true,
  },
  'blocking-timeout': {
    describe: "Warn, with the blocked code's stack, when the event loop does not turn for this long (e.g. 500ms, 10s; 0 turns it off)",
    type: 'string',
    defaultDescription: '10s',
    requiresArg: true,
  },
  'console-socket': {
    describe: 'Serve the remote console (mode-di console) on this unix socket, mode 0600 (its folder is created 0700 if missing)',
    type: 'string',
    requiresArg: true,
  },
  'console-port': {
    describe: 'Serve the remote console on this TCP port of 127.0.0.1 (0: any free port), with a token (printed on stderr, or MODE_CONSOLE_TOKEN)',
    type: 'string',
    requiresArg: true,
  },
  'console-host': {
    describe: 'Bind the console port to this address instead of 127.0.0.1 (anyone with the token can run code in the app)',
    type: 'string',
    requiresArg: true,
  },
  services: {
    describe: 'Start only these services (labels or string ids) and what they need: comma-separated, or repeated (--service, the old name, works too)',
    type: 'string',
    array: true,
    requiresArg: true,
    alias: 'service',
  },
  graph: {
    describe: 'Draw the service graph into this file once the app is running, and again on SIGUSR2 (.svg, .png, .dot, .mmd or .json)',
    type: 'string',
    requiresArg: true,
  },
  quiet: {
    describe: 'No log on the console (--logfile still gets it); --quiet=no turns it off',
    type: 'boolean',
  },
  color: {
    describe: 'Colour the log (default: when stdout is a terminal and NO_COLOR is unset); --no-color turns it off',
    type: 'boolean',
  },
  watch: {
    describe: 'Restart the app (a graceful stop, then a fresh process) when a file it imported changes',
    type: 'boolean',
  },
  'health-port': {
    describe: 'Serve /startup, /live, /ready and /status on this port (0 picks a free one); off by default',
    type: 'string',
    requiresArg: true,
  },
  'health-host': {
    describe: 'Address of the health endpoint (default 127.0.0.1; 0.0.0.0 for Kubernetes probes)',
    type: 'string',
    requiresArg: true,
  },
  drain: {
    describe: 'On SIGTERM/SIGINT, fail /ready and keep serving this long before any service stops (e.g. 5s)',
    type: 'string',
    requiresArg: true,
  },
  'grace-period': {
    describe: "The orchestrator's grace period (default 30s): warn when drain + shutdown timeout do not fit in it",
    type: 'string',
    requiresArg: true,
  },
} as const satisfies Record<string, Options>;

/**
 * Adds {@link RUN_OPTIONS} to a yargs command.
 * @example
 * ```ts
 * defineRunOptions(yargs(argv)).parse();
 * ```
 */
export function defineRunOptions<T>(y: Argv<T>): Argv<T> {
  return y.options(RUN_OPTIONS as unknown as Record<string, Options>) as Argv<T>;
}

/**
 * What yargs hands over for `mode-di run`.
 * @example
 * ```ts
 * toWorkerOptions({ module: 'app.ts', loglevel: 'debug' } satisfies RunArguments);
 * ```
 */
export interface RunArguments {
  readonly module?: string | undefined;
  readonly loglevel?: OneOrMore<string> | undefined;
  readonly logfile?: OneOrMore<string> | undefined;
  readonly logFormat?: OneOrMore<string> | undefined;
  readonly shutdownTimeout?: OneOrMore<string> | undefined;
  readonly blockingTimeout?: OneOrMore<string> | undefined;
  readonly consoleSocket?: OneOrMore<string> | undefined;
  readonly consolePort?: OneOrMore<string | number> | undefined;
  readonly consoleHost?: OneOrMore<string> | undefined;
  readonly services?: readonly (string | number)[] | undefined;
  readonly graph?: OneOrMore<string> | undefined;
  readonly quiet?: OneOrMore<boolean> | undefined;
  readonly color?: OneOrMore<boolean> | undefined;
  readonly watch?: OneOrMore<boolean> | undefined;
  readonly healthPort?: OneOrMore<string | number> | undefined;
  readonly healthHost?: OneOrMore<string> | undefined;
  readonly drain?: OneOrMore<string> | undefined;
  readonly gracePeriod?: OneOrMore<string> | undefined;
}

/** yargs collects a repeated option into an array. */
type OneOrMore<T> = T | readonly T[];

/** The value of an option given once or more: the last one wins. */
function last<T>(value: OneOrMore<T> | undefined): T | undefined {
  return Array.isArray(value) ? (value as readonly T[]).at(-1) : (value as T | undefined);
}

/**
 * Turns parsed `mode-di run` arguments into the module path and {@link WorkerOptions}.
 * @example
 * ```ts
 * toWorkerOptions({ module: 'app.ts', shutdownTimeout: '10s', service: ['Web,Db'] });
 * // { module: 'app.ts', options: { shutdownTimeout: 10000, services: ['Web', 'Db'], … } }
 * ```
 * @throws {@link UsageError} naming the option and the fix.
 */
export function toWorkerOptions(args: RunArguments): { module: string; options: WorkerOptions } {
  const module = args.module?.trim();
  if (!module) throw new UsageError('mode-di run needs the module to run, e.g. mode-di run ./app.module.ts');
  const logfile = last(args.logfile);
  const shutdownTimeout = last(args.shutdownTimeout)?.trim() ?? '30s';
  const blockingTimeout = last(args.blockingTimeout)?.trim() ?? '10s';
  const color = last(args.color);
  if (logfile !== undefined && logfile.trim() === '') throw new UsageError('--logfile needs a file path, e.g. --logfile app.log');
  const services = (args.services ?? []).flatMap((s) => String(s).split(',')).map((s) => s.trim());
  if (services.some((s) => s === '')) throw new UsageError('--services needs a service label, e.g. --services Webserver (separate labels with commas, or repeat it).');
  const options: WorkerOptions = {
    loglevel: (last(args.loglevel) ?? 'info') as NonNullable<WorkerOptions['loglevel']>,
    logFormat: (last(args.logFormat) ?? 'text') as 'text' | 'json',
    shutdownTimeout: shutdownTimeout === '0' ? 0 : parseDuration(shutdownTimeout, '--shutdown-timeout'),
    blockingTimeout: blockingTimeout === '0' ? 0 : parseDuration(blockingTimeout, '--blocking-timeout'),
    quiet: last(args.quiet) ?? false,
  };
  Object.assign(options, consoleOptions(args));
  if (logfile !== undefined) options.logfile = logfile;
  if (color !== undefined) options.color = color;
  if (services.length) options.services = services;
  const graph = last(args.graph);
  if (graph !== undefined) {
    if (graph.trim() === '') throw new UsageError('--graph needs a file path, e.g. --graph graph.svg');
    options.graph = graph;
  }
  Object.assign(options, toHealthOptions(args));
  return { module, options };
}

/** `--console-socket`, `--console-port` and `--console-host` as the Worker's options of the same names. */
function consoleOptions(args: RunArguments): Pick<WorkerOptions, 'consoleSocket' | 'consolePort' | 'consoleHost'> {
  const socket = last(args.consoleSocket)?.trim();
  const portText = last(args.consolePort);
  const host = last(args.consoleHost)?.trim();
  if (socket === '') throw new UsageError('--console-socket needs a path, e.g. --console-socket run/console.sock');
  if (host === '') throw new UsageError('--console-host needs an address, e.g. --console-host 0.0.0.0');
  if (socket !== undefined && portText !== undefined) throw new UsageError('Give --console-socket or --console-port, not both.');
  if (host !== undefined && portText === undefined) throw new UsageError('--console-host goes with --console-port, e.g. --console-port 50101 --console-host 10.0.0.5.');
  if (socket !== undefined) return { consoleSocket: socket };
  if (portText === undefined) return {};
  const port = Number(String(portText).trim());
  if (!/^\d+$/.test(String(portText).trim()) || port > 65_535) throw new UsageError(`Invalid --console-port ${JSON.stringify(String(portText))}: give a port number from 0 (any free port) to 65535.`);
  return host === undefined ? { consolePort: port } : { consolePort: port, consoleHost: host };
}

/** The production options (`--health-port`, `--health-host`, `--drain`, `--grace-period`) of `mode-di run`. */
function toHealthOptions(args: RunArguments): WorkerOptions {
  const options: WorkerOptions = {};
  const port = last(args.healthPort);
  if (port !== undefined) {
    const text = String(port).trim();
    if (!/^\d+$/.test(text) || Number(text) > 65_535) throw new UsageError(`--health-port needs a port number from 0 to 65535 (0 picks a free one), not ${JSON.stringify(String(port))}; e.g. --health-port 8081.`);
    options.healthPort = Number(text);
  }
  const host = last(args.healthHost)?.trim();
  if (host !== undefined) {
    if (host === '') throw new UsageError('--health-host needs an address, e.g. --health-host 0.0.0.0 (every interface) or 127.0.0.1 (the default).');
    options.healthHost = host;
  }
  const drain = last(args.drain)?.trim();
  if (drain !== undefined) options.drain = drain === '0' ? 0 : parseDuration(drain, '--drain');
  const gracePeriod = last(args.gracePeriod)?.trim();
  if (gracePeriod !== undefined) options.gracePeriod = parseDuration(gracePeriod, '--grace-period');
  return options;
}
