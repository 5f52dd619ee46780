// The health endpoint: /startup, /live, /ready and /status over HTTP, for Kubernetes probes and load balancers.
import { once } from 'node:events';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HealthEndpointError } from './errors.js';
import type { HealthSource } from './source.js';
import { healthStatus } from './status.js';

/**
 * Serves a {@link HealthSource}:
 *
 * | path | 200 when | else |
 * | --- | --- | --- |
 * | `/startup` | the first start has finished | 503 |
 * | `/live` | the app has not crashed and the event loop has not just stalled (see {@link HealthSource.loopStall}); stays 200 during a drain and a graceful stop | 503 |
 * | `/ready` | readiness is `ready` | 503 (`degraded`, `not ready`) |
 * | `/status` | always: {@link HealthStatus} as JSON | |
 *
 * @example
 * ```ts
 * const health = new HealthServer(new AppHealthSource(app));
 * const { port } = await health.listen(8081, '127.0.0.1');
 * // curl -f http://127.0.0.1:8081/ready
 * await health.close();
 * ```
 * @category Production
 */
export class HealthServer {
  #server: Server | undefined;

  constructor(private readonly source: HealthSource) {}

  /**
   * Starts serving.
   * @throws {@link HealthEndpointError} when the address cannot be bound (in use, not local, …).
   */
  async listen(port: number, host: string): Promise<{
    /** The address it listens on. */
    host: string;
    /** The port it listens on (the one picked, for port 0). */
    port: number;
  }> {
    // Loaded here, not at import: a plain run (no --health-port) never loads node:http.
    const { createServer } = await import('node:http');
    const server = createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0];
      if (request.method !== 'GET' && request.method !== 'HEAD') return answer(response, 405, 'Use GET.\n');
      this.#route(path ?? '/', response);
    });
    server.keepAliveTimeout = 1_000;
    try {
      server.listen(port, host);
      await once(server, 'listening');
    } catch (error) {
      server.close();
      throw new HealthEndpointError(host, port, error);
    }
    this.#server = server;
    return { host, port: (server.address() as AddressInfo).port };
  }

  /** Stops serving (after the app has stopped, so `/live` answers until the end). */
  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  #route(path: string, response: ServerResponse): void {
    const source = this.source;
    switch (path) {
      case '/startup':
        return source.started ? answer(response, 200, 'started\n') : answer(response, 503, 'starting\n');
      case '/live': {
        if (source.crashed) return answer(response, 503, 'crashed\n');
        const stall = source.loopStall?.();
        return stall === undefined ? answer(response, 200, 'live\n') : answer(response, 503, `blocked: ${stall}\n`);
      }
      case '/ready': {
        const readiness = source.readiness();
        return answer(response, readiness === 'ready' ? 200 : 503, `${readiness}\n`);
      }
      case '/status':
        return answer(response, 200, `${JSON.stringify(healthStatus(source))}\n`, 'application/json');
      default:
        return answer(response, 404, 'Health checks: /startup, /live, /ready, /status.\n');
    }
  }
}

function answer(response: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  response.end(body);
}
