// Callback order, states and signals of one service, for Service subclasses and decorated classes.
import { injectable } from 'inversify';
import { describe, expect, it } from 'vitest';
import {
  Application,
  HookTimeoutError,
  ManualClock,
  onFirstStart,
  onRestart,
  onShutdown,
  onStart,
  onStarted,
  onStop,
  Service,
  StartError,
  StopError,
  type ServiceState,
} from '../../lib/index.js';
import { singletons } from '../support/modules.js';

class Recorder extends Service {
  readonly calls: string[] = [];
  override onFirstStart() {
    this.calls.push('onFirstStart');
  }
  override async onStart() {
    this.calls.push('onStart');
  }
  override onStarted() {
    this.calls.push('onStarted');
  }
  override async onStop() {
    this.calls.push('onStop');
  }
  override onShutdown() {
    this.calls.push('onShutdown');
  }
  override onRestart() {
    this.calls.push('onRestart');
  }
}

@injectable()
class Decorated {
  readonly calls: string[] = [];
  @onFirstStart() first() {
    this.calls.push('onFirstStart');
  }
  @onStart() async begin() {
    this.calls.push('onStart');
  }
  @onStarted() ready() {
    this.calls.push('onStarted');
  }
  @onStop() async end() {
    this.calls.push('onStop');
  }
  @onShutdown() last() {
    this.calls.push('onShutdown');
  }
  @onRestart() again() {
    this.calls.push('onRestart');
  }
}

describe('callback order', () => {
  it('runs onFirstStart → onStart → onStarted on the first start, and onStop → onShutdown on stop (Service)', async () => {
    const s = new Recorder();
    await s.start();
    await s.stop();
    expect(s.calls).toEqual(['onFirstStart', 'onStart', 'onStarted', 'onStop', 'onShutdown']);
  });

  it('runs the same order for a decorated injectable under an Application', async () => {
    const app = new Application(singletons(Decorated));
    await app.start();
    await app.stop();
    expect(app.get(Decorated).calls).toEqual(['onFirstStart', 'onStart', 'onStarted', 'onStop', 'onShutdown']);
  });

  it('restart runs stop → onRestart → start, without onFirstStart again', async () => {
    const s = new Recorder();
    await s.start();
    s.calls.length = 0;
    await s.restart();
    expect(s.calls).toEqual(['onStop', 'onShutdown', 'onRestart', 'onStart', 'onStarted']);
    expect(s.restartCount).toBe(1);
    expect(s.state).toBe('running');
    await s.stop();
  });

  it('a start after a stop does not run onFirstStart again', async () => {
    const s = new Recorder();
    await s.start();
    await s.stop();
    s.calls.length = 0;
    await s.start();
    expect(s.calls).toEqual(['onStart', 'onStarted']);
    await s.stop();
  });

  it('runs several decorated hooks of one phase in declaration order, base class first', async () => {
    const calls: string[] = [];
    @injectable()
    class Base {
      @onStart() a() {
        calls.push('base.a');
      }
    }
    @injectable()
    class Derived extends Base {
      @onStart() b() {
        calls.push('derived.b');
      }
      @onStart() c() {
        calls.push('derived.c');
      }
    }
    const app = new Application(singletons(Derived));
    await app.start();
    expect(calls).toEqual(['base.a', 'derived.b', 'derived.c']);
    await app.stop();
  });

  it('runs an overridden Service hook once, even when it is also decorated (for a timeout)', async () => {
    let n = 0;
    class Timed extends Service {
      @onStart({ timeout: '1s' }) override onStart() {
        n++;
      }
    }
    const s = new Timed();
    await s.start();
    expect(n).toBe(1);
    await s.stop();
  });

  it('does not call hooks a Service subclass did not override', async () => {
    class Empty extends Service {}
    const s = new Empty();
    await s.start();
    expect(s.state).toBe('running');
    await s.stop();
    expect(s.state).toBe('shutdown');
  });
});

describe('states', () => {
  it('moves init → starting → running → stopping → shutdown', async () => {
    const seen: ServiceState[] = [];
    class Watched extends Service {
      override onStart() {
        seen.push(this.state);
      }
      override onStop() {
        seen.push(this.state);
      }
    }
    const s = new Watched();
    seen.push(s.state);
    const starting = s.start();
    await starting;
    seen.push(s.state);
    await s.stop();
    seen.push(s.state);
    expect(seen).toEqual(['init', 'starting', 'running', 'stopping', 'shutdown']);
  });

  it('reports restarting while onRestart runs', async () => {
    let during: ServiceState | undefined;
    class R extends Service {
      override onRestart() {
        during = this.state;
      }
    }
    const s = new R();
    await s.start();
    await s.restart();
    expect(during).toBe('restarting');
    await s.stop();
  });

  it('started is true while starting or running; shouldStop once stopping', async () => {
    const flags: Array<[boolean, boolean]> = [];
    class F extends Service {
      override onStart() {
        flags.push([this.started, this.shouldStop]);
      }
      override onStop() {
        flags.push([this.started, this.shouldStop]);
      }
    }
    const s = new F();
    expect([s.started, s.shouldStop]).toEqual([false, false]);
    await s.start();
    expect([s.started, s.shouldStop]).toEqual([true, false]);
    await s.stop();
    expect(flags).toEqual([
      [true, false],
      [false, true],
    ]);
  });
});

