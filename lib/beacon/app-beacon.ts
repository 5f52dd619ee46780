// The application's beacon (`app.beacon`): the root of the service tree, the live graph, and the planned one.
import type { Plan } from '../application/plan.js';
import type { AppState, Lifecycle } from '../lifecycle/lifecycle.js';
import { Beacon } from './beacon.js';
import { snapshotOfGraph, snapshotOfPlan, type SnapshotRoot } from './graph-snapshot.js';
import { beaconOfRuntime, registerAppRoot, type ServiceBeacon } from './service-beacon.js';
import type { BeaconSnapshot } from './snapshot.js';

/**
 * What the application's beacon reads: the engine's graph and the app's state and plan.
 * `Application` is one.
 * @example
 * ```ts
 * const beacon = new AppBeacon(app);
 * ```
 */
export interface AppBeaconHost {
  readonly engine: Lifecycle;
  readonly state: AppState;
  plan(): Promise<Plan>;
}

/**
 * Options of {@link AppBeacon.snapshot} and {@link AppBeacon.planned}.
 * @example
 * ```ts
 * app.beacon.snapshot({ root: false }); // the services only
 * ```
 * @category Beacon
 */
export interface AppSnapshotOptions {
  /** Draw the root node (the application, or `Worker` under a Worker) above the services. Default `true`. */
  readonly root?: boolean;
}

/**
 * The application's beacon, `app.beacon`: the root of the service tree (depth 0, the
 * `[^Worker]` of the log) and the app's resolution graph, live. A node per service (label,
 * state, depth, kind, restart count, last start duration, crash reason) and an edge per
 * dependency with how it arose, read from the engine when asked, so the states are current.
 *
 * The live graph exists once `start()` has built it: before that, {@link AppBeacon.snapshot}
 * has the root alone, and {@link AppBeacon.planned} gives the graph `start()` would build,
 * without creating anything (every node `planned`).
 *
 * @example
 * ```ts
 * app.on('app.started', () => renderGraph(app.beacon, 'image.png').catch(console.error));
 * await app.start();
 * ```
 * @example Before starting
 * ```ts
 * await renderGraph(await app.beacon.planned(), 'plan.svg');
 * ```
 * @category Beacon
 */
export class AppBeacon extends Beacon {
  readonly #host: AppBeaconHost;
  #label = 'Application';

  /** @internal `Application` makes one: use `app.beacon`. */
  constructor(host: AppBeaconHost) {
    super();
    this.#host = host;
    registerAppRoot(host.engine, this);
  }

  /** The root's name: `Application`, or `Worker` once a Worker runs the app. Settable. */
  get label(): string {
    return this.#label;
  }

  set label(label: string) {
    this.#label = label;
  }

  /** The application's state. */
  get state(): AppState {
    return this.#host.state;
  }

  /** The application. */
  get data(): object {
    return this.#host;
  }

  /** Always `undefined`: this is the root. */
  get parent(): undefined {
    return undefined;
  }

  /** The services nothing depends on (empty until `start()` has built the graph). */
  get children(): readonly ServiceBeacon[] {
    const { graph } = this.#host.engine;
    return graph.nodes.filter((_, i) => graph.dependents[i]!.length === 0).map(beaconOfRuntime);
  }

  /** Always 0: the services nothing depends on are at depth 1. */
  get depth(): number {
    return 0;
  }

  /**
   * The live graph: the root node (kind `worker`, the app's state) with an edge to each
   * service nothing depends on, then every service in binding order with its current state.
   * Before `start()` it has the root alone: use {@link AppBeacon.planned}.
   * @example
   * ```ts
   * const crashed = app.beacon.snapshot().nodes.filter((node) => node.state === 'crashed');
   * ```
   */
  snapshot(options: AppSnapshotOptions = {}): BeaconSnapshot {
    return snapshotOfGraph(this.#host.engine.graph, this.#root(options, this.state));
  }

  /**
   * The graph `start()` would build, from `app.plan()`, without creating or starting
   * anything: every node `planned`. Rejects with the plan's error (a cycle, a missing
   * binding, a lifecycle class not bound as a singleton).
   * @example
   * ```ts
   * await renderGraph(await app.beacon.planned(), 'plan.svg');
   * ```
   */
  async planned(options: AppSnapshotOptions = {}): Promise<BeaconSnapshot> {
    return snapshotOfPlan(await this.#host.plan(), this.#root(options, 'planned'));
  }

  #root(options: AppSnapshotOptions, state: SnapshotRoot['state']): SnapshotRoot | undefined {
    return options.root === false ? undefined : { label: this.#label, state };
  }
}
