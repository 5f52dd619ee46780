// @timer: anchored schedule, drift correction, overlap, execFirst, stop and restart, crashes, bad use.
import { injectable } from 'inversify';
import { describe, expect, it } from 'vitest';
import {
  Application,
  type ClockTimer,
  DecoratorError,
  type Duration,
  DurationError,
  HookError,
  ManualClock,
  onStop,
  runTimer,
  Service,
  sleepOn,
  systemClock,
  timer,
} from '../../lib/index.js';
import { singletons } from '../support/modules.js';
import { failOnUnhandledRejections } from '../support/unhandled.js';
import { logLines } from './support.js';

failOnUnhandledRejections();

/** A ManualClock whose wake-ups come `earlyMs` before they are due (an imprecise timer). */
class EarlyClock extends ManualClock {
  wakeups = 0;
  constructor(readonly earlyMs: number) {
    super();
  }
  /** Like Node's millisecond timers: waits longer than `earlyMs` end early, shorter ones don't. */
  override setTimeout(callback: () => void, ms: number): ClockTimer {
    const early = ms > this.earlyMs ? this.earlyMs : 0;
    return super.setTimeout(() => {
      this.wakeups++;
      callback();
    }, ms - early);
  }
}

/** An app with one class whose @timer records the clock time of each run. */
/**
 * An app with one timer. Precise by default: on a ManualClock the schedule is the same either
 * way, only a coarse timer's first slot moves to its phase group's (specs of their own below).
 */
function timerApp(interval: Duration, options: Parameters<typeof timer>[1] = {}, clock = new ManualClock(), body?: (signal: AbortSignal) => unknown) {
  const runs: number[] = [];
  @injectable()
  class Poller {
    @timer(interval, { precise: true, ...options }) poll(signal: AbortSignal) {
      runs.push(clock.now());
      return body?.(signal);
    }
  }
  const app = new Application(singletons(Poller), { clock });
  return { app, clock, runs, warnings: logLines(app) };
}

