// Stack traces as a user wants them: their own frames, without mode-di's, the DI library's or Node's internals.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** mode-di's own compiled files (this folder's parent: `dist/` or `lib/`). */
const OWN_DIR = fileURLToPath(new URL('..', import.meta.url));
/** Packages whose frames say nothing about the user's mistake. */
const FRAMEWORK_PACKAGES = ['/node_modules/inversify/', '/node_modules/@inversifyjs/', '/node_modules/reflect-metadata/'];
const FRAME = /^\s+at /;
/** The helpers TypeScript, swc and esbuild emit to apply decorators: they sit in the user's file but are not the user's code. */
const DECORATOR_HELPER = /^\s+at (?:_ts_decorate|__decorate|__decorateClass|_ts_param|__param|_ts_metadata|__metadata) /;

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
  if (DECORATOR_HELPER.test(line)) return true;
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
    if (location && !location.includes('/node_modules/')) return ` (at ${decoratorLocation(location, error) ?? location})`;
  }
  return '';
}

/** Errors thrown while a decorator was applied, with the decorator and the member it decorated. */
const decoratorSites = new WeakMap<object, { readonly decorator: string; readonly member: string }>();

/**
 * Runs `apply`, a decorator (`'@timer'`) being applied to `member`; an error it throws is
 * remembered as that decorator's, so that {@link whereThrown} points at the decorator's line.
 * (Compilers map the code that applies decorators to the end of the class, not to the line
 * where the decorator is written.)
 * @example
 * ```ts
 * return (target, key, descriptor) => applyingDecorator('@timer', key, () => declareTimer(target, key, descriptor));
 * ```
 */
export function applyingDecorator<T>(decorator: string, member: string | symbol, apply: () => T): T {
  try {
    return apply();
  } catch (error) {
    if (error !== null && typeof error === 'object' && typeof member === 'string') decoratorSites.set(error, { decorator, member });
    throw error;
  }
}

/**
 * Where, in the source file of `location` (the class the decorator was applied to), `error`'s
 * decorator is written: the nearest `@decorator(` or `@decorator` above the declaration of its
 * member, before `location`'s line. `undefined` when the error is not a decorator's, or the
 * source does not show it (compiled JavaScript, say).
 */
function decoratorLocation(location: string, error: unknown): string | undefined {
  const site = error !== null && typeof error === 'object' ? decoratorSites.get(error) : undefined;
  const at = /^(.*):(\d+):\d+$/.exec(location);
  if (!site || !at) return undefined;
  let lines: string[];
  try {
    lines = readFileSync(at[1]!, 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const member = new RegExp(`(?:^|[\\s)*])${escape(site.member)}\\s*[(<=:;!?]`);
  const decorator = new RegExp(`${escape(site.decorator)}\\b`);
  for (let m = Math.min(Number(at[2]), lines.length) - 1; m >= 0; m--) {
    if (!member.test(lines[m]!)) continue;
    // From the member's line up through its decorators (an options object may span lines), to the code before them.
    for (let d = m; d >= 0; d--) {
      const text = lines[d]!;
      const column = (d === m ? text.slice(0, text.search(member) + 1) : text).search(decorator);
      if (column >= 0) return `${at[1]}:${d + 1}:${column + 1}`;
      const trimmed = text.trim();
      if (d < m && !trimmed.includes('@') && /[;{}]$/.test(trimmed)) break;
    }
  }
  return undefined;
}
