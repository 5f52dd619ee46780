// User mistakes: bad input, bad declarations, bad invocations. The CLI exits 2 on these.
import { ModeError } from './mode-error.js';

/**
 * A mistake in how mode-di was used (bad option, bad declaration, bad module). The message
 * says what is wrong and how to fix it; the CLI prints it without a stack trace and exits 2.
 * @example
 * ```ts
 * try { parseDuration('soon'); } catch (e) { if (e instanceof UsageError) console.error(e.message); }
 * ```
 * @category Errors
 */
export class UsageError extends ModeError {}

/** Renders any value for a message (`NaN`, `10n`, `{"a":1}`), never throwing. */
function describeValue(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value !== 'object' || value === null) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * A duration or rate that could not be parsed. `input` is the offending value.
 * @example
 * ```ts
 * try { parseDuration('5 parsecs'); } catch (e) { if (e instanceof DurationError) console.error(e.input); }
 * ```
 * @category Errors
 */
export class DurationError extends UsageError {
  constructor(
    /** The value that could not be parsed, as given. */
    readonly input: unknown,
    what: string,
    problem: string,
  ) {
    super(`Invalid ${what} ${typeof input === 'string' ? JSON.stringify(input) : describeValue(input)}: ${problem}.`);
  }
}

/**
 * A cron expression (or its timezone) that cannot be scheduled. `expression` is the offending
 * pattern; the message names it, says where it was declared and how to fix it.
 * @example
 * ```ts
 * try { parseCron('0 25 * * *'); } catch (e) { if (e instanceof CronError) console.error(e.expression); }
 * ```
 * @category Errors
 */
export class CronError extends UsageError {
  constructor(
    /** The cron pattern that cannot be scheduled. */
    readonly expression: string,
    where: string,
    problem: string,
  ) {
    super(`Invalid cron expression ${JSON.stringify(expression)}${where ? ` ${where}` : ''}: ${problem}`);
  }
}

/**
 * A lifecycle decorator used where it cannot work (on a field, a static member, …). Thrown
 * when the class is defined.
 * @example
 * ```ts
 * @injectable() class Migrations {
 *   @onStart() static run() {}   // DecoratorError: lifecycle methods run on the instance
 * }
 * ```
 * @category Errors
 */
export class DecoratorError extends UsageError {}

/**
 * A method called in a state that does not allow it (e.g. `start()` twice).
 * @example
 * ```ts
 * await app.start();
 * await app.start().catch((e) => console.log(e instanceof ServiceStateError)); // true
 * ```
 * @category Errors
 */
export class ServiceStateError extends UsageError {
  constructor(
    /** The label of the service (or application) the call was made on. */
    readonly service: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * `app.get(id)` of an identifier nothing is bound to. `serviceIdentifier` names it and
 * `bound` lists what is bound; the message says how to bind it.
 * @example
 * ```ts
 * try { app.get(Payments); } catch (e) { if (e instanceof UnboundServiceError) console.error(e.bound); }
 * ```
 * @category Errors
 */
export class UnboundServiceError extends UsageError {
  constructor(
    /** The identifier asked for, as text. */
    readonly serviceIdentifier: string,
    /** What is bound, by name (the first few). */
    readonly bound: readonly string[],
    fix: string,
  ) {
    super(`app.get(${serviceIdentifier}): nothing is bound to ${serviceIdentifier}. ${fix}`);
  }
}

/**
 * No service of the application has the label asked for (`app.restartService(label)`, the
 * console's `restart` / `stop`). `known` lists the labels there are.
 * @example
 * ```ts
 * try { await app.restartService('Cahce'); } catch (e) { if (e instanceof UnknownServiceError) console.error(e.known); }
 * ```
 * @category Errors
 */
export class UnknownServiceError extends UsageError {
  constructor(
    /** The label asked for. */
    readonly label: string,
    /** The labels the application's services have. */
    readonly known: readonly string[],
  ) {
    super(`There is no service ${JSON.stringify(label)} in this application. Services: ${known.join(', ') || 'none (the app has not started)'}.`);
  }
}

/**
 * `new Application(target)` with something it cannot run (a class instead of an instance, a
 * number, an array of other things). `got` says what it was.
 * @example
 * ```ts
 * new Application(AppService as never); // ApplicationTargetError: … got the class AppService. Pass an instance …
 * ```
 * @category Errors
 */
export class ApplicationTargetError extends UsageError {
  constructor(
    /** What was given instead, described. */
    readonly got: string,
    fix = '',
  ) {
    super(`An Application runs a ContainerModule, an array of them, a Container, or a service object; got ${got}.${fix ? ` ${fix}` : ''}`);
  }
}

/**
 * Several services share the label asked for, so it does not say which one to act on
 * (two bindings of the same class, or two services that give themselves one `label`).
 * @example
 * ```ts
 * catch (e) { if (e instanceof AmbiguousServiceError) console.error(`${e.count} services are called ${e.label}`); }
 * ```
 * @category Errors
 */
export class AmbiguousServiceError extends UsageError {
  constructor(
    /** The label several services share. */
    readonly label: string,
    /** How many services have it. */
    readonly count: number,
  ) {
    super(`${count} services are labelled ${JSON.stringify(label)}, so it does not say which one to act on. Give them distinct labels (a Service's label property), or restart the application.`);
  }
}
