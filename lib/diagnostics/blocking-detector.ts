// The blocking detector: a heartbeat in shared memory, watched from a worker thread that takes the blocked main thread's stack.
import { url as inspectorUrl } from 'node:inspector';
import { isMainThread, Worker } from 'node:worker_threads';
import { UsageError } from '../errors/usage.js';
import { type Duration, formatDuration, parseDuration } from '../utils/durations.js';
import { MAX_TIMER_DELAY_MS } from '../utils/long-timeout.js';
import { WatchdogError } from './errors.js';
import { type LoopStall, StallRecord } from './stall-record.js';
import { type BlockingReport, type CapturedStack, HeartbeatSlot, type UnblockedReport, type WatchdogMessage, type WatchdogRequest, type WatchdogSettings } from './watchdog-protocol.js';

/**
 * Options of a {@link BlockingDetector}.
 * @example
 * ```ts
 * new BlockingDetector({ timeout: '500ms', onBlocked: (r) => log.warning(`${r.message}\n${r.stack ?? ''}`) });
 * ```
 * @category Diagnostics
 */
export interface BlockingDetectorOptions {
  /** A stall of the event loop longer than this is reported. Default `'10s'` (Mode's); `0` disables the detector. */
  timeout?: Duration;
  /** How often the main thread beats. Default: a tenth of the timeout, between 10 ms and 100 ms. */
  heartbeatInterval?: Duration;
  /** How long taking the stack may last before the stall is reported as native code. Default: half the timeout, between 100 ms and 1 s. */
  captureTimeout?: Duration;
  /** Called on the main thread once the loop turns again after a reported stall (before {@link BlockingDetectorOptions.onUnblocked}). */
  onBlocked?: (report: BlockingReport) => void;
  /** Called on the main thread when a reported stall ends, with its total length. */
  onUnblocked?: (report: UnblockedReport) => void;
  /** Called when the watchdog thread dies after it had started (detection is then off). */
  onError?: (error: WatchdogError) => void;
  /**
   * The file descriptor the watchdog writes its WARNING lines to the moment it sees a stall
   * (the main thread's logger cannot write until the loop turns). Default `2` (stderr); `false` for none.
   */
  stderr?: number | false;
  /** Those lines as Mode's text (default) or JSON. */
  logFormat?: 'text' | 'json';
  /** Who speaks in those lines: `[^Worker]` by default. */
  label?: string;
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
export type { LoopStall } from './stall-record.js';

/**
 * Mode's blocking detector: notices when the main event loop has not turned for longer than
 * `timeout` and reports the **JavaScript stack of the blocked main thread**. The main thread
 * writes a heartbeat (`process.hrtime`) into shared memory from an unref'd timer; a watchdog
 * `worker_thread` watches it and, on a stall, evaluates `new Error().stack` on the main
 * thread through `inspector.Session.connectToMainThread()` (a V8 interrupt on top of the
 * blocked frames; never the Debugger domain). It reports once per stall: a WARNING line
 * written straight to stderr from the watchdog, then `onBlocked` on the main thread when the
 * loop turns again, and `onUnblocked` with the stall's total length. A thread stuck in native
 * code (`execSync`, `pbkdf2Sync`) cannot be interrupted: after `captureTimeout` it is
 * reported as such, and its stack follows when the call returns. Quiet while Node's
 * inspector is open (a developer may be paused at a breakpoint). It never keeps the process
 * alive. Time here is the real clock: a stall is a real-time event.
 *
 * @example
 * ```ts
 * await using detector = new BlockingDetector({ timeout: '1s', onBlocked: (r) => console.warn(r.message, r.stack) });
 * await detector.start();
 * ```
 * @category Diagnostics
 */
export class BlockingDetector implements AsyncDisposable {
  /** The timeout in milliseconds (`0`: disabled). */
  readonly timeoutMs: number;
  /** The heartbeat's period in milliseconds. */
  readonly heartbeatIntervalMs: number;
  /** How long a stack capture may take, in milliseconds. */
  readonly captureTimeoutMs: number;
  readonly #options: BlockingDetectorOptions;
  readonly #timeoutText: string;
  #thread: Worker | undefined;
  #heartbeat: BigInt64Array | undefined;
  #timer: NodeJS.Timeout | undefined;
  #starting: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;
  #nextRequest = 0;
  readonly #requests = new Map<number, (captured: CapturedStack) => void>();
  #stalls = 0;
  #lastReport: BlockingReport | undefined;
  /** The main thread's own view of stalls, from its beats. */
  #stallRecord: StallRecord | undefined;

