// The seed's tutorial app (samples/tutorial) run for real: its log sequence, its servers, and a clean Ctrl-C.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { LOG_LINE, linesOf, messagesOf, startCli } from './harness.js';

const PRINTS = new Set(['STARTING WEBSOCKET SERVER', 'REMOVING EXPIRED USERS']);

function httpGet(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

function websocketGreeting(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}`);
    socket.on('message', (data) => {
      resolve(String(data));
      socket.close();
    });
    socket.on('error', reject);
  });
}

describe('samples/tutorial', () => {
  it("produces the seed's log sequence, serves HTTP and WebSockets, and stops cleanly on SIGINT", async () => {
    const cli = startCli(['run', 'samples/tutorial/app.module.ts', '--loglevel', 'debug'], { env: { PORT: '0', WS_PORT: '0' } });
    await cli.waitFor('REMOVING EXPIRED USERS');
    const port = Number(/\[\^--Webserver\]: Serving on port (\d+)/.exec(cli.stdout)![1]);
    const wsPort = Number(/\[\^--Websockets\]: Websockets listening on port (\d+)/.exec(cli.stdout)![1]);
    expect(JSON.parse(await httpGet(port, '/users'))).toEqual({ hello: 'world', path: '/users' });
    expect(await websocketGreeting(wsPort)).toBe('hello');

    cli.kill('SIGINT');
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    expect(exit.stderr).toBe('-INT- -INT- -INT- -INT- -INT- -INT-\n');

    for (const line of linesOf(exit.stdout)) {
      if (!PRINTS.has(line)) expect(line).toMatch(LOG_LINE);
    }
    // The seed's lines at INFO, in order (the dependencies start before AppService, which needs them).
    const info = linesOf(exit.stdout)
      .filter((line) => PRINTS.has(line) || line.includes(': INFO]: '))
      .map((line) => (PRINTS.has(line) ? line : line.replace(/^\[[^\]]+\]: /, '')))
      .filter((line) => line !== 'REMOVING EXPIRED USERS');
    expect(info.slice(0, 8)).toEqual([
      '[^Worker]: Starting...',
      '[^--Websockets]: Starting...',
      'STARTING WEBSOCKET SERVER',
      '[^--UserCache]: Starting...',
      '[^--Webserver]: Starting...',
      `[^--Webserver]: Serving on port ${port}`,
      '[^-AppService]: Starting...',
      expect.stringMatching(/^\[\^Worker\]: Started in .* \(4 services\)$/),
    ]);
    const stop = info.slice(8);
    // As in the seed, the root stops first; the Worker's "Gathering service tasks..." follows once its stop is under way.
    expect(stop.slice(0, 3)).toEqual(['[^Worker]: Signal received: SIGINT', '[^Worker]: Stopping...', '[^-AppService]: Stopping...']);
    expect(stop.at(-1)).toBe('[^Worker]: -Stopped!');
    expect([...stop].sort()).toEqual(
      [
        '[^Worker]: Signal received: SIGINT',
        '[^Worker]: Stopping...',
        '[^-AppService]: Stopping...',
        '[^-AppService]: -Stopped!',
        '[^--UserCache]: Stopping...',
        '[^Worker]: Gathering service tasks...',
        '[^--UserCache]: -Stopped!',
        '[^--Webserver]: Stopping...',
        '[^Worker]: Gathering all futures...',
        '[^--Webserver]: Closing server',
        '[^--Webserver]: Waiting for server to close handle',
        '[^--Webserver]: Shutting down web application',
        '[^--Webserver]: Waiting for handler to shut down',
        '[^--Webserver]: Cleanup',
        '[^--Webserver]: -Stopped!',
        '[^--Websockets]: Stopping...',
        '[^--Websockets]: -Stopped!',
        '[^Worker]: -Stopped!',
      ].sort(),
    );
    const webserver = stop.filter((line) => line.startsWith('[^--Webserver]'));
    expect(webserver).toEqual([
      '[^--Webserver]: Stopping...',
      '[^--Webserver]: Closing server',
      '[^--Webserver]: Waiting for server to close handle',
      '[^--Webserver]: Shutting down web application',
      '[^--Webserver]: Waiting for handler to shut down',
      '[^--Webserver]: Cleanup',
      '[^--Webserver]: -Stopped!',
    ]);
    const m = messagesOf(exit.stdout);
    expect(m.indexOf('[^Worker]: Gathering all futures...')).toBeGreaterThan(m.indexOf('[^--Websockets]: -Stopped!'));
  });

  it('runs the same app Mode style (a service that owns its children), with the same lines', async () => {
    const cli = startCli(['run', 'samples/tutorial/mode-style.ts'], { env: { PORT: '0', WS_PORT: '0' } });
    await cli.waitFor('[^Worker]: Started');
    cli.kill('SIGTERM');
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    const m = messagesOf(exit.stdout);
    expect(m.slice(0, 7)).toEqual([
      '[^Worker]: Starting...',
      '[^--Websockets]: Starting...',
      '[^--UserCache]: Starting...',
      '[^--Webserver]: Starting...',
      expect.stringMatching(/^\[\^--Webserver\]: Serving on port \d+$/),
      '[^-AppService]: Starting...',
      expect.stringMatching(/^\[\^Worker\]: Started in .* \(4 services\)$/),
    ]);
    expect(m.indexOf('[^-AppService]: -Stopped!')).toBeLessThan(m.indexOf('[^--Webserver]: Stopping...'));
    expect(m.at(-1)).toBe('[^Worker]: -Stopped!');
  });

  it("dumps the graph at start-up when TUTORIAL_GRAPH names a file, as the seed's AppService does", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mode-di-tutorial-graph-'));
    try {
      const image = join(dir, 'image.png');
      const cli = startCli(['run', 'samples/tutorial/app.module.ts'], { env: { PORT: '0', WS_PORT: '0', TUTORIAL_GRAPH: image } });
      await cli.waitFor(`[^-AppService]: Wrote the graph to ${image}`);
      expect(PNG.sync.read(readFileSync(image)).width).toBeGreaterThan(200);
      cli.kill('SIGINT');
      expect((await cli.exited).code).toBe(0);

      // The Mode-style sample, drawn as JSON: AppService draws while it is starting, everything it owns runs.
      const data = join(dir, 'graph.json');
      const modeStyle = startCli(['run', 'samples/tutorial/mode-style.ts'], { env: { PORT: '0', WS_PORT: '0', TUTORIAL_GRAPH: data } });
      await modeStyle.waitFor(`[^-AppService]: Wrote the graph to ${data}`);
      const nodes = JSON.parse(readFileSync(data, 'utf8')).nodes as Array<{ label: string; state: string }>;
      expect(nodes.map((n) => `${n.label} ${n.state}`)).toEqual(['Worker starting', 'AppService starting', 'Websockets running', 'UserCache running', 'Webserver running']);
      modeStyle.kill('SIGINT');
      expect((await modeStyle.exited).code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
