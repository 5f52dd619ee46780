// Bench: `mode-di run` start-up (cold and warm compile cache, and the precompiled .js) beside the same app precompiled, and SIGTERM-to-exit for 1,000 services.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(here, '../..');
const BIN = join(ROOT, 'dist/cli/bin.js');
const APP = join(here, 'app');
const OUT = join(here, '.out');
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const STOP_RUNS = Number(process.env.BENCH_STOP_RUNS ?? 5);
const SERVICES = 1000;
const STOP_MS = 20;
const STARTED = ']: [^Worker]: Started';

const require = createRequire(import.meta.url);
const swc = require('@swc/core');

/** Compiles the bench app with the loader's own settings (no source maps) into .out/, with a main that runs it. */
function precompile() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  for (const file of readdirSync(APP).filter((f) => f.endsWith('.ts'))) {
    const { code } = swc.transformFileSync(join(APP, file), {
      swcrc: false,
      configFile: false,
      isModule: true,
      module: { type: 'es6' },
      jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false }, target: 'es2022' },
    });
    writeFileSync(join(OUT, file.replace(/\.ts$/, '.js')), code);
  }
  writeFileSync(join(OUT, 'main.js'), "import { Worker } from 'mode-di';\nimport app from './app.module.js';\nawait new Worker(app).executeFromCommandline();\n");
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (ms) => `${ms.toFixed(1)} ms`;

/**
 * Spawns `args`, measures the time until stdout shows the Worker's "Started" line, then (after
 * `settleMs`) sends SIGTERM and measures the time to exit.
 */
function measure(args, env, settleMs = 0) {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let started;
    let signalled;
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      if (started === undefined && out.includes(STARTED)) {
        started = performance.now() - t0;
        setTimeout(() => {
          signalled = performance.now();
          child.kill('SIGTERM');
        }, settleMs);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => (err += chunk));
    child.on('exit', (code) => {
      const exitMs = signalled === undefined ? NaN : performance.now() - signalled;
      child.on('close', () => {
        if (started === undefined || code !== 0) reject(new Error(`${args.join(' ')} exited ${code} before/after "Started":\n${out.slice(-2000)}\n${err}`));
        else resolvePromise({ started, exitMs, out });
      });
    });
  });
}

const ms = (stamp) => {
  const [, h, m, s, milli] = /(\d\d):(\d\d):(\d\d),(\d{3})/.exec(stamp);
  return ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000 + Number(milli);
};

