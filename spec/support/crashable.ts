// A DI class that crashes on demand (its @task throws), optionally @supervised: the supervision and readiness specs' service.
import { injectable } from 'inversify';
import { onStart, onStop, supervised, type SupervisedOptions, task } from '../../lib/index.js';

/** A class whose background task throws when `crash()` is called; its hooks log `Name+` / `Name-`. */
export function crashable(name: string, log: string[] = [], options?: SupervisedOptions) {
  class Node {
    #fail: ((error: Error) => void) | undefined;
    /** Makes the running task throw `error`: the service crashes. */
    crash(error = new Error(`${name} broke`)) {
      this.#fail?.(error);
    }
    @onStart() begin() {
      log.push(`${name}+`);
    }
    @onStop() end() {
      log.push(`${name}-`);
    }
    @task() async watch(signal: AbortSignal) {
      await new Promise<void>((resolve, reject) => {
        this.#fail = reject;
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  }
  Object.defineProperty(Node, 'name', { value: name });
  injectable()(Node);
  if (options) supervised(options)(Node);
  return Node;
}