describe('the schedule', () => {
  it('runs first after one interval, never after two, then every interval', async () => {
    const { app, clock, runs } = timerApp('100ms');
    await app.start();
    await clock.advanceAsync(99);
    expect(runs).toEqual([]);
    await clock.advanceAsync(1);
    expect(runs).toEqual([100]);
    await clock.advanceAsync(300);
    expect(runs).toEqual([100, 200, 300, 400]);
    await app.stop();
  });

  it('with execFirst runs at once, then every interval', async () => {
    const { app, clock, runs } = timerApp('1s', { execFirst: true });
    await app.start();
    expect(runs).toEqual([0]);
    await clock.advanceAsync(2_000);
    expect(runs).toEqual([0, 1_000, 2_000]);
    await app.stop();
  });

  it('accepts every duration form: milliseconds, units and rates', async () => {
    for (const [interval, step] of [[250, 250], ['1.5s', 1_500], ['10/s', 100], ['2/m', 30_000]] as const) {
      const { app, clock, runs } = timerApp(interval);
      await app.start();
      await clock.advanceAsync(step * 3);
      expect(runs).toEqual([step, step * 2, step * 3]);
      await app.stop();
    }
  });

  it('is anchored: a late wake shortens the next sleep, so lateness never accumulates', async () => {
    const { app, clock, runs } = timerApp(100);
    await app.start();
    await clock.advanceAsync(190);
    clock.jump(30); // the event loop was blocked: the 200 ms wake comes at 220
    await clock.advanceAsync(0);
    expect(runs).toEqual([100, 220]);
    await clock.advanceAsync(79);
    expect(runs).toEqual([100, 220]);
    await clock.advanceAsync(1); // back on the original grid
    expect(runs).toEqual([100, 220, 300]);
    for (let slot = 400; slot <= 5_300; slot += 100) {
      await clock.advanceAsync(slot - 1 - clock.now());
      clock.jump(5); // every wake 4 ms late
      await clock.advanceAsync(0);
    }
    expect(runs.at(-1)).toBe(300 + 50 * 100 + 4);
    await app.stop();
  });

  it('is anchored: an early wake lengthens the sleep, so no run starts before its slot', async () => {
    const clock = new EarlyClock(3);
    const { app, runs } = timerApp(100, {}, clock);
    await app.start();
    await clock.advanceAsync(1_000);
    expect(runs).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1_000]);
    expect(clock.wakeups).toBe(20); // each slot: one early wake, one more sleep
    await app.stop();
  });

  it('runs once after a wake later than a whole interval, then keeps to the schedule', async () => {
    const { app, clock, runs } = timerApp(100);
    await app.start();
    await clock.advanceAsync(150);
    clock.jump(220); // slots 200 and 300 missed: now 370
    await clock.advanceAsync(0);
    expect(runs).toEqual([100, 370]);
    await clock.advanceAsync(230);
    expect(runs).toEqual([100, 370, 400, 500, 600]);
    await app.stop();
  });

  it("behaves as docs/background.md's testing example says", async () => {
    const { app, clock, runs } = timerApp('1s');
    await app.start();
    await clock.advanceAsync('1s');
    expect(runs).toEqual([1_000]);
    await clock.advanceAsync(999);
    clock.jump(300);
    expect(runs).toEqual([1_000]);
    await clock.advanceAsync(0);
    expect(runs).toEqual([1_000, 2_299]);
    await clock.advanceAsync(701);
    expect(runs).toEqual([1_000, 2_299, 3_000]);
    await clock.runUntil(app.stop());
  });

  it('keeps the exact phase, precise or not', async () => {
    const precise = timerApp(100, { precise: true });
    await precise.clock.advanceAsync(3);
    await precise.app.start();
    await precise.clock.advanceAsync(200);
    expect(precise.runs).toEqual([103, 203]);
    await precise.app.stop();
    const fast = timerApp(40, { precise: false });
    await fast.clock.advanceAsync(3);
    await fast.app.start();
    await fast.clock.advanceAsync(80);
    expect(fast.runs).toEqual([43, 83]);
    await fast.app.stop();
  });

  it('never runs before start nor after stop', async () => {
    const { app, clock, runs } = timerApp(100);
    await clock.advanceAsync(500);
    expect(runs).toEqual([]);
    await app.start();
    await clock.advanceAsync(100);
    await app.stop();
    await clock.advanceAsync(1_000);
    expect(runs).toEqual([600]);
  });
});

describe('drift warnings (like Mode)', () => {
  it('logs a late wake beyond 30% of an interval of a second or more', async () => {
    const { app, clock, warnings } = timerApp('1s', { name: 'refresh' });
    await app.start();
    await clock.advanceAsync(999);
    clock.jump(401);
    await clock.advanceAsync(0);
    expect(warnings).toEqual(['Timer refresh woke up too late, with a drift of +400ms runtime=0ms sleeptime=1.40s']);
    await app.stop();
  });

  it('logs an early wake beyond the bound, and still runs on time', async () => {
    const clock = new EarlyClock(500);
    const { app, runs, warnings } = timerApp('1s', { name: 'refresh' }, clock);
    await app.start();
    await clock.advanceAsync(1_000);
    expect(runs).toEqual([1_000]);
    expect(warnings).toEqual(['Timer refresh woke up too early, with a drift of -500ms runtime=0ms sleeptime=500ms']);
    await app.stop();
  });

  it('stays quiet for small drift and for sub-second timers (as Mode does)', async () => {
    const slow = timerApp('1s');
    await slow.app.start();
    await slow.clock.advanceAsync(999);
    slow.clock.jump(250);
    await slow.clock.advanceAsync(0);
    const fast = timerApp('100ms');
    await fast.app.start();
    await fast.clock.advanceAsync(99);
    fast.clock.jump(90);
    await fast.clock.advanceAsync(0);
    expect([...slow.warnings, ...fast.warnings]).toEqual([]);
    await slow.app.stop();
    await fast.app.stop();
  });
});

