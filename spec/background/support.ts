// Helpers for background-work specs: a recorder of service log lines and runs.
import type { Application, LifecycleEvent } from '../../lib/index.js';

/** Collects `service.log` messages of an application, by level. */
export function logLines(app: Application, level: 'warning' | 'debug' = 'warning'): string[] {
  const lines: string[] = [];
  app.on((e: LifecycleEvent) => {
    if (e.type === 'service.log' && e.level === level) lines.push(e.message);
  });
  return lines;
}
