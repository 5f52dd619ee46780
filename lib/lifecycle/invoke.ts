// Calling user hooks: synchronous results stay synchronous, timeouts race the hook on the injected clock.
import { HookTimeoutError } from '../errors/lifecycle.js';
import type { Clock } from '../utils/clock.js';
import type { HookSpec } from './metadata.js';

/** The name a hook is reported under: the phase for Service overrides, else the method name. */
export function hookName(spec: HookSpec): string {
  return spec.method === spec.phase ? spec.phase : String(spec.method);
}

/** Whether `value` is a promise or promise-like. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value instanceof Promise || (value !== null && typeof value === 'object' && typeof (value as PromiseLike<unknown>).then === 'function');
}

/** Calls `fn` (with `signal` when given) and always returns a promise of its outcome. */
export function invoke(fn: Function, target: object, signal: AbortSignal | undefined): Promise<void> {
  try {
    const result: unknown = signal === undefined ? fn.call(target) : fn.call(target, signal);
    return isThenable(result) ? Promise.resolve(result as PromiseLike<void>) : Promise.resolve();
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Calls `fn` with a signal that also aborts after `timeoutMs`; rejects with a
 * {@link HookTimeoutError} then. A hook that settles later is ignored (and never unhandled).
 */
export function invokeWithTimeout(
  fn: Function,
  target: object,
  signal: AbortSignal,
  clock: Clock,
  timeout: { readonly service: string; readonly hook: string; readonly ms: number },
): Promise<void> {
  const expired = new AbortController();
  return new Promise<void>((resolve, reject) => {
    const timer = clock.setTimeout(() => {
      const error = new HookTimeoutError(timeout.service, timeout.hook, timeout.ms);
      expired.abort(error);
      reject(error);
    }, timeout.ms);
    invoke(fn, target, AbortSignal.any([signal, expired.signal])).then(
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