describe('a run that overruns the interval', () => {
  function overrunning(runtimes: number[], options: Parameters<typeof timer>[1] = {}) {
    const clock = new ManualClock();
    let active = 0;
    let maxActive = 0;
    const t = timerApp(100, { name: 'poll', ...options }, clock, async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await sleepOn(clock, runtimes.shift() ?? 10);
      active--;
    });
    return { ...t, maxActive: () => maxActive };
  }

  it('logs "is overlapping" and starts the next run right after it, never concurrently', async () => {
    const { app, clock, runs, warnings, maxActive } = overrunning([250]);
    await app.start();
    await clock.advanceAsync(349);
    expect(runs).toEqual([100]);
    await clock.advanceAsync(1);
    expect(runs).toEqual([100, 350]); // one catch-up run for the slots 200 and 300
    expect(warnings).toEqual(['Timer poll is overlapping (interval=100ms runtime=250ms)']);
    await clock.advanceAsync(200); // then the schedule goes on, in phase
    expect(runs).toEqual([100, 350, 400, 500]);
    expect(maxActive()).toBe(1);
    await clock.runUntil(app.stop());
  });

  it("with overlap: 'skip' waits for the next slot of the original schedule", async () => {
    const { app, clock, runs, warnings, maxActive } = overrunning([250], { overlap: 'skip' });
    await app.start();
    await clock.advanceAsync(500);
    expect(runs).toEqual([100, 400, 500]);
    expect(warnings).toEqual(['Timer poll is overlapping (interval=100ms runtime=250ms)']);
    expect(maxActive()).toBe(1);
    await clock.runUntil(app.stop());
  });

  it('a synchronous run that always overruns still lets the event loop turn between runs', async () => {
    const clock = new ManualClock();
    const { app, runs, warnings } = timerApp(100, { name: 'busy' }, clock, () => clock.jump(150));
    await app.start();
    await clock.advanceAsync(100);
    expect(runs).toEqual([100]); // the next run is due at once (250), but waits for a turn of the clock
    await clock.advanceAsync(0);
    await clock.advanceAsync(0);
    expect(runs).toEqual([100, 250, 400]);
    expect(warnings).toHaveLength(3);
    await app.stop();
  });

  it('a run that ends late without overrunning is not an overlap, and the next run catches up', async () => {
    const clock = new ManualClock();
    const { app, runs, warnings } = timerApp(100, {}, clock, () => sleepOn(clock, 80));
    await app.start();
    await clock.advanceAsync(199);
    clock.jump(41); // wake at 240 for the 200 slot; the run ends at 320, past the 300 slot
    await clock.advanceAsync(0);
    await clock.advanceAsync(80);
    expect(runs).toEqual([100, 240, 320]);
    expect(warnings).toEqual([]);
    await clock.runUntil(app.stop());
  });
});

