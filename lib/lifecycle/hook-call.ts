// Calling one lifecycle hook: timed on the engine's clock, reported as events, failures named.
import { HookError } from '../errors/lifecycle.js';
import { toError } from '../errors/mode-error.js';
import { callWithTimeout } from './call.js';
import { type BoundHook, hookName } from './declarations.js';
import type { ServiceRuntime } from './runtime.js';

/**
 * Calls `hook` on the service's instance (with `signal` when given), timed and reported as
 * `hook.executing` / `hook.executed`, within its timeout (or the engine's default); rejects
 * with a {@link HookError} naming the service and the hook.
 */
export async function callHook(runtime: ServiceRuntime, hook: BoundHook, signal: AbortSignal | undefined): Promise<void> {
  const host = runtime.host!;
  const name = hookName(hook);
  const t0 = host.clock.now();
  runtime.emit({ type: 'hook.executing', service: runtime, hook: name });
  try {
    await callWithTimeout(hook.fn, runtime.instance, signal, host.clock, hook.timeoutMs ?? host.hookTimeoutMs, { service: runtime.label, hook: name });
  } catch (error) {
    runtime.emit({ type: 'hook.executed', service: runtime, hook: name, durationMs: host.clock.now() - t0, error: toError(error) });
    throw error instanceof HookError && error.service === runtime.label ? error : new HookError(runtime.label, name, error, hook.phase);
  }
  runtime.emit({ type: 'hook.executed', service: runtime, hook: name, durationMs: host.clock.now() - t0 });
}
