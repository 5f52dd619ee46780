// The Worker under signals: SIGINT/SIGTERM stop cleanly (0), a second one forces exit (1), SIGUSR2 dumps.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CliProcess, fixture, messagesOf, startCli } from '../cli/harness.js';

describe('Worker signals', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('stops gracefully on %s and exits 0', async (signal) => {
    const cli = startCli(['run', fixture('chain.module.ts')]);
    await cli.waitFor('[^Worker]: Started');
    cli.kill(signal);
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    const m = messagesOf(exit.stdout);
    const tail = m.slice(m.indexOf(`[^Worker]: Signal received: ${signal}`));
    expect(tail[0]).toBe(`[^Worker]: Signal received: ${signal}`);
    expect(tail[1]).toBe('[^Worker]: Stopping...');
    expect(tail).toContain('[^Worker]: Gathering service tasks...');
    expect(tail).toContain('[^Worker]: Gathering all futures...');
    expect(tail.at(-1)).toBe('[^Worker]: -Stopped!');
    expect(exit.stderr).toBe(signal === 'SIGINT' ? '-INT- -INT- -INT- -INT- -INT- -INT-\n' : '');
  });

  it('forces exit on a second signal during the stop, naming what is still stopping (exit 1)', async () => {
    const cli = startCli(['run', fixture('hung-stop.module.ts'), '--shutdown-timeout', '0']);
    await cli.waitFor('[^Worker]: Started');
    cli.kill('SIGINT');
    await cli.waitFor('[^-Stuck]: still flushing');
    cli.kill('SIGTERM');
    const exit = await cli.exited;
    expect(exit.code).toBe(1);
    expect(exit.stdout).toMatch(/: ERROR\]: \[\^Worker\]: Second signal \(SIGTERM\) while stopping: forcing exit\. Still stopping: Stuck \(in onStop for [\d.]+m?s\); not stopped yet: Quick\.\n/);
    expect(exit.stdout).not.toContain('[^Worker]: -Stopped!');
  });

  it('takes the same signal delivered twice at once (npx forwarding Ctrl-C) as one', async () => {
    const cli = startCli(['run', fixture('chain.module.ts'), '--loglevel', 'debug']);
    await cli.waitFor('[^Worker]: Started');
    cli.kill('SIGINT');
    cli.kill('SIGINT');
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    // The OS may merge the two; either way it is one stop, not a forced one (see worker.spec.ts).
    expect(exit.stdout.match(/: INFO\]: \[\^Worker\]: Signal received: SIGINT\n/g)).toHaveLength(1);
    expect(exit.stdout).not.toContain('forcing exit');
    expect(exit.stdout).toContain('[^Worker]: -Stopped!');
  });

  it('stops a start in progress on a signal, stopping what had started (exit 0)', async () => {
    const cli = startCli(['run', fixture('slow-start.module.ts')]);
    await cli.waitFor('[^-Slow]: Starting...');
    cli.kill('SIGTERM');
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    const m = messagesOf(exit.stdout);
    expect(m).not.toContainEqual(expect.stringMatching(/Started in/));
    expect(m).toContain('[^--Fast]: -Stopped!');
    expect(m).toContain('[^-Slow]: -Stopped!');
    expect(m.at(-1)).toBe('[^Worker]: -Stopped!');
  });

  it('dumps the service tree, work in flight and the main stack on SIGUSR2, and keeps running', async () => {
    const cli = startCli(['run', 'samples/tutorial/app.module.ts'], { env: { PORT: '0', WS_PORT: '0' } });
    await cli.waitFor('[^Worker]: Started');
    cli.kill('SIGUSR2');
    const dump = await cli.waitFor('Active resources:', { stream: 'stderr' });
    expect(dump).toMatch(/^mode-di: service dump at \d{4}-\d{2}-\d{2}T.*\(pid \d+\)\n\[\^Worker\]  application running, 4 service\(s\)\n/);
    expect(dump).toContain('\n  [^-AppService]  running\n');
    expect(dump).toContain('\n    [^--Websockets]  running\n');
    expect(dump).toContain('\n    [^--UserCache]  running  (in flight: removeExpiredUsers)\n');
    expect(dump).toContain('\nMain thread stack:\n    at ');
    expect(dump).toMatch(/Active resources: .*TCPServerWrap/);
    cli.kill('SIGTERM');
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('[^Worker]: -Stopped!');
  });
});

describe('a signal after the stop, while the last lines are flushed', () => {
  it('neither kills the process nor changes its exit status', async () => {
    const child = spawn(process.execPath, [fixture('slow-flush.mjs')], { stdio: ['pipe', 'pipe', 'pipe'] });
    const cli = new CliProcess(child as ChildProcessWithoutNullStreams);
    await cli.waitFor('[^Worker]: Started');
    cli.kill('SIGINT');
    await cli.waitFor('CLOSING', { stream: 'stderr' }); // stopped; the logger is closing
    cli.kill('SIGINT'); // a second Ctrl-C that arrives late
    child.stdin.write('go\n');
    const exit = await cli.exited;
    expect(exit.signal).toBeNull();
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('[^Worker]: -Stopped!');
  });
});

describe('StopSignalLog', () => {
  it('takes the first signal again within the window as a duplicate, and anything else as a new request', async () => {
    const { StopSignalLog } = await import('../../lib/worker/signals.js');
    let now = 0;
    const log = new StopSignalLog(() => now);
    expect(log.isDuplicate('SIGINT')).toBe(false);
    now = 249;
    expect(log.isDuplicate('SIGINT')).toBe(true);
    expect(log.isDuplicate('SIGTERM')).toBe(false);
    now = 250;
    expect(log.isDuplicate('SIGINT')).toBe(false);
  });
});
