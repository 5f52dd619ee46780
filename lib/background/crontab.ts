// @crontab and runCrontab: run a method at cron times (parsed by croner), next slot recomputed after each run.
import { Cron } from 'croner';
import { CronError, DecoratorError } from '../errors/usage.js';
import { type Clock, sleepOn, systemClock } from '../utils/clock.js';
import { formatDuration } from '../utils/durations.js';
import { applyingDecorator } from '../utils/stack.js';
import type { SignalMethodDecorator } from '../service/signal-method.js';
import { type BackgroundCallback, checkOptions, decoratedMethod, declare, untilAborted } from './declare.js';

/**
 * Options of {@link crontab} and {@link runCrontab}.
 * @example
 * ```ts
 * @crontab('0 3 * * *', { timezone: 'Europe/Paris', name: 'nightly' }) vacuum() { … }
 * ```
 * @category Background work
 */
export interface CrontabOptions {
  /** IANA time zone the expression is read in (`'Europe/Paris'`, `'UTC'`). Default: the machine's. */
  timezone?: string;
  /** The name in log lines and crash reports. Default: `Class.method` in log lines, the method's name in crash reports. */
  name?: string;
}

/**
 * What {@link runCrontab} needs besides its options.
 * @example
 * ```ts
 * runCrontab(rotate, '@daily', { signal: stop.signal, timezone: 'UTC', warn: console.warn });
 * ```
 * @category Background work
 */
export interface RunCrontabOptions extends CrontabOptions {
  /** Stops the schedule: a wait ends at once, a run in flight is awaited. */
  signal: AbortSignal;
  /** Where (wall-clock) time comes from. Default: the system clock. */
  clock?: Clock;
  /** Receives warnings (a run that overran the next slot). */
  warn?: (message: string) => void;
}

/** Long waits are taken in steps: Node's timers overflow past 2^31-1 ms, and wall time may jump. */
const MAX_STEP_MS = 2 ** 31 - 1;
const HINT = "Write five fields (minute hour day-of-month month day-of-week) such as '*/5 * * * *', six with seconds first, or a nickname such as '@hourly'.";

/**
 * Parses a cron expression (five fields, six with seconds, or `@hourly`-style nicknames) in
 * `timezone`. Throws a {@link CronError} naming the expression when it is malformed, its
 * timezone is unknown, or it never fires.
 *
 * @example
 * ```ts
 * parseCron('0 8 * * MON-FRI', 'Europe/Paris').nextRun(new Date());
 * ```
 * @category Background work
 */
export function parseCron(expression: string, timezone?: string, where = ''): Cron {
  if (typeof expression !== 'string' || expression.trim() === '') {
    throw new CronError(String(expression), where, `a cron expression must be a non-empty string. ${HINT}`);
  }
  if (timezone !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    } catch {
      throw new CronError(expression, where, `the timezone ${JSON.stringify(timezone)} is not an IANA time zone; use e.g. 'Europe/Paris', 'America/New_York' or 'UTC'.`);
    }
  }
  let cron: Cron;
  try {
    cron = new Cron(expression, timezone === undefined ? {} : { timezone });
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/^CronPattern:\s*/, '').replace(/\.$/, '');
    throw new CronError(expression, where, `${reason}. ${HINT}`);
  }
  if (cron.nextRun() === null) {
    throw new CronError(expression, where, 'it matches no date from now on (e.g. February 30th, or a year in the past).');
  }
  return cron;
}

/** Sleeps until wall time reaches `at`; resolves `false` if `signal` aborted first. */
async function sleepUntilDate(clock: Clock, at: Date, signal: AbortSignal): Promise<boolean> {
  for (;;) {
    const remaining = at.getTime() - clock.date().getTime();
    if (remaining <= 0) return true;
    if (!(await sleepOn(clock, Math.min(remaining, MAX_STEP_MS), signal))) return false;
  }
}

/**
 * Calls `callback` at the times `expression` matches until `signal` aborts. After each call
 * the next slot is computed afresh from the current time, so a call that overruns skips the
 * slots it covered (and says so) instead of running late copies.
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * void runCrontab(() => rotateLogs(), '0 0 * * *', { timezone: 'UTC', signal: stop.signal });
 * ```
 * @category Background work
 */
export async function runCrontab(callback: BackgroundCallback, expression: string | Cron, options: RunCrontabOptions): Promise<void> {
  const cron = typeof expression === 'string' ? parseCron(expression, options.timezone) : expression;
  const { signal, clock = systemClock, warn } = options;
  const name = options.name ?? cron.getPattern() ?? 'crontab';
  while (!signal.aborted) {
    const slot = cron.nextRun(clock.date());
    if (!slot) return untilAborted(signal);
    if (!(await sleepUntilDate(clock, slot, signal))) return;
    const started = clock.now();
    await callback(signal);
    const following = cron.nextRun(slot);
    const ended = clock.date();
    if (following && ended.getTime() > following.getTime()) {
      warn?.(`Crontab ${name} is overlapping (runtime=${formatDuration(clock.now() - started)}): skipped the run due at ${following.toISOString()}`);
    }
  }
}

/**
 * Runs a method at cron times while its service runs (Mode's `@Service.crontab`). The
 * expression is checked when the class is decorated: a bad one throws a {@link CronError}
 * naming it. The next slot is recomputed after each run; the method gets the service's
 * AbortSignal and crashes the service if it throws.
 *
 * @example
 * ```ts
 * @injectable() class Reports {
 *   @crontab('0 8 * * MON-FRI', { timezone: 'Europe/Paris' }) async mail(signal: AbortSignal) { … }
 *   @crontab('@hourly') sweep() { this.cache.expire(); }
 * }
 * ```
 * @category Background work
 */
export function crontab(expression: string, options: CrontabOptions = {}): SignalMethodDecorator {
  if (typeof expression === 'object' && expression !== null) {
    throw new DecoratorError("@crontab needs an expression: write @crontab('*/5 * * * *'), not @crontab.");
  }
  checkOptions('@crontab()', options, "{ timezone: 'UTC' }");
  return (target, key, descriptor) =>
    applyingDecorator('@crontab', key, () => {
      const method = decoratedMethod('@crontab()', target, key, descriptor);
      const cron = parseCron(expression, options.timezone, `on ${method.where}`);
      const name = options.name ?? method.where;
      declare(
        method,
        'crontab',
        options.name,
        (fn, target, context) => runCrontab((signal) => fn.call(target, signal), cron, { ...options, name, signal: context.signal, clock: context.clock, warn: context.warn }),
        { expression, timezone: options.timezone },
      );
    });
}
