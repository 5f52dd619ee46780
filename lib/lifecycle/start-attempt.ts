// One start of the whole app in progress: whether it was halted, what failed, and what its rollback met.
import type { HookError } from '../errors/lifecycle.js';
import type { AppState } from './lifecycle.js';
import type { ServiceRuntime } from './runtime.js';

/** The record of one start of the whole app, from `startAll()` until it settles. */
export class StartAttempt {
  /** Once true, nothing new starts; the start rolls back when what is in flight settles. */
  halted = false;
  /** Why it was halted (`'stop'`, `'shutdown'`, …): the reason of the stop that rolls it back. */
  haltReason = 'stop';
  readonly failures: HookError[] = [];
  /** What failed while rolling back. */
  rollbackErrors: Error[] = [];
  /** Resolves once the start has settled (succeeded, or rolled back). */
  readonly done: Promise<void>;
  #resolve!: () => void;

  /**
   * @param started The engine's record of what has started (starts in flight included).
   * @param stateBefore The app's state before this start.
   */
  constructor(
    private readonly started: ReadonlySet<ServiceRuntime>,
    readonly stateBefore: AppState,
  ) {
    this.done = new Promise((resolve) => (this.#resolve = resolve));
  }

  /** Stops the start: nothing new starts, and the start hooks still running see their signal abort. */
  halt(reason: string): void {
    if (this.halted) return;
    this.halted = true;
    this.haltReason = reason;
    for (const node of this.started) node.interruptStart();
  }

  /** Fails the start with `error` (a service crashed while the app was starting). */
  fail(error: HookError): void {
    this.failures.push(error);
    this.halt('rollback');
  }

  /** The start has settled. */
  settled(): void {
    this.#resolve();
  }
}
