// Property tests over random DAGs: ordering, exactly-once stops, rollback, concurrency = critical path.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Application, ManualClock, StartError, StopError } from '../../lib/index.js';
import { criticalPath, dagApp, type NodeSpec, type Trace } from '../support/dag-app.js';
import { failOnUnhandledRejections } from '../support/unhandled.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);

/** True with probability `p`, without fast-check's bias toward boundary values. */
const chance = (p: number) => fc.noBias(fc.integer({ min: 0, max: 9_999 })).map((x) => x < p * 10_000);

/**
 * A random DAG of up to `max` nodes (node i depends only on nodes before it, bound in a
 * shuffled order). In a case drawn as faulty, each node's start fails with probability
 * `failures.start / n` and its stop with `failures.stop`.
 */
function dag(max: number, failures: { start: number; stop: number }) {
  return fc.tuple(fc.integer({ min: 1, max }), chance(0.5)).chain(([n, faulty]) =>
    fc.tuple(
      fc.tuple(
        ...Array.from({ length: n }, (_, i) =>
          fc.record({
            deps: i === 0 ? fc.constant([] as number[]) : fc.uniqueArray(fc.noBias(fc.nat(i - 1)), { maxLength: Math.min(i, 4) }),
            startMs: fc.oneof(fc.constant(0), fc.noBias(fc.integer({ min: 1, max: 40 }))),
            stopMs: fc.oneof(fc.constant(0), fc.noBias(fc.integer({ min: 1, max: 40 }))),
            failStart: faulty ? chance(failures.start / n) : fc.constant(false),
            failStop: faulty ? chance(failures.stop) : fc.constant(false),
            injected: fc.boolean(),
          }),
        ),
      ),
      fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n }),
    ),
  );
}

/** Counts what the checks actually exercised, so a vacuous run fails. */
const coverage = { startedApps: 0, failedStarts: 0, failedStops: 0, startPairs: 0, stopPairs: 0 };

function firstAt(trace: Trace, kind: string, node: number): number {
  return trace.events.findIndex((e) => e.kind === kind && e.node === node);
}

/** Every node that began starting did so after each of its dependencies finished starting. */
function assertStartOrder(specs: readonly NodeSpec[], trace: Trace): void {
  specs.forEach((spec, i) => {
    const began = firstAt(trace, 'start+', i);
    if (began < 0) return;
    for (const d of spec.deps) {
      const depDone = firstAt(trace, 'start-', d);
      coverage.startPairs++;
      expect(depDone, `N${i} started before its dependency N${d} was running`).toBeGreaterThanOrEqual(0);
      expect(depDone).toBeLessThan(began);
    }
  });
}

/** No node began stopping while a dependent that had started was still running. */
function assertStopOrder(specs: readonly NodeSpec[], trace: Trace): void {
  specs.forEach((spec, i) => {
    for (const d of spec.deps) {
      if (firstAt(trace, 'start-', i) < 0) continue;
      const dependentStopped = firstAt(trace, 'stop-', i);
      const depStopping = firstAt(trace, 'stop+', d);
      coverage.stopPairs++;
      expect(dependentStopped, `N${i} never stopped`).toBeGreaterThanOrEqual(0);
      expect(depStopping, `N${d} began stopping while its dependent N${i} still ran`).toBeGreaterThan(dependentStopped);
    }
  });
}

/** Exactly the services whose start completed were stopped, each once. */
function assertStoppedOnce(specs: readonly NodeSpec[], trace: Trace): void {
  specs.forEach((_, i) => {
    const started = firstAt(trace, 'start-', i) >= 0;
    expect(trace.stops[i], `N${i} stopped ${trace.stops[i]} times (started: ${started})`).toBe(started ? 1 : 0);
  });
}

