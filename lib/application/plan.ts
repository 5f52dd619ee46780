// The static start plan: waves, sequential order and critical path of a dependency graph.
import type { EdgeKind } from '../lifecycle/graph.js';
import { RankQueue } from '../utils/rank-queue.js';

/**
 * One dependency of a {@link PlanEntry}.
 * @example
 * ```ts
 * const dependency: PlanDependency = { label: 'Db', via: 'constructor parameter #0', kind: 'injected', index: 2 };
 * ```
 * @category Lifecycle
 */
export interface PlanDependency {
  /** The dependency's label. */
  readonly label: string;
  /** Where the edge is written: `constructor parameter #0`, `property cache`, `@dependsOn`, `addDependency`, … */
  readonly via: string;
  /** How the edge arose; `app.plan()` always sets it. */
  readonly kind?: EdgeKind;
  /** The dependency's position in {@link Plan.services}; `app.plan()` always sets it. */
  readonly index?: number;
}

/**
 * One service as the plan sees it.
 * @example
 * ```ts
 * const entry: PlanEntry = { label: 'Web', dependencies: [], hooks: ['listen (onStart)'], kind: 'Instance', scope: 'Singleton' };
 * ```
 * @category Lifecycle
 */
export interface PlanEntry {
  /** The service's label (its class name, or the identifier it is bound to). */
  readonly label: string;
  /** What it depends on, with how each edge arose. */
  readonly dependencies: readonly PlanDependency[];
  /** Its lifecycle hooks and background work (empty for plain injectables). */
  readonly hooks: readonly string[];
  /** How it is bound (`Instance`, `ConstantValue`, …; `Service` for Mode-style children). */
  readonly kind: string;
  /** Its binding scope, where it has one. */
  readonly scope?: string;
  /** Whether its class has lifecycle work (hooks, background work) or is a `Service`; `app.plan()` always sets it. */
  readonly hasLifecycle?: boolean;
  /**
   * `true` for a `toDynamicValue` binding with no declared `dependencies`: what its code gets
   * from the container is invisible to the graph, so nothing orders it. `mode-di plan` refuses it.
   */
  readonly unseenDependencies?: boolean;
}

/**
 * What `start()` would do, computed without starting (or creating) anything.
 *
 * - `waves[k]`: services whose longest chain of dependencies has `k` links; all of a wave can
 *   start together once the waves before it are running.
 * - `order`: the sequential start order (`concurrency: 1`; ties by binding order). Stop runs
 *   it backwards.
 * - `criticalPath`: the longest dependency chain, which bounds the concurrent start time.
 *
 * @example
 * ```ts
 * const plan = await app.plan();
 * console.log(plan.waves.length, plan.criticalPath.join(' -> '));
 * ```
 * @category Lifecycle
 */
export interface Plan {
  /** Every service of the graph, in binding order, with what it depends on. */
  readonly services: readonly PlanEntry[];
  /** The labels of the services that can start together, wave by wave (dependencies first). */
  readonly waves: ReadonlyArray<readonly string[]>;
  /** The labels in the order a sequential start (`concurrency: 1`) starts them. */
  readonly order: readonly string[];
  /** The labels along the longest dependency chain, from its deepest dependency up. */
  readonly criticalPath: readonly string[];
  /** The sum of the weights along {@link Plan.criticalPath}: its number of services, or its duration when weighted. */
  readonly criticalPathWeight: number;
}

/**
 * Computes waves, order and critical path over `deps` (acyclic; `deps[i]`: indices `i`
 * depends on). `weights[i]` (default 1) lets the critical path use measured durations.
 * @example
 * ```ts
 * const plan = computePlan(app.services, deps, [12, 3, 40]); // critical path weighted in ms
 * console.log(plan.criticalPath, plan.criticalPathWeight);
 * ```
 */
export function computePlan(entries: readonly PlanEntry[], deps: readonly (readonly number[])[], weights?: readonly number[]): Plan {
  const n = entries.length;
  const dependents: number[][] = entries.map(() => []);
  const pending = new Int32Array(n);
  deps.forEach((ds, i) => {
    pending[i] = ds.length;
    for (const d of ds) dependents[d]!.push(i);
  });
  const ready = new RankQueue(n);
  for (let i = 0; i < n; i++) if (pending[i] === 0) ready.push(i);
  const order: number[] = [];
  while (ready.size) {
    const v = ready.pop();
    order.push(v);
    for (const w of dependents[v]!) if (--pending[w] === 0) ready.push(w);
  }
  const level = new Int32Array(n);
  const dist = new Float64Array(n);
  const via = new Int32Array(n).fill(-1);
  for (const v of order) {
    let best = -1;
    for (const d of deps[v]!) {
      level[v] = Math.max(level[v]!, level[d]! + 1);
      if (best < 0 || dist[d]! > dist[best]!) best = d;
    }
    via[v] = best;
    dist[v] = (weights?.[v] ?? 1) + (best >= 0 ? dist[best]! : 0);
  }
  const waves: string[][] = [];
  for (const v of order) (waves[level[v]!] ??= []).push(entries[v]!.label);
  let end = -1;
  for (let i = 0; i < n; i++) if (end < 0 || dist[i]! > dist[end]!) end = i;
  const critical: string[] = [];
  for (let v = end; v >= 0; v = via[v]!) critical.unshift(entries[v]!.label);
  return { services: entries, waves, order: order.map((i) => entries[i]!.label), criticalPath: critical, criticalPathWeight: end >= 0 ? dist[end]! : 0 };
}

/**
 * Renders a plan as text: its waves, the sequential order and the critical path.
 * @example
 * ```ts
 * console.log(formatPlan(await app.plan()));
 * // 4 service(s), 2 wave(s)
 * //
 * // wave 1: Websockets, UserCache, Webserver
 * // wave 2: AppService
 * //
 * // order: Websockets, UserCache, Webserver, AppService
 * // critical path: Websockets -> AppService
 * ```
 * @category Lifecycle
 */
export function formatPlan(plan: Plan): string {
  const lines = [`${plan.services.length} service(s), ${plan.waves.length} wave(s)`, ''];
  plan.waves.forEach((wave, i) => lines.push(`wave ${i + 1}: ${wave.join(', ')}`));
  lines.push('', `order: ${plan.order.join(', ')}`, `critical path: ${plan.criticalPath.join(' -> ')}`);
  return lines.join('\n');
}