describe('stop and restart', () => {
  it('stop during a sleep returns at once and leaves no clock timer behind', async () => {
    const { app, clock, runs } = timerApp('1h');
    await app.start();
    await clock.advanceAsync(1_000);
    await app.stop(); // no clock advance needed
    expect(clock.pending).toBe(0);
    expect(runs).toEqual([]);
  });

  it('stop during a run aborts its signal and awaits it before onShutdown', async () => {
    const clock = new ManualClock();
    const log: string[] = [];
    @injectable()
    class Flusher extends Service {
      @timer(100, { precise: true }) async flush(signal: AbortSignal) {
        log.push('run');
        await sleepOn(clock, 50); // ignores the signal: stop must still wait
        log.push(`run done (aborted: ${signal.aborted})`);
      }
      override onStop() {
        log.push('onStop');
      }
      override onShutdown() {
        log.push('onShutdown');
      }
    }
    const app = new Application(singletons(Flusher), { clock });
    await app.start();
    await clock.advanceAsync(110);
    let stopped = false;
    const stopping = app.stop().then(() => (stopped = true));
    await clock.advanceAsync(39);
    expect(stopped).toBe(false);
    await clock.advanceAsync(1);
    await stopping;
    expect(log).toEqual(['run', 'onStop', 'run done (aborted: true)', 'onShutdown']);
    await clock.advanceAsync(1_000);
    expect(log.filter((l) => l === 'run')).toHaveLength(1);
  });

  it('restart re-arms the timer from the new start, with a single schedule', async () => {
    const clock = new ManualClock();
    const runs: number[] = [];
    class Ticker extends Service {
      @timer(100, { precise: true }) tick() {
        runs.push(clock.now());
      }
    }
    const ticker = new Ticker();
    await ticker.start({ clock });
    await clock.advanceAsync(250);
    await ticker.restart();
    expect(ticker.state).toBe('running');
    await clock.advanceAsync(300);
    expect(runs).toEqual([100, 200, 350, 450, 550]);
    await ticker.stop();
    expect(clock.pending).toBe(0);
  });

  it('runTimer stops when its signal aborts, awaiting a run in flight', async () => {
    const clock = new ManualClock();
    const stop = new AbortController();
    const runs: number[] = [];
    const done = runTimer(
      async () => {
        runs.push(clock.now());
        await sleepOn(clock, 30);
      },
      '100ms',
      { clock, signal: stop.signal, precise: true },
    );
    await clock.advanceAsync(110);
    let finished = false;
    void done.then(() => (finished = true));
    stop.abort();
    await clock.advanceAsync(19);
    expect(finished).toBe(false);
    await clock.advanceAsync(1);
    expect(finished).toBe(true);
    expect(runs).toEqual([100]);
  });
});

describe('a timer that throws', () => {
  it('crashes its service; the application stops and is crashed', async () => {
    const clock = new ManualClock();
    const log: string[] = [];
    @injectable()
    class Failing {
      n = 0;
      @timer(100, { name: 'poller', precise: true }) poll() {
        if (++this.n === 2) throw new Error('backend gone');
      }
      @onStop() close() {
        log.push('close');
      }
    }
    const app = new Application(singletons(Failing), { clock });
    await app.start();
    await clock.advanceAsync(200);
    await app.waitUntilStopped();
    expect(app.state).toBe('crashed');
    expect(app.crashReason).toBeInstanceOf(HookError);
    expect(app.crashReason?.message).toBe('Failing.poller failed: Error: backend gone');
    expect(log).toEqual(['close']);
    await clock.advanceAsync(1_000);
    expect(app.get(Failing).n).toBe(2);
  });

  it('an async rejection crashes a Mode-style service too', async () => {
    const clock = new ManualClock();
    class Failing extends Service {
      @timer('1s', { precise: true }) async poll() {
        throw new TypeError('bad response');
      }
    }
    const service = new Failing();
    await service.start({ clock });
    await clock.advanceAsync(1_000);
    await service.waitUntilStopped();
    expect(service.crashReason?.message).toBe('Failing.poll failed: TypeError: bad response');
    expect(service.shouldStop).toBe(true);
  });

  it('rejecting with the stop abort at stop is a clean stop, not a crash', async () => {
    const clock = new ManualClock();
    @injectable()
    class Cooperative {
      @timer(100, { precise: true }) async poll(signal: AbortSignal) {
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
      }
    }
    const app = new Application(singletons(Cooperative), { clock });
    await app.start();
    await clock.advanceAsync(100);
    await app.stop();
    expect(app.state).toBe('shutdown');
  });
});

