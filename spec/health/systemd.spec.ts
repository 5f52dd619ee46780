// systemd's notify protocol for real: a unix datagram socket (a python3 peer) stands in for systemd; the Worker runs under the CLI.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, startCli } from '../cli/harness.js';

const PROBES = fixture('probes.module.ts');

/** The python3 peer bound to a fresh socket path, and what it has received so far. */
class NotifyPeer {
  readonly path = join(mkdtempSync(join(tmpdir(), 'mode-di-notify-')), 'notify.sock');
  readonly child: ChildProcessWithoutNullStreams;
  output = '';

  constructor() {
    this.child = spawn('python3', [join(import.meta.dirname, 'notify-peer.py'), this.path]);
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
  }

  /** Each notification: when it arrived (CLOCK_MONOTONIC, ns) and what it said. */
  get messages(): Array<{ at: bigint; text: string }> {
    return this.output
      .split('\n')
      .filter((line) => /^\d+ /.test(line))
      .map((line) => ({ at: BigInt(line.slice(0, line.indexOf(' '))), text: line.slice(line.indexOf(' ') + 1) }));
  }

  async until(test: (peer: NotifyPeer) => boolean, timeoutMs = 15_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!test(this)) {
      if (Date.now() > end) throw new Error(`The peer never saw what was awaited; it got:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

let peers: NotifyPeer[] = [];
afterEach(() => {
  for (const peer of peers) peer.child.kill();
  peers = [];
});

async function peer(): Promise<NotifyPeer> {
  const p = new NotifyPeer();
  peers.push(p);
  await p.until((x) => x.output.startsWith('LISTENING'));
  return p;
}

const nsOf = (text: string, marker: string) => BigInt(new RegExp(`${marker} (\\d+)`).exec(text)![1]!);

describe('systemd notifications (NOTIFY_SOCKET)', () => {
  it('sends READY=1 only after the last service has started, and STOPPING=1 on SIGTERM', async () => {
    const systemd = await peer();
    const cli = startCli(['run', PROBES], { env: { NOTIFY_SOCKET: systemd.path, START_MS: '300' } });
    await systemd.until((p) => p.messages.some((m) => m.text.startsWith('READY=1')));
    const lastStarted = nsOf(await cli.waitFor('LAST SERVICE STARTED AT'), 'LAST SERVICE STARTED AT');
    const ready = systemd.messages.find((m) => m.text.startsWith('READY=1'))!;
    expect(ready.text).toBe('READY=1|STATUS=Ready: 2 services running');
    expect(ready.at > lastStarted).toBe(true);
    expect(systemd.messages.filter((m) => m.at < lastStarted)).toEqual([]);

    const signalled = process.hrtime.bigint();
    cli.kill('SIGTERM');
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    const stopping = systemd.messages.find((m) => m.text.startsWith('STOPPING=1'));
    expect(stopping?.text).toBe('STOPPING=1|STATUS=Stopping');
    expect(stopping!.at > signalled).toBe(true);
    expect(systemd.messages.map((m) => m.text.split('|')[0])).toEqual(['READY=1', 'STOPPING=1']);
  });

  it('pings WATCHDOG=1 every half WATCHDOG_USEC while the event loop turns, and never while it is blocked', async () => {
    const systemd = await peer();
    const cli = startCli(['run', PROBES], { env: { NOTIFY_SOCKET: systemd.path, WATCHDOG_USEC: '400000', BLOCK_AFTER_MS: '1500', BLOCK_MS: '1500' } });
    const blockEnd = nsOf(await cli.waitFor('BLOCK END', { timeoutMs: 20_000 }), 'BLOCK END');
    const blockStart = nsOf(cli.stdout, 'BLOCK START');
    await systemd.until((p) => p.messages.filter((m) => m.text === 'WATCHDOG=1' && m.at > blockEnd).length >= 4);
    cli.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);
    expect(cli.stdout).toContain('Notifying systemd (NOTIFY_SOCKET=');
    const pings = systemd.messages.filter((m) => m.text === 'WATCHDOG=1').map((m) => m.at);
    // None sent while blocked: 1.5 s would hold ~7 pings, but at most the one already on its way when the loop
    // stopped (a systemd-notify process launched just before, which may land late on a busy machine) arrives.
    expect(pings.filter((at) => at > blockStart && at < blockEnd).length).toBeLessThanOrEqual(1);
    // Every 200 ms before the block and after it (the machine is shared: the median, and loose bounds).
    const gaps = pings.slice(1).map((at, i) => Number(at - pings[i]!) / 1e6).filter((gap, i) => !(pings[i]! < blockEnd && pings[i + 1]! > blockStart));
    const median = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)]!;
    expect(median).toBeGreaterThan(170);
    expect(median).toBeLessThan(260);
    const beforeBlock = pings.filter((at) => at < blockStart).length;
    expect(beforeBlock).toBeGreaterThanOrEqual(4); // ~1.5 s of pings before the block
  });

  it('sends no watchdog ping when WATCHDOG_PID names another process', async () => {
    const systemd = await peer();
    const cli = startCli(['run', PROBES], { env: { NOTIFY_SOCKET: systemd.path, WATCHDOG_USEC: '100000', WATCHDOG_PID: '1' } });
    await systemd.until((p) => p.messages.some((m) => m.text.startsWith('READY=1')));
    await new Promise((resolve) => setTimeout(resolve, 300)); // six would-be pings
    cli.kill('SIGTERM');
    await cli.exited;
    expect(systemd.messages.filter((m) => m.text === 'WATCHDOG=1')).toEqual([]);
  });

  it('warns once, and runs on, when systemd-notify is not installed', async () => {
    const systemd = await peer();
    const bin = mkdtempSync(join(tmpdir(), 'mode-di-path-'));
    symlinkSync(process.execPath, join(bin, 'node')); // a PATH with node and no systemd-notify
    const cli = startCli(['run', PROBES], { env: { NOTIFY_SOCKET: systemd.path, WATCHDOG_USEC: '100000', PATH: bin } });
    await cli.waitFor('Started in');
    await cli.waitFor('systemd-notify is not installed');
    await new Promise((resolve) => setTimeout(resolve, 200));
    cli.kill('SIGTERM');
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    expect(exit.stdout.match(/systemd-notify is not installed/g)).toHaveLength(1);
    expect(exit.stdout).toMatch(/WARNING\]: \[\^Worker\]: Cannot tell systemd "(READY=1 STATUS=Ready: 2 services running|WATCHDOG=1)" through NOTIFY_SOCKET: systemd-notify is not installed \(it comes with systemd\)\. Under systemd, install systemd's tools in the image; elsewhere, unset NOTIFY_SOCKET\./);
    expect(systemd.messages).toEqual([]);
  });
});

describe('systemd notifications, failing', () => {
  it('reports the tool\'s own words when the socket is not there', async () => {
    const cli = startCli(['run', PROBES], { env: { NOTIFY_SOCKET: join(tmpdir(), 'mode-di-no-such-dir', 'notify.sock') } });
    await cli.waitFor('Cannot tell systemd');
    cli.kill('SIGTERM');
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    expect(exit.stdout).toMatch(/Cannot tell systemd "READY=1 STATUS=Ready: 2 services running" through NOTIFY_SOCKET: systemd-notify: Failed to notify init system: No such file or directory\./);
  });
});
