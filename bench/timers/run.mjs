// Timer precision and cost: @timer against Node's setInterval, idle and beside a CPU-hungry neighbour.
// Run with `npm run bench -- timers` (builds first; node --expose-gc bench/timers/run.mjs).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Service, timer } from '../../dist/index.js';

const INTERVAL_MS = 10;
const PRECISION_RUN_MS = 10_000;
const MANY = 1_000;
const MANY_INTERVAL_MS = 100;
const CPU_WARMUP_MS = 1_000;
const CPU_WINDOW_MS = 3_000;
const CPU_WINDOWS = 4;
const CPU_PROCESSES = 5;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const decorate = (decorator, Class, key) => decorator(Class.prototype, key, Object.getOwnPropertyDescriptor(Class.prototype, key));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// ---------------------------------------------------------------------------------------
// CPU: each measurement runs in its own process (`--cpu bare|ours`), so neither inherits the
// other's JIT, heap or timer lists: warm up, then several windows, after a GC each.

let ticks = 0;
class ManyTicker {
  tick() {
    ticks++;
  }
}
decorate(timer(MANY_INTERVAL_MS), ManyTicker, 'tick');
class ManyRoot extends Service {}

async function cpuWindows() {
  await sleep(CPU_WARMUP_MS);
  const windows = [];
  for (let i = 0; i < CPU_WINDOWS; i++) {
    globalThis.gc?.();
    const before = process.cpuUsage();
    const ticksBefore = ticks;
    await sleep(CPU_WINDOW_MS);
    const used = process.cpuUsage(before);
    windows.push({ cpuMs: (used.user + used.system) / 1_000, runs: ticks - ticksBefore });
  }
  return windows;
}

async function cpuChild(kind) {
  let result;
  if (kind === 'bare10') {
    const handle = setInterval(() => ticks++, INTERVAL_MS);
    result = await cpuWindows();
    clearInterval(handle);
  } else if (kind === 'ours10') {
    class One extends Service {
      tick() {
        ticks++;
      }
    }
    decorate(timer(INTERVAL_MS), One, 'tick');
    const one = new One();
    await one.start();
    result = await cpuWindows();
    await one.stop();
  } else if (kind === 'bare') {
    const handles = [];
    for (let i = 0; i < MANY; i++) handles.push(setInterval(() => ticks++, MANY_INTERVAL_MS));
    result = await cpuWindows();
    handles.forEach(clearInterval);
  } else {
    // 1,000 services with one @timer each, started together as an app would start them.
    const root = new ManyRoot();
    for (let i = 0; i < MANY; i++) root.addDependency(new ManyTicker());
    await root.start();
    result = await cpuWindows();
    await root.stop();
  }
  process.stdout.write(JSON.stringify(result));
}

function cpuRun(kind) {
  const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--cpu', kind], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`CPU child (${kind}) failed: ${child.stderr}`);
  return JSON.parse(child.stdout);
}

// ---------------------------------------------------------------------------------------
// Precision: lag of each tick against its slot.

/** A 7 ms setInterval that busy-loops 3 ms: something else on the event loop, eating CPU. */
function startNeighbour() {
  const handle = setInterval(() => {
    const end = performance.now() + 3;
    while (performance.now() < end);
  }, 7);
  return () => clearInterval(handle);
}

function summarize(lags, slots) {
  const sorted = [...lags].sort((a, b) => a - b);
  return {
    ticks: lags.length,
    missed: slots - lags.length,
    lastLag: lags.at(-1) ?? NaN,
    p99: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? NaN,
    earliest: sorted[0] ?? NaN,
  };
}

/**
 * One @timer(10ms) service for 10 s. With execFirst the first run comes at the anchor, so
 * slot k is `first + k × 10 ms`; a run more than an interval late stands for the latest slot
 * passed (the timer's own rule), which is what its lag is measured against.
 */
async function oursPrecision(runMs = PRECISION_RUN_MS) {
  const times = [];
  class Ticker extends Service {
    tick() {
      times.push(performance.now());
    }
  }
  decorate(timer(INTERVAL_MS, { name: 'bench', execFirst: true }), Ticker, 'tick');
  const ticker = new Ticker();
  await ticker.start();
  await sleep(runMs + INTERVAL_MS / 2);
  await ticker.stop();
  const [anchor, ...rest] = times;
  const lags = [];
  let k = 0;
  for (const t of rest) {
    k++;
    if (t - (anchor + k * INTERVAL_MS) >= INTERVAL_MS) k = Math.floor((t - anchor) / INTERVAL_MS);
    if (k * INTERVAL_MS > runMs) break;
    lags.push(t - (anchor + k * INTERVAL_MS));
  }
  return summarize(lags, runMs / INTERVAL_MS);
}

