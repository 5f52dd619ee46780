// One measurement in a fresh process: `node case.mjs <impl> <shape> <n>` prints JSON {ms, rssMB}.
import 'reflect-metadata';
import { Container, ContainerModule, inject, injectable } from 'inversify';
import { Application, onStart, onStop } from '../../dist/index.js';
import { levels, randomDag, tree } from './graphs.mjs';

const [impl, shape, nArg] = process.argv.slice(2);
const n = Number(nArg);
const deps = shape === 'tree' ? tree(n) : randomDag(n);
const ids = Array.from({ length: n }, (_, i) => Symbol(`S${i}`));
let started = 0;
let stopped = 0;

/** Every instance as it is created (the floor calls their hooks directly). */
const instances = new Array(n);

/** inversify classes with no-op async hooks, constructor-injected dependencies. */
function inversifyClasses(decorate) {
  return deps.map((ds, i) => {
    const C = class {
      constructor(...args) {
        this.deps = args;
        instances[i] = this;
      }
      async start() {
        started++;
      }
      async stop() {
        stopped++;
      }
    };
    ds.forEach((d, k) => inject(ids[d])(C, undefined, k));
    injectable()(C);
    if (decorate) {
      onStart()(C.prototype, 'start', Object.getOwnPropertyDescriptor(C.prototype, 'start'));
      onStop()(C.prototype, 'stop', Object.getOwnPropertyDescriptor(C.prototype, 'stop'));
    }
    return C;
  });
}

function moduleOf(classes) {
  return new ContainerModule(({ bind }) => {
    classes.forEach((C, i) => bind(ids[i]).to(C).inSingletonScope());
  });
}

/** The roots: services nothing depends on (resolving them creates everything). */
function roots() {
  const needed = new Uint8Array(n);
  for (const ds of deps) for (const d of ds) needed[d] = 1;
  return ids.filter((_, i) => !needed[i]);
}

/** The fastest hand-written equivalent: load, resolve the roots, then await every hook in a topological order. */
async function floor() {
  const classes = inversifyClasses(false);
  const t0 = performance.now();
  const container = new Container();
  container.load(moduleOf(classes));
  for (const id of roots()) await container.getAsync(id);
  // Dependencies come after their dependents in both shapes: start from the end, stop from the front.
  for (let i = n - 1; i >= 0; i--) await instances[i].start();
  for (let i = 0; i < n; i++) await instances[i].stop();
  return performance.now() - t0;
}

/** mode-di, optionally with a lifecycle listener attached (the Worker always has one). */
async function modeDi(listened) {
  const classes = inversifyClasses(true);
  const t0 = performance.now();
  const app = new Application(moduleOf(classes));
  let events = 0;
  if (listened) app.on(() => events++);
  await app.start();
  await app.stop();
  if (listened && events < 4 * n) throw new Error(`the listener saw ${events} events for ${n} services`);
  return performance.now() - t0;
}

async function nest() {
  const { Module, Inject, Injectable } = await import('@nestjs/common');
  const { NestFactory } = await import('@nestjs/core');
  const tokens = ids.map((_, i) => `S${i}`);
  const providers = deps.map((ds, i) => {
    const C = class {
      constructor(...args) {
        this.deps = args;
      }
      async onModuleInit() {
        started++;
      }
      async onModuleDestroy() {
        stopped++;
      }
    };
    ds.forEach((d, k) => Inject(tokens[d])(C, undefined, k));
    Injectable()(C);
    return { provide: tokens[i], useClass: C };
  });
  class AppModule {}
  Module({ providers })(AppModule);
  const t0 = performance.now();
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
  await app.close();
  return performance.now() - t0;
}

const run = { floor, 'mode-di': () => modeDi(false), 'mode-di-listened': () => modeDi(true), nestjs: nest }[impl];
const cpu0 = process.cpuUsage();
const ms = await run();
const cpu = process.cpuUsage(cpu0);
if (started !== n || stopped !== n) throw new Error(`${impl}: started ${started}, stopped ${stopped} of ${n}`);
process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, rssMB: process.resourceUsage().maxRSS / 1024, levels: Math.max(...levels(deps)) + 1 }));
