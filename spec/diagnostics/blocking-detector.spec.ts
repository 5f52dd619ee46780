// The blocking detector in this process: the blocked stack, once per stall, native code, quiet under a debugger, clean stop.
import { execSync, spawn } from 'node:child_process';
import inspector from 'node:inspector';
import { describe, expect, it } from 'vitest';
import { BlockingDetector, type BlockingReport, DurationError, type UnblockedReport, UsageError } from '../../lib/index.js';
import { ROOT } from '../cli/harness.js';
import { failOnUnhandledRejections } from '../support/unhandled.js';

failOnUnhandledRejections();

function spinFor(ms: number): number {
  const end = Date.now() + ms;
  let spins = 0;
  while (Date.now() < end) spins++;
  return spins;
}

/** A detector whose reports are collected; `ended` resolves with the first stall's end. */
function watched(options: ConstructorParameters<typeof BlockingDetector>[0] = {}) {
  const blocked: BlockingReport[] = [];
  const unblocked: UnblockedReport[] = [];
  let onEnd!: (report: UnblockedReport) => void;
  const ended = new Promise<UnblockedReport>((resolve) => (onEnd = resolve));
  const detector = new BlockingDetector({
    timeout: '200ms',
    stderr: false,
    ...options,
    onBlocked: (report) => blocked.push(report),
    onUnblocked: (report) => {
      unblocked.push(report);
      onEnd(report);
    },
  });
  return { detector, blocked, unblocked, ended };
}

