// The shutdown budget (drain + deadline within the grace period), the npm-as-PID-1 warning, and the options' checks.
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fixture, ROOT } from '../cli/harness.js';
import { budgetWarning, describeBudget, npmAsPid1Warning, shutdownBudget } from '../../lib/health/budget.js';
import { resolveHealthOptions } from '../../lib/health/options.js';
import { UsageError } from '../../lib/index.js';

describe('shutdownBudget', () => {
  it('fits when drain + shutdown timeout leave at least 2s of the grace period', () => {
    expect(shutdownBudget({ drainMs: 5_000, shutdownTimeoutMs: 20_000, gracePeriodMs: 30_000 })).toMatchObject({ spareMs: 5_000, fits: true });
    expect(shutdownBudget({ drainMs: 8_000, shutdownTimeoutMs: 20_000, gracePeriodMs: 30_000 })).toMatchObject({ spareMs: 2_000, fits: true });
    expect(shutdownBudget({ drainMs: 8_001, shutdownTimeoutMs: 20_000, gracePeriodMs: 30_000 }).fits).toBe(false);
    expect(shutdownBudget({ drainMs: 0, shutdownTimeoutMs: 30_000, gracePeriodMs: 30_000 }).fits).toBe(false); // the defaults
    expect(shutdownBudget({ drainMs: 0, shutdownTimeoutMs: 0, gracePeriodMs: 30_000 })).toMatchObject({ spareMs: -Infinity, fits: false });
  });

  it('describes itself in one line', () => {
    expect(describeBudget(shutdownBudget({ drainMs: 5_000, shutdownTimeoutMs: 20_000, gracePeriodMs: 30_000 }))).toBe('Shutdown budget: drain 5s + shutdown timeout 20s = 25s of a 30s grace period (5s to spare)');
    expect(describeBudget(shutdownBudget({ drainMs: 1_500, shutdownTimeoutMs: 0, gracePeriodMs: 30_000 }))).toBe('Shutdown budget: drain 1.50s + shutdown timeout none (waits forever) of a 30s grace period (no deadline)');
  });

  it('warns with the fix when it does not fit, and stays quiet when it does', () => {
    expect(budgetWarning(shutdownBudget({ drainMs: 5_000, shutdownTimeoutMs: 20_000, gracePeriodMs: 30_000 }))).toBeUndefined();
    expect(budgetWarning(shutdownBudget({ drainMs: 0, shutdownTimeoutMs: 30_000, gracePeriodMs: 30_000 }))).toBe(
      "Drain 0s + shutdown timeout 30s leaves less than 2s of the 30s grace period: the orchestrator's SIGKILL would come before the Worker can name a hung service. Either lower --shutdown-timeout to 28s, or raise the grace period to 32s (terminationGracePeriodSeconds: 32, or TimeoutStopSec=32) and pass --grace-period 32s.",
    );
    expect(budgetWarning(shutdownBudget({ drainMs: 40_000, shutdownTimeoutMs: 10_000, gracePeriodMs: 30_000 }))).toMatch(/^Drain 40s \+ shutdown timeout 10s .* Either raise the grace period to 52s/);
    expect(budgetWarning(shutdownBudget({ drainMs: 5_000, shutdownTimeoutMs: 0, gracePeriodMs: 30_000 }))).toMatch(/^No shutdown timeout \(--shutdown-timeout 0\) with a 30s grace period: .* Set --shutdown-timeout to at most 23s\.$/);
  });
});

describe('npmAsPid1Warning', () => {
  it('warns when PID 1 is npm or npx, however they were started', () => {
    for (const cmdline of ['npm\0start\0', '/usr/local/bin/npx\0mode-di\0run\0app.ts\0', 'node\0/usr/lib/node_modules/npm/bin/npm-cli.js\0start\0', 'node\0/usr/lib/node_modules/npm/bin/npx-cli.js\0mode-di\0', 'npm exec mode-di run spec/app.ts          ']) {
      expect(npmAsPid1Warning(cmdline, 7)).toMatch(/^PID 1 is np[mx], which does not forward SIGTERM: .* Run node as PID 1 instead, e\.g\. CMD \["node", "node_modules\/mode-di\/dist\/cli\/bin\.js", "run", "app\.module\.js"\]/);
    }
  });

  it('is quiet for any other PID 1, when this process is PID 1, or when PID 1 cannot be read', () => {
    expect(npmAsPid1Warning('/sbin/init\0', 7)).toBeUndefined();
    expect(npmAsPid1Warning('node\0server.js\0', 7)).toBeUndefined();
    expect(npmAsPid1Warning('/usr/bin/tini\0--\0npm\0start\0', 7)).toBeUndefined(); // tini forwards signals
    expect(npmAsPid1Warning('npm\0start\0', 1)).toBeUndefined();
    expect(npmAsPid1Warning(undefined, 7)).toBeUndefined();
  });
});

describe('resolveHealthOptions', () => {
  it('applies the defaults: no endpoint, loopback, no drain, a 30s grace period', () => {
    expect(resolveHealthOptions({})).toEqual({ healthPort: undefined, healthHost: '127.0.0.1', drainMs: 0, gracePeriodMs: 30_000, declared: false });
    expect(resolveHealthOptions({ healthPort: 0, drain: '5s', gracePeriod: '1m', healthHost: '0.0.0.0' })).toEqual({ healthPort: 0, healthHost: '0.0.0.0', drainMs: 5_000, gracePeriodMs: 60_000, declared: true });
  });

  it('rejects bad values with a UsageError naming the option', () => {
    expect(() => resolveHealthOptions({ healthPort: -1 })).toThrow(UsageError);
    expect(() => resolveHealthOptions({ healthPort: 1.5 })).toThrow(/Invalid healthPort 1\.5: use a port number from 0 to 65535/);
    expect(() => resolveHealthOptions({ healthHost: ' ' })).toThrow(/The healthHost option needs an address/);
    // @ts-expect-error: not a duration, a type error too (this checks the run-time check, for JavaScript and text from outside)
    expect(() => resolveHealthOptions({ drain: 'later' })).toThrow(/later/);
    expect(() => resolveHealthOptions({ gracePeriod: 0 })).toThrow(/Invalid gracePeriod 0/);
  });
});

describe('npm as PID 1, for real', () => {
  // A new PID namespace makes npx its PID 1, as `CMD ["npx", "mode-di", "run", …]` does in a container.
  const canUnshare = spawnSync('unshare', ['-fp', '--mount-proc', 'true']).status === 0;
  it.runIf(canUnshare)('warns at start-up when the Worker runs behind npx as PID 1', async () => {
    // Its own process group, so the whole namespace (npx, the Worker) is killed at the end.
    const child = spawn('unshare', ['-fp', '--mount-proc', '--kill-child=SIGKILL', 'npx', '--no-install', 'mode-di', 'run', fixture('probes.module.ts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    let stdout = '';
    child.stdout.setEncoding('utf8');
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: string) => {
          stdout += chunk;
          if (stdout.includes('Started in')) resolve();
        });
        child.on('exit', () => reject(new Error(`exited before starting:\n${stdout}`)));
      });
    } finally {
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
    }
    expect(stdout).toMatch(/WARNING\]: \[\^Worker\]: PID 1 is npm, which does not forward SIGTERM/);
    expect(stdout.indexOf('PID 1 is npm')).toBeLessThan(stdout.indexOf('[^Worker]: Starting...'));
  });
});
