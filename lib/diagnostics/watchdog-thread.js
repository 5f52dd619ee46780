// @ts-check
// The watchdog thread: watches the main thread's heartbeat and, when the loop stalls, takes its JavaScript stack through the inspector.
// Plain JavaScript with node: and plain-JavaScript imports only, so the same file runs from dist/ and from lib/ under vitest, and never loads @swc/core.
import { writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { captureMainStack } from './main-stack.js';
import { MAX_TIMER_DELAY_MS, setLongTimeout } from '../utils/long-timeout.js';

/** @typedef {import('./watchdog-protocol.js').WatchdogSettings} WatchdogSettings */
/** @typedef {import('./watchdog-protocol.js').WatchdogMessage} WatchdogMessage */
/** @typedef {import('./watchdog-protocol.js').WatchdogRequest} WatchdogRequest */
/** @typedef {{ beat: bigint, native: boolean, reported: Promise<void> | undefined, lateStack: Promise<string | undefined> | undefined }} Stall */

/** The slots of `HeartbeatSlot` (watchdog-protocol.ts), which this thread cannot import. */
const BEAT = 0;
const DEBUGGING = 1;

/**
 * Milliseconds for a log line, as `formatDuration` (lib/utils/durations.ts) renders them: this
 * thread cannot import TypeScript, and a spec checks that both agree.
 * @param {number} ms
 * @returns {string}
 */
export function formatMs(ms) {
  if (!Number.isFinite(ms)) return `${ms}ms`;
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  const wholeMs = Number(abs.toFixed(abs < 10 ? 2 : 0));
  if (wholeMs < 1_000) return wholeMs === 0 ? '0ms' : `${sign}${wholeMs}ms`;
  if (Number((abs / 1_000).toFixed(2)) < 60) return `${sign}${(abs / 1_000).toFixed(2)}s`;
  if (Number((abs / 60_000).toFixed(2)) < 60) return `${sign}${(abs / 60_000).toFixed(2)}m`;
  return `${sign}${(abs / 3_600_000).toFixed(2)}h`;
}

/** @param {number} n @param {number} width */
const pad = (n, width = 2) => String(n).padStart(width, '0');

/**
 * Mode's log line (lib/worker/log-format.ts), in text or JSON, for a WARNING from `label`.
 * @param {Date} date @param {string} label @param {string} message @param {string | undefined} stack @param {'text' | 'json'} format
 * @returns {string}
 */
export function warningLine(date, label, message, stack, format) {
  if (format === 'json') return JSON.stringify({ timestamp: date.toISOString(), level: 'WARNING', label, depth: 0, message, ...(stack ? { stack } : {}) });
  const time =
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())},${pad(date.getMilliseconds(), 3)}`;
  return `[${time}: WARNING]: [^${label}]: ${message}${stack ? `\n${stack}` : ''}`;
}

/** Watches the heartbeat: one timer, aimed at the moment the next beat would be overdue by the timeout. */
function watch() {
  const settings = /** @type {WatchdogSettings} */ (workerData);
  const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
  const heartbeat = new BigInt64Array(settings.heartbeat);
  const { timeoutMs, intervalMs, captureTimeoutMs, label, logFormat, stderrFd } = settings;
  const NS = 1_000_000;
  /** @type {Stall | undefined} */
  let stall;

  /** @param {WatchdogMessage} message */
  const post = (message) => port.postMessage(message);
  /** @param {Date} date @param {string} message @param {string | undefined} stack */
  const write = (date, message, stack) => {
    if (stderrFd === undefined) return;
    try {
      writeSync(stderrFd, `${warningLine(date, label, message, stack, logFormat)}\n`);
    } catch {
      // stderr closed: the main thread's logger still gets the report.
    }
  };
  const sinceBeatMs = (/** @type {bigint} */ beat) => Number(process.hrtime.bigint() - beat) / NS;

  const check = () => {
    const beat = Atomics.load(heartbeat, BEAT);
    if (stall) {
      if (beat === stall.beat) return schedule(intervalMs);
      void end(stall, beat);
      stall = undefined;
      return schedule(0);
    }
    const overdueMs = sinceBeatMs(beat) - intervalMs;
    if (overdueMs <= timeoutMs) return schedule(timeoutMs - overdueMs + 1);
    if (Atomics.load(heartbeat, DEBUGGING) !== 0n) return schedule(intervalMs);
    stall = { beat, native: false, reported: undefined, lateStack: undefined };
    stall.reported = begin(stall);
    return schedule(intervalMs);
  };
  const schedule = (/** @type {number} */ ms) => {
    // A check that comes early (a timeout past Node's limit) looks again and schedules the rest.
    setTimeout(check, Math.min(MAX_TIMER_DELAY_MS, Math.max(1, Math.ceil(ms))));
  };

  /** @param {Stall} current */
  const begin = async (current) => {
    const { first, late } = captureMainStack(captureTimeoutMs);
    const { stack, native } = await first;
    current.native = native;
    const blockedMs = sinceBeatMs(current.beat);
    const detectedAt = new Date();
    const what = `Blocking detected (timeout=${settings.timeoutText}): the event loop has not turned for ${formatMs(blockedMs)}`;
    const message = native
      ? `${what}: blocked in native code (no JavaScript stack within ${formatMs(captureTimeoutMs)}); its stack follows when the call returns`
      : stack
        ? what
        : `${what} (the main thread was between callbacks when its stack was taken)`;
    write(detectedAt, message, stack || undefined);
    post({ type: 'blocked', report: { timeoutMs, blockedMs, detectedAt, stack: stack || undefined, native, message } });
    if (native) {
      // Written as soon as the native call returns, even if the loop stays blocked after it.
      current.lateStack = late.then((lateStack) => {
        if (lateStack) write(new Date(), 'Blocked in native code: the JavaScript stack once it returned', lateStack);
        return lateStack || undefined;
      });
    }
  };

  /** @param {Stall} ended @param {bigint} beat */
  const end = async (ended, beat) => {
    const blockedMs = Number(beat - ended.beat) / NS;
    await ended.reported;
    // A native call that returned ran the capture before the loop could turn: its answer is on its way.
    const lateStack = ended.lateStack ? await Promise.race([ended.lateStack, new Promise((resolve) => setLongTimeout(() => resolve(undefined), captureTimeoutMs))]) : undefined;
    const endedAt = new Date();
    const message = `Blocking ended: the event loop did not turn for ${formatMs(blockedMs)}`;
    write(endedAt, message, undefined);
    post({ type: 'unblocked', report: { blockedMs, endedAt, native: ended.native, lateStack, message } });
  };

  port.on('message', (/** @type {WatchdogRequest} */ request) => {
    if (request?.type !== 'stack') return;
    captureMainStack(captureTimeoutMs).first.then((captured) => post({ type: 'stack', id: request.id, captured }));
  });
  post({ type: 'ready' });
  // The thread may come up late (a busy start): aim at the beat as it is now, not at a full timeout from here.
  check();
}

if (parentPort && workerData && typeof workerData === 'object' && 'heartbeat' in workerData) watch();
