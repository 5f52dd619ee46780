// Renders the engine's lifecycle events as Mode's log lines ("Starting...", "-Stopped!", crashes, service logs).
import { HookError, ResolutionError } from '../errors/lifecycle.js';
import { describeError, ModeError } from '../errors/mode-error.js';
import type { LifecycleEvent } from '../lifecycle/events.js';
import type { LogLevel, ServiceNode } from '../lifecycle/state.js';
import { formatDuration } from '../utils/durations.js';

/**
 * Where rendered lines go: who speaks (label, depth) and what.
 * @example
 * ```ts
 * const sink: LineSink = (level, label, depth, message) => console.log(level, label, depth, message);
 * ```
 */
export type LineSink = (level: LogLevel, label: string, depth: number, message: string, error?: Error) => void;

/**
 * The error whose stack is worth printing: the user's own error inside a `HookError` or a
 * `ResolutionError` (a constructor that threw); none for mode-di's own errors (usage
 * mistakes, timeouts), whose message says it all.
 * @example
 * ```ts
 * stackworthy(new HookError('Web', 'onStart', new Error('port taken'))); // the Error('port taken')
 * ```
 */
export function stackworthy(error: Error): Error | undefined {
  if (error instanceof HookError || error instanceof ResolutionError) return error.cause instanceof Error ? stackworthy(error.cause) : undefined;
  if (error instanceof ModeError) return undefined;
  return error;
}

/**
 * Renders one lifecycle event as zero or more log lines, Mode's way: `Starting...` and
 * `-Stopped!` at INFO for services (DEBUG for plain injectables with no lifecycle), crashes and
 * failures at ERROR with the user's stack, and services' own `this.log` lines at their level.
 * Application-level events are the Worker's to log, but for readiness changes (at DEBUG).
 *
 * @example
 * ```ts
 * app.on((event) => logLifecycleEvent(event, (level, label, depth, message) => print(level, label, depth, message)));
 * ```
 */
export function logLifecycleEvent(event: LifecycleEvent, sink: LineSink, enabled: (level: LogLevel) => boolean = () => true): void {
  switch (event.type) {
    case 'service.starting': {
      const s = event.service;
      const level = s.mundaneLevel;
      if (enabled(level)) sink(level, s.label, s.depth, 'Starting...');
      return;
    }
    case 'service.started':
      if (enabled('debug')) sink('debug', event.service.label, event.service.depth, `Started in ${formatDuration(event.durationMs)}`);
      return;
    case 'service.startFailed': {
      const s = event.service;
      sink('error', s.label, s.depth, `Start failed in ${event.error.hook}: ${describeError(event.error.cause ?? event.error)}`, stackworthy(event.error));
      return;
    }
    case 'service.stopping': {
      const s = event.service;
      const level = s.mundaneLevel;
      if (enabled(level)) sink(level, s.label, s.depth, 'Stopping...');
      return;
    }
    case 'service.stopped': {
      const s = event.service;
      for (const error of event.errors) sink('error', s.label, s.depth, `Error while stopping: ${error.message}`, stackworthy(error));
      const level = s.mundaneLevel;
      if (enabled(level)) sink(level, s.label, s.depth, '-Stopped!');
      return;
    }
    case 'service.crashed': {
      const s = event.service;
      sink('error', s.label, s.depth, `Crashed: ${event.error.message}`, stackworthy(event.error));
      return;
    }
    case 'service.restarting':
      if (enabled('debug')) sink('debug', event.service.label, event.service.depth, 'Restarting...');
      return;
    case 'supervisor.restarting': {
      const s = event.service;
      const others = event.services.length > 1 ? ` with ${event.services.slice(1).map((o) => o.label).join(', ')}` : '';
      const when = event.delayMs > 0 ? `in ${formatDuration(event.delayMs)}` : 'now';
      sink('warning', s.label, s.depth, `Restarting crashed service ${s.label}${others} (attempt ${event.attempt} of ${event.maxRestarts}, ${when}): ${describeError(event.error instanceof HookError && event.error.cause ? event.error.cause : event.error)}`);
      return;
    }
    case 'supervisor.gaveUp':
      sink('error', event.service.label, event.service.depth, `Giving up on crashed services: ${event.services.map((o) => o.label).join(', ')} (${event.supervisor}): ${describeError(event.error)}`);
      return;
    case 'supervisor.escalating':
      sink('error', event.service.label, event.service.depth, `${event.error.message}; escalating`);
      return;
    case 'service.stopAbandoned':
      sink('error', event.service.label, event.service.depth, `Did not stop within ${formatDuration(event.timeoutMs)}: stop abandoned so the restart can go on`);
      return;
    case 'hook.executing':
      if (enabled('debug')) sink('debug', event.service.label, event.service.depth, `Running ${event.hook}...`);
      return;
    case 'hook.executed':
      if (!event.error && enabled('debug')) sink('debug', event.service.label, event.service.depth, `${event.hook} done in ${formatDuration(event.durationMs)}`);
      return;
    case 'app.readiness':
      if (enabled('debug')) sink('debug', 'Worker', 0, `Readiness: ${event.readiness} (was ${event.previous})`);
      return;
    case 'service.log':
      sink(event.level, event.service.label, event.service.depth, event.message, event.error);
      return;
    default:
      return;
  }
}
