// `logFor(instance)`: the logger of a plain injectable class, logging under its label through the engine's `service.log` events.
import { runtimeOf } from '../lifecycle/runtime.js';
import { ServiceLogger } from './logger.js';

const loggers = new WeakMap<object, ServiceLogger>();

/**
 * The logger of any service object — what `this.log` is on a `Service`, for plain
 * `@injectable` classes. Lines go out as `service.log` events under the instance's label
 * (its class name), so the Worker prints them in its format (`[^--Cache]: message`), as JSON
 * with `--log-format json`, into `--logfile`, and not at all with `--quiet`: unlike
 * `console.log`, which bypasses all of that.
 *
 * The logger finds the service when it logs, so it may be made in a field initialiser or the
 * constructor; lines logged before the application has built the service (from the
 * constructor itself) have no Worker to go to: warnings and worse then go to stderr, the
 * rest is dropped. The same instance always gets the same logger.
 *
 * @example
 * ```ts
 * @injectable()
 * class Cache {
 *   private readonly log = logFor(this);
 *   @onStart() connect() { this.log.info('Connected to %s', url); }
 * }
 * ```
 * @category Services
 */
export function logFor(instance: object): ServiceLogger {
  let logger = loggers.get(instance);
  if (!logger) {
    logger = new ServiceLogger((level, message, error) => runtimeOf(instance).log(level, message, error));
    loggers.set(instance, logger);
  }
  return logger;
}
