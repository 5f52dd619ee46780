// Durations and rates: the one parser every option, decorator and CLI flag goes through.
import { DurationError } from '../errors/usage.js';

/**
 * The units a duration string may use, as {@link parseDuration} reads them.
 * @example
 * ```ts
 * const unit: DurationUnit = 'ms';
 * ```
 * @category Utilities
 */
export type DurationUnit =
  | 'ms' | 'msec' | 'msecs' | 'millisecond' | 'milliseconds'
  | 's' | 'sec' | 'secs' | 'second' | 'seconds'
  | 'm' | 'min' | 'mins' | 'minute' | 'minutes'
  | 'h' | 'hr' | 'hrs' | 'hour' | 'hours'
  | 'd' | 'day' | 'days'
  | 'w' | 'week' | 'weeks';

/**
 * A duration written as text: a number and a unit, first (`'250ms'`, `'1.5s'`, `'5 minutes'`,
 * `'1m30s'`, `'1h 30m'`), or a rate (`'10/s'`, `'100/m'`). A template-literal type, so a literal
 * without a number and a unit (`'abc'`, `'30'`, `'fast'`) does not compile; what it cannot
 * see (a unit repeated, `'1s1s'`) {@link parseDuration} refuses at run time.
 * @example
 * ```ts
 * const d: DurationString = '1m30s';
 * ```
 * @category Utilities
 */
export type DurationString = `${number}${DurationUnit}${string}` | `${number}/${DurationUnit}` | `${number} / ${DurationUnit}`;

/**
 * A duration: milliseconds as a number, or a {@link DurationString} such as `'250ms'`,
 * `'1.5s'`, `'1m30s'`, `'2h'`, `'1d'`, `'5 minutes'`, or a rate such as `'10/s'` (an interval of
 * 100 ms). Text from outside the code (an environment variable, a config file) is a plain
 * `string`: give it to {@link parseDuration}, which checks it and returns milliseconds.
 *
 * @example
 * ```ts
 * const d: Duration = '1.5s';
 * const fromEnv: Duration = parseDuration(process.env['TIMEOUT'] ?? '5s', 'TIMEOUT');
 * ```
 * @category Utilities
 */
export type Duration = number | DurationString;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
/** Unit spellings, longest first so the regex prefers `ms` over `m` and `minutes` over `m`. */
const UNIT_WORDS: Array<[string, string]> = [
  ['milliseconds', 'ms'], ['millisecond', 'ms'], ['msecs', 'ms'], ['msec', 'ms'], ['ms', 'ms'],
  ['seconds', 's'], ['second', 's'], ['secs', 's'], ['sec', 's'], ['s', 's'],
  ['minutes', 'm'], ['minute', 'm'], ['mins', 'm'], ['min', 'm'], ['m', 'm'],
  ['hours', 'h'], ['hour', 'h'], ['hrs', 'h'], ['hr', 'h'], ['h', 'h'],
  ['days', 'd'], ['day', 'd'], ['d', 'd'],
  ['weeks', 'w'], ['week', 'w'], ['w', 'w'],
];
const UNIT_OF = new Map(UNIT_WORDS);
const UNIT = UNIT_WORDS.map(([word]) => word).join('|');
const NUMBER = String.raw`\d+(?:\.\d+)?|\.\d+`;
const PART = new RegExp(String.raw`(${NUMBER})\s*(${UNIT})(?![a-z])`, 'y');
const RATE = new RegExp(String.raw`^(${NUMBER})\s*\/\s*(${UNIT})$`);

/**
 * Parses a duration into milliseconds.
 *
 * Numbers are milliseconds. Strings carry a unit (`ms`, `s`, `m`, `h`, `d`, `w`, or the words
 * `sec`, `minutes`, `hours`, …), several combine largest first as in `'1m30s'` or `'1h 30m'`; or
 * they are Mode's rates, `'<n>/<unit>'` (`'10/s'`, `'100/m'`, `'5/minute'`), meaning an
 * interval of 1/n of the unit.
 *
 * @example
 * ```ts
 * parseDuration('1.5s');  // 1500
 * parseDuration('10/s');  // 100
 * parseDuration(250);     // 250
 * ```
 * @throws {@link DurationError} naming the input when it is not a duration.
 * @category Utilities
 */
