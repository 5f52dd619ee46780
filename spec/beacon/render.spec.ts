// renderGraph / renderGraphToBuffer: formats by extension, inputs, errors, and the system `dot` only when asked.
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  asGraph,
  GraphFormatError,
  GraphLayoutError,
  GraphvizNotInstalledError,
  loadGraphviz,
  renderGraph,
  renderGraphToBuffer,
  toDot,
  toJSON,
  toMermaid,
  UsageError,
  type GraphInput,
} from '../../lib/index.js';
import { graphFormatOf } from '../../lib/beacon/render.js';
import { awkwardApp, awkwardLabels, modeTree, svgTexts, tutorialApp } from './fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mode-di-render-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('graphFormatOf', () => {
  it('reads the format from the extension, in any case', () => {
    expect(['a.svg', 'a.PNG', 'x/a.dot', 'a.gv', 'a.mmd', 'a.Json'].map(graphFormatOf)).toEqual(['svg', 'png', 'dot', 'dot', 'mmd', 'json']);
  });

  it('rejects an unknown extension, naming it and the supported ones', () => {
    expect(() => graphFormatOf('graph.jpg')).toThrow(GraphFormatError);
    expect(() => graphFormatOf('graph.jpg')).toThrow('Cannot write a graph as ".jpg": unknown file extension. Supported: .svg, .png, .dot, .gv, .mmd, .json.');
    expect(() => graphFormatOf('graph')).toThrow('Cannot write a graph as "graph": the file name has no extension.');
  });
});

describe('renderGraphToBuffer', () => {
  it('lays out SVG with the bundled Graphviz, every label in it', async () => {
    const svg = (await renderGraphToBuffer(modeTree, 'svg')).toString('utf8');
    expect(svg).toMatch(/^<\?xml/);
    expect(svgTexts(svg)).toEqual(['Worker', 'App', 'PageViewCache', 'restarts: 2', 'Consumer', 'Metrics', 'Exporter']);
    expect(svg).toContain('font-family="DejaVu Sans"');
  });

  it('keeps awkward labels intact in the SVG', async () => {
    const svg = (await renderGraphToBuffer(awkwardApp, 'svg')).toString('utf8');
    expect(svgTexts(svg)).toEqual(awkwardLabels.flatMap((label) => label.split('\n')));
  });

  it('draws a ts-graphviz graph as changed by the caller, and DOT text as given', async () => {
    const graph = asGraph(tutorialApp);
    graph.set('rankdir', 'LR');
    const fromGraph = (await renderGraphToBuffer(graph, 'svg')).toString('utf8');
    const fromSnapshot = (await renderGraphToBuffer(tutorialApp, 'svg')).toString('utf8');
    expect(svgTexts(fromGraph)).toEqual(svgTexts(fromSnapshot));
    expect(fromGraph).not.toEqual(fromSnapshot);
    const fromDot = (await renderGraphToBuffer('digraph { Alpha -> Beta }', 'svg')).toString('utf8');
    expect(svgTexts(fromDot)).toEqual(['Alpha', 'Beta']);
  });

  it('writes DOT without laying anything out, and Mermaid and JSON from a snapshot', async () => {
    expect((await renderGraphToBuffer(tutorialApp, 'dot')).toString('utf8')).toBe(toDot(tutorialApp));
    expect((await renderGraphToBuffer('digraph { a }', 'dot')).toString('utf8')).toBe('digraph { a }');
    expect((await renderGraphToBuffer(tutorialApp, 'mmd')).toString('utf8')).toBe(toMermaid(tutorialApp));
    expect(JSON.parse((await renderGraphToBuffer(tutorialApp, 'json')).toString('utf8'))).toEqual(toJSON(tutorialApp));
  });

  it('refuses Mermaid and JSON for DOT text or a graph, saying what works', async () => {
    await expect(renderGraphToBuffer('digraph { a }', 'mmd')).rejects.toThrow(GraphFormatError);
    await expect(renderGraphToBuffer(asGraph(tutorialApp), 'json')).rejects.toThrow(
      'Cannot write a graph as "json": JSON is made from a BeaconSnapshot, and this input is a graph; these formats work for it. Supported: svg, png, dot.',
    );
  });

  it('rejects an unknown format, an input it cannot draw, and bad options', async () => {
    await expect(renderGraphToBuffer(tutorialApp, 'pdf' as never)).rejects.toThrow('Cannot write a graph as "pdf". Supported: svg, png, dot, mmd, json.');
    await expect(renderGraphToBuffer(42 as unknown as GraphInput, 'svg')).rejects.toThrow(UsageError);
    await expect(renderGraphToBuffer(null as unknown as GraphInput, 'svg')).rejects.toThrow('Cannot draw null: give a BeaconSnapshot');
    await expect(renderGraphToBuffer(tutorialApp, 'png', { scale: 0 })).rejects.toThrow('Invalid PNG scale 0');
    await expect(renderGraphToBuffer(tutorialApp, 'png', { scale: Number.NaN })).rejects.toThrow('Invalid PNG scale NaN');
    await expect(renderGraphToBuffer(tutorialApp, 'png', { maxPixels: -1 })).rejects.toThrow('Invalid maxPixels -1');
    await expect(renderGraphToBuffer(tutorialApp, 'svg', { engine: 'neato' as never })).rejects.toThrow('Unknown graph layout engine "neato"');
  });

  it('reports DOT that Graphviz cannot parse as a GraphLayoutError, and keeps working', async () => {
    const failure = renderGraphToBuffer('digraph { a -> }', 'svg');
    await expect(failure).rejects.toThrow(GraphLayoutError);
    await expect(failure).rejects.toThrow(/^Graphviz \(WebAssembly\) could not lay out the graph: .*syntax error/s);
    expect(svgTexts((await renderGraphToBuffer('digraph { ok }', 'svg')).toString('utf8'))).toEqual(['ok']);
  });

  it('loads the WebAssembly Graphviz once', async () => {
    expect(loadGraphviz()).toBe(loadGraphviz());
    expect(await loadGraphviz()).toBe(await loadGraphviz());
  });
});

