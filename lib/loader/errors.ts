// The error of a user module that cannot be loaded or has nothing runnable to offer.
import { UsageError } from '../errors/usage.js';

/**
 * A module given to `mode-di run` could not be used: the file is missing, it does not
 * compile, importing it threw, or its default export is not something mode-di can run.
 * `module` is the path as the user wrote it. The CLI prints the message (no stack trace)
 * and exits with status 2.
 *
 * @example
 * ```ts
 * try {
 *   await loadAppModule('./app.module.ts');
 * } catch (error) {
 *   if (error instanceof AppModuleError) console.error(error.message);
 * }
 * ```
 * @category Errors
 */
export class AppModuleError extends UsageError {
  constructor(
    /** The module's path as the user wrote it. */
    readonly module: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot load ${module}: ${problem}`, options);
  }
}
