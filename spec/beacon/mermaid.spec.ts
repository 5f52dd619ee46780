// The snapshot as a Mermaid flowchart: safe ids, quoted and escaped labels, classDefs by state.
import { describe, expect, it } from 'vitest';
import { BEACON_STATE_COLORS, toMermaid } from '../../lib/index.js';
import { awkwardApp, awkwardLabels, edge, modeTree, node, tutorialApp } from './fixtures.js';

const NODE_LINE = /^ {2}(n\d+)\["([^"\n]*)"\]:::(\w+)$/;
const NAMED_ENTITIES: Record<string, string> = { quot: '"', lt: '<', gt: '>', amp: '&' };

/** Reads a label back the way Mermaid does: `#name;` / `#123;` entities, `<br/>` line breaks. */
function decodeMermaid(text: string): string {
  return text
    .replace(/<br\/>/g, '\n')
    .replace(/#(\d+|\w+);/g, (whole, code: string) => (/^\d+$/.test(code) ? String.fromCodePoint(Number(code)) : (NAMED_ENTITIES[code] ?? whole)));
}

describe('toMermaid', () => {
  it('draws a DI app as a flowchart with a class per state', () => {
    expect(toMermaid(tutorialApp)).toMatchInlineSnapshot(`
      "flowchart TD
        n0["AppService"]:::running
        n1["Websockets"]:::running
        n2["Webserver"]:::running
        n3["UserCache"]:::running
        n0 --> n1
        n0 --> n2
        n0 --> n3
        classDef running fill:#7ccd7c,stroke:#548b54,color:#000000
        linkStyle default stroke:#698b69
      "
    `);
  });

  it('draws a Mode-style tree: owned thick, runtime dotted, declared labelled, one classDef per state used', () => {
    expect(toMermaid(modeTree)).toMatchInlineSnapshot(`
      "flowchart TD
        n0["Worker"]:::running
        n1["App"]:::running
        n2["PageViewCache<br/>restarts: 2"]:::crashed
        n3["Consumer"]:::starting
        n4["Metrics"]:::shutdown
        n5["Exporter"]:::planned
        n0 ==> n1
        n1 ==> n2
        n1 -.-> n3
        n3 -->|declared| n4
        n4 --> n5
        classDef planned fill:#ffffff,stroke:#548b54,color:#000000,stroke-dasharray:5 3
        classDef starting fill:#ffd966,stroke:#b8860b,color:#000000
        classDef running fill:#7ccd7c,stroke:#548b54,color:#000000
        classDef crashed fill:#f08080,stroke:#b22222,color:#000000
        classDef shutdown fill:#d9d9d9,stroke:#7f7f7f,color:#000000
        linkStyle default stroke:#698b69
      "
    `);
  });

  it('quotes and escapes every label so it reads back exactly, on one line', () => {
    const lines = toMermaid(awkwardApp).split('\n');
    const nodeLines = lines.filter((line) => NODE_LINE.test(line));
    expect(nodeLines).toHaveLength(awkwardLabels.length);
    expect(nodeLines.map((line) => decodeMermaid(NODE_LINE.exec(line)![2]!))).toEqual(awkwardLabels);
    // Every other line is the header, an edge between known ids, a classDef or the link style.
    for (const line of lines.filter((l) => l && !NODE_LINE.test(l))) {
      expect(line).toMatch(/^(flowchart TD| {2}n\d+ (-->|==>|-\.->|-->\|declared\|) n\d+| {2}classDef \w+ .*| {2}linkStyle default .*)$/);
    }
  });

  it('never writes the words that start Mermaid statements as ids', () => {
    const snapshot = { nodes: [node('end'), node('graph'), node('style'), node('class')], edges: [edge('end', 'graph'), edge('style', 'class')] };
    const text = toMermaid(snapshot);
    expect(text).toContain('  n0["end"]:::running\n');
    expect(text).toContain('  n0 --> n1\n  n2 --> n3\n');
  });

  it('shows the restart count under the label', () => {
    expect(toMermaid({ nodes: [node('Web', { restartCount: 1 })], edges: [] })).toContain('n0["Web<br/>restarts: 1"]:::running');
  });

  it('uses the DOT picture colours in its classDefs', () => {
    const text = toMermaid(modeTree);
    for (const state of ['running', 'crashed', 'starting', 'shutdown', 'planned'] as const) {
      const { fill, border } = BEACON_STATE_COLORS[state];
      expect(text).toContain(`classDef ${state} fill:${fill},stroke:${border}`);
    }
    expect(text).not.toContain('classDef restarting');
  });
});
