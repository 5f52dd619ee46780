// The Kubernetes and systemd samples' numbers, checked against the Worker's shutdown budget, and run with the manifest's own settings.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shutdownBudget } from '../../lib/health/budget.js';
import { parseDuration } from '../../lib/index.js';
import { ROOT, startCli } from '../cli/harness.js';
import { healthPortOf, probe } from '../health/http.js';
import { type SpecRedis, specRedis } from './redis.js';

const deployment = readFileSync(join(ROOT, 'samples/kubernetes/page-view-cache.yaml'), 'utf8');
const unit = readFileSync(join(ROOT, 'samples/systemd/page-view-cache.service'), 'utf8');

/** The container's environment, as the manifest sets it (`- { name: X, value: "Y" }`). */
const containerEnv = Object.fromEntries([...deployment.matchAll(/- \{ name: (\w+), value: "([^"]*)" \}/g)].map((m) => [m[1]!, m[2]!]));
const field = (text: string, pattern: RegExp) => pattern.exec(text)?.[1];

let redis: SpecRedis;
beforeAll(async () => {
  redis = await specRedis();
});
afterAll(async () => {
  await redis?.stop();
});

describe('samples/kubernetes', () => {
  it('fits drain + shutdown timeout in terminationGracePeriodSeconds, with the margin, and declares that grace period to the Worker', () => {
    const gracePeriodMs = Number(field(deployment, /terminationGracePeriodSeconds: (\d+)/)) * 1_000;
    const budget = shutdownBudget({ drainMs: parseDuration(containerEnv['MODE_DRAIN']!), shutdownTimeoutMs: parseDuration(containerEnv['MODE_SHUTDOWN_TIMEOUT']!), gracePeriodMs });
    expect(budget).toMatchObject({ drainMs: 5_000, shutdownTimeoutMs: 20_000, gracePeriodMs: 30_000, fits: true });
    expect(parseDuration(containerEnv['MODE_GRACE_PERIOD']!)).toBe(gracePeriodMs);
  });

  it('probes the Worker\'s health port: /startup, /ready, /live', () => {
    expect(containerEnv['MODE_HEALTH_PORT']).toBe('8081');
    expect(containerEnv['MODE_HEALTH_HOST']).toBe('0.0.0.0');
    for (const [probe, path] of [['startupProbe', '/startup'], ['readinessProbe', '/ready'], ['livenessProbe', '/live']]) {
      expect(deployment).toMatch(new RegExp(`${probe}:\\n\\s+httpGet: \\{ path: ${path}, port: health \\}`));
    }
    expect(deployment).toMatch(/- \{ name: health, containerPort: 8081 \}/);
    expect(deployment).not.toMatch(/preStop/);
    expect(field(deployment, /command: \[("node")/)).toBe('"node"');
  });

  it('runs with the manifest\'s settings: the budget line it prints, no warning, and probes that answer', async () => {
    // The manifest's environment, with local addresses and free ports.
    const env = { ...containerEnv, REDIS_URL: redis.url, PORT: '0', HOST: '127.0.0.1', MODE_HEALTH_PORT: '0', MODE_HEALTH_HOST: '127.0.0.1', MODE_LOG_FORMAT: 'text' };
    const cli = startCli(['run', 'samples/page-view-cache/app.module.ts'], { env });
    const port = healthPortOf(await cli.waitFor('Started in'));
    expect(await Promise.all(['/startup', '/ready', '/live'].map(async (path) => (await probe(port, path)).status))).toEqual([200, 200, 200]);
    cli.kill('SIGKILL'); // only the start-up is of interest here
    const { stdout } = await cli.exited;
    expect(stdout).toContain('[^Worker]: Shutdown budget: drain 5s + shutdown timeout 20s = 25s of a 30s grace period (5s to spare)');
    expect(stdout).toContain('[^Worker]: Health checks on http://127.0.0.1:');
    expect(stdout).not.toContain('WARNING');
  });
});

describe('samples/systemd', () => {
  it('is a Type=notify unit whose TimeoutStopSec is the declared grace period and fits the shutdown timeout', () => {
    expect(unit).toMatch(/^Type=notify$/m);
    expect(unit).toMatch(/^NotifyAccess=all$/m);
    const execStart = field(unit, /^ExecStart=(.+)$/m)!;
    const shutdownTimeoutMs = parseDuration(field(execStart, /--shutdown-timeout (\S+)/)!);
    const gracePeriodMs = parseDuration(field(execStart, /--grace-period (\S+)/)!);
    expect(Number(field(unit, /^TimeoutStopSec=(\d+)$/m)) * 1_000).toBe(gracePeriodMs);
    expect(shutdownBudget({ drainMs: 0, shutdownTimeoutMs, gracePeriodMs }).fits).toBe(true);
    // Pinged every half WatchdogSec; longer than the blocking detector's 10 s, so a stall is logged before the kill.
    expect(Number(field(unit, /^WatchdogSec=(\d+)$/m))).toBeGreaterThan(10);
  });

  const analyze = spawnSync('systemd-analyze', ['--version']);
  it.runIf(!analyze.error)('passes systemd-analyze verify', () => {
    const result = spawnSync('systemd-analyze', ['verify', join(ROOT, 'samples/systemd/page-view-cache.service')], { encoding: 'utf8' });
    expect(result.stderr.split('\n').filter((line) => line && !/Failed to .*(WorkingDirectory|chdir)|No such file/.test(line))).toEqual([]);
  });
});
