// Bench: what the blocking detector (with the loop monitor, as the Worker runs them) costs while nothing blocks:
// async/await and HTTP throughput with and without it, alternated in one run; and its added RSS and start time.
// Run with `npm run bench -- diagnostics` (builds first). BENCH_ROUNDS pairs (default 20) of BENCH_WINDOW_MS windows (default 1000).
import { fork, spawnSync } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { BlockingDetector, LoopMonitor } from '../../dist/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 1_000);
const RSS_PROCESSES = 5;
/** After turning the detector on or off: its thread's start or exit is not what is measured. */
const SETTLE_MS = 500;
const CONCURRENCY = 16;
const SELF = fileURLToPath(import.meta.url);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** A 95 % bootstrap interval of the median of `xs`. */
function interval(xs, resamples = 2_000) {
  const medians = [];
  for (let i = 0; i < resamples; i++) medians.push(median(xs.map(() => xs[Math.floor(Math.random() * xs.length)])));
  medians.sort((a, b) => a - b);
  return [medians[Math.floor(resamples * 0.025)], medians[Math.floor(resamples * 0.975)]];
}
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** The Worker's diagnostics with their defaults: the detector at 10 s (100 ms heartbeat) and the loop monitor. */
function diagnostics() {
  const detector = new BlockingDetector({ stderr: false });
  const monitor = new LoopMonitor();
  return {
    async start() {
      monitor.start();
      await detector.start();
    },
    async stop() {
      monitor.stop();
      await detector.stop();
    },
  };
}

/**
 * Runs `measure()` ROUNDS times with the diagnostics on and ROUNDS times off, alternating which
 * goes first in each pair. `measure()` returns the throughput and the process's CPU time per
 * operation (all its threads: the watchdog's included); returns each one's medians and the
 * per-pair ratios (on / off). CPU per operation is the steadier figure on a shared machine.
 */
async function alternate(measure) {
  const runs = { true: [], false: [] };
  await measure(); // warm-up, not counted
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? [true, false] : [false, true];
    for (const withDetector of order) {
      const d = withDetector ? diagnostics() : undefined;
      await d?.start();
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      globalThis.gc?.();
      runs[withDetector].push(await measure());
      await d?.stop();
    }
  }
  const pairs = (key) => runs.true.map((on, i) => on[key] / runs.false[i][key]);
  return {
    on: median(runs.true.map((r) => r.perSecond)),
    off: median(runs.false.map((r) => r.perSecond)),
    cpuOn: median(runs.true.map((r) => r.cpuPerOpUs)),
    cpuOff: median(runs.false.map((r) => r.cpuPerOpUs)),
    ratios: pairs('perSecond'),
    cpuRatios: pairs('cpuPerOpUs'),
  };
}

/** Runs `work()` (which returns how many operations it did) and measures the rate and the process's CPU per operation. */
async function timed(work) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const ops = await work();
  const elapsed = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { perSecond: (ops / elapsed) * 1_000, cpuPerOpUs: (used.user + used.system) / ops };
}

// ---- async/await: chains of awaits, the loop turning between batches (so timers, the heartbeat included, run). ----

async function leaf(i) {
  return i + 1;
}
async function middle(i) {
  return (await leaf(i)) + (await leaf(i + 1));
}
function asyncAwaits() {
  return timed(async () => {
    const end = performance.now() + WINDOW_MS;
    let ops = 0;
    while (performance.now() < end) {
      for (let k = 0; k < 2_000; k++) await middle(k);
      ops += 2_000;
      await turn();
    }
    return ops;
  });
}

// ---- HTTP: a hello-world server here, a keep-alive load generator in a child process. ----

async function httpBench() {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '12' });
    res.end('hello world\n');
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const load = fork(SELF, ['--load', String(port)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = () =>
    timed(
      () =>
        new Promise((resolve) => {
          load.once('message', (m) => resolve(m.requests));
          load.send({ windowMs: WINDOW_MS });
        }),
    );
  try {
    return await alternate(ask);
  } finally {
    load.kill();
    server.close();
    server.closeAllConnections();
  }
}

/** The load generator: CONCURRENCY loops of keep-alive GETs for each window it is asked for. */
function loadGenerator(port) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const get = () =>
    new Promise((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
          res.resume();
          res.on('end', resolve);
        })
        .on('error', reject);
    });
  process.on('message', async ({ windowMs }) => {
    const end = performance.now() + windowMs;
    let done = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < end) {
          await get();
          done++;
        }
      }),
    );
    process.send({ requests: done });
  });
}

