// A TCP proxy in front of Redis that a spec can cut, or make lose one reply: network failures, for real.
import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** `open`: forward. `down`: refuse and reset every connection. `loseNextReply`: forward the next request, then reset the client instead of answering. */
export type ProxyMode = 'open' | 'down' | 'loseNextReply';

/** A proxy to `127.0.0.1:upstreamPort`. */
export class TcpProxy {
  mode: ProxyMode = 'open';
  #server: Server | undefined;
  readonly #clients = new Set<Socket>();

  constructor(private readonly upstreamPort: number) {}

  async listen(): Promise<number> {
    const server = createServer((client) => this.#accept(client));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    this.#server = server;
    return (server.address() as { port: number }).port;
  }

  /** Cuts every connection and refuses new ones until {@link TcpProxy.restore}. */
  cut(): void {
    this.mode = 'down';
    for (const client of this.#clients) client.resetAndDestroy();
  }

  restore(): void {
    this.mode = 'open';
  }

  async close(): Promise<void> {
    for (const client of this.#clients) client.destroy();
    await new Promise((resolve) => this.#server?.close(resolve));
  }

  #accept(client: Socket): void {
    if (this.mode === 'down') return void client.resetAndDestroy();
    this.#clients.add(client);
    const upstream = createConnection(this.upstreamPort, '127.0.0.1');
    const end = () => {
      this.#clients.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (this.mode === 'loseNextReply') {
        this.mode = 'open';
        return void client.resetAndDestroy();
      }
      client.write(chunk);
    });
  }
}
