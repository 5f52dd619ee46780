// Durations and rates: every accepted form, every rejected one, and the human renderings.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DurationError, formatDuration, humanizeSeconds, parseDuration, UsageError, wantSeconds } from '../../lib/index.js';

describe('parseDuration', () => {
  it('takes numbers as milliseconds', () => {
    expect(parseDuration(0)).toBe(0);
    expect(parseDuration(250)).toBe(250);
    expect(parseDuration(0.5)).toBe(0.5);
    expect(parseDuration(86_400_000)).toBe(86_400_000);
  });

  it.each([
    ['250ms', 250],
    ['0ms', 0],
    ['1.5s', 1_500],
    ['.5s', 500],
    ['1s', 1_000],
    ['1m', 60_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1w', 604_800_000],
    ['0.25ms', 0.25],
  ])('reads the unit in %j', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each([
    ['1m30s', 90_000],
    ['1h 30m', 5_400_000],
    ['1d2h3m4s5ms', 93_784_005],
    ['2m 0.5s', 120_500],
  ])('adds up combined parts, largest first: %j', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each([
    ['500 milliseconds', 500],
    ['1 msec', 1],
    ['30 seconds', 30_000],
    ['1 second', 1_000],
    ['10sec', 10_000],
    ['5 minutes', 300_000],
    ['1 min', 60_000],
    ['2 hours', 7_200_000],
    ['1hr', 3_600_000],
    ['3 days', 259_200_000],
    ['2 weeks', 1_209_600_000],
    ['1 hour 30 minutes', 5_400_000],
  ])('reads unit words: %j', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each([
    ['10/s', 100],
    ['100/m', 600],
    ['1/s', 1_000],
    ['4/h', 900_000],
    ['2/d', 43_200_000],
    ['0.5/s', 2_000],
    ['.5/s', 2_000],
    ['1000/ms', 0.001],
    ['10 / s', 100],
    ['5/minute', 12_000],
    ['10/second', 100],
    ['60/hour', 60_000],
  ])("reads Mode's rate %j as an interval of 1/n of the unit", (input, ms) => {
    expect(parseDuration(input)).toBeCloseTo(ms, 9);
  });

  it('ignores surrounding whitespace', () => {
    expect(parseDuration('  1.5s \n')).toBe(1_500);
    expect(parseDuration(' 10/s ')).toBe(100);
  });

  it.each([
    [-1, 'must be a finite number of milliseconds, 0 or more', '-1'],
    [Number.NaN, 'must be a finite number of milliseconds, 0 or more', 'NaN'],
    [Number.POSITIVE_INFINITY, 'must be a finite number of milliseconds, 0 or more', 'Infinity'],
  ])('rejects the number %s', (input, problem, shown) => {
    expect(() => parseDuration(input)).toThrow(new DurationError(input, 'duration', problem));
    expect(() => parseDuration(input)).toThrow(`Invalid duration ${shown}: ${problem}.`);
  });

  it.each([
    ['', "is empty; write e.g. '500ms', '1.5s' or '10/s'"],
    ['   ', "is empty; write e.g. '500ms', '1.5s' or '10/s'"],
    ['100', "has no unit; write '100ms' or '100s'"],
    ['1.5', "has no unit; write '1.5ms' or '1.5s'"],
    ['fast', "is not a duration; write e.g. '250ms', '1.5s', '1m30s', '2h' or '10/s'"],
    ['1x', "is not a duration; write e.g. '250ms', '1.5s', '1m30s', '2h' or '10/s'"],
    ['-1s', "is not a duration; write e.g. '250ms', '1.5s', '1m30s', '2h' or '10/s'"],
    ['1e3ms', "is not a duration; write e.g. '250ms', '1.5s', '1m30s', '2h' or '10/s'"],
    ['1.5.5s', "is not a duration; write e.g. '250ms', '1.5s', '1m30s', '2h' or '10/s'"],
    ['1mo', "is not a duration; write e.g. '250ms', '1.5s', '1m30s', '2h' or '10/s'"],
    ['1S', "is not a duration; write e.g. '250ms', '1.5s', '1m30s', '2h' or '10/s'"],
    ['s', "is not a duration; write e.g. '250ms', '1.5s', '1m30s', '2h' or '10/s'"],
    ['1s and more', "is not a duration; write e.g. '250ms', '1.5s', '1m30s', '2h' or '10/s'"],
    ['10/', "is not a duration; write e.g. '250ms', '1.5s', '1m30s', '2h' or '10/s'"],
    ['/s', "is not a duration; write e.g. '250ms', '1.5s', '1m30s', '2h' or '10/s'"],
    ['10/x', "is not a duration; write e.g. '250ms', '1.5s', '1m30s', '2h' or '10/s'"],
    ['-10/s', "is not a duration; write e.g. '250ms', '1.5s', '1m30s', '2h' or '10/s'"],
    ['0/s', 'is a rate of zero, which has no interval'],
    ['1s1s', "repeats a unit or puts a smaller one first; write the parts largest first, each once, as in '1h30m'"],
    ['30s1m', "repeats a unit or puts a smaller one first; write the parts largest first, each once, as in '1h30m'"],
  ])('rejects %j, naming it', (input, problem) => {
    expect(() => parseDuration(input)).toThrow(new DurationError(input, 'duration', problem));
    expect(() => parseDuration(input)).toThrow(`Invalid duration ${JSON.stringify(input)}: ${problem}.`);
  });

  it('rejects values of other types, naming them', () => {
    expect(() => parseDuration(undefined as never)).toThrow("Invalid duration undefined: must be a number of milliseconds or a string like '1.5s', got undefined.");
    expect(() => parseDuration(null as never)).toThrow("Invalid duration null: must be a number of milliseconds or a string like '1.5s', got object.");
    expect(() => parseDuration(10n as never)).toThrow("Invalid duration 10n: must be a number of milliseconds or a string like '1.5s', got bigint.");
    expect(() => parseDuration({ s: 1 } as never)).toThrow(`Invalid duration {"s":1}: must be a number of milliseconds or a string like '1.5s', got object.`);
    expect(() => parseDuration(true as never)).toThrow("Invalid duration true: must be a number of milliseconds or a string like '1.5s', got boolean.");
  });

  it('says what the duration was for, and throws a typed UsageError carrying the input', () => {
    let error: unknown;
    try {
      parseDuration('soon', 'timeout of @onStart() on Db.connect');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DurationError);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as DurationError).input).toBe('soon');
    expect((error as Error).message).toBe(
      `Invalid timeout of @onStart() on Db.connect "soon": is not a duration; write e.g. '250ms', '1.5s', '1m30s', '2h' or '10/s'.`,
    );
  });

  it('property: any combination of parts, largest first, adds up', () => {
    const units: Array<[string, number]> = [
      ['w', 604_800_000],
      ['d', 86_400_000],
      ['h', 3_600_000],
      ['m', 60_000],
      ['s', 1_000],
      ['ms', 1],
    ];
    fc.assert(
      fc.property(fc.subarray(units, { minLength: 1 }), fc.array(fc.integer({ min: 0, max: 999 }), { minLength: 6, maxLength: 6 }), fc.boolean(), (parts, values, spaced) => {
        const text = parts.map(([unit], i) => `${values[i]}${unit}`).join(spaced ? ' ' : '');
        const expected = parts.reduce((sum, [, size], i) => sum + values[i]! * size, 0);
        expect(parseDuration(text)).toBe(expected);
      }),
    );
  });

  it('property: a formatted number of milliseconds parses back to itself', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), (ms) => {
        expect(parseDuration(`${ms}ms`)).toBe(ms);
        expect(Math.abs(parseDuration(`${ms / 1000}s`) - ms)).toBeLessThanOrEqual(ms * 1e-12); // float rounding only
      }),
    );
  });
});

