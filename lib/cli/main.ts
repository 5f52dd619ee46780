// The `mode-di` command line: parses (off the main thread, or recalls an identical parse), runs the command (run, console), maps errors to exit statuses.
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
    // Commands that look at an app without running it read their own arguments.
    if (argv[0] === 'graph') return await (await import('./graph-command.js')).graphCommand(argv.slice(1));
    if (argv[0] === 'plan') return await (await import('./plan-command.js')).planCommand(argv.slice(1));
    const wantsRun = argv[0] === 'run' && !argv.some((a) => a === '--help' || a === '-h' || a === '--version');
    const parsing = parse(argv, wantsRun ? defaultCacheDir(process.cwd()) : undefined);
    // Meanwhile this thread loads what `run` needs.
    const preloading = wantsRun ? import('./run.js').then(async (run) => (await run.preloadRun(), run)) : undefined;
    preloading?.catch(() => {}); // a failure here shows again below, when the command runs
    const parsed = await parsing;
    if (parsed.command === 'run') {
      const { runCommand } = await (preloading ?? import('./run.js'));
      await runCommand(parsed.args);
    } else if (parsed.command === 'console') {
      const { consoleCommand } = await import('./console.js');
      process.exitCode = await consoleCommand(parsed.args);
    }
  } catch (error) {
    const { reportFailure } = await import('./report.js');
    process.exitCode = reportFailure(error);
  }
}

/**
 * The parse of `argv`: the one remembered in `cacheDir` for an identical command line, or
 * yargs' on a worker thread (then remembered for next time).
 */
function parse(argv: readonly string[], cacheDir: string | undefined): Promise<ParsedCommand> {
  const recalled = recallParse(argv, cacheDir);
  if (recalled) return Promise.resolve(recalled);
  return import('./parse-thread.js')
    .then(({ parseOffThread }) => parseOffThread(argv))
    .then((parsed) => {
      rememberParse(argv, parsed, cacheDir);
      return parsed;
    });
}
