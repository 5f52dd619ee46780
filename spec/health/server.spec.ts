// The health endpoint in-process: routes, methods, and a stop that closes it.
import { ContainerModule, injectable } from 'inversify';
import { describe, expect, it } from 'vitest';
import { Application, HealthEndpointError, HealthServer, Service } from '../../lib/index.js';
import { AppHealthSource } from '../../lib/health/source.js';
import { probe } from './http.js';

@injectable()
class Db extends Service {}

async function served(): Promise<{ app: Application; server: HealthServer; port: number }> {
  const app = new Application(new ContainerModule(({ bind }) => void bind(Db).toSelf().inSingletonScope()));
  const server = new HealthServer(new AppHealthSource(app));
  const { port } = await server.listen(0, '127.0.0.1');
  return { app, server, port };
}

describe('HealthServer', () => {
  it('answers each probe by readiness, and refuses other paths and methods', async () => {
    const { app, server, port } = await served();
    try {
      expect(await probe(port, '/ready')).toEqual({ status: 503, body: 'not ready\n' });
      expect(await probe(port, '/startup')).toEqual({ status: 503, body: 'starting\n' });
      await app.start();
      expect(await probe(port, '/ready?verbose=1')).toEqual({ status: 200, body: 'ready\n' });
      expect(await probe(port, '/startup')).toEqual({ status: 200, body: 'started\n' });
      expect((await probe(port, '/healthz')).status).toBe(404);
      const post = await fetch(`http://127.0.0.1:${port}/ready`, { method: 'POST' });
      expect(post.status).toBe(405);
      const head = await fetch(`http://127.0.0.1:${port}/live`, { method: 'HEAD' });
      expect([head.status, head.headers.get('cache-control')]).toEqual([200, 'no-store']);
      await app.stop();
      expect(await probe(port, '/ready')).toEqual({ status: 503, body: 'not ready\n' });
      expect(await probe(port, '/live')).toEqual({ status: 200, body: 'live\n' }); // a clean stop is not a crash
    } finally {
      await server.close();
    }
    await expect(probe(port, '/live')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('fails /live while the source reports a stalled event loop, saying so; /status shows it', async () => {
    const app = new Application(new ContainerModule(({ bind }) => void bind(Db).toSelf().inSingletonScope()));
    let stall: string | undefined = 'the event loop did not turn for 1.50s (blocking timeout 300ms), 2ms ago';
    const server = new HealthServer(new AppHealthSource(app, { loopStall: () => stall }));
    const { port } = await server.listen(0, '127.0.0.1');
    try {
      await app.start();
      expect(await probe(port, '/live')).toEqual({ status: 503, body: 'blocked: the event loop did not turn for 1.50s (blocking timeout 300ms), 2ms ago\n' });
      expect(JSON.parse((await probe(port, '/status')).body)).toMatchObject({ live: false, loopStall: stall, readiness: 'ready' });
      stall = undefined;
      expect(await probe(port, '/live')).toEqual({ status: 200, body: 'live\n' });
      expect(JSON.parse((await probe(port, '/status')).body)).toMatchObject({ live: true, loopStall: null });
      await app.stop();
    } finally {
      await server.close();
    }
  });

  it('names the address and the fix when it cannot listen', async () => {
    const { server, port } = await served();
    try {
      const second = new HealthServer(new AppHealthSource(new Application(new ContainerModule(() => {}))));
      const error = await second.listen(port, '127.0.0.1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HealthEndpointError);
      expect((error as Error).message).toBe(`Cannot serve health checks on 127.0.0.1:${port}: the port is in use. Choose another --health-port (0 picks a free one) or --health-host.`);
    } finally {
      await server.close();
    }
  });
});
