// `mode-di plan` through the real CLI: the plan of the tutorial, JSON, each plan error with its exit status, and durations from an earlier run.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runCli, startCli } from './harness.js';

const TUTORIAL_PLAN = `4 service(s), 2 wave(s)

wave 1: Websockets, UserCache, Webserver
wave 2: AppService

order: Websockets, UserCache, Webserver, AppService
critical path: Websockets -> AppService
no start durations recorded yet: \`mode-di run\` records them, and the critical path is then weighted by them
`;

/** A compile cache of its own, so no earlier run's durations are found. */
const freshCache = () => ({ MODE_DI_CACHE_DIR: mkdtempSync(join(tmpdir(), 'mode-di-plan-cache-')) });
/** The cache of the specs that never run an app. */
const planOnly = freshCache();

describe('mode-di plan', () => {
  it('prints the waves, the order and the critical path without creating or starting anything', async () => {
    const exit = await runCli(['plan', 'samples/tutorial/app.module.ts'], { env: planOnly });
    expect(exit.stderr).toBe('');
    expect(exit.code).toBe(0);
    // The Websockets service prints when it starts: nothing did.
    expect(exit.stdout).toBe(TUTORIAL_PLAN);
  });

  it('plans a Mode-style module from the children its root owns', async () => {
    const exit = await runCli(['plan', 'samples/tutorial/mode-style.ts'], { env: planOnly });
    expect(exit.code).toBe(0);
    expect(exit.stdout).toBe(TUTORIAL_PLAN);
  });

  it('prints JSON for tools with --json', async () => {
    const exit = await runCli(['plan', 'samples/tutorial/app.module.ts', '--json'], { env: planOnly });
    expect(exit.code).toBe(0);
    const report = JSON.parse(exit.stdout);
    expect(report).toMatchObject({
      waves: [['Websockets', 'UserCache', 'Webserver'], ['AppService']],
      order: ['Websockets', 'UserCache', 'Webserver', 'AppService'],
      criticalPath: ['Websockets', 'AppService'],
      criticalPathWeight: 2,
    });
    expect(report.services[0]).toEqual({
      label: 'AppService',
      dependencies: [
        { label: 'Websockets', via: 'constructor parameter #0', kind: 'injected', index: 1 },
        { label: 'UserCache', via: 'constructor parameter #1', kind: 'injected', index: 2 },
        { label: 'Webserver', via: 'constructor parameter #2', kind: 'injected', index: 3 },
      ],
      hooks: ['onStart'],
      kind: 'Instance',
      scope: 'Singleton',
      hasLifecycle: true,
    });
    expect(report).not.toHaveProperty('estimate');
  });

  it('orders a toDynamicValue binding by its declared dependencies', async () => {
    const exit = await runCli(['plan', fixture('dynamic-declared.module.ts'), '--json'], { env: planOnly });
    expect(exit.code).toBe(0);
    const report = JSON.parse(exit.stdout);
    expect(report.order).toEqual(['Database', 'report', 'App']);
    expect(report.services[1].dependencies).toEqual([{ label: 'Database', via: 'the dependencies option', kind: 'declared', index: 2 }]);
  });

  it('weighs the critical path by the start durations an earlier run recorded, and estimates the start time', async () => {
    const env = freshCache();
    const before = await runCli(['plan', fixture('timed.module.ts')], { env });
    expect(before.code).toBe(0);
    // Unweighted, the first of two equal chains.
    expect(before.stdout).toContain('critical path: Fast -> Top\nno start durations recorded yet');

    const run = startCli(['run', fixture('timed.module.ts')], { env });
    await run.waitFor('Started in');
    run.kill('SIGINT');
    expect((await run.exited).code).toBe(0);

    const after = await runCli(['plan', fixture('timed.module.ts')], { env });
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('critical path: Slow -> Top\n');
    const estimate = /estimated start: (\d+)ms \(the critical path; (\d+)ms one at a time\), from start durations recorded \d{4}-\d\d-\d\dT/.exec(after.stdout);
    expect(estimate).not.toBeNull();
    const [startMs, sequentialMs] = [Number(estimate![1]), Number(estimate![2])];
    expect(startMs).toBeGreaterThanOrEqual(150);
    expect(sequentialMs).toBeGreaterThanOrEqual(startMs + 10);

    const json = JSON.parse((await runCli(['plan', fixture('timed.module.ts'), '--json'], { env })).stdout);
    expect(json.criticalPath).toEqual(['Slow', 'Top']);
    expect(json.estimate).toMatchObject({ unmeasured: [] });
    expect(json.estimate.startMs).toBe(json.criticalPathWeight);
  });
});

describe('mode-di plan: errors exit 2 and name the chain', () => {
  const cases = [
    { name: 'a cycle', module: 'cycle.module.ts', message: 'mode-di: Dependency cycle: Reports -> Ledger -> Reports. Reports needs Ledger through constructor parameter #0; Ledger needs Reports through @dependsOn. Services must form a DAG' },
    { name: 'a missing binding', module: 'missing-binding.module.ts', message: 'mode-di: No binding for Payments, needed by App -> Billing -> Payments (constructor parameter #0). Bind it in a ContainerModule' },
    { name: 'a scope error', module: 'transient.module.ts', message: 'mode-di: Poller has lifecycle hooks but is bound in Transient scope' },
    {
      name: 'a toDynamicValue binding with no declared dependencies',
      module: 'dynamic-value.module.ts',
      message:
        "mode-di: report (toDynamicValue, needed by App -> report) makes its value in code, so the graph cannot see what it gets from the container and cannot start that first. Declare what it needs in the Application's dependencies option",
    },
  ];
  for (const { name, module, message } of cases) {
    it(`reports ${name}`, async () => {
      const exit = await runCli(['plan', fixture(module)], { env: planOnly });
      expect(exit.code).toBe(2);
      expect(exit.stdout).toBe('');
      expect(exit.stderr.startsWith(message)).toBe(true);
      expect(exit.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('ends once printed even when the module left a timer running at import', async () => {
    const exit = await runCli(['plan', fixture('import-timer.module.ts')], { env: planOnly });
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('order: Web\n');
  });

  it('reports a top-level await that can never settle', async () => {
    const exit = await runCli(['plan', fixture('tla-never.module.ts')], { env: planOnly });
    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(/its top-level await never settles/);
  });

  it('reports bad usage: no module, an unknown option, a missing file', async () => {
    const none = await runCli(['plan'], { env: planOnly });
    expect([none.code, none.stderr]).toEqual([2, "mode-di: mode-di plan needs the app module, e.g. mode-di plan ./app.module.ts. Run 'mode-di plan --help' for the options.\n"]);
    const unknown = await runCli(['plan', 'samples/tutorial/app.module.ts', '--bogus'], { env: planOnly });
    expect([unknown.code, unknown.stderr]).toEqual([2, "mode-di: Unknown argument: bogus. Run 'mode-di plan --help' for the options.\n"]);
    const missing = await runCli(['plan', 'nope.module.ts'], { env: planOnly });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^mode-di: Cannot load nope\.module\.ts: no such file/);
  });
});
