// `mode-di run --watch` end to end: an edit of an imported file stops the app and starts the new code in a new process; signals end it cleanly.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliProcess, messagesOf, ROOT, runCli, startCli } from './harness.js';

const APP = `
import { ContainerModule, injectable } from 'inversify';
import { logFor, onStart, onStop } from 'mode-di';
import { greeting } from './greeting.js';

@injectable()
export class Greeter {
  readonly log = logFor(this);
  @onStart() hello() { this.log.info('%s from pid %d', greeting, process.pid); }
  @onStop() bye() { this.log.info('bye from pid %d', process.pid); }
}

export default new ContainerModule(({ bind }) => { bind(Greeter).toSelf().inSingletonScope(); });
`;

/** A project in a temporary folder: the app module, the file it imports, and node_modules reaching this repository's packages. */
function project(): { dir: string; app: string; greeting: (text: string) => void } {
  const dir = mkdtempSync(join(tmpdir(), 'mode-di-watch-'));
  mkdirSync(join(dir, 'node_modules'));
  for (const name of ['inversify', '@inversifyjs', 'reflect-metadata']) symlinkSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name));
  symlinkSync(ROOT, join(dir, 'node_modules', 'mode-di'));
  writeFileSync(join(dir, 'app.module.ts'), APP);
  const greeting = (text: string) => writeFileSync(join(dir, 'greeting.ts'), `export const greeting = ${JSON.stringify(text)};\n`);
  greeting('hello v1');
  return { dir, app: join(dir, 'app.module.ts'), greeting };
}

/** The pids the app logged with `text`, in order. */
function pidsOf(stdout: string, text: string): number[] {
  return messagesOf(stdout).flatMap((m) => {
    const found = new RegExp(`\\]: ${text} from pid (\\d+)$`).exec(m);
    return found ? [Number(found[1])] : [];
  });
}

/** Whether any process of the group led by `pid` (the watcher and the app it started) still exists. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function watchRun(dir: string, app: string): CliProcess {
  return startCli(['run', app, '--watch'], { cwd: dir, detached: true });
}

describe('mode-di run --watch', () => {
  it('stops the app and starts the edited code in a new process when an imported file changes; SIGINT exits 0', async () => {
    const { dir, app, greeting } = project();
    const cli = watchRun(dir, app);
    await cli.waitFor(/hello v1 from pid \d+\n[^]*Started in/);
    greeting('hello v2');
    await cli.waitFor('greeting.ts changed: restarting.', { stream: 'stderr' });
    await cli.waitFor(/hello v2 from pid \d+\n[^]*Started in[^]*$/);
    const [first, second] = pidsOf(cli.stdout, 'hello v[12]');
    expect(first).not.toBe(second);
    // The first process stopped gracefully (its stop hook ran) before the new one started.
    const m = messagesOf(cli.stdout);
    const bye = m.findIndex((x) => x.endsWith(`bye from pid ${first}`));
    expect(bye).toBeGreaterThan(-1);
    expect(bye).toBeLessThan(m.findIndex((x) => x.includes('hello v2')));
    expect(m.filter((x) => x === '[^Worker]: -Stopped!')).toHaveLength(1);
    cli.kill('SIGINT');
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    expect(pidsOf(exit.stdout, 'bye')).toEqual([first, second]);
    expect(messagesOf(exit.stdout).at(-1)).toBe('[^Worker]: -Stopped!');
    expect(groupAlive(cli.child.pid!)).toBe(false);
    // The compile cache and the mirror written under --watch hold the edited code: a plain run starts it.
    const plain = startCli(['run', app], { cwd: dir });
    await plain.waitFor('Started in');
    plain.kill('SIGTERM');
    expect((await plain.exited).stdout).toContain('hello v2 from pid');
  }, 60_000);

  it('keeps watching a folder that is removed and made again (a branch switch)', async () => {
    const { dir, app } = project();
    const lib = join(dir, 'lib');
    const say = (text: string) => writeFileSync(join(lib, 'greeting.ts'), `export const greeting = ${JSON.stringify(text)};\n`);
    mkdirSync(lib);
    say('hello v1');
    writeFileSync(app, APP.replace("'./greeting.js'", "'./lib/greeting.js'"));
    const cli = watchRun(dir, app);
    await cli.waitFor(/hello v1 from pid \d+\n[^]*Started in/);
    rmSync(lib, { recursive: true });
    mkdirSync(lib);
    say('hello v2');
    await cli.waitFor(/hello v2 from pid \d+\n[^]*Started in[^]*$/);
    await cli.waitFor('mode-di: watching lib again (it was removed and made again).', { stream: 'stderr' });
    // The folder made again is watched: the next edit restarts the app too.
    say('hello v3');
    await cli.waitFor(/hello v3 from pid \d+\n[^]*Started in[^]*$/);
    cli.kill('SIGINT');
    expect((await cli.exited).code).toBe(0);
  });

  it('waits for a fix when the edited code cannot load, then starts it; Ctrl-C (the whole group) exits 0', async () => {
    const { dir, app, greeting } = project();
    const cli = watchRun(dir, app);
    await cli.waitFor('Started in');
    writeFileSync(join(dir, 'greeting.ts'), 'export const greeting = ;\n');
    await cli.waitFor('the app exited with status 2; it starts again when a file changes.', { stream: 'stderr' });
    greeting('hello v3');
    await cli.waitFor(/hello v3 from pid \d+\n[^]*Started in[^]*$/);
    // As a terminal's Ctrl-C does: SIGINT to the watcher and the app at once.
    process.kill(-cli.child.pid!, 'SIGINT');
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    expect(exit.stderr).not.toContain('forcing exit');
    expect(groupAlive(cli.child.pid!)).toBe(false);
  }, 60_000);

  it('stops the app on SIGTERM and exits with its status, leaving no process behind', async () => {
    const { dir, app } = project();
    const cli = watchRun(dir, app);
    await cli.waitFor('Started in');
    cli.kill('SIGTERM');
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    expect(messagesOf(exit.stdout)).toContain('[^Worker]: Signal received: SIGTERM');
    expect(groupAlive(cli.child.pid!)).toBe(false);
  }, 30_000);

  it('stops the app gracefully when the watcher is killed outright', async () => {
    const { dir, app } = project();
    const cli = watchRun(dir, app);
    await cli.waitFor('Started in');
    const [pid] = pidsOf(cli.stdout, 'hello v1');
    cli.kill('SIGKILL');
    await cli.exited;
    // The app noticed its watcher was gone and stopped as on SIGTERM (its output is the watcher's pipe, now closed).
    await until(() => !isAlive(pid!));
    expect(groupAlive(cli.child.pid!)).toBe(false);
  }, 30_000);

  it('refuses a missing module before starting anything (status 2)', async () => {
    const exit = await runCli(['run', 'no/such/app.module.ts', '--watch']);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(/no\/such\/app\.module\.ts/);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once `check()` holds (polled: a process ending elsewhere has no event to wait on here). */
async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
