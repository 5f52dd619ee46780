// The Worker's exit statuses and which failure maps to which.
import { InversifyCoreError, InversifyCoreErrorKind } from '@inversifyjs/core';
import { ResolutionError, StartInterruptedError } from '../errors/lifecycle.js';
import { UsageError } from '../errors/usage.js';

/**
 * Exit statuses of `mode-di run` and `Worker.executeFromCommandline()`:
 * `OK` (0) a clean stop, a signal included; `FAILURE` (1) a failed start, a crash, errors
 * while stopping, a forced stop or a missed shutdown deadline; `USAGE` (2) a user mistake
 * (bad option, unloadable module, bad dependency graph).
 *
 * @example
 * ```ts
 * process.exitCode = ExitCode.USAGE;
 * ```
 * @category Worker
 */
export const ExitCode = {
  /** A clean stop, a signal included. */
  OK: 0,
  /** A failed start, a crash, errors while stopping, a forced stop or a missed shutdown deadline. */
  FAILURE: 1,
  /** A user mistake: a bad option, an unloadable module, a bad dependency graph. */
  USAGE: 2,
} as const;

/**
 * One of {@link ExitCode}'s values.
 * @example
 * ```ts
 * const status: ExitCodeValue = await worker.run();
 * ```
 * @category Worker
 */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

const BINDING_MISTAKES = new Set<InversifyCoreErrorKind>([
  InversifyCoreErrorKind.injectionDecoratorConflict,
  InversifyCoreErrorKind.missingInjectionDecorator,
  InversifyCoreErrorKind.planning,
]);

/**
 * Whether `error` is the user's mistake rather than a failure at run time: mode-di's
 * {@link UsageError}s (plan errors, bad durations, unloadable modules) and inversify's
 * errors about bindings and metadata (e.g. a class bound without `@injectable()`), also
 * when they surface while creating a service.
 *
 * @example
 * ```ts
 * isUsageError(new CycleError(['A', 'B', 'A'])); // true
 * ```
 */
export function isUsageError(error: unknown): boolean {
  if (error instanceof UsageError) return true;
  if (error instanceof ResolutionError) return isUsageError(error.cause);
  return InversifyCoreError.is(error) && BINDING_MISTAKES.has(error.kind);
}

/**
 * The exit status for a failure: {@link ExitCode.USAGE} for user mistakes,
 * {@link ExitCode.OK} for a start interrupted by a stop (a signal during start),
 * {@link ExitCode.FAILURE} for everything else.
 *
 * @example
 * ```ts
 * exitCodeFor(new MissingBindingError('Db', ['App', 'Db'], '…')); // 2
 * ```
 * @example
 * ```ts
 * exitCodeFor(new StartError([hookError]));                       // 1
 * ```
 * @category Worker
 */
export function exitCodeFor(error: unknown): ExitCodeValue {
  if (error instanceof StartInterruptedError) return ExitCode.OK;
  return isUsageError(error) ? ExitCode.USAGE : ExitCode.FAILURE;
}
