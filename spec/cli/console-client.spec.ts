// `mode-di console` against a ConsoleServer: a terminal (readline, the console's prompt as its own), a pipe, and its options.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { consoleCommand } from '../../lib/cli/console.js';
import { toConsoleTarget } from '../../lib/cli/console-options.js';
import type { ConsoleHost } from '../../lib/diagnostics/console-host.js';
import { ConsoleServer } from '../../lib/diagnostics/console-server.js';
import { UsageError } from '../../lib/index.js';

const host: ConsoleHost = {
  app: { answer: 42 },
  services: () => [],
  uptimeOf: () => undefined,
  graph: () => 'THE GRAPH',
  tasks: () => [],
  restart: async () => {},
  stop: async () => {},
  loopDelay: () => undefined,
  dump: () => 'THE DUMP',
};

/** Runs the client with `input`, collecting what it prints; `type` writes lines as a user would. */
function session(args: Parameters<typeof consoleCommand>[0], tty: boolean) {
  const input = Object.assign(new PassThrough(), { isTTY: tty });
  const output = new PassThrough();
  let printed = '';
  output.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
  const done = consoleCommand(args, { input, output });
  const until = (text: string) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!printed.includes(text)) return;
        output.off('data', check);
        resolve();
      };
      output.on('data', check);
      check();
    });
  return { input, done, until, printed: () => printed };
}

describe('mode-di console', () => {
  it('gives a terminal line editing, showing the console prompt as its own', async () => {
    const socket = join(mkdtempSync(join(tmpdir(), 'mode-di-console-')), 'c.sock');
    const server = new ConsoleServer(host, { socket });
    await server.start();
    try {
      const s = session({ socket }, true);
      await s.until('mode-di> ');
      s.input.write('graph\r');
      await s.until('THE GRAPH');
      s.input.write('quit\r');
      expect(await s.done).toBe(0);
      expect(s.printed()).toContain('type help');
    } finally {
      await server.stop();
    }
  });

  it('relays a pipe and sends the token first over TCP; a wrong token exits 1', async () => {
    const server = new ConsoleServer(host, { port: 0 });
    const port = Number((await server.start()).split(':').at(-1));
    try {
      const s = session({ port: String(port), token: server.token }, false);
      s.input.end('dump\n');
      expect(await s.done).toBe(0);
      expect(s.printed()).toContain('THE DUMP\nmode-di> ');
      // A REPL left open when the pipe ends is closed after what was typed.
      const repl = session({ port: String(port), token: server.token }, false);
      repl.input.end('js\napp.answer + 1\n');
      expect(await repl.done).toBe(0);
      expect(repl.printed()).toContain('js> 43\n');
      const bad = session({ port: String(port), token: 'not-the-right-token' }, false);
      bad.input.end();
      expect(await bad.done).toBe(1);
    } finally {
      await server.stop();
    }
  });

  it('exits 1 when nothing listens', async () => {
    const s = session({ socket: join(tmpdir(), 'mode-di-no-such-console.sock') }, false);
    expect(await s.done).toBe(1);
  });

  it('checks where to connect', () => {
    expect(() => toConsoleTarget({})).toThrow(UsageError);
    expect(() => toConsoleTarget({ socket: 'a', port: '1' })).toThrow(/one of them/);
    expect(() => toConsoleTarget({ port: 'http' }, {})).toThrow(/Invalid --port "http"/);
    expect(() => toConsoleTarget({ port: '50101' }, {})).toThrow(/needs the token/);
    expect(toConsoleTarget({ port: 50101 }, { MODE_CONSOLE_TOKEN: 't'.repeat(20) })).toEqual({ port: 50101, host: '127.0.0.1', token: 't'.repeat(20) });
    expect(toConsoleTarget({ socket: 'run/c.sock' })).toEqual({ socket: 'run/c.sock' });
  });
});
