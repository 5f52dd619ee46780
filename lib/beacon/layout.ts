// Lays out DOT text as SVG: the bundled WebAssembly Graphviz by default, the system `dot` when asked.
import { spawn } from 'node:child_process';
import type { Graphviz } from '@hpcc-js/wasm-graphviz';
import { describeError } from '../errors/mode-error.js';
import { GraphLayoutError, GraphvizNotInstalledError } from '../errors/beacon.js';

/**
 * Which Graphviz lays the graph out: `wasm` (bundled, the default) or `dot` (the system's
 * Graphviz, only when asked).
 * @example
 * ```ts
 * const engine: LayoutEngine = 'dot';
 * ```
 * @category Beacon
 */
export type LayoutEngine = 'wasm' | 'dot';

/**
 * The WebAssembly Graphviz, loaded once per process (a failed load is tried again next time).
 * Imported on first use: importing mode-di does not pay for it.
 */
let graphvizLoading: Promise<Graphviz> | undefined;

/**
 * Loads the bundled WebAssembly Graphviz, once: every later call gets the same instance.
 * `renderGraph` calls it for you; call it early to take the load (~100 ms) off a later render.
 * @example
 * ```ts
 * await loadGraphviz(); // at start-up, while nothing else is happening
 * ```
 * @category Beacon
 */
export function loadGraphviz(): Promise<Graphviz> {
  graphvizLoading ??= import('@hpcc-js/wasm-graphviz')
    .then(({ Graphviz }) => Graphviz.load())
    .catch((error: unknown) => {
      graphvizLoading = undefined;
      throw new GraphLayoutError('wasm', `its WebAssembly module did not load (${describeError(error)})`, { cause: error });
    });
  return graphvizLoading;
}

/** Lays out `dot` as SVG with the bundled WebAssembly Graphviz. */
async function layoutWithWasm(dot: string): Promise<string> {
  const graphviz = await loadGraphviz();
  try {
    return graphviz.dot(dot, 'svg');
  } catch (error) {
    throw new GraphLayoutError('wasm', error instanceof Error ? error.message : String(error), { cause: error });
  }
}

/** Lays out `dot` as SVG with the system's `dot -Tsvg`, found on the PATH. */
function layoutWithSystemDot(dot: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('dot', ['-Tsvg'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let failure: Error | undefined;
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      failure ??= error.code === 'ENOENT' ? new GraphvizNotInstalledError('dot') : new GraphLayoutError('dot', describeError(error), { cause: error });
    });
    // dot may exit before reading all its input (a syntax error): its exit status says why.
    child.stdin.on('error', () => {});
    child.on('close', (code, signal) => {
      if (failure) return reject(failure);
      const messages = Buffer.concat(stderr).toString('utf8');
      if (code !== 0) return reject(new GraphLayoutError('dot', messages || `dot exited with ${signal ?? `code ${code}`}`));
      resolve(Buffer.concat(stdout).toString('utf8'));
    });
    child.stdin.end(dot);
  });
}

/**
 * Lays out DOT text as an SVG document with the chosen engine.
 * @example
 * ```ts
 * const svg = await layoutSvg('digraph { a -> b }', 'wasm');
 * ```
 */
export function layoutSvg(dot: string, engine: LayoutEngine): Promise<string> {
  return engine === 'dot' ? layoutWithSystemDot(dot) : layoutWithWasm(dot);
}
