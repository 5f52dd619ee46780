// A test client for the remote console: connects, sends lines, and waits on what comes back (never on the clock).
import { connect, type Socket } from 'node:net';

export class ConsoleClient {
  text = '';
  closed = false;
  readonly socket: Socket;
  readonly #waiters = new Set<() => void>();

  constructor(target: { socket: string } | { port: number; host?: string }) {
    this.socket = 'socket' in target ? connect(target.socket) : connect(target.port, target.host ?? '127.0.0.1');
    this.socket.setEncoding('utf8');
    this.socket.on('data', (chunk: string) => {
      this.text += chunk;
      this.#notify();
    });
    this.socket.on('error', () => {});
    this.socket.on('close', () => {
      this.closed = true;
      this.#notify();
    });
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  send(line: string): this {
    this.socket.write(`${line}\n`);
    return this;
  }

  /** Resolves with the text received after `from` once it matches `what`; rejects if the connection closes first (unless waiting for the close). */
  waitFor(what: string | RegExp | ((text: string) => boolean), options: { from?: number; timeoutMs?: number } = {}): Promise<string> {
    const from = options.from ?? 0;
    const test = typeof what === 'function' ? what : (t: string) => (typeof what === 'string' ? t.includes(what) : what.test(t));
    return new Promise((resolve, reject) => {
      const check = () => {
        const seen = this.text.slice(from);
        if (test(seen)) {
          done();
          resolve(seen);
        } else if (this.closed) {
          done();
          reject(new Error(`The console connection closed before it showed ${String(what)}:\n${this.text}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`Timed out waiting for ${String(what)}:\n${this.text}`));
      }, options.timeoutMs ?? 15_000);
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Sends `line` and resolves with everything up to the next prompt. */
  async ask(line: string, prompt = 'mode-di> '): Promise<string> {
    const from = this.text.length;
    this.send(line);
    const seen = await this.waitFor(new RegExp(`${prompt.replace(/[$()*+.?[\\\]^{|}]/g, '\\$&')}$`), { from });
    return seen.slice(0, -prompt.length);
  }

  /** Resolves once the server has closed the connection. */
  get ended(): Promise<void> {
    return this.closed ? Promise.resolve() : new Promise((resolve) => this.socket.once('close', () => resolve()));
  }

  close(): void {
    this.socket.destroy();
  }
}
