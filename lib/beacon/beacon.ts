// Mode's `Node` for the service graph: a tree view (root, parent, children, depth, path, walk, traverse) that draws itself.
import type { RootGraphModel } from 'ts-graphviz';
import type { ServiceState } from '../lifecycle/state.js';
import { asGraph, toDot } from './dot.js';
import { toJSON, type BeaconJSON } from './json.js';
import { toMermaid } from './mermaid.js';
import type { BeaconSnapshot, BeaconSource } from './snapshot.js';

/**
 * One node of the beacon, Mode's `Node`: the application (`app.beacon`, the root) or a
 * service (`service.beacon`, `beaconOf(instance)`). It is a view over the engine's graph, so
 * it is always current: states, restarts and edges are read when asked for.
 *
 * The graph is a DAG; the tree is the part of it that walks up and down: a service's `parent`
 * is the dependent that reaches it by the shortest way (its owner, when it was added with
 * `addDependency` / `addRuntimeDependency`), so `depth` is the length of that way, as in the
 * log (`[^--Webserver]` is depth 2), and each service appears once in `traverse()`.
 *
 * A beacon draws the graph under it: `snapshot()`, `asGraph()`, `toDot()`, `toMermaid()`,
 * `toJSON()`, and it can be passed to `renderGraph` as it is.
 *
 * @example
 * ```ts
 * override async onStart() {
 *   await renderGraph(this.beacon.root, 'image.png');   // the seed's `self.app.beacon.root`
 * }
 * ```
 * @category Beacon
 */
export abstract class Beacon implements BeaconSource {
  /** The name shown in the picture and in {@link Beacon.path}. */
  abstract get label(): string;
  /** The service's state, or the application's for the root. */
  abstract get state(): ServiceState;
  /** What the node stands for (Mode's `Node.data`): the service instance, or the `Application` for the root. */
  abstract get data(): object | undefined;
  /** The node above: the dependent that reaches this one by the shortest way; `undefined` at the top. */
  abstract get parent(): Beacon | undefined;
  /** The nodes below: what this one depends on and reaches first (each node has one parent). */
  abstract get children(): readonly Beacon[];
  /** Distance from the root: 0 for the application, 1 for services nothing depends on, 2 for what they need, … */
  abstract get depth(): number;
  /** The graph under this node (itself and everything it needs, transitively), with current states. */
  abstract snapshot(): BeaconSnapshot;

  /**
   * The top-most node: the application's beacon for a service of an app (the node to draw the
   * whole app from), or the top service of a stand-alone Mode-style tree. Mode returns `None`
   * at the top, so the seed writes `beacon.root or beacon`; here the top is its own root, and
   * `beacon.root ?? beacon` works too.
   * @example
   * ```ts
   * await renderGraph(this.beacon.root, 'image.png');
   * ```
   */
  get root(): Beacon {
    let top: Beacon = this;
    for (const node of this.walk()) top = node;
    return top;
  }

  /**
   * The labels from the root down to this node, joined by `/` (Mode's `Node.path`).
   * @example
   * ```ts
   * webserver.beacon.path; // 'Worker/AppService/Webserver'
   * ```
   */
  get path(): string {
    return [...this.walk()]
      .reverse()
      .map((node) => node.label)
      .join('/');
  }

  /**
   * This node, then each parent up to the root (Mode's `Node.walk`).
   * @example
   * ```ts
   * for (const node of this.beacon.walk()) console.log(node.label);
   * ```
   */
  *walk(): IterableIterator<Beacon> {
    for (let node: Beacon | undefined = this; node; node = node.parent) yield node;
  }

  /**
   * This node and every node below it, breadth first (Mode's `Node.traverse`).
   * @example
   * ```ts
   * const crashed = [...app.beacon.traverse()].filter((node) => node.state === 'crashed');
   * ```
   */
  *traverse(): IterableIterator<Beacon> {
    const queue: Beacon[] = [this];
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head]!;
      yield node;
      queue.push(...node.children);
    }
  }

  /**
   * The graph under this node as a ts-graphviz graph in Mode's look, coloured by state.
   * @example
   * ```ts
   * const graph = app.beacon.asGraph();
   * graph.set('rankdir', 'LR');
   * ```
   */
  asGraph(): RootGraphModel {
    return asGraph(this.snapshot());
  }

  /**
   * The graph under this node as DOT text.
   * @example
   * ```ts
   * await writeFile('graph.dot', app.beacon.toDot());
   * ```
   */
  toDot(): string {
    return toDot(this.snapshot());
  }

  /**
   * The graph under this node as a Mermaid flowchart.
   * @example
   * ```ts
   * console.log('```mermaid\n' + app.beacon.toMermaid() + '```');
   * ```
   */
  toMermaid(): string {
    return toMermaid(this.snapshot());
  }

  /**
   * The graph under this node as JSON-ready data (`JSON.stringify(beacon)` uses it).
   * @example
   * ```ts
   * const running = app.beacon.toJSON().nodes.filter((n) => n.state === 'running').length;
   * ```
   */
  toJSON(): BeaconJSON {
    return toJSON(this.snapshot());
  }

  /**
   * Mode's `repr`: the class and the path.
   * @example
   * ```ts
   * String(webserver.beacon); // 'ServiceBeacon: Worker/AppService/Webserver'
   * ```
   */
  toString(): string {
    return `${this.constructor.name}: ${this.path}`;
  }
}
