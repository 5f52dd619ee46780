// `mode-di plan <module>`: validates the app's graph without creating or starting anything; prints waves, order and critical path.
import { computePlan, formatPlan, type Plan } from '../application/plan.js';
import { UnseenDependenciesError } from '../errors/plan.js';
import { formatDuration } from '../utils/durations.js';
import { readCommandArgs } from './command-args.js';
import { loadApplication } from './load-app.js';
import { readStartDurations, type RecordedStartDurations } from './start-durations.js';

/**
 * What `mode-di plan --json` prints: the plan, and, when earlier runs recorded start durations,
 * the critical path weighted by them and the start time it predicts.
 * @example
 * ```ts
 * const report: PlanReport = JSON.parse(execFileSync('npx', ['mode-di', 'plan', 'app.ts', '--json'], { encoding: 'utf8' }));
 * ```
 */
export interface PlanReport extends Plan {
  /** Present when a previous `mode-di run` recorded start durations. */
  readonly estimate?: {
    /** The longest chain of recorded start durations: the predicted start time, all at once. */
    readonly startMs: number;
    /** The sum of every recorded duration: the start time one at a time (`concurrency: 1`). */
    readonly sequentialMs: number;
    /** When they were recorded. */
    readonly recordedAt: string;
    /** Services with no recorded duration (weighted 0). */
    readonly unmeasured: readonly string[];
  };
}

/** `deps[i]`: the positions service `i` depends on. */
function depsOf(plan: Plan): number[][] {
  const labels = plan.services.map((s) => s.label);
  return plan.services.map((s) => s.dependencies.map((d) => d.index ?? labels.indexOf(d.label)));
}

/**
 * Throws {@link UnseenDependenciesError} when a `toDynamicValue` binding has no declared
 * dependencies, naming the way from a root service down to each.
 * @example
 * ```ts
 * checkSeenDependencies(await app.plan());
 * ```
 */
export function checkSeenDependencies(plan: Plan): void {
  const unseen = plan.services.flatMap((s, i) => (s.unseenDependencies ? [i] : []));
  if (unseen.length === 0) return;
  const dependents: number[][] = plan.services.map(() => []);
  depsOf(plan).forEach((ds, i) => ds.forEach((d) => dependents[d]!.push(i)));
  const chainTo = (target: number): string[] => {
    // Up from the service to a root, the shortest way.
    const next = new Map<number, number>([[target, -1]]);
    const queue = [target];
    let top = target;
    for (let head = 0; head < queue.length; head++) {
      const v = queue[head]!;
      if (dependents[v]!.length === 0) {
        top = v;
        break;
      }
      for (const w of dependents[v]!) {
        if (next.has(w)) continue;
        next.set(w, v);
        queue.push(w);
      }
    }
    const chain: string[] = [];
    for (let v = top; v >= 0; v = next.get(v)!) chain.push(plan.services[v]!.label);
    return chain;
  };
  throw new UnseenDependenciesError(unseen.map(chainTo));
}

/**
 * The plan with its critical path weighted by the recorded durations (0 for services without
 * one), and the start time it predicts.
 * @example
 * ```ts
 * const report = weighPlan(await app.plan(), readStartDurations(cacheDir, path));
 * ```
 */
export function weighPlan(plan: Plan, recorded: RecordedStartDurations | undefined): PlanReport {
  if (!recorded) return plan;
  const weights = plan.services.map((s) => recorded.durations[s.label] ?? 0);
  const weighted = computePlan(plan.services, depsOf(plan), weights);
  return {
    ...weighted,
    estimate: {
      startMs: weighted.criticalPathWeight,
      sequentialMs: weights.reduce((sum, w) => sum + w, 0),
      recordedAt: recorded.recordedAt,
      unmeasured: plan.services.filter((s) => recorded.durations[s.label] === undefined).map((s) => s.label),
    },
  };
}

/**
 * The text `mode-di plan` prints: waves, order, critical path, and the estimate when there is one.
 * @example
 * ```ts
 * process.stdout.write(formatPlanReport(report));
 * ```
 */
export function formatPlanReport(report: PlanReport): string {
  const text = [formatPlan(report)];
  const { estimate } = report;
  if (estimate) {
    text.push(
      `estimated start: ${formatDuration(estimate.startMs)} (the critical path; ${formatDuration(estimate.sequentialMs)} one at a time), from start durations recorded ${estimate.recordedAt}`,
    );
    if (estimate.unmeasured.length) text.push(`no start duration recorded for: ${estimate.unmeasured.join(', ')}`);
  } else {
    text.push('no start durations recorded yet: `mode-di run` records them, and the critical path is then weighted by them');
  }
  return `${text.join('\n')}\n`;
}

/**
 * Runs `mode-di plan <module> [--json]` with the words after `plan`: loads the module, plans
 * its graph without creating or starting anything, and prints the plan.
 * @example
 * ```ts
 * await planCommand(['samples/tutorial/app.module.ts', '--json']);
 * ```
 * @throws a `PlanError` (cycle, missing binding, scope, unseen dependencies) or a `UsageError`: the CLI exits 2.
 */
export async function planCommand(argv: readonly string[], print: (text: string) => void = (t) => process.stdout.write(t)): Promise<void> {
  const args = await readCommandArgs('plan', argv, (y) =>
    y
      .usage('mode-di plan <module> [options]\n\nCheck the app in <module> without creating or starting anything, and print the waves that start together, the start order and the critical path.')
      .option('json', { type: 'boolean', describe: 'Print the plan as JSON, for tools' })
      .example('mode-di plan ./app.module.ts', 'Print the start plan')
      .epilogue('Exit status: 0 the graph is sound; 2 a cycle, a missing binding, a lifecycle class not bound as a singleton, a toDynamicValue binding with no declared dependencies, or a module that cannot be loaded.'),
  );
  if (!args) return;
  const { app, path, cacheDir } = await loadApplication(args.module);
  const plan = await app.plan();
  checkSeenDependencies(plan);
  const report = weighPlan(plan, readStartDurations(cacheDir, path));
  print(args.options['json'] ? `${JSON.stringify(report, null, 2)}\n` : formatPlanReport(report));
}
