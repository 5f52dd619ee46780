// What a Worker runs: the Application it was given, or one built from a module, a container or a service — refused with the fix when it cannot be.
import { Application, type ApplicationTarget } from '../application/application.js';
import { UsageError } from '../errors/usage.js';
import type { WorkerOptions } from './options.js';

/**
 * What a {@link Worker} runs: an `Application`, or anything an `Application` accepts.
 * @example
 * ```ts
 * const target: WorkerTarget = new ContainerModule(({ bind }) => { bind(App).toSelf().inSingletonScope(); });
 * ```
 * @category Worker
 */
export type WorkerTarget = Application | ApplicationTarget;

/**
 * The application a Worker runs `target` as: itself when it is one, else a new one with
 * `options`.
 * @example
 * ```ts
 * workerApplication(appModule, { services: ['Api'] }); // an Application starting Api and what it needs
 * ```
 * @throws {@link UsageError} for a class instead of an instance, or a `services` option the app cannot honour.
 */
export function workerApplication(target: WorkerTarget, options: WorkerOptions): Application {
  if (options.services?.length && target instanceof Application) {
    throw new UsageError(
      `The services option (--services ${options.services.map(String).join(',')}) cannot choose the services of an Application the module built itself: its options are fixed when it is created. ` +
        'Export the ContainerModule instead (mode-di builds the Application), or pass { services: [...] } to new Application(...).',
    );
  }
  if (typeof target === 'function') {
    const name = (target as { name?: string }).name;
    const isClass = /^class[\s{]/.test(Function.prototype.toString.call(target));
    throw new UsageError(
      isClass
        ? `A Worker runs an application, a container module or a service object; got the class ${name || '(anonymous)'}. Pass an instance (new Worker(new ${name || 'TheClass'}())) or a ContainerModule that binds it.`
        : `A Worker runs an application, a container module or a service object; got a function${name ? ` (${name})` : ''}. Pass what it returns (new Worker(${name || 'makeApp'}())), not the function.`,
    );
  }
  const app = target instanceof Application ? target : new Application(target, options);
  if (options.services?.length && !app.container) {
    throw new UsageError('The services option (--services) picks services of a container module; this app is a Mode-style service tree, which always runs whole.');
  }
  return app;
}