describe('BlockingDetector', () => {
  it('knows on the main thread of a stall that ends this very turn, and of one that ended less than a timeout ago (what /live answers)', async () => {
    const { detector } = watched();
    await detector.start();
    try {
      expect(detector.recentStall()).toBeUndefined();
      spinFor(150); // shorter than the timeout: not a stall
      expect(detector.recentStall()).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 50));
      spinFor(600);
      // The heartbeat has not beaten since: code running now runs late because of the stall.
      const now = detector.recentStall();
      expect(now).toMatchObject({ endedMsAgo: 0 });
      expect(now!.blockedMs).toBeGreaterThanOrEqual(600);
      expect(now!.message).toMatch(/^the event loop did not turn for \d+ms \(blocking timeout 200ms\), until just now$/);
      // Timers run in due order: the heartbeat (every 20ms) beats before this one fires.
      await new Promise((resolve) => setTimeout(resolve, 40));
      const after = detector.recentStall();
      expect(after!.blockedMs).toBeGreaterThanOrEqual(600);
      expect(after!.endedMsAgo).toBeGreaterThan(0);
      expect(after!.message).toMatch(/^the event loop did not turn for \d+ms \(blocking timeout 200ms\), [\d.]+ms ago$/);
      expect(detector.recentStall(0)).toBeUndefined();
      expect(detector.recentStall(60_000)).toEqual({ ...after, endedMsAgo: expect.any(Number), message: expect.any(String) });
    } finally {
      await detector.stop();
    }
    expect(detector.recentStall(60_000)).toBeUndefined(); // stopped
  });

  it('reports a busy loop once, with the stack of the blocked function, then its total length', async () => {
    const { detector, blocked, unblocked, ended } = watched();
    await detector.start();
    try {
      spinFor(1_100);
      const end = await ended;
      expect(blocked).toHaveLength(1);
      const [report] = blocked;
      expect(report!.native).toBe(false);
      expect(report!.stack).toMatch(/^ {4}at spinFor \(.*blocking-detector\.spec\.ts:\d+:\d+\)/);
      expect(report!.stack).not.toContain('modeDiCaptureStack');
      expect(report!.blockedMs).toBeGreaterThanOrEqual(200);
      expect(report!.message).toMatch(/^Blocking detected \(timeout=200ms\): the event loop has not turned for \d+ms$/);
      expect(report!.detectedAt).toBeInstanceOf(Date);
      expect(detector.stalls).toBe(1);
      expect(detector.lastReport).toEqual(report);
      expect(unblocked).toHaveLength(1);
      expect(end.blockedMs).toBeGreaterThanOrEqual(1_100);
      expect(end.message).toMatch(/^Blocking ended: the event loop did not turn for \d\.\d\ds$/);
      expect(end.native).toBe(false);
    } finally {
      await detector.stop();
    }
  });

  it('reports a blocking native call as native code, then the stack once the call returns', async () => {
    const { detector, blocked, ended } = watched({ captureTimeout: '100ms' });
    await detector.start();
    try {
      execSync('sleep 0.7');
      const end = await ended;
      expect(blocked).toHaveLength(1);
      expect(blocked[0]!.native).toBe(true);
      expect(blocked[0]!.stack).toBeUndefined();
      expect(blocked[0]!.message).toMatch(/: blocked in native code \(no JavaScript stack within 100ms\); its stack follows when the call returns$/);
      expect(end.native).toBe(true);
      expect(end.lateStack).toMatch(/at execSync \(node:child_process/);
      expect(end.lateStack).toContain('blocking-detector.spec.ts');
    } finally {
      await detector.stop();
    }
  });

  it('reports each stall, and nothing while the loop turns', async () => {
    const { detector, blocked, unblocked } = watched();
    await detector.start();
    try {
      for (let i = 0; i < 2; i++) {
        spinFor(450);
        await new Promise((resolve) => setTimeout(resolve, 400));
      }
      expect(blocked).toHaveLength(2);
      expect(unblocked).toHaveLength(2);
    } finally {
      await detector.stop();
    }
  });

  it('stays quiet while Node\'s inspector is open (a developer may be paused at a breakpoint)', async () => {
    inspector.open(0, '127.0.0.1');
    const { detector, blocked } = watched({ heartbeatInterval: '10ms' });
    try {
      await detector.start();
      await new Promise((resolve) => setTimeout(resolve, 30)); // a beat records the open inspector
      spinFor(600);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(blocked).toEqual([]);
    } finally {
      inspector.close();
      await detector.stop();
    }
  });

  it('takes the main thread\'s stack on request (empty from an idle loop)', async () => {
    const detector = new BlockingDetector({ timeout: '1s', stderr: false });
    await expect(detector.captureStack()).rejects.toThrow(UsageError);
    await detector.start();
    try {
      expect(await detector.captureStack()).toEqual({ stack: '', native: false });
    } finally {
      await detector.stop();
    }
    await expect(detector.captureStack()).rejects.toThrow(/needs a running BlockingDetector/);
  });

  it('does nothing with a timeout of 0', async () => {
    const detector = new BlockingDetector({ timeout: 0 });
    expect(detector.enabled).toBe(false);
    await detector.start();
    expect(detector.running).toBe(false);
    await detector.stop();
  });

  it('starts again after a stop, and stop() settles however often it is called', async () => {
    const detector = new BlockingDetector({ timeout: '1s', stderr: false });
    await detector.start();
    expect(detector.running).toBe(true);
    await Promise.all([detector.stop(), detector.stop()]);
    expect(detector.running).toBe(false);
    await detector.start();
    expect(detector.running).toBe(true);
    await detector[Symbol.asyncDispose]();
    expect(detector.running).toBe(false);
  });

  it('rejects bad options with a message naming them', () => {
    // @ts-expect-error: not a duration, a type error too (this checks the run-time check, for JavaScript and text from outside)
    expect(() => new BlockingDetector({ timeout: '10' })).toThrow(DurationError);
    // @ts-expect-error: not a duration, a type error too (this checks the run-time check, for JavaScript and text from outside)
    expect(() => new BlockingDetector({ timeout: '10' })).toThrow(/blocking timeout "10": has no unit/);
    expect(() => new BlockingDetector({ timeout: '100ms', heartbeatInterval: '200ms' })).toThrow(/heartbeat interval \(200ms\) must be more than 0 and shorter than the blocking timeout \(100ms\)/);
    expect(() => new BlockingDetector({ captureTimeout: 0 })).toThrow(/capture timeout must be more than 0/);
    expect(new BlockingDetector({ timeout: '300ms' })).toMatchObject({ timeoutMs: 300, heartbeatIntervalMs: 30, captureTimeoutMs: 150 });
    expect(new BlockingDetector()).toMatchObject({ timeoutMs: 10_000, heartbeatIntervalMs: 100, captureTimeoutMs: 1_000 });
  });

  it('never keeps the process alive', async () => {
    // A process whose only work is a started detector ends on its own, at once.
    const script = `import { BlockingDetector } from './dist/index.js';
      const detector = new BlockingDetector({ timeout: '1s' });
      await detector.start();
      process.stdout.write('started\\n');`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const startedAt = { ms: 0 };
    child.stdout.once('data', () => (startedAt.ms = performance.now()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(out).toBe('started\n');
    expect(code).toBe(0);
    expect(performance.now() - startedAt.ms).toBeLessThan(1_000);
  });
});
