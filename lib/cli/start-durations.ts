// Start durations measured by `mode-di run`, kept beside the compile cache, so `mode-di plan` can weigh the critical path.
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { Application } from '../application/application.js';
import { writeFileAtomic } from '../utils/files.js';

/**
 * What a run recorded: each service's last start duration in milliseconds, by label.
 * @example
 * ```ts
 * const recorded: RecordedStartDurations = { version: 1, module: '/app/app.module.ts', recordedAt: '2026-11-25T10:47:12.165Z', durations: { Webserver: 3.2 } };
 * ```
 */
export interface RecordedStartDurations {
  readonly version: 1;
  /** The app module's real path. */
  readonly module: string;
  /** When the last run that recorded them had started (ISO 8601). */
  readonly recordedAt: string;
  readonly durations: Readonly<Record<string, number>>;
}

/** The module's real path (symlinks resolved), or the path itself when it cannot be resolved. */
function realPathOf(modulePath: string): string {
  try {
    return realpathSync(modulePath);
  } catch {
    return modulePath;
  }
}

/**
 * The file holding the durations of the app module at `modulePath`, inside `cacheDir`.
 * @example
 * ```ts
 * startDurationsFile(defaultCacheDir(dir)!, '/app/app.module.ts'); // '…/.cache/mode-di/start-durations/3f2a….json'
 * ```
 */
export function startDurationsFile(cacheDir: string, modulePath: string): string {
  const key = createHash('sha256').update(realPathOf(modulePath)).digest('hex').slice(0, 24);
  return join(cacheDir, 'start-durations', `${key}.json`);
}

/**
 * The durations recorded for the module by earlier runs, or `undefined` when there are none
 * (or the file is unreadable: it is a cache).
 * @example
 * ```ts
 * readStartDurations(cacheDir, path)?.durations['Webserver']; // 3.2
 * ```
 */
export function readStartDurations(cacheDir: string | undefined, modulePath: string): RecordedStartDurations | undefined {
  if (cacheDir === undefined) return undefined;
  try {
    const data = JSON.parse(readFileSync(startDurationsFile(cacheDir, modulePath), 'utf8')) as Partial<RecordedStartDurations> | null;
    if (data?.version !== 1 || typeof data.durations !== 'object' || data.durations === null) return undefined;
    const durations = Object.fromEntries(Object.entries(data.durations).filter(([, ms]) => typeof ms === 'number' && Number.isFinite(ms) && ms >= 0));
    return { version: 1, module: String(data.module), recordedAt: String(data.recordedAt), durations };
  } catch {
    return undefined;
  }
}

/**
 * Records each service's start duration when `app` has started (every time it does), merged
 * with what earlier runs recorded for services that did not start this time. A label shared
 * by several services keeps the longest. Writing happens after the event, off its path;
 * a folder that cannot be written is skipped silently.
 * @example
 * ```ts
 * recordStartDurations(worker.app, cacheDir, modulePath);
 * ```
 */
export function recordStartDurations(app: Application, cacheDir: string | undefined, modulePath: string): void {
  if (cacheDir === undefined) return;
  app.on('app.started', () => {
    const measured: Record<string, number> = {};
    for (const service of app.services) {
      const ms = service.startDurationMs;
      if (ms !== undefined) measured[service.label] = Math.max(Math.round(ms * 1000) / 1000, measured[service.label] ?? 0);
    }
    setImmediate(() => {
      const earlier = readStartDurations(cacheDir, modulePath)?.durations ?? {};
      const record: RecordedStartDurations = { version: 1, module: realPathOf(modulePath), recordedAt: new Date().toISOString(), durations: { ...earlier, ...measured } };
      writeFileAtomic(startDurationsFile(cacheDir, modulePath), `${JSON.stringify(record, null, 2)}\n`);
    });
  });
}
