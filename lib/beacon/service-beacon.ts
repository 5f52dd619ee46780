// A service's beacon: its place in the tree, read from the engine's graph each time it is asked.
import type { ServiceGraph } from '../lifecycle/graph.js';
import type { Lifecycle } from '../lifecycle/lifecycle.js';
import { runtimeOf, type ServiceRuntime } from '../lifecycle/runtime.js';
import type { ServiceNode, ServiceState } from '../lifecycle/state.js';
import { Beacon } from './beacon.js';
import { snapshotOfGraph, snapshotOfTree } from './graph-snapshot.js';
import type { BeaconSnapshot } from './snapshot.js';

/** One view per service, so beacons compare with `===`. */
const views = new WeakMap<ServiceRuntime, ServiceBeacon>();
/** The root beacon of each application's engine (a stand-alone tree has none). */
const appRoots = new WeakMap<Lifecycle, Beacon>();

/**
 * Makes `beacon` the parent of the services nothing depends on in `engine` (the application's beacon).
 * @example
 * ```ts
 * registerAppRoot(app.engine, app.beacon);
 * ```
 */
export function registerAppRoot(engine: Lifecycle, beacon: Beacon): void {
  appRoots.set(engine, beacon);
}

/**
 * The beacon of a service known to the engine (one per service, so beacons compare with `===`).
 * @example
 * ```ts
 * beaconOfRuntime(app.engine.graph.nodes[0]!).path;
 * ```
 */
export function beaconOfRuntime(runtime: ServiceRuntime): ServiceBeacon {
  let view = views.get(runtime);
  if (!view) {
    view = new ServiceBeacon(runtime);
    views.set(runtime, view);
  }
  return view;
}

/**
 * The beacon of any service instance: a `Service` (same as `service.beacon`) or a plain
 * injectable of a running app.
 * @example
 * ```ts
 * const cache = app.get(PageViewCache);
 * console.log(beaconOf(cache).path); // 'Application/AppService/PageViewCache'
 * ```
 * @category Beacon
 */
export function beaconOf(instance: object): ServiceBeacon {
  return beaconOfRuntime(runtimeOf(instance));
}

/**
 * The dependent of node `i` that reaches it by the shortest way (one depth above), its owner
 * (an owned or runtime edge) when there is one; `-1` at depth 1.
 */
function parentIndex(graph: ServiceGraph, i: number): number {
  const depth = graph.depthOf(i);
  if (depth <= 1) return -1;
  let first = -1;
  for (const d of graph.dependents[i]!) {
    if (graph.depthOf(d) !== depth - 1) continue;
    const kind = graph.kinds[d]![graph.deps[d]!.indexOf(i)];
    if (kind === 'owned' || kind === 'runtime') return d;
    if (first < 0) first = d;
  }
  return first;
}

/**
 * A service's node in the beacon (`service.beacon`, `beaconOf(instance)`). Once the service
 * belongs to an app (or its stand-alone tree has started) every answer comes from the engine's
 * graph; before that, it knows the children the service owns (`addDependency`) but not its parent.
 * @example
 * ```ts
 * const beacon = app.get(Webserver).beacon;
 * beacon.depth;                            // 2
 * beacon.parent?.label;                    // 'AppService'
 * [...beacon.root.traverse()].length;      // every service, and the root
 * ```
 * @category Beacon
 */
export class ServiceBeacon extends Beacon {
  readonly #runtime: ServiceRuntime;

  /** @internal Use `service.beacon` or {@link beaconOf}. */
  constructor(runtime: ServiceRuntime) {
    super();
    this.#runtime = runtime;
  }

  /** The engine's record of the service (state, restarts, start duration, crash reason). */
  get service(): ServiceNode {
    return this.#runtime;
  }

  get label(): string {
    return this.#runtime.label;
  }

  get state(): ServiceState {
    return this.#runtime.state;
  }

  get data(): object | undefined {
    return this.#runtime.instance;
  }

  /** The graph holding the service, once it belongs to one. */
  get #graph(): ServiceGraph | undefined {
    const engine = this.#runtime.host as Lifecycle | undefined;
    return engine?.graph.has(this.#runtime) ? engine.graph : undefined;
  }

  get depth(): number {
    const graph = this.#graph;
    return graph ? graph.depthOf(this.#runtime.index) : 1;
  }

  get parent(): Beacon | undefined {
    const graph = this.#graph;
    if (!graph) return undefined;
    const above = parentIndex(graph, this.#runtime.index);
    if (above >= 0) return beaconOfRuntime(graph.nodes[above]!);
    return appRoots.get(this.#runtime.host as Lifecycle);
  }

  get children(): readonly ServiceBeacon[] {
    const graph = this.#graph;
    const index = this.#runtime.index;
    if (!graph) return this.#runtime.children.map(beaconOfRuntime);
    return graph.deps[index]!.filter((d) => parentIndex(graph, d) === index).map((d) => beaconOfRuntime(graph.nodes[d]!));
  }

  snapshot(): BeaconSnapshot {
    const graph = this.#graph;
    if (!graph) return snapshotOfTree(this.#runtime, (node) => node.children);
    return snapshotOfGraph(graph, undefined, graph.closureOf(this.#runtime.index));
  }
}
