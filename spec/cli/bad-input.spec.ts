// `mode-di run` against the bad-input corpus: the right status, a message naming the offending thing, no stack for a mistake, no hang, no process left.
import { describe, expect, it } from 'vitest';
import { BAD_INPUTS } from './bad-input.cases.js';
import { type Exit, startCli } from './harness.js';

/** CLI processes run at once: enough to finish the corpus quickly, few enough for 2 busy cores. */
const AT_ONCE = 3;
/** A case that has not ended by then hangs (it normally takes under a second). */
const HANG_MS = 30_000;

let running = 0;
const queue: Array<() => void> = [];
async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (running >= AT_ONCE) await new Promise<void>((resolve) => queue.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    queue.shift()?.();
  }
}

/** Runs the CLI; rejects (after killing it) if it has not ended within {@link HANG_MS}. */
function runBounded(args: readonly string[], env: Readonly<Record<string, string>> | undefined): Promise<Exit & { pid: number }> {
  const cli = startCli(args, { ...(env ? { env: { ...env } } : {}), detached: true });
  const pid = cli.child.pid!;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cli.kill('SIGKILL');
      reject(new Error(`mode-di ${args.join(' ')} hung (no exit within ${HANG_MS}ms).\nstdout:\n${cli.stdout}\nstderr:\n${cli.stderr}`));
    }, HANG_MS);
    void cli.exited.then((exit) => {
      clearTimeout(timer);
      resolve({ ...exit, pid });
    });
  });
}

/** Whether any process of the group led by `pid` (the CLI and whatever it started) still exists. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A stack frame of mode-di itself, of inversify, or of Node's internals. */
const FRAMEWORK_FRAME = /^\s+at .*(node:internal|\/dist\/|\/lib\/(?:worker|cli|loader|lifecycle|application|service)\/|node_modules\/(?:inversify|@inversifyjs))/m;

describe('mode-di run with bad input', () => {
  it('has at least 60 cases', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(BAD_INPUTS.map((c) => c.name)).size).toBe(BAD_INPUTS.length);
  });

  it.concurrent.each(BAD_INPUTS)('$name: exits $code and says so', async ({ args, env, code, stream, message, stack }) => {
    const exit = await limited(() => runBounded(args, env));
    const output = `stdout:\n${exit.stdout}\nstderr:\n${exit.stderr}`;
    expect(exit.signal, output).toBeNull();
    expect(exit.code, output).toBe(code);
    expect(exit[stream], output).toMatch(message);
    if (stream === 'stderr' && code === 2) {
      expect(exit.stderr, output).toMatch(/^mode-di: /);
      expect(exit.stdout, output).toBe('');
    }
    if (!stack) expect(`${exit.stdout}\n${exit.stderr}`, output).not.toMatch(/^\s+at /m);
    expect(`${exit.stdout}\n${exit.stderr}`, output).not.toMatch(FRAMEWORK_FRAME);
    expect(groupAlive(exit.pid), 'a process of the run is left behind').toBe(false);
  });
});
