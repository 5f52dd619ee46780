// The page-view buffer and its Redis store under failure: Redis unreachable, a reply lost, a stop while a flush is in flight.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PageViewBuffer, PageViewsClosedError, UnflushedPageViewsError } from '../../samples/page-view-cache/page-view-buffer.js';
import { RedisPageViewStore } from '../../samples/page-view-cache/redis-store.js';
import { type SpecRedis, specRedis } from './redis.js';
import { TcpProxy } from './tcp-proxy.js';

let redis: SpecRedis;
let reader: Redis;
let proxy: TcpProxy;
let client: Redis;

beforeAll(async () => {
  redis = await specRedis();
  reader = new Redis(redis.url);
});
afterAll(async () => {
  await reader?.quit();
  await redis?.stop();
});
afterEach(async () => {
  client?.disconnect();
  await proxy?.close();
});

/** A buffer whose store talks to Redis through a proxy the spec controls (client options as in RedisConnection). */
async function bufferBehindProxy(): Promise<{ buffer: PageViewBuffer; prefix: string; views: (page: string) => Promise<number> }> {
  proxy = new TcpProxy(redis.port);
  const port = await proxy.listen();
  client = new Redis(port, '127.0.0.1', { enableOfflineQueue: false, autoResendUnfulfilledCommands: false, maxRetriesPerRequest: 1, commandTimeout: 1_000, retryStrategy: () => 20 });
  client.on('error', () => {});
  await new Promise((resolve) => client.once('ready', resolve));
  const prefix = `spec:${randomUUID()}:`;
  const buffer = new PageViewBuffer(new RedisPageViewStore(() => client, { keyPrefix: prefix, writerId: randomUUID() }));
  return { buffer, prefix, views: async (page) => Number((await reader.get(`${prefix}views:${page}`)) ?? 0) };
}

const ready = () => (client.status === 'ready' ? Promise.resolve() : new Promise((resolve) => client.once('ready', resolve)));

describe('PageViewBuffer on Redis', () => {
  it('keeps the views of a flush that fails while Redis is unreachable, and writes them once it is back', async () => {
    const { buffer, views } = await bufferBehindProxy();
    buffer.add('/a', 3);
    proxy.cut();
    expect(await buffer.flush()).toBe(false);
    buffer.add('/a', 2);
    expect(await buffer.flush()).toBe(false);
    expect(buffer.unflushedViews).toBe(5);
    expect(await views('/a')).toBe(0);
    proxy.restore();
    await ready();
    expect(await buffer.flush()).toBe(true);
    expect(buffer.unflushedViews).toBe(0);
    expect(await views('/a')).toBe(5);
  });

  it('counts a batch once when its reply was lost and it is sent again', async () => {
    const { buffer, views } = await bufferBehindProxy();
    buffer.add('/b', 7);
    proxy.mode = 'loseNextReply'; // Redis applies the batch; the client never hears so
    expect(await buffer.flush()).toBe(false);
    expect(await views('/b')).toBe(7);
    await ready();
    buffer.add('/b', 1);
    expect(await buffer.flush()).toBe(true); // the lost batch again (skipped by Redis), then the new one
    expect(await views('/b')).toBe(8);
  });

  it('close() waits for the flush in flight, then writes the rest: nothing twice, nothing lost', async () => {
    const { buffer, views } = await bufferBehindProxy();
    for (let i = 0; i < 100; i++) buffer.add('/c');
    const inFlight = buffer.flush();
    buffer.add('/c', 50);
    const closing = buffer.close(3);
    expect(() => buffer.add('/c')).toThrow(PageViewsClosedError);
    await Promise.all([inFlight, closing]);
    expect(await views('/c')).toBe(150);
  });

  it('close() retries, then reports exactly what it could not write', async () => {
    const { buffer, views } = await bufferBehindProxy();
    buffer.add('/d', 4);
    buffer.add('/e', 1);
    proxy.cut();
    const error = await buffer.close(3).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(UnflushedPageViewsError);
    expect((error as UnflushedPageViewsError).counts).toEqual(new Map([['/d', 4], ['/e', 1]]));
    expect((error as Error).message).toMatch(/^5 page view\(s\) could not be written after 3 attempt\(s\) \(.+\): \{\/d: 4, \/e: 1\}\. Check that Redis is reachable \(REDIS_URL\)/);
    expect(await views('/d')).toBe(0);
  });
});
