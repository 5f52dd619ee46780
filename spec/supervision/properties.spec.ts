// Property: random DAGs, random supervision declarations and random crash schedules (crashes while restarting and stopping too).
import fc from 'fast-check';
import { ContainerModule, inject, injectable } from 'inversify';
import { describe, expect, it } from 'vitest';
import {
  Application,
  type LifecycleEvent,
  ManualClock,
  onStart,
  onStop,
  type ServiceNode,
  sleepOn,
  supervised,
  type SupervisedOptions,
  type SupervisionOptions,
  type SupervisionStrategy,
  task,
} from '../../lib/index.js';
import { failOnUnhandledRejections } from '../support/unhandled.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000) / 2;
const STRATEGIES: SupervisionStrategy[] = ['one-for-one', 'one-for-all', 'rest-for-one', 'forfeit-one-for-one', 'forfeit-one-for-all', 'crashing'];

const policy = fc.record({
  maxRestarts: fc.integer({ min: 1, max: 4 }),
  over: fc.constant('1m'),
  backoff: fc.record({ min: fc.integer({ min: 1, max: 60 }), jitter: fc.constantFrom(0, 0.2) }),
});
const declaration = fc.option(
  fc.tuple(policy, fc.constantFrom(...STRATEGIES), fc.constantFrom('permanent', 'transient', 'temporary'), fc.option(fc.constantFrom('g1', 'g2'), { nil: undefined })).map(
    ([p, strategy, restart, group]): SupervisedOptions => ({ ...p, strategy, restart: restart as SupervisedOptions['restart'], ...(group ? { group } : {}) }),
  ),
  { nil: undefined },
);
const appWide = fc.option(fc.tuple(policy, fc.constantFrom(...STRATEGIES)).map(([p, strategy]): SupervisionOptions => ({ ...p, strategy })), { nil: undefined });

/** Node i depends only on nodes after it; each may declare its supervision, and sleeps in its hooks. */
const graphs = fc.integer({ min: 1, max: 8 }).chain((n) =>
  fc.array(
    fc.record({
      deps: fc.constant([] as number[]),
      declared: declaration,
      startMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20 })),
      stopMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20 })),
    }),
    { minLength: n, maxLength: n },
  ).chain((nodes) =>
    fc.tuple(...nodes.map((_, i) => (i === n - 1 ? fc.constant([] as number[]) : fc.uniqueArray(fc.integer({ min: i + 1, max: n - 1 }), { maxLength: 3 })))).map((deps) => nodes.map((node, i) => ({ ...node, deps: deps[i]! }))),
  ),
);
const crashes = fc.array(fc.record({ at: fc.integer({ min: 0, max: 400 }), node: fc.nat(7) }), { maxLength: 8 });

type Spec = { deps: number[]; declared: SupervisedOptions | undefined; startMs: number; stopMs: number };
const coverage = { restarts: 0, gaveUp: 0, escalated: 0, endedRunning: 0, endedCrashed: 0 };


