// What the Worker says about a failure: the line, and the stack worth showing (the user's, never mode-di's own).
import { StartError } from '../errors/lifecycle.js';
import { describeError, ModeError, toError } from '../errors/mode-error.js';
import { whereThrown } from '../utils/stack.js';
import { describeThrown } from './errors.js';
import { stackworthy } from './event-log.js';
import { isUsageError } from './exit-codes.js';

/**
 * A failure as one log line: its message, and the error whose stack follows it (if any).
 * @example
 * ```ts
 * const { message, error }: FailureLine = startFailureLine(failure);
 * ```
 */
export interface FailureLine {
  readonly message: string;
  readonly error?: Error | undefined;
}

/**
 * How a failed start is reported: a usage mistake in one line (saying where the user's code
 * threw, for a container module that threw); a `StartError` by its message (each service's
 * failure was logged with its stack already); anything else with the user's stack.
 * @example
 * ```ts
 * startFailureLine(new ResolutionError('Db', new Error('no DATABASE_URL')));
 * // { message: 'Start failed: ResolutionError: Could not create Db: Error: no DATABASE_URL', error: <the Error> }
 * ```
 */
export function startFailureLine(failure: unknown): FailureLine {
  const err = toError(failure);
  if (isUsageError(err)) {
    const cause = err.cause;
    const where = cause instanceof Error && !(cause instanceof ModeError) && !err.message.includes('(at ') ? whereThrown(cause) : '';
    return { message: `${err.message}${where}` };
  }
  if (err instanceof StartError) return { message: err.message };
  return { message: `Start failed: ${describeError(err)}`, error: stackworthy(err) };
}

/**
 * How an error nobody caught is reported, by the event that reported it: `exception`
 * ('uncaughtException') or `rejection` ('unhandledRejection'). A thrown value that is not an
 * `Error` has no stack, and none is made up for it (it would be mode-di's).
 * @example
 * ```ts
 * uncaughtLine('rejection', new Error('lost')); // { message: 'Unhandled rejection: Error: lost', error }
 * uncaughtLine('exception', 'oops');            // { message: 'Uncaught exception: "oops" (a string was thrown, …)' }
 * ```
 */
export function uncaughtLine(kind: 'exception' | 'rejection', thrown: unknown): FailureLine {
  const what = kind === 'exception' ? 'Uncaught exception' : 'Unhandled rejection';
  if (thrown instanceof Error) return { message: `${what}: ${describeError(thrown)}`, error: thrown };
  return { message: `${what}: ${describeThrown(thrown)}` };
}

/**
 * A failure with no logger to report it, as printed on stderr: one paragraph for a user
 * mistake, the stack for a surprise.
 * @example
 * ```ts
 * process.stderr.write(fatalText(error));
 * ```
 */
export function fatalText(failure: unknown): string {
  const err = toError(failure);
  return `mode-di: ${isUsageError(err) ? err.message : (err.stack ?? err.message)}\n`;
}
