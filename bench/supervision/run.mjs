// bench/supervision: how fast a crashed service runs again under a supervisor, beside anchors measured in the same run.
//  (a) one service, one-for-one, zero backoff: from the crash to the `service.started` of its restart, against the
//      same object stopped and started again by direct calls (the fastest hand-written supervisor);
//  (b) rest-for-one over 1,000 dependents: from the crash of S until S and its 1,000 dependents all run again,
//      against a cold start of the same 1,001 services (target <= 1.1x), and the app's own restart() of them.
// Run with `npm run bench -- supervision` (builds first). BENCH_CRASHES (default 5000) crashes a side for (a);
// BENCH_PAIRS (default 21) rounds for (b); BENCH_DEPENDENTS (default 1000).
import 'reflect-metadata';
import { ContainerModule, inject, injectable } from 'inversify';
import { Application, onStart, onStop, supervised, task } from '../../dist/index.js';

const CRASHES = Number(process.env.BENCH_CRASHES ?? 5000);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 21);
const DEPENDENTS = Number(process.env.BENCH_DEPENDENTS ?? 1000);
for (const [name, value] of [['BENCH_CRASHES', CRASHES], ['BENCH_PAIRS', PAIRS], ['BENCH_DEPENDENTS', DEPENDENTS]]) {
  if (!Number.isInteger(value) || value < 1) {
    console.error(`${name} must be a positive whole number, got ${JSON.stringify(process.env[name])}.`);
    process.exit(2);
  }
}
/** Crashes are measured in blocks, the two sides alternating, so drift in machine load hits both alike. */
const BLOCK = 250;
/** Crashes a side before measuring: V8 is still compiling the restart path over the first ~2,000 (p99 in ms, not µs). */
const WARM_UP = 3000;

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => sorted(xs)[xs.length >> 1];
const quantile = (xs, q) => sorted(xs)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
/** A 95 % bootstrap interval of the median of `xs` (2,000 resamples). */
function medianInterval(xs) {
  const medians = Array.from({ length: 2000 }, () => median(xs.map(() => xs[Math.floor(Math.random() * xs.length)])));
  return [quantile(medians, 0.025), quantile(medians, 0.975)];
}
/** Lets whatever follows a restart (the supervisor's bookkeeping) finish before the next crash. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const us = (ms) => `${(ms * 1000).toFixed(1)} µs`;

/** A class whose `watch` task runs until `crash()` makes it throw; no-op async hooks. */
function crashableClass(name) {
  const C = class {
    #fail;
    crash() {
      this.#fail(new Error(`${name} broke`));
    }
    async begin() {}
    async end() {}
    watch(signal) {
      return new Promise((resolve, reject) => {
        this.#fail = reject;
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  };
  Object.defineProperty(C, 'name', { value: name });
  return C;
}

/** `C` as a mode-di service: `begin` on start, `end` on stop, `watch` its task. */
function asService(C) {
  const method = (key) => Object.getOwnPropertyDescriptor(C.prototype, key);
  onStart()(C.prototype, 'begin', method('begin'));
  onStop()(C.prototype, 'end', method('end'));
  task()(C.prototype, 'watch', method('watch'));
  injectable()(C);
  return C;
}

/** Zero backoff and a budget no run of this bench exhausts (a policy whose backoff outlasts its window is refused). */
const policy = (strategy) => ({ strategy, backoff: { min: 0 }, maxRestarts: 1_000_000, over: '1h' });

/** (a) mode-di: crash the service, time until `service.started` of its restart. */
async function modeDiCrashes() {
  const Single = asService(crashableClass('Single'));
  supervised(policy('one-for-one'))(Single);
  const app = new Application(new ContainerModule(({ bind }) => bind(Single).toSelf().inSingletonScope()));
  let restarted;
  app.on('service.started', () => restarted?.(performance.now()));
  await app.start();
  const service = app.get(Single);
  return {
    async once() {
      const running = new Promise((resolve) => (restarted = resolve));
      const t0 = performance.now();
      service.crash();
      const t1 = await running;
      await nextTurn();
      return t1 - t0;
    },
    async close() {
      await app.stop();
      if (app.services[0].restartCount < CRASHES + WARM_UP) throw new Error(`mode-di restarted ${app.services[0].restartCount} times, expected ${CRASHES + WARM_UP}`);
    },
  };
}

/** (a) The anchor: the same kind of object, its crash caught and the object stopped and started again by direct calls. */
async function handWrittenCrashes() {
  const object = new (crashableClass('Single'))();
  let restarted;
  let closing = false;
  let run;
  const supervise = async () => {
    for (;;) {
      run = new AbortController();
      await object.begin();
      restarted?.(performance.now());
      try {
        await object.watch(run.signal);
        return;
      } catch {
        run.abort();
        await object.end();
        if (closing) return;
      }
    }
  };
  const done = supervise();
  return {
    async once() {
      const running = new Promise((resolve) => (restarted = resolve));
      const t0 = performance.now();
      object.crash();
      const t1 = await running;
      await nextTurn();
      return t1 - t0;
    },
    async close() {
      closing = true;
      run.abort();
      await object.end();
      await done;
    },
  };
}

async function singleService() {
  const sides = { 'mode-di': await modeDiCrashes(), 'hand-written': await handWrittenCrashes() };
  for (const side of Object.values(sides)) for (let i = 0; i < WARM_UP; i++) await side.once();
  const times = { 'mode-di': [], 'hand-written': [] };
  const names = Object.keys(sides);
  for (let block = 0; block * BLOCK < CRASHES; block++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(block + k) % names.length];
      const count = Math.min(BLOCK, CRASHES - block * BLOCK);
      for (let i = 0; i < count; i++) times[name].push(await sides[name].once());
    }
  }
  for (const side of Object.values(sides)) await side.close();
  console.log(`(a) one service, one-for-one, zero backoff: crash -> running again (${CRASHES} crashes a side after ${WARM_UP} to warm up)`);
  for (const name of names) console.log(`  ${name.padEnd(13)} median ${us(median(times[name])).padStart(9)}   p99 ${us(quantile(times[name], 0.99)).padStart(9)}`);
  const m = median(times['mode-di']) / median(times['hand-written']);
  const p = quantile(times['mode-di'], 0.99) / quantile(times['hand-written'], 0.99);
  console.log(`  ratio mode-di / hand-written: median ${m.toFixed(2)}x, p99 ${p.toFixed(2)}x`);
}

/** (b) S, and DEPENDENTS services each injected with S: S's class is supervised rest-for-one. */
function restForOneGraph() {
  const S = asService(crashableClass('S'));
  supervised(policy('rest-for-one'))(S);
  const dependents = Array.from({ length: DEPENDENTS }, (_, i) => {
    const D = class {
      constructor(s) {
        this.s = s;
      }
      async begin() {}
      async end() {}
    };
    Object.defineProperty(D, 'name', { value: `D${i}` });
    inject(S)(D, undefined, 0);
    injectable()(D);
    onStart()(D.prototype, 'begin', Object.getOwnPropertyDescriptor(D.prototype, 'begin'));
    onStop()(D.prototype, 'end', Object.getOwnPropertyDescriptor(D.prototype, 'end'));
    return D;
  });
  const module = () =>
    new ContainerModule(({ bind }) => {
      bind(S).toSelf().inSingletonScope();
      for (const D of dependents) bind(D).toSelf().inSingletonScope();
    });
  return { S, module };
}

/** Times `work()`: wall and CPU milliseconds. */
async function timed(work) {
  globalThis.gc?.();
  const c0 = cpuMs();
  const t0 = performance.now();
  await work();
  return { ms: performance.now() - t0, cpuMs: cpuMs() - c0 };
}

async function restForOne() {
  const { S, module } = restForOneGraph();
  const total = DEPENDENTS + 1;
  const app = new Application(module());
  let started = 0;
  let allRunning;
  app.on('service.started', () => {
    if (++started === total) allRunning?.();
  });
  await app.start();
  const allRunningAgain = () => {
    if (app.services.length !== total || app.services.some((s) => s.state !== 'running')) throw new Error(`not every one of the ${total} services runs again`);
  };
  const sides = {
    /** A crash of S: the supervisor stops the dependents, then S, then starts all again along the graph. */
    'rest-for-one restart': () =>
      timed(async () => {
        started = 0;
        const running = new Promise((resolve) => (allRunning = resolve));
        app.get(S).crash();
        await running;
      }).then(async (t) => (await nextTurn(), allRunningAgain(), t)),
    /** A new Application of the same services: load, plan, create, start. Stopped afterwards, untimed. */
    'cold start': async () => {
      const cold = new Application(module());
      const t = await timed(() => cold.start());
      await cold.stop();
      return t;
    },
    /** The app's own restart() of the same 1,001 (stop, onRestart, start along the graph; no supervisor). */
    'app.restart()': () => timed(() => app.restart()).then((t) => (allRunningAgain(), t)),
  };
  const names = Object.keys(sides);
  for (const name of names) for (let i = 0; i < 3; i++) await sides[name]();
  const results = Object.fromEntries(names.map((name) => [name, []]));
  for (let r = 0; r < PAIRS; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length];
      results[name].push(await sides[name]());
    }
  }
  await app.stop();
  console.log(`\n(b) rest-for-one over ${DEPENDENTS} dependents: crash of S -> all ${total} running again, against a cold start of the same ${total}`);
  console.log(`    (${PAIRS} rounds, the order rotating; warm process; ratios are medians of the rounds' ratios)`);
  for (const name of names) {
    const xs = results[name];
    console.log(`  ${name.padEnd(21)} wall median ${median(xs.map((x) => x.ms)).toFixed(1).padStart(7)} ms   CPU median ${median(xs.map((x) => x.cpuMs)).toFixed(1).padStart(7)} ms`);
  }
  const restart = results['rest-for-one restart'];
  for (const anchor of ['cold start', 'app.restart()']) {
    for (const key of ['ms', 'cpuMs']) {
      const ratios = restart.map((x, r) => x[key] / results[anchor][r][key]);
      const [low, high] = medianInterval(ratios);
      const target = anchor === 'cold start' ? ' (target <= 1.1x)' : '';
      console.log(`  restart / ${anchor.padEnd(13)} ${key === 'ms' ? 'wall' : 'CPU '} ${median(ratios).toFixed(2)}x${target}, 95 % interval ${low.toFixed(2)}-${high.toFixed(2)}x`);
    }
  }
}

await singleService();
await restForOne();
