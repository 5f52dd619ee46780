// bench/lifecycle: start+stop of N no-op services against raw inversify (the floor) and NestJS, then concurrency.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng } from './graphs.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const runsOverride = process.env.BENCH_RUNS === undefined ? undefined : Number(process.env.BENCH_RUNS);
for (const [name, values] of [['BENCH_SIZES', sizes], ['BENCH_RUNS', runsOverride === undefined ? [] : [runsOverride]]]) {
  if (values.some((v) => !Number.isInteger(v) || v < 1)) {
    console.error(`${name} must be a positive whole number${name === 'BENCH_SIZES' ? ' or a comma-separated list of them (e.g. 10000 or 1000,10000)' : ' (pairs of runs, e.g. 61)'}; got ${JSON.stringify(process.env[name])}.`);
    process.exit(2);
  }
}
const shapes = ['tree', 'dag'];

/** One measurement in a fresh process, so peak RSS is the case's own. */
function measure(impl, shape, n) {
  const r = spawnSync(process.execPath, ['--stack-size=4000', join(here, 'case.mjs'), impl, shape, String(n)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) return { error: (r.stderr.split('\n').find((l) => /Error/.test(l)) ?? 'failed').trim() };
  return JSON.parse(r.stdout);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** A 95 % bootstrap interval of the median of `xs` (2,000 resamples, seeded: the same data gives the same interval). */
function medianInterval(xs) {
  const rand = prng(7);
  const medians = Array.from({ length: 2000 }, () => median(xs.map(() => xs[Math.floor(rand() * xs.length)])));
  medians.sort((a, b) => a - b);
  return [medians[Math.floor(0.025 * medians.length)], medians[Math.floor(0.975 * medians.length)]];
}
const pad = (s, w) => String(s).padStart(w);

console.log('start+stop of N no-op services (each run in a fresh process)');
console.log('floor = raw inversify: load, getAsync of the roots only, then every hook awaited in turn');
console.log('listened = mode-di with a lifecycle listener attached (the Worker\'s path); quiet = without');
console.log('ratio = median over back-to-back runs of mode-di / floor (the target is on listened)\n');
console.log(`${pad('N', 7)} ${pad('shape', 5)} | ${pad('floor', 9)} ${pad('listened', 9)} ${pad('ratio', 6)} ${pad('quiet', 9)} ${pad('ratio', 6)} | ${pad('µs/svc', 7)} | ${pad('RSS MB', 7)} ${pad('floor', 7)} ${pad('ratio', 6)} | ${pad('NestJS', 9)} ${pad('vs us', 6)}`);
const sides = ['floor', 'mode-di-listened', 'mode-di'];
for (const n of sizes) {
  // Twenty-one runs a side up to 10,000 (a run is about a second; the VM swings ±15 % run to run), five at 100,000.
  const runs = runsOverride ?? (n <= 10_000 ? 21 : 5);
  for (const shape of shapes) {
    const results = Object.fromEntries(sides.map((side) => [side, []]));
    for (let r = 0; r < runs; r++) {
      // Back to back, so drift in machine load hits every side of a round alike; the order rotates.
      for (let k = 0; k < sides.length; k++) {
        const side = sides[(r + k) % sides.length];
        results[side].push(measure(side, shape, n));
      }
    }
    const nest = n <= 10_000 ? measure('nestjs', shape, n) : { error: 'skipped' };
    const bad = Object.values(results).flat().find((x) => x.error);
    if (bad) {
      console.log(`${pad(n, 7)} ${pad(shape, 5)} | error: ${bad.error}`);
      continue;
    }
    const floor = results.floor;
    const ms = (side) => median(results[side].map((x) => x.ms));
    // Each ratio is the median of the rounds' ratios: the machine's speed drifts over a run by more than the difference measured.
    const ratios = (side) => results[side].map((x, r) => x.ms / floor[r].ms);
    const listened = ratios('mode-di-listened');
    const [low, high] = medianInterval(listened);
    const oRss = median(results['mode-di-listened'].map((x) => x.rssMB));
    const fRss = median(floor.map((x) => x.rssMB));
    const rssRatio = median(results['mode-di-listened'].map((x, r) => x.rssMB / floor[r].rssMB));
    const oMs = ms('mode-di-listened');
    const nestCol = nest.error ? pad(nest.error === 'skipped' ? '-' : 'fails', 9) + pad('', 7) : `${pad(nest.ms.toFixed(0) + 'ms', 9)} ${pad((nest.ms / oMs).toFixed(2) + 'x', 6)}`;
    console.log(
      `${pad(n, 7)} ${pad(shape, 5)} | ${pad(ms('floor').toFixed(0) + 'ms', 9)} ${pad(oMs.toFixed(0) + 'ms', 9)} ${pad(median(listened).toFixed(2) + 'x', 6)} ${pad(ms('mode-di').toFixed(0) + 'ms', 9)} ${pad(median(ratios('mode-di')).toFixed(2) + 'x', 6)} | ${pad(((oMs * 1000) / n).toFixed(1), 7)} | ${pad(oRss.toFixed(0), 7)} ${pad(fRss.toFixed(0), 7)} ${pad(rssRatio.toFixed(2) + 'x', 6)} | ${nestCol}`,
    );
    console.log(`${pad('', 13)} | listened ratio's 95 % interval (bootstrap over the ${runs} rounds): ${low.toFixed(2)}–${high.toFixed(2)}x`);
    if (nest.error && nest.error !== 'skipped') console.log(`        NestJS ${shape} ${n}: ${nest.error}`);
  }
}
console.log('\nTarget: listened ratio <= 1.3x at 10k and 100k, linear growth (µs/svc flat), peak RSS <= 1.3x the floor, faster than NestJS.\n');
const c = spawnSync(process.execPath, [join(here, 'concurrency.mjs')], { stdio: 'inherit' });
process.exitCode = c.status ?? 1;
