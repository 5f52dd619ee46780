// One real 'abort' listener per signal, however many waits share it.

const abortWatchers = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `listener` once when `signal` aborts; returns a function that forgets it. Every
 * timer, task and sleep of a service shares one real listener on the service's signal, so a
 * service with many of them does not trip Node's MaxListenersExceededWarning.
 */
export function onAbort(signal: AbortSignal, listener: () => void): () => void {
  let watchers = abortWatchers.get(signal);
  if (!watchers) {
    const set = new Set<() => void>();
    watchers = set;
    abortWatchers.set(signal, set);
    signal.addEventListener(
      'abort',
      () => {
        abortWatchers.delete(signal);
        for (const watcher of set) watcher();
      },
      { once: true },
    );
  }
  const set = watchers;
  set.add(listener);
  return () => set.delete(listener);
}
