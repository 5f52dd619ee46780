// Parses the command line on a worker thread, so yargs loads while the main thread loads the app's framework.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { UsageError } from '../errors/usage.js';
import { CommandLineError, type ParsedCommand, parseCommandLine } from './parse.js';

interface Request {
  readonly modeDiParse: true;
  readonly argv: readonly string[];
  readonly columns: number | undefined;
}

type Reply =
  | { readonly ok: true; readonly parsed: ParsedCommand; readonly output: string }
  | { readonly ok: false; readonly kind: 'command-line' | 'usage' | 'other'; readonly message: string; readonly stack: string | undefined };

/**
 * {@link parseCommandLine} on a worker thread (the parse is CPU-bound and independent of
 * loading the framework, which the main thread does meanwhile). Help or version text is
 * printed here; errors come back with their class (`CommandLineError`, `UsageError`). Falls
 * back to parsing in this thread if the worker cannot run.
 *
 * @example
 * ```ts
 * const parsing = parseOffThread(process.argv.slice(2));
 * await import('./run.js');          // meanwhile
 * const parsed = await parsing;
 * ```
 */
export function parseOffThread(argv: readonly string[], print: (text: string) => void = (t) => process.stdout.write(t)): Promise<ParsedCommand> {
  const inThisThread = () => parseCommandLine(argv, print);
  return new Promise<ParsedCommand>((resolve, reject) => {
    let replied = false;
    let worker: Worker;
    try {
      const request: Request = { modeDiParse: true, argv: [...argv], columns: process.stdout.columns };
      worker = new Worker(new URL(import.meta.url), { workerData: request, stdout: true, stderr: true });
    } catch {
      inThisThread().then(resolve, reject);
      return;
    }
    worker.once('message', (reply: Reply) => {
      replied = true;
      if (reply.ok) {
        if (reply.output) print(reply.output);
        resolve(reply.parsed);
      } else if (reply.kind === 'command-line') {
        reject(new CommandLineError(reply.message));
      } else if (reply.kind === 'usage') {
        reject(new UsageError(reply.message));
      } else {
        reject(Object.assign(new Error(reply.message), { stack: reply.stack }));
      }
    });
    const fallBack = () => {
      if (replied) return;
      replied = true;
      inThisThread().then(resolve, reject);
    };
    worker.once('error', fallBack);
    worker.once('exit', fallBack);
  });
}

if (!isMainThread && (workerData as Partial<Request> | null)?.modeDiParse) {
  const { argv, columns } = workerData as Request;
  let output = '';
  const post = (reply: Reply) => parentPort!.postMessage(reply);
  parseCommandLine(argv, (text) => (output += text), columns).then(
    (parsed) => post({ ok: true, parsed, output }),
    (error: unknown) => {
      const err = error instanceof Error ? error : new Error(String(error));
      const kind = err instanceof CommandLineError ? 'command-line' : err instanceof UsageError ? 'usage' : 'other';
      post({ ok: false, kind, message: err.message, stack: err.stack });
    },
  );
}
