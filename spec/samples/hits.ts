// Sends page hits over HTTP/1.1 keep-alive connections (a bounded pool, one request at a time on each), and counts what
// was sent and what was acknowledged. A minimal client on raw sockets: node:http's costs several times the server's
// CPU per request, and the spec sends 200,000 of them on 2 cores.
import { connect, type Socket } from 'node:net';

/** Per page: requests sent, and requests answered 200 (acknowledged). */
export interface HitTally {
  readonly sent: Map<string, number>;
  readonly acked: Map<string, number>;
  /** Answers other than 200, by status. */
  readonly refused: Map<number, number>;
  /** Requests that got no answer (connection reset, closed or refused), by error code. */
  readonly failed: Map<string, number>;
  readonly totalAcked: number;
}

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** One keep-alive connection that sends a request and waits for its whole answer, then the next. */
class Connection {
  readonly #socket: Socket;
  #received = '';
  #waiting: { resolve: (status: number) => void; reject: (error: Error) => void } | undefined;
  #closed: Error | undefined;
  /** The server said `Connection: close` (it is stopping): open a new connection for the next request. */
  closing = false;

  constructor(port: number) {
    this.#socket = connect(port, '127.0.0.1');
    this.#socket.setNoDelay(true).setEncoding('latin1');
    this.#socket.on('data', (chunk: string) => this.#read(chunk));
    this.#socket.on('error', (error: NodeJS.ErrnoException) => this.#fail(error));
    this.#socket.on('close', () => this.#fail(Object.assign(new Error('socket closed before the answer'), { code: 'ECLOSED' })));
  }

  get usable(): boolean {
    return !this.closing && !this.#closed;
  }

  post(path: string): Promise<number> {
    if (this.#closed) return Promise.reject(this.#closed);
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      this.#socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n`);
    });
  }

  destroy(): void {
    this.#socket.destroy();
  }

  #read(chunk: string): void {
    this.#received += chunk;
    const headerEnd = this.#received.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const head = this.#received.slice(0, headerEnd);
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (this.#received.length < headerEnd + 4 + length) return;
    this.#received = this.#received.slice(headerEnd + 4 + length);
    if (/\r\nconnection: *close/i.test(head)) this.closing = true;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.resolve(Number(head.slice(9, 12)));
  }

  #fail(error: Error): void {
    this.#closed ??= error;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.reject(error);
  }
}

/**
 * Sends `hits` POST /views/<page> spread over `pages`, on `concurrency` connections. `onAck(total)` is called after
 * each acknowledgement. A connection the server closes is replaced; a worker stops at its first connection refused
 * (the server is gone).
 */
export async function sendHits(port: number, options: { hits: number; pages: readonly string[]; concurrency?: number; onAck?: (total: number) => void }): Promise<HitTally> {
  const { hits, pages, concurrency = 64 } = options;
  const tally = { sent: new Map<string, number>(), acked: new Map<string, number>(), refused: new Map<number, number>(), failed: new Map<string, number>(), totalAcked: 0 };
  let next = 0;
  const worker = async () => {
    let connection = new Connection(port);
    try {
      while (next < hits) {
        if (!connection.usable) {
          connection.destroy();
          connection = new Connection(port);
        }
        const page = pages[next++ % pages.length]!;
        bump(tally.sent, page);
        try {
          const status = await connection.post(`/views${page}`);
          if (status === 200) {
            bump(tally.acked, page);
            tally.totalAcked++;
            options.onAck?.(tally.totalAcked);
          } else bump(tally.refused, status);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
          bump(tally.failed, code);
          if (code === 'ECONNREFUSED') return;
        }
      }
    } finally {
      connection.destroy();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return tally;
}
