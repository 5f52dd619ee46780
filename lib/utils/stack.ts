// Stack traces as a user wants them: their own frames, without mode-di's, the DI library's or Node's internals.
import { fileURLToPath } from 'node:url';

/** mode-di's own compiled files (this folder's parent: `dist/` or `lib/`). */
const OWN_DIR = fileURLToPath(new URL('..', import.meta.url));
/** Packages whose frames say nothing about the user's mistake. */
const FRAMEWORK_PACKAGES = ['/node_modules/inversify/', '/node_modules/@inversifyjs/', '/node_modules/reflect-metadata/'];
const FRAME = /^\s+at /;

/** The file location a stack line points at (`/app/x.ts:3:7`, `node:internal/…`), if any. */
function locationOf(line: string): string | undefined {
  const frame = /\((.*:\d+:\d+)\)$|at (?:async )?(\S*:\d+:\d+)$/.exec(line.trim());
  const location = frame?.[1] ?? frame?.[2];
  if (!location) return undefined;
  return location.startsWith('file://') ? fileURLToPath(location.replace(/:\d+:\d+$/, '')) + location.match(/:\d+:\d+$/)![0] : location;
}

/**
 * Whether a stack line is a frame of mode-di itself, of inversify, or of Node's internals.
 * @example
 * ```ts
 * isFrameworkFrame('    at listOnTimeout (node:internal/timers:581:17)'); // true
 * isFrameworkFrame('    at Db.connect (/app/db.ts:12:11)');               // false
 * ```
 */
export function isFrameworkFrame(line: string): boolean {
  const location = locationOf(line);
  if (location === undefined) return /\(native\)$|\(<anonymous>\)$|^\s+at new Promise/.test(line);
  if (location.startsWith('node:') || location.startsWith(OWN_DIR)) return true;
  return FRAMEWORK_PACKAGES.some((p) => location.includes(p));
}

/**
 * `error.stack` without mode-di's, inversify's and Node's internal frames: the message,
 * then the user's own frames (and those of other packages). A stack with no frame left
 * keeps its message alone.
 * @example
 * ```ts
 * userStack(error); // 'Error: port taken\n    at Web.listen (/app/web.ts:14:11)'
 * ```
 */
export function userStack(error: Error): string {
  const stack = error.stack ?? `${error.name}: ${error.message}`;
  const lines = stack.split('\n');
  const firstFrame = lines.findIndex((line) => FRAME.test(line));
  if (firstFrame < 0) return stack;
  return [...lines.slice(0, firstFrame), ...lines.slice(firstFrame).filter((line) => !isFrameworkFrame(line))].join('\n');
}

/**
 * Where `error` was thrown in the user's code: the first frame that is neither mode-di's, a
 * package's nor Node's, as ` (at file:line:col)`; `''` when there is none. A decorator used
 * wrongly throws inside mode-di, but the mistake is where it was applied.
 * @example
 * ```ts
 * whereThrown(new Error('boom')); // ' (at /app/app.module.ts:3:7)'
 * ```
 */
export function whereThrown(error: unknown): string {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  for (const line of stack.split('\n')) {
    if (!FRAME.test(line) || isFrameworkFrame(line)) continue;
    const location = locationOf(line);
    if (location && !location.includes('/node_modules/')) return ` (at ${location})`;
  }
  return '';
}
