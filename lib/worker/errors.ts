// Errors the Worker raises about the run it supervises.
import { ModeError } from '../errors/mode-error.js';

/**
 * The stop was forced (a second signal, or the shutdown deadline passed): stop hooks still
 * running see their AbortSignal abort with this reason. `unstopped` names what had not
 * stopped yet.
 *
 * @example
 * ```ts
 * @onStop() async flush(signal: AbortSignal) {
 *   await this.queue.drain({ signal });   // rejects with ForcedStopError when forced
 * }
 * ```
 */
export class ForcedStopError extends ModeError {
  constructor(
    readonly why: string,
    readonly unstopped: string,
  ) {
    super(`${why}: forcing exit. Still stopping: ${unstopped}.`);
  }
}
