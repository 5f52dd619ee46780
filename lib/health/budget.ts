// One shutdown budget: the drain and the shutdown deadline must fit in the orchestrator's grace period, with a margin.
import { formatDuration as formatAny } from '../utils/durations.js';

/**
 * A duration as a grace period is written: `5s` for whole seconds, else as `formatDuration` (`1.50s`, `250ms`).
 * @example
 * ```ts
 * formatSeconds(30_000); // '30s'
 * ```
 */
export function formatSeconds(ms: number): string {
  return Number.isInteger(ms / 1_000) ? `${ms / 1_000}s` : formatAny(ms);
}

/**
 * Room kept after the drain and the shutdown deadline, before the grace period's SIGKILL:
 * for the Worker to name the hung service, flush its log and exit.
 * @example
 * ```ts
 * drainMs + shutdownTimeoutMs + BUDGET_MARGIN_MS <= gracePeriodMs;
 * ```
 */
export const BUDGET_MARGIN_MS = 2_000;

/**
 * How a stop's time is spent, from the SIGTERM to the SIGKILL.
 * @example
 * ```ts
 * shutdownBudget({ drainMs: 5_000, shutdownTimeoutMs: 20_000, gracePeriodMs: 30_000 }).fits; // true
 * ```
 */
export interface ShutdownBudget {
  readonly drainMs: number;
  /** `0` waits forever. */
  readonly shutdownTimeoutMs: number;
  readonly gracePeriodMs: number;
  /** What is left of the grace period after drain + deadline (negative: overdrawn; `-Infinity` with no deadline). */
  readonly spareMs: number;
  /** Drain + deadline + {@link BUDGET_MARGIN_MS} fit in the grace period. */
  readonly fits: boolean;
}

/**
 * Works out a {@link ShutdownBudget}.
 * @example
 * ```ts
 * shutdownBudget({ drainMs: 0, shutdownTimeoutMs: 30_000, gracePeriodMs: 30_000 }).fits; // false: no margin left
 * ```
 */
export function shutdownBudget(times: { drainMs: number; shutdownTimeoutMs: number; gracePeriodMs: number }): ShutdownBudget {
  const { drainMs, shutdownTimeoutMs, gracePeriodMs } = times;
  const spareMs = shutdownTimeoutMs > 0 ? gracePeriodMs - drainMs - shutdownTimeoutMs : -Infinity;
  return { drainMs, shutdownTimeoutMs, gracePeriodMs, spareMs, fits: spareMs >= BUDGET_MARGIN_MS };
}

/**
 * The start-up line that shows the budget.
 * @example
 * ```ts
 * describeBudget(shutdownBudget({ drainMs: 5_000, shutdownTimeoutMs: 20_000, gracePeriodMs: 30_000 }));
 * // 'Shutdown budget: drain 5s + shutdown timeout 20s = 25s of a 30s grace period (5s to spare)'
 * ```
 */
export function describeBudget(budget: ShutdownBudget): string {
  const { drainMs, shutdownTimeoutMs, gracePeriodMs, spareMs } = budget;
  const deadline = shutdownTimeoutMs > 0 ? formatSeconds(shutdownTimeoutMs) : 'none (waits forever)';
  const total = shutdownTimeoutMs > 0 ? ` = ${formatSeconds(drainMs + shutdownTimeoutMs)}` : '';
  const spare = Number.isFinite(spareMs) ? (spareMs >= 0 ? `${formatSeconds(spareMs)} to spare` : `${formatSeconds(-spareMs)} over`) : 'no deadline';
  return `Shutdown budget: drain ${formatSeconds(drainMs)} + shutdown timeout ${deadline}${total} of a ${formatSeconds(gracePeriodMs)} grace period (${spare})`;
}

/**
 * The warning when the budget does not fit, with the fix; `undefined` when it fits.
 * @example
 * ```ts
 * budgetWarning(shutdownBudget({ drainMs: 10_000, shutdownTimeoutMs: 30_000, gracePeriodMs: 30_000 }));
 * // 'Drain 10s + shutdown timeout 30s leaves less than 2s of the 30s grace period: …'
 * ```
 */
export function budgetWarning(budget: ShutdownBudget): string | undefined {
  if (budget.fits) return undefined;
  const { drainMs, shutdownTimeoutMs, gracePeriodMs } = budget;
  const margin = formatSeconds(BUDGET_MARGIN_MS);
  const consequence = "the orchestrator's SIGKILL would come before the Worker can name a hung service";
  if (!(shutdownTimeoutMs > 0)) {
    return `No shutdown timeout (--shutdown-timeout 0) with a ${formatSeconds(gracePeriodMs)} grace period: ${consequence}. Set --shutdown-timeout to at most ${formatSeconds(Math.max(0, gracePeriodMs - drainMs - BUDGET_MARGIN_MS))}.`;
  }
  const maxTimeout = gracePeriodMs - drainMs - BUDGET_MARGIN_MS;
  const lower = maxTimeout > 0 ? `lower --shutdown-timeout to ${formatSeconds(maxTimeout)}, or ` : '';
  const needed = Math.ceil((drainMs + shutdownTimeoutMs + BUDGET_MARGIN_MS) / 1_000);
  return `Drain ${formatSeconds(drainMs)} + shutdown timeout ${formatSeconds(shutdownTimeoutMs)} leaves less than ${margin} of the ${formatSeconds(gracePeriodMs)} grace period: ${consequence}. Either ${lower}raise the grace period to ${needed}s (terminationGracePeriodSeconds: ${needed}, or TimeoutStopSec=${needed}) and pass --grace-period ${needed}s.`;
}

/**
 * A warning when PID 1 is `npm` or `npx` (which do not forward SIGTERM, so the graceful stop
 * never begins and the SIGKILL ends everything), with the fix; `undefined` otherwise.
 * `pid1CommandLine` is `/proc/1/cmdline` (arguments separated by NUL, or npm's title).
 * @example
 * ```ts
 * npmAsPid1Warning('npm\0start\0', 42); // 'PID 1 is npm, which does not forward SIGTERM …'
 * ```
 */
export function npmAsPid1Warning(pid1CommandLine: string | undefined, ownPid: number): string | undefined {
  if (ownPid === 1 || !pid1CommandLine) return undefined;
  // NUL-separated, or one space-separated title where npm rewrote it (process.title = 'npm exec …').
  const args = pid1CommandLine.split(/[\0\s]+/).filter(Boolean);
  const program = args.slice(0, 2).map((arg) => arg.split('/').at(-1) ?? '');
  const npm = program.find((name) => /^(npm|npx)(-cli\.js)?$/.test(name));
  if (!npm) return undefined;
  const name = npm.replace('-cli.js', '');
  return `PID 1 is ${name}, which does not forward SIGTERM: on a pod deletion or docker stop this process gets no signal, stops nothing gracefully and is SIGKILLed when the grace period ends. Run node as PID 1 instead, e.g. CMD ["node", "node_modules/mode-di/dist/cli/bin.js", "run", "app.module.js"], or put an init that forwards signals in front (docker run --init, tini).`;
}
