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

console.log('start+stop of N no-op services (median of runs, each in a fresh process)');
console.log('floor = raw inversify getAsync of the same graph + direct sequential hook calls');
console.log('ratio = median over back-to-back pairs of mode-di / floor (the target); of med = ratio of the two medians\n');
console.log(`${pad('N', 7)} ${pad('shape', 5)} | ${pad('floor', 9)} ${pad('mode-di', 9)} ${pad('ratio', 6)} ${pad('of med', 6)} | ${pad('µs/svc', 7)} ${pad('floor', 7)} | ${pad('RSS MB', 7)} ${pad('floor', 7)} ${pad('ratio', 6)} | ${pad('NestJS', 9)} ${pad('vs us', 6)}`);
for (const n of sizes) {
  // Twenty-one runs a side up to 10,000 (a run is about a second; the VM swings ±15 % run to
  // run), five at 100,000.
  const runs = runsOverride ?? (n <= 10_000 ? 21 : 5);
  for (const shape of shapes) {
    const floor = [];
    const ours = [];
    for (let r = 0; r < runs; r++) {
      // In back-to-back pairs, so drift in machine load hits both sides of a pair alike; which
      // side goes first alternates, so neither always gets the quieter moment.
      if (r % 2 === 0) {
        floor.push(measure('floor', shape, n));
        ours.push(measure('mode-di', shape, n));
      } else {
        ours.push(measure('mode-di', shape, n));
        floor.push(measure('floor', shape, n));
      }
    }
    const nest = n <= 10_000 ? measure('nestjs', shape, n) : { error: 'skipped' };
    const bad = [...floor, ...ours].find((x) => x.error);
    if (bad) {
      console.log(`${pad(n, 7)} ${pad(shape, 5)} | error: ${bad.error}`);
      continue;
    }
    const fMs = median(floor.map((x) => x.ms));
    const oMs = median(ours.map((x) => x.ms));
    const fRss = median(floor.map((x) => x.rssMB));
    const oRss = median(ours.map((x) => x.rssMB));
    // The ratio is the median of each pair's ratio: the machine's speed drifts over a run by
    // more than the difference measured, and a pair shares its moment.
    const pairRatios = ours.map((x, r) => x.ms / floor[r].ms);
    const ratio = median(pairRatios);
    const [low, high] = medianInterval(pairRatios);
    const rssRatio = median(ours.map((x, r) => x.rssMB / floor[r].rssMB));
    const nestCol = nest.error ? pad(nest.error === 'skipped' ? '-' : 'fails', 9) + pad('', 7) : `${pad(nest.ms.toFixed(0) + 'ms', 9)} ${pad((nest.ms / oMs).toFixed(2) + 'x', 6)}`;
    console.log(
      `${pad(n, 7)} ${pad(shape, 5)} | ${pad(fMs.toFixed(0) + 'ms', 9)} ${pad(oMs.toFixed(0) + 'ms', 9)} ${pad(ratio.toFixed(2) + 'x', 6)} ${pad((oMs / fMs).toFixed(2) + 'x', 6)} | ${pad(((oMs * 1000) / n).toFixed(1), 7)} ${pad(((fMs * 1000) / n).toFixed(1), 7)} | ${pad(oRss.toFixed(0), 7)} ${pad(fRss.toFixed(0), 7)} ${pad(rssRatio.toFixed(2) + 'x', 6)} | ${nestCol}`,
    );
    console.log(`${pad('', 13)} | ratio's 95 % interval (bootstrap over the ${runs} pairs): ${low.toFixed(2)}–${high.toFixed(2)}x`);
    if (nest.error && nest.error !== 'skipped') console.log(`        NestJS ${shape} ${n}: ${nest.error}`);
  }
}
console.log('\nTarget: ratio <= 1.3x at 10k and 100k, linear growth (µs/svc flat), peak RSS <= 1.2x the floor.\n');
const c = spawnSync(process.execPath, [join(here, 'concurrency.mjs')], { stdio: 'inherit' });
process.exitCode = c.status ?? 1;
