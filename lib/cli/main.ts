// The `mode-di` command line: parses it (yargs, or the identical parse remembered), runs the command (run, console), maps errors to exit statuses.
import { defaultCacheDir } from '../loader/cache-dir.js';
import type { ParsedCommand } from './parse.js';
import { recallParse, rememberParse } from './parse-cache.js';

/**
 * Runs the `mode-di` command line. `mode-di run` hands the process to the Worker, which exits
 * with the app's status; otherwise (`mode-di console`, help) `process.exitCode` is set and
 * the process ends by itself.
 * @example
 * ```ts
 * await main(process.argv.slice(2));
 * ```
 */
export async function main(argv: readonly string[]): Promise<void> {
  try {
    // Commands that look at an app without running it read their own arguments, and end the
    // process once their output is out (the module may have opened something at import).
    if (argv[0] === 'graph' || argv[0] === 'plan') {
      const command = argv[0] === 'graph' ? (await import('./graph-command.js')).graphCommand : (await import('./plan-command.js')).planCommand;
      await command(argv.slice(1));
      await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => stream.write('', () => resolve()))));
      process.exit();
    }
    const wantsRun = argv[0] === 'run' && !argv.some((a) => a === '--help' || a === '-h' || a === '--version');
    const parsed = await parse(argv, wantsRun ? defaultCacheDir(process.cwd()) : undefined);
    if (parsed.command === 'run' && watching(parsed.args.watch)) {
      const { watchCommand } = await import('./watch.js');
      process.exitCode = await watchCommand(parsed.args, argv);
    } else if (parsed.command === 'run') {
      // Loaded once the command line is known to be right: a mistake costs no framework load.
      const { runCommand } = await import('./run.js');
      await runCommand(parsed.args);
    } else if (parsed.command === 'console') {
      const { consoleCommand } = await import('./console.js');
      process.exitCode = await consoleCommand(parsed.args);
    }
  } catch (error) {
    const { reportFailure } = await import('./report.js');
    process.exitCode = reportFailure(error);
    // The app module may have opened something at import (a socket, a timer) that would keep
    // the process alive; nothing runs after a failure, and stderr is written synchronously.
    if (argv[0] === 'run' || argv[0] === 'graph' || argv[0] === 'plan') process.exit();
  }
}

/** The parse of `argv`: the one remembered in `cacheDir` for an identical command line, or yargs' (then remembered). */
async function parse(argv: readonly string[], cacheDir: string | undefined): Promise<ParsedCommand> {
  const recalled = recallParse(argv, cacheDir);
  if (recalled) return recalled;
  // Loaded only here: a recalled parse needs neither yargs nor this module.
  const { parseCommandLine } = await import('./parse.js');
  const parsed = await parseCommandLine(argv);
  rememberParse(argv, parsed, cacheDir);
  return parsed;
}

/** Whether `--watch` (the last one given) asks this process to watch: not in the process a watcher started. */
function watching(watch: boolean | readonly boolean[] | undefined): boolean {
  return (Array.isArray(watch) ? watch.at(-1) : watch) === true && process.env['MODE_DI_WATCH_CHILD'] !== '1';
}