describe('signals', () => {
  it('gives start hooks the run signal, which aborts when the service begins to stop', async () => {
    let signal: AbortSignal | undefined;
    let abortedInOnStop: boolean | undefined;
    @injectable()
    class S {
      @onStart() begin(s: AbortSignal) {
        signal = s;
      }
      @onStop() end() {
        abortedInOnStop = signal!.aborted;
      }
    }
    const app = new Application(singletons(S));
    await app.start();
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal!.aborted).toBe(false);
    await app.stop();
    expect(abortedInOnStop).toBe(true);
    expect(signal!.reason).toMatchObject({ name: 'ServiceStoppingError' });
  });

  it('gives every new run a fresh signal', async () => {
    const signals: AbortSignal[] = [];
    class S extends Service {
      override onStart(signal: AbortSignal) {
        signals.push(signal);
      }
    }
    const s = new S();
    await s.start();
    await s.restart();
    expect(signals[0]!.aborted).toBe(true);
    expect(signals[1]!.aborted).toBe(false);
    expect(s.signal).toBe(signals[1]);
    await s.stop();
  });

  it('gives stop hooks a signal that aborts only when the stop is forced', async () => {
    let stopSignal: AbortSignal | undefined;
    const clock = new ManualClock();
    @injectable()
    class S {
      @onStop() end(signal: AbortSignal) {
        stopSignal = signal;
      }
    }
    const app = new Application(singletons(S), { clock });
    await app.start();
    await app.stop();
    expect(stopSignal!.aborted).toBe(false);
    app.engine.force(new Error('forced'));
    expect(stopSignal!.aborted).toBe(true);
  });
});

describe('hook timeouts', () => {
  it('fails the start with a HookTimeoutError when a start hook overruns its own timeout, aborting its signal', async () => {
    const clock = new ManualClock();
    let hookSignal: AbortSignal | undefined;
    @injectable()
    class Slow {
      @onStart({ timeout: '5s' }) connect(signal: AbortSignal) {
        hookSignal = signal;
        return new Promise(() => {});
      }
    }
    const app = new Application(singletons(Slow), { clock });
    const error = await clock.runUntil(app.start()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartError);
    const cause = (error as StartError).errors[0]!.cause;
    expect(cause).toBeInstanceOf(HookTimeoutError);
    expect((error as StartError).message).toContain('Slow.connect (onStart) failed: HookTimeoutError: Slow.connect timed out after 5000ms');
    expect(clock.now()).toBe(5000);
    expect(hookSignal!.aborted).toBe(true);
    expect(app.state).toBe('shutdown');
  });

  it('applies the application-wide hookTimeout to hooks without their own', async () => {
    const clock = new ManualClock();
    @injectable()
    class Hangs {
      @onStart() wait() {
        return new Promise(() => {});
      }
    }
    const app = new Application(singletons(Hangs), { clock, hookTimeout: '250ms' });
    const error = await clock.runUntil(app.start()).catch((e: unknown) => e);
    expect((error as StartError).errors[0]!.cause).toBeInstanceOf(HookTimeoutError);
    expect(clock.now()).toBe(250);
  });

  it('reports a stop hook that overruns, and still finishes the stop', async () => {
    const clock = new ManualClock();
    const order: string[] = [];
    @injectable()
    class Dep {
      @onStop() end() {
        order.push('Dep stopped');
      }
    }
    @injectable()
    class Stuck {
      constructor(readonly dep: Dep) {}
      @onStop({ timeout: '2s' }) end() {
        order.push('Stuck stopping');
        return new Promise(() => {});
      }
    }
    const app = new Application(singletons(Stuck, Dep), { clock });
    await app.start();
    const error = await clock.runUntil(app.stop()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StopError);
    expect((error as StopError).errors[0]!.message).toContain('Stuck.end (onStop) failed: HookTimeoutError');
    expect(order).toEqual(['Stuck stopping', 'Dep stopped']);
    expect(app.state).toBe('shutdown');
  });

  it('rejects a bad timeout when the class is decorated', () => {
    expect(() => {
      class Bad {
        // @ts-expect-error: not a duration, a type error too (this checks the run-time check, for JavaScript and text from outside)
        @onStart({ timeout: 'soon' }) go() {}
      }
      return Bad;
    }).toThrow(/Invalid timeout of @onStart\(\) on Bad\.go "soon"/);
  });
});
