// samples/page-view-cache run for real (the CLI, a real Redis): every acknowledged view is counted exactly once, SIGTERM or not.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliProcess, startCli } from '../cli/harness.js';
import { sendHits } from './hits.js';
import { type SpecRedis, specRedis } from './redis.js';

const PAGES = Array.from({ length: 10 }, (_, i) => `/page-${i}`);
const HITS = 10_000;

let redis: SpecRedis;
let client: Redis;

beforeAll(async () => {
  redis = await specRedis();
  client = new Redis(redis.url);
});

afterAll(async () => {
  await client?.quit();
  await redis?.stop();
});

function startWorker(module: string, prefix: string, env: Record<string, string> = {}): CliProcess {
  return startCli(['run', `samples/page-view-cache/${module}`], { env: { REDIS_URL: redis.url, PORT: '0', KEY_PREFIX: prefix, FLUSH_INTERVAL: '50ms', ...env } });
}

async function servingPort(cli: CliProcess): Promise<number> {
  const text = await cli.waitFor(/Serving on http:\/\/127\.0\.0\.1:(\d+)/, { timeoutMs: 30_000 });
  return Number(/Serving on http:\/\/127\.0\.0\.1:(\d+)/.exec(text)![1]);
}

/** Page → the count stored in Redis under `prefix`. */
async function stored(prefix: string): Promise<Map<string, number>> {
  const values = await client.mget(PAGES.map((page) => `${prefix}views:${page}`));
  return new Map(PAGES.map((page, i) => [page, Number(values[i] ?? 0)]));
}

describe('samples/page-view-cache on a real Redis', () => {
  it('counts 10,000 acknowledged hits exactly, 20 runs in a row, with SIGTERM right after the last acknowledgement', async () => {
    const expected = new Map(PAGES.map((page) => [page, HITS / PAGES.length]));
    for (let run = 1; run <= 20; run++) {
      const prefix = `spec:${randomUUID()}:`;
      const cli = startWorker('app.module.ts', prefix);
      const tally = await sendHits(await servingPort(cli), { hits: HITS, pages: PAGES });
      cli.kill('SIGTERM');
      const exit = await cli.exited;
      expect({ run, acked: tally.totalAcked, failed: tally.failed, refused: tally.refused }).toEqual({ run, acked: HITS, failed: new Map(), refused: new Map() });
      expect({ run, code: exit.code, stdout: exit.stdout }).toMatchObject({ run, code: 0, stdout: expect.stringContaining('[^--PageViewCache]: Flushed the last') });
      expect({ run, stored: await stored(prefix) }).toEqual({ run, stored: expected });
    }
  }, 400_000); // a safety net for a busy machine, not a target

  it('counts every hit acknowledged before or during a SIGTERM, and none twice (5 runs, SIGTERM mid-stream)', async () => {
    for (let run = 1; run <= 5; run++) {
      const prefix = `spec:${randomUUID()}:`;
      const cli = startWorker('app.module.ts', prefix);
      const stopAt = 1_000 + run * 1_500;
      const tally = await sendHits(await servingPort(cli), { hits: HITS, pages: PAGES, onAck: (n) => n === stopAt && cli.kill('SIGTERM') });
      const exit = await cli.exited;
      expect(exit.code).toBe(0);
      expect(tally.totalAcked).toBeGreaterThanOrEqual(stopAt);
      // Anything not acknowledged was refused with a 503 or had its connection closed: never a 500.
      expect([...tally.refused.keys()].filter((status) => status !== 503)).toEqual([]);
      const counts = await stored(prefix);
      for (const page of PAGES) {
        const views = counts.get(page)!;
        expect({ run, page, counted: views >= (tally.acked.get(page) ?? 0), notTwice: views <= (tally.sent.get(page) ?? 0) }).toEqual({ run, page, counted: true, notTwice: true });
      }
    }
  }, 150_000);

  it('the Mode-style version (cachedProperty + addRuntimeDependency) loses nothing either', async () => {
    const prefix = `spec:${randomUUID()}:`;
    const cli = startWorker('mode-style.ts', prefix);
    const tally = await sendHits(await servingPort(cli), { hits: 2_000, pages: PAGES });
    cli.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);
    expect(tally.totalAcked).toBe(2_000);
    expect([...(await stored(prefix)).values()].reduce((a, b) => a + b, 0)).toBe(2_000);
  }, 60_000);
});
