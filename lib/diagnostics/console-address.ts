// Where the console may listen: a private folder for its unix socket, loopback TCP unless a host is given, a token worth the name.
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, statSync, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, resolve } from 'node:path';
import { ConsoleError } from './errors.js';

/** Longest unix socket path Linux and macOS accept, with room for the private folder it is bound in first (`/.mdc-XXXXXX/s`). */
const MAX_SOCKET_PATH = 103 - 14;
/** Shortest token accepted from the environment or from code. */
export const MIN_TOKEN_LENGTH = 16;

/**
 * Whether `host` is a loopback address (`127.0.0.0/8`, `::1`, `localhost`).
 * @example
 * ```ts
 * isLoopback('127.0.0.1'); // true
 * ```
 */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The token TCP clients must send first: `given` (from code or `MODE_CONSOLE_TOKEN`), or a
 * random one (144 bits, base64url).
 * @example
 * ```ts
 * consoleToken(undefined).length; // 24
 * ```
 * @throws {@link ConsoleError} for a token shorter than 16 characters or with a line break.
 */
export function consoleToken(given: string | undefined): string {
  if (given === undefined || given === '') return randomBytes(18).toString('base64url');
  if (given.length < MIN_TOKEN_LENGTH || /[\r\n]/.test(given)) {
    throw new ConsoleError(`The console token must be at least ${MIN_TOKEN_LENGTH} characters on one line (got ${given.length}). Leave MODE_CONSOLE_TOKEN unset for a random one.`);
  }
  return given;
}

/**
 * Makes `path` ready for the console's socket and returns it absolute: its folder is created
 * 0700 when missing, and refused when another user owns it or others can write to it (they
 * could replace the socket); a stale socket left by a dead process is removed.
 *
 * @example
 * ```ts
 * await prepareSocketPath('run/console.sock'); // '/app/run/console.sock'
 * ```
 * @throws {@link ConsoleError} naming the folder or file and the fix.
 */
export async function prepareSocketPath(path: string): Promise<string> {
  const socket = resolve(path);
  const folder = dirname(socket);
  if (socket.length > MAX_SOCKET_PATH) throw new ConsoleError(`The console socket path ${socket} is too long (${socket.length} characters, at most ${MAX_SOCKET_PATH}): use a shorter one, e.g. /run/<app>/console.sock.`);
  if (!existsSync(folder)) mkdirSync(folder, { recursive: true, mode: 0o700 });
  const stats = statSync(folder);
  if (!stats.isDirectory()) throw new ConsoleError(`Cannot create the console socket in ${folder}: it is not a folder.`);
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    throw new ConsoleError(`Refusing to create the console socket in ${folder}: it belongs to another user (uid ${stats.uid}). Use a folder of your own; a missing one is created with mode 0700.`);
  }
  if ((stats.mode & 0o022) !== 0) {
    throw new ConsoleError(`Refusing to create the console socket in ${folder}: other users can write to it (mode ${(stats.mode & 0o7777).toString(8)}), so they could replace the socket. Use a private folder (a missing one is created with mode 0700), or chmod go-w ${folder}.`);
  }
  let existing;
  try {
    existing = lstatSync(socket);
  } catch {
    return socket;
  }
  if (!existing.isSocket()) throw new ConsoleError(`Cannot create the console socket ${socket}: a file that is not a socket is there. Remove it or choose another path.`);
  if (await answers(socket)) throw new ConsoleError(`The console socket ${socket} is in use by another process. Stop it, or choose another path.`);
  unlinkSync(socket); // left by a process that died
  return socket;
}

/** Whether something accepts connections on the unix socket `path`. */
function answers(path: string): Promise<boolean> {
  return new Promise((done) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      done(true);
    });
    probe.once('error', () => done(false));
  });
}
