// What `mode-di run`'s options read from words: yes/no flags checked (yargs takes any unknown word as false) and the MODE_* variables, a mistake naming the variable.
import type { Options } from 'yargs';
import { UsageError } from '../errors/usage.js';
import { parseDuration } from '../utils/durations.js';
import { RUN_OPTIONS, type RunArguments } from './run-options.js';

/**
 * The environment variable of each option: `MODE_` and the option name in capitals, dashes as underscores.
 * @example
 * ```ts
 * envNameOf('shutdown-timeout'); // 'MODE_SHUTDOWN_TIMEOUT'
 * ```
 */
export function envNameOf(option: string): string {
  return `MODE_${option.toUpperCase().replace(/-/g, '_')}`;
}

/** The words a boolean option or variable accepts, in any case. */
const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = { true: true, false: false, 1: true, 0: false, yes: true, no: false };

/**
 * Reads a boolean option's value: `true`/`false`/`1`/`0`/`yes`/`no`, in any case.
 * @example
 * ```ts
 * parseBoolean('YES', 'MODE_QUIET');   // true
 * parseBoolean('maybe', '--color');    // throws UsageError: Invalid --color=maybe: …
 * ```
 * @throws {@link UsageError} naming `name` (the flag or the variable) and the words accepted.
 */
export function parseBoolean(value: string, name: string): boolean {
  const word = value.trim().toLowerCase();
  if (Object.hasOwn(BOOLEAN_WORDS, word)) return BOOLEAN_WORDS[word]!;
  throw new UsageError(`Invalid ${name}=${value}: a yes/no option takes true, false, 1, 0, yes or no.`);
}

const BOOLEAN_OPTIONS = Object.entries(RUN_OPTIONS)
  .filter(([, o]) => (o as Options).type === 'boolean')
  .map(([name]) => name);

/**
 * Checks the values given to boolean flags on the command line (`--quiet=yes`, `--color=0`,
 * `--no-color=false`) and rewrites them as yargs reads them (`--quiet=true`,
 * `--color=false`, `--color=true`): yargs itself reads any unknown word as `false`.
 * @example
 * ```ts
 * normaliseBooleanFlags(['app.ts', '--quiet=YES']); // ['app.ts', '--quiet=true']
 * ```
 * @throws {@link UsageError} naming the flag, for a value that is not a yes/no word.
 */
export function normaliseBooleanFlags(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const flag = /^--(no-)?([a-z-]+)=(.*)$/s.exec(arg);
    if (flag && BOOLEAN_OPTIONS.includes(flag[2]!)) {
      const value = parseBoolean(flag[3]!, `--${flag[1] ?? ''}${flag[2]}`);
      out.push(`--${flag[2]}=${flag[1] ? !value : value}`);
    } else {
      out.push(arg);
    }
  }
  return out;
}

/**
 * The options set by `MODE_*` environment variables, each checked as its flag would be, a
 * mistake naming the variable (`Invalid MODE_QUIET=maybe: …`). An empty variable counts as
 * unset. Variables that name no option (`MODE`, `MODEL_DIR`, `MODE_DI_CACHE_DIR`) are left
 * alone.
 * @example
 * ```ts
 * optionsFromEnvironment({ MODE_LOGLEVEL: 'debug', MODE_QUIET: '1' }); // { loglevel: 'debug', quiet: true }
 * ```
 * @throws {@link UsageError} naming the variable.
 */
export function optionsFromEnvironment(env: NodeJS.ProcessEnv = process.env): RunArguments {
  const args: Record<string, unknown> = {};
  for (const [option, definition] of Object.entries(RUN_OPTIONS) as Array<[string, Options]>) {
    const name = envNameOf(option);
    const raw = env[name] ?? oldVariableOf(option, env);
    if (raw === undefined || raw.trim() === '') continue;
    const key = option.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const value = raw.trim();
    if (definition.type === 'boolean') {
      args[key] = parseBoolean(value, name);
    } else if (definition.choices) {
      const choices = definition.choices as readonly string[];
      const lower = value.toLowerCase();
      if (!choices.includes(lower)) throw new UsageError(`Invalid ${name}=${raw}: use one of ${choices.join(', ')}.`);
      args[key] = lower;
    } else if (option === 'shutdown-timeout' || option === 'blocking-timeout') {
      if (value !== '0') parseDuration(value, name);
      args[key] = value;
    } else if (definition.array) {
      args[key] = [value];
    } else {
      args[key] = value;
    }
  }
  return args as RunArguments;
}

/** Options renamed to match `WorkerOptions`: their old variable is still read when the new one is unset. */
const OLD_VARIABLES: Readonly<Record<string, string>> = { services: 'MODE_SERVICE' };

function oldVariableOf(option: string, env: NodeJS.ProcessEnv): string | undefined {
  const old = OLD_VARIABLES[option];
  return old === undefined ? undefined : env[old];
}
