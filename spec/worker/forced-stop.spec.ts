// A forced stop (a second signal, the shutdown deadline) ends the process from any phase, the start included.
import { describe, expect, it } from 'vitest';
import { fixture, startCli } from '../cli/harness.js';

const HUNG = fixture('hung-start.module.ts');
/** Two heartbeats of the hung hook after the first signal: > 250 ms later, so a repeat is a second signal. */
const twoBeatsAfter = (marker: string) => (text: string) => (text.slice(text.indexOf(marker)).match(/still connecting/g) ?? []).length >= 2;

describe('a forced stop during a start that never ends', () => {
  it('exits 1 promptly on SIGINT then SIGINT, naming the hung service and hook', async () => {
    const cli = startCli(['run', HUNG, '--shutdown-timeout', '0']);
    await cli.waitFor('[^-Db]: connecting forever');
    cli.kill('SIGINT');
    await cli.waitFor(twoBeatsAfter('Signal received: SIGINT'));
    const sent = performance.now();
    cli.kill('SIGINT');
    const exit = await cli.exited;
    expect(performance.now() - sent).toBeLessThan(2_000);
    expect(exit.signal).toBeNull();
    expect(exit.code).toBe(1);
    expect(exit.stdout).toMatch(/: ERROR\]: \[\^Worker\]: Second signal \(SIGINT\) while stopping: forcing exit\. Still starting: Db \(in onStart for [\d.]+m?s\)\.\n/);
    expect(exit.stdout).not.toContain('[^Worker]: -Stopped!');
  });

  it('exits 1 when --shutdown-timeout passes after one SIGINT', async () => {
    const cli = startCli(['run', HUNG, '--shutdown-timeout', '300ms']);
    await cli.waitFor('[^-Db]: connecting forever');
    const sent = performance.now();
    cli.kill('SIGINT');
    const exit = await cli.exited;
    expect(performance.now() - sent).toBeGreaterThanOrEqual(300);
    expect(exit.code).toBe(1);
    expect(exit.stdout).toMatch(/: ERROR\]: \[\^Worker\]: Shutdown timed out after 300ms: forcing exit\. Still starting: Db \(in onStart for [\d.]+m?s\)\.\n/);
  });
});
