// The type of a method mode-di calls (a hook, a task, a timer): it gets the AbortSignal or nothing, so the decorators refuse any other at compile time.

/**
 * A method a lifecycle hook, `@task`, `@timer` or `@crontab` can call: mode-di passes one
 * argument, an `AbortSignal`, so the method takes no parameter or one that can receive it.
 * @example
 * ```ts
 * const ok: SignalMethod = async (signal: AbortSignal) => {};
 * // const bad: SignalMethod = (port: number) => {};   // does not compile
 * ```
 * @category Services
 */
export type SignalMethod = (signal: AbortSignal) => unknown;

/**
 * A method decorator that only compiles on a {@link SignalMethod}: `@onStart() listen(port: number)`
 * is a type error (the hook would be given an AbortSignal), and so is a second required
 * parameter, or the decorator on a field or an accessor.
 * @example
 * ```ts
 * const decorator: SignalMethodDecorator = onStart({ timeout: '5s' });
 * ```
 * @category Services
 */
export type SignalMethodDecorator = <T extends SignalMethod>(target: object, propertyKey: string | symbol, descriptor: TypedPropertyDescriptor<T>) => void;
