// Builds an inversify app from a generated DAG: each node a class with hooks that sleep on a ManualClock.
import { ContainerModule, inject, injectable } from 'inversify';
import { onStart, onStop, sleepOn, type Clock } from '../../lib/index.js';

/** One generated service: its dependencies (indices), hook durations and injected failures. */
export interface NodeSpec {
  readonly deps: readonly number[];
  readonly startMs: number;
  readonly stopMs: number;
  readonly failStart: boolean;
  readonly failStop: boolean;
  /** Inject dependencies through properties (true) or declare them with the dependencies option. */
  readonly injected: boolean;
}

/** What the hooks saw, in order. */
export interface Trace {
  readonly events: Array<{ at: number; kind: 'start+' | 'start-' | 'startFailed' | 'stop+' | 'stop-'; node: number }>;
  readonly stops: number[];
}

/** An app over `specs`, bound in the order given by `bindOrder`. */
export function dagApp(specs: readonly NodeSpec[], clock: Clock, bindOrder: readonly number[] = specs.map((_, i) => i)) {
  const ids = specs.map((_, i) => Symbol(`N${i}`));
  const trace: Trace = { events: [], stops: specs.map(() => 0) };
  const classes = specs.map((spec, i) => {
    class Node {
      async start(): Promise<void> {
        trace.events.push({ at: clock.now(), kind: 'start+', node: i });
        if (spec.startMs > 0) await sleepOn(clock, spec.startMs);
        if (spec.failStart) {
          trace.events.push({ at: clock.now(), kind: 'startFailed', node: i });
          throw new Error(`N${i} failed to start`);
        }
        trace.events.push({ at: clock.now(), kind: 'start-', node: i });
      }
      async stop(): Promise<void> {
        trace.stops[i]!++;
        trace.events.push({ at: clock.now(), kind: 'stop+', node: i });
        if (spec.stopMs > 0) await sleepOn(clock, spec.stopMs);
        trace.events.push({ at: clock.now(), kind: 'stop-', node: i });
        if (spec.failStop) throw new Error(`N${i} failed to stop`);
      }
    }
    Object.defineProperty(Node, 'name', { value: `N${i}` });
    injectable()(Node);
    onStart()(Node.prototype, 'start', Object.getOwnPropertyDescriptor(Node.prototype, 'start')!);
    onStop()(Node.prototype, 'stop', Object.getOwnPropertyDescriptor(Node.prototype, 'stop')!);
    if (spec.injected) spec.deps.forEach((d, k) => inject(ids[d]!)(Node.prototype, `dep${k}`));
    return Node;
  });
  const module = new ContainerModule(({ bind }) => {
    for (const i of bindOrder) bind(ids[i]!).to(classes[i]!).inSingletonScope();
  });
  const dependencies = specs.flatMap((s, i) => (s.injected || s.deps.length === 0 ? [] : [[ids[i]!, s.deps.map((d) => ids[d]!)] as const]));
  return { module, ids, trace, dependencies };
}

/** Length of the longest chain where each node costs `cost(i)`, following `deps`. */
export function criticalPath(specs: readonly NodeSpec[], cost: (i: number) => number): number {
  const memo = new Map<number, number>();
  const longest = (i: number): number => {
    let v = memo.get(i);
    if (v === undefined) {
      v = cost(i) + Math.max(0, ...specs[i]!.deps.map(longest));
      memo.set(i, v);
    }
    return v;
  };
  return Math.max(0, ...specs.map((_, i) => longest(i)));
}
