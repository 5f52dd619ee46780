// The tutorial's web server (node:http): answers every request, and shuts down the way aiohttp does in Mode's example.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { injectable } from 'inversify';
import { Service } from 'mode-di';

/** An HTTP server on `PORT` (default 8000; 0 picks a free port). */
@injectable()
export class Webserver extends Service {
  server: Server | undefined;
  #handlers = 0;
  #idle: (() => void) | undefined;

  get port(): number {
    return (this.server?.address() as AddressInfo | undefined)?.port ?? 0;
  }

  override async onStart(): Promise<void> {
    const server = createServer((request, response) => {
      this.#handlers++;
      response.on('close', () => {
        if (--this.#handlers === 0) this.#idle?.();
      });
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ hello: 'world', path: request.url }));
    });
    server.listen(Number(process.env['PORT'] ?? 8000), '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    this.log.info('Serving on port %d', this.port);
  }

  override async onStop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.log.info('Closing server');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    this.log.info('Waiting for server to close handle');
    server.closeIdleConnections();
    this.log.info('Shutting down web application');
    this.log.info('Waiting for handler to shut down');
    if (this.#handlers > 0) await new Promise<void>((resolve) => (this.#idle = resolve));
    server.closeAllConnections();
    await closed;
    this.log.info('Cleanup');
    this.server = undefined;
  }
}
