// The Worker's winston logger: Mode's format to the console, a log file and user transports, closed without losing a line.
import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type Winston from 'winston';
import { UsageError } from '../errors/usage.js';
import type { LogLevel } from '../lifecycle/state.js';
import { formatJsonLine, formatLogLine, type LogRecord } from './log-format.js';
import { clearLongTimeout, setLongTimeout } from '../utils/long-timeout.js';

type TransportStream = Winston.transport;

/**
 * Mode's levels as winston levels (lower is more severe).
 * @example
 * ```ts
 * new winston.transports.Console({ level: 'warning' }); // a level by these names
 * ```
 */
export const LOG_LEVELS: Readonly<Record<LogLevel, number>> = { critical: 0, error: 1, warning: 2, info: 3, debug: 4 };

const MESSAGE = Symbol.for('message');

/**
 * How the Worker logs.
 * @example
 * ```ts
 * await WorkerLogger.create({ level: 'info', format: 'json', color: false, quiet: true, logfile: 'app.log' });
 * ```
 */
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
 * ```ts
 * const log = await WorkerLogger.create({ level: 'info', format: 'text', color: false, quiet: false });
 * log.write({ timestamp: new Date(), level: 'info', label: 'Worker', depth: 0, message: 'Starting...' });
 * await log.close();
 * ```
 * @category Worker
 */
export class WorkerLogger {
  #closed = false;
  #closing: Promise<void> | undefined;
  /** The first failure of a log destination (reported once on stderr); the Worker then exits 1. */
  readonly #failures: Failures;

  private constructor(
    /** The winston logger, with every transport (log to it directly with Mode's level names). */
    readonly winston: Winston.Logger,
    /** The lowest level it writes (`--loglevel`). */
    readonly level: LogLevel,
    /** The console and the log file: their batched lines are handed over on close. */
    private readonly writers: readonly LineWriter[],
    private readonly file: WriteStream | undefined,
    failures: Failures,
  ) {
    this.#failures = failures;
  }

  /** The first error a log destination (the log file, the console, a transport) failed with, if any: lines were lost. */
  get failure(): Error | undefined {
    return this.#failures.first;
  }

  /** Loads winston ahead of {@link WorkerLogger.create} (which loads it on first use otherwise). */
  static async preload(): Promise<void> {
    await import('winston');
  }

  /**
   * Builds the logger (winston is loaded on first use).
   * @throws {@link UsageError} when the log file cannot be opened.
   */
  static async create(settings: LoggerSettings): Promise<WorkerLogger> {
    const fd = settings.logfile ? openLogfile(settings.logfile) : undefined;
    const winston = (await import('winston')).default;
    const render = settings.format === 'json' ? formatJsonLine : (r: LogRecord) => formatLogLine(r);
    // Every line becomes a LogRecord; one logged straight to `logger.winston` without a label is the Worker's.
    const asRecord = (info: Winston.Logform.TransformableInfo): LogRecord => {
      const i = info as Partial<LogRecord> & { level: string; message: unknown };
      return {
        timestamp: i.timestamp instanceof Date ? i.timestamp : new Date(),
        level: (i.level in LOG_LEVELS ? i.level : 'info') as LogLevel,
        label: typeof i.label === 'string' ? i.label : 'Worker',
        depth: typeof i.depth === 'number' ? i.depth : 0,
        message: String(i.message),
        error: i.error instanceof Error ? i.error : undefined,
      };
    };
    const format = winston.format((info) => {
      (info as Record<symbol, unknown>)[MESSAGE] = render(asRecord(info));
      return info;
    });
    /** Reports the first failure once: a full disk would fail every line. */
    const failed = (what: string, error: Error) => {
      if (failures.first) return;
      failures.first = error;
      process.stderr.write(`mode-di: ${what}: ${error.message}. Log lines are being lost; the exit status will be 1.\n`);
    };
    const failures: Failures = { fileFailed: (error) => failed(`cannot write the log file ${settings.logfile}`, error) };
    const writers: LineWriter[] = [];
    const transports: TransportStream[] = [];
    const stdout = settings.quiet ? undefined : (settings.stdout ?? process.stdout);
    if (stdout) {
      stdout.on('error', (error: NodeJS.ErrnoException) => {
        // A reader that went away (`| head`) is not a failure of the app.
        if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') failed('cannot write the log', error);
      });
      const color = settings.color && settings.format === 'text';
      const colored = color
        ? winston.format((info) => {
            (info as Record<symbol, unknown>)[MESSAGE] = formatLogLine(asRecord(info), { color: true });
            return info;
          })()
        : undefined;
      const writer = new LineWriter(stdout);
      writers.push(writer);
      transports.push(streamTransport(winston, writer, colored));
    }
    let file: WriteStream | undefined;
    if (fd !== undefined) {
      file = createWriteStream('', { fd, flags: 'a' });
      file.on('error', failures.fileFailed);
      const writer = new LineWriter(file);
      writers.push(writer);
      transports.push(streamTransport(winston, writer));
    }
    transports.push(...(settings.transports ?? []));
    // With nowhere to write (--quiet and nothing else), winston would warn on every line.
    const silent = transports.length === 0;
    const logger = winston.createLogger({ levels: { ...LOG_LEVELS }, level: settings.level, format: format(), transports, exitOnError: false, silent });
    logger.on('error', (error: Error) => failed('a log transport failed', error));
    const created = new WorkerLogger(logger, settings.level, writers, file, failures);
    // Should something call process.exit() behind the Worker's back, hand over the batched lines first.
    process.on('exit', created.#flushWriters);
    return created;
  }

  readonly #flushWriters = () => {
    for (const writer of this.writers) writer.flush();
  };

