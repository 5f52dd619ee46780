// A real Redis for the sample specs: REDIS_URL when set (CI's, from .ci/run), else a private redis-server started here. Never a silent skip.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

const INSTALL_HINT = 'install it (apt-get install -y redis-server) or set REDIS_URL to a running Redis';

/** A Redis the specs may use, and how to let it go. */
export interface SpecRedis {
  readonly url: string;
  readonly port: number;
  /** Stops the server if these specs started it. */
  stop(): Promise<void>;
}

/** A TCP port free right now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once `url` answers PING; rejects with a message saying how to get a Redis. */
async function ping(url: string, attempts: number): Promise<void> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      return;
    } catch (error) {
      last = error;
      client.disconnect();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`No Redis answers at ${url} (${(last as Error)?.message}): ${INSTALL_HINT}.`);
}

/** Starts `redis-server` on a free port, with no persistence. */
export async function startRedisServer(): Promise<SpecRedis & { readonly process: ChildProcess }> {
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error(`These specs need Redis and redis-server is not on PATH: ${INSTALL_HINT}. (.ci/run installs and starts one.)`);
  }
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  await ping(url, 100);
  return {
    url,
    port,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/**
 * The Redis for this spec file: `REDIS_URL` if set (it must answer), else a redis-server
 * started on a free port. Throws — so the specs fail, loudly — when neither is possible.
 */
export async function specRedis(): Promise<SpecRedis> {
  const url = process.env['REDIS_URL'];
  if (!url) return startRedisServer();
  await ping(url, 20);
  return { url, port: Number(new URL(url).port || 6379), stop: async () => {} };
}
