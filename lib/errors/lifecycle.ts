// Failures of running services: hooks that throw or hang, failed starts and stops.
import { describeError, ModeError } from './mode-error.js';

/**
 * A lifecycle hook (or task) of a service threw. `phase` is the lifecycle phase it ran in;
 * `cause` is what it threw.
 * @example
 * ```ts
 * app.on('service.startFailed', (e) => console.error(e.error.service, e.error.hook, e.error.cause));
 * ```
 * @category Errors
 */
export class HookError extends ModeError {
  constructor(
    /** The label of the service whose hook threw. */
    readonly service: string,
    /** The hook's method name (or the background work's name), e.g. `'onStart'`, `'poll'`. */
    readonly hook: string,
    cause: unknown,
    /** The lifecycle phase the hook ran in (`'onStart'`, `'onStop'`, …); absent for background work. */
    readonly phase?: string,
  ) {
    super(`${service}.${hook}${phase && phase !== hook ? ` (${phase})` : ''} failed: ${describeError(cause)}`, { cause });
  }
}

/**
 * A lifecycle hook did not settle within its timeout. Its AbortSignal was aborted.
 * @example
 * ```ts
 * try { await app.start(); } catch (e) { if (e instanceof StartError && e.cause instanceof HookTimeoutError) console.error(e.cause.timeoutMs); }
 * ```
 * @category Errors
 */
export class HookTimeoutError extends ModeError {
  constructor(
    /** The label of the service whose hook hung. */
    readonly service: string,
    /** The hook's method name. */
    readonly hook: string,
    /** The timeout it exceeded, in milliseconds. */
    readonly timeoutMs: number,
  ) {
    super(`${service}.${hook} timed out after ${timeoutMs}ms`);
  }
}

/**
 * `start()` failed. Everything that had started was stopped again (in reverse order) before
 * this was thrown. `errors` lists every hook failure (usually one); `rollbackErrors` lists
 * what went wrong while stopping the rest.
 * @example
 * ```ts
 * try { await app.start(); }
 * catch (e) { if (e instanceof StartError) for (const failure of e.errors) console.error(failure.service, failure.cause); }
 * ```
 * @category Errors
 */
export class StartError extends ModeError {
  constructor(
    /** Every hook that failed during the start (usually one); its `cause` is the first one's. */
    readonly errors: readonly HookError[],
    /** What failed while stopping the services that had started (the rollback). */
    readonly rollbackErrors: readonly Error[] = [],
  ) {
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more: ${errors.slice(1).map((e) => `${e.service}.${e.hook}`).join(', ')})` : '';
    const rolled = rollbackErrors.length ? `; ${rollbackErrors.length} error(s) while rolling back` : '';
    super(`Start failed: ${first ? first.message : 'unknown error'}${more}${rolled}`, { cause: first?.cause });
  }
}

/**
 * `stop()` finished, but some services failed while stopping. Every service was still stopped.
 * @example
 * ```ts
 * try { await app.stop(); } catch (e) { if (e instanceof StopError) console.error(e.errors.map((x) => x.message)); }
 * ```
 * @category Errors
 */
export class StopError extends ModeError {
  constructor(
    /** Every failure on the way (a stop hook that threw or timed out, background work that failed). */
    readonly errors: readonly Error[],
  ) {
    super(`Stop finished with ${errors.length} error(s): ${errors.map((e) => e.message).join('; ')}`);
  }
}

/**
 * The reason a service's AbortSignal carries when the service begins to stop.
 * @example
 * ```ts
 * this.signal.addEventListener('abort', () => console.log(this.signal.reason instanceof ServiceStoppingError)); // true
 * ```
 * @category Errors
 */
export class ServiceStoppingError extends ModeError {
  constructor(
    /** The label of the service that is stopping. */
    readonly service: string,
  ) {
    super(`${service} is stopping`);
  }

  /**
   * One without a stack trace: it is a reason, not a failure, and a stop of 1,000 services
   * would otherwise capture 1,000 stacks nobody reads.
   */
  static for(service: string): ServiceStoppingError {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return new ServiceStoppingError(service);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}

/**
 * The reason a cancelled piece of background work's AbortSignal carries (the console's
 * `cancel <id>`): the work ends, its service keeps running, and it is not a crash.
 * @example
 * ```ts
 * @task() async poll(signal: AbortSignal) { … if (signal.reason instanceof WorkCancelledError) log('cancelled'); }
 * ```
 * @category Errors
 */
export class WorkCancelledError extends ModeError {
  constructor(
    /** The label of the service the work belongs to. */
    readonly service: string,
    /** The work's name (the method of its `@task`, `@timer` or `@crontab`, or the future's). */
    readonly work: string,
    /** The work's id, as the console's `tasks` lists it. */
    readonly id: number,
  ) {
    super(`${service}.${work} (work ${id}) was cancelled; ${service} keeps running, and its next start runs it again`);
  }
}

/**
 * `start()` was still running when `stop()` was called; what had started was stopped again.
 * @example
 * ```ts
 * const started = app.start();
 * await app.stop();
 * await started.catch((e) => console.log(e instanceof StartInterruptedError)); // true
 * ```
 * @category Errors
 */
export class StartInterruptedError extends ModeError {
  constructor() {
    super('Start was interrupted by stop(); every service that had started was stopped again.');
  }
}

/**
 * `Service.wait()` (or `waitFirst`) ran out of time.
 * @example
 * ```ts
 * try { await this.wait(this.ready, { timeout: '5s' }); } catch (e) { if (e instanceof WaitTimeoutError) this.log.warning('not ready after %dms', e.timeoutMs); }
 * ```
 * @category Errors
 */
export class WaitTimeoutError extends ModeError {
  constructor(
    /** The label of the service that was waiting. */
    readonly service: string,
    /** The timeout that ran out, in milliseconds. */
    readonly timeoutMs: number,
  ) {
    super(`${service}: wait timed out after ${timeoutMs}ms`);
  }
}

/**
 * The container could not build a service (its constructor, factory or activation threw). Nothing had started.
 * @example
 * ```ts
 * try { await app.start(); } catch (e) { if (e instanceof ResolutionError) console.error(e.service, e.cause); }
 * ```
 * @category Errors
 */
export class ResolutionError extends ModeError {
  constructor(
    /** The label of the service that could not be created. */
    readonly service: string,
    cause: unknown,
  ) {
    super(`Could not create ${service}: ${describeError(cause)}`, { cause });
  }
}
