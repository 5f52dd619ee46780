// The health endpoint run for real (the CLI): /startup, /live, /ready and /status through a start, a drain and a graceful stop.
import { createServer } from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { fixture, startCli, runCli } from '../cli/harness.js';
import { healthPortOf, probe } from './http.js';

const PROBES = fixture('probes.module.ts');
const FLAKY = fixture('flaky-supervised.module.ts');

describe('the health endpoint (--health-port)', () => {
  it('answers /live at once, /startup and /ready only once every service runs; /status lists every service', async () => {
    const cli = startCli(['run', PROBES, '--health-port', '0'], { env: { START_MS: '400' } });
    const port = healthPortOf(await cli.waitFor('Health checks on'));
    const during = await Promise.all(['/live', '/startup', '/ready'].map((path) => probe(port, path)));
    expect(cli.stdout).not.toContain('Started in');
    expect(during.map((a) => a.status)).toEqual([200, 503, 503]);
    await cli.waitFor('Started in');
    const after = await Promise.all(['/live', '/startup', '/ready'].map((path) => probe(port, path)));
    expect(after).toEqual([{ status: 200, body: 'live\n' }, { status: 200, body: 'started\n' }, { status: 200, body: 'ready\n' }]);
    const status = JSON.parse((await probe(port, '/status')).body);
    expect(status).toEqual({
      readiness: 'ready',
      started: true,
      stopping: false,
      live: true,
      loopStall: null,
      services: [
        { label: 'Api', state: 'running', restarts: 0, lastCrashReason: null, uptimeMs: expect.any(Number) },
        { label: 'Store', state: 'running', restarts: 0, lastCrashReason: null, uptimeMs: expect.any(Number) },
      ],
    });
    expect((await probe(port, '/nope')).status).toBe(404);
    cli.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);
  });

  it('fails /ready from the SIGTERM on, for the whole --drain and before any service stops; /live answers until the end', async () => {
    const cli = startCli(['run', PROBES, '--health-port', '0', '--drain', '1s'], { env: { STOP_MS: '500' } });
    const port = healthPortOf(await cli.waitFor('Started in'));
    expect((await probe(port, '/ready')).status).toBe(200);
    cli.kill('SIGTERM');
    await cli.waitFor('Draining for 1s');
    const samples: Array<{ ready: number; live: number; servicesStopping: boolean }> = [];
    for (;;) {
      const servicesStopping = cli.stdout.includes('API STOPPING');
      const answers = await Promise.all([probe(port, '/ready'), probe(port, '/live')]).catch(() => undefined);
      if (!answers) break; // the endpoint closed: the process is exiting
      samples.push({ ready: answers[0].status, live: answers[1].status, servicesStopping });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    expect(samples.filter((s) => !s.servicesStopping).length).toBeGreaterThan(3); // the drain was sampled
    expect(samples.filter((s) => s.servicesStopping).length).toBeGreaterThan(3); // and the stop
    expect(samples.every((s) => s.ready === 503 && s.live === 200)).toBe(true);
    // The drain lasted its second before the first service began to stop.
    const at = (pattern: RegExp) => Date.parse(pattern.exec(exit.stdout)![1]!.replace(' ', 'T').replace(',', '.'));
    const drained = at(/\[([\d-]+ [\d:,]+): INFO\]: \[\^Worker\]: Stopping\.\.\./) - at(/\[([\d-]+ [\d:,]+): INFO\]: \[\^Worker\]: Draining for/);
    expect(drained).toBeGreaterThanOrEqual(990);
    expect(exit.stdout.indexOf('Draining for')).toBeLessThan(exit.stdout.indexOf('API STOPPING'));
  });

  it('fails /ready while a supervised service backs off, with its restarts and last crash in /status; ready again after the restart', async () => {
    const cli = startCli(['run', FLAKY, '--health-port', '0', '--loglevel', 'debug'], { env: { CRASHES: '2', BACKOFF: '1.5s' } });
    const port = healthPortOf(await cli.waitFor('FEED UP 1'));
    // The first crash is restarted at once; the second after the 1.5s backoff.
    await cli.waitFor(/Restarting crashed service Feed \(attempt 2 of 5, in 1\.50s\)/);
    const [ready, live, status] = await Promise.all([probe(port, '/ready'), probe(port, '/live'), probe(port, '/status')]);
    expect(cli.stdout).not.toContain('FEED UP 3'); // still backing off
    expect(ready).toEqual({ status: 503, body: 'degraded\n' });
    expect(live).toEqual({ status: 200, body: 'live\n' });
    expect(JSON.parse(status.body)).toEqual({
      readiness: 'degraded',
      started: true,
      stopping: false,
      live: true,
      loopStall: null,
      services: [
        { label: 'Feed', state: 'restarting', restarts: 1, lastCrashReason: 'Feed.read failed: Error: upstream reset 2', uptimeMs: null },
        { label: 'Store', state: 'running', restarts: 0, lastCrashReason: null, uptimeMs: expect.any(Number) },
      ],
    });
    await cli.waitFor('FEED UP 3');
    expect(await probe(port, '/ready')).toEqual({ status: 200, body: 'ready\n' });
    const after = JSON.parse((await probe(port, '/status')).body);
    expect(after.services[0]).toEqual({ label: 'Feed', state: 'running', restarts: 2, lastCrashReason: 'Feed.read failed: Error: upstream reset 2', uptimeMs: expect.any(Number) });
    cli.kill('SIGTERM');
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    const readiness = exit.stdout.split('\n').filter((l) => l.includes('[^Worker]: Readiness:')).map((l) => l.slice(l.indexOf('Readiness:')));
    expect(readiness).toEqual([
      'Readiness: ready (was not ready)',
      'Readiness: degraded (was ready)',
      'Readiness: ready (was degraded)',
      'Readiness: degraded (was ready)',
      'Readiness: ready (was degraded)',
      'Readiness: not ready (was ready)',
    ]);
  });

  it('fails /live for a probe the blocking detector’s stall held up, naming the stall; live again a timeout later', async () => {
    const cli = startCli(['run', PROBES, '--health-port', '0', '--blocking-timeout', '300ms'], { env: { BLOCK_AFTER_MS: '200', BLOCK_MS: '1500' } });
    const port = healthPortOf(await cli.waitFor('Started in'));
    expect(await probe(port, '/live')).toEqual({ status: 200, body: 'live\n' });
    // Written by the watchdog thread while the main thread is still blocked.
    await cli.waitFor('Blocking detected', { stream: 'stderr' });
    const [live, status] = await Promise.all([probe(port, '/live'), probe(port, '/status')]);
    const blockEnd = BigInt(/BLOCK END (\d+)/.exec(cli.stdout)![1]!);
    expect(live.status).toBe(503);
    expect(live.body).toMatch(/^blocked: the event loop did not turn for 1\.\d\ds \(blocking timeout 300ms\), (until just now|[\d.]+ms ago)\n$/);
    expect(JSON.parse(status.body)).toMatchObject({ live: false, readiness: 'ready', loopStall: expect.stringMatching(/^the event loop did not turn for 1\.\d\ds/) });
    // Live again once a blocking timeout has passed since the loop turned again.
    let again: number | undefined;
    for (let i = 0; i < 100 && again === undefined; i++) {
      if ((await probe(port, '/live')).status === 200) again = Number(process.hrtime.bigint() - blockEnd) / 1e6;
      else await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(again).toBeGreaterThanOrEqual(300);
    cli.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);
  });

  it('prints the shutdown budget, and warns when drain + shutdown timeout do not fit in the grace period', async () => {
    const fits = startCli(['run', PROBES, '--drain', '5s', '--shutdown-timeout', '20s'], {});
    await fits.waitFor('Started in');
    fits.kill('SIGTERM');
    const calm = await fits.exited;
    expect(calm.stdout).toContain('[^Worker]: Shutdown budget: drain 5s + shutdown timeout 20s = 25s of a 30s grace period (5s to spare)');
    expect(calm.stdout).not.toContain('WARNING');

    const tight = startCli(['run', PROBES, '--drain', '1s', '--shutdown-timeout', '29s']);
    await tight.waitFor('Started in');
    tight.kill('SIGINT');
    const warned = await tight.exited;
    expect(warned.stdout).toContain('[^Worker]: Shutdown budget: drain 1s + shutdown timeout 29s = 30s of a 30s grace period (0s to spare)');
    expect(warned.stdout).toMatch(
      /WARNING\]: \[\^Worker\]: Drain 1s \+ shutdown timeout 29s leaves less than 2s of the 30s grace period: the orchestrator's SIGKILL would come before the Worker can name a hung service\. Either lower --shutdown-timeout to 27s, or raise the grace period to 32s \(terminationGracePeriodSeconds: 32, or TimeoutStopSec=32\) and pass --grace-period 32s\./,
    );
    expect(warned.code).toBe(0);
  });

  it('refuses a health port in use with exit status 2 and a message naming the port', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as { port: number }).port;
    try {
      const exit = await runCli(['run', PROBES, '--health-port', String(port)]);
      expect(exit.code).toBe(2);
      expect(exit.stdout).toContain(`Cannot serve health checks on 127.0.0.1:${port}: the port is in use. Choose another --health-port (0 picks a free one) or --health-host.`);
      expect(exit.stdout).not.toContain('API STARTED');
    } finally {
      blocker.close();
    }
  });

  it('rejects bad production options with exit status 2', async () => {
    const bad = [
      [['--health-port', 'http'], '--health-port needs a port number from 0 to 65535'],
      [['--health-port', '70000'], '--health-port needs a port number from 0 to 65535'],
      [['--drain', 'soon'], 'soon'],
      [['--grace-period', '30'], '30'],
    ] as const;
    for (const [args, message] of bad) {
      const exit = await runCli(['run', PROBES, ...args]);
      expect({ args, code: exit.code }).toEqual({ args, code: 2 });
      expect(exit.stderr + exit.stdout).toContain(message);
    }
    const env = await runCli(['run', PROBES], { env: { MODE_HEALTH_PORT: 'x' } });
    expect(env.code).toBe(2);
  });
});
