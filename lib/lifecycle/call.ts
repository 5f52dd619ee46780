// Calling user code that may or may not be async, optionally racing a timeout on the injected clock.
import { HookTimeoutError } from '../errors/lifecycle.js';
import type { Clock } from '../utils/clock.js';

/**
 * Calls `fn` on `thisArg` with `args`, then `done` with its outcome: at once when it returned
 * or threw synchronously, when it settles when it returned a promise or thenable. The one
 * place that checks for thenables (avvio's `execute-with-thenable`).
 */
export function callThen(fn: Function, thisArg: unknown, args: readonly unknown[], done: (error: unknown, failed: boolean) => void): void {
  let result: unknown;
  try {
    result = fn.apply(thisArg, args);
  } catch (error) {
    done(error, true);
    return;
  }
  if (result !== null && (typeof result === 'object' || typeof result === 'function') && typeof (result as PromiseLike<unknown>).then === 'function') {
    (result as PromiseLike<unknown>).then(
      () => done(undefined, false),
      (error: unknown) => done(error, true),
    );
  } else {
    done(undefined, false);
  }
}

/** {@link callThen} as a promise: resolves or rejects with `fn`'s outcome. */
export function callMaybeAsync(fn: Function, thisArg: unknown, args: readonly unknown[]): Promise<void> {
  return new Promise((resolve, reject) => callThen(fn, thisArg, args, (error, failed) => (failed ? reject(error) : resolve())));
}

/** Names a hook in a {@link HookTimeoutError}. */
export interface TimeoutLabel {
  readonly service: string;
  readonly hook: string;
}

/**
 * Calls `fn` (with `signal` when given) and returns what it returns — to be awaited. With a
 * timeout, the hook's signal also aborts when the time runs out, and the result is a promise
 * that rejects with a {@link HookTimeoutError} then (a hook that settles later is ignored,
 * never unhandled).
 */
export function callWithTimeout(
  fn: Function,
  thisArg: unknown,
  signal: AbortSignal | undefined,
  clock: Clock,
  timeoutMs: number | undefined,
  label: TimeoutLabel,
): unknown {
  if (timeoutMs === undefined || !(timeoutMs > 0) || !Number.isFinite(timeoutMs)) return signal ? fn.call(thisArg, signal) : fn.call(thisArg);
  const expired = new AbortController();
  return new Promise<void>((resolve, reject) => {
    const timer = clock.setTimeout(() => {
      const error = new HookTimeoutError(label.service, label.hook, timeoutMs);
      expired.abort(error);
      reject(error);
    }, timeoutMs);
    const hookSignal = signal ? AbortSignal.any([signal, expired.signal]) : expired.signal;
    callMaybeAsync(fn, thisArg, [hookSignal]).then(
      () => {
        clock.clearTimeout(timer);
        resolve();
      },
      (error: unknown) => {
        clock.clearTimeout(timer);
        reject(error);
      },
    );
  });
}
