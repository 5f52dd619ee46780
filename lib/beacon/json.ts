// The snapshot as plain JSON data, for tools.
import { checkSnapshot, type BeaconEdge, type BeaconNode, type BeaconSnapshot } from './snapshot.js';

/**
 * The JSON form of a {@link BeaconSnapshot}: `version` changes only when a field changes meaning.
 * @example
 * ```ts
 * const data: BeaconJSON = JSON.parse(await readFile('graph.json', 'utf8'));
 * ```
 * @category Beacon
 */
export interface BeaconJSON {
  /** The format's version: `1`. */
  readonly version: 1;
  /** The nodes, in the snapshot's order. */
  readonly nodes: readonly BeaconNode[];
  /** The dependencies between them. */
  readonly edges: readonly BeaconEdge[];
}

/**
 * The snapshot as a fresh JSON-ready object (a copy: later changes to the snapshot do not
 * show). `JSON.stringify(toJSON(snapshot))` is what `renderGraph(snapshot, 'graph.json')` writes.
 * @example
 * ```ts
 * const running = toJSON(snapshot).nodes.filter((n) => n.state === 'running').length;
 * ```
 * @category Beacon
 */
export function toJSON(snapshot: BeaconSnapshot): BeaconJSON {
  checkSnapshot(snapshot);
  return {
    version: 1,
    nodes: snapshot.nodes.map((node) => ({
      id: node.id,
      label: node.label,
      state: node.state,
      depth: node.depth,
      kind: node.kind,
      restartCount: node.restartCount,
      ...(node.startDurationMs !== undefined ? { startDurationMs: node.startDurationMs } : {}),
      ...(node.crashReason !== undefined ? { crashReason: node.crashReason } : {}),
    })),
    edges: snapshot.edges.map(({ from, to, kind }) => ({ from, to, kind })),
  };
}
