// guardImport: the signals while the app module is imported, on a manual clock.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { guardImport } from '../../lib/cli/loading.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';

function setup(shutdownTimeoutMs = 30_000) {
  const stderr = new PassThrough();
  let err = '';
  stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exits: number[] = [];
  const clock = new ManualClock();
  let finish!: (value: string) => void;
  const importing = new Promise<string>((resolve) => (finish = resolve));
  const listeners = () => ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGUSR2'].map((s) => process.listenerCount(s));
  const before = listeners();
  const guarded = guardImport(() => importing, { module: './app.module.ts', shutdownTimeoutMs, stderr, clock, exit: (code) => exits.push(code) });
  return { guarded, finish, clock, exits, err: () => err, listeners, before };
}

describe('guardImport', () => {
  it('hands over what the import returned, and removes its handlers', async () => {
    const g = setup();
    expect(g.listeners()).toEqual(g.before.map((n) => n + 1));
    g.finish('app');
    expect(await g.guarded).toEqual({ stopped: false, value: 'app' });
    expect(g.listeners()).toEqual(g.before);
  });

  it('lets the import finish after a stop signal, then says stopped', async () => {
    const g = setup();
    process.emit('SIGTERM');
    expect(g.err()).toMatch(/^mode-di: SIGTERM received while loading \.\/app\.module\.ts: nothing will start\./);
    g.finish('app');
    expect(await g.guarded).toEqual({ stopped: true, signal: 'SIGTERM' });
    expect(g.exits).toEqual([]);
  });

  it('exits 1 on a second signal, but not on a duplicate delivery of the first', async () => {
    const g = setup();
    process.emit('SIGINT');
    process.emit('SIGINT');
    expect(g.exits).toEqual([]);
    await g.clock.advanceAsync(250);
    process.emit('SIGINT');
    expect(g.exits).toEqual([1]);
    expect(g.err()).toContain('-INT- -INT- -INT- -INT- -INT- -INT-\n');
    expect(g.err()).toMatch(/mode-di: Second signal \(SIGINT\) while loading \.\/app\.module\.ts: exiting before anything started\.\n$/);
    g.finish('app');
    await g.guarded;
  });

  it('exits 1 when the shutdown deadline passes after the first signal', async () => {
    const g = setup(1_000);
    process.emit('SIGHUP');
    await g.clock.advanceAsync(999);
    expect(g.exits).toEqual([]);
    await g.clock.advanceAsync(1);
    expect(g.exits).toEqual([1]);
    expect(g.err()).toMatch(/Shutdown timed out after 1\.00s while loading \.\/app\.module\.ts/);
    g.finish('app');
    await g.guarded;
  });

  it('answers SIGUSR2 with what is loading and for how long', async () => {
    const g = setup();
    await g.clock.advanceAsync(1_500);
    process.emit('SIGUSR2');
    expect(g.err()).toMatch(/Still loading \.\/app\.module\.ts \(for 1\.50s\): no service has been created or started yet\.\nActive resources: /);
    g.finish('app');
    expect(await g.guarded).toEqual({ stopped: false, value: 'app' });
  });
});
