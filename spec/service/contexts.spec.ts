// Mode's exit stacks: addContext / addAsyncContext hold resources for one run, released at its stop, last added first.
import { describe, expect, it } from 'vitest';
import { HookError, Service, StopError, UsageError } from '../../lib/index.js';

/** Mode's Context: counts how often it was acquired and released. */
class Counted implements Disposable {
  acquires = 1;
  releases = 0;
  constructor(private readonly log?: string[], private readonly name = 'sync') {}
  [Symbol.dispose]() {
    this.releases++;
    this.log?.push(`release ${this.name}`);
  }
}

class AsyncCounted implements AsyncDisposable {
  acquires = 1;
  releases = 0;
  constructor(private readonly log?: string[], private readonly name = 'async') {}
  async [Symbol.asyncDispose]() {
    await Promise.resolve();
    this.releases++;
    this.log?.push(`release ${this.name}`);
  }
}

class X extends Service {}

/** Mode's test_start_stop_restart_complex: Y holds a sync and an async context, added in onStart. */
class Y extends Service {
  syncContext: Counted | undefined;
  asyncContext: AsyncCounted | undefined;
  readonly x = this.addDependency(new X());
  override async onStart() {
    this.syncContext = this.addContext(new Counted());
    this.asyncContext = await this.addAsyncContext(new AsyncCounted());
  }
}

class Complex extends Service {
  readonly y = this.addDependency(new Y());
}

describe('addContext / addAsyncContext (Mode test_start_stop_restart_complex)', () => {
  it('acquires in onStart, releases once at each stop, and a restart holds new ones', async () => {
    const service = new Complex();
    await service.start();
    expect(service.y.syncContext!.acquires).toBe(1);
    expect(service.y.asyncContext!.acquires).toBe(1);
    await service.stop();
    expect(service.y.syncContext!.releases).toBe(1);
    expect(service.y.asyncContext!.releases).toBe(1);
    const first = [service.y.syncContext, service.y.asyncContext];

    await service.restart();
    expect(service.y.syncContext).not.toBe(first[0]);
    expect(service.y.syncContext!.releases).toBe(0);
    await service.stop();
    expect(service.y.syncContext!.releases).toBe(1);
    expect(service.y.asyncContext!.releases).toBe(1);
    // The first run's contexts were released once, not again.
    expect(first.map((c) => c!.releases)).toEqual([1, 1]);
  });

  it('releases last added first, after onStop and the background work, before onShutdown', async () => {
    const log: string[] = [];
    class Held extends Service {
      override async onStart() {
        this.addContext(new Counted(log, 'first'));
        await this.addAsyncContext(Promise.resolve(new AsyncCounted(log, 'second')));
        this.addFuture((signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => (log.push('future ends'), resolve()))));
      }
      override onStop() {
        log.push('onStop');
      }
      override onShutdown() {
        log.push('onShutdown');
      }
    }
    const held = new Held();
    await held.start();
    await held.stop();
    // The stop aborts the run's signal as it begins (the future ends then); the releases wait for onStop and the future.
    expect(log).toEqual(['future ends', 'onStop', 'release second', 'release first', 'onShutdown']);
  });

  it('releases every resource when one fails, and the stop reports the failure', async () => {
    const log: string[] = [];
    class Leaky extends Service {
      override onStart() {
        this.addContext(new Counted(log, 'a'));
        this.addContext({
          [Symbol.dispose]() {
            throw new Error('socket already closed');
          },
        });
        this.addContext(new Counted(log, 'c'));
      }
    }
    const leaky = new Leaky();
    await leaky.start();
    const error = (await leaky.stop().catch((e: unknown) => e)) as StopError;
    expect(error).toBeInstanceOf(StopError);
    expect(error.message).toMatch(/Leaky\.context failed: .*socket already closed/);
    expect(error.errors[0]).toBeInstanceOf(HookError);
    expect(log).toEqual(['release c', 'release a']);
    expect(leaky.state).toBe('shutdown');
  });

  it('releases what a failed start had acquired', async () => {
    const context = new Counted();
    class Half extends Service {
      override onStart() {
        this.addContext(context);
        throw new Error('the port is taken');
      }
    }
    const half = new Half();
    await expect(half.start()).rejects.toThrow(/the port is taken/);
    await half.waitUntilStopped();
    expect(context.releases).toBe(1);
  });

  it('refuses what it cannot release, naming the method to use', () => {
    const service = new X();
    expect(() => service.addContext(new AsyncCounted() as never)).toThrow(new UsageError('X.addContext() got an AsyncDisposable (it has [Symbol.asyncDispose] only): use await this.addAsyncContext(resource).'));
    expect(() => service.addContext(42 as never)).toThrow(/X\.addContext\(\) takes a resource with a \[Symbol\.dispose\]\(\) method \(Node's Disposable\); got a number\./);
    return expect(service.addAsyncContext({} as never)).rejects.toThrow(/X\.addAsyncContext\(\) takes .* got an object without \[Symbol\.dispose\] or \[Symbol\.asyncDispose\]\./);
  });
});
