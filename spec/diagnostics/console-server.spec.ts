// The remote console server: a private unix socket, TCP with a token, the connection limit, and the commands over a ConsoleHost.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConsoleHost } from '../../lib/diagnostics/console-host.js';
import { ConsoleServer } from '../../lib/diagnostics/console-server.js';
import { ConsoleError } from '../../lib/diagnostics/errors.js';
import type { ServiceNode } from '../../lib/index.js';
import { ConsoleClient } from '../support/console-client.js';
import { failOnUnhandledRejections } from '../support/unhandled.js';

failOnUnhandledRejections();

const node = (label: string, depth: number, inFlight: string[] = []): ServiceNode => ({ label, state: 'running', instance: undefined, hasLifecycle: true, mundaneLevel: 'info', depth, restartCount: 1, startDurationMs: 1, crashReason: undefined, inFlight });

function fakeHost(overrides: Partial<ConsoleHost> = {}): ConsoleHost & { restarted: string[] } {
  const restarted: string[] = [];
  const services = [node('App', 1), node('Cache', 2, ['refresh'])];
  return {
    restarted,
    app: { answer: 42 },
    services: () => services,
    uptimeOf: (s) => (s.label === 'App' ? 90_000 : undefined),
    graph: () => '[^Worker]\n  [^-App]  running',
    tasks: () => [{ id: 'Cache:refresh', service: 'Cache', name: 'refresh', kind: 'background', ageMs: 1_500, stack: '    at Cache.refresh (cache.ts:3:5)' }],
    restart: async (label) => {
      if (label !== 'Cache') throw new ConsoleError(`There is no service "${label}".`);
      restarted.push(label);
    },
    stop: async () => {},
    loopDelay: () => ({ p50: 0.2, p90: 0.5, p99: 2, max: 12, mean: 0.3, samples: 100, sinceMs: 2_000 }),
    dump: () => 'the dump',
    ...overrides,
  };
}

const servers: ConsoleServer[] = [];
const clients: ConsoleClient[] = [];
afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});
function serve(options: ConstructorParameters<typeof ConsoleServer>[1], host: ConsoleHost = fakeHost()): ConsoleServer {
  const server = new ConsoleServer(host, options);
  servers.push(server);
  return server;
}
function client(target: { socket: string } | { port: number }): ConsoleClient {
  const c = new ConsoleClient(target);
  clients.push(c);
  return c;
}
const portOf = (address: string) => Number(address.slice(address.lastIndexOf(':') + 1));

