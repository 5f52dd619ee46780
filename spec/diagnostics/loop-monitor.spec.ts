// Event-loop delay percentiles: zero before sampling, a blocked loop shows in the max and the tail.
import { describe, expect, it } from 'vitest';
import { formatLoopDelay, LoopMonitor } from '../../lib/index.js';

function spinFor(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end);
}
const turn = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('LoopMonitor', () => {
  it('reads zero before it starts', () => {
    expect(new LoopMonitor().snapshot()).toEqual({ p50: 0, p90: 0, p99: 0, max: 0, mean: 0, samples: 0, sinceMs: 0 });
  });

  it('shows a blocked loop in its max, and forgets it on reset', async () => {
    const monitor = new LoopMonitor({ resolution: '10ms' });
    monitor.start();
    try {
      await turn(100);
      spinFor(250);
      await turn(100);
      const delay = monitor.snapshot();
      expect(delay.max).toBeGreaterThanOrEqual(200);
      expect(delay.p50).toBeLessThan(delay.max);
      expect(delay.samples).toBeGreaterThan(3);
      expect(delay.sinceMs).toBeGreaterThanOrEqual(440);
      expect(formatLoopDelay(delay)).toMatch(/^p50 [\d.]+m?s, p90 [\d.]+m?s, p99 [\d.]+m?s, max [\d.]+m?s \([\d,]+ samples over [\d.]+m?s\)$/);
      monitor.reset();
      await turn(60);
      expect(monitor.snapshot().max).toBeLessThan(200);
      expect(monitor.running).toBe(true);
    } finally {
      monitor.stop();
    }
    expect(monitor.running).toBe(false);
    expect(monitor.snapshot().samples).toBeGreaterThan(0); // the last figures stay readable
  });

  it('rejects a bad resolution', () => {
    // @ts-expect-error: not a duration, a type error too (this checks the run-time check, for JavaScript and text from outside)
    expect(() => new LoopMonitor({ resolution: 'fast' })).toThrow(/loop monitor resolution "fast"/);
  });
});
