// The shutdown deadline: a stop that hangs past --shutdown-timeout names the hung service and exits 1.
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../lib/utils/clock.js';
import { fixture, startCli } from '../cli/harness.js';

/**
 * Whether the system clock still fires a timer past 2^31-1 ms at once (Node's setTimeout
 * overflows). The Worker arms its deadline on that clock; the clock's rewrite chains long
 * timers, and the spec below runs from then on.
 */
const clockOverflows = await new Promise<boolean>((resolve) => {
  const onWarning = (warning: Error) => warning.name === 'TimeoutOverflowWarning';
  process.on('warning', onWarning);
  const timer = systemClock.setTimeout(() => done(true), 2 ** 31);
  const guard = setTimeout(() => done(false), 100);
  function done(overflowed: boolean) {
    clearTimeout(guard);
    systemClock.clearTimeout(timer);
    process.off('warning', onWarning);
    resolve(overflowed);
  }
});

describe('Worker shutdown deadline', () => {
  it('names the hung service and its hook, then exits 1', async () => {
    const cli = startCli(['run', fixture('hung-stop.module.ts'), '--shutdown-timeout', '300ms']);
    await cli.waitFor('[^Worker]: Started');
    const signalled = performance.now();
    cli.kill('SIGTERM');
    const exit = await cli.exited;
    const took = performance.now() - signalled;
    expect(exit.code).toBe(1);
    // The deadline runs from the signal; the hook began a little after it, so it has run for
    // up to 300 ms (however long that little was on a loaded machine).
    const line = /: ERROR\]: \[\^Worker\]: Shutdown timed out after 300ms: forcing exit\. Still stopping: Stuck \(in onStop for (\d+)ms\); not stopped yet: Quick\.\n/.exec(exit.stdout);
    expect(line, exit.stdout).not.toBeNull();
    expect(Number(line![1])).toBeGreaterThan(0);
    expect(Number(line![1])).toBeLessThanOrEqual(took);
    expect(exit.stdout).not.toContain('[^Worker]: -Stopped!');
    expect(took).toBeGreaterThanOrEqual(300);
    expect(took).toBeLessThan(5_000);
  });

  // Waits for the clock that chains long timers (lib/utils/clock.ts): until then Node fires a
  // 30-day timer at once and the stop is forced immediately.
  it.skipIf(clockOverflows)('honours a deadline longer than 2^31-1 ms (--shutdown-timeout 30d)', async () => {
    const cli = startCli(['run', fixture('hung-stop.module.ts'), '--shutdown-timeout', '30d']);
    await cli.waitFor('[^Worker]: Started');
    cli.kill('SIGTERM');
    // 300 ms into the hung stop: a deadline that overflowed would have forced the exit long before.
    await cli.waitFor('[^-Stuck]: still flushing');
    expect(cli.stdout).not.toContain('forcing exit');
    cli.kill('SIGTERM');
    const exit = await cli.exited;
    expect(exit.code).toBe(1);
    expect(exit.stdout).toMatch(/Second signal \(SIGTERM\) while stopping: forcing exit\./);
    expect(exit.stdout).not.toContain('Shutdown timed out');
  });
});
