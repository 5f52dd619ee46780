// @crontab: cron slots on the injected clock, time zones, next slot after each run, bad expressions.
import { injectable } from 'inversify';
import { describe, expect, it } from 'vitest';
import {
  Application,
  CronError,
  crontab,
  type CrontabOptions,
  DecoratorError,
  ManualClock,
  parseCron,
  runCrontab,
  Service,
  sleepOn,
  UsageError,
} from '../../lib/index.js';
import { singletons } from '../support/modules.js';
import { failOnUnhandledRejections } from '../support/unhandled.js';
import { logLines } from './support.js';

failOnUnhandledRejections();

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** An app whose @crontab method records the wall time (ISO) of each run. Clock starts 2026-01-01T00:00Z unless given. */
function cronApp(expression: string, options: CrontabOptions, clock = new ManualClock(), body?: () => unknown) {
  const runs: string[] = [];
  @injectable()
  class Reports {
    @crontab(expression, options) sweep() {
      runs.push(clock.date().toISOString());
      return body?.();
    }
  }
  const app = new Application(singletons(Reports), { clock });
  return { app, clock, runs, warnings: logLines(app) };
}

describe('@crontab', () => {
  it('runs at each matching slot, starting with the first one after the start', async () => {
    const { app, clock, runs } = cronApp('*/5 * * * *', { timezone: 'UTC' });
    await app.start();
    await clock.advanceAsync(5 * MINUTE - 1);
    expect(runs).toEqual([]);
    await clock.advanceAsync(10 * MINUTE + 1);
    expect(runs).toEqual(['2026-01-01T00:05:00.000Z', '2026-01-01T00:10:00.000Z', '2026-01-01T00:15:00.000Z']);
    await app.stop();
  });

  it('reads six fields as seconds first, and nicknames such as @hourly', async () => {
    const seconds = cronApp('*/10 * * * * *', { timezone: 'UTC' });
    await seconds.app.start();
    await seconds.clock.advanceAsync(30_000);
    expect(seconds.runs).toEqual(['2026-01-01T00:00:10.000Z', '2026-01-01T00:00:20.000Z', '2026-01-01T00:00:30.000Z']);
    await seconds.app.stop();
    const hourly = cronApp('@hourly', { timezone: 'UTC' });
    await hourly.app.start();
    await hourly.clock.advanceAsync(2 * HOUR);
    expect(hourly.runs).toEqual(['2026-01-01T01:00:00.000Z', '2026-01-01T02:00:00.000Z']);
    await hourly.app.stop();
  });

  it('reads the expression in its time zone, daylight saving time included', async () => {
    const winter = cronApp('0 9 * * *', { timezone: 'America/New_York' });
    await winter.app.start();
    await winter.clock.advanceAsync(24 * HOUR);
    expect(winter.runs).toEqual(['2026-01-01T14:00:00.000Z']); // 09:00 EST = UTC-5
    await winter.app.stop();

    const summer = cronApp('0 9 * * *', { timezone: 'America/New_York' }, new ManualClock(new Date('2026-07-01T00:00:00Z')));
    await summer.app.start();
    await summer.clock.advanceAsync(24 * HOUR);
    expect(summer.runs).toEqual(['2026-07-01T13:00:00.000Z']); // 09:00 EDT = UTC-4
    await summer.app.stop();

    const tokyo = cronApp('0 9 * * *', { timezone: 'Asia/Tokyo' });
    await tokyo.app.start(); // it is exactly 09:00 in Tokyo: that slot is not "after" the start
    await tokyo.clock.advanceAsync(24 * HOUR);
    expect(tokyo.runs).toEqual(['2026-01-02T00:00:00.000Z']);
    await tokyo.app.stop();
  });

  it('recomputes the next slot after each run: an overrun skips the slots it covered, and says so', async () => {
    const clock = new ManualClock();
    const durations = [7 * MINUTE];
    const { app, runs, warnings } = cronApp('*/5 * * * *', { timezone: 'UTC', name: 'sweeper' }, clock, () => sleepOn(clock, durations.shift() ?? 0));
    await app.start();
    await clock.advanceAsync(20 * MINUTE);
    expect(runs).toEqual(['2026-01-01T00:05:00.000Z', '2026-01-01T00:15:00.000Z', '2026-01-01T00:20:00.000Z']);
    expect(warnings).toEqual(['Crontab sweeper is overlapping (runtime=7.00m): skipped the run due at 2026-01-01T00:10:00.000Z']);
    await app.stop();
  });

  it('follows the wall clock: a late wake runs once, then the next slot after now', async () => {
    const { app, clock, runs } = cronApp('*/5 * * * *', { timezone: 'UTC' });
    await app.start();
    await clock.advanceAsync(4 * MINUTE);
    clock.jump(8 * MINUTE); // blocked until 00:12
    await clock.advanceAsync(0);
    await clock.advanceAsync(3 * MINUTE);
    expect(runs).toEqual(['2026-01-01T00:12:00.000Z', '2026-01-01T00:15:00.000Z']);
    await app.stop();
  });

  it('stop during the wait returns at once and leaves no timer; stop during a run awaits it', async () => {
    const waiting = cronApp('0 0 1 1 *', { timezone: 'UTC' }); // next January 1st: a year away
    await waiting.app.start();
    await waiting.app.stop();
    expect(waiting.clock.pending).toBe(0);

    const clock = new ManualClock();
    const log: string[] = [];
    const running = cronApp('* * * * *', { timezone: 'UTC' }, clock, async () => {
      await sleepOn(clock, 30_000);
      log.push('run done');
    });
    await running.app.start();
    await clock.advanceAsync(MINUTE);
    let stopped = false;
    const stopping = running.app.stop().then(() => (stopped = true));
    await clock.advanceAsync(29_999);
    expect(stopped).toBe(false);
    await clock.advanceAsync(1);
    await stopping;
    expect(log).toEqual(['run done']);
    expect(clock.pending).toBe(0);
  });

  it('restarts with its service', async () => {
    const clock = new ManualClock();
    const runs: number[] = [];
    class Rotator extends Service {
      @crontab('*/10 * * * * *', { timezone: 'UTC' }) rotate() {
        runs.push(clock.now());
      }
    }
    const rotator = new Rotator();
    await rotator.start({ clock });
    await clock.advanceAsync(15_000);
    await rotator.restart();
    await clock.advanceAsync(15_000);
    expect(runs).toEqual([10_000, 20_000, 30_000]);
    await rotator.stop();
  });

  it('a job that throws crashes its service and the application', async () => {
    const { app, clock } = cronApp('* * * * *', { timezone: 'UTC' }, new ManualClock(), () => {
      throw new Error('disk full');
    });
    await app.start();
    await clock.advanceAsync(MINUTE);
    await app.waitUntilStopped();
    expect(app.state).toBe('crashed');
    expect(app.crashReason?.message).toBe('Reports.sweep failed: Error: disk full');
  });

  it('runCrontab works without a service', async () => {
    const clock = new ManualClock();
    const stop = new AbortController();
    const runs: string[] = [];
    const done = runCrontab(() => runs.push(clock.date().toISOString()), '30 * * * * *', { clock, signal: stop.signal, timezone: 'UTC' });
    await clock.advanceAsync(2 * MINUTE);
    stop.abort();
    await done;
    expect(runs).toEqual(['2026-01-01T00:00:30.000Z', '2026-01-01T00:01:30.000Z']);
  });
});