/** Node's setInterval(fn, 10) for 10 s: tick k is due at `start + k × 10 ms` (it never skips, it drifts). */
async function setIntervalPrecision(runMs = PRECISION_RUN_MS) {
  const times = [];
  const anchor = performance.now();
  const handle = setInterval(() => times.push(performance.now()), INTERVAL_MS);
  await sleep(runMs + INTERVAL_MS / 2);
  clearInterval(handle);
  const lags = times.filter((t) => t <= anchor + runMs + INTERVAL_MS / 2).map((t, i) => t - (anchor + (i + 1) * INTERVAL_MS));
  return summarize(lags, runMs / INTERVAL_MS);
}

const ms = (v) => `${v.toFixed(3)} ms`;
const ratio = (a, b) => (Math.abs(b) < 1e-9 ? '—' : `${(a / b).toFixed(3)}×`);

function printPrecision(title, ours, node) {
  console.log(`\n${title}`);
  console.log(`  ${'metric'.padEnd(28)}${'@timer(10ms)'.padStart(14)}${'setInterval(10)'.padStart(18)}${'ratio'.padStart(10)}`);
  const row = (name, a, b, fmt) => console.log(`  ${name.padEnd(28)}${fmt(a).padStart(14)}${fmt(b).padStart(18)}${ratio(a, b).padStart(10)}`);
  row('ticks in 10 s (of 1000)', ours.ticks, node.ticks, String);
  row('slots missed', ours.missed, node.missed, String);
  row('cumulative lag, last tick', ours.lastLag, node.lastLag, ms);
  row('p99 lag', ours.p99, node.p99, ms);
  row('earliest tick (min lag)', ours.earliest, node.earliest, ms);
}

async function main() {
  console.log(`Node ${process.version}, ${process.platform}/${process.arch}`);
  console.log(
    `Lag = run time - slot time (@timer: first run + k × ${INTERVAL_MS} ms; setInterval: start + k × ${INTERVAL_MS} ms).` +
      `\nTargets: |cumulative lag| <= 2 ms after 1,000 ticks, idle and with the neighbour; p99 <= 2 ms idle, <= 4 ms with the neighbour; no tick early.`,
  );

  // Warm up (JIT) first: the anchor is the first run as its callback sees it, and a cold
  // first call would make every later run look early by its compile time.
  await oursPrecision(200);
  await setIntervalPrecision(200);
  const idleOurs = await oursPrecision();
  const idleNode = await setIntervalPrecision();
  printPrecision('One 10 ms timer for 10 s, idle', idleOurs, idleNode);
  const stopNeighbour = startNeighbour();
  const busyOurs = await oursPrecision();
  const busyNode = await setIntervalPrecision();
  stopNeighbour();
  printPrecision('One 10 ms timer for 10 s, beside a 7 ms setInterval busy-looping 3 ms', busyOurs, busyNode);

  /** Process CPU of `kind` against `anchor`, each in fresh processes, alternating; returns the ratio of medians. */
  const cpuCompare = (title, oursKind, bareKind) => {
    console.log(`\n${title}: process CPU over ${CPU_WINDOWS} windows of ${CPU_WINDOW_MS / 1000} s after ${CPU_WARMUP_MS / 1000} s of warm-up, in ${CPU_PROCESSES} fresh processes each, alternating`);
    const bare = [];
    const ours = [];
    for (let i = 0; i < CPU_PROCESSES; i++) {
      bare.push(...cpuRun(bareKind));
      ours.push(...cpuRun(oursKind));
    }
    const show = (windows) => windows.map((w) => w.cpuMs.toFixed(1)).join(' ');
    console.log(`  setInterval windows (ms CPU): ${show(bare)}   runs/window ≈ ${median(bare.map((w) => w.runs))}`);
    console.log(`  @timer      windows (ms CPU): ${show(ours)}   runs/window ≈ ${median(ours.map((w) => w.runs))}`);
    const bareMedian = median(bare.map((w) => w.cpuMs));
    const oursMedian = median(ours.map((w) => w.cpuMs));
    console.log(`  median: @timer ${oursMedian.toFixed(1)} ms | setInterval ${bareMedian.toFixed(1)} ms | ratio ${(oursMedian / bareMedian).toFixed(3)}× (target <= 1.2×)`);
    return oursMedian / bareMedian;
  };
  const oneRatio = cpuCompare(`One ${INTERVAL_MS} ms timer`, 'ours10', 'bare10');
  const manyRatio = cpuCompare(`${MANY} timers at ${MANY_INTERVAL_MS} ms (${MANY} @timer services vs ${MANY} setIntervals)`, 'ours', 'bare');

  const met = (ok) => (ok ? 'met' : 'MISSED');
  const lagOk = (r, p99) => Math.abs(r.lastLag) <= 2 && r.earliest >= 0 && r.p99 <= p99;
  console.log(
    `\nTargets: idle ${met(lagOk(idleOurs, 2))}; with neighbour ${met(lagOk(busyOurs, 4))}; CPU of one 10 ms timer ${met(oneRatio <= 1.2)}; CPU of ${MANY} timers ${met(manyRatio <= 1.2)}.`,
  );
}

if (process.argv[2] === '--cpu') await cpuChild(process.argv[3]);
else await main();
