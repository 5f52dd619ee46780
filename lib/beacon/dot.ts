// The snapshot as a ts-graphviz graph and as DOT text, in Mode's look.
import { Digraph, toDot as printDot, type NodeModel, type RootGraphModel, type Style } from 'ts-graphviz';
import { checkSnapshot, type BeaconNode, type BeaconSnapshot } from './snapshot.js';
import {
  BEACON_BACKGROUND,
  BEACON_EDGE_COLOR,
  BEACON_EDGE_STYLES,
  BEACON_FONT_FAMILY,
  BEACON_STATE_COLORS,
  kindStyle,
} from './style.js';

/** ts-graphviz prints a value shaped `<…>` as an HTML-like label, unquoted. */
const HTML_LIKE = /^<.+>$/s;

/** Newlines kept, `\r\n` folded, other control characters (which Graphviz rejects) made spaces. */
function plainText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ');
}

/**
 * Text for a DOT string (an id or an escString attribute): backslashes doubled so Graphviz's
 * `\n`, `\N`, `\l` escapes stay literal; quotes escaped (ts-graphviz leaves a quote that follows
 * a backslash as it is, so a label ending in `\` would otherwise end the string early); `&`
 * written `&amp;`, as Graphviz reads entities (`&lt;`) in labels and passes them to the SVG.
 */
function dotString(text: string): string {
  return plainText(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/&/g, '&amp;');
}

/** A label: quoted text, or an HTML-like label holding the escaped text when it looks like HTML. */
function dotLabel(text: string): string {
  const plain = plainText(text);
  if (!HTML_LIKE.test(plain.trim())) return dotString(plain);
  const html = plain
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '<br/>');
  return `<${html}>`;
}

/** The text drawn in a node's box: its label, and its restart count once it has restarted. */
function nodeText(node: BeaconNode): string {
  return node.restartCount > 0 ? `${node.label}\nrestarts: ${node.restartCount}` : node.label;
}

/** The hover text of a node in an SVG (ends with `)`, so it is never taken for HTML). */
function nodeTooltip(node: BeaconNode): string {
  const facts: string[] = [node.kind, node.crashReason ? `crashed: ${node.crashReason}` : node.state, `depth ${node.depth}`];
  if (node.startDurationMs !== undefined) facts.push(`started in ${Math.round(node.startDurationMs * 10) / 10} ms`);
  return `${node.label} (${facts.join(', ')})`;
}

/**
 * The snapshot as a ts-graphviz graph in Mode's look: boxes filled by state (running green,
 * starting amber, crashed red, stopped grey, planned white), vee arrows from each service to
 * what it depends on, edges styled by how they arose. Change it with ts-graphviz before
 * rendering if you like.
 * @example
 * ```ts
 * const graph = asGraph(snapshot);
 * graph.set('rankdir', 'LR');
 * await renderGraph(graph, 'graph.svg');
 * ```
 * @category Beacon
 */
export function asGraph(snapshot: BeaconSnapshot): RootGraphModel {
  checkSnapshot(snapshot);
  const graph = new Digraph('dependencies', {
    bgcolor: BEACON_BACKGROUND,
    fontname: BEACON_FONT_FAMILY,
  });
  graph.attributes.node.apply({ shape: 'box', style: 'filled', fontname: BEACON_FONT_FAMILY, fontsize: 14 });
  graph.attributes.edge.apply({ color: BEACON_EDGE_COLOR, arrowhead: 'vee', arrowsize: 0.7 });
  // Edges join node models: ts-graphviz reads a string end `a:b` as node `a`, port `b`.
  const models = new Map<string, NodeModel>();
  for (const node of snapshot.nodes) {
    const colors = BEACON_STATE_COLORS[node.state] ?? BEACON_STATE_COLORS.planned;
    const { styles, peripheries } = kindStyle(node.kind);
    // At most three items (filled, a kind's, dashed): within ts-graphviz's `Style` type.
    const style = ['filled', ...styles, ...(node.state === 'planned' ? ['dashed'] : [])].join(',') as Style;
    const model = graph.node(dotString(node.id), {
      label: dotLabel(nodeText(node)),
      fillcolor: colors.fill,
      color: colors.border,
      tooltip: dotString(nodeTooltip(node)),
      ...(style !== 'filled' ? { style } : {}),
      ...(peripheries !== 1 ? { peripheries } : {}),
    });
    models.set(node.id, model);
  }
  for (const edge of snapshot.edges) {
    const style: Style = BEACON_EDGE_STYLES[edge.kind] ?? 'solid';
    graph.edge([models.get(edge.from)!, models.get(edge.to)!], style === 'solid' ? {} : { style });
  }
  return graph;
}

/**
 * ts-graphviz refuses to print a model of more than 100,000 AST nodes (a guard for parsing
 * untrusted DOT); a graph of a few thousand services has that many (each attribute is one).
 * @example
 * ```ts
 * printDot(asGraph(snapshot), PRINT_ANY_SIZE);
 * ```
 */
export const PRINT_ANY_SIZE = { convert: { maxASTNodes: 0 } } as const;

/**
 * The snapshot as DOT text (Graphviz's language), ready for `dot -Tsvg` or any Graphviz viewer.
 * @example
 * ```ts
 * await writeFile('graph.dot', toDot(snapshot));
 * ```
 * @category Beacon
 */
export function toDot(snapshot: BeaconSnapshot): string {
  return `${printDot(asGraph(snapshot), PRINT_ANY_SIZE)}\n`;
}
