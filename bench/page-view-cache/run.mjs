// Bench: HTTP page hits per second of samples/page-view-cache (views buffered, flushed once a second) against the same
// endpoint calling INCR per hit, and against the endpoint counting nothing (the HTTP ceiling); same run, same Redis.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(here, '../..');
const BIN = join(ROOT, 'dist/cli/bin.js');
const HITS = Number(process.env.BENCH_HITS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_RUNS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const PAGES = Array.from({ length: 10 }, (_, i) => `/page-${i}`);
if (!(HITS > 0) || !(ROUNDS > 0) || !(CONCURRENCY > 0)) {
  console.error('BENCH_HITS, BENCH_RUNS and BENCH_CONCURRENCY must be positive numbers.');
  process.exit(2);
}

const VARIANTS = [
  { name: 'buffered (the sample)', module: 'samples/page-view-cache/app.module.ts', env: {}, counts: true },
  { name: 'naive: INCR per hit', module: 'bench/page-view-cache/naive.module.ts', env: { COUNTER: 'naive' }, counts: true },
  { name: 'no counting (HTTP ceiling)', module: 'bench/page-view-cache/naive.module.ts', env: { COUNTER: 'none' }, counts: false },
];

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/** REDIS_URL, or a redis-server of our own on a free port (no persistence), stopped at exit. */
async function redis() {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: () => {} };
  if (spawnSync('redis-server', ['--version']).error) {
    console.error('No Redis: set REDIS_URL, or install redis-server (apt-get install -y redis-server).');
    process.exit(2);
  }
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => {});
    try {
      await probe.connect();
      probe.disconnect();
      break;
    } catch {
      probe.disconnect();
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { url, stop: () => child.kill('SIGTERM') };
}

function hit(agent, port, page) {
  return new Promise((resolveHit, reject) => {
    const req = request({ agent, host: '127.0.0.1', port, method: 'POST', path: `/views${page}` }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolveHit() : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends `count` hits, CONCURRENCY at a time; resolves with the elapsed ms. */
async function blast(port, count) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < count) await hit(agent, port, PAGES[next++ % PAGES.length]);
  }));
  const elapsed = performance.now() - started;
  agent.destroy();
  return elapsed;
}

/** One run of a variant: start the worker, warm up, time HITS hits, SIGTERM, check Redis. */
async function runOnce(variant, redisUrl, reader) {
  const prefix = `bench:${process.pid}:${Math.random().toString(36).slice(2)}:`;
  const child = spawn(process.execPath, [BIN, 'run', variant.module], {
    cwd: ROOT,
    env: { ...process.env, REDIS_URL: redisUrl, PORT: '0', KEY_PREFIX: prefix, ...variant.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  const port = await new Promise((resolvePort, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /Serving on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolvePort(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`${variant.module} exited (${code}) before serving:\n${out}`)));
  });
  const warmup = Math.min(2_000, HITS);
  await blast(port, warmup);
  const [cpuBefore, commandsBefore] = [cpuMs(child.pid), await redisCommands(reader)];
  const ms = await blast(port, HITS);
  const [cpuAfter, commandsAfter] = [cpuMs(child.pid), await redisCommands(reader)];
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`${variant.module} exited ${code}:\n${out}`);
  if (variant.counts) {
    const values = await reader.mget(PAGES.map((p) => `${prefix}views:${p}`));
    const total = values.reduce((sum, v) => sum + Number(v ?? 0), 0);
    if (total !== warmup + HITS) throw new Error(`${variant.name}: Redis counted ${total} of ${warmup + HITS} hits`);
  }
  // The reader's own INFO call is one of the commands counted.
  return { rate: (HITS / ms) * 1000, cpuPerThousand: ((cpuAfter - cpuBefore) / HITS) * 1000, commandsPerThousand: ((commandsAfter - commandsBefore - 1) / HITS) * 1000 };
}

const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** CPU time (user + system, ms) a process has used so far, from /proc. */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1000;
}

/** Commands Redis has processed so far. */
async function redisCommands(reader) {
  return Number(/total_commands_processed:(\d+)/.exec(await reader.info('stats'))[1]);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const server = await redis();
const reader = new Redis(server.url);
try {
  console.log(`${HITS} hits per run (after ${Math.min(2_000, HITS)} to warm up), ${CONCURRENCY} keep-alive connections, ${ROUNDS} rounds; the variants alternate within each round; every counted hit is checked in Redis.`);
  const runs = VARIANTS.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? [...VARIANTS.keys()].reverse() : [...VARIANTS.keys()];
    for (const i of order) runs[i].push(await runOnce(VARIANTS[i], server.url, reader));
  }
  const rates = runs.map((r) => r.map((x) => x.rate));
  const [buffered, naive, ceiling] = rates.map(median);
  console.log(`${'variant'.padEnd(28)} ${'hits/s'.padStart(8)}   ${'worker CPU ms / 1k hits'.padStart(24)}   ${'Redis commands / 1k hits'.padStart(25)}`);
  for (const [i, variant] of VARIANTS.entries()) {
    const cpu = median(runs[i].map((x) => x.cpuPerThousand));
    const commands = median(runs[i].map((x) => x.commandsPerThousand));
    console.log(`${variant.name.padEnd(28)} ${Math.round(median(rates[i])).toLocaleString('en').padStart(8)}   ${cpu.toFixed(1).padStart(24)}   ${commands.toFixed(1).padStart(25)}   (hits/s per run: ${rates[i].map((r) => Math.round(r)).join(', ')})`);
  }
  const perRound = rates[0].map((b, k) => b / rates[1][k]);
  const cpuOf = (i) => median(runs[i].map((x) => x.cpuPerThousand));
  console.log(`buffered vs naive INCR per hit: ${(buffered / naive).toFixed(2)}x the hits/s (median of per-round ratios ${median(perRound).toFixed(2)}x), ${(cpuOf(0) / cpuOf(1)).toFixed(2)}x the worker CPU per hit`);
  console.log(`buffered vs the HTTP ceiling:   ${(buffered / ceiling).toFixed(2)}x the hits/s, ${(cpuOf(0) / cpuOf(2)).toFixed(2)}x the worker CPU per hit`);
  console.log('The load generator runs in this process, on the same cores as the worker and Redis.');
} finally {
  reader.disconnect();
  server.stop();
}
