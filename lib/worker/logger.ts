// The Worker's winston logger: Mode's format to the console, a log file and user transports, closed without losing a line.
import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type Winston from 'winston';
import { UsageError } from '../errors/usage.js';
import type { LogLevel } from '../lifecycle/state.js';
import { formatJsonLine, formatLogLine, type LogRecord } from './log-format.js';

type TransportStream = Winston.transport;

/** Mode's levels as winston levels (lower is more severe). */
export const LOG_LEVELS: Readonly<Record<LogLevel, number>> = { critical: 0, error: 1, warning: 2, info: 3, debug: 4 };

const MESSAGE = Symbol.for('message');

/** How the Worker logs. */
export interface LoggerSettings {
  readonly level: LogLevel;
  readonly format: 'text' | 'json';
  /** Colour the console output (text format only). */
  readonly color: boolean;
  /** No console output (the log file and user transports still get everything). */
  readonly quiet: boolean;
  /** Append the log to this file as well. */
  readonly logfile?: string | undefined;
  /** More winston transports; they receive the formatted line as `info[Symbol.for('message')]`. */
  readonly transports?: readonly TransportStream[] | undefined;
  /** Where console output goes (default `process.stdout`). */
  readonly stdout?: Writable | undefined;
}

/**
 * A winston logger fed with {@link LogRecord}s, and closed in an order that loses nothing:
 * the logger ends, every transport finishes, the log file is flushed and closed, and the
 * console stream has handed everything to the OS.
 *
 * @example
 * const log = await WorkerLogger.create({ level: 'info', format: 'text', color: false, quiet: false });
 * log.write({ timestamp: new Date(), level: 'info', label: 'Worker', depth: 0, message: 'Starting...' });
 * await log.close();
 */
export class WorkerLogger {
  #closed = false;
  #closing: Promise<void> | undefined;

  private constructor(
    /** The winston logger (add transports to it, or log to it directly with Mode's level names). */
    readonly winston: Winston.Logger,
    readonly level: LogLevel,
    private readonly console: Writable | undefined,
    private readonly file: WriteStream | undefined,
  ) {}

  /**
   * Builds the logger (winston is loaded on first use).
   * @throws {@link UsageError} when the log file cannot be opened.
   */
  static async create(settings: LoggerSettings): Promise<WorkerLogger> {
    const fd = settings.logfile ? openLogfile(settings.logfile) : undefined;
    const winston = (await import('winston')).default;
    const render = settings.format === 'json' ? formatJsonLine : (r: LogRecord) => formatLogLine(r);
    const format = winston.format((info) => {
      (info as Record<symbol, unknown>)[MESSAGE] = render(info as unknown as LogRecord);
      return info;
    });
    const transports: TransportStream[] = [];
    const stdout = settings.quiet ? undefined : (settings.stdout ?? process.stdout);
    if (stdout) {
      stdout.on('error', ignoreClosedPipe);
      const color = settings.color && settings.format === 'text';
      const colored = color ? winston.format((info) => {
        (info as Record<symbol, unknown>)[MESSAGE] = formatLogLine(info as unknown as LogRecord, { color: true });
        return info;
      })() : undefined;
      transports.push(streamTransport(winston, stdout, colored));
    }
    let file: WriteStream | undefined;
    if (fd !== undefined) {
      file = createWriteStream('', { fd, flags: 'a' });
      file.on('error', (error) => process.stderr.write(`mode-di: cannot write the log file ${settings.logfile}: ${error.message}\n`));
      transports.push(streamTransport(winston, file));
    }
    transports.push(...(settings.transports ?? []));
    const logger = winston.createLogger({ levels: { ...LOG_LEVELS }, level: settings.level, format: format(), transports, exitOnError: false });
    logger.on('error', (error: Error) => process.stderr.write(`mode-di: a log transport failed: ${error.message}\n`));
    return new WorkerLogger(logger, settings.level, stdout, file);
  }

  /** Whether a record at `level` would be written. */
  isEnabled(level: LogLevel): boolean {
    return LOG_LEVELS[level] <= LOG_LEVELS[this.level];
  }

  /** Logs one record; after {@link WorkerLogger.close} it goes to stderr instead (nothing is dropped). */
  write(record: LogRecord): void {
    if (!this.isEnabled(record.level)) return;
    if (this.#closed) {
      process.stderr.write(`${formatLogLine(record)}\n`);
      return;
    }
    this.winston.log(record as unknown as Winston.LogEntry);
  }

  /**
   * Ends the logger and resolves once every line has reached its destination (or after
   * `timeoutMs`, so a stuck transport cannot hold the process forever).
   */
  close(timeoutMs = 5_000): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#closed = true;
    const done = this.#close();
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    });
    this.#closing = Promise.race([done, limit]).finally(() => clearTimeout(timer));
    return this.#closing;
  }

  async #close(): Promise<void> {
    const logger = this.winston;
    const transports = [...logger.transports];
    const finished = transports.map((t) => (t.writableFinished ? Promise.resolve() : new Promise<void>((resolve) => {
      t.once('finish', () => resolve());
      t.once('error', () => resolve());
    })));
    await new Promise<void>((resolve) => {
      logger.once('finish', () => resolve());
      logger.end();
    });
    await Promise.all(finished);
    if (this.file) {
      const file = this.file;
      await new Promise<void>((resolve) => {
        file.once('close', () => resolve());
        file.once('error', () => resolve());
        file.end();
      });
    }
    if (this.console) await flushStream(this.console);
  }
}

function openLogfile(path: string): number {
  try {
    return openSync(path, 'a');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'its folder does not exist' : (error as Error).message;
    throw new UsageError(`Cannot open the log file ${path}: ${reason}. Give a path in an existing, writable folder (--logfile).`);
  }
}

/** A winston transport writing each formatted line to `stream` (which it never ends). */
function streamTransport(winston: typeof Winston, stream: Writable, format?: Winston.Logform.Format): TransportStream {
  // winston's typings call the class `transport`; at run time it is `Transport`.
  const Base = (winston as unknown as { Transport: new (options?: { format?: Winston.Logform.Format }) => TransportStream }).Transport;
  class StreamTransport extends Base {
    override log(info: Record<symbol, unknown>, next: () => void): void {
      if (stream.writable) stream.write(`${String(info[MESSAGE])}\n`);
      next();
    }
  }
  return new StreamTransport(format ? { format } : {});
}

function ignoreClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') process.stderr.write(`mode-di: cannot write the log: ${error.message}\n`);
}

/**
 * Resolves once everything written to `stream` so far has been handed to the OS: a pipe's
 * tail is not lost when the process exits next.
 * @example await flushStream(process.stdout); process.exit(code);
 */
export function flushStream(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    // A chunk still counted in writableLength has not been accepted by the OS yet.
    if (!stream.writable || stream.writableLength === 0) return resolve();
    try {
      stream.write('', () => resolve());
    } catch {
      resolve();
    }
  });
}