describe('bad use', () => {
  it('rejects a field, naming it and the fix', () => {
    expect(() => {
      class C {
        // @ts-expect-error: a method decorator on a field is a type error too
        @timer('1s') field = 1;
      }
      return C;
    }).toThrow(new DecoratorError('@timer() must decorate a method, but C.field is a property. Write it as a method: field() { … }.'));
  });

  it('rejects a static method', () => {
    expect(() => {
      class C {
        @timer('1s') static tick() {}
      }
      return C;
    }).toThrow(/@timer\(\) cannot decorate the static member C\.tick: lifecycle methods run on the instance/);
  });

  it('rejects @timer without an interval', () => {
    expect(() => {
      class C {
        // @ts-expect-error: the interval is required
        @timer tick() {}
      }
      return C;
    }).toThrow(new DecoratorError("@timer needs an interval: write @timer('1s'), not @timer."));
  });

  it('rejects bad and zero intervals, naming the value and the method', () => {
    expect(() => {
      class C {
        // @ts-expect-error: not a duration, a type error too (this checks the run-time check, for JavaScript and text from outside)
        @timer('fast') tick() {}
      }
      return C;
    }).toThrow(new DurationError('fast', 'interval of @timer() on C.tick', "is not a duration; write e.g. '250ms', '1.5s', '1m30s', '2h' or '10/s'"));
    expect(() => {
      class C {
        @timer('0s') tick() {}
      }
      return C;
    }).toThrow(`Invalid interval of @timer() on C.tick "0s": must be more than 0; write e.g. '1s' or '10/s'.`);
  });

  it('rejects an unknown overlap mode', () => {
    expect(() => timer('1s', { overlap: 'parallel' as 'skip' })).toThrow(
      new DecoratorError(`@timer() got overlap: "parallel"; use 'immediate' (the default) or 'skip'.`),
    );
  });
});

describe('on the system clock', () => {
  it.each([
    ['coarse', false],
    ['precise', true],
  ])('a %s timer runs on real time, never before its slot, and its stop awaits the run in flight', async (_kind, precise) => {
    const runs: number[] = [];
    const finished: number[] = [];
    let reached!: () => void;
    const third = new Promise<void>((resolve) => (reached = resolve));
    class Ticker extends Service {
      startedAt = 0;
      override onStart() {
        this.startedAt = performance.now();
      }
      @timer(20, { precise }) async tick() {
        runs.push(performance.now());
        if (runs.length === 3) reached();
        await sleepOn(systemClock, 5); // ignores the stop's signal: the stop must wait for it
        finished.push(runs.length);
      }
    }
    const ticker = new Ticker();
    await ticker.start();
    await third;
    await ticker.stop();
    // Run k is due one interval per run after the timer began (which is after onStart), never before.
    runs.forEach((at, k) => expect(at - ticker.startedAt).toBeGreaterThanOrEqual(20 * (k + 1)));
    // The stop awaited the run in flight: every run that began had finished.
    expect(finished).toEqual(runs.map((_, k) => k + 1));
  });
});

describe('cost on the system clock', () => {
  /** Counts setImmediate calls while `body` runs (the precise tail turns the loop with them). */
  async function immediatesDuring(body: () => Promise<void>): Promise<number> {
    const real = globalThis.setImmediate;
    let count = 0;
    globalThis.setImmediate = ((...args: Parameters<typeof setImmediate>) => {
      count++;
      return real(...args);
    }) as typeof setImmediate;
    try {
      await body();
    } finally {
      globalThis.setImmediate = real;
    }
    return count;
  }

  /** Runs a 10 ms timer on the system clock for five runs. */
  const fiveRuns = (precise?: boolean) => async () => {
    const stop = new AbortController();
    let runs = 0;
    await new Promise<void>((resolve, reject) => {
      runTimer(
        () => {
          if (++runs === 5) {
            stop.abort();
            resolve();
          }
        },
        '10ms',
        { signal: stop.signal, ...(precise === undefined ? {} : { precise }) },
      ).catch(reject);
    });
  };

  it('by default waits with plain timers: no busy event-loop tail, even under 100 ms', async () => {
    expect(await immediatesDuring(fiveRuns())).toBe(0);
  });

  it('turns the event loop before each run only with precise: true', async () => {
    expect(await immediatesDuring(fiveRuns(true))).toBeGreaterThan(0);
  });
});
