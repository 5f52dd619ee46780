// The snapshot as a Mermaid flowchart (for READMEs and issues), coloured like the DOT picture.
import type { EdgeKind } from '../lifecycle/graph.js';
import { checkSnapshot, type BeaconNode, type BeaconSnapshot, type BeaconState } from './snapshot.js';
import { BEACON_EDGE_COLOR, BEACON_STATE_COLORS } from './style.js';

/** Mermaid arrows by edge kind: injected plain, owned thick, runtime dotted, declared labelled. */
const ARROWS: Readonly<Record<EdgeKind, string>> = {
  injected: '-->',
  owned: '==>',
  runtime: '-.->',
  declared: '-->|declared|',
};

/**
 * Text for a quoted Mermaid label: `#` first (Mermaid's entity marker), then the characters
 * that end or confuse a quoted label become entity codes; newlines become `<br/>`. `:` is
 * encoded too: Mermaid's pre-pass drops the `;` of an entity on a line where `style` or
 * `classDef` is followed by `:` and `#`, which a label could otherwise spell.
 */
function mermaidText(text: string): string {
  return text
    .replace(/#/g, '#35;')
    .replace(/&/g, '#38;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/`/g, '#96;')
    .replace(/:/g, '#58;')
    .replace(/\r\n?|\n/g, '<br/>')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, ' ');
}

/** The text drawn in a node: its label, and its restart count once it has restarted. */
function nodeText(node: BeaconNode): string {
  const label = mermaidText(node.label);
  return node.restartCount > 0 ? `${label}<br/>restarts: ${node.restartCount}` : label;
}

/**
 * The snapshot as a Mermaid flowchart: one box per node (ids `n0`, `n1`, … so no label can
 * clash with Mermaid's keywords), labels quoted and escaped, a `classDef` per state in the same
 * colours as the DOT picture, an arrow from each service to what it depends on.
 * @example
 * ```ts
 * console.log('```mermaid\n' + toMermaid(snapshot) + '```');
 * ```
 * @category Beacon
 */
export function toMermaid(snapshot: BeaconSnapshot): string {
  const positions = checkSnapshot(snapshot);
  const lines = ['flowchart TD'];
  const used = new Set<BeaconState>();
  snapshot.nodes.forEach((node, index) => {
    const state = node.state in BEACON_STATE_COLORS ? node.state : 'planned';
    used.add(state);
    lines.push(`  n${index}["${nodeText(node)}"]:::${state}`);
  });
  for (const edge of snapshot.edges) {
    const arrow = ARROWS[edge.kind] ?? ARROWS.injected;
    lines.push(`  n${positions.get(edge.from)} ${arrow} n${positions.get(edge.to)}`);
  }
  for (const state of Object.keys(BEACON_STATE_COLORS) as BeaconState[]) {
    if (!used.has(state)) continue;
    const { fill, border } = BEACON_STATE_COLORS[state];
    const dashed = state === 'planned' ? ',stroke-dasharray:5 3' : '';
    lines.push(`  classDef ${state} fill:${fill},stroke:${border},color:#000000${dashed}`);
  }
  if (snapshot.edges.length > 0) lines.push(`  linkStyle default stroke:${BEACON_EDGE_COLOR}`);
  return `${lines.join('\n')}\n`;
}