  /** @throws {@link UsageError} (a `DurationError`) for a bad duration, or a heartbeat not shorter than the timeout. */
  constructor(options: BlockingDetectorOptions = {}) {
    this.#options = options;
    const timeout = options.timeout ?? '10s';
    this.timeoutMs = parseDuration(timeout, 'blocking timeout');
    this.#timeoutText = typeof timeout === 'string' ? timeout.trim() : formatDuration(this.timeoutMs);
    this.heartbeatIntervalMs = options.heartbeatInterval === undefined ? clamp(this.timeoutMs / 10, 10, 100) : parseDuration(options.heartbeatInterval, 'heartbeat interval');
    this.captureTimeoutMs = options.captureTimeout === undefined ? clamp(this.timeoutMs / 2, 100, 1_000) : parseDuration(options.captureTimeout, 'capture timeout');
    if (this.enabled && !(this.heartbeatIntervalMs > 0 && this.heartbeatIntervalMs < this.timeoutMs)) {
      throw new UsageError(`The heartbeat interval (${formatDuration(this.heartbeatIntervalMs)}) must be more than 0 and shorter than the blocking timeout (${this.#timeoutText}): give a smaller heartbeatInterval, or leave it out.`);
    }
    if (!(this.captureTimeoutMs > 0)) throw new UsageError('The capture timeout must be more than 0, e.g. captureTimeout: "500ms".');
  }

  /** Whether the detector does anything (a timeout above 0). */
  get enabled(): boolean {
    return this.timeoutMs > 0;
  }

  /** Whether the watchdog thread is up. */
  get running(): boolean {
    return this.#thread !== undefined && this.#stopping === undefined;
  }

  /** How many stalls were reported since {@link BlockingDetector.start}. */
  get stalls(): number {
    return this.#stalls;
  }

  /** The last stall reported (to the main thread), if any. */
  get lastReport(): BlockingReport | undefined {
    return this.#lastReport;
  }

