// Parses the `mode-di` command line with yargs (every option also from a MODE_* variable); prints help and the version.
import { UsageError } from '../errors/usage.js';
import { modeDiVersion } from '../utils/files.js';
import { closestMatch } from '../utils/suggest.js';
import { parseOrPrintHelp } from './command-args.js';
import { type ConsoleArguments, defineConsoleOptions } from './console-options.js';
import { envNameOf, normaliseBooleanFlags, optionsFromEnvironment } from './option-values.js';
import { defineRunOptions, RUN_OPTIONS, type RunArguments } from './run-options.js';

/**
 * The outcome of parsing: a command to run, or nothing left to do (help or version printed).
 * @example
 * ```ts
 * const parsed = await parseCommandLine(['run', 'app.ts']); // { command: 'run', args: { module: 'app.ts', … } }
 * ```
 */
export type ParsedCommand =
  | { readonly command: 'run'; readonly args: RunArguments }
  | { readonly command: 'console'; readonly args: ConsoleArguments }
  | { readonly command: 'none' };

/**
 * A mistake on the command line, as reported by yargs (unknown option, bad value, …).
 * @example
 * ```ts
 * await parseCommandLine(['run', 'app.ts', '--nope']); // throws CommandLineError('Unknown argument: nope')
 * ```
 */
export class CommandLineError extends UsageError {}

const EPILOGUE = `Every option can also be set with an environment variable, e.g. MODE_LOGLEVEL=debug,
MODE_SHUTDOWN_TIMEOUT=10s, MODE_SERVICES=Webserver, MODE_COLOR=false, MODE_HEALTH_PORT=8081. Yes/no options and
variables take true, false, 1, 0, yes or no.

Exit status: 0 clean stop (a signal included); 1 failed start, crash, errors while
stopping, shutdown deadline, or a log destination that failed; 2 usage error or a module
that cannot be loaded.
Signals: SIGINT/SIGTERM/SIGHUP stop (a second one forces), SIGUSR2 dumps the service tree,
SIGUSR1 opens Node's inspector.`;

/**
 * yargs' "Unknown arguments: loglvel, loglvel" reworded: each option once, as typed (yargs adds
 * a camelCase copy of dashed names), with "Did you mean --loglevel?" when one is close.
 */
function withSuggestion(message: string): string {
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (!unknown) return message;
  const listed = unknown[1]!.split(', ');
  const names = listed.filter((n) => !/[A-Z]/.test(n) || !listed.includes(n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)));
  const known = [...Object.keys(RUN_OPTIONS), 'help', 'version'];
  const hints = [...new Set(names.map((name) => closestMatch(name, known)).filter((hint): hint is string => hint !== undefined))];
  const text = `Unknown argument${names.length > 1 ? 's' : ''}: ${names.join(', ')}`;
  return hints.length ? `${text}. Did you mean ${hints.map((h) => `--${h}`).join(' or ')}?` : text;
}

/**
 * Parses `mode-di` arguments. Prints help or the version itself when asked.
 * @example
 * ```ts
 * await parseCommandLine(['run', 'app.ts', '--loglevel', 'debug']);
 * // { command: 'run', args: { module: 'app.ts', loglevel: 'debug', … } }
 * ```
 * @throws {@link CommandLineError} for unknown options, bad values, or a missing command.
 */