describe('bad cron expressions are rejected when the class is decorated', () => {
  const HINT = "Write five fields (minute hour day-of-month month day-of-week) such as '*/5 * * * *', six with seconds first, or a nickname such as '@hourly'.";
  const decorate = (expression: string, options: CrontabOptions = {}) => () => {
    class Jobs {
      @crontab(expression, options) run() {}
    }
    return Jobs;
  };

  it('names the expression, the method, the problem and the fix', () => {
    expect(decorate('*/5 * * *')).toThrow(
      new CronError(
        '*/5 * * *',
        'on Jobs.run',
        `invalid configuration format ('*/5 * * *'), exactly five, six, or seven space separated parts are required. ${HINT}`,
      ),
    );
    expect(decorate('*/5 * * *')).toThrow(
      `Invalid cron expression "*/5 * * *" on Jobs.run: invalid configuration format ('*/5 * * *'), exactly five, six, or seven space separated parts are required. ${HINT}`,
    );
  });

  it('rejects illegal characters and values out of range', () => {
    expect(decorate('x * * * *')).toThrow(`Invalid cron expression "x * * * *" on Jobs.run: configuration entry 1 (x) contains illegal characters. ${HINT}`);
    expect(decorate('61 * * * *')).toThrow(`Invalid cron expression "61 * * * *" on Jobs.run: Invalid value for minute: 61. ${HINT}`);
  });

  it('rejects an expression that never fires', () => {
    expect(decorate('0 0 30 2 *')).toThrow(
      'Invalid cron expression "0 0 30 2 *" on Jobs.run: it matches no date from now on (e.g. February 30th, or a year in the past).',
    );
  });

  it('rejects an unknown time zone, naming it', () => {
    expect(decorate('0 9 * * *', { timezone: 'Mars/Olympus' })).toThrow(
      `Invalid cron expression "0 9 * * *" on Jobs.run: the timezone "Mars/Olympus" is not an IANA time zone; use e.g. 'Europe/Paris', 'America/New_York' or 'UTC'.`,
    );
  });

  it('is a typed UsageError carrying the expression', () => {
    let error: unknown;
    try {
      parseCron('every minute');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CronError);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as CronError).expression).toBe('every minute');
    expect((error as CronError).name).toBe('CronError');
  });

  it('rejects an empty expression and @crontab used bare', () => {
    expect(decorate('  ')).toThrow(`Invalid cron expression "  " on Jobs.run: a cron expression must be a non-empty string. ${HINT}`);
    expect(() => {
      class C {
        // @ts-expect-error: the expression is required
        @crontab run() {}
      }
      return C;
    }).toThrow(new DecoratorError("@crontab needs an expression: write @crontab('*/5 * * * *'), not @crontab."));
  });

  it('rejects a field and a static method', () => {
    expect(() => {
      class C {
        // @ts-expect-error: a method decorator on a field is a type error too
        @crontab('* * * * *') field = 1;
      }
      return C;
    }).toThrow(new DecoratorError('@crontab() must decorate a method, but C.field is a property. Write it as a method: field() { … }.'));
    expect(() => {
      class C {
        @crontab('* * * * *') static run() {}
      }
      return C;
    }).toThrow(/@crontab\(\) cannot decorate the static member C\.run/);
  });
});
