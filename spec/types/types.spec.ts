// Types that catch mistakes, checked by `npm run typecheck` (tsc over spec/): each `@ts-expect-error` line must fail to compile, the rest must compile.
import { injectable } from 'inversify';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { RUN_OPTIONS } from '../../lib/cli/run-options.js';
import {
  crontab,
  type Duration,
  DurationError,
  onShutdown,
  onStart,
  onStop,
  parseDuration,
  type SignalMethod,
  task,
  timer,
  type WorkerOptions,
} from '../../lib/index.js';

/** Durations written as literals: each compiles, and parseDuration reads it. */
const GOOD: Duration[] = [0, 250, '250ms', '1.5s', '.5s', '1m30s', '1h 30m', '2h', '1d', '3 weeks', '5 minutes', '10/s', '100/m', '5/minute', '10 / s'];

describe('Duration', () => {
  it('compiles for numbers and what parseDuration reads, and parseDuration reads every one', () => {
    expectTypeOf<'250ms'>().toExtend<Duration>();
    expectTypeOf<'1m30s'>().toExtend<Duration>();
    expectTypeOf<'10/s'>().toExtend<Duration>();
    expectTypeOf<number>().toExtend<Duration>();
    for (const duration of GOOD) expect(parseDuration(duration)).toBeGreaterThanOrEqual(0);
  });

  it('does not compile for a literal that is no duration, which parseDuration refuses too', () => {
    expectTypeOf<'abc'>().not.toExtend<Duration>();
    expectTypeOf<'30'>().not.toExtend<Duration>();
    expectTypeOf<''>().not.toExtend<Duration>();
    expectTypeOf<'s'>().not.toExtend<Duration>();
    expectTypeOf<'fast'>().not.toExtend<Duration>();
    // @ts-expect-error: 'abc' is no duration
    const abc: Duration = 'abc';
    // @ts-expect-error: a bare number in a string has no unit
    const bare: Duration = '30';
    // @ts-expect-error: no number
    const unit: Duration = 'ms';
    for (const text of [abc, bare, unit]) expect(() => parseDuration(text)).toThrow(DurationError);
  });

  it('is checked where options and decorators take one', () => {
    // @ts-expect-error: shutdownTimeout is a Duration
    const options: WorkerOptions = { shutdownTimeout: 'soon' };
    expect(() => parseDuration(options.shutdownTimeout!)).toThrow(/is not a duration/);
    expect(() => {
      class Poller {
        // @ts-expect-error: a timer's interval is a Duration
        @timer('every second') poll() {}
      }
      return Poller;
    }).toThrow(DurationError);
    expect(() => {
      class Slow {
        // @ts-expect-error: a hook's timeout is a Duration
        @onStart({ timeout: '5' }) connect() {}
      }
      return Slow;
    }).toThrow(DurationError);
  });

  it('takes text from outside through parseDuration, which checks it at run time', () => {
    const fromEnvironment: string = '1.5s';
    // @ts-expect-error: a plain string may be anything
    const unchecked: Duration = fromEnvironment;
    const checked: Duration = parseDuration(fromEnvironment, 'TIMEOUT');
    expect([unchecked, checked]).toEqual(['1.5s', 1_500]);
  });
});

describe('hook, task and timer decorators', () => {
  it('compile on methods that take nothing or the AbortSignal', () => {
    expectTypeOf<() => void>().toExtend<SignalMethod>();
    expectTypeOf<(signal: AbortSignal) => Promise<void>>().toExtend<SignalMethod>();
    expectTypeOf<(signal?: AbortSignal) => number>().toExtend<SignalMethod>();
    @injectable()
    class Fine {
      @onStart() a() {}
      @onStart({ timeout: '5s' }) async b(signal: AbortSignal) {
        return signal.aborted;
      }
      @onStop c(signal?: AbortSignal) {
        return signal;
      }
      @task() async d(signal: AbortSignal) {
        return signal;
      }
      @task e() {}
      @timer('1s') f() {}
      @timer('10/s', { execFirst: true }) async g(signal: AbortSignal) {
        return signal;
      }
      @crontab('*/5 * * * *') h(signal: EventTarget) {
        return signal;
      }
    }
    expect(new Fine()).toBeInstanceOf(Fine);
  });

  it('do not compile on methods whose parameters cannot receive the AbortSignal', () => {
    expectTypeOf<(port: number) => void>().not.toExtend<SignalMethod>();
    expectTypeOf<(signal: AbortSignal, retries: number) => void>().not.toExtend<SignalMethod>();
    @injectable()
    class Mistakes {
      // @ts-expect-error: a hook is given an AbortSignal, not a port
      @onStart() listen(port: number) {
        return port;
      }
      // @ts-expect-error: nothing is passed for a second parameter
      @onStop() close(signal: AbortSignal, force: boolean) {
        return [signal, force];
      }
      // @ts-expect-error: used bare, the same check
      @onShutdown release(name: string) {
        return name;
      }
      // @ts-expect-error: a task is given an AbortSignal
      @task() consume(queue: string[]) {
        return queue;
      }
      // @ts-expect-error: a timer is given an AbortSignal
      @timer('1s') tick(count: number) {
        return count;
      }
      // @ts-expect-error: a cron job is given an AbortSignal
      @crontab('@hourly') rotate(file: string) {
        return file;
      }
    }
    // The decorators still run (JavaScript has no types): what they declare is on the class.
    expect(new Mistakes()).toBeInstanceOf(Mistakes);
  });
});

/** `'shutdown-timeout'` → `'shutdownTimeout'`. */
type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

describe('option names', () => {
  it('are the same on the command line and in WorkerOptions: every flag but --watch is its camelCase', () => {
    type Flags = Exclude<keyof typeof RUN_OPTIONS, 'watch'>;
    expectTypeOf<CamelCase<Flags>>().toExtend<keyof WorkerOptions>();
    expectTypeOf<'consoleSocket' | 'consolePort' | 'consoleHost' | 'services'>().toExtend<keyof WorkerOptions>();
    // The old names still compile (marked @deprecated for editors).
    const old: WorkerOptions = { console: { socket: 'run/c.sock' } };
    expect(old.console?.socket).toBe('run/c.sock');
    expect(Object.keys(RUN_OPTIONS)).toContain('services');
  });
});
