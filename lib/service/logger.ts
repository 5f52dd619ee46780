// A service's `log`: level methods that become `service.log` events (rendered by the Worker).
import { format } from 'node:util';
import type { LogLevel } from '../lifecycle/state.js';

/** Where a {@link ServiceLogger} sends formatted lines. */
export type LogSink = (level: LogLevel, message: string, error?: Error) => void;

/**
 * The logger every service has as `this.log`. Messages are `util.format`-ted (`%s`, `%d`,
 * `%o`) and emitted as `service.log` lifecycle events; the Worker prints them as
 * `[^--Label]: message`. With nobody listening, warnings and worse go to stderr.
 *
 * @example
 * ```ts
 * this.log.info('Serving on port %d', port);
 * this.log.exception(err, 'Request failed');
 * ```
 * @category Services
 */
export class ServiceLogger {
  constructor(private readonly sink: LogSink) {}

  /** Logs at DEBUG level (shown with `--loglevel debug`). */
  debug(message: unknown, ...args: unknown[]): void {
    this.sink('debug', format(message, ...args));
  }
  /** Logs at INFO level, the default threshold. */
  info(message: unknown, ...args: unknown[]): void {
    this.sink('info', format(message, ...args));
  }
  /** Logs at WARNING level. */
  warning(message: unknown, ...args: unknown[]): void {
    this.sink('warning', format(message, ...args));
  }
  /** Same as {@link ServiceLogger.warning}. */
  warn(message: unknown, ...args: unknown[]): void {
    this.sink('warning', format(message, ...args));
  }
  /** Logs at ERROR level; use {@link ServiceLogger.exception} to include an error's stack. */
  error(message: unknown, ...args: unknown[]): void {
    this.sink('error', format(message, ...args));
  }
  /** Logs at CRITICAL level, the highest. */
  critical(message: unknown, ...args: unknown[]): void {
    this.sink('critical', format(message, ...args));
  }
  /** Logs `error` (with its stack) at ERROR level, after an optional message. */
  exception(error: unknown, message?: unknown, ...args: unknown[]): void {
    const err = error instanceof Error ? error : new Error(String(error));
    this.sink('error', message === undefined ? err.message : format(message, ...args), err);
  }
}
