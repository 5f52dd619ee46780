// Property: start, stop, restart and crashes at random moments (inside hooks too) on random DAGs and Mode-style trees.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flushMicrotasks, ManualClock, ServiceStateError, StartError, StartInterruptedError, StopError } from '../../lib/index.js';
import { type Action, type InterleavedNode, interleavedApp } from '../support/interleaving-app.js';
import { failOnUnhandledRejections } from '../support/unhandled.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);
const ACTIONS: readonly Action[] = ['stop', 'restart', 'start', 'crash'];
/** Errors the API may answer a call with; anything else is an engine bug. */
const EXPECTED = [StartError, StartInterruptedError, StopError, ServiceStateError];

const chance = (p: number) => fc.noBias(fc.integer({ min: 0, max: 999 })).map((x) => x < p * 1000);
const action = fc.constantFrom(...ACTIONS);

/** Random nodes: node i depends only on nodes after it (a tree: node 0 is the root, each node a child of one before it). */
function nodes(shape: 'dag' | 'tree') {
  return fc.integer({ min: 1, max: 10 }).chain((n) => {
    const deps =
      shape === 'tree'
        ? fc.tuple(...Array.from({ length: n }, (_, i) => (i === 0 ? fc.constant(-1) : fc.nat(i - 1)))).map((parents) => parents.map((_, i) => parents.flatMap((p, j) => (p === i ? [j] : []))))
        : fc.tuple(...Array.from({ length: n }, (_, i) => (i === n - 1 ? fc.constant([] as number[]) : fc.uniqueArray(fc.integer({ min: i + 1, max: n - 1 }), { maxLength: 3 }))));
    const node = fc.record({
      startMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30 })),
      stopMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30 })),
      failStart: chance(0.04),
      startAction: fc.option(fc.record({ what: action, afterAwait: fc.boolean() }), { freq: 6, nil: undefined }),
      stopAction: fc.option(action, { freq: 8, nil: undefined }),
      runtimeChild: chance(0.2),
    });
    return fc.tuple(deps, fc.array(node, { minLength: n, maxLength: n })).map(([d, specs]) => specs.map((s, i): InterleavedNode => ({ ...s, deps: d[i]! })));
  });
}

/** Operations the test performs at given clock times (the first is always a start at 0). */
const operations = fc.array(fc.record({ at: fc.integer({ min: 0, max: 150 }), what: fc.oneof(action, fc.constant('wait' as const)), node: fc.nat(9) }), { maxLength: 7 });

const coverage = { running: 0, stopped: 0, interrupted: 0, failed: 0, restarted: 0, crashed: 0 };

async function check(shape: 'dag' | 'tree', specs: readonly InterleavedNode[], ops: ReadonlyArray<{ at: number; what: Action | 'wait'; node: number }>) {
  const clock = new ManualClock();
  const { app, seen, track, serviceAt } = interleavedApp(specs, shape, clock);
  track('start', app.start());
  for (const op of ops) {
    clock.setTimeout(() => {
      if (op.what === 'wait') track('waitUntilStopped', app.waitUntilStopped());
      else if (op.what !== 'crash') track(op.what, app[op.what]());
      else serviceAt(op.node % specs.length)?.crash(new Error('crashed by the test'));
    }, op.at);
  }
  // Let everything play out: every timer fired, every hook and promise settled.
  for (let round = 0; round < 100 && (clock.pending > 0 || seen.promises.some((p) => p.outcome === undefined)); round++) await clock.advanceAsync(1_000);

  for (const p of seen.promises) {
    // A wait for the stop may still wait when the app ends running (no stop came after it).
    if (p.what === 'waitUntilStopped' && app.state === 'running' && p.outcome === undefined) continue;
    expect(p.outcome, `${p.what} never settled`).toBeDefined();
    if (p.outcome instanceof Error) expect(EXPECTED.some((E) => p.outcome instanceof E), `${p.what} rejected with ${p.outcome.stack}`).toBe(true);
    if (p.outcome instanceof StartInterruptedError) coverage.interrupted++;
    if (p.outcome instanceof StartError) coverage.failed++;
    if (p.what.startsWith('restart') && p.outcome === 'ok') coverage.restarted++;
  }
  expect(seen.violations).toEqual([]);
  const states = app.services.map((s) => s.state);
  if (app.state === 'crashed') coverage.crashed++;
  if (app.state === 'running') {
    coverage.running++;
    expect(states.every((s) => s === 'running')).toBe(true);
    expect(seen.live.every(Boolean)).toBe(true);
  } else {
    coverage.stopped++;
    expect(['init', 'shutdown', 'crashed']).toContain(app.state);
    expect(states.filter((s) => s !== 'init' && s !== 'shutdown')).toEqual([]);
    expect(seen.live.some(Boolean)).toBe(false);
  }
  // Runtime dependencies follow their owners: all running with a running app, else stopped once per start.
  for (const child of seen.runtimeChildren) {
    const running = child.service.state === 'running';
    expect(child.stopped).toBe(child.started - (running ? 1 : 0));
    if (app.state !== 'running') expect(child.service.state).not.toMatch(/running|starting|stopping/);
  }
  // Every service whose start completed was stopped exactly once for it.
  specs.forEach((_, i) => expect(seen.stopCalls[i], `N${i}`).toBe(seen.startsCompleted[i]! - (seen.live[i] ? 1 : 0)));
  let stopped = false;
  void app.waitUntilStopped().then(() => (stopped = true));
  await flushMicrotasks();
  expect(stopped).toBe(app.state !== 'running');
}

describe('random interleavings of start, stop, restart and crashes', () => {
  failOnUnhandledRejections();

  for (const shape of ['dag', 'tree'] as const) {
    it(`on ${shape === 'dag' ? 'random DAGs in a container' : 'random Mode-style trees'}: every promise settles, the app ends fully running or fully stopped, each start is stopped once`, async () => {
      await fc.assert(
        fc.asyncProperty(nodes(shape), operations, async (specs, ops) => check(shape, specs, ops)),
        { numRuns: RUNS / 2 },
      );
    }, 300_000);
  }

  it('exercised every outcome (not vacuous)', () => {
    for (const [outcome, count] of Object.entries(coverage)) expect(count, `${outcome}: ${JSON.stringify(coverage)}`).toBeGreaterThan(RUNS / 100);
  });
});
