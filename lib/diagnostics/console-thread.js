// @ts-check
// The remote console's thread: listens, checks tokens, answers `stack` itself (even while the main loop is blocked) and relays the rest to the main thread.
// Plain JavaScript with node: and plain-JavaScript imports only, so the same file runs from dist/ and from lib/ under vitest, and never loads @swc/core.
import { createHash, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdtempSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { captureMainStack } from './main-stack.js';
import { clearLongTimeout, setLongTimeout } from '../utils/long-timeout.js';

/** @typedef {import('./console-protocol.js').ConsoleThreadSettings} ConsoleThreadSettings */
/** @typedef {import('./console-protocol.js').ConsoleThreadMessage} ConsoleThreadMessage */
/** @typedef {import('./console-protocol.js').ConsoleMainMessage} ConsoleMainMessage */
/** @typedef {import('./console-protocol.js').ConsoleSnapshot} ConsoleSnapshot */
/** @typedef {import('node:net').Socket} Socket */
/** @typedef {{ socket: Socket, state: 'auth' | 'command' | 'js', buffer: string }} Connection */

export const PROMPT = 'mode-di> ';
/** A line longer than this (no newline in 64 KiB) ends the connection. */
const MAX_LINE = 64 * 1024;

/**
 * Whether `line` is `token`, in constant time (both hashed first, so their lengths do not show either).
 * @param {string} line @param {string} token
 */
export function tokenMatches(line, token) {
  const digest = (/** @type {string} */ text) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(line), digest(token));
}

/** @param {number} ms */
const asSeconds = (ms) => `${Math.round(ms / 100) / 10}s`;

