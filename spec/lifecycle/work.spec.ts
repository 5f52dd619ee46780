// The engine's registry of work in flight: ids, start times, creation stacks, and cancelling one item without stopping its service.
import { injectable } from 'inversify';
import { describe, expect, it } from 'vitest';
import { Application, ManualClock, onStop, Service, task, timer, WorkCancelledError } from '../../lib/index.js';
import { runtimeOf } from '../../lib/lifecycle/runtime.js';
import { singletons } from '../support/modules.js';
import { failOnUnhandledRejections } from '../support/unhandled.js';

failOnUnhandledRejections();

@injectable()
class Poller {
  ended: unknown[] = [];
  ticks = 0;
  @task() async poll(signal: AbortSignal) {
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    this.ended.push(signal.reason);
  }
  @timer('1s') tick() {
    this.ticks++;
  }
}

class Replies extends Service {
  answer: (() => void) | undefined;
  cancelled: unknown;
  override onStart() {
    this.addFuture(new Promise<void>((resolve) => (this.answer = resolve)), 'pendingReply');
    this.addFuture(
      (signal) =>
        new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => {
            this.cancelled = signal.reason;
            resolve();
          }),
        ),
      'consume',
    );
  }
  @onStop() release() {
    this.answer?.();
  }
}

const items = (instance: object) => runtimeOf(instance).workItems;

describe('work in flight', () => {
  it('lists each task, timer and future with a unique id, its kind, its start on the engine’s clock and where it was added', async () => {
    const clock = new ManualClock();
    await clock.advanceAsync(5_000);
    const app = new Application(singletons(Poller), { clock });
    await app.start();
    const replies = new Replies();
    await replies.start({ clock });
    const poller = app.get(Poller);
    const listed = [...items(poller), ...items(replies)];
    expect(listed.map((i) => [i.name, i.kind, i.startedAt, i.cancellable])).toEqual([
      ['poll', 'task', 5_000, true],
      ['tick', 'timer', 5_000, true],
      ['pendingReply', 'future', 5_000, false],
      ['consume', 'future', 5_000, true],
    ]);
    expect(new Set(listed.map((i) => i.id)).size).toBe(4);
    // A future's stack names the code that added it; background work's, the start that began it.
    const pending = listed.find((i) => i.name === 'pendingReply')!;
    expect(pending.stack).toMatch(/^ {4}at Replies\.addFuture .*\n {4}at Replies\.onStart \(.*work\.spec\.ts:\d+:\d+\)/);
    expect(listed[0]!.stack).toMatch(/^ {4}at ServiceWork\.beginBackground /);
    await replies.stop();
    await app.stop();
    expect(items(poller)).toEqual([]);
  });

  it('cancels one task: its signal aborts with a WorkCancelledError, the service keeps running and is not crashed', async () => {
    const clock = new ManualClock();
    const app = new Application(singletons(Poller), { clock });
    await app.start();
    const poller = app.get(Poller);
    const poll = items(poller).find((i) => i.name === 'poll')!;
    const reason = new WorkCancelledError('Poller', 'poll', poll.id);
    expect(runtimeOf(poller).work.cancel(poll.id, reason)).toBe(true);
    await clock.advanceAsync(0);
    expect(poller.ended).toEqual([reason]);
    expect(items(poller).map((i) => i.name)).toEqual(['tick']);
    await clock.advanceAsync('3s');
    expect([app.services[0]!.state, app.state, app.readiness, poller.ticks]).toEqual(['running', 'running', 'ready', 3]);
    expect(reason.message).toBe(`Poller.poll (work ${poll.id}) was cancelled; Poller keeps running, and its next start runs it again`);
    // The next start runs it again.
    await app.restartService('Poller');
    expect(items(poller).map((i) => i.name)).toEqual(['poll', 'tick']);
    await app.stop();
    expect(poller.ended).toHaveLength(2);
  });

  it('does not count a task that rejects with its cancel reason (or an AbortError) as a crash', async () => {
    @injectable()
    class Strict {
      @task() async wait(signal: AbortSignal) {
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
      }
      @task() async fetchLike(signal: AbortSignal) {
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), { once: true }));
      }
    }
    const app = new Application(singletons(Strict));
    await app.start();
    const strict = app.get(Strict);
    for (const item of items(strict)) runtimeOf(strict).work.cancel(item.id, new WorkCancelledError('Strict', item.name, item.id));
    await new Promise((resolve) => setImmediate(resolve));
    expect([app.services[0]!.state, app.state, items(strict)]).toEqual(['running', 'running', []]);
    await app.stop();
  });

  it('cancels a timer: no more runs in this run of the service', async () => {
    const clock = new ManualClock();
    const app = new Application(singletons(Poller), { clock });
    await app.start();
    const poller = app.get(Poller);
    await clock.advanceAsync('2s');
    const tick = items(poller).find((i) => i.name === 'tick')!;
    runtimeOf(poller).work.cancel(tick.id, new WorkCancelledError('Poller', 'tick', tick.id));
    await clock.advanceAsync('5s');
    expect([poller.ticks, app.services[0]!.state]).toEqual([2, 'running']);
    await app.stop();
  });

  it('cancels a future added as a function, but not one added as a promise; an unknown id cancels nothing', async () => {
    const replies = new Replies();
    await replies.start();
    const work = replies.runtime.work;
    const [pending, consume] = items(replies);
    expect(work.cancel(pending!.id, new Error('no'))).toBe(false);
    expect(work.cancel(-1, new Error('no'))).toBe(false);
    const reason = new WorkCancelledError('Replies', 'consume', consume!.id);
    expect(work.cancel(consume!.id, reason)).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(replies.cancelled).toBe(reason);
    expect([replies.state, items(replies).map((i) => i.name)]).toEqual(['running', ['pendingReply']]);
    await replies.stop();
  });

  it('still aborts every item’s own signal when its service stops', async () => {
    const replies = new Replies();
    await replies.start();
    await replies.stop();
    expect(replies.cancelled).toMatchObject({ name: 'ServiceStoppingError' });
  });
});

