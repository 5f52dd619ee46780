// Bench: drawing the service graph (the tutorial's 5 nodes and 1,000 services) to SVG and PNG with
// the bundled WebAssembly Graphviz and resvg: first call in a fresh process (WASM load included), then
// warm; beside the system `dot` where installed. Run with `npm run bench -- graph` (builds first).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const DIST = new URL('../../dist/index.js', import.meta.url).href;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const FRESH_RUNS = Number(process.env.BENCH_FRESH_RUNS ?? 3);
const LARGE = 1_000;
const TARGET_SVG_MS = 2_000;
if (!(Number.isInteger(RUNS) && RUNS > 0 && Number.isInteger(FRESH_RUNS) && FRESH_RUNS > 0)) {
  console.error('BENCH_RUNS and BENCH_FRESH_RUNS must be positive integers.');
  process.exit(2);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const ratio = (a, b) => `${(a / b).toFixed(2)}x`;

/** The tutorial app as the Worker runs it: Worker -> AppService -> Websockets, UserCache, Webserver. */
function tutorial() {
  const node = (id, depth, kind = 'service') => ({ id, label: id, state: 'running', depth, kind, restartCount: 0 });
  return {
    nodes: [node('Worker', 0, 'worker'), node('AppService', 1), node('Websockets', 2), node('UserCache', 2), node('Webserver', 2)],
    edges: [
      { from: 'Worker', to: 'AppService', kind: 'owned' },
      ...['Websockets', 'UserCache', 'Webserver'].map((to) => ({ from: 'AppService', to, kind: 'injected' })),
    ],
  };
}

/** A DI-like DAG of `size` services: each injects one or two earlier ones (seeded, so every run draws the same graph). */
function large(size) {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const nodes = [];
  const edges = [];
  for (let i = 0; i < size; i++) {
    const targets = new Set();
    if (i > 0) for (let k = 1 + Math.floor(random() * 2); k > 0; k--) targets.add(Math.floor(random() * i));
    for (const t of targets) edges.push({ from: `s${i}`, to: `s${t}`, kind: 'injected' });
    nodes.push({ id: `s${i}`, label: `Service${i}`, state: 'running', depth: 1, kind: 'service', restartCount: 0 });
  }
  return { nodes, edges };
}

const graphs = { tutorial: tutorial(), large: large(LARGE) };
const LABELS = { tutorial: 'tutorial (5)', large: `${LARGE.toLocaleString('en')} services` };

// ---- child: the first call in a fresh process (WASM load included), after importing mode-di ----
if (process.argv[2] === '--fresh') {
  const [, , , name, format] = process.argv;
  const began = performance.now();
  const { renderGraphToBuffer } = await import(DIST);
  const imported = performance.now();
  await renderGraphToBuffer(graphs[name], format);
  process.stdout.write(JSON.stringify({ importMs: imported - began, firstMs: performance.now() - imported }));
  process.exit(0);
}

function fresh(name, format) {
  const first = [];
  const imports = [];
  for (let run = 0; run < FRESH_RUNS; run++) {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--fresh', name, format], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`fresh ${name} ${format} failed: ${child.stderr}`);
    const { importMs, firstMs } = JSON.parse(child.stdout);
    first.push(firstMs);
    imports.push(importMs);
  }
  return { first: median(first), importMs: median(imports) };
}

const { renderGraphToBuffer, loadGraphviz } = await import(DIST);

async function warm(name, format, options = {}) {
  await renderGraphToBuffer(graphs[name], format, options);
  const times = [];
  let bytes = 0;
  for (let run = 0; run < RUNS; run++) {
    globalThis.gc?.();
    const began = performance.now();
    bytes = (await renderGraphToBuffer(graphs[name], format, options)).length;
    times.push(performance.now() - began);
  }
  return { ms: median(times), bytes };
}

const dotInstalled = spawnSync('dot', ['-V']).error === undefined;
await loadGraphviz();
console.log(`Graph pictures: median of ${RUNS} warm renders, ${FRESH_RUNS} fresh processes; system dot ${dotInstalled ? 'installed' : 'not installed'}.`);
console.log('"first" is the first render in a fresh process, WASM load included, after importing mode-di (import time shown apart).');
console.log('graph             format   first       (import)    warm        first/warm   warm PNG/SVG   system dot (warm)   wasm/dot   size');
let largeSvgMs;
for (const name of ['tutorial', 'large']) {
  const label = LABELS[name];
  let svgMs;
  for (const format of ['svg', 'png']) {
    const { first, importMs } = fresh(name, format);
    const { ms, bytes } = await warm(name, format);
    if (format === 'svg') svgMs = ms;
    if (format === 'svg' && name === 'large') largeSvgMs = ms;
    const system = dotInstalled ? (await warm(name, format, { engine: 'dot' })).ms : undefined;
    console.log(
      [
        label.padEnd(17),
        format.padEnd(8),
        fmt(first).padEnd(11),
        `(${fmt(importMs)})`.padEnd(11),
        fmt(ms).padEnd(11),
        ratio(first, ms).padEnd(12),
        (format === 'png' ? ratio(ms, svgMs) : '-').padEnd(14),
        (system === undefined ? 'not installed' : fmt(system)).padEnd(19),
        (system === undefined ? '-' : ratio(ms, system)).padEnd(10),
        `${(bytes / 1024).toFixed(0)} KiB`,
      ].join(' '),
    );
  }
}
const met = largeSvgMs < TARGET_SVG_MS;
console.log(`Target: a ${LARGE.toLocaleString('en')}-node SVG in under ${fmt(TARGET_SVG_MS)} warm: ${fmt(largeSvgMs)} (${met ? 'met' : 'NOT met'}).`);