// ---- RSS and start time, each in a fresh process. ----

async function footprint() {
  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const before = process.memoryUsage().rss;
  const t0 = performance.now();
  const d = diagnostics();
  const starting = d.start();
  const sync = performance.now() - t0;
  await starting;
  const ready = performance.now() - t0;
  await new Promise((resolve) => setTimeout(resolve, 300));
  globalThis.gc?.();
  const after = process.memoryUsage().rss;
  await d.stop();
  process.stdout.write(JSON.stringify({ rssMiB: (after - before) / 2 ** 20, syncMs: sync, readyMs: ready }));
}

function footprints() {
  const runs = [];
  for (let i = 0; i < RSS_PROCESSES; i++) {
    const child = spawnSync(process.execPath, ['--expose-gc', SELF, '--footprint'], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`footprint child failed: ${child.stderr}`);
    runs.push(JSON.parse(child.stdout));
  }
  return { rssMiB: median(runs.map((r) => r.rssMiB)), syncMs: median(runs.map((r) => r.syncMs)), readyMs: median(runs.map((r) => r.readyMs)) };
}

function verdict(ratio, slowerWhenBelow) {
  const slower = (slowerWhenBelow ? 1 - ratio : ratio - 1) * 100;
  return `${slower >= 0 ? `${slower.toFixed(2)} % slower` : `${(-slower).toFixed(2)} % faster`} (target ≤ 1 % slower${slower <= 1 ? ', met' : ', MISSED'})`;
}

function print(title, unit, r) {
  const ratio = median(r.ratios);
  const cpuRatio = median(r.cpuRatios);
  const [low, high] = interval(r.ratios);
  const [cpuLow, cpuHigh] = interval(r.cpuRatios);
  console.log(`\n${title} (${ROUNDS} alternated pairs of ${WINDOW_MS} ms windows)`);
  console.log(`  ${''.padEnd(20)}${unit.padStart(14)}${'CPU µs per op'.padStart(16)}`);
  console.log(`  ${'without detector'.padEnd(20)}${Math.round(r.off).toLocaleString('en-US').padStart(14)}${r.cpuOff.toFixed(4).padStart(16)}`);
  console.log(`  ${'with detector'.padEnd(20)}${Math.round(r.on).toLocaleString('en-US').padStart(14)}${r.cpuOn.toFixed(4).padStart(16)}`);
  console.log(`  throughput, with / without (median of pairs): ${ratio.toFixed(3)}× [95 % ${low.toFixed(3)}–${high.toFixed(3)}] — ${verdict(ratio, true)}`);
  console.log(`  CPU per op, with / without (median of pairs): ${cpuRatio.toFixed(3)}× [95 % ${cpuLow.toFixed(3)}–${cpuHigh.toFixed(3)}] — ${verdict(cpuRatio, false)}`);
  console.log(`  throughput pair ratios: ${r.ratios.map((x) => x.toFixed(2)).join(' ')}`);
}

const [mode, arg] = process.argv.slice(2);
if (mode === '--load') {
  loadGenerator(Number(arg));
} else if (mode === '--footprint') {
  await footprint();
} else {
  console.log(`Blocking detector (timeout 10s, heartbeat 100ms) + loop monitor (20ms), as the Worker runs them, against nothing; Node ${process.version}.`);
  print('async/await chains', 'awaits/s', await alternate(asyncAwaits));
  print('HTTP hello world, keep-alive, 16 concurrent', 'requests/s', await httpBench());
  const f = footprints();
  console.log(`\nFootprint (median of ${RSS_PROCESSES} fresh processes): +${f.rssMiB.toFixed(1)} MiB RSS; start() holds the main thread ${f.syncMs.toFixed(1)} ms, the watchdog watches after ${f.readyMs.toFixed(1)} ms.`);
}
