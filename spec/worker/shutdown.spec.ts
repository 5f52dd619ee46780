// The shutdown deadline: a stop that hangs past --shutdown-timeout names the hung service and exits 1.
import { describe, expect, it } from 'vitest';
import { fixture, startCli } from '../cli/harness.js';

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

  it('honours a deadline longer than 2^31-1 ms (--shutdown-timeout 30d)', async () => {
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
    expect(exit.stderr).not.toContain('TimeoutOverflowWarning');
  });
});