async function startup() {
  precompile();
  const ts = join(APP, 'app.module.ts');
  const warmCache = mkdtempSync(join(tmpdir(), 'mode-di-bench-warm-'));
  // Compiled modules cached, but a command line not seen before (so yargs loads and parses it).
  const newArgsCache = mkdtempSync(join(tmpdir(), 'mode-di-bench-newargs-'));
  // The precompiled app through `mode-di run`: as it runs now (no loader thread for JavaScript
  // that reaches no TypeScript), and with the loader forced (MODE_DI_MIRROR=off), as it ran before.
  const jsCache = mkdtempSync(join(tmpdir(), 'mode-di-bench-js-'));
  const jsLoaderCache = mkdtempSync(join(tmpdir(), 'mode-di-bench-js-loader-'));
  const jsModule = join(OUT, 'app.module.js');
  let fresh = 0;
  const kinds = {
    precompiled: () => measure([join(OUT, 'main.js')], {}),
    js: () => measure([BIN, 'run', jsModule], { MODE_DI_CACHE_DIR: jsCache }),
    jsLoader: () => measure([BIN, 'run', jsModule], { MODE_DI_CACHE_DIR: jsLoaderCache, MODE_DI_MIRROR: 'off' }),
    warm: () => measure([BIN, 'run', ts], { MODE_DI_CACHE_DIR: warmCache }),
    newArgs: () => measure([BIN, 'run', ts, '--shutdown-timeout', `${30 + fresh++}s`], { MODE_DI_CACHE_DIR: newArgsCache }),
    cold: () => measure([BIN, 'run', ts], { MODE_DI_CACHE_DIR: mkdtempSync(join(tmpdir(), 'mode-di-bench-cold-')) }),
  };
  const times = Object.fromEntries(Object.keys(kinds).map((kind) => [kind, []]));
  // Warm the OS file cache and the compile cache once, untimed.
  for (const kind of Object.keys(kinds)) await kinds[kind]();
  const order = Object.keys(kinds);
  for (let i = 0; i < RUNS; i++) {
    for (let k = 0; k < order.length; k++) {
      const kind = order[(i + k) % order.length];
      times[kind].push((await kinds[kind]()).started);
    }
  }
  const base = median(times.precompiled);
  const warm = median(times.warm);
  const cold = median(times.cold);
  const newArgs = median(times.newArgs);
  console.log(`start-up to the first "Started" line, median of ${RUNS} runs (interleaved), 6-service TS app:`);
  console.log(`  node, precompiled        ${fmt(base)}`);
  console.log(`  mode-di run, warm cache  ${fmt(warm)}  ${(warm / base).toFixed(2)}x precompiled  (target <= 1.3x) ${warm / base <= 1.3 ? 'OK' : 'MISSED'}`);
  console.log(`  warm, new command line  ${fmt(newArgs)}  ${(newArgs / base).toFixed(2)}x precompiled  (the same, but yargs loads and parses on the main thread: what every warm start would cost without the remembered parse)`);
  console.log(`  mode-di run, cold cache  ${fmt(cold)}  ${(cold / base).toFixed(2)}x precompiled  (target <= 2x)   ${cold / base <= 2 ? 'OK' : 'MISSED'}`);
  const js = median(times.js);
  const jsLoader = median(times.jsLoader);
  console.log(`  mode-di run app.module.js (precompiled)  ${fmt(js)}  ${(js / base).toFixed(2)}x precompiled, ${(js / warm).toFixed(2)}x the warm .ts  (target <= 1x the .ts) ${js <= warm ? 'OK' : 'MISSED'}`);
  console.log(`    the same with the loader thread (MODE_DI_MIRROR=off, as before)  ${fmt(jsLoader)}  ${(jsLoader / base).toFixed(2)}x precompiled, ${(js / jsLoader).toFixed(2)}x of it without`);
  return warm / base <= 1.3 && cold / base <= 2 && js <= warm;
}

async function shutdown() {
  const cache = mkdtempSync(join(tmpdir(), 'mode-di-bench-many-'));
  const args = [BIN, 'run', join(APP, 'many.module.ts')];
  const env = { MODE_DI_CACHE_DIR: cache, SERVICES: String(SERVICES), STOP_MS: String(STOP_MS) };
  await measure(args, env, 300);
  const total = [];
  const inside = [];
  for (let i = 0; i < STOP_RUNS; i++) {
    // Let the 1,000 timers tick a few times before the signal.
    const { exitMs, out } = await measure(args, env, 350);
    total.push(exitMs);
    const signal = /\[([^\]]+): INFO\]: \[\^Worker\]: Signal received/.exec(out)[1];
    const stopped = /\[([^\]]+): INFO\]: \[\^Worker\]: -Stopped!/.exec(out)[1];
    inside.push(ms(stopped) - ms(signal));
  }
  const overhead = median(total) - STOP_MS;
  console.log(`SIGTERM to exit, ${SERVICES} services with a 100ms timer each and a ${STOP_MS}ms onStop (run concurrently), median of ${STOP_RUNS}:`);
  console.log(`  signal to exit           ${fmt(median(total))}  (of which "Signal received" to "-Stopped!" logged: ${fmt(median(inside))})`);
  console.log(`  beyond the hooks' ${STOP_MS}ms   ${fmt(overhead)}  (target <= 100 ms) ${overhead <= 100 ? 'OK' : 'MISSED'}`);
  return overhead <= 100;
}

const okStart = await startup();
const okStop = await shutdown();
if (!okStart || !okStop) console.log('Some targets were missed (see above).');
