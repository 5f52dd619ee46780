// How the CLI reports a failure: one paragraph for user mistakes, the stack for surprises; and the exit status.
import { describeError } from '../errors/mode-error.js';
import { ExitCode, isUsageError } from '../worker/exit-codes.js';
import { CommandLineError } from './parse.js';

/**
 * Prints a failure the way the CLI reports it (one paragraph, no stack trace for user
 * mistakes) and returns the exit status.
 * @example
 * ```ts
 * process.exitCode = reportFailure(error);
 * ```
 */
export function reportFailure(error: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (error instanceof CommandLineError) {
    stderr.write(`mode-di: ${error.message}\nRun 'mode-di run --help' for the options.\n`);
    return ExitCode.USAGE;
  }
  if (isUsageError(error)) {
    stderr.write(`mode-di: ${(error as Error).message}\n`);
    return ExitCode.USAGE;
  }
  stderr.write(`mode-di: unexpected failure: ${error instanceof Error ? (error.stack ?? describeError(error)) : String(error)}\n`);
  return ExitCode.FAILURE;
}