  /** Whether a record at `level` would be written. */
  isEnabled(level: LogLevel): boolean {
    return LOG_LEVELS[level] <= LOG_LEVELS[this.level] && !this.winston.silent;
  }

  /** Logs one record through winston; after {@link WorkerLogger.close} it goes to stderr instead (nothing is dropped). */
  write(record: LogRecord): void {
    if (!this.isEnabled(record.level)) return;
    if (this.#closed) {
      process.stderr.write(`${formatLogLine(record)}\n`);
      return;
    }
    this.winston.log({ ...record });
  }

  /**
   * Ends the logger and resolves once every line has reached its destination (or after
   * `timeoutMs`, so a stuck transport cannot hold the process forever).
   */
  close(timeoutMs = 5_000): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#closed = true;
    const done = this.#close();
    let timer: ReturnType<typeof setLongTimeout> | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setLongTimeout(resolve, timeoutMs).unref();
    });
    this.#closing = Promise.race([done, limit]).finally(() => clearLongTimeout(timer));
    return this.#closing;
  }

  async #close(): Promise<void> {
    process.off('exit', this.#flushWriters);
    this.#flushWriters();
    const logger = this.winston;
    const transports = [...logger.transports];
    const finished = transports.map((t) =>
      t.writableFinished
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            t.once('finish', () => resolve());
            t.once('error', () => resolve());
          }),
    );
    await new Promise<void>((resolve) => {
      logger.once('finish', () => resolve());
      logger.end();
    });
    await Promise.all(finished);
    if (this.file) {
      const file = this.file;
      await new Promise<void>((resolve) => {
        // A file that failed (a full disk) is already destroyed: it will not emit 'close' again,
        // and its 'error' may still be on its way (a process exiting next would never see it).
        if (file.destroyed) {
          if (file.errored) this.#failures.fileFailed(file.errored);
          return resolve();
        }
        file.once('close', () => resolve());
        file.once('error', () => resolve());
        file.end();
      });
    }
    for (const writer of this.writers) if (writer.stream !== this.file) await flushStream(writer.stream);
  }
}

/** The first failure of a log destination, and how a failure of the log file is reported. */
interface Failures {
  first?: Error;
  readonly fileFailed: (error: Error) => void;
}

function openLogfile(path: string): number {
  try {
    return openSync(path, 'a');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'its folder does not exist' : (error as Error).message;
    throw new UsageError(`Cannot open the log file ${path}: ${reason}. Give a path in an existing, writable folder (--logfile).`);
  }
}

/**
 * Writes lines to a stream, batching the lines of one turn of the event loop into one write
 * (writev): a thousand services stopping at once cost one system call, not a thousand. Other
 * writes to the same stream (a service's console.log) keep their order.
 */
class LineWriter {
  #corked = false;
  readonly #uncork = () => this.flush();

  constructor(readonly stream: Writable) {}

  write(line: string): void {
    const stream = this.stream;
    if (!stream.writable) return;
    if (!this.#corked) {
      this.#corked = true;
      stream.cork();
      setImmediate(this.#uncork);
    }
    stream.write(`${line}\n`);
  }

  /** Hands the batched lines to the stream now. */
  flush(): void {
    if (!this.#corked) return;
    this.#corked = false;
    this.stream.uncork();
  }
}

/** A winston transport writing each formatted line through `writer` (it never ends the stream). */
function streamTransport(winston: typeof Winston, writer: LineWriter, format?: Winston.Logform.Format): TransportStream {
  // winston's typings call the class `transport`; at run time it is `Transport`.
  const Base = (winston as unknown as { Transport: new (options?: { format?: Winston.Logform.Format }) => TransportStream }).Transport;
  class StreamTransport extends Base {
    override log(info: Record<symbol, unknown>, next: () => void): void {
      writer.write(String(info[MESSAGE]));
      next();
    }
  }
  return new StreamTransport(format ? { format } : {});
}

/**
 * Resolves once everything written to `stream` so far has been handed to the OS: a pipe's
 * tail is not lost when the process exits next.
 * @example
 * ```ts
 * await flushStream(process.stdout); process.exit(code);
 * ```
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
