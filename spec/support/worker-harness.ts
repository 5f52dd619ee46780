// A Worker run from code, writing to in-memory streams: what it printed, and a way to wait for a line.
import { PassThrough } from 'node:stream';
import type { WorkerOptions } from '../../lib/worker/options.js';
import { Worker, type WorkerTarget } from '../../lib/worker/worker.js';

/** A Worker writing to in-memory streams, with no signal handlers. */
export function harness(target: WorkerTarget, options: WorkerOptions = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    waiters.forEach((w) => w());
  });
  stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const worker = new Worker(target, { stdout, stderr, handleSignals: false, ...options });
  return {
    worker,
    out: () => out,
    err: () => err,
    until: (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (out.includes(text)) {
            waiters.delete(check);
            resolve();
          }
        };
        waiters.add(check);
        check();
      }),
  };
}

