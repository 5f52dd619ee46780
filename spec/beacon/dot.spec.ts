// The snapshot as DOT and as a ts-graphviz graph: Mode's look, states, kinds, and escaping.
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { describe, expect, it } from 'vitest';
import { asGraph, BEACON_FONT_FAMILY, BEACON_STATE_COLORS, renderGraphToBuffer, toDot, type BeaconState } from '../../lib/index.js';
import { awkwardApp, awkwardLabels, edge, modeTree, node, svgTexts, tutorialApp } from './fixtures.js';

describe('toDot', () => {
  it('draws a DI app: boxes in Mode greens, vee arrows from each service to what it injects', () => {
    expect(toDot(tutorialApp)).toMatchInlineSnapshot(`
      "digraph "dependencies" {
        bgcolor = "#f5fffa";
        fontname = "DejaVu Sans";
        edge [
          color = "#698b69";
          arrowhead = "vee";
          arrowsize = 0.7;
        ];
        node [
          shape = "box";
          style = "filled";
          fontname = "DejaVu Sans";
          fontsize = 14;
        ];
        "AppService" [
          label = "AppService";
          fillcolor = "#7ccd7c";
          color = "#548b54";
          tooltip = "AppService (service, running, depth 1)";
        ];
        "Websockets" [
          label = "Websockets";
          fillcolor = "#7ccd7c";
          color = "#548b54";
          tooltip = "Websockets (service, running, depth 2)";
        ];
        "Webserver" [
          label = "Webserver";
          fillcolor = "#7ccd7c";
          color = "#548b54";
          tooltip = "Webserver (service, running, depth 2, started in 3.3 ms)";
        ];
        "UserCache" [
          label = "UserCache";
          fillcolor = "#7ccd7c";
          color = "#548b54";
          tooltip = "UserCache (injectable, running, depth 2)";
          style = "filled,rounded";
        ];
        "AppService" -> "Websockets";
        "AppService" -> "Webserver";
        "AppService" -> "UserCache";
      }
      "
    `);
  });

  it('draws a Mode-style tree: owned bold, runtime dashed, declared dotted, kinds and states apart', () => {
    expect(toDot(modeTree)).toMatchInlineSnapshot(`
      "digraph "dependencies" {
        bgcolor = "#f5fffa";
        fontname = "DejaVu Sans";
        edge [
          color = "#698b69";
          arrowhead = "vee";
          arrowsize = 0.7;
        ];
        node [
          shape = "box";
          style = "filled";
          fontname = "DejaVu Sans";
          fontsize = 14;
        ];
        "Worker" [
          label = "Worker";
          fillcolor = "#7ccd7c";
          color = "#548b54";
          tooltip = "Worker (worker, running, depth 0)";
          style = "filled,bold";
        ];
        "App" [
          label = "App";
          fillcolor = "#7ccd7c";
          color = "#548b54";
          tooltip = "App (supervisor, running, depth 1)";
          peripheries = 2;
        ];
        "PageViewCache" [
          label = "PageViewCache\\nrestarts: 2";
          fillcolor = "#f08080";
          color = "#b22222";
          tooltip = "PageViewCache (service, crashed: ECONNREFUSED, depth 2)";
        ];
        "Consumer" [
          label = "Consumer";
          fillcolor = "#ffd966";
          color = "#b8860b";
          tooltip = "Consumer (service, starting, depth 2)";
        ];
        "Metrics" [
          label = "Metrics";
          fillcolor = "#d9d9d9";
          color = "#7f7f7f";
          tooltip = "Metrics (service, shutdown, depth 3)";
        ];
        "Exporter" [
          label = "Exporter";
          fillcolor = "#ffffff";
          color = "#548b54";
          tooltip = "Exporter (injectable, planned, depth 3)";
          style = "filled,rounded,dashed";
        ];
        "Worker" -> "App" [
          style = "bold";
        ];
        "App" -> "PageViewCache" [
          style = "bold";
        ];
        "App" -> "Consumer" [
          style = "dashed";
        ];
        "Consumer" -> "Metrics" [
          style = "dotted";
        ];
        "Metrics" -> "Exporter";
      }
      "
    `);
  });

  it('colours each state: running green, transitions amber, crashed red, stopped grey, planned white', () => {
    const states: BeaconState[] = ['running', 'starting', 'restarting', 'stopping', 'crashed', 'shutdown', 'planned', 'init'];
    const dot = toDot({ nodes: states.map((state) => node(state, { state })), edges: [] });
    for (const state of states) {
      expect(dot).toContain(`"${state}" [\n    label = "${state}";\n    fillcolor = "${BEACON_STATE_COLORS[state].fill}";`);
    }
    expect(BEACON_STATE_COLORS.running.fill).toBe('#7ccd7c'); // Mode's palegreen3
    expect(new Set(states.map((state) => BEACON_STATE_COLORS[state].fill)).size).toBe(6);
  });

  it('adds the restart count under the label once a service has restarted', () => {
    expect(toDot({ nodes: [node('Web', { restartCount: 3 })], edges: [] })).toContain('label = "Web\\nrestarts: 3";');
  });

  it('escapes labels and ids so any text survives Graphviz: quotes, backslashes, newlines, HTML, unicode', async () => {
    const graphviz = await Graphviz.load();
    const svg = graphviz.dot(toDot(awkwardApp), 'svg');
    const expected = awkwardLabels.flatMap((label) => label.split('\n'));
    expect(svgTexts(svg)).toEqual(expected);
    // Every node kept its own id (no two collapsed, no implicit node from a broken string).
    expect(svg.match(/class="node"/g)).toHaveLength(awkwardLabels.length);
    expect(svg.match(/class="edge"/g)).toHaveLength(awkwardLabels.length - 1);
  });

  it('folds carriage returns and turns other control characters into spaces', async () => {
    const graphviz = await Graphviz.load();
    const svg = graphviz.dot(toDot({ nodes: [node('x', { label: 'a\r\nb\tc\u0007d' })], edges: [] }), 'svg');
    expect(svgTexts(svg)).toEqual(['a', 'b c d']);
  });
});

