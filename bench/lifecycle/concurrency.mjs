// Concurrency: a 200-node random DAG whose hooks wait 1–40 ms; wall time against the critical path.
import 'reflect-metadata';
import { setTimeout as sleep } from 'node:timers/promises';
import { Container, ContainerModule, inject, injectable } from 'inversify';
import { Application, onStart, onStop } from '../../dist/index.js';
import { criticalPath, levels, prng } from './graphs.mjs';

const n = 200;
const rand = prng(7);
// Node i depends on up to 3 of the nodes after it, within a window: a graph ~25 levels deep.
const deps = Array.from({ length: n }, (_, i) => {
  const set = new Set();
  const want = i >= n - 8 ? 0 : 1 + Math.floor(rand() * 3);
  for (let k = 0; k < want; k++) set.add(i + 1 + Math.floor(rand() * Math.min(n - i - 1, 12)));
  return [...set];
});
const startMs = deps.map(() => 1 + Math.floor(rand() * 40));
const stopMs = deps.map(() => 1 + Math.floor(rand() * 40));
const measuredStart = new Array(n).fill(0);
const measuredStop = new Array(n).fill(0);
const ids = deps.map((_, i) => Symbol(`S${i}`));

const classes = deps.map((ds, i) => {
  const C = class {
    constructor(...args) {
      this.deps = args;
    }
    async start() {
      const t = performance.now();
      await sleep(startMs[i]);
      measuredStart[i] = performance.now() - t;
    }
    async stop() {
      const t = performance.now();
      await sleep(stopMs[i]);
      measuredStop[i] = performance.now() - t;
    }
  };
  ds.forEach((d, k) => inject(ids[d])(C, undefined, k));
  injectable()(C);
  onStart()(C.prototype, 'start', Object.getOwnPropertyDescriptor(C.prototype, 'start'));
  onStop()(C.prototype, 'stop', Object.getOwnPropertyDescriptor(C.prototype, 'stop'));
  return C;
});
const module = new ContainerModule(({ bind }) => classes.forEach((C, i) => bind(ids[i]).to(C).inSingletonScope()));

const app = new Application(module);
await app.plan(); // warm the planner so the timing below is the schedule, not the first JIT
let t = performance.now();
await app.start();
const startWall = performance.now() - t;
t = performance.now();
await app.stop();
const stopWall = performance.now() - t;

// NestJS-style: a level waits for the whole previous level (Promise.all per level).
const level = levels(deps);
const byLevel = [];
level.forEach((l, i) => (byLevel[l] ??= []).push(i));
const container = new Container();
container.load(module);
const instances = ids.map((id) => container.get(id));
t = performance.now();
for (const group of byLevel) await Promise.all(group.map((i) => instances[i].start()));
const levelStart = performance.now() - t;
t = performance.now();
for (const group of [...byLevel].reverse()) await Promise.all(group.map((i) => instances[i].stop()));
const levelStop = performance.now() - t;

const cpStart = criticalPath(deps, startMs);
const cpStop = criticalPath(deps, stopMs);
const cpStartMeasured = criticalPath(deps, measuredStart);
const cpStopMeasured = criticalPath(deps, measuredStop);
const sum = (a) => a.reduce((x, y) => x + y, 0);
const f = (x) => `${x.toFixed(0).padStart(6)} ms`;
console.log(`200 services, ${byLevel.length} levels, hooks sleep 1–40 ms (seeded)`);
console.log('                         start      stop');
console.log(`mode-di wall           ${f(startWall)} ${f(stopWall)}`);
console.log(`critical path (asked)  ${f(cpStart)} ${f(cpStop)}   ratio ${(startWall / cpStart).toFixed(3)}x ${(stopWall / cpStop).toFixed(3)}x`);
console.log(`critical path (timers) ${f(cpStartMeasured)} ${f(cpStopMeasured)}   ratio ${(startWall / cpStartMeasured).toFixed(3)}x ${(stopWall / cpStopMeasured).toFixed(3)}x  (target <= 1.05x)`);
console.log(`level by level (Nest)  ${f(levelStart)} ${f(levelStop)}   ${(levelStart / startWall).toFixed(2)}x ${(levelStop / stopWall).toFixed(2)}x slower than mode-di`);
console.log(`sequential sum         ${f(sum(startMs))} ${f(sum(stopMs))}   ${(sum(startMs) / startWall).toFixed(2)}x ${(sum(stopMs) / stopWall).toFixed(2)}x slower than mode-di`);
