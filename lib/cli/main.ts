// The `mode-di` command line: parses with yargs (options also from MODE_* variables), runs the command, maps errors to exit statuses.
import { readFileSync } from 'node:fs';
import { describeError } from '../errors/mode-error.js';
import { UsageError } from '../errors/usage.js';
import { ExitCode, isUsageError } from '../worker/exit-codes.js';
import { defineRunOptions, envNameOf, RUN_OPTIONS, type RunArguments } from './run-options.js';

/** The outcome of parsing: a command to run, or nothing left to do (help or version printed). */
export type ParsedCommand = { readonly command: 'run'; readonly args: RunArguments } | { readonly command: 'none' };

/** A mistake on the command line, as reported by yargs (unknown option, bad value, …). */
export class CommandLineError extends UsageError {}

const EPILOGUE = `Every option can also be set with an environment variable, e.g. MODE_LOGLEVEL=debug,
MODE_SHUTDOWN_TIMEOUT=10s, MODE_SERVICE=Webserver, MODE_COLOR=false.

Exit status: 0 clean stop (a signal included); 1 failed start, crash, errors while
stopping, or shutdown deadline; 2 usage error or a module that cannot be loaded.
Signals: SIGINT/SIGTERM stop (a second one forces), SIGUSR2 dumps the service tree,
SIGUSR1 opens Node's inspector.`;

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/**
 * Removes the variables yargs would read as options but that name none (`MODE`, `MODEL_DIR`,
 * `MODE_DI_CACHE_DIR`…: yargs takes every name starting with the prefix, and strict mode
 * rejects them as unknown arguments) while it parses; returns a function that puts them back.
 */
function hideForeignEnv(): () => void {
  const known = new Set(Object.keys(RUN_OPTIONS).map(envNameOf));
  const hidden: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('MODE') && !known.has(name) && value !== undefined) {
      hidden.push([name, value]);
      delete process.env[name];
    }
  }
  return () => hidden.forEach(([name, value]) => (process.env[name] = value));
}

/**
 * Parses `mode-di` arguments. Prints help or the version itself when asked.
 * @example await parseCommandLine(['run', 'app.ts', '--loglevel', 'debug']);
 * // { command: 'run', args: { module: 'app.ts', loglevel: 'debug', … } }
 * @throws {@link CommandLineError} for unknown options, bad values, or a missing command.
 */
export async function parseCommandLine(argv: readonly string[], print: (text: string) => void = (t) => process.stdout.write(t)): Promise<ParsedCommand> {
  const first = argv[0];
  if (first !== undefined && !first.startsWith('-') && first !== 'run') {
    throw new CommandLineError(`Unknown command "${first}". The command is run: mode-di run <module>.`);
  }
  const { default: yargs } = await import('yargs');
  let run: RunArguments | undefined;
  let output = '';
  const parser = yargs([...argv])
    .scriptName('mode-di')
    .usage('$0 <command> [options]')
    .command(
      'run [module]',
      'Start the app in a module (.ts or .js; its default export) and run it until stopped',
      (y) =>
        defineRunOptions(y.positional('module', { describe: 'The module whose default export is the app', type: 'string' }))
          .example('$0 run ./app.module.ts', 'Run the app, logging at INFO to stdout')
          .example('$0 run app.ts --service Webserver --logfile app.log', 'Start Webserver and what it needs, also logging to app.log')
          .epilogue(EPILOGUE),
      (args) => {
        run = args as unknown as RunArguments;
      },
    )
    .demandCommand(1, 'Say what to do, e.g. mode-di run ./app.module.ts')
    .recommendCommands()
    .strict()
    .env('MODE')
    .help()
    .alias('help', 'h')
    .version(version())
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((message, error) => {
      throw new CommandLineError(error ? error.message : message);
    })
    .exitProcess(false);
  const restore = hideForeignEnv();
  try {
    await parser.parseAsync([...argv], {}, (_error, _argv, text) => {
      output = text;
    });
  } finally {
    restore();
  }
  if (run) return { command: 'run', args: run };
  if (output) print(output.endsWith('\n') ? output : `${output}\n`);
  return { command: 'none' };
}

/**
 * Prints a failure the way the CLI reports it (one paragraph, no stack trace for user
 * mistakes) and returns the exit status.
 * @example process.exitCode = reportFailure(error);
 */
export function reportFailure(error: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (error instanceof CommandLineError) {
    stderr.write(`mode-di: ${error.message}\nRun 'mode-di run --help' for the options.\n`);
    return ExitCode.USAGE;
  }
  if (isUsageError(error)) {
    stderr.write(`mode-di: ${(error as Error).message}\n`);
    return ExitCode.USAGE;
  }
  stderr.write(`mode-di: unexpected failure: ${error instanceof Error ? (error.stack ?? describeError(error)) : String(error)}\n`);
  return ExitCode.FAILURE;
}

/**
 * Runs the `mode-di` command line. `mode-di run` hands the process to the Worker, which exits
 * with the app's status; otherwise `process.exitCode` is set and the process ends by itself.
 * @example await main(process.argv.slice(2));
 */
export async function main(argv: readonly string[]): Promise<void> {
  try {
    const parsed = await parseCommandLine(argv);
    if (parsed.command === 'run') {
      const { runCommand } = await import('./run.js');
      await runCommand(parsed.args);
    }
  } catch (error) {
    process.exitCode = reportFailure(error);
  }
}
