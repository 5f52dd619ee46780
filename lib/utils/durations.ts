// Durations and rates: the one parser every option, decorator and CLI flag goes through.
import { DurationError } from '../errors/usage.js';

/** A duration: milliseconds as a number, or a string such as `'250ms'`, `'1.5s'`, `'1m30s'`, `'2h'`, `'1d'`, or a rate such as `'10/s'`. */
export type Duration = number | string;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const PART = /(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h|d|w)/gy;
const RATE = /^(\d+(?:\.\d+)?)\s*\/\s*(ms|s|m|h|d)$/;

/**
 * Parses a duration into milliseconds.
 *
 * Numbers are milliseconds. Strings carry a unit (`ms`, `s`, `m`, `h`, `d`, `w`, combinable as
 * in `'1m30s'`) or are Mode's rates, `'<n>/<unit>'`, meaning an interval of 1/n of the unit.
 *
 * @example
 * parseDuration('1.5s');  // 1500
 * parseDuration('10/s');  // 100
 * parseDuration(250);     // 250
 * @throws {@link DurationError} naming the input when it is not a duration.
 */
export function parseDuration(input: Duration, what = 'duration'): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) {
      throw new DurationError(input, what, 'must be a finite number of milliseconds, 0 or more');
    }
    return input;
  }
  if (typeof input !== 'string') {
    throw new DurationError(input, what, `must be a number of milliseconds or a string like '1.5s', got ${typeof input}`);
  }
  const text = input.trim();
  if (text === '') throw new DurationError(input, what, "is empty; write e.g. '500ms', '1.5s' or '10/s'");
  const rate = RATE.exec(text);
  if (rate) {
    const n = Number(rate[1]);
    if (n === 0) throw new DurationError(input, what, 'is a rate of zero, which has no interval');
    return UNIT_MS[rate[2]!]! / n;
  }
  if (/^\d+(\.\d+)?$/.test(text)) {
    throw new DurationError(input, what, `has no unit; write '${text}ms' or '${text}s'`);
  }
  let total = 0;
  let at = 0;
  PART.lastIndex = 0;
  while (at < text.length) {
    PART.lastIndex = at;
    const m = PART.exec(text);
    if (!m) throw new DurationError(input, what, "is not a duration; write e.g. '250ms', '1.5s', '1m30s', '2h' or '10/s'");
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    at = PART.lastIndex;
    while (text[at] === ' ') at++;
  }
  return total;
}

/** Like {@link parseDuration}, but lets `undefined` through (for optional settings). */
export function parseOptionalDuration(input: Duration | undefined, what?: string): number | undefined {
  return input === undefined ? undefined : parseDuration(input, what);
}

/** Parses a duration into seconds (Mode's `want_seconds`). @example wantSeconds('1m') // 60 */
export function wantSeconds(input: Duration): number {
  return parseDuration(input) / 1_000;
}

const HUMAN_UNITS: Array<[number, string, string]> = [
  [604_800, 'week', 'weeks'],
  [86_400, 'day', 'days'],
  [3_600, 'hour', 'hours'],
  [60, 'minute', 'minutes'],
  [1, 'second', 'seconds'],
];

/**
 * Mode's `humanize_seconds`: the largest unit that fits, two decimals.
 *
 * @example
 * humanizeSeconds(90);                      // '1.50 minutes'
 * humanizeSeconds(0);                       // 'now'
 * humanizeSeconds(3600, { prefix: 'in ' }); // 'in 1.00 hour'
 */
export function humanizeSeconds(
  seconds: number,
  options: { prefix?: string; suffix?: string; now?: string; microseconds?: boolean } = {},
): string {
  const { prefix = '', suffix = '', now = 'now', microseconds = false } = options;
  for (const [size, one, many] of HUMAN_UNITS) {
    if (seconds >= size) {
      const value = seconds / size;
      return `${prefix}${value.toFixed(2)} ${value === 1 ? one : many}${suffix}`;
    }
  }
  if (microseconds && seconds > 0) return `${prefix}${(seconds * 1e6).toFixed(2)} microseconds${suffix}`;
  return now;
}

/** A compact rendering of milliseconds for log lines: `'250ms'`, `'1.50s'`, `'2.00m'`. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Number(ms.toFixed(ms < 10 ? 2 : 0))}ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(2)}s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(2)}m`;
  return `${(ms / 3_600_000).toFixed(2)}h`;
}
