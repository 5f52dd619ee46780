// Errors of the beacon's pictures: bad snapshots, unknown formats, layouts that failed.
import { ModeError } from './mode-error.js';
import { UsageError } from './usage.js';

/**
 * A snapshot handed to the beacon's exporters is malformed: a duplicate node id, or an edge
 * naming a node the snapshot does not have.
 * @example
 * ```ts
 * try { toDot({ nodes: [], edges: [{ from: 'a', to: 'b', kind: 'injected' }] }); }
 * catch (e) { if (e instanceof BeaconSnapshotError) console.error(e.message); }
 * ```
 * @category Errors
 */
export class BeaconSnapshotError extends UsageError {}

/**
 * A graph was asked for in a format mode-di cannot write. `format` is the extension or format
 * name given; `supported` lists the ones that work.
 * @example
 * ```ts
 * try { await renderGraph(snapshot, 'graph.jpg'); }
 * catch (e) { if (e instanceof GraphFormatError) console.error(e.supported.join(', ')); }
 * ```
 * @category Errors
 */
export class GraphFormatError extends UsageError {
  constructor(
    /** The file extension or format name that was asked for. */
    readonly format: string,
    /** The extensions (or formats) that work. */
    readonly supported: readonly string[],
    detail = '',
  ) {
    super(
      `Cannot write a graph as ${JSON.stringify(format)}${detail ? `: ${detail}` : ''}. ` +
        `Supported: ${supported.join(', ')}.`,
    );
  }
}

/**
 * `{ engine: 'dot' }` was asked for but no Graphviz `dot` program is on the PATH.
 * @example
 * ```ts
 * try { await renderGraph(snapshot, 'graph.svg', { engine: 'dot' }); }
 * catch (e) { if (e instanceof GraphvizNotInstalledError) await renderGraph(snapshot, 'graph.svg'); }
 * ```
 * @category Errors
 */
export class GraphvizNotInstalledError extends UsageError {
  constructor(
    /** The program that was not found (`'dot'`). */
    readonly command: string,
  ) {
    super(
      `The Graphviz program ${JSON.stringify(command)} is not installed (not found on the PATH). ` +
        `Install Graphviz (e.g. apt-get install graphviz), or leave out { engine: 'dot' } to lay ` +
        `out with the bundled WebAssembly Graphviz.`,
    );
  }
}

/**
 * Graphviz could not lay out the graph: DOT text with a syntax error, or a layout that failed.
 * `engine` is the layout engine used; the message carries Graphviz's own words.
 * @example
 * ```ts
 * try { await renderGraphToBuffer('digraph {', 'svg'); }
 * catch (e) { if (e instanceof GraphLayoutError) console.error(e.message); }
 * ```
 * @category Errors
 */
export class GraphLayoutError extends ModeError {
  constructor(
    /** The layout engine that failed: the bundled WebAssembly Graphviz or the system's `dot`. */
    readonly engine: 'wasm' | 'dot',
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Graphviz (${engine === 'wasm' ? 'WebAssembly' : 'system dot'}) could not lay out the graph: ` +
        `${problem.trim() || 'no reason given'}. Check the DOT text (a graph made by asGraph() or ` +
        `toDot() always parses).`,
      options,
    );
  }
}

/**
 * The font file mode-di draws PNG labels with is missing (an install that dropped `fonts/`):
 * without it the labels would be blank.
 * @example
 * ```ts
 * try { await renderGraph(snapshot, 'graph.png'); }
 * catch (e) { if (e instanceof BeaconFontMissingError) console.error(e.file); }
 * ```
 * @category Errors
 */
export class BeaconFontMissingError extends ModeError {
  constructor(
    /** The path of the missing font file. */
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(
      `mode-di's font ${file} is missing, so PNG labels would be blank. Reinstall mode-di ` +
        `(its package ships fonts/), or render SVG instead.`,
      options,
    );
  }
}
