// Page views counted in memory and written to a store in batches: one flush at a time, nothing lost, nothing counted twice.

/**
 * One flush's worth of counts. `seq` orders a writer's batches: a store applies each
 * (writer, seq) at most once, so a batch whose outcome is unknown can be sent again.
 * @example
 * ```ts
 * const batch: PageViewBatch = { seq: 1, counts: new Map([['/home', 3]]) };
 * ```
 */
export interface PageViewBatch {
  readonly seq: number;
  readonly counts: ReadonlyMap<string, number>;
}

/**
 * Where batches go. `apply` must be idempotent per `seq` (see `RedisPageViewStore`): the
 * buffer sends a batch again when it cannot know whether the last attempt landed.
 * @example
 * ```ts
 * const store: PageViewStore = { apply: async (batch) => { for (const [page, n] of batch.counts) total.set(page, n); } };
 * ```
 */
export interface PageViewStore {
  apply(batch: PageViewBatch): Promise<void>;
}

/**
 * A view was counted after the final flush began: the caller must not acknowledge it.
 * @example
 * ```ts
 * try { buffer.add('/home'); } catch (e) { if (e instanceof PageViewsClosedError) reply(503); }
 * ```
 */
export class PageViewsClosedError extends Error {
  override readonly name = 'PageViewsClosedError';
  constructor(page: string) {
    super(`Page view of ${page} refused: the page-view cache is stopping (its final flush has begun). Retry on another worker.`);
  }
}

/**
 * The final flush gave up: these views are in no store. The message lists them, so they can be replayed by hand.
 * @example
 * ```ts
 * catch (e) { if (e instanceof UnflushedPageViewsError) replay(e.counts); }
 * ```
 */
export class UnflushedPageViewsError extends Error {
  override readonly name = 'UnflushedPageViewsError';
  /** Page → views that could not be written. */
  readonly counts: ReadonlyMap<string, number>;
  constructor(counts: ReadonlyMap<string, number>, attempts: number, cause: unknown) {
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const shown = [...counts].slice(0, 20).map(([page, n]) => `${page}: ${n}`);
    const more = counts.size > 20 ? `, and ${counts.size - 20} more pages` : '';
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`${total} page view(s) could not be written after ${attempts} attempt(s) (${why}): {${shown.join(', ')}${more}}. Check that Redis is reachable (REDIS_URL) and replay these counts.`, { cause });
    this.counts = counts;
  }
}

/** How long the final flush waits before its next attempt: 100 ms doubling, at most 2 s. */
function retryDelayMs(attempt: number): number {
  return Math.min(100 * 2 ** (attempt - 1), 2_000);
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Counts page views in memory and writes them to a {@link PageViewStore} in batches.
 *
 * - `add` is synchronous: a view is in the buffer before the caller acknowledges it.
 * - Flushes never overlap: each waits for the one before (a timer's and the final one alike),
 *   then takes the whole buffer at once (a swap), so a view is in exactly one batch.
 * - A failed batch stays pending and is sent again, with the same `seq`, before anything
 *   newer: the store applies it once even if the failed attempt had in fact landed.
 * - `close` refuses new views, waits for the flush in flight, flushes the rest (retrying),
 *   and throws {@link UnflushedPageViewsError} naming what it could not write.
 *
 * @example
 * ```ts
 * const buffer = new PageViewBuffer(store);
 * buffer.add('/home');
 * await buffer.flush();        // true when everything buffered is now in the store
 * await buffer.close(5);       // at stop
 * ```
 */
export class PageViewBuffer {
  #counts = new Map<string, number>();
  #pending: PageViewBatch | undefined;
  #seq = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  #lastError: unknown;

  constructor(private readonly store: PageViewStore) {}

  /** Views not yet known to be in the store. */
  get unflushedViews(): number {
    let total = 0;
    for (const n of this.#pending?.counts.values() ?? []) total += n;
    for (const n of this.#counts.values()) total += n;
    return total;
  }

  /** Views of `page` not yet known to be in the store. */
  unflushedViewsOf(page: string): number {
    return (this.#pending?.counts.get(page) ?? 0) + (this.#counts.get(page) ?? 0);
  }

  /** Why the last flush failed (cleared by a successful one). */
  get lastError(): unknown {
    return this.#lastError;
  }

  /**
   * Counts `n` views of `page`.
   * @throws {@link PageViewsClosedError} once {@link PageViewBuffer.close} has begun.
   */
  add(page: string, n = 1): void {
    if (this.#closed) throw new PageViewsClosedError(page);
    this.#counts.set(page, (this.#counts.get(page) ?? 0) + n);
  }

  /**
   * Writes what is buffered, after any flush in flight. Resolves `true` when everything
   * buffered when it began is in the store, `false` when the store failed (nothing is lost:
   * it stays for the next flush; see {@link PageViewBuffer.lastError}). Never rejects.
   */
  flush(): Promise<boolean> {
    const run = this.#queue.then(() => this.#flushOnce());
    this.#queue = run;
    return run;
  }

  /**
   * The final flush: refuses new views, then flushes until the buffer is empty, up to
   * `attempts` times (100 ms doubling to 2 s between them; an abort of `signal` ends the waits).
   * @throws {@link UnflushedPageViewsError} with what could not be written.
   */
  async close(attempts: number, signal?: AbortSignal): Promise<void> {
    this.#closed = true;
    for (let attempt = 1; ; attempt++) {
      if ((await this.flush()) && this.unflushedViews === 0) return;
      if (attempt >= attempts || signal?.aborted) break;
      await pause(retryDelayMs(attempt), signal);
    }
    const left = new Map(this.#pending?.counts ?? []);
    for (const [page, n] of this.#counts) left.set(page, (left.get(page) ?? 0) + n);
    throw new UnflushedPageViewsError(left, attempts, this.#lastError);
  }

  async #flushOnce(): Promise<boolean> {
    // First the batch that failed last time (same seq), then whatever came in since.
    if (this.#pending && !(await this.#send(this.#pending))) return false;
    if (this.#counts.size === 0) return true;
    this.#pending = { seq: ++this.#seq, counts: this.#counts };
    this.#counts = new Map();
    return this.#send(this.#pending);
  }

  async #send(batch: PageViewBatch): Promise<boolean> {
    try {
      await this.store.apply(batch);
    } catch (error) {
      this.#lastError = error;
      return false;
    }
    this.#pending = undefined;
    this.#lastError = undefined;
    return true;
  }
}
