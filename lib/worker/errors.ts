// Errors the Worker raises about the run it supervises, and how it describes what was thrown.
import { inspect } from 'node:util';
import { ModeError } from '../errors/mode-error.js';

/**
 * Describes a thrown value that is not an `Error` (a string, a number, an object), saying why
 * there is no stack to show.
 * @example
 * ```ts
 * describeThrown('oops'); // '"oops" (a string was thrown, not an Error, so there is no stack: throw new Error(…) instead)'
 * ```
 */
export function describeThrown(value: unknown): string {
  const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
  const shown = typeof value === 'string' ? JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value) : inspect(value, { depth: 2, breakLength: Infinity });
  return `${shown} (${kind} was thrown, not an Error, so there is no stack: throw new Error(…) instead)`;
}

/**
 * The stop was forced (a second signal, or the shutdown deadline passed): stop hooks still
 * running see their AbortSignal abort with this reason. `unstopped` says what had not
 * stopped yet (`Still stopping: Web (in onStop for 30.00s); not stopped yet: Db`).
 *
 * @example
 * ```ts
 * @onStop() async flush(signal: AbortSignal) {
 *   await this.queue.drain({ signal });   // rejects with ForcedStopError when forced
 * }
 * ```
 * @category Errors
 */
export class ForcedStopError extends ModeError {
  constructor(
    /** Why the stop was forced (`'Second signal (SIGINT) while stopping'`, `'Shutdown timed out after 30.00s'`). */
    readonly why: string,
    /** What had not stopped yet, and which hook each was in. */
    readonly unstopped: string,
  ) {
    super(`${why}: forcing exit. ${unstopped}.`);
  }
}
