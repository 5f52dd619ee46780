// The console's `js` command: a node:repl on the main thread, its input and output carried by the console thread.
import { PassThrough, Writable } from 'node:stream';
import { start as startRepl, type REPLServer } from 'node:repl';

/**
 * A REPL for one console connection.
 * @example
 * ```ts
 * const repl = new ConsoleRepl(app, (data) => send(data), () => backToCommands());
 * repl.input('await app.get(Cache).size()\n');
 * ```
 */
export class ConsoleRepl {
  readonly #input = new PassThrough();
  readonly #server: REPLServer;
  #closed = false;

  /**
   * @param app In scope as `app`.
   * @param output Receives what the REPL prints.
   * @param onExit Called once when the REPL ends (`.exit`, or {@link ConsoleRepl.close}).
   */
  constructor(app: unknown, output: (data: string) => void, onExit: () => void) {
    const sink = new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        output(String(chunk));
        done();
      },
    });
    this.#server = startRepl({ prompt: 'js> ', input: this.#input, output: sink, terminal: false, useColors: false, ignoreUndefined: true, preview: false });
    Object.defineProperty(this.#server.context, 'app', { value: app, enumerable: true, configurable: true, writable: true });
    this.#server.once('exit', () => {
      this.#closed = true;
      onExit();
    });
  }

  /** Feeds what the client typed. */
  input(data: string): void {
    if (!this.#closed) this.#input.write(data);
  }

  /** Ends the REPL (the connection closed). */
  close(): void {
    if (this.#closed) return;
    this.#server.close();
  }
}
