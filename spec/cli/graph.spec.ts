// `mode-di graph -o` through the real CLI, in every format; and `mode-di run --graph`, written once running and again on SIGUSR2.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { svgTexts } from '../beacon/fixtures.js';
import { fixture, runCli, startCli } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'mode-di-graph-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TUTORIAL = 'samples/tutorial/app.module.ts';
const LABELS = ['Worker', 'AppService', 'Websockets', 'UserCache', 'Webserver'];

/** Runs `mode-di graph TUTORIAL -o <dir>/<name>` and returns the file's content; the app must not have started. */
async function drawTutorial(name: string): Promise<Buffer> {
  const file = join(dir, name);
  const exit = await runCli(['graph', TUTORIAL, '-o', file]);
  expect(exit.stderr).toBe('');
  expect(exit.code).toBe(0);
  expect(exit.stdout).toBe(`Wrote ${file} (4 services, planned: nothing was created or started)\n`);
  return readFileSync(file);
}

describe('mode-di graph -o', () => {
  it('draws SVG with every label, planned (white, dashed)', async () => {
    const svg = (await drawTutorial('graph.svg')).toString('utf8');
    expect(svgTexts(svg)).toEqual(LABELS);
    expect(svg).toContain('stroke-dasharray');
  });

  it('draws a PNG', async () => {
    const png = PNG.sync.read(await drawTutorial('graph.png'));
    expect(png.width).toBeGreaterThan(200);
    expect(png.height).toBeGreaterThan(200);
  });

  it('writes DOT, Mermaid and JSON', async () => {
    const dot = (await drawTutorial('graph.dot')).toString('utf8');
    expect(dot).toMatch(/^digraph "dependencies" \{/);
    for (const edge of ['"Worker" -> "AppService"', '"AppService" -> "Websockets"', '"AppService" -> "UserCache"', '"AppService" -> "Webserver"']) expect(dot).toContain(edge);

    const mmd = (await drawTutorial('graph.mmd')).toString('utf8');
    expect(mmd.split('\n').slice(0, 10)).toEqual([
      'flowchart TD',
      '  n0["Worker"]:::planned',
      '  n1["AppService"]:::planned',
      '  n2["Websockets"]:::planned',
      '  n3["UserCache"]:::planned',
      '  n4["Webserver"]:::planned',
      '  n0 ==> n1',
      '  n1 --> n2',
      '  n1 --> n3',
      '  n1 --> n4',
    ]);

    const json = JSON.parse((await drawTutorial('graph.json')).toString('utf8'));
    expect(json.nodes.map((n: { label: string; state: string; depth: number; kind: string }) => `${n.label} ${n.state} ${n.depth} ${n.kind}`)).toEqual([
      'Worker planned 0 worker',
      'AppService planned 1 service',
      'Websockets planned 2 service',
      'UserCache planned 2 service',
      'Webserver planned 2 service',
    ]);
    expect(json.edges).toEqual([
      { from: 'Worker', to: 'AppService', kind: 'owned' },
      { from: 'AppService', to: 'Websockets', kind: 'injected' },
      { from: 'AppService', to: 'UserCache', kind: 'injected' },
      { from: 'AppService', to: 'Webserver', kind: 'injected' },
    ]);
  });

  it('refuses an unknown extension and a missing -o before loading anything, and a plan error with exit 2', async () => {
    const jpg = await runCli(['graph', TUTORIAL, '-o', join(dir, 'graph.jpg')]);
    expect([jpg.code, jpg.stderr]).toEqual([2, 'mode-di: Cannot write a graph as ".jpg": unknown file extension. Supported: .svg, .png, .dot, .gv, .mmd, .json.\n']);
    const noOutput = await runCli(['graph', TUTORIAL]);
    expect(noOutput.code).toBe(2);
    expect(noOutput.stderr).toBe("mode-di: mode-di graph needs the file to draw into, e.g. -o graph.svg (.svg, .png, .dot, .mmd or .json). Run 'mode-di graph --help' for the options.\n");
    const cycle = await runCli(['graph', fixture('cycle.module.ts'), '-o', join(dir, 'cycle.svg')]);
    expect(cycle.code).toBe(2);
    expect(cycle.stderr).toMatch(/^mode-di: Dependency cycle: Reports -> Ledger -> Reports\./);
    expect(existsSync(join(dir, 'cycle.svg'))).toBe(false);
  });

  it('draws a toDynamicValue binding it cannot see into, with a warning', async () => {
    const file = join(dir, 'dynamic.json');
    const exit = await runCli(['graph', fixture('dynamic-value.module.ts'), '-o', file]);
    expect(exit.code).toBe(0);
    expect(exit.stderr).toMatch(/^mode-di: warning: report \(toDynamicValue, needed by App -> report\) makes its value in code/);
    expect(JSON.parse(readFileSync(file, 'utf8')).nodes.map((n: { label: string }) => n.label)).toEqual(['Worker', 'App', 'report', 'Database']);
  });
});

describe('mode-di run --graph', () => {
  it('writes the graph once the app runs, with running states, and again on SIGUSR2', async () => {
    const file = join(dir, 'running.json');
    const cli = startCli(['run', TUTORIAL, '--graph', file], { env: { PORT: '0', WS_PORT: '0' } });
    await cli.waitFor(`[^Worker]: Wrote the service graph to ${file}`);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(json.nodes.map((n: { label: string; state: string }) => `${n.label} ${n.state}`)).toEqual(LABELS.map((label) => `${label} running`));
    for (const node of json.nodes.slice(1)) expect(node.startDurationMs).toBeGreaterThanOrEqual(0);

    rmSync(file);
    cli.kill('SIGUSR2');
    await cli.waitFor((text) => text.split('Wrote the service graph').length === 3);
    expect(JSON.parse(readFileSync(file, 'utf8')).nodes).toHaveLength(5);

    cli.kill('SIGINT');
    expect((await cli.exited).code).toBe(0);
  });

  it('refuses a --graph file it cannot write as a usage error, before starting', async () => {
    const exit = await runCli(['run', TUTORIAL, '--graph', join(dir, 'graph.gif')], { env: { PORT: '0', WS_PORT: '0' } });
    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain('Cannot write a graph as ".gif": unknown file extension.');
    expect(exit.stdout).not.toContain('Starting...');
  });
});
