// `mode-di run` while the app module is still being imported: signals are handled, a dead top-level await is named.
import { describe, expect, it } from 'vitest';
import { fixture, messagesOf, runCli, startCli } from './harness.js';

const SLOW = fixture('slow-import.module.ts');

describe('mode-di run while the module loads', () => {
  it('stops on SIGINT during the import: waits for it, starts nothing, exits 0', async () => {
    const cli = startCli(['run', SLOW], { env: { SLOW_IMPORT_MS: '600' } });
    await cli.waitFor('LOADING', { stream: 'stderr' });
    cli.kill('SIGINT');
    const exit = await cli.exited;
    expect(exit.signal).toBeNull();
    expect(exit.code).toBe(0);
    expect(exit.stderr).toContain('-INT- -INT- -INT- -INT- -INT- -INT-\n');
    expect(exit.stderr).toMatch(/mode-di: SIGINT received while loading .*slow-import\.module\.ts: nothing will start\. Waiting for the import to finish/);
    expect(exit.stderr).toMatch(/LOADED\nmode-di: stopped by SIGINT while loading .*slow-import\.module\.ts; nothing was started\.\n$/);
    expect(messagesOf(exit.stdout)).toEqual([]);
  });

  it('exits 1 at once on a second signal during the import', async () => {
    const cli = startCli(['run', SLOW]);
    await cli.waitFor('LOADING', { stream: 'stderr' });
    cli.kill('SIGTERM');
    await cli.waitFor('Waiting for the import to finish', { stream: 'stderr' });
    const sent = performance.now();
    cli.kill('SIGINT');
    const exit = await cli.exited;
    expect(performance.now() - sent).toBeLessThan(2_000);
    expect(exit.code).toBe(1);
    expect(exit.stderr).toMatch(/mode-di: Second signal \(SIGINT\) while loading .*slow-import\.module\.ts: exiting before anything started\.\n$/);
  });

  it('exits 1 when the shutdown deadline passes during the import', async () => {
    const cli = startCli(['run', SLOW, '--shutdown-timeout', '300ms']);
    await cli.waitFor('LOADING', { stream: 'stderr' });
    cli.kill('SIGHUP');
    const exit = await cli.exited;
    expect(exit.code).toBe(1);
    expect(exit.stderr).toMatch(/mode-di: Shutdown timed out after 300ms while loading .*slow-import\.module\.ts: exiting before anything started\.\n$/);
  });

  it('answers SIGUSR2 during the import with a dump saying it is still loading, then runs', async () => {
    const cli = startCli(['run', SLOW], { env: { SLOW_IMPORT_MS: '800' } });
    await cli.waitFor('LOADING', { stream: 'stderr' });
    cli.kill('SIGUSR2');
    const dump = await cli.waitFor('Active resources:', { stream: 'stderr' });
    expect(dump).toMatch(/mode-di: dump at \d{4}-\d\d-\d\dT[\d:.]+Z \(pid \d+\)\nStill loading .*slow-import\.module\.ts \(for [\d.]+m?s\): no service has been created or started yet\.\nActive resources: .*Timeout/);
    await cli.waitFor('[^Worker]: Started');
    cli.kill('SIGTERM');
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    expect(messagesOf(exit.stdout).at(-1)).toBe('[^Worker]: -Stopped!');
  });

  it('names a module whose top-level await can never settle (exit 2, not 13)', async () => {
    const exit = await runCli(['run', fixture('tla-never.module.ts')]);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(/^mode-di: Cannot load .*tla-never\.module\.ts: its top-level await never settles/);
  });

  it.each(['spec/fixtures/chain.module', 'spec/fixtures/chain.module.js', './spec/fixtures/chain.module.js'])('resolves %s to the .ts file, as the app\'s own imports do', async (entry) => {
    const cli = startCli(['run', entry]);
    await cli.waitFor('[^Worker]: Started');
    cli.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);
  });
});
