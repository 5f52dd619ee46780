// @task: a long-running method started with its service and cancelled (and awaited) when it stops.
import { applyingDecorator } from '../utils/stack.js';
import type { SignalMethod, SignalMethodDecorator } from '../service/signal-method.js';
import { checkOptions, decoratedMethod, declare } from './declare.js';

/**
 * Options of {@link task}.
 * @example
 * ```ts
 * @task({ name: 'consume-orders' }) async consume(signal: AbortSignal) { … }
 * ```
 * @category Background work
 */
export interface TaskOptions {
  /** The name shown in crash reports and in-flight listings. Default: the method's name. */
  name?: string;
}

/**
 * A decorator usable both as `@task` and `@task({ name })`.
 * @example
 * ```ts
 * class Pump extends Service { @task async run(signal: AbortSignal) { … } }
 * ```
 * @category Background work
 */
export interface TaskDecorator {
  (options?: TaskOptions): SignalMethodDecorator;
  <T extends SignalMethod>(target: object, propertyKey: string | symbol, descriptor: TypedPropertyDescriptor<T>): void;
}

function declareTask(options: TaskOptions | undefined, target: object, key: string | symbol, descriptor: PropertyDescriptor | undefined): void {
  applyingDecorator('@task', key, () => {
    const method = decoratedMethod('@task()', target, key, descriptor);
    declare(method, 'task', options?.name, async (fn, target, context) => {
      await fn.call(target, context.signal);
    });
  });
}

/**
 * Runs a method in the background while its service runs (Mode's `@Service.task`). It starts
 * after `onStart` on every (re)start and gets an AbortSignal that aborts when the service
 * begins to stop; the stop awaits it before `onShutdown`. If it throws (other than with the
 * stop's abort) the service crashes. Returning early is fine: the task is simply done.
 *
 * @example
 * ```ts
 * @injectable() class Consumer {
 *   @task() async consume(signal: AbortSignal) {
 *     for await (const message of this.queue.messages({ signal })) await this.handle(message);
 *   }
 * }
 * ```
 * @category Background work
 */
export const task: TaskDecorator = function task(...args: unknown[]): SignalMethodDecorator | void {
  const [first, key, descriptor] = args;
  if (args.length >= 2 && (typeof key === 'string' || typeof key === 'symbol')) {
    declareTask(undefined, first as object, key, descriptor as PropertyDescriptor | undefined);
    return;
  }
  checkOptions('@task()', first, "{ name: 'consumer' }");
  const options = first as TaskOptions | undefined;
  return (target: object, k: string | symbol, d?: PropertyDescriptor) => declareTask(options, target, k, d);
} as TaskDecorator;
