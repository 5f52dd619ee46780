// The Redis client as a service: connects at start, quits at stop — after every service that uses it has stopped.
import { injectable } from 'inversify';
import { Redis } from 'ioredis';
import { Service } from 'mode-di';
import { config } from './config.js';

/**
 * One ioredis client. Commands fail fast instead of queueing while disconnected (no
 * offline queue, no resend after a reconnect) and time out after `FLUSH_TIMEOUT`: the
 * page-view buffer decides what to retry, and it must never see a command run twice behind
 * its back.
 * @example
 * ```ts
 * @injectable() class Cache extends Service { constructor(readonly redis: RedisConnection) { super(); } }
 * ```
 */
@injectable()
export class RedisConnection extends Service {
  #client: Redis | undefined;
  #reachable = true;

  /** The client (while running). */
  get client(): Redis {
    if (!this.#client) throw new Error('RedisConnection is not started: use it from a service that depends on it.');
    return this.#client;
  }

  override async onStart(signal: AbortSignal): Promise<void> {
    const client = new Redis(config.redisUrl, {
      lazyConnect: true,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 1,
      commandTimeout: config.flushTimeoutMs,
      retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    });
    client.on('error', (error: Error) => {
      if (this.#reachable) this.log.warning('Redis at %s unreachable: %s (reconnecting)', config.redisUrl, error.message);
      this.#reachable = false;
    });
    client.on('ready', () => {
      if (!this.#reachable) this.log.info('Redis at %s reachable again', config.redisUrl);
      this.#reachable = true;
    });
    const aborted = () => client.disconnect();
    signal.addEventListener('abort', aborted, { once: true });
    try {
      await client.connect();
    } catch (error) {
      client.disconnect();
      throw new Error(`Cannot connect to Redis at ${config.redisUrl} (REDIS_URL): ${(error as Error).message}. Start one with: redis-server --port 6379 --save ''`, { cause: error });
    } finally {
      signal.removeEventListener('abort', aborted);
    }
    this.#client = client;
    this.log.info('Connected to Redis at %s', config.redisUrl);
  }

  override async onStop(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    if (!client) return;
    try {
      await client.quit();
    } catch {
      client.disconnect(); // already gone: nothing to wait for
    }
  }
}