export async function parseCommandLine(argv: readonly string[], print: (text: string) => void = (t) => process.stdout.write(t), columns = process.stdout.columns): Promise<ParsedCommand> {
  const first = argv[0];
  if (first !== undefined && !first.startsWith('-') && first !== 'run' && first !== 'console') {
    throw new CommandLineError(`Unknown command "${first}". The commands are run (mode-di run <module>), graph, plan and console (mode-di console --socket <path>).`);
  }
  if (first === 'console') return parseConsoleCommand(argv.slice(1), print, columns);
  if (first !== undefined && first.startsWith('-') && !['--help', '-h', '--version'].includes(first)) {
    throw new CommandLineError(`Unknown argument: ${first.replace(/^-+/, '').replace(/=.*$/s, '')}. Options follow the command: mode-di run <module> ${first}`);
  }
  const { default: yargs } = await import('yargs');
  const width = Math.min(100, columns || 100);
  const fail = (message: string, error: Error | undefined) => {
    throw new CommandLineError(withSuggestion(error ? error.message : message));
  };
  // `run` is parsed on its own, without yargs' command machinery (which renders the whole help
  // text on every run just to keep it for later: a quarter of the parse time).
  const parser =
    first === 'run'
      ? defineRunOptions(yargs())
          .scriptName('mode-di run')
          .usage('mode-di run <module> [options]\n\nStart the app in <module> (.ts or .js; its default export is the app) and run it until stopped.')
          .example('mode-di run ./app.module.ts', 'Run the app, logging at INFO to stdout')
          .example('mode-di run app.ts --services Webserver --logfile app.log', 'Start Webserver and what it needs, also logging to app.log')
          .epilogue(EPILOGUE)
      : yargs([...argv])
          .scriptName('mode-di')
          .usage('$0 <command> [options]')
          .command('run <module>', 'Start the app in a module (.ts or .js; its default export) and run it until stopped')
          .command('graph <module>', 'Draw the service graph without starting anything (-o graph.svg|png|dot|mmd|json)')
          .command('plan <module>', 'Check the graph without starting anything; print the start waves, order and critical path')
          .command('console', "Connect to a running app's remote console (--socket <path> or --port <port>)")
          .demandCommand(1, 'Say what to do, e.g. mode-di run ./app.module.ts');
  (first === 'run' ? parser.strictOptions() : parser.strict()).help().alias('help', 'h').version(modeDiVersion()).wrap(width).fail(fail).exitProcess(false);
  const parsed = await parseOrPrintHelp(parser, first === 'run' ? normaliseBooleanFlags(argv.slice(1)) : argv, print);
  if (!parsed) return { command: 'none' };
  const positionals = (parsed['_'] as Array<string | number>).map(String);
  if (positionals.length > 1) throw new CommandLineError(`Unexpected argument${positionals.length > 2 ? 's' : ''} after the module: ${positionals.slice(1).join(' ')}.`);
  // The command line wins over the environment: only options it left unset come from MODE_* variables.
  const given = Object.fromEntries(Object.entries(parsed).filter(([, value]) => value !== undefined));
  return { command: 'run', args: { ...optionsFromEnvironment(), ...(given as RunArguments), module: positionals[0] } };
}

/** `mode-di console`'s own parse (no MODE_* options: its token comes from --token or MODE_CONSOLE_TOKEN). */
async function parseConsoleCommand(argv: readonly string[], print: (text: string) => void, columns: number | undefined): Promise<ParsedCommand> {
  const { default: yargs } = await import('yargs');
  const fail = (message: string, error: Error | undefined) => {
    throw new CommandLineError(error ? error.message : message);
  };
  const parser = defineConsoleOptions(yargs([...argv]))
    .scriptName('mode-di console')
    .usage("mode-di console --socket <path> | --port <port> [--token <token>]\n\nConnect to a running app's remote console (started with mode-di run --console-socket or --console-port). Type help there.")
    .example('mode-di console --socket run/console.sock', 'Connect through a unix socket')
    .example('MODE_CONSOLE_TOKEN=… mode-di console --port 50101', 'Connect to 127.0.0.1:50101 with the token')
    .strict()
    .help()
    .alias('help', 'h')
    .version(modeDiVersion())
    .wrap(Math.min(100, columns || 100))
    .fail(fail)
    .exitProcess(false);
  const parsed = await parseOrPrintHelp(parser, argv, print);
  if (!parsed) return { command: 'none' };
  if ((parsed['_'] as unknown[]).length > 0) throw new CommandLineError(`Unexpected argument: ${(parsed['_'] as unknown[]).join(' ')}. Give --socket <path> or --port <port>.`);
  return { command: 'console', args: parsed as ConsoleArguments };
}
