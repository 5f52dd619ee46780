// What the main thread and the watchdog thread say to each other (types only: the watchdog is plain JavaScript).

/**
 * The heartbeat's layout in its `SharedArrayBuffer`, as a `BigInt64Array`: the main thread
 * writes both slots from its heartbeat timer; the watchdog only reads them.
 * @example
 * ```ts
 * Atomics.store(new BigInt64Array(buffer), HeartbeatSlot.beatNs, process.hrtime.bigint());
 * ```
 */
export const HeartbeatSlot = {
  /** `process.hrtime.bigint()` when the main thread's loop last ran the heartbeat. */
  beatNs: 0,
  /** `1n` while Node's inspector is open (`inspector.url()` set): a developer may be paused at a breakpoint. */
  debugging: 1,
  /** Number of slots. */
  length: 2,
} as const;

/**
 * What the watchdog thread is started with (`workerData`).
 * @example
 * ```ts
 * new Worker(script, { workerData: { heartbeat, timeoutMs: 10_000, intervalMs: 100, captureTimeoutMs: 1_000, timeoutText: '10s', stderrFd: 2, logFormat: 'text', label: 'Worker' } satisfies WatchdogSettings });
 * ```
 */
export interface WatchdogSettings {
  readonly heartbeat: SharedArrayBuffer;
  /** A stall longer than this (past the heartbeat's due time) is reported. */
  readonly timeoutMs: number;
  /** How often the main thread beats. */
  readonly intervalMs: number;
  /** How long a stack capture may take before the stall is reported as native code. */
  readonly captureTimeoutMs: number;
  /** The timeout as the user wrote it, for the message (`timeout=10s`). */
  readonly timeoutText: string;
  /** The file descriptor the watchdog writes its lines to, or `undefined` for none. */
  readonly stderrFd: number | undefined;
  readonly logFormat: 'text' | 'json';
  /** Who speaks in those lines (`[^Worker]`). */
  readonly label: string;
}

/**
 * A stall, as reported when it is detected.
 * @example
 * ```ts
 * detector = new BlockingDetector({ onBlocked: (report: BlockingReport) => console.warn(report.message, report.stack) });
 * ```
 * @category Diagnostics
 */
export interface BlockingReport {
  /** The configured timeout, in milliseconds. */
  readonly timeoutMs: number;
  /** How long the event loop had not turned when the stall was detected, in milliseconds. */
  readonly blockedMs: number;
  /** When it was detected (wall clock). */
  readonly detectedAt: Date;
  /**
   * The blocked main thread's JavaScript stack (frames only, `    at fn (file.ts:12:5)`), or
   * `undefined` when it could not be taken in time: see `native`.
   */
  readonly stack: string | undefined;
  /** The stack capture timed out: the thread is in native code (`execSync`, `pbkdf2Sync`, a huge `JSON.parse`). */
  readonly native: boolean;
  /** The WARNING line's text, e.g. `Blocking detected (timeout=10s): the event loop has not turned for 10.20s`. */
  readonly message: string;
}

/**
 * The end of a stall.
 * @example
 * ```ts
 * new BlockingDetector({ onUnblocked: (report: UnblockedReport) => metrics.observe(report.blockedMs) });
 * ```
 * @category Diagnostics
 */
export interface UnblockedReport {
  /** How long the event loop did not turn, in all, in milliseconds. */
  readonly blockedMs: number;
  /** When the loop turned again (wall clock). */
  readonly endedAt: Date;
  /** The stall was reported as native code. */
  readonly native: boolean;
  /** For a native stall: the JavaScript stack once the native call returned (the caller of the blocking call). */
  readonly lateStack: string | undefined;
  /** The line's text, e.g. `Blocking ended: the event loop did not turn for 1.50s`. */
  readonly message: string;
}

/**
 * The main thread's stack, taken from the watchdog thread on request.
 * @example
 * ```ts
 * const { stack, native }: CapturedStack = await detector.captureStack();
 * ```
 * @category Diagnostics
 */
export interface CapturedStack {
  /** Frames only; `''` when the main thread was idle (nothing of the app's on the stack). */
  readonly stack: string | undefined;
  /** No answer within the capture timeout: the thread is in native code. */
  readonly native: boolean;
}

/** Messages from the watchdog thread. */
export type WatchdogMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'blocked'; readonly report: BlockingReport }
  | { readonly type: 'unblocked'; readonly report: UnblockedReport }
  | { readonly type: 'stack'; readonly id: number; readonly captured: CapturedStack };

/** Messages to the watchdog thread. */
export type WatchdogRequest = { readonly type: 'stack'; readonly id: number };
