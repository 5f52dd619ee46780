// Mode's exit stacks: resources a service holds for one run, released in reverse order as it stops (Disposable / AsyncDisposable).
import { HookError } from '../errors/lifecycle.js';
import { UsageError } from '../errors/usage.js';

/** A resource `addContext` / `addAsyncContext` hold: released with `[Symbol.dispose]()` or `[Symbol.asyncDispose]()`. */
export type RunResource = Disposable | AsyncDisposable;

const isDisposable = (value: unknown): value is Disposable =>
  value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as Disposable)[Symbol.dispose] === 'function';
const isAsyncDisposable = (value: unknown): value is AsyncDisposable =>
  value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as AsyncDisposable)[Symbol.asyncDispose] === 'function';

/**
 * Checks what `addContext` (`async` false) or `addAsyncContext` (`async` true) was given.
 * @throws {@link UsageError} naming the method to use instead, or what a resource must have.
 */
export function checkResource(label: string, resource: unknown, async: boolean): RunResource {
  if (!async && isDisposable(resource)) return resource;
  if (async && (isAsyncDisposable(resource) || isDisposable(resource))) return resource as RunResource;
  if (!async && isAsyncDisposable(resource)) {
    throw new UsageError(`${label}.addContext() got an AsyncDisposable (it has [Symbol.asyncDispose] only): use await this.addAsyncContext(resource).`);
  }
  const what = resource === null ? 'null' : typeof resource === 'object' ? `an object without [Symbol.dispose]${async ? ' or [Symbol.asyncDispose]' : ''}` : `a ${typeof resource}`;
  throw new UsageError(
    `${label}.${async ? 'addAsyncContext' : 'addContext'}() takes a resource with a [Symbol.dispose]() method${async ? ' or an [Symbol.asyncDispose]() method' : ''} (Node's Disposable${async ? ' / AsyncDisposable' : ''}); got ${what}.`,
  );
}

/**
 * The resources of one run, in the order they were added: released last first (as Mode's
 * exit stacks and `AsyncDisposableStack` do), each awaited, every one released even when
 * another fails.
 * @example
 * ```ts
 * const contexts = new RunContexts();
 * contexts.add(lock);                        // lock[Symbol.dispose]() at the stop
 * const errors = await contexts.release('Cache');
 * ```
 */
export class RunContexts {
  readonly #held: RunResource[] = [];

  /** How many resources are held. */
  get size(): number {
    return this.#held.length;
  }

  /** Holds `resource` until {@link RunContexts.release}. */
  add(resource: RunResource): void {
    this.#held.push(resource);
  }

  /** Releases every resource, last added first; resolves with the failures as {@link HookError}s of `label`. */
  async release(label: string): Promise<Error[]> {
    const errors: Error[] = [];
    for (let resource = this.#held.pop(); resource !== undefined; resource = this.#held.pop()) {
      try {
        if (isAsyncDisposable(resource)) await resource[Symbol.asyncDispose]();
        else resource[Symbol.dispose]();
      } catch (error) {
        errors.push(new HookError(label, 'context', error));
      }
    }
    return errors;
  }
}