async function check(specs: Spec[], app0: SupervisionOptions | undefined, schedule: Array<{ at: number; node: number }>, stopAt: number | undefined) {
  const clock = new ManualClock();
  const ids = specs.map((_, i) => Symbol(`N${i}`));
  const starts = specs.map(() => 0);
  const stops = specs.map(() => 0);
  const classes = specs.map((spec, i) => {
    class Node {
      fail: ((error: Error) => void) | undefined;
      @onStart() async begin(signal: AbortSignal) {
        if (spec.startMs) await sleepOn(clock, spec.startMs, signal);
        starts[i]!++;
      }
      @onStop() async end() {
        stops[i]!++;
        if (spec.stopMs) await sleepOn(clock, spec.stopMs);
      }
      @task() async watch(signal: AbortSignal) {
        await new Promise<void>((resolve, reject) => {
          this.fail = reject;
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
      }
    }
    Object.defineProperty(Node, 'name', { value: `N${i}` });
    injectable()(Node);
    spec.deps.forEach((d, k) => inject(ids[d]!)(Node.prototype, `dep${k}`));
    if (spec.declared) supervised(spec.declared)(Node);
    return Node;
  });
  /** The strategy of the restart each service is in (set when one begins for it). */
  const restartedBy = new Map<string, string>();
  const app = new Application(new ContainerModule(({ bind }) => classes.forEach((C, i) => bind(ids[i]!).to(C).inSingletonScope())), { clock, ...(app0 ? { supervisor: { ...app0, random: () => 0.5 } } : {}) });
  const index = (node: ServiceNode) => Number(node.label.slice(1));
  const violations: string[] = [];
  const restarts = new Map<string, number[]>();
  const gaveUp = new Set<number>();
  app.on((event: LifecycleEvent) => {
    if (event.type === 'supervisor.restarting') {
      (restarts.get(event.supervisor) ?? restarts.set(event.supervisor, []).get(event.supervisor)!).push(clock.now());
      coverage.restarts++;
      for (const s of event.services) gaveUp.delete(index(s));
      restartedBy.set(event.service.label, event.strategy);
    }
    if (event.type === 'supervisor.gaveUp') {
      coverage.gaveUp++;
      for (const s of event.services) gaveUp.add(index(s));
    }
    if (event.type === 'supervisor.escalating') coverage.escalated++;
    if (event.type === 'service.started') restartedBy.delete(event.service.label);
    // After every event: a running service's dependencies run, are crashing now, or restart under one-for-one.
    for (const s of app.services) {
      if (s.state !== 'running') continue;
      for (const d of specs[index(s)]!.deps) {
        const dep = app.services.find((o) => o.label === `N${d}`)!;
        if (dep.state !== 'running' && dep.state !== 'crashed' && restartedBy.get(dep.label) !== 'one-for-one') violations.push(`${s.label} ran while its dependency ${dep.label} was ${dep.state} (${event.type})`);
      }
    }
  });
  await clock.runUntil(app.start());
  const instances = ids.map((id) => app.get<{ fail?: (error: Error) => void }>(id));
  for (const crash of schedule) clock.setTimeout(() => instances[crash.node % specs.length]!.fail?.(new Error(`N${crash.node % specs.length} crashed`)), crash.at);
  if (stopAt !== undefined) clock.setTimeout(() => void app.stop().catch(() => {}), stopAt);
  await clock.advanceAsync(5_000);

  expect(violations).toEqual([]);
  // Each supervisor's budget: the app-wide one's, a group's first declaration's, a class's own.
  const limits = new Map<string, number>([["the application's supervisor", app0?.maxRestarts ?? 0]]);
  specs.forEach((s, i) => {
    const name = s.declared?.group ? `the supervisor of group ${s.declared.group}` : `the supervisor of N${i}`;
    if (s.declared && !limits.has(name)) limits.set(name, s.declared.maxRestarts!);
  });
  for (const [supervisor, times] of restarts) {
    const limit = limits.get(supervisor)!;
    times.forEach((t, k) => expect(times.filter((u) => u > t - 60_000 && u <= t).length, `${supervisor} at ${t} (restart ${k + 1})`).toBeLessThanOrEqual(limit));
  }
  const states = app.services.map((s) => s.state);
  if (app.state === 'running') {
    coverage.endedRunning++;
    app.services.forEach((s, i) => expect(s.state === 'running' || gaveUp.has(index(s)), `${s.label} ${states[i]}`).toBe(true));
  } else {
    if (app.state === 'crashed') coverage.endedCrashed++;
    expect(states.filter((s) => s !== 'init' && s !== 'shutdown')).toEqual([]);
  }
  await clock.runUntil(app.stop().catch(() => {}));
  expect(app.services.map((s) => s.state).filter((s) => s !== 'init' && s !== 'shutdown')).toEqual([]);
  // Every start that completed was stopped exactly once.
  specs.forEach((_, i) => expect(stops[i], `N${i}`).toBe(starts[i]));
}

describe('supervision over random graphs and crash schedules', () => {
  failOnUnhandledRejections();

  it('keeps the ordering invariants after every event, stays within every restart budget, and ends running or fully stopped', async () => {
    await fc.assert(
      fc.asyncProperty(graphs, appWide, crashes, fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }), async (specs, app0, schedule, stopAt) => check(specs, app0, schedule, stopAt)),
      { numRuns: RUNS },
    );
    for (const [outcome, count] of Object.entries(coverage)) expect(count, `${outcome}: ${JSON.stringify(coverage)}`).toBeGreaterThan(RUNS / 50);
  }, 300_000);
});
