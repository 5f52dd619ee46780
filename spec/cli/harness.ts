// Spawns the real `mode-di` CLI (dist/cli/bin.js) and waits on what it prints, never on the clock.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'dist/cli/bin.js');
export const FIXTURES = join(ROOT, 'spec/fixtures');

/** Mode's text line: `[YYYY-MM-DD HH:mm:ss,SSS: LEVEL]: [^--Label]: message`. */
export const LOG_LINE = /^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}: (DEBUG|INFO|WARNING|ERROR|CRITICAL)\]: \[\^-*[^\]]+\]: .*$/;
/** A JavaScript stack frame, as printed in a stack trace. */
export const STACK_FRAME = /\n\s+at .+:\d+:\d+\)?/;

/** One compile cache per test process, so specs do not disturb the repo's cache (or each other). */
const CACHE_DIR = mkdtempSync(join(tmpdir(), 'mode-di-spec-cache-'));

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running CLI process with its output so far. */
export class CliProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exit>;
  #exit: Exit | undefined;
  readonly #waiters = new Set<() => void>();

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      this.stdout += chunk;
      this.#notify();
    });
    child.stderr.on('data', (chunk: string) => {
      this.stderr += chunk;
      this.#notify();
    });
    this.exited = new Promise((resolveExit) => {
      child.on('close', (code, signal) => {
        this.#exit = { code, signal, stdout: this.stdout, stderr: this.stderr };
        this.#notify();
        resolveExit(this.#exit);
      });
    });
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  /**
   * Resolves once `what` appears in the stream (a string, a regexp, or a predicate over the
   * text). Rejects if the process exits first, or after `timeoutMs` as a safety net.
   */
  waitFor(what: string | RegExp | ((text: string) => boolean), options: { stream?: 'stdout' | 'stderr'; timeoutMs?: number } = {}): Promise<string> {
    const stream = options.stream ?? 'stdout';
    const test = typeof what === 'function' ? what : typeof what === 'string' ? (t: string) => t.includes(what) : (t: string) => what.test(t);
    return new Promise((resolveWait, reject) => {
      const check = () => {
        const text = this[stream];
        if (test(text)) {
          done();
          resolveWait(text);
        } else if (this.#exit) {
          done();
          reject(new Error(`mode-di exited (code ${this.#exit.code}, signal ${this.#exit.signal}) before ${stream} showed ${String(what)}.\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        this.child.kill('SIGKILL');
        reject(new Error(`Timed out waiting for ${stream} to show ${String(what)}.\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`));
      }, options.timeoutMs ?? 15_000);
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}

/** Every CLI process still running: killed when the test process exits, so a failed spec leaves none behind. */
const running = new Set<ChildProcessWithoutNullStreams>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts `node dist/cli/bin.js <args>` with pipes for stdout and stderr. With `detached`, in a
 * process group of its own (its pid is the group's id), so a spec can check that nothing it
 * started is left once it exits.
 */
export function startCli(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; detached?: boolean } = {}): CliProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, MODE_DI_CACHE_DIR: CACHE_DIR, ...options.env };
  delete env['NODE_OPTIONS'];
  for (const name of Object.keys(env)) if (name.startsWith('MODE_') && name !== 'MODE_DI_CACHE_DIR' && !(options.env && name in options.env)) delete env[name];
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env, stdio: ['pipe', 'pipe', 'pipe'], detached: options.detached ?? false });
  running.add(child);
  child.on('exit', () => running.delete(child));
  return new CliProcess(child);
}

/** Runs the CLI to completion. */
export function runCli(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Exit> {
  return startCli(args, options).exited;
}

/** The path of a fixture module. */
export function fixture(name: string): string {
  return join(FIXTURES, name);
}

/** The lines of a text, without the empty last one. */
export function linesOf(text: string): string[] {
  return text.split('\n').filter((line, i, all) => line !== '' || i < all.length - 1);
}

/** The `[^--Label]: message` part of every log line, in order. */
export function messagesOf(text: string): string[] {
  return linesOf(text)
    .filter((line) => LOG_LINE.test(line))
    .map((line) => line.replace(/^\[[^\]]+\]: /, ''));
}
