// `mode-di console`: connects a terminal (line editing, history) or a pipe to a running app's remote console.
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { type ConsoleArguments, type ConsoleTarget, toConsoleTarget } from './console-options.js';

/** The prompts the console sends last, shown by readline instead of printed (so editing a line keeps them). */
const PROMPTS = ['mode-di> ', 'js> '];

/**
 * Runs `mode-di console`: connects, sends the token (TCP), then relays lines until the
 * connection ends. Resolves with the exit status: 0 when the session ends normally, 1 when the
 * console cannot be reached or refuses the token.
 *
 * @example
 * ```ts
 * process.exitCode = await consoleCommand({ socket: 'run/console.sock' });
 * ```
 * @throws a `UsageError` for missing or bad options.
 */
export function consoleCommand(args: ConsoleArguments, io: { input: NodeJS.ReadableStream & { isTTY?: boolean }; output: NodeJS.WritableStream } = { input: process.stdin, output: process.stdout }): Promise<number> {
  const target = toConsoleTarget(args);
  return new Promise((resolve) => {
    const socket = 'socket' in target ? connect(target.socket) : connect(target.port, target.host);
    socket.setEncoding('utf8');
    let refused = false;
    socket.once('connect', () => {
      if ('token' in target) socket.write(`${target.token}\n`);
      if (io.input.isTTY) interactive(socket, io);
      else {
        io.input.pipe(socket);
        socket.on('data', (chunk: string) => io.output.write(chunk));
      }
    });
    socket.on('data', (chunk: string) => {
      if (/^mode-di console: (wrong token|no token|too many connections)/m.test(chunk)) refused = true;
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      process.stderr.write(`mode-di console: cannot reach ${where(target)}: ${error.code === 'ECONNREFUSED' || error.code === 'ENOENT' ? 'nothing listens there (is the app running with that option?)' : error.message}\n`);
      refused = true;
    });
    socket.once('close', () => {
      io.input.unpipe?.(socket);
      (io.input as { pause?: () => void }).pause?.();
      resolve(refused ? 1 : 0);
    });
  });
}

function where(target: ConsoleTarget): string {
  return 'socket' in target ? target.socket : `${target.host}:${target.port}`;
}

/** A terminal: readline for editing and history; the console's prompt becomes readline's. */
function interactive(socket: Socket, io: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream }): void {
  const rl = createInterface({ input: io.input, output: io.output, terminal: true, historySize: 1_000, prompt: '' });
  rl.on('line', (line) => socket.write(`${line}\n`));
  rl.on('close', () => socket.end());
  rl.on('SIGINT', () => rl.close());
  socket.on('data', (chunk: string) => {
    const prompt = PROMPTS.find((p) => chunk.endsWith(p));
    io.output.write(prompt ? chunk.slice(0, -prompt.length) : chunk);
    if (prompt) {
      rl.setPrompt(prompt);
      rl.prompt(true);
    }
  });
  socket.once('close', () => rl.close());
}
