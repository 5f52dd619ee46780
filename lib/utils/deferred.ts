// A promise made before the work that settles it: callers that come back re-entrantly join it.

/** A promise with its settle functions (Node 20 lacks `Promise.withResolvers`). */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T | PromiseLike<T>): void;
  reject(error: unknown): void;
}

/** Makes a {@link Deferred}. */
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T | PromiseLike<T>) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Stores the promise of `work` through `store` *before* running it, then runs it: work that
 * calls back into its owner while it starts (a stop hook that calls `stop()`) finds the
 * promise in place and joins it, instead of beginning the same work again.
 */
export function joinable<T>(store: (promise: Promise<T>) => void, work: () => Promise<T>): Promise<T> {
  const { promise, resolve } = deferred<T>();
  store(promise);
  resolve(work());
  return promise;
}