describe('renderGraph', () => {
  it('writes each format by extension and returns the absolute path', async () => {
    for (const name of ['g.svg', 'g.png', 'g.dot', 'g.mmd', 'g.json']) {
      const written = await renderGraph(tutorialApp, join(dir, name));
      expect(written).toBe(join(dir, name));
    }
    expect(svgTexts(await readFile(join(dir, 'g.svg'), 'utf8'))).toEqual(['AppService', 'Websockets', 'Webserver', 'UserCache']);
    expect((await readFile(join(dir, 'g.png'))).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(await readFile(join(dir, 'g.dot'), 'utf8')).toBe(toDot(tutorialApp));
    expect(await readFile(join(dir, 'g.mmd'), 'utf8')).toBe(toMermaid(tutorialApp));
    expect(JSON.parse(await readFile(join(dir, 'g.json'), 'utf8'))).toEqual(toJSON(tutorialApp));
  });

  it('replaces a file whole and leaves no partial file behind', async () => {
    const file = join(dir, 'again.dot');
    await writeFile(file, 'old');
    await renderGraph(modeTree, file);
    expect(await readFile(file, 'utf8')).toBe(toDot(modeTree));
    expect((await readdir(dir)).filter((name) => name.includes('.partial'))).toEqual([]);
  });

  it('rejects an unknown extension before drawing anything', async () => {
    await expect(renderGraph(tutorialApp, join(dir, 'graph.jpeg'))).rejects.toThrow('Cannot write a graph as ".jpeg"');
    expect(await readdir(dir)).not.toContain('graph.jpeg');
  });

  it('rejects a file in a missing folder with the file system error', async () => {
    await expect(renderGraph(tutorialApp, join(dir, 'missing', 'graph.svg'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe("the system dot, only with { engine: 'dot' }", () => {
  const originalPath = process.env.PATH;
  afterEach(() => {
    process.env.PATH = originalPath;
  });

  /** A folder holding a fake `dot` (a Node script) and nothing else, put alone on the PATH. */
  async function pathWithFakeDot(script: string): Promise<void> {
    const bin = await mkdtemp(join(dir, 'bin-'));
    await writeFile(join(bin, 'dot'), `#!${process.execPath}\n${script}\n`);
    await chmod(join(bin, 'dot'), 0o755);
    process.env.PATH = bin;
  }

  it('throws GraphvizNotInstalledError when no dot is on the PATH, while the default still draws', async () => {
    process.env.PATH = await mkdtemp(join(dir, 'empty-'));
    await expect(renderGraphToBuffer(tutorialApp, 'svg', { engine: 'dot' })).rejects.toThrow(GraphvizNotInstalledError);
    await expect(renderGraphToBuffer(tutorialApp, 'png', { engine: 'dot' })).rejects.toThrow(
      'The Graphviz program "dot" is not installed (not found on the PATH).',
    );
    expect(svgTexts((await renderGraphToBuffer(tutorialApp, 'svg')).toString('utf8'))).toContain('AppService');
  });

  it('pipes the DOT text to dot -Tsvg and returns what it prints', async () => {
    await pathWithFakeDot(`
      let input = '';
      process.stdin.on('data', (chunk) => (input += chunk));
      process.stdin.on('end', () => process.stdout.write('<svg args="' + process.argv.slice(2).join(' ') + '"><text>' + input.length + '</text></svg>'));
    `);
    const svg = (await renderGraphToBuffer(tutorialApp, 'svg', { engine: 'dot' })).toString('utf8');
    expect(svg).toBe(`<svg args="-Tsvg"><text>${Buffer.byteLength(toDot(tutorialApp))}</text></svg>`);
  });

  it("reports dot's own error output when it fails", async () => {
    await pathWithFakeDot(`process.stderr.write('Error: <stdin>: syntax error in line 1'); process.exit(1);`);
    await expect(renderGraphToBuffer('digraph {', 'svg', { engine: 'dot' })).rejects.toThrow(
      'Graphviz (system dot) could not lay out the graph: Error: <stdin>: syntax error in line 1.',
    );
  });
});

describe('a beacon source', () => {
  it('is snapshotted when drawn, in every format', async () => {
    let snapshots = 0;
    const source = {
      nodes: ['not', 'a', 'snapshot'],
      snapshot() {
        snapshots++;
        return tutorialApp;
      },
    };
    expect((await renderGraphToBuffer(source, 'dot')).toString('utf8')).toBe(toDot(tutorialApp));
    expect((await renderGraphToBuffer(source, 'mmd')).toString('utf8')).toBe(toMermaid(tutorialApp));
    expect(svgTexts((await renderGraphToBuffer(source, 'svg')).toString('utf8'))).toEqual(['AppService', 'Websockets', 'Webserver', 'UserCache']);
    expect(JSON.parse(await readFile(await renderGraph(source, join(dir, 'source.json')), 'utf8'))).toEqual(toJSON(tutorialApp));
    expect(snapshots).toBe(4);
  });
});
