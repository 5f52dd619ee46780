// Snapshots of the engine's graph (live states) and of a plan (nothing built yet), with unique ids and depths.
import type { Plan } from '../application/plan.js';
import type { EdgeKind, ServiceGraph } from '../lifecycle/graph.js';
import type { ServiceNode } from '../lifecycle/state.js';
import type { BeaconEdge, BeaconNode, BeaconNodeKind, BeaconSnapshot, BeaconState } from './snapshot.js';

/**
 * The node drawn above everything when the app has one (the Worker): its label and state.
 * @example
 * ```ts
 * const root: SnapshotRoot = { label: 'Worker', state: 'running' };
 * ```
 */
export interface SnapshotRoot {
  readonly label: string;
  readonly state: BeaconState;
}

/**
 * A service node that may say what it is: the engine's nodes do not yet. Until they do, a
 * service object can (`readonly beaconKind = 'supervisor'` on Mode's supervisor classes).
 */
interface KindedNode extends ServiceNode {
  readonly kind?: BeaconNodeKind;
}

/**
 * What a live node is: its own word where it has one (the node's `kind`, or its instance's
 * `beaconKind`), else a lifecycle `service` or a plain `injectable`.
 * @example
 * ```ts
 * kindOf(app.services[0]!); // 'service'
 * ```
 */
export function kindOf(node: ServiceNode): BeaconNodeKind {
  const said = (node as KindedNode).kind ?? (node.instance as { readonly beaconKind?: unknown } | undefined)?.beaconKind;
  if (said === 'service' || said === 'injectable' || said === 'supervisor') return said;
  return node.hasLifecycle ? 'service' : 'injectable';
}

/** Ids for `labels`: the label itself where it is unique, else `label#n` by occurrence (n from 1). */
function uniqueIds(labels: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  const taken = new Set(labels.filter((label) => counts.get(label) === 1));
  const seen = new Map<string, number>();
  return labels.map((label) => {
    if (counts.get(label) === 1) return label;
    let n = seen.get(label) ?? 0;
    let id: string;
    do id = `${label}#${++n}`;
    while (taken.has(id));
    seen.set(label, n);
    taken.add(id);
    return id;
  });
}

/** Each node's distance from the nodes nothing depends on (1 for those), shortest way. */
function depthsOf(deps: readonly (readonly number[])[]): number[] {
  const depth = new Array<number>(deps.length).fill(0);
  const depended = new Uint8Array(deps.length);
  for (const ds of deps) for (const d of ds) depended[d] = 1;
  const queue: number[] = [];
  deps.forEach((_, i) => {
    if (!depended[i]) {
      depth[i] = 1;
      queue.push(i);
    }
  });
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!;
    for (const w of deps[v]!) {
      if (depth[w] === 0) {
        depth[w] = depth[v]! + 1;
        queue.push(w);
      }
    }
  }
  return depth.map((d) => d || 1);
}

/** Plain nodes and edges, before ids are given. */
interface Drawn {
  readonly nodes: ReadonlyArray<Omit<BeaconNode, 'id'>>;
  readonly deps: readonly (readonly number[])[];
  readonly kinds: readonly (readonly EdgeKind[])[];
}

/** Gives ids, adds the root (with an edge to every node at depth 1), and lists the edges. */
function assemble({ nodes, deps, kinds }: Drawn, root: SnapshotRoot | undefined): BeaconSnapshot {
  const all: Array<Omit<BeaconNode, 'id'>> = root ? [{ label: root.label, state: root.state, depth: 0, kind: 'worker', restartCount: 0 }, ...nodes] : [...nodes];
  const ids = uniqueIds(all.map((node) => node.label));
  const offset = root ? 1 : 0;
  const edges: BeaconEdge[] = [];
  if (root) nodes.forEach((node, i) => node.depth === 1 && edges.push({ from: ids[0]!, to: ids[i + offset]!, kind: 'owned' }));
  deps.forEach((ds, i) => ds.forEach((d, k) => edges.push({ from: ids[i + offset]!, to: ids[d + offset]!, kind: kinds[i]![k]! })));
  return { nodes: all.map((node, i) => ({ id: ids[i]!, ...node })), edges };
}

