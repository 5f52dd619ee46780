// Sends page hits over HTTP with a bounded pool of keep-alive connections, and counts what was sent and what was acknowledged.
import { Agent, request } from 'node:http';

/** Per page: requests sent, and requests answered 200 (acknowledged). */
export interface HitTally {
  readonly sent: Map<string, number>;
  readonly acked: Map<string, number>;
  /** Answers other than 200, by status. */
  readonly refused: Map<number, number>;
  /** Requests that got no answer (connection reset or refused), by error code. */
  readonly failed: Map<string, number>;
  readonly totalAcked: number;
}

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** One POST /views/<page>: resolves with the status, or rejects with the socket's error. */
function hit(agent: Agent, port: number, page: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: '127.0.0.1', port, method: 'POST', path: `/views${page}` }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Sends `hits` POSTs spread over `pages`, `concurrency` at a time. `onAck(total)` is called
 * after each acknowledgement. A worker stops at its first connection refused (the server is gone).
 */
export async function sendHits(port: number, options: { hits: number; pages: readonly string[]; concurrency?: number; onAck?: (total: number) => void }): Promise<HitTally> {
  const { hits, pages, concurrency = 64 } = options;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const tally = { sent: new Map<string, number>(), acked: new Map<string, number>(), refused: new Map<number, number>(), failed: new Map<string, number>(), totalAcked: 0 };
  let next = 0;
  const worker = async () => {
    while (next < hits) {
      const page = pages[next++ % pages.length]!;
      bump(tally.sent, page);
      try {
        const status = await hit(agent, port, page);
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
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return tally;
}
