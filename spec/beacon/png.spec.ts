// PNG pictures: a valid file whose labels are really drawn, with no `dot` on the PATH and no system fonts.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BEACON_FONT_FAMILY, BEACON_FONT_FILE, renderGraphToBuffer } from '../../lib/index.js';
import { resvgOptions } from '../../lib/beacon/raster.js';
import { node, tutorialApp } from './fixtures.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const oneNode = { nodes: [node('Webserver')], edges: [] };

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The node's box in PNG pixels, from the SVG's polygon, graph transform and viewBox. */
function nodeBox(svg: string, pngWidth: number): Box {
  const [, , viewWidth] = /viewBox="([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)"/.exec(svg)!.slice(1).map(Number);
  const [tx, ty] = /translate\(([-\d.]+) ([-\d.]+)\)/.exec(svg)!.slice(1).map(Number);
  const points = /<polygon fill="#7ccd7c"[^>]* points="([^"]+)"/.exec(svg)![1]!.split(' ').map((p) => p.split(',').map(Number));
  const scale = pngWidth / viewWidth!;
  const xs = points.map(([x]) => (x! + tx!) * scale);
  const ys = points.map(([, y]) => (y! + ty!) * scale);
  return { left: Math.min(...xs), top: Math.min(...ys), right: Math.max(...xs), bottom: Math.max(...ys) };
}

/** Pixels dark enough to be text (black glyphs; fills, borders and edges are all lighter). */
function darkPixels(png: PNG, inside: Box | undefined, wantInside: boolean): { count: number; box: Box } {
  let count = 0;
  const box = { left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity };
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const isInside = inside !== undefined && x >= inside.left && x <= inside.right && y >= inside.top && y <= inside.bottom;
      if (isInside !== wantInside) continue;
      const at = (y * png.width + x) * 4;
      if (png.data[at]! < 80 && png.data[at + 1]! < 80 && png.data[at + 2]! < 80 && png.data[at + 3]! > 200) {
        count++;
        box.left = Math.min(box.left, x);
        box.right = Math.max(box.right, x);
        box.top = Math.min(box.top, y);
        box.bottom = Math.max(box.bottom, y);
      }
    }
  }
  return { count, box };
}

describe('PNG', () => {
  const originalPath = process.env.PATH;
  let emptyBin: string;
  beforeAll(async () => {
    // No Graphviz program can be found: everything below lays out with the bundled WebAssembly.
    emptyBin = await mkdtemp(join(tmpdir(), 'mode-di-no-dot-'));
    process.env.PATH = emptyBin;
  });
  afterAll(async () => {
    process.env.PATH = originalPath;
    await rm(emptyBin, { recursive: true, force: true });
  });

  it('runs with no dot on the PATH', () => {
    expect(spawnSync('dot', ['-V']).error).toMatchObject({ code: 'ENOENT' });
  });

  it('is a valid PNG: signature, then an IHDR of the drawn size', async () => {
    const png = await renderGraphToBuffer(tutorialApp, 'png', { systemFonts: false });
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(png.readUInt32BE(8)).toBe(13);
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    const decoded = PNG.sync.read(png);
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([decoded.width, decoded.height]);
    expect(decoded.width).toBeGreaterThan(300);
  });

  it('draws the label inside its box with the shipped font and system fonts off', async () => {
    const svg = (await renderGraphToBuffer(oneNode, 'svg')).toString('utf8');
    expect(svg).toContain(`font-family="${BEACON_FONT_FAMILY}"`);
    expect(resvgOptions(svg, { systemFonts: false }).font).toMatchObject({ loadSystemFonts: false, fontFiles: [BEACON_FONT_FILE] });
    const png = PNG.sync.read(await renderGraphToBuffer(oneNode, 'png', { systemFonts: false }));
    const box = nodeBox(svg, png.width);
    const text = darkPixels(png, box, true);
    expect(text.count).toBeGreaterThan(200);
    // The glyphs span most of the box's width (the box is sized to the text), centred in it.
    expect(text.box.right - text.box.left).toBeGreaterThan((box.right - box.left) * 0.6);
    expect(Math.abs((text.box.left + text.box.right) / 2 - (box.left + box.right) / 2)).toBeLessThan(6);
    expect(darkPixels(png, box, false).count).toBe(0);
  });

  it('would be blank without the shipped font (what the check above guards against)', async () => {
    const svg = (await renderGraphToBuffer(oneNode, 'svg')).toString('utf8');
    const withoutFont = new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: false }, logLevel: 'off' });
    const png = PNG.sync.read(withoutFont.render().asPng());
    expect(darkPixels(png, nodeBox(svg, png.width), true).count).toBe(0);
  });

  it('draws DOT that names another font (Times by default) in the shipped font', async () => {
    const png = PNG.sync.read(await renderGraphToBuffer('digraph { node [shape=box style=filled fillcolor="#7ccd7c"]; Webserver }', 'png'));
    const svg = (await renderGraphToBuffer('digraph { node [shape=box style=filled fillcolor="#7ccd7c"]; Webserver }', 'svg')).toString('utf8');
    expect(svg).toContain('font-family="Times,serif"');
    expect(darkPixels(png, nodeBox(svg, png.width), true).count).toBeGreaterThan(200);
  });

  it('draws at the scale asked, and smaller when the picture would pass maxPixels', async () => {
    const one = PNG.sync.read(await renderGraphToBuffer(oneNode, 'png', { scale: 1 }));
    const three = PNG.sync.read(await renderGraphToBuffer(oneNode, 'png', { scale: 3 }));
    expect(three.width).toBeCloseTo(one.width * 3, -1);
    const capped = PNG.sync.read(await renderGraphToBuffer(oneNode, 'png', { scale: 3, maxPixels: one.width * one.height }));
    expect(capped.width * capped.height).toBeLessThanOrEqual(one.width * one.height * 1.05);
  });

  it('paints the background asked for behind a transparent picture', async () => {
    const transparent = 'digraph { bgcolor=transparent; a }';
    const plain = PNG.sync.read(await renderGraphToBuffer(transparent, 'png'));
    const white = PNG.sync.read(await renderGraphToBuffer(transparent, 'png', { background: 'white' }));
    expect(plain.data[3]).toBe(0);
    expect([...white.data.subarray(0, 4)]).toEqual([255, 255, 255, 255]);
  });
});