export function parseDuration(input: Duration | string, what = 'duration'): number {
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
    return UNIT_MS[UNIT_OF.get(rate[2]!)!]! / n;
  }
  if (/^\d+(\.\d+)?$/.test(text)) {
    throw new DurationError(input, what, `has no unit; write '${text}ms' or '${text}s'`);
  }
  let total = 0;
  let at = 0;
  let previous = Infinity;
  while (at < text.length) {
    PART.lastIndex = at;
    const m = PART.exec(text);
    if (!m) throw new DurationError(input, what, "is not a duration; write e.g. '250ms', '1.5s', '1m30s', '2h' or '10/s'");
    const unitMs = UNIT_MS[UNIT_OF.get(m[2]!)!]!;
    if (unitMs >= previous) {
      throw new DurationError(input, what, "repeats a unit or puts a smaller one first; write the parts largest first, each once, as in '1h30m'");
    }
    previous = unitMs;
    total += Number(m[1]) * unitMs;
    at = PART.lastIndex;
    while (text[at] === ' ') at++;
  }
  return total;
}

/** Like {@link parseDuration}, but lets `undefined` through (for optional settings). */
export function parseOptionalDuration(input: Duration | string | undefined, what?: string): number | undefined {
  return input === undefined ? undefined : parseDuration(input, what);
}

/**
 * Parses a duration into seconds (Mode's `want_seconds`). @example wantSeconds('1m') // 60
 * @category Utilities
 */
export function wantSeconds(input: Duration | string): number {
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
 * ```ts
 * humanizeSeconds(90);                      // '1.50 minutes'
 * humanizeSeconds(0);                       // 'now'
 * humanizeSeconds(3600, { prefix: 'in ' }); // 'in 1.00 hour'
 * ```
 * @category Utilities
 */
export function humanizeSeconds(
  seconds: number,
  options: { prefix?: string; suffix?: string; now?: string; microseconds?: boolean } = {},
): string {
  const { prefix = '', suffix = '', now = 'now', microseconds = false } = options;
  // Like Mode, round to hundredths first, so 59.999 s reads as a minute.
  const secs = Number(seconds.toFixed(2));
  for (const [size, one, many] of HUMAN_UNITS) {
    if (secs >= size) {
      const value = secs / size;
      return `${prefix}${value.toFixed(2)} ${value === 1 ? one : many}${suffix}`;
    }
  }
  if (microseconds && seconds > 0) return `${prefix}${seconds.toFixed(2)} seconds${suffix}`;
  return now;
}

/**
 * A compact rendering of milliseconds for log lines: `'0.25ms'`, `'250ms'`, `'1.50s'`,
 * `'2.00m'`, `'3.00h'`. A value that would round up to the next unit's size is shown in that
 * unit, so 999.6 ms reads `'1.00s'` and 59.999 s reads `'1.00m'`.
 *
 * @example
 * ```ts
 * formatDuration(1500); // '1.50s'
 * ```
 * @category Utilities
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return `${ms}ms`;
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  const wholeMs = Number(abs.toFixed(abs < 10 ? 2 : 0));
  if (wholeMs < 1_000) return wholeMs === 0 ? '0ms' : `${sign}${wholeMs}ms`;
  if (Number((abs / 1_000).toFixed(2)) < 60) return `${sign}${(abs / 1_000).toFixed(2)}s`;
  if (Number((abs / 60_000).toFixed(2)) < 60) return `${sign}${(abs / 60_000).toFixed(2)}m`;
  return `${sign}${(abs / 3_600_000).toFixed(2)}h`;
}
