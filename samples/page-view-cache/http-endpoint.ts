// The HTTP side of the sample: POST /views/<page> counts a view (200 once it is counted), GET reads it; a stop drains what is in flight.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PageViewsClosedError } from './page-view-buffer.js';

/**
 * What the endpoint counts into and reads from.
 * @example
 * ```ts
 * const counter: PageViewCounter = { update: (page) => buffer.add(page), get: async (page) => 0 };
 * ```
 */
export interface PageViewCounter {
  /** Counts a view; a promise means "counted once it resolves" (the answer waits for it). */
  update(page: string, n?: number): void | Promise<void>;
  get(page: string): Promise<number>;
}

/** Longest page name accepted. */
const MAX_PAGE_LENGTH = 512;

/**
 * A `node:http` server for a {@link PageViewCounter}:
 * `POST /views/<page>` counts one view and answers 200 only once it is counted (so an
 * acknowledged view is never lost); `GET /views/<page>` answers `{"page","views"}`.
 * {@link PageViewEndpoint.close} stops accepting connections, lets every request in flight
 * finish (answering `Connection: close`), then closes every connection.
 *
 * @example
 * ```ts
 * const endpoint = new PageViewEndpoint(cache);
 * const port = await endpoint.listen(8080, '127.0.0.1');
 * await endpoint.close();
 * ```
 */
export class PageViewEndpoint {
  #server: Server | undefined;
  #inFlight = 0;
  #closing = false;
  #drained: (() => void) | undefined;

  constructor(private readonly counter: PageViewCounter) {}

  /** Requests being handled right now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Starts listening; resolves with the port. */
  async listen(port: number, host: string): Promise<number> {
    const server = createServer({ keepAliveTimeout: 5_000 }, (request, response) => this.#handle(request, response));
    server.listen(port, host);
    await once(server, 'listening');
    this.#server = server;
    return (server.address() as AddressInfo).port;
  }

  /** Stops accepting, finishes what is in flight, closes every connection. */
  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#closing = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    if (this.#inFlight > 0) await new Promise<void>((resolve) => (this.#drained = resolve));
    server.closeAllConnections();
    await closed;
    this.#server = undefined;
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    this.#inFlight++;
    response.on('close', () => {
      if (--this.#inFlight === 0) this.#drained?.();
    });
    // While stopping, each answer ends its connection, so keep-alive clients go elsewhere.
    if (this.#closing) response.shouldKeepAlive = false;
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = /^\/views\/(.+)$/.exec(url.pathname);
    const page = match ? `/${decodeURIComponent(match[1]!)}` : undefined;
    if (!page || page.length > MAX_PAGE_LENGTH) return reply(response, 404, { error: `Use POST or GET /views/<page> (a page name of at most ${MAX_PAGE_LENGTH} characters).` });
    if (request.method === 'POST') {
      request.resume(); // the body, if any, is not used
      const refuse = (error: unknown) => reply(response, error instanceof PageViewsClosedError ? 503 : 500, { error: (error as Error).message });
      try {
        const counted = this.counter.update(page);
        if (counted) return void counted.then(() => reply(response, 200, { page }), refuse);
      } catch (error) {
        return refuse(error);
      }
      return reply(response, 200, { page });
    }
    if (request.method === 'GET') {
      this.counter.get(page).then(
        (views) => reply(response, 200, { page, views }),
        (error: Error) => reply(response, 503, { error: `Cannot read the views of ${page}: ${error.message}` }),
      );
      return;
    }
    reply(response, 405, { error: 'Use POST (count a view) or GET (read the count).' });
  }
}

function reply(response: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
