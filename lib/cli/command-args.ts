// Reads the arguments of `mode-di graph` and `mode-di plan` with yargs: one module, the command's options, help.
import type { Argv } from 'yargs';
import { UsageError } from '../errors/usage.js';

/**
 * The arguments of a command that takes one module: the module and the options as yargs gives them.
 * @example
 * ```ts
 * const args: CommandArgs = { module: 'app.module.ts', options: { json: true } };
 * ```
 */
export interface CommandArgs {
  readonly module: string;
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * Parses `argv` (the words after the command's name) for `mode-di <command> <module> [options]`:
 * `define` adds the command's options and usage. Prints the help and returns `undefined` for
 * `--help`.
 * @example
 * ```ts
 * const args = await readCommandArgs('plan', ['app.ts', '--json'], (y) => y.option('json', { type: 'boolean' }));
 * ```
 * @throws {@link UsageError} for an unknown option, a bad value, or no module (or more than one).
 */
/**
 * Parses `argv` with `parser`; when yargs answers with text instead (`--help`, `--version`),
 * prints it and resolves with `undefined`.
 * @example
 * ```ts
 * const parsed = await parseOrPrintHelp(yargs().option('port', { type: 'number' }), ['--help'], console.log); // undefined
 * ```
 */
export async function parseOrPrintHelp(parser: Argv, argv: readonly string[], print: (text: string) => void): Promise<Record<string, unknown> | undefined> {
  let output = '';
  const parsed = (await parser.parseAsync([...argv], {}, (_error, _argv, text) => {
    output = text;
  })) as Record<string, unknown>;
  if (!output) return parsed;
  print(output.endsWith('\n') ? output : `${output}\n`);
  return undefined;
}

export async function readCommandArgs(
  command: string,
  argv: readonly string[],
  define: (y: Argv) => Argv,
  print: (text: string) => void = (t) => process.stdout.write(t),
): Promise<CommandArgs | undefined> {
  const { default: yargs } = await import('yargs');
  const again = `Run 'mode-di ${command} --help' for the options.`;
  const parser = define(yargs([...argv]).scriptName(`mode-di ${command}`))
    .strictOptions()
    .help()
    .alias('help', 'h')
    .version(false)
    .wrap(Math.min(100, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((message, error) => {
      throw new UsageError(`${error ? error.message : message}. ${again}`);
    });
  const parsed = await parseOrPrintHelp(parser, argv, print);
  if (!parsed) return undefined;
  const positionals = (parsed['_'] as Array<string | number>).map(String);
  if (positionals.length === 0) throw new UsageError(`mode-di ${command} needs the app module, e.g. mode-di ${command} ./app.module.ts. ${again}`);
  if (positionals.length > 1) throw new UsageError(`mode-di ${command} takes one module; unexpected: ${positionals.slice(1).join(' ')}. ${again}`);
  return { module: positionals[0]!, options: parsed };
}