function serve() {
  const settings = /** @type {ConsoleThreadSettings} */ (workerData);
  const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
  /** @param {ConsoleThreadMessage} message */
  const post = (message) => port.postMessage(message);
  /** @type {Map<number, Connection>} */
  const connections = new Map();
  /** @type {Map<number, { connection: number, notice: NodeJS.Timeout }>} */
  const pending = new Map();
  let nextConnection = 0;
  let nextCommand = 0;
  /** @type {ConsoleSnapshot | undefined} */
  let snapshot;

  /** @param {Connection} c @param {string} text */
  const write = (c, text) => {
    if (!c.socket.destroyed && c.socket.writable) c.socket.write(text);
  };
  /** @param {Connection} c @param {string} text */
  const answer = (c, text) => write(c, `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${PROMPT}`);

  /** @param {Connection} c */
  const stack = async (c) => {
    const { stack: frames, native } = await captureMainStack(settings.captureTimeoutMs).first;
    if (native) answer(c, `The main thread is in native code (no JavaScript stack within ${asSeconds(settings.captureTimeoutMs)}): a synchronous call such as execSync or a huge JSON.parse.`);
    else if (frames === undefined) answer(c, 'The main thread\'s stack could not be taken (is the inspector available in this Node?).');
    else if (frames === '') answer(c, 'The main thread is idle: its event loop is waiting, no JavaScript on its stack.');
    else answer(c, `Main thread stack:\n${frames}`);
  };

  /** @param {number} connection @param {Connection} c @param {string} line */
  const relay = (connection, c, line) => {
    const id = ++nextCommand;
    // The main thread answers when its loop turns. If that takes a while, answer from its last
    // snapshot when it has one for this command, or say why there is no answer yet.
    const notice = setTimeout(() => {
      const busy = `the main thread's event loop has not turned for ${asSeconds(settings.busyNoticeMs)}; \`stack\` shows where it is`;
      const known = snapshot?.answers[line];
      if (known === undefined) return write(c, `(waiting: ${busy})\n`);
      pending.delete(id);
      answer(c, `(${busy}; as of ${asSeconds(Date.now() - /** @type {ConsoleSnapshot} */ (snapshot).at)} ago:)\n${known}`);
    }, settings.busyNoticeMs);
    pending.set(id, { connection, notice });
    post({ type: 'command', connection, id, line });
  };

  /** @param {number} connection @param {Connection} c @param {string} raw */
  const onLine = (connection, c, raw) => {
    const line = raw.replace(/\r$/, '');
    if (c.state === 'auth') {
      if (settings.token !== undefined && tokenMatches(line, settings.token)) {
        c.state = 'command';
        write(c, `mode-di console (pid ${process.pid}): type help\n${PROMPT}`);
      } else {
        c.socket.end('mode-di console: wrong token\n');
      }
      return;
    }
    const command = line.trim();
    if (command === '') return write(c, PROMPT);
    if (command === 'stack') return void stack(c);
    if (command === 'quit' || command === 'exit') return void c.socket.end();
    if (command === 'js') {
      c.state = 'js';
      post({ type: 'js-open', connection });
      return;
    }
    relay(connection, c, command);
  };

  /** @param {Socket} socket */
  const accept = (socket) => {
    if (connections.size >= settings.maxConnections) {
      socket.end(`mode-di console: too many connections (the limit is ${settings.maxConnections})\n`);
      return;
    }
    const id = ++nextConnection;
    /** @type {Connection} */
    const c = { socket, state: settings.token === undefined ? 'command' : 'auth', buffer: '' };
    connections.set(id, c);
    post({ type: 'opened', connection: id });
    socket.setEncoding('utf8');
    socket.on('error', () => socket.destroy());
    const authTimer = c.state === 'auth' ? setLongTimeout(() => c.state === 'auth' && socket.end(`mode-di console: no token within ${asSeconds(settings.authTimeoutMs)}\n`), settings.authTimeoutMs) : undefined;
    socket.on('close', () => {
      clearLongTimeout(authTimer);
      connections.delete(id);
      post({ type: 'closed', connection: id });
    });
    // A client that stops sending (stdin ended) still gets its answers; then the connection ends.
    socket.on('end', () => {
      // A REPL left open ends after what was typed before (`.exit`).
      if (c.state === 'js') post({ type: 'js-input', connection: id, data: '\n.exit\n' });
      const wait = () => ([...pending.values()].some((p) => p.connection === id) || c.state === 'js' ? setTimeout(wait, 20) : socket.end());
      wait();
    });
    // `js` turns the connection into a REPL's stream, even in the middle of a chunk.
    const relaying = () => c.state === 'js';
    socket.on('data', (/** @type {string} */ chunk) => {
      if (relaying()) {
        post({ type: 'js-input', connection: id, data: chunk });
        return;
      }
      c.buffer += chunk;
      let newline;
      while (!relaying() && (newline = c.buffer.indexOf('\n')) >= 0) {
        const line = c.buffer.slice(0, newline);
        c.buffer = c.buffer.slice(newline + 1);
        onLine(id, c, line);
      }
      if (relaying() && c.buffer) {
        post({ type: 'js-input', connection: id, data: c.buffer });
        c.buffer = '';
      }
      if (c.buffer.length > MAX_LINE) socket.destroy();
    });
    if (c.state === 'command') write(c, `mode-di console (pid ${process.pid}): type help\n${PROMPT}`);
  };

  const server = createServer({ allowHalfOpen: true }, accept);
  const listen = settings.listen;
  /** @type {string | undefined} */
  let privateDir;
  server.on('error', (/** @type {NodeJS.ErrnoException} */ error) => {
    if (privateDir) rmSync(privateDir, { recursive: true, force: true });
    post({ type: 'failed', message: error.message, code: error.code });
    port.close();
  });
  if ('socket' in listen) {
    // Bound in a fresh 0700 folder beside the target, made 0600, then renamed into place: no
    // moment when another user can connect, and no process-wide umask (which threads cannot set).
    privateDir = mkdtempSync(join(dirname(listen.socket), '.mdc-'));
    const bound = join(privateDir, 's');
    server.listen(bound, () => {
      chmodSync(bound, 0o600);
      renameSync(bound, listen.socket);
      rmdirSync(/** @type {string} */ (privateDir));
      privateDir = undefined;
      post({ type: 'listening', address: `unix:${listen.socket}` });
    });
  } else {
    server.listen(listen.port, listen.host, () => {
      const address = /** @type {import('node:net').AddressInfo} */ (server.address());
      post({ type: 'listening', address: `tcp://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}` });
    });
  }

  port.on('message', (/** @type {ConsoleMainMessage} */ message) => {
    if (message.type === 'snapshot') {
      snapshot = message.snapshot;
    } else if (message.type === 'reply') {
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (!waiting) return;
      clearTimeout(waiting.notice);
      const c = connections.get(waiting.connection);
      if (c) answer(c, message.text);
    } else if (message.type === 'js-output') {
      const c = connections.get(message.connection);
      if (c) write(c, message.data);
    } else if (message.type === 'js-closed') {
      const c = connections.get(message.connection);
      if (c && c.state === 'js') {
        c.state = 'command';
        write(c, PROMPT);
      }
    } else if (message.type === 'close') {
      for (const { notice } of pending.values()) clearTimeout(notice);
      for (const c of connections.values()) c.socket.destroy();
      server.close(() => port.close());
    }
  });
}

if (parentPort && workerData && typeof workerData === 'object' && 'listen' in workerData) serve();
