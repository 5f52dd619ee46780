// The `mode-di` command line: parses (off the main thread), runs the command, maps errors to exit statuses.
import { parseOffThread } from './parse-thread.js';

/**
 * Runs the `mode-di` command line. `mode-di run` hands the process to the Worker, which exits
 * with the app's status; otherwise `process.exitCode` is set and the process ends by itself.
 * @example
 * ```ts
 * await main(process.argv.slice(2));
 * ```
 */
export async function main(argv: readonly string[]): Promise<void> {
  try {
    // yargs loads and parses on a worker thread while this one loads what `run` needs.
    const parsing = parseOffThread(argv);
    const wantsRun = argv[0] === 'run' && !argv.some((a) => a === '--help' || a === '-h' || a === '--version');
    const preloading = wantsRun ? import('./run.js').then(async (run) => (await run.preloadRun(), run)) : undefined;
    preloading?.catch(() => {}); // a failure here shows again below, when the command runs
    const parsed = await parsing;
    if (parsed.command === 'run') {
      const { runCommand } = await (preloading ?? import('./run.js'));
      await runCommand(parsed.args);
    }
  } catch (error) {
    const { reportFailure } = await import('./report.js');
    process.exitCode = reportFailure(error);
  }
}
