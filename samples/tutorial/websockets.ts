// The tutorial's websocket server (the `ws` package): greets every client and closes them all on stop.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { injectable } from 'inversify';
import { Service } from 'mode-di';
import { WebSocketServer } from 'ws';

/** A WebSocket server on `WS_PORT` (default 8001; 0 picks a free port). */
@injectable()
export class Websockets extends Service {
  server: WebSocketServer | undefined;

  get port(): number {
    return (this.server?.address() as AddressInfo | undefined)?.port ?? 0;
  }

  override async onStart(): Promise<void> {
    console.log('STARTING WEBSOCKET SERVER');
    const server = new WebSocketServer({ port: Number(process.env['WS_PORT'] ?? 8001), host: '127.0.0.1' });
    server.on('connection', (socket) => socket.send('hello'));
    await once(server, 'listening');
    this.server = server;
    this.log.debug('Websockets listening on port %d', this.port);
  }

  override async onStop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    for (const client of server.clients) client.close(1001, 'server stopping');
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }
}
