// The /status document: the app's readiness and, per service, its state, restarts, last crash reason and uptime.
import type { HealthSource, Readiness } from './source.js';

/**
 * One service in {@link HealthStatus}.
 * @example
 * ```ts
 * const row: ServiceStatus = { label: 'PageViewCache', state: 'running', restarts: 0, lastCrashReason: null, uptimeMs: 5120 };
 * ```
 * @category Production
 */
export interface ServiceStatus {
  /** The service's label. */
  readonly label: string;
  /** Its state (`'running'`, `'restarting'`, `'crashed'`, …). */
  readonly state: string;
  /** How many times it was restarted. */
  readonly restarts: number;
  /** The message of its last crash or failed start (kept after a supervisor restarted it), or `null`. */
  readonly lastCrashReason: string | null;
  /** Milliseconds since it last started running, or `null` when it is not running. */
  readonly uptimeMs: number | null;
}

/**
 * What `GET /status` answers (JSON).
 * @example
 * ```ts
 * const status: HealthStatus = healthStatus(source);
 * status.services.filter((s) => s.state !== 'running');
 * ```
 * @category Production
 */
export interface HealthStatus {
  /** The app's readiness (what `/ready` answers). */
  readonly readiness: Readiness;
  /** Whether the first start has finished (what `/startup` answers). */
  readonly started: boolean;
  /** Whether a stop (or its drain) has begun. */
  readonly stopping: boolean;
  /** `false` when the app crashed, or the event loop stalled just now (see `loopStall`). */
  readonly live: boolean;
  /** Why the event loop does not count as live (a stall the blocking detector reports), or `null`. */
  readonly loopStall: string | null;
  /** Every service of the graph. */
  readonly services: readonly ServiceStatus[];
}

/**
 * Reads a {@link HealthStatus} off a source.
 * @example
 * ```ts
 * JSON.stringify(healthStatus(new AppHealthSource(app)));
 * ```
 * @category Production
 */
export function healthStatus(source: HealthSource): HealthStatus {
  const loopStall = source.loopStall?.();
  return {
    readiness: source.readiness(),
    started: source.started,
    stopping: source.stopping,
    live: !source.crashed && loopStall === undefined,
    loopStall: loopStall ?? null,
    services: source.services().map((service) => ({
      label: service.label,
      state: service.state,
      restarts: service.restartCount,
      lastCrashReason: (source.lastCrashOf ? source.lastCrashOf(service) : service.crashReason)?.message ?? null,
      uptimeMs: source.uptimeMs(service) ?? null,
    })),
  };
}
