// samples/supervision through the real CLI: restarts with growing backoff, the rest keeps running, then the budget ends the run.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { messagesOf, ROOT, runCli } from './harness.js';

describe('samples/supervision', () => {
  it('restarts the feed with its dependent on every crash, backing off, until the budget is spent (exit 1)', async () => {
    const exit = await runCli(['run', join(ROOT, 'samples/supervision/app.module.ts')], { env: { CRASH_EVERY: '200ms', BACKOFF_MIN: '50ms' } });
    const lines = messagesOf(exit.stdout);
    const restarts = lines.filter((l) => l.includes('Restarting crashed service'));
    expect(restarts).toHaveLength(6);
    expect(restarts[0]).toBe('[^--Feed]: Restarting crashed service Feed with Dashboard (attempt 1 of 6, now): Error: upstream connection reset');
    const delays = restarts.slice(1).map((l) => Number(/in ([\d.]+)ms/.exec(l)?.[1] ?? NaN));
    // 50ms doubling, each within ±20 % jitter.
    delays.forEach((delay, k) => expect(Math.abs(delay / (50 * 2 ** k) - 1)).toBeLessThanOrEqual(0.2));
    // Rest-for-one: the dependent stops before the feed and starts after it, every time.
    const restart = lines.slice(lines.indexOf(restarts[0]!));
    expect(restart.slice(1, 7)).toEqual([
      '[^-Dashboard]: Stopping...',
      '[^-Dashboard]: -Stopped!',
      '[^--Feed]: Stopping...',
      '[^--Feed]: -Stopped!',
      '[^--Feed]: Starting...',
      '[^--Feed]: Connected to the upstream',
    ]);
    expect(lines.filter((l) => l.startsWith('[^-Heartbeat]: Starting'))).toHaveLength(1);
    expect(lines).toContain('[^--Feed]: The supervisor of Feed gave up on Feed after 6 restart(s) within 2.00m (maxRestarts 6 over 2.00m); its last crash: HookError: Feed.read failed: Error: upstream connection reset; escalating');
    expect(lines.at(-1)).toBe('[^Worker]: -Stopped!');
    expect(exit.code).toBe(1);
  });
});