describe('random dependency graphs', () => {
  failOnUnhandledRejections();

  it('starts along dependencies, stops in reverse, stops every started service exactly once; failures roll back to nothing running', async () => {
    await fc.assert(
      fc.asyncProperty(dag(200, { start: 1, stop: 0.02 }), async ([specs, order]) => {
        const clock = new ManualClock();
        const { module, trace, dependencies } = dagApp(specs, clock, order);
        const app = new Application(module, { clock, dependencies });
        const started = await clock.runUntil(app.start()).then(
          () => true,
          (error: unknown) => {
            expect(error).toBeInstanceOf(StartError);
            const failed = (error as StartError).errors.map((e) => e.service).sort();
            const expected = trace.events.filter((e) => e.kind === 'startFailed').map((e) => `N${e.node}`).sort();
            expect(failed).toEqual(expected);
            coverage.failedStarts++;
            return false;
          },
        );
        assertStartOrder(specs, trace);
        if (started) {
          coverage.startedApps++;
          expect(app.state).toBe('running');
          expect(app.services.every((s) => s.state === 'running')).toBe(true);
          const stopped = await clock.runUntil(app.stop()).then(
            () => true,
            (error: unknown) => {
              expect(error).toBeInstanceOf(StopError);
              coverage.failedStops++;
              return false;
            },
          );
          expect(stopped).toBe(!specs.some((s) => s.failStop));
        }
        expect(app.services.some((s) => s.state === 'running' || s.state === 'starting' || s.state === 'stopping')).toBe(false);
        expect(['shutdown']).toContain(app.state);
        assertStopOrder(specs, trace);
        assertStoppedOnce(specs, trace);
      }),
      { numRuns: RUNS },
    );
    // The run must have exercised every path, not passed vacuously.
    expect(coverage.startedApps).toBeGreaterThan(RUNS * 0.2);
    expect(coverage.failedStarts).toBeGreaterThan(RUNS * 0.1);
    expect(coverage.failedStops).toBeGreaterThan(RUNS * 0.05);
    expect(coverage.stopPairs).toBeGreaterThan(RUNS);
    expect(coverage.startPairs).toBeGreaterThan(RUNS);
  }, 300_000);

  it('start and stop take exactly the critical path of hook durations, not their sum', async () => {
    await fc.assert(
      fc.asyncProperty(dag(60, { start: 0, stop: 0 }), async ([specs, order]) => {
        const clock = new ManualClock();
        const { module, dependencies } = dagApp(specs, clock, order);
        const app = new Application(module, { clock, dependencies });
        const t0 = clock.now();
        await clock.runUntil(app.start());
        expect(clock.now() - t0).toBe(criticalPath(specs, (i) => specs[i]!.startMs));
        const t1 = clock.now();
        await clock.runUntil(app.stop());
        expect(clock.now() - t1).toBe(criticalPath(specs, (i) => specs[i]!.stopMs));
      }),
      { numRuns: Math.max(50, RUNS / 5) },
    );
  });

  it('with concurrency 1, starts one at a time in a topological order and stops in exactly the reverse', async () => {
    await fc.assert(
      fc.asyncProperty(dag(40, { start: 0, stop: 0 }), async ([specs, order]) => {
        const clock = new ManualClock();
        const { module, trace, dependencies } = dagApp(specs, clock, order);
        const app = new Application(module, { clock, dependencies, concurrency: 1 });
        await clock.runUntil(app.start());
        await clock.runUntil(app.stop());
        const kinds = trace.events.map((e) => e.kind);
        // Strictly alternating begin/end: never two hooks at once.
        kinds.forEach((k, i) => expect(k.endsWith('+')).toBe(i % 2 === 0));
        const starts = trace.events.filter((e) => e.kind === 'start+').map((e) => e.node);
        const stops = trace.events.filter((e) => e.kind === 'stop+').map((e) => e.node);
        expect(stops).toEqual([...starts].reverse());
        assertStartOrder(specs, trace);
      }),
      { numRuns: Math.max(50, RUNS / 5) },
    );
  });
});
