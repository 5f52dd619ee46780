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
