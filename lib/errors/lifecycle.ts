// Failures of running services: hooks that throw or hang, failed starts and stops.
import { describeError, ModeError } from './mode-error.js';

/** A lifecycle hook (or task) of a service threw. `phase` is the lifecycle phase it ran in. */
export class HookError extends ModeError {
  constructor(
    readonly service: string,
    readonly hook: string,
    cause: unknown,
    readonly phase?: string,
  ) {
    super(`${service}.${hook}${phase && phase !== hook ? ` (${phase})` : ''} failed: ${describeError(cause)}`, { cause });
  }
}

/** A lifecycle hook did not settle within its timeout. Its AbortSignal was aborted. */
export class HookTimeoutError extends ModeError {
  constructor(
    readonly service: string,
    readonly hook: string,
    readonly timeoutMs: number,
  ) {
    super(`${service}.${hook} timed out after ${timeoutMs}ms`);
  }
}

/**
 * `start()` failed. Everything that had started was stopped again (in reverse order) before
 * this was thrown. `errors` lists every hook failure (usually one); `rollbackErrors` lists
 * what went wrong while stopping the rest.
 */
export class StartError extends ModeError {
  constructor(
    readonly errors: readonly HookError[],
    readonly rollbackErrors: readonly Error[] = [],
  ) {
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more: ${errors.slice(1).map((e) => `${e.service}.${e.hook}`).join(', ')})` : '';
    const rolled = rollbackErrors.length ? `; ${rollbackErrors.length} error(s) while rolling back` : '';
    super(`Start failed: ${first ? first.message : 'unknown error'}${more}${rolled}`, { cause: first?.cause });
  }
}

/** `stop()` finished, but some services failed while stopping. Every service was still stopped. */
export class StopError extends ModeError {
  constructor(readonly errors: readonly Error[]) {
    super(`Stop finished with ${errors.length} error(s): ${errors.map((e) => e.message).join('; ')}`);
  }
}

/** The reason a service's AbortSignal carries when the service begins to stop. */
export class ServiceStoppingError extends ModeError {
  constructor(readonly service: string) {
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
 */
export class WorkCancelledError extends ModeError {
  constructor(
    readonly service: string,
    readonly work: string,
    readonly id: number,
  ) {
    super(`${service}.${work} (work ${id}) was cancelled; ${service} keeps running, and its next start runs it again`);
  }
}

/** `start()` was still running when `stop()` was called; what had started was stopped again. */
export class StartInterruptedError extends ModeError {
  constructor() {
    super('Start was interrupted by stop(); every service that had started was stopped again.');
  }
}

/** `Service.wait()` (or `waitFirst`) ran out of time. */
export class WaitTimeoutError extends ModeError {
  constructor(
    readonly service: string,
    readonly timeoutMs: number,
  ) {
    super(`${service}: wait timed out after ${timeoutMs}ms`);
  }
}

/** The container could not build a service (its constructor, factory or activation threw). Nothing had started. */
export class ResolutionError extends ModeError {
  constructor(
    readonly service: string,
    cause: unknown,
  ) {
    super(`Could not create ${service}: ${describeError(cause)}`, { cause });
  }
}
