// The beacon's plain data: a snapshot of the service graph that every exporter draws from.
import type { EdgeKind } from '../lifecycle/graph.js';
import type { ServiceState } from '../lifecycle/state.js';
import { BeaconSnapshotError } from '../errors/beacon.js';

/**
 * A node's state: a {@link ServiceState} of a live app, or `planned` for a graph drawn
 * without starting (or constructing) anything.
 * @example
 * ```ts
 * const state: BeaconState = 'planned';
 * ```
 * @category Beacon
 */
export type BeaconState = ServiceState | 'planned';

/**
 * What a node is: a lifecycle `service`, a plain `injectable` (no hooks), a `supervisor`, or
 * the `worker` at the root.
 * @example
 * ```ts
 * const kind: BeaconNodeKind = 'service';
 * ```
 * @category Beacon
 */
export type BeaconNodeKind = 'service' | 'injectable' | 'supervisor' | 'worker';

/**
 * One node of a {@link BeaconSnapshot}.
 * @example
 * ```ts
 * const node: BeaconNode = { id: 'Webserver', label: 'Webserver', state: 'running', depth: 2, kind: 'service', restartCount: 0 };
 * ```
 * @category Beacon
 */
export interface BeaconNode {
  /** Unique within the snapshot; edges name nodes by it. */
  readonly id: string;
  /** The name shown in the picture (any text: quotes, newlines and unicode are escaped). */
  readonly label: string;
  /** Its state, which colours its box. */
  readonly state: BeaconState;
  /** Distance from the root: 1 for services nothing depends on, 2 for what they need, … */
  readonly depth: number;
  /** What it is, which shapes its box. */
  readonly kind: BeaconNodeKind;
  /** How many times the service was restarted. */
  readonly restartCount: number;
  /** How long its last start took, in milliseconds, when measured. */
  readonly startDurationMs?: number;
  /** Why it last crashed or failed to start. */
  readonly crashReason?: string;
}

/**
 * One dependency of a {@link BeaconSnapshot}: `from` depends on `to` (so `to` starts first).
 * @example
 * ```ts
 * const edge: BeaconEdge = { from: 'AppService', to: 'Webserver', kind: 'injected' };
 * ```
 * @category Beacon
 */
export interface BeaconEdge {
  /** The id of the node that depends. */
  readonly from: string;
  /** The id of the node it depends on. */
  readonly to: string;
  /** How the dependency arose, which styles its line. */
  readonly kind: EdgeKind;
}

/**
 * The service graph as plain data, the input of `asGraph`, `toDot`, `toMermaid`, `toJSON` and
 * `renderGraph`. Nodes are drawn in the order given.
 * @example
 * ```ts
 * const snapshot: BeaconSnapshot = {
 *   nodes: [
 *     { id: 'App', label: 'AppService', state: 'running', depth: 1, kind: 'service', restartCount: 0 },
 *     { id: 'Web', label: 'Webserver', state: 'running', depth: 2, kind: 'service', restartCount: 0 },
 *   ],
 *   edges: [{ from: 'App', to: 'Web', kind: 'injected' }],
 * };
 * ```
 * @category Beacon
 */
export interface BeaconSnapshot {
  /** The services (and the root), drawn in this order. */
  readonly nodes: readonly BeaconNode[];
  /** The dependencies between them. */
  readonly edges: readonly BeaconEdge[];
}

/**
 * Whether `value` looks like a {@link BeaconSnapshot} (an object with `nodes` and `edges`
 * arrays that is not a ts-graphviz model); the exporters check the rest (throwing
 * {@link BeaconSnapshotError}).
 * @example
 * ```ts
 * if (isBeaconSnapshot(input)) console.log(toMermaid(input));
 * ```
 * @category Beacon
 */
export function isBeaconSnapshot(value: unknown): value is BeaconSnapshot {
  // A ts-graphviz model has `nodes` and `edges` arrays too; it is told apart by its `$$type`.
  if (typeof value !== 'object' || value === null || '$$type' in value) return false;
  const { nodes, edges } = value as Partial<BeaconSnapshot>;
  return Array.isArray(nodes) && Array.isArray(edges);
}

/**
 * Checks that node ids are unique strings and that every edge joins two of them; returns
 * each node's position by id. Throws {@link BeaconSnapshotError} naming the bad node or edge.
 * @example
 * ```ts
 * const positions = checkSnapshot(snapshot); // Map { 'App' => 0, 'Web' => 1 }
 * ```
 */
export function checkSnapshot(snapshot: BeaconSnapshot): Map<string, number> {
  const positions = new Map<string, number>();
  snapshot.nodes.forEach((node, index) => {
    if (typeof node?.id !== 'string') {
      throw new BeaconSnapshotError(`Beacon node #${index} has no string id; give every node a unique id.`);
    }
    if (typeof node.label !== 'string') {
      throw new BeaconSnapshotError(`Beacon node ${JSON.stringify(node.id)} has no string label.`);
    }
    if (positions.has(node.id)) {
      throw new BeaconSnapshotError(`Beacon node id ${JSON.stringify(node.id)} is used twice; node ids must be unique.`);
    }
    positions.set(node.id, index);
  });
  for (const edge of snapshot.edges) {
    for (const end of [edge?.from, edge?.to]) {
      if (typeof end !== 'string' || !positions.has(end)) {
        throw new BeaconSnapshotError(
          `Beacon edge ${JSON.stringify(edge?.from)} -> ${JSON.stringify(edge?.to)} names node ` +
            `${JSON.stringify(end)}, which is not in the snapshot; add the node or drop the edge.`,
        );
      }
    }
  }
  return positions;
}

/**
 * Anything that can take a {@link BeaconSnapshot} of a graph on demand (the app's live beacon):
 * `renderGraph` takes one and snapshots it at the moment it draws.
 * @example
 * ```ts
 * const source: BeaconSource = { snapshot: () => mySnapshot };
 * await renderGraph(source, 'graph.svg');
 * ```
 * @category Beacon
 */
export interface BeaconSource {
  /** The graph as it is now. */
  snapshot(): BeaconSnapshot;
}

/**
 * Whether `value` is a {@link BeaconSource} (has a `snapshot()` method).
 * @example
 * ```ts
 * const snapshot = isBeaconSource(input) ? input.snapshot() : input;
 * ```
 */
export function isBeaconSource(value: unknown): value is BeaconSource {
  return typeof value === 'object' && value !== null && typeof (value as Partial<BeaconSource>).snapshot === 'function';
}