/** One live node as the beacon draws it. */
function liveNode(node: ServiceNode, depth: number): Omit<BeaconNode, 'id'> {
  return {
    label: node.label,
    state: node.state,
    depth,
    kind: kindOf(node),
    restartCount: node.restartCount,
    ...(node.startDurationMs !== undefined ? { startDurationMs: node.startDurationMs } : {}),
    ...(node.crashReason !== undefined ? { crashReason: node.crashReason.message } : {}),
  };
}

/**
 * The engine's graph with current states: every node when `members` is left out, else those
 * nodes (indices, kept in graph order) and the edges between them. Depths are the engine's,
 * so they match the log's dashes (`[^--Webserver]` is depth 2).
 * @example
 * ```ts
 * snapshotOfGraph(app.engine.graph, { label: 'Worker', state: app.state });
 * ```
 */
export function snapshotOfGraph(graph: ServiceGraph, root?: SnapshotRoot, members?: readonly number[]): BeaconSnapshot {
  const chosen = members ? [...members].sort((a, b) => a - b) : [...graph.nodes.keys()];
  const position = new Map(chosen.map((index, k) => [index, k]));
  const deps: number[][] = [];
  const kinds: EdgeKind[][] = [];
  for (const i of chosen) {
    const ds: number[] = [];
    const ks: EdgeKind[] = [];
    graph.deps[i]!.forEach((d, k) => {
      const p = position.get(d);
      if (p === undefined) return;
      ds.push(p);
      ks.push(graph.kinds[i]![k]!);
    });
    deps.push(ds);
    kinds.push(ks);
  }
  const nodes = chosen.map((i) => liveNode(graph.nodes[i]!, graph.depthOf(i)));
  return assemble({ nodes, deps, kinds }, root);
}

/**
 * A tree of services that belongs to no engine yet (a Mode-style service and the children it
 * owns), with their current states (`init` until started) and depths counted from `top`.
 * @example
 * ```ts
 * snapshotOfTree(root.runtime, (node) => node.children);
 * ```
 */
export function snapshotOfTree<T extends ServiceNode>(top: T, childrenOf: (node: T) => readonly T[]): BeaconSnapshot {
  const order: T[] = [];
  const index = new Map<T, number>();
  const visit = (node: T) => {
    if (index.has(node)) return;
    index.set(node, order.length);
    order.push(node);
    childrenOf(node).forEach(visit);
  };
  visit(top);
  const deps = order.map((node) => childrenOf(node).map((child) => index.get(child)!));
  const depths = depthsOf(deps);
  const nodes = order.map((node, i) => liveNode(node, depths[i]!));
  return assemble({ nodes, deps, kinds: deps.map((ds) => ds.map((): EdgeKind => 'owned')) }, undefined);
}

/**
 * The graph `start()` would build, from `app.plan()`: every node `planned`, kinds from whether
 * the class has lifecycle work, edges with how they arose.
 * @example
 * ```ts
 * await renderGraph(snapshotOfPlan(await app.plan(), { label: 'Worker', state: 'planned' }), 'plan.svg');
 * ```
 */
export function snapshotOfPlan(plan: Plan, root?: SnapshotRoot): BeaconSnapshot {
  const labels = plan.services.map((entry) => entry.label);
  const deps = plan.services.map((entry) => entry.dependencies.map((d) => d.index ?? labels.indexOf(d.label)));
  const kinds = plan.services.map((entry) => entry.dependencies.map((d) => d.kind ?? 'injected'));
  const depths = depthsOf(deps);
  const nodes = plan.services.map(
    (entry, i): Omit<BeaconNode, 'id'> => ({
      label: entry.label,
      state: 'planned',
      depth: depths[i]!,
      kind: (entry.hasLifecycle ?? entry.hooks.length > 0) ? 'service' : 'injectable',
      restartCount: 0,
    }),
  );
  return assemble({ nodes, deps, kinds }, root && { label: root.label, state: 'planned' });
}