describe('ConsoleServer on a unix socket', () => {
  it('creates its folder 0700 and the socket 0600, answers commands, and removes the socket when stopped', async () => {
    const socket = join(mkdtempSync(join(tmpdir(), 'mode-di-console-')), 'run', 'console.sock');
    const host = fakeHost();
    const server = serve({ socket }, host);
    expect(await server.start()).toBe(`unix:${socket}`);
    expect(statSync(join(socket, '..')).mode & 0o777).toBe(0o700);
    expect(statSync(socket).isSocket()).toBe(true);
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    const c = client({ socket });
    await c.waitFor(/type help\nmode-di> $/);
    expect(await c.ask('help')).toContain('restart <service>');
    expect(await c.ask('services')).toMatch(/^SERVICE +STATE +RESTARTS +UPTIME +IN FLIGHT\n-App +running +1 +1\.50m +-\n--Cache +running +1 +- +refresh\n$/);
    expect(await c.ask('tasks')).toMatch(/^ID +SERVICE +NAME +KIND +AGE\nCache:refresh +Cache +refresh +background +1\.50s\n\nCache:refresh \(Cache\.refresh\) created at:\n {4}at Cache\.refresh \(cache\.ts:3:5\)\n$/);
    expect(await c.ask('graph')).toBe('[^Worker]\n  [^-App]  running\n');
    expect(await c.ask('loop')).toBe('Event loop delay: p50 0.2ms, p90 0.5ms, p99 2ms, max 12ms (100 samples over 2.00s)\n');
    expect(await c.ask('dump')).toBe('the dump\n');
    expect(await c.ask('restart Cache')).toBe('Restarted Cache.\n');
    expect(host.restarted).toEqual(['Cache']);
    expect(await c.ask('restart Nope')).toBe('restart failed: ConsoleError: There is no service "Nope".\n');
    expect(await c.ask('restart')).toBe('restart needs a service label, e.g. restart App\n');
    expect(await c.ask('cancel Cache:refresh')).toMatch(/^cancel is not available: this app keeps no registry of its tasks/);
    expect(await c.ask('frobnicate')).toBe('Unknown command "frobnicate": type help for the list.\n');
    expect(await c.ask('stack')).toMatch(/^The main thread is idle|^Main thread stack:/);
    await server.stop();
    expect(existsSync(socket)).toBe(false);
    await c.ended;
  });

  it('runs a JavaScript REPL with app in scope and top-level await, then returns to the commands', async () => {
    const socket = join(mkdtempSync(join(tmpdir(), 'mode-di-console-')), 'c.sock');
    await serve({ socket }).start();
    const c = client({ socket });
    await c.waitFor('mode-di> ');
    await c.ask('js', 'js> ');
    expect(await c.ask('app.answer + (await Promise.resolve(1))', 'js> ')).toBe('43\n');
    expect(await c.ask('throw new Error("boom")', 'js> ')).toContain('Uncaught Error: boom');
    await c.ask('.exit');
    expect(await c.ask('graph')).toContain('[^-App]');
  });

  it('uses a cancel the host provides', async () => {
    const socket = join(mkdtempSync(join(tmpdir(), 'mode-di-console-')), 'c.sock');
    await serve({ socket }, fakeHost({ cancel: async (id) => `Cancelled ${id}.` })).start();
    const c = client({ socket });
    await c.waitFor('mode-di> ');
    expect(await c.ask('cancel Cache:refresh')).toBe('Cancelled Cache:refresh.\n');
  });

  it('refuses a folder other users can write to, and a socket another process serves; replaces a stale one', async () => {
    const open = mkdtempSync(join(tmpdir(), 'mode-di-console-'));
    chmodSync(open, 0o777);
    await expect(serve({ socket: join(open, 'c.sock') }).start()).rejects.toThrow(/Refusing to create the console socket in .*: other users can write to it \(mode 777\)/);
    const dir = mkdtempSync(join(tmpdir(), 'mode-di-console-'));
    const path = join(dir, 'c.sock');
    const other = createServer().listen(path);
    await new Promise((resolve) => other.once('listening', resolve));
    await expect(serve({ socket: path }).start()).rejects.toThrow(/is in use by another process/);
    other.close();
    // A socket file nobody listens on any more (its process was killed): replaced.
    const stale = join(dir, 'stale.sock');
    const dead = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(stale)}, () => console.log('up'))`]);
    await new Promise((resolve) => dead.stdout.once('data', resolve));
    dead.kill('SIGKILL');
    await new Promise((resolve) => dead.once('close', resolve));
    expect(statSync(stale).isSocket()).toBe(true);
    expect(await serve({ socket: stale }).start()).toBe(`unix:${stale}`);
    const file = join(dir, 'plain');
    writeFileSync(file, 'x');
    await expect(serve({ socket: file }).start()).rejects.toThrow(/a file that is not a socket is there/);
  });
});

describe('ConsoleServer on TCP', () => {
  it('listens on 127.0.0.1 and wants its token first', async () => {
    const server = serve({ port: 0, authTimeout: '300ms' });
    const address = await server.start();
    expect(address).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(server.token).toMatch(/^[\w-]{24}$/);
    expect(server.exposed).toBe(false);
    const port = portOf(address);
    const good = client({ port }).send(server.token!);
    await good.waitFor(/type help\nmode-di> $/);
    expect(await good.ask('graph')).toContain('[^-App]');
    const wrong = client({ port }).send('not-the-token-at-all');
    await wrong.ended;
    expect(wrong.text).toBe('mode-di console: wrong token\n');
    const silent = client({ port });
    await silent.ended;
    expect(silent.text).toBe('mode-di console: no token within 0.3s\n');
    const late = client({ port });
    await late.waitFor('no token');
    late.send(server.token!);
    await late.ended;
    expect(late.text).not.toContain('mode-di>');
  });

  it('waits an authTimeout of 30 days (past Node\'s timer limit) for the token', async () => {
    const server = serve({ port: 0, authTimeout: '30d' });
    const port = portOf(await server.start());
    const patient = client({ port });
    let ended = false;
    void patient.ended.then(() => (ended = true));
    // A timer that overflowed would end the connection after 1 ms.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(ended).toBe(false);
    expect(patient.text).toBe('');
    patient.send(server.token!);
    await patient.waitFor(/mode-di> $/);
  });

  it('takes MODE_CONSOLE_TOKEN, and refuses a short one', () => {
    process.env['MODE_CONSOLE_TOKEN'] = 'a-token-from-the-environment';
    try {
      const server = new ConsoleServer(fakeHost(), { port: 0 });
      expect(server.token).toBe('a-token-from-the-environment');
      expect(server.tokenGiven).toBe(true);
      process.env['MODE_CONSOLE_TOKEN'] = 'short';
      expect(() => new ConsoleServer(fakeHost(), { port: 0 })).toThrow(/at least 16 characters/);
    } finally {
      delete process.env['MODE_CONSOLE_TOKEN'];
    }
  });

  it('turns away connections past the limit', async () => {
    const server = serve({ port: 0, maxConnections: 2 });
    const port = portOf(await server.start());
    const first = client({ port }).send(server.token!);
    const second = client({ port }).send(server.token!);
    await Promise.all([first.waitFor('mode-di> '), second.waitFor('mode-di> ')]);
    const third = client({ port });
    await third.ended;
    expect(third.text).toBe('mode-di console: too many connections (the limit is 2)\n');
    await second.ask('quit').catch(() => {});
    // The server counts the connection gone once its side has closed too: a later one gets in.
    let admitted = false;
    for (let attempt = 0; attempt < 50 && !admitted; attempt++) {
      const again = client({ port }).send(server.token!);
      admitted = await again.waitFor('mode-di> ').then(() => true, () => false);
    }
    expect(admitted).toBe(true);
  });

  it('rejects options that do not say where to listen', () => {
    expect(() => new ConsoleServer(fakeHost(), {})).toThrow(ConsoleError);
    expect(() => new ConsoleServer(fakeHost(), { socket: 'a', port: 1 })).toThrow(/not both/);
    expect(() => new ConsoleServer(fakeHost(), { port: 70_000 })).toThrow(/Invalid console port 70000/);
    expect(() => new ConsoleServer(fakeHost(), { socket: 'a.sock', host: '0.0.0.0' })).toThrow(/goes with a TCP port/);
    expect(new ConsoleServer(fakeHost(), { port: 0, host: '0.0.0.0' }).exposed).toBe(true);
  });
});