describe('work that fails outside its run', () => {
  it('a failure during onStop is a stop error, not lost', async () => {
    let reject!: (error: Error) => void;
    class Client extends Service {
      override onStart() {
        this.addFuture(new Promise<never>((_, r) => (reject = r)), 'reply');
      }
      override async onStop() {
        reject(new Error('connection reset while stopping'));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    const client = new Client();
    await client.start();
    await expect(client.stop()).rejects.toThrow(/Client\.reply failed: Error: connection reset while stopping/);
    expect(client.state).toBe('shutdown');
  });

  it('work an abandoned stop left behind never crashes the next run, nor holds its stop', async () => {
    const clock = new ManualClock();
    let rejectOld!: (error: Error) => void;
    class Consumer extends Service {
      runs = 0;
      override onStart() {
        if (++this.runs === 1) this.addFuture(new Promise<never>((_, r) => (rejectOld = r)), 'consume');
      }
    }
    const consumer = new Consumer();
    const app = new Application(consumer, { clock, supervisor: { strategy: 'one-for-one', stopTimeout: '50ms', backoff: { min: '10ms', max: '10ms', jitter: 0 } } });
    const crashes: string[] = [];
    app.on('service.crashed', (e) => crashes.push(e.error.message));
    await app.start();
    consumer.crash(new Error('first crash'));
    await clock.advanceAsync('50ms');
    await clock.advanceAsync('10ms');
    await new Promise((resolve) => setImmediate(resolve));
    expect(consumer.runs).toBe(2);
    expect(consumer.state).toBe('running');
    rejectOld(new Error('old run socket closed'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(consumer.state).toBe('running');
    expect(crashes).toEqual(['first crash']);
    // The old run's work (settled now) does not hold the stop, nor count as its error.
    await clock.runUntil(app.stop());
    expect(consumer.state).toBe('shutdown');
  });
});
