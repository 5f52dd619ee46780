// Mode's log line, to the character: `[YYYY-MM-DD HH:mm:ss,SSS: LEVEL]: [^--Label]: message` (and a JSON variant).
import type { LogLevel } from '../lifecycle/state.js';
import { userStack } from '../utils/stack.js';

/**
 * One line of the Worker's log, before formatting.
 * @example
 * ```ts
 * const record: LogRecord = { timestamp: new Date(), level: 'info', label: 'Webserver', depth: 2, message: 'Serving on port 8000' };
 * ```
 * @category Worker
 */
export interface LogRecord {
  /** When it was said. */
  readonly timestamp: Date;
  /** How important it is. */
  readonly level: LogLevel;
  /** Who speaks: `Worker`, or a service's label. */
  readonly label: string;
  /** `0` for the Worker (the root, `^`); a service's depth (1 for roots) is its number of dashes. */
  readonly depth: number;
  /** What was said. */
  readonly message: string;
  /** Printed after the message (its stack) in text, as an object in JSON. */
  readonly error?: Error | undefined;
}

/**
 * The level names Mode prints.
 * @example
 * ```ts
 * LEVEL_NAMES.warning; // 'WARNING'
 * ```
 */
export const LEVEL_NAMES: Readonly<Record<LogLevel, string>> = {
  debug: 'DEBUG',
  info: 'INFO',
  warning: 'WARNING',
  error: 'ERROR',
  critical: 'CRITICAL',
};

/** Mode's colours (colorlog), applied to the label and message on a terminal. INFO keeps the terminal's colour. */
const COLORS: Readonly<Record<LogLevel, string>> = {
  debug: '\x1b[34m',
  info: '',
  warning: '\x1b[33m',
  error: '\x1b[31m',
  critical: '\x1b[1;31m',
};
const RESET = '\x1b[0m';

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

// Lines come in bursts: the local date and time down to the second is computed once per second.
let cachedSecond = NaN;
let cachedPrefix = '';

/**
 * Python logging's `asctime` in local time: `YYYY-MM-DD HH:mm:ss,SSS`.
 * @example
 * ```ts
 * formatTimestamp(new Date(2018, 2, 27, 15, 47, 12, 159)); // '2018-03-27 15:47:12,159'
 * ```
 */
export function formatTimestamp(date: Date): string {
  const time = date.getTime();
  const second = Math.floor(time / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix =
      `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())} ` +
      `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())},`;
  }
  return cachedPrefix + pad3(time - second * 1000);
}

/**
 * Mode's prefix for who speaks: `^` is the root (the Worker), then one `-` per level below it.
 * @example
 * ```ts
 * formatLabel('Worker', 0);     // '[^Worker]'
 * ```
 * @example
 * ```ts
 * formatLabel('Webserver', 2); // '[^--Webserver]'
 * ```
 */
export function formatLabel(label: string, depth: number): string {
  return `[^${'-'.repeat(Math.max(0, depth))}${label}]`;
}

/**
 * A record as Mode's text line (no trailing newline); with `color`, the label and message are
 * coloured by level. An error's stack follows on the next lines, without mode-di's, inversify's
 * and Node's internal frames (the JSON format keeps the whole stack).
 *
 * @example
 * ```ts
 * formatLogLine({ timestamp: new Date(2018, 2, 27, 15, 47, 12, 161), level: 'info', label: 'Webserver', depth: 2, message: 'Starting...' });
 * // '[2018-03-27 15:47:12,161: INFO]: [^--Webserver]: Starting...'
 * ```
 * @category Worker
 */
export function formatLogLine(record: LogRecord, options: { color?: boolean } = {}): string {
  const { level, error } = record;
  let body = `${formatLabel(record.label, record.depth)}: ${record.message}`;
  if (error) body += `\n${userStack(error)}`;
  const color = options.color ? COLORS[level] : '';
  return `[${formatTimestamp(record.timestamp)}: ${LEVEL_NAMES[level]}]: ${color ? `${color}${body}${RESET}` : body}`;
}

/**
 * A record as one JSON line: `timestamp` (ISO 8601, UTC), `level` (Mode's name), `label`,
 * `depth`, `message`, and `error` (`name`, `message`, `stack`) when there is one.
 *
 * @example
 * ```ts
 * formatJsonLine({ timestamp: new Date(0), level: 'info', label: 'Worker', depth: 0, message: 'Starting...' });
 * // '{"timestamp":"1970-01-01T00:00:00.000Z","level":"INFO","label":"Worker","depth":0,"message":"Starting..."}'
 * ```
 * @category Worker
 */
export function formatJsonLine(record: LogRecord): string {
  const { error } = record;
  return JSON.stringify({
    timestamp: record.timestamp.toISOString(),
    level: LEVEL_NAMES[record.level],
    label: record.label,
    depth: record.depth,
    message: record.message,
    ...(error ? { error: { name: error.name, message: error.message, stack: error.stack } } : {}),
  });
}
