// An app of Mode-style services (a DAG in a container, or a tree of addDependency) whose hooks record what they see and may call back into the app.
import { ContainerModule, inject, injectable } from 'inversify';
import { Application, type ManualClock, Service, sleepOn } from '../../lib/index.js';

/** Something a hook, or the test at some moment, does to the app. */
export type Action = 'stop' | 'restart' | 'start' | 'crash';

/** One generated service. */
export interface InterleavedNode {
  /** What it depends on (indices); in a tree, its children. */
  readonly deps: readonly number[];
  readonly startMs: number;
  readonly stopMs: number;
  readonly failStart: boolean;
  /** An action its onStart takes on its first run, before or after its await. */
  readonly startAction?: { readonly what: Action; readonly afterAwait: boolean } | undefined;
  /** An action its onStop takes on its first run. */
  readonly stopAction?: Action | undefined;
  /** Whether its onStart adds a fresh runtime dependency (Mode's addRuntimeDependency) each time. */
  readonly runtimeChild?: boolean;
}

/** What the hooks saw. */
export interface Observations {
  /** `live[i]`: onStart of `i` completed and its onStop has not finished since. */
  readonly live: boolean[];
  readonly startsCompleted: number[];
  readonly stopCalls: number[];
  /** Ordering violations seen by the hooks (empty when the engine keeps its promises). */
  readonly violations: string[];
  /** Runtime dependencies added by onStart hooks: how many started and stopped, and whether each runs now. */
  readonly runtimeChildren: Array<{ started: number; stopped: number; readonly service: Service }>;
  /** Every promise the app handed out, with how it settled (undefined: not yet). */
  readonly promises: Array<{ readonly what: string; outcome: 'ok' | Error | undefined }>;
}

/** Builds the app: `shape` 'dag' binds the nodes in a container (property injection), 'tree' links them with addDependency under node 0. */
export function interleavedApp(nodes: readonly InterleavedNode[], shape: 'dag' | 'tree', clock: ManualClock) {
  const seen: Observations = {
    live: nodes.map(() => false),
    startsCompleted: nodes.map(() => 0),
    stopCalls: nodes.map(() => 0),
    violations: [],
    runtimeChildren: [],
    promises: [],
  };
  class RuntimeChild extends Service {
    readonly tally = { started: 0, stopped: 0, service: this as Service };
    override onStart() {
      this.tally.started++;
    }
    override onStop() {
      this.tally.stopped++;
    }
  }
  const dependents = nodes.map((_, i) => nodes.flatMap((n, j) => (n.deps.includes(i) ? [j] : [])));
  const services: Service[] = [];
  let app!: Application;
  const track = (what: string, promise: Promise<unknown>) => {
    const entry: Observations['promises'][number] = { what, outcome: undefined };
    seen.promises.push(entry);
    promise.then(
      () => (entry.outcome = 'ok'),
      (error: unknown) => (entry.outcome = error instanceof Error ? error : new Error(String(error))),
    );
  };
  const act = (what: Action, from: Service) => {
    if (what === 'crash') from.crash(new Error(`${from.label} crashed`));
    else track(`${what} from ${from.label}`, app[what]());
  };

  const classes = nodes.map((spec, i) => {
    let startActed = false;
    let stopActed = false;
    class Node extends Service {
      override get label() {
        return `N${i}`;
      }
      override async onStart(signal: AbortSignal) {
        for (const d of spec.deps) if (!seen.live[d]) seen.violations.push(`N${i} began starting while its dependency N${d} was not running`);
        const action = !startActed ? spec.startAction : undefined;
        startActed = true;
        if (action && !action.afterAwait) act(action.what, this);
        if (spec.startMs > 0) await sleepOn(clock, spec.startMs, signal);
        if (action?.afterAwait) act(action.what, this);
        if (spec.runtimeChild) {
          const child = new RuntimeChild();
          seen.runtimeChildren.push(child.tally);
          await this.addRuntimeDependency(child);
        }
        if (spec.failStart) throw new Error(`N${i} cannot start`);
        seen.live[i] = true;
        seen.startsCompleted[i]!++;
      }
      override async onStop() {
        for (const j of dependents[i]!) if (seen.live[j]) seen.violations.push(`N${i} began stopping while its dependent N${j} still ran`);
        seen.stopCalls[i]!++;
        const action = !stopActed ? spec.stopAction : undefined;
        stopActed = true;
        if (action) act(action, this);
        if (spec.stopMs > 0) await sleepOn(clock, spec.stopMs);
        seen.live[i] = false;
      }
    }
    return Node;
  });

  if (shape === 'tree') {
    classes.forEach((C) => services.push(new C()));
    nodes.forEach((spec, i) => spec.deps.forEach((d) => services[i]!.addDependency(services[d]!)));
    app = new Application(services[0]!, { clock });
  } else {
    const ids = nodes.map((_, i) => Symbol(`N${i}`));
    classes.forEach((C, i) => {
      injectable()(C);
      nodes[i]!.deps.forEach((d, k) => inject(ids[d]!)(C.prototype, `dep${k}`));
    });
    app = new Application(new ContainerModule(({ bind }) => classes.forEach((C, i) => bind(ids[i]!).to(C).inSingletonScope())), { clock });
  }
  /** Node `k`'s service object (in a container app, once created). */
  const serviceAt = (k: number): Service | undefined => (shape === 'tree' ? services[k] : (app.services.find((s) => s.label === `N${k}`)?.instance as Service | undefined));
  return { app, seen, track, serviceAt };
}