  /**
   * Starts the heartbeat and the watchdog thread. Resolves once the watchdog watches (about
   * 20 ms), or at once when disabled; calling it again while running returns the same promise.
   * Until then the thread keeps the process alive; after, never.
   * @throws {@link UsageError} outside the main thread; {@link WatchdogError} if the thread cannot start.
   */
  start(): Promise<void> {
    if (!this.enabled) return Promise.resolve();
    if (this.#thread && this.#starting) return this.#starting;
    if (!isMainThread) return Promise.reject(new UsageError('BlockingDetector watches the main thread: start it there, not in a worker thread.'));
    this.#stopping = undefined;
    this.#stalls = 0;
    this.#stallRecord = new StallRecord(this.timeoutMs, this.heartbeatIntervalMs, this.#timeoutText);
    const buffer = new SharedArrayBuffer(HeartbeatSlot.length * BigInt64Array.BYTES_PER_ELEMENT);
    this.#heartbeat = new BigInt64Array(buffer);
    this.#beat();
    this.#timer = setInterval(this.#beat, Math.min(MAX_TIMER_DELAY_MS, this.heartbeatIntervalMs)).unref();
    const o = this.#options;
    const settings: WatchdogSettings = {
      heartbeat: buffer,
      timeoutMs: this.timeoutMs,
      intervalMs: this.heartbeatIntervalMs,
      captureTimeoutMs: this.captureTimeoutMs,
      timeoutText: this.#timeoutText,
      stderrFd: o.stderr === false ? undefined : (o.stderr ?? 2),
      logFormat: o.logFormat ?? 'text',
      label: o.label ?? 'Worker',
    };
    this.#starting = new Promise<void>((resolve, reject) => {
      let thread: Worker;
      try {
        thread = new Worker(new URL('./watchdog-thread.js', import.meta.url), { workerData: settings, execArgv: [], name: 'mode-di watchdog' });
      } catch (error) {
        this.#halt();
        reject(new WatchdogError('could not start', error));
        return;
      }
      this.#thread = thread;
      let ready = false;
      thread.on('message', (message: WatchdogMessage) => {
        if (message.type === 'ready') {
          ready = true;
          // From now on the watchdog never holds the process (until here, start() is work in flight).
          thread.unref();
          resolve();
        } else {
          this.#receive(message);
        }
      });
      thread.on('error', (error) => {
        if (this.#thread !== thread) return;
        this.#halt();
        if (ready) o.onError?.(new WatchdogError('failed', error));
        else reject(new WatchdogError('could not start', error));
      });
      thread.on('exit', (code) => {
        if (this.#thread !== thread) return resolve();
        this.#halt();
        if (ready) o.onError?.(new WatchdogError(`exited unexpectedly (code ${code})`));
        else reject(new WatchdogError(`exited before it started (code ${code})`));
      });
    });
    return this.#starting;
  }

  /**
   * Stops the heartbeat and the watchdog thread. Resolves once the thread has exited (a few
   * milliseconds, during which it holds the process); never rejects.
   */
  stop(): Promise<void> {
    if (this.#stopping) return this.#stopping;
    const thread = this.#thread;
    this.#halt();
    // Held until the thread has exited (a few milliseconds), so that `await stop()` settles.
    thread?.ref();
    this.#stopping = thread ? thread.terminate().then(() => undefined, () => undefined) : Promise.resolve();
    return this.#stopping;
  }

  /** {@link BlockingDetector.stop}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  /**
   * Takes the main thread's JavaScript stack from the watchdog thread: what a remote console
   * shows while the loop is blocked. Called from an idle loop, the stack is empty (`''`).
   * @example
   * ```ts
   * const { stack, native } = await detector.captureStack();
   * ```
   * @throws {@link UsageError} when the detector is not running.
   */
  captureStack(): Promise<CapturedStack> {
    const thread = this.#thread;
    if (!thread || this.#stopping) return Promise.reject(new UsageError('captureStack() needs a running BlockingDetector: call start() first (and give it a timeout above 0).'));
    const id = ++this.#nextRequest;
    return new Promise((resolve) => {
      this.#requests.set(id, resolve);
      thread.postMessage({ type: 'stack', id } satisfies WatchdogRequest);
    });
  }

  /**
   * The last stall of the event loop longer than the timeout, as the main thread sees it from
   * its own heartbeat (the watchdog's criterion, without waiting for its message): one that
   * ended less than `withinMs` ago (default: the timeout), or one that ends this very turn of
   * the loop (code that runs late because of it, before the heartbeat has beaten again).
   * `undefined` otherwise, when not running, and while a debugger is attached.
   * @example
   * ```ts
   * const stall = detector.recentStall();
   * const live = stall === undefined; // what the Worker's /live answers
   * ```
   */
  recentStall(withinMs = this.timeoutMs): LoopStall | undefined {
    if (!this.#heartbeat || inspectorUrl() !== undefined) return undefined;
    return this.#stallRecord?.recent(process.hrtime.bigint(), withinMs);
  }

  readonly #beat = (): void => {
    const heartbeat = this.#heartbeat;
    if (!heartbeat) return;
    const now = process.hrtime.bigint();
    const debugging = inspectorUrl() !== undefined;
    this.#stallRecord?.beat(now, debugging);
    Atomics.store(heartbeat, HeartbeatSlot.beatNs, now);
    Atomics.store(heartbeat, HeartbeatSlot.debugging, debugging ? 1n : 0n);
  };

  #receive(message: WatchdogMessage): void {
    switch (message.type) {
      case 'blocked':
        this.#stalls++;
        this.#lastReport = message.report;
        this.#options.onBlocked?.(message.report);
        break;
      case 'unblocked':
        this.#options.onUnblocked?.(message.report);
        break;
      case 'stack': {
        const resolve = this.#requests.get(message.id);
        this.#requests.delete(message.id);
        resolve?.(message.captured);
        break;
      }
      default:
        break;
    }
  }

  /** Stops beating and forgets the thread; pending stack requests get no stack. */
  #halt(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#heartbeat = undefined;
    this.#thread = undefined;
    for (const resolve of this.#requests.values()) resolve({ stack: undefined, native: false });
    this.#requests.clear();
  }
}
