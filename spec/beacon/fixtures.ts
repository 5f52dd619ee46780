// Snapshots the beacon specs draw, and a reader for the text an SVG shows.
import type { BeaconEdge, BeaconNode, BeaconSnapshot } from '../../lib/index.js';

/** A node with the usual defaults. */
export function node(id: string, fields: Partial<BeaconNode> = {}): BeaconNode {
  return { id, label: id, state: 'running', depth: 1, kind: 'service', restartCount: 0, ...fields };
}

export function edge(from: string, to: string, kind: BeaconEdge['kind'] = 'injected'): BeaconEdge {
  return { from, to, kind };
}

/** The seed tutorial's DI app: AppService injects Websockets, Webserver and UserCache. */
export const tutorialApp: BeaconSnapshot = {
  nodes: [
    node('AppService'),
    node('Websockets', { depth: 2 }),
    node('Webserver', { depth: 2, startDurationMs: 3.25 }),
    node('UserCache', { depth: 2, kind: 'injectable' }),
  ],
  edges: [edge('AppService', 'Websockets'), edge('AppService', 'Webserver'), edge('AppService', 'UserCache')],
};

/** A Mode-style tree under a Worker: owned children, a runtime dependency, one crash. */
export const modeTree: BeaconSnapshot = {
  nodes: [
    node('Worker', { depth: 0, kind: 'worker' }),
    node('App', { depth: 1, kind: 'supervisor' }),
    node('PageViewCache', { depth: 2, state: 'crashed', restartCount: 2, crashReason: 'ECONNREFUSED' }),
    node('Consumer', { depth: 2, state: 'starting' }),
    node('Metrics', { depth: 3, state: 'shutdown' }),
    node('Exporter', { depth: 3, state: 'planned', kind: 'injectable' }),
  ],
  edges: [
    edge('Worker', 'App', 'owned'),
    edge('App', 'PageViewCache', 'owned'),
    edge('App', 'Consumer', 'runtime'),
    edge('Consumer', 'Metrics', 'declared'),
    edge('Metrics', 'Exporter'),
  ],
};

/** Labels that break naive DOT or Mermaid output. */
export const awkwardLabels: readonly string[] = [
  'say "hi"',
  'ends with a backslash \\',
  'C:\\new\\table \\N \\l',
  'two\nlines',
  '<b>bold</b>',
  '[brackets] (parens) {braces} | pipe',
  'a # hash; &amp; entity #quot;',
  'style:#fff; classDef x:#000;',
  'naïve café → ✓ Ωμέγα',
  '`backticks` and end',
];

/** A snapshot with one node per awkward label, ids as awkward as the labels, chained. */
export const awkwardApp: BeaconSnapshot = {
  nodes: awkwardLabels.map((label, index) => node(`${label}#${index}`, { label, depth: index + 1 })),
  edges: awkwardLabels.slice(1).map((label, index) => edge(`${awkwardLabels[index]}#${index}`, `${label}#${index + 1}`)),
};

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the XML entities Graphviz writes (`&amp;`, `&#45;`, `&#x2013;`). */
export function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return XML_ENTITIES[name] ?? whole;
  });
}

/** The lines of text drawn in an SVG made by Graphviz, in order. */
export function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((match) => decodeXml(match[1]!));
}
