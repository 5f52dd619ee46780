// The page-view sample's settings, from the environment (so the same module runs locally, under systemd and in Kubernetes).
import { randomUUID } from 'node:crypto';
import { parseDuration } from 'mode-di';

/**
 * What the page-view sample reads from its environment.
 * @example
 * ```ts
 * const { redisUrl, port } = pageViewConfig();   // REDIS_URL=redis://127.0.0.1:6379 PORT=8080
 * ```
 */
export interface PageViewConfig {
  /** `REDIS_URL` (default `redis://127.0.0.1:6379`). */
  readonly redisUrl: string;
  /** `PORT` of the HTTP endpoint (default 8080; 0 picks a free one). */
  readonly port: number;
  /** `HOST` the HTTP endpoint binds (default 127.0.0.1; `0.0.0.0` in a container). */
  readonly host: string;
  /** `KEY_PREFIX` of every Redis key (default `pageviews:`). */
  readonly keyPrefix: string;
  /** `FLUSH_INTERVAL` between flushes of the buffered counts (default `1s`). */
  readonly flushIntervalMs: number;
  /** `FLUSH_TIMEOUT`: a flush that takes longer counts as failed and is retried (default `2s`). */
  readonly flushTimeoutMs: number;
  /** `FINAL_FLUSH_ATTEMPTS` at stop before reporting what could not be flushed (default 5). */
  readonly finalFlushAttempts: number;
  /** Names this process's flushes in Redis, so a retried flush is applied once (random per start). */
  readonly writerId: string;
}

/**
 * Reads {@link PageViewConfig} from `env`.
 * @example
 * ```ts
 * pageViewConfig({ PORT: '0', KEY_PREFIX: 'test:' }).port; // 0
 * ```
 * @throws Error naming the variable when a value is not usable.
 */
export function pageViewConfig(env: NodeJS.ProcessEnv = process.env): PageViewConfig {
  const port = Number(env['PORT'] ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number (0 picks a free one), not ${JSON.stringify(env['PORT'])}.`);
  const attempts = Number(env['FINAL_FLUSH_ATTEMPTS'] ?? 5);
  if (!Number.isInteger(attempts) || attempts < 1) throw new Error(`FINAL_FLUSH_ATTEMPTS must be a whole number ≥ 1, not ${JSON.stringify(env['FINAL_FLUSH_ATTEMPTS'])}.`);
  return {
    redisUrl: env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    port,
    host: env['HOST'] ?? '127.0.0.1',
    keyPrefix: env['KEY_PREFIX'] ?? 'pageviews:',
    flushIntervalMs: parseDuration(env['FLUSH_INTERVAL'] ?? '1s', 'FLUSH_INTERVAL'),
    flushTimeoutMs: parseDuration(env['FLUSH_TIMEOUT'] ?? '2s', 'FLUSH_TIMEOUT'),
    finalFlushAttempts: attempts,
    writerId: randomUUID(),
  };
}

/** The settings this process runs with (read once, when the sample is imported). */
export const config: PageViewConfig = pageViewConfig();
