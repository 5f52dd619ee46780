// The options of `mode-di console` (yargs definitions) and where they say to connect.
import type { Argv, Options } from 'yargs';
import { UsageError } from '../errors/usage.js';

/**
 * `mode-di console`'s options, as yargs reads them.
 * @example
 * ```ts
 * yargs(argv).options(CONSOLE_OPTIONS);
 * ```
 */
export const CONSOLE_OPTIONS = {
  socket: { describe: "The app's console socket (mode-di run --console-socket)", type: 'string', requiresArg: true },
  port: { describe: "The app's console port (mode-di run --console-port)", type: 'string', requiresArg: true },
  host: { describe: 'The host of that port', type: 'string', default: '127.0.0.1', requiresArg: true },
  token: { describe: 'The token the app printed at start (default: MODE_CONSOLE_TOKEN); needed with --port', type: 'string', requiresArg: true },
} as const satisfies Record<string, Options>;

/**
 * Adds {@link CONSOLE_OPTIONS} to a yargs parser.
 * @example
 * ```ts
 * defineConsoleOptions(yargs(argv)).parse();
 * ```
 */
export function defineConsoleOptions<T>(y: Argv<T>): Argv<T> {
  return y.options(CONSOLE_OPTIONS as unknown as Record<string, Options>) as Argv<T>;
}

/**
 * What yargs hands over for `mode-di console`.
 * @example
 * ```ts
 * toConsoleTarget({ socket: 'run/console.sock' } satisfies ConsoleArguments);
 * ```
 */
export interface ConsoleArguments {
  readonly socket?: string | readonly string[] | undefined;
  readonly port?: string | number | readonly (string | number)[] | undefined;
  readonly host?: string | readonly string[] | undefined;
  readonly token?: string | readonly string[] | undefined;
}

/**
 * Where `mode-di console` connects.
 * @example
 * ```ts
 * const target: ConsoleTarget = { socket: '/app/run/console.sock' };
 * ```
 */
export type ConsoleTarget = { readonly socket: string } | { readonly port: number; readonly host: string; readonly token: string };

const last = <T>(value: T | readonly T[] | undefined): T | undefined => (Array.isArray(value) ? (value as readonly T[]).at(-1) : (value as T | undefined));

/**
 * Checks `mode-di console`'s arguments: a socket, or a port with a token (`--token` or `MODE_CONSOLE_TOKEN`).
 * @example
 * ```ts
 * toConsoleTarget({ port: '50101', token: 'x'.repeat(24) }); // { port: 50101, host: '127.0.0.1', token: 'xxx…' }
 * ```
 * @throws {@link UsageError} naming the option and the fix.
 */
export function toConsoleTarget(args: ConsoleArguments, env: NodeJS.ProcessEnv = process.env): ConsoleTarget {
  const socket = last(args.socket)?.trim();
  const port = last(args.port);
  if ((socket === undefined || socket === '') === (port === undefined)) throw new UsageError('mode-di console needs --socket <path> or --port <port> (one of them), as given to mode-di run.');
  if (socket) return { socket };
  const text = String(port).trim();
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 65_535) throw new UsageError(`Invalid --port ${JSON.stringify(text)}: give the console's port, from 1 to 65535.`);
  const token = last(args.token) ?? env['MODE_CONSOLE_TOKEN'];
  if (!token) throw new UsageError('mode-di console --port needs the token the app printed at start: --token <token>, or MODE_CONSOLE_TOKEN.');
  return { port: Number(text), host: last(args.host)?.trim() || '127.0.0.1', token };
}
