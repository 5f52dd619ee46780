// `mode-di run --console-socket|--console-port` and `mode-di console`: a private socket, tokens, answers while the loop is blocked.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConsoleClient } from '../support/console-client.js';
import { BIN, fixture, ROOT, startCli } from './harness.js';

const APP = fixture('console.module.ts');
const WORK = fixture('console-work.module.ts');
const LISTENING = /Console listening on (unix:(\S+)|tcp:\/\/127\.0\.0\.1:(\d+)) /;

describe('mode-di run: the remote console', () => {
  it('serves a unix socket (0600, in a folder created 0700): services, js with app.get, restart in the log; removed at exit', async () => {
    const socket = join(mkdtempSync(join(tmpdir(), 'mode-di-console-')), 'run', 'console.sock');
    const cli = startCli(['run', APP, '--console-socket', socket]);
    await cli.waitFor('[^Worker]: Started');
    expect(cli.stdout).toContain(`[^Worker]: Console listening on unix:${socket} (connect with: mode-di console --socket ${socket})`);
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    expect(statSync(join(socket, '..')).mode & 0o777).toBe(0o700);
    const c = new ConsoleClient({ socket });
    try {
      await c.waitFor('mode-di> ');
      expect(await c.ask('services')).toMatch(/^SERVICE +STATE +RESTARTS +UPTIME +IN FLIGHT\n--Cache +running +0 +[\d.]+m?s +(refresh|-)\n-Api +running +0 +[\d.]+m?s +-\n$/);
      await c.ask('js', 'js> ');
      expect(await c.ask("app.get('cache').size()", 'js> ')).toBe('42\n');
      expect(await c.ask("await Promise.resolve(app.get('cache').size() + 1)", 'js> ')).toBe('43\n');
      await c.ask('.exit');
      expect(await c.ask('restart Cache')).toBe('Restarted Cache.\n');
      await cli.waitFor('[^--Cache]: restarting');
      expect(await c.ask('services')).toMatch(/--Cache +running +1 /);
      expect(await c.ask('graph')).toMatch(/\[\^-Api\] {2}running\n {4}\[\^--Cache\] {2}running, restarted 1×/);
    } finally {
      c.close();
    }
    cli.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);
    expect(existsSync(socket)).toBe(false);
  });

  it('lists the engine’s work in flight with ids, ages and creation stacks; cancels a task; restarts and stops a plain injectable', async () => {
    const socket = join(mkdtempSync(join(tmpdir(), 'mode-di-console-')), 'console.sock');
    const cli = startCli(['run', WORK, '--console-socket', socket]);
    await cli.waitFor('[^Worker]: Started');
    const c = new ConsoleClient({ socket });
    try {
      await c.waitFor('mode-di> ');
      const tasks = await c.ask('tasks');
      const rows = /^ID +SERVICE +NAME +KIND +AGE\n(\d+) +Poller +poll +task +[\d.]+m?s\n(\d+) +Replies +pendingReply +future \(not cancellable\) +[\d.]+m?s\n\n/.exec(tasks);
      expect(rows, tasks).not.toBeNull();
      const [, poll, pending] = rows!;
      expect(tasks).toContain(`${poll} (Poller.poll) created at:\n    at ServiceWork.beginBackground`);
      expect(tasks).toMatch(new RegExp(`${pending} \\(Replies\\.pendingReply\\) created at:\\n {4}at Replies\\.addFuture .*\\n {4}at (Replies\\.)?onStart \\(.*/spec/fixtures/console-work\\.module\\.ts:\\d+:\\d+\\)`));

      expect(await c.ask(`cancel ${poll}`)).toBe(`Cancelled ${poll} (Poller.poll, a task): its signal aborted; Poller keeps running.\n`);
      await cli.waitFor(`POLL ENDED: Poller.poll (work ${poll}) was cancelled; Poller keeps running, and its next start runs it again`);
      expect(await c.ask('tasks')).not.toMatch(/ poll /);
      expect(await c.ask('services')).toMatch(/-Poller +running +0 /);
      expect(await c.ask(`cancel ${pending}`)).toBe(
        `cancel failed: ConsoleError: ${pending} is a future of Replies added as a promise (pendingReply): mode-di can list it but not cancel it, since whoever made the promise settles it. Pass addFuture a function to give it a signal that cancel aborts, or restart Replies.\n`,
      );
      expect(await c.ask('cancel 999999')).toBe('cancel failed: ConsoleError: Nothing in flight has the id "999999" (it may have finished): type tasks for the list.\n');

      // A plain injectable (no Service base class) restarts and stops through the app.
      expect(await c.ask('restart Poller')).toBe('Restarted Poller.\n');
      await cli.waitFor((text) => text.split('POLLER STARTED').length === 3);
      expect(await c.ask('tasks')).toMatch(/\n\d+ +Poller +poll +task /);
      expect(await c.ask('stop Poller')).toBe('Stopped Poller.\n');
      await cli.waitFor((text) => text.split('POLLER STOPPED').length === 3);
      expect(await c.ask('services')).toMatch(/-Poller +shutdown +1 /);
      expect(await c.ask('restart Pollr')).toBe('restart failed: UnknownServiceError: There is no service "Pollr" in this application. Services: Poller, Replies.\n');
    } finally {
      c.close();
    }
    cli.kill('SIGTERM');
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
  });

  it('answers stack, services and tasks while a 2 s busy loop blocks the main thread', async () => {
    const socket = join(mkdtempSync(join(tmpdir(), 'mode-di-console-')), 'console.sock');
    const cli = startCli(['run', APP, '--console-socket', socket, '--blocking-timeout', '0']);
    await cli.waitFor('[^Worker]: Started');
    const busy = new ConsoleClient({ socket });
    const watcher = new ConsoleClient({ socket });
    try {
      await Promise.all([busy.waitFor('mode-di> '), watcher.waitFor('mode-di> ')]);
      await watcher.ask('services'); // the main thread has sent its first snapshot by then
      await busy.ask('js', 'js> ');
      const burnt = busy.waitFor("'burnt'");
      busy.send("app.get('api').burn(2000)");
      await cli.waitFor('BURN START', { stream: 'stderr' });
      // The main thread cannot answer before the loop ends; the console thread can.
      const from = watcher.text.length;
      watcher.send('services').send('tasks');
      const snapshots = await watcher.waitFor((text) => text.split('mode-di> ').length > 2, { from });
      const fromStack = watcher.text.length;
      watcher.send('stack');
      const answered = watcher.waitFor((text) => text.endsWith('mode-di> '), { from: fromStack }).then((stack) => `${snapshots}${stack}`);
      const during = await Promise.race([answered, burnt.then(() => undefined)]);
      expect(during, 'answered before the busy loop ended').toBeDefined();
      const [services, tasks, stack] = during!.split('mode-di> ');
      expect(stack).toMatch(/^Main thread stack:\n {4}at burnCpu \(.*\/spec\/fixtures\/console\.module\.ts:\d+:\d+\)\n {4}at (Api\.)?burn /);
      expect(services).toMatch(/^\(the main thread's event loop has not turned for 1s; `stack` shows where it is; as of [\d.]+s ago:\)\nSERVICE +STATE/);
      expect(services).toContain('--Cache');
      expect(tasks).toMatch(/^\(the main thread's event loop has not turned for 1s;.*\n(ID +SERVICE +NAME +KIND +AGE|Nothing in flight\.)/);
      await burnt;
    } finally {
      busy.close();
      watcher.close();
    }
    cli.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);
  });

  it('serves TCP on 127.0.0.1 with a token printed on stderr: no token or a wrong one is refused; mode-di console connects', async () => {
    const cli = startCli(['run', APP, '--console-port', '0']);
    await cli.waitFor('[^Worker]: Started');
    const port = Number(LISTENING.exec(cli.stdout)![3]);
    const token = /mode-di: console token: (\S+) /.exec(cli.stderr)![1]!;
    expect(cli.stdout).not.toContain(token);
    const wrong = new ConsoleClient({ port }).send('a-wrong-token-of-some-length');
    await wrong.ended;
    expect(wrong.text).toBe('mode-di console: wrong token\n');
    const silent = new ConsoleClient({ port });
    await silent.ended;
    expect(silent.text).toBe('mode-di console: no token within 5s\n');
    // The client from a pipe, its token from the environment.
    const client = spawn(process.execPath, [BIN, 'console', '--port', String(port)], { cwd: ROOT, env: { ...process.env, MODE_CONSOLE_TOKEN: token } });
    let out = '';
    client.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    client.stdin.end('services\nloop\n');
    const code = await new Promise((resolve) => client.on('close', resolve));
    expect(code).toBe(0);
    expect(out).toMatch(/SERVICE +STATE[\s\S]*--Cache +running[\s\S]*Event loop delay: p50 /);
    const refused = spawn(process.execPath, [BIN, 'console', '--port', String(port), '--token', 'not-the-token-either']);
    refused.stdin.end();
    expect(await new Promise((resolve) => refused.on('close', resolve))).toBe(1);
    cli.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);
  });

  it('refuses a socket folder other users can write to (exit 2)', async () => {
    const open = mkdtempSync(join(tmpdir(), 'mode-di-console-'));
    chmodSync(open, 0o777);
    const exit = await startCli(['run', APP, '--console-socket', join(open, 'c.sock')]).exited;
    expect(exit.code).toBe(2);
    expect(exit.stdout).toMatch(/ERROR\]: \[\^Worker\]: Refusing to create the console socket in .*: other users can write to it \(mode 777\)/);
  });

  it('exits within a second of its last service stopping, with the console, a client and the detector running', async () => {
    const socket = join(mkdtempSync(join(tmpdir(), 'mode-di-console-')), 'console.sock');
    const cli = startCli(['run', APP, '--console-socket', socket]);
    await cli.waitFor('[^Worker]: Started');
    const c = new ConsoleClient({ socket });
    await c.waitFor('mode-di> ');
    await c.ask('js', 'js> ');
    cli.kill('SIGTERM');
    await cli.waitFor('[^--Cache]: -Stopped!');
    const stopped = performance.now();
    const exit = await cli.exited;
    expect(performance.now() - stopped).toBeLessThan(1_000);
    expect(exit.code).toBe(0);
    await c.ended;
  });

  it('checks its options: socket or port, host only with a port (exit 2)', async () => {
    const both = await startCli(['run', APP, '--console-socket', 'x.sock', '--console-port', '1']).exited;
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('Give --console-socket or --console-port, not both.');
    const host = await startCli(['run', APP, '--console-host', '0.0.0.0']).exited;
    expect(host.stderr).toContain('--console-host goes with --console-port');
    const client = spawn(process.execPath, [BIN, 'console', '--port', '5'], { env: { ...process.env, MODE_CONSOLE_TOKEN: '' } });
    let err = '';
    client.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    expect(await new Promise((resolve) => client.on('close', resolve))).toBe(2);
    expect(err).toContain('mode-di console --port needs the token the app printed at start');
  });
});
