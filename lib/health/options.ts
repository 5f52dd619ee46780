// The Worker's production options (health endpoint, drain, grace period), checked and given their defaults in one place.
import { UsageError } from '../errors/usage.js';
import { type Duration, parseDuration } from '../utils/durations.js';

/**
 * Options for running under an orchestrator (Kubernetes, systemd, a load balancer).
 * @example
 * ```ts
 * new Worker(appModule, { healthPort: 8081, drain: '5s', shutdownTimeout: '20s', gracePeriod: '30s' });
 * ```
 * @category Production
 */
export interface HealthOptions {
  /** Serve `/startup`, `/live`, `/ready` and `/status` on this port (0 picks a free one). Off by default. */
  healthPort?: number;
  /** Address of the health endpoint. Default `127.0.0.1`; `0.0.0.0` for Kubernetes probes. */
  healthHost?: string;
  /** On a stop, fail `/ready` and keep serving this long before any service stops. Default `0`. */
  drain?: Duration;
  /** The orchestrator's grace period between SIGTERM and SIGKILL (Kubernetes' default: 30s): drain + shutdown timeout must fit in it. */
  gracePeriod?: Duration;
}

/**
 * {@link HealthOptions} after defaults and checks.
 * @example
 * ```ts
 * resolveHealthOptions({ drain: '5s' }).drainMs; // 5000
 * ```
 * @category Production
 */
export interface ResolvedHealthOptions {
  /** The health endpoint's port, or `undefined` for none. */
  readonly healthPort: number | undefined;
  /** The health endpoint's address. */
  readonly healthHost: string;
  /** How long a stop drains before any service stops, in milliseconds. */
  readonly drainMs: number;
  /** The orchestrator's grace period, in milliseconds. */
  readonly gracePeriodMs: number;
  /** Whether any of them was given: then the Worker prints its shutdown budget. */
  readonly declared: boolean;
}

/**
 * Checks {@link HealthOptions} and applies the defaults.
 * @example
 * ```ts
 * resolveHealthOptions({ healthPort: 8081 }); // { healthPort: 8081, healthHost: '127.0.0.1', drainMs: 0, gracePeriodMs: 30000, declared: true }
 * ```
 * @throws {@link UsageError} naming the option and the fix.
 * @category Production
 */
export function resolveHealthOptions(options: HealthOptions): ResolvedHealthOptions {
  const { healthPort, healthHost, drain, gracePeriod } = options;
  if (healthPort !== undefined && !(Number.isInteger(healthPort) && healthPort >= 0 && healthPort <= 65_535)) {
    throw new UsageError(`Invalid healthPort ${JSON.stringify(healthPort)}: use a port number from 0 to 65535 (0 picks a free one), e.g. --health-port 8081.`);
  }
  if (healthHost !== undefined && (typeof healthHost !== 'string' || healthHost.trim() === '')) {
    throw new UsageError('The healthHost option needs an address, e.g. --health-host 0.0.0.0 (every interface) or 127.0.0.1 (the default).');
  }
  const gracePeriodMs = parseDuration(gracePeriod ?? '30s', 'gracePeriod');
  if (!(gracePeriodMs > 0)) throw new UsageError(`Invalid gracePeriod ${JSON.stringify(gracePeriod)}: the orchestrator's grace period is longer than 0, e.g. --grace-period 30s.`);
  return {
    healthPort,
    healthHost: healthHost ?? '127.0.0.1',
    drainMs: parseDuration(drain ?? 0, 'drain'),
    gracePeriodMs,
    declared: healthPort !== undefined || drain !== undefined || gracePeriod !== undefined,
  };
}
