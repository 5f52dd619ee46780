// The root of every error mode-di throws: typed, named, and carrying what failed.

/**
 * Base class of every error thrown by mode-di. `name` is the concrete class name, so
 * `err.name === 'CycleError'` works across realms and in logs.
 * @example
 * ```ts
 * try { await app.start(); } catch (e) { if (e instanceof ModeError) console.error(e.name, e.message); }
 * ```
 * @category Errors
 */
export class ModeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Renders an unknown thrown value as a one-line reason for messages. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message ? `${error.name}: ${error.message}` : error.name;
  return String(error);
}

/** Normalises an unknown thrown value to an `Error`. */
export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
