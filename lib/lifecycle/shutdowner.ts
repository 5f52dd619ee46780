// The way a service asks its own application to stop, with a reason and an exit code (fx's Shutdowner).
import { UsageError } from '../errors/usage.js';
import type { ShutdownRequest } from './lifecycle.js';

/**
 * Options of {@link Shutdowner.shutdown}.
 * @example
 * ```ts
 * shutdowner.shutdown({ exitCode: 3, reason: 'the licence expired' });
 * ```
 * @category Lifecycle
 */
export interface ShutdownOptions {
  /** The exit status the Worker ends the process with (0–255). Default 0. */
  exitCode?: number;
  /** Why: the Worker logs it. */
  reason?: string;
}

/** Checks shutdown options and makes the request. */
export function shutdownRequest(options: ShutdownOptions = {}): ShutdownRequest {
  const exitCode = options.exitCode ?? 0;
  if (!Number.isInteger(exitCode) || exitCode < 0 || exitCode > 255) {
    throw new UsageError(`shutdown({ exitCode: ${String(exitCode)} }): an exit code is a whole number from 0 to 255.`);
  }
  if (options.reason !== undefined && typeof options.reason !== 'string') {
    throw new UsageError(`shutdown({ reason }): the reason is a string, got ${typeof options.reason}.`);
  }
  return { exitCode, reason: options.reason };
}

/**
 * Asks the application to stop from inside: the stop runs as if from a signal, and under
 * the Worker the process exits with `exitCode` after logging `reason`. Injectable in every
 * `Application` (inject it by type), and available on `Service` as `this.shutdown()`. It
 * returns at once: a hook may call it and carry on (the stop waits for the hook).
 *
 * @example
 * ```ts
 * @injectable() class LicenceCheck {
 *   constructor(private readonly shutdowner: Shutdowner) {}
 *   @onStart() check() { if (expired()) this.shutdowner.shutdown({ exitCode: 3, reason: 'licence expired' }); }
 * }
 * ```
 * @category Lifecycle
 */
export class Shutdowner {
  /** @internal Made by the application for its container. */
  constructor(private readonly request: (request: ShutdownRequest) => void) {}

  /** Asks the application to stop; the first request's exit code and reason stand. */
  shutdown(options?: ShutdownOptions): void {
    this.request(shutdownRequest(options));
  }
}