describe('wantSeconds', () => {
  it('is parseDuration in seconds (numbers stay milliseconds)', () => {
    expect(wantSeconds('1m')).toBe(60);
    expect(wantSeconds('10/s')).toBe(0.1);
    expect(wantSeconds(1_500)).toBe(1.5);
    expect(() => wantSeconds('x')).toThrow(DurationError);
  });
});

describe('humanizeSeconds', () => {
  it.each([
    [0, 'now'],
    [-5, 'now'],
    [1, '1.00 second'],
    [30, '30.00 seconds'],
    [59.999, '1.00 minute'],
    [60, '1.00 minute'],
    [90, '1.50 minutes'],
    [3_600, '1.00 hour'],
    [5_400, '1.50 hours'],
    [86_400, '1.00 day'],
    [172_800, '2.00 days'],
    [604_800, '1.00 week'],
    [1_209_600, '2.00 weeks'],
  ])('renders %s seconds as %j', (seconds, text) => {
    expect(humanizeSeconds(seconds)).toBe(text);
  });

  it('takes a prefix, a suffix and a word for zero', () => {
    expect(humanizeSeconds(3_600, { prefix: 'in ' })).toBe('in 1.00 hour');
    expect(humanizeSeconds(120, { suffix: ' ago' })).toBe('2.00 minutes ago');
    expect(humanizeSeconds(0, { now: 'right now', prefix: 'in ' })).toBe('right now');
  });

  it('renders sub-second values as seconds with microseconds: true (as Mode)', () => {
    expect(humanizeSeconds(0.5, { microseconds: true })).toBe('0.50 seconds');
    expect(humanizeSeconds(0.5)).toBe('now');
    expect(humanizeSeconds(0, { microseconds: true })).toBe('now');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [0.004, '0ms'],
    [0.25, '0.25ms'],
    [1.234, '1.23ms'],
    [250, '250ms'],
    [999.4, '999ms'],
    [999.6, '1.00s'],
    [1_000, '1.00s'],
    [1_500, '1.50s'],
    [59_999, '1.00m'],
    [90_000, '1.50m'],
    [3_600_000, '1.00h'],
    [36_000_000, '10.00h'],
    [-1_500, '-1.50s'],
    [-5, '-5ms'],
    [Number.POSITIVE_INFINITY, 'Infinityms'],
  ])('renders %s ms as %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
