// Mode's aiomonitor: the remote console, served from its own thread so that it answers even while the main loop is blocked.
import { lstatSync, unlinkSync } from 'node:fs';
import { isMainThread, Worker } from 'node:worker_threads';
import { type Duration, parseDuration } from '../utils/durations.js';
import { consoleToken, isLoopback, prepareSocketPath } from './console-address.js';
import { runConsoleCommand } from './console-commands.js';
import type { ConsoleHost } from './console-host.js';
import type { ConsoleListen, ConsoleMainMessage, ConsoleThreadMessage, ConsoleThreadSettings } from './console-protocol.js';
import { ConsoleRepl } from './console-repl.js';
import { ConsoleError } from './errors.js';

/** Commands the console thread can answer from a snapshot while the main loop is blocked, and how often it is refreshed. */
const SNAPSHOT_COMMANDS = ['services', 'tasks', 'graph', 'loop'] as const;
const SNAPSHOT_MS = 1_000;

/**
 * Where and how the console listens: `socket` (a unix socket, mode 0600) or `port` (TCP, on
 * 127.0.0.1 unless `host` says otherwise, with a token).
 * @example
 * ```ts
 * const options: ConsoleServerOptions = { port: 50101 };
 * ```
 * @category Diagnostics
 */
export interface ConsoleServerOptions {
  /** A unix socket path. Its folder is created 0700 when missing; a folder others can write to is refused. */
  socket?: string;
  /** A TCP port (`0`: any free port). */
  port?: number;
  /** The TCP address to bind. Default `127.0.0.1`; any other must be given here explicitly. */
  host?: string;
  /** The token a TCP client sends first. Default: `MODE_CONSOLE_TOKEN`, else a random one (see {@link ConsoleServer.token}). */
  token?: string;
  /** Connections at once (default 4); more are told so and closed. */
  maxConnections?: number;
  /** A TCP client that has not sent its token by then is disconnected (default `'5s'`). */
  authTimeout?: Duration;
}

/**
 * The remote console (Mode's aiomonitor), off unless asked for. It listens on a thread of its
 * own: `stack` is answered there, through the inspector, even while the main thread's loop is
 * blocked; the other commands (`services`, `tasks`, `restart`, `js`, …) run on the main thread
 * when its loop turns. Anyone connected can run any code (`js`), so a unix socket is created
 * 0600 in a private folder, and TCP needs a token (first line, compared in constant time).
 *
 * @example
 * ```ts
 * const server = new ConsoleServer(host, { socket: '/run/app/console.sock' });
 * console.log(await server.start()); // 'unix:/run/app/console.sock'
 * // $ mode-di console --socket /run/app/console.sock
 * await server.stop();
 * ```
 * @category Diagnostics
 */
export class ConsoleServer implements AsyncDisposable {
  /** The token TCP clients must send (`undefined` for a unix socket). */
  readonly token: string | undefined;
  /** Whether the token came from `MODE_CONSOLE_TOKEN` or the options (so there is no need to print it). */
  readonly tokenGiven: boolean;
  readonly #host: ConsoleHost;
  readonly #listen: ConsoleListen;
  readonly #settings: Omit<ConsoleThreadSettings, 'listen'>;
  #thread: Worker | undefined;
  #address: string | undefined;
  #socketIno: number | undefined;
  #stopping: Promise<void> | undefined;
  readonly #repls = new Map<number, ConsoleRepl>();
  readonly #connections = new Set<number>();
  #snapshotTimer: NodeJS.Timeout | undefined;

