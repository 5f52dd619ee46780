// Starts the Worker's orchestrator support only when something asks for it, so a plain run loads none of it.
import { readFileSync } from 'node:fs';
import type { Application } from '../application/application.js';
import type { Orchestration, OrchestrationSettings } from './orchestration.js';
import { npmAsPid1Warning } from './budget.js';

function pid1CommandLine(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return readFileSync('/proc/1/cmdline', 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * An {@link Orchestration} when a production option was given, `NOTIFY_SOCKET` is set, or
 * there is a PID-1 warning to give; else `undefined` (nothing loaded, nothing listening).
 * @example
 * ```ts
 * const orchestration = await startOrchestration(app, { ...resolveHealthOptions(options), shutdownTimeoutMs, log });
 * ```
 * @throws {@link HealthEndpointError} when the health port cannot be bound.
 */
export async function startOrchestration(app: Application, settings: OrchestrationSettings): Promise<Orchestration | undefined> {
  const env = settings.env ?? process.env;
  const pid1 = settings.pid1CommandLine ?? pid1CommandLine();
  if (!settings.declared && !env['NOTIFY_SOCKET'] && !npmAsPid1Warning(pid1, process.pid)) return undefined;
  const { Orchestration } = await import('./orchestration.js');
  return Orchestration.start(app, { ...settings, pid1CommandLine: pid1 ?? '' });
}