describe('toDot at scale', () => {
  it('prints a graph of 10,000 services (past ts-graphviz default limit of AST nodes), as a snapshot and as a graph', async () => {
    const nodes = Array.from({ length: 10_000 }, (_, i) => node(`S${i}`, { depth: i === 0 ? 1 : 2 }));
    const big = { nodes, edges: nodes.slice(1).map((n) => edge('S0', n.id)) };
    const dot = toDot(big);
    expect(dot.match(/ -> /g)).toHaveLength(9_999);
    expect((await renderGraphToBuffer(asGraph(big), 'dot')).toString('utf8')).toBe(dot);
  });
});

describe('asGraph', () => {
  it('returns a ts-graphviz graph that can be changed before rendering', () => {
    const graph = asGraph(tutorialApp);
    expect(graph.directed).toBe(true);
    expect(graph.nodes.map((n) => n.id)).toEqual(['AppService', 'Websockets', 'Webserver', 'UserCache']);
    expect(graph.edges).toHaveLength(3);
    expect(graph.attributes.node.get('shape')).toBe('box');
    expect(graph.attributes.node.get('fontname')).toBe(BEACON_FONT_FAMILY);
    expect(graph.attributes.edge.get('arrowhead')).toBe('vee');
    graph.set('rankdir', 'LR');
    expect(graph.get('rankdir')).toBe('LR');
  });

  it('gives each node a tooltip with its kind, state, depth, start time and crash reason', () => {
    const graph = asGraph(modeTree);
    expect(graph.getNode('PageViewCache')?.attributes.get('tooltip')).toBe('PageViewCache (service, crashed: ECONNREFUSED, depth 2)');
    const tutorial = asGraph(tutorialApp);
    expect(tutorial.getNode('Webserver')?.attributes.get('tooltip')).toBe('Webserver (service, running, depth 2, started in 3.3 ms)');
  });
});