  /** @throws {@link ConsoleError} for options that do not say where to listen, or say it wrongly. */
  constructor(host: ConsoleHost, options: ConsoleServerOptions) {
    this.#host = host;
    const { socket, port } = options;
    if ((socket === undefined) === (port === undefined)) throw new ConsoleError('The console needs either a unix socket (--console-socket <path>) or a TCP port (--console-port <port>), not both.');
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535)) throw new ConsoleError(`Invalid console port ${JSON.stringify(port)}: give a number from 0 (any free port) to 65535.`);
    if (socket !== undefined && (typeof socket !== 'string' || socket.trim() === '')) throw new ConsoleError('The console socket needs a path, e.g. --console-socket run/console.sock.');
    if (options.host !== undefined && socket !== undefined) throw new ConsoleError('A console host (--console-host) goes with a TCP port (--console-port), not a unix socket.');
    const maxConnections = options.maxConnections ?? 4;
    if (!(Number.isInteger(maxConnections) && maxConnections >= 1)) throw new ConsoleError(`Invalid console maxConnections ${maxConnections}: give 1 or more.`);
    const given = options.token ?? process.env['MODE_CONSOLE_TOKEN'];
    this.tokenGiven = given !== undefined && given !== '';
    this.token = port === undefined ? undefined : consoleToken(given);
    this.#listen = socket !== undefined ? { socket } : { port: port!, host: options.host ?? '127.0.0.1' };
    this.#settings = {
      token: this.token,
      maxConnections,
      authTimeoutMs: parseDuration(options.authTimeout ?? '5s', 'console authTimeout'),
      captureTimeoutMs: 1_000,
      busyNoticeMs: 1_000,
    };
  }

  /** Where it listens (`unix:/path` or `tcp://127.0.0.1:port`), once started. */
  get address(): string | undefined {
    return this.#address;
  }

  /** Whether it binds beyond the loopback interface. */
  get exposed(): boolean {
    return 'host' in this.#listen && !isLoopback(this.#listen.host);
  }

  /**
   * Starts listening; resolves with the address.
   * @throws {@link ConsoleError} when the socket folder is unsafe, or the socket or port is in use.
   */
  async start(): Promise<string> {
    if (this.#thread) throw new ConsoleError(`The console is already listening on ${this.#address ?? 'its address'}.`);
    if (!isMainThread) throw new ConsoleError('The console serves the main thread: start it there.');
    const listen = 'socket' in this.#listen ? { socket: await prepareSocketPath(this.#listen.socket) } : this.#listen;
    this.#stopping = undefined;
    const settings: ConsoleThreadSettings = { listen, ...this.#settings };
    const thread = new Worker(new URL('./console-thread.js', import.meta.url), { workerData: settings, execArgv: [], name: 'mode-di console' });
    this.#thread = thread;
    return new Promise<string>((resolve, reject) => {
      thread.on('message', (message: ConsoleThreadMessage) => {
        if (message.type === 'listening') {
          this.#address = message.address;
          if ('socket' in listen) {
            this.#socketIno = lstatSync(listen.socket).ino;
            // Should the process exit before stop() completes, the socket file goes with it.
            process.once('exit', this.#removeSocket);
          }
          thread.unref(); // from now on the console never holds the process
          resolve(message.address);
        } else if (message.type === 'failed') {
          this.#thread = undefined;
          reject(new ConsoleError(`The console cannot listen on ${'socket' in listen ? listen.socket : `${listen.host}:${listen.port}`}: ${message.code === 'EADDRINUSE' ? 'the address is in use' : message.message}.`));
        } else {
          void this.#receive(message);
        }
      });
      thread.on('error', (error) => {
        this.#thread = undefined;
        reject(new ConsoleError(`The console thread failed: ${error.message}`));
      });
      thread.on('exit', () => {
        this.#thread = undefined;
        this.#removeSocket();
        resolve(this.#address ?? 'stopped');
      });
    });
  }

  /** Closes every connection and stops listening (the socket file is removed). Never rejects; settles within about a second. */
  stop(): Promise<void> {
    if (this.#stopping) return this.#stopping;
    const thread = this.#thread;
    this.#stopSnapshots();
    for (const repl of this.#repls.values()) repl.close();
    this.#repls.clear();
    if (!thread) return (this.#stopping = Promise.resolve());
    this.#stopping = new Promise<void>((resolve) => {
      // Held until the thread has closed the sockets (at most a second): `await stop()` then ends.
      thread.ref();
      const timer = setTimeout(() => void thread.terminate(), 1_000);
      timer.unref();
      thread.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.#send({ type: 'close' });
    });
    return this.#stopping;
  }

  /** {@link ConsoleServer.stop}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  #send(message: ConsoleMainMessage): void {
    this.#thread?.postMessage(message);
  }

  async #receive(message: ConsoleThreadMessage): Promise<void> {
    switch (message.type) {
      case 'command':
        this.#send({ type: 'reply', id: message.id, text: await runConsoleCommand(this.#host, message.line) });
        break;
      case 'opened':
        this.#connections.add(message.connection);
        if (!this.#snapshotTimer) {
          this.#snapshotTimer = setInterval(() => void this.#snapshot(), SNAPSHOT_MS).unref();
          void this.#snapshot();
        }
        break;
      case 'js-open': {
        const { connection } = message;
        const repl = new ConsoleRepl(
          this.#host.app,
          (data) => this.#send({ type: 'js-output', connection, data }),
          () => {
            this.#repls.delete(connection);
            this.#send({ type: 'js-closed', connection });
          },
        );
        this.#repls.set(connection, repl);
        break;
      }
      case 'js-input':
        this.#repls.get(message.connection)?.input(message.data);
        break;
      case 'closed':
        this.#repls.get(message.connection)?.close();
        this.#connections.delete(message.connection);
        if (this.#connections.size === 0) this.#stopSnapshots();
        break;
      default:
        break;
    }
  }

  /** Sends the console thread what it answers from while the main loop is blocked (only while someone is connected). */
  async #snapshot(): Promise<void> {
    const answers: Record<string, string> = {};
    for (const command of SNAPSHOT_COMMANDS) answers[command] = await runConsoleCommand(this.#host, command);
    this.#send({ type: 'snapshot', snapshot: { at: Date.now(), answers } });
  }

  #stopSnapshots(): void {
    clearInterval(this.#snapshotTimer);
    this.#snapshotTimer = undefined;
  }

  /** Removes the socket file, if it is still the one this console bound. */
  readonly #removeSocket = (): void => {
    process.off('exit', this.#removeSocket);
    if (this.#socketIno === undefined) return;
    const ino = this.#socketIno;
    this.#socketIno = undefined;
    try {
      const path = this.#address!.slice('unix:'.length);
      if (lstatSync(path).ino === ino) unlinkSync(path);
    } catch {
      // already gone
    }
  };
}
