// Writes page-view batches to Redis in one round trip, once per batch, however often a batch is retried.
import type { Redis } from 'ioredis';
import type { PageViewBatch, PageViewStore } from './page-view-buffer.js';

/**
 * Applies a batch atomically (one script, so one round trip and all or nothing), and at
 * most once: KEYS[1] holds the last batch number this writer applied; a batch at or below
 * it is one that already landed (its reply was lost, or a copy of it arrived late) and is
 * skipped. A plain MULTI of INCRBYs is atomic but not idempotent: a flush whose reply is
 * lost could not be retried without risking a double count.
 */
const APPLY_BATCH = `
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local seq = tonumber(ARGV[1])
if last >= seq then return 0 end
for i = 2, #KEYS do redis.call('INCRBY', KEYS[i], ARGV[i + 1]) end
redis.call('SET', KEYS[1], seq, 'EX', ARGV[2])
return 1
`;

/** How long Redis remembers a writer's last batch number: far longer than any retry. */
const WRITER_TTL_SECONDS = 24 * 60 * 60;

/**
 * The Redis key of a page's counter.
 * @example
 * ```ts
 * pageKey('pageviews:', '/home'); // 'pageviews:views:/home'
 * ```
 */
export function pageKey(prefix: string, page: string): string {
  return `${prefix}views:${page}`;
}

/**
 * A {@link PageViewStore} on Redis: each batch is one `EVAL` (INCRBY per page plus the
 * writer's batch number), idempotent per `(writerId, seq)`.
 * @example
 * ```ts
 * const store = new RedisPageViewStore(() => connection.client, { keyPrefix: 'pageviews:', writerId: randomUUID() });
 * await store.apply({ seq: 1, counts: new Map([['/home', 2]]) });
 * await store.views('/home'); // 2
 * ```
 */
export class RedisPageViewStore implements PageViewStore {
  constructor(
    private readonly client: () => Redis,
    private readonly options: { readonly keyPrefix: string; readonly writerId: string },
  ) {}

  async apply(batch: PageViewBatch): Promise<void> {
    const { keyPrefix, writerId } = this.options;
    const keys = [`${keyPrefix}writer:${writerId}`];
    const args: Array<string | number> = [batch.seq, WRITER_TTL_SECONDS];
    for (const [page, n] of batch.counts) {
      keys.push(pageKey(keyPrefix, page));
      args.push(n);
    }
    await this.client().eval(APPLY_BATCH, keys.length, ...keys, ...args);
  }

  /** The views of `page` stored in Redis. */
  async views(page: string): Promise<number> {
    return Number((await this.client().get(pageKey(this.options.keyPrefix, page))) ?? 0);
  }
}
