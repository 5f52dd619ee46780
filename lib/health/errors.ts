// Typed errors of the production features (health endpoint, systemd).
import { ModeError } from '../errors/mode-error.js';
import { UsageError } from '../errors/usage.js';

/**
 * The health endpoint could not listen (address in use, or not an address of this machine).
 * @example
 * ```ts
 * catch (e) { if (e instanceof HealthEndpointError) console.error(e.message); }
 * ```
 * @category Errors
 */
export class HealthEndpointError extends UsageError {
  constructor(host: string, port: number, cause: unknown) {
    const why = (cause as NodeJS.ErrnoException)?.code === 'EADDRINUSE' ? 'the port is in use' : String((cause as Error)?.message ?? cause);
    super(`Cannot serve health checks on ${host}:${port}: ${why}. Choose another --health-port (0 picks a free one) or --health-host.`, { cause });
  }
}

/**
 * A systemd notification could not be sent (`systemd-notify` missing or failing).
 * @example
 * ```ts
 * new SystemdNotifier(source, systemd, { onError: (e: SystemdNotifyError) => log.warning(e.message) });
 * ```
 * @category Errors
 */
export class SystemdNotifyError extends ModeError {
  constructor(message: string, cause: unknown) {
    const why = (cause as NodeJS.ErrnoException)?.code === 'ENOENT' ? 'systemd-notify is not installed (it comes with systemd)' : String((cause as Error)?.message ?? cause);
    super(`Cannot tell systemd ${JSON.stringify(message)} through NOTIFY_SOCKET: ${why}. Under systemd, install systemd's tools in the image; elsewhere, unset NOTIFY_SOCKET.`, { cause });
  }
}
