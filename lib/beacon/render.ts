// Pictures of the service graph: SVG, PNG, DOT, Mermaid or JSON, written by file extension.
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { isRootGraphModel, toDot as printDot, type RootGraphModel } from 'ts-graphviz';
import { GraphFormatError } from '../errors/beacon.js';
import { UsageError } from '../errors/usage.js';
import { PRINT_ANY_SIZE, toDot } from './dot.js';
import { toJSON } from './json.js';
import { layoutSvg, type LayoutEngine } from './layout.js';
import { toMermaid } from './mermaid.js';
import { rasterise, type RasterOptions } from './raster.js';
import { isBeaconSnapshot, isBeaconSource, type BeaconSnapshot, type BeaconSource } from './snapshot.js';

/**
 * What can be drawn: a {@link BeaconSnapshot}, a {@link BeaconSource} (snapshotted when drawn),
 * a ts-graphviz graph (from `asGraph` or your own), or DOT text.
 * @example
 * ```ts
 * const input: GraphInput = 'digraph { AppService -> Webserver }';
 * ```
 * @category Beacon
 */
export type GraphInput = BeaconSnapshot | BeaconSource | RootGraphModel | string;

/**
 * The formats a graph can be written in. `mmd` (Mermaid) and `json` need a snapshot.
 * @example
 * ```ts
 * const format: GraphFormat = 'svg';
 * ```
 * @category Beacon
 */
export type GraphFormat = 'svg' | 'png' | 'dot' | 'mmd' | 'json';

/**
 * How a picture is made; the PNG options are those of {@link RasterOptions}.
 * @example
 * ```ts
 * await renderGraph(snapshot, 'graph.png', { scale: 1, engine: 'wasm' });
 * ```
 * @category Beacon
 */
export interface RenderOptions extends RasterOptions {
  /**
   * `wasm` (default) lays out with the WebAssembly Graphviz bundled from npm; `dot` runs the
   * system's Graphviz (`dot` on the PATH), throwing `GraphvizNotInstalledError` without it.
   */
  readonly engine?: LayoutEngine;
}

/** File extensions and the format each writes. */
const EXTENSIONS: Readonly<Record<string, GraphFormat>> = {
  '.svg': 'svg',
  '.png': 'png',
  '.dot': 'dot',
  '.gv': 'dot',
  '.mmd': 'mmd',
  '.json': 'json',
};
const FORMATS: readonly GraphFormat[] = ['svg', 'png', 'dot', 'mmd', 'json'];

/**
 * The format a file name asks for, by its extension (case-insensitive). Throws
 * {@link GraphFormatError} naming the extension and the supported ones.
 * @example
 * ```ts
 * graphFormatOf('out/graph.PNG'); // 'png'
 * ```
 */
export function graphFormatOf(file: string): GraphFormat {
  const extension = extname(file).toLowerCase();
  const format = EXTENSIONS[extension];
  if (!format) throw new GraphFormatError(extension || file, Object.keys(EXTENSIONS), extension ? 'unknown file extension' : 'the file name has no extension');
  return format;
}

/** Checks options a caller may have built from user input (a CLI flag, a config file). */
function checkOptions(options: RenderOptions): void {
  const { engine, scale, maxPixels } = options;
  if (engine !== undefined && engine !== 'wasm' && engine !== 'dot') {
    throw new UsageError(`Unknown graph layout engine ${JSON.stringify(engine)}: use 'wasm' (bundled) or 'dot' (the system's Graphviz).`);
  }
  if (scale !== undefined && !(Number.isFinite(scale) && scale > 0)) {
    throw new UsageError(`Invalid PNG scale ${String(scale)}: give a positive number (1 draws at the SVG's own size).`);
  }
  if (maxPixels !== undefined && !(Number.isFinite(maxPixels) && maxPixels >= 1)) {
    throw new UsageError(`Invalid maxPixels ${String(maxPixels)}: give a positive number of pixels.`);
  }
}

/** The input with a source replaced by its snapshot, taken now. */
function settle(input: GraphInput): BeaconSnapshot | RootGraphModel | string {
  if (typeof input === 'string' || isRootGraphModel(input)) return input;
  // A source first: a live beacon may also have `nodes` and `edges` of its own shape.
  if (isBeaconSource(input)) return input.snapshot();
  if (isBeaconSnapshot(input)) return input;
  throw new UsageError(
    `Cannot draw ${input === null ? 'null' : typeof input}: give a BeaconSnapshot, a beacon (with snapshot()), a ts-graphviz graph (asGraph(snapshot)) or DOT text.`,
  );
}

/** DOT text for any input. */
function dotOf(input: BeaconSnapshot | RootGraphModel | string): string {
  if (typeof input === 'string') return input;
  if (isRootGraphModel(input)) return `${printDot(input, PRINT_ANY_SIZE)}\n`;
  return toDot(input);
}

/** The snapshot behind `input`, for the formats that need one. */
function snapshotFor(input: BeaconSnapshot | RootGraphModel | string, format: 'mmd' | 'json'): BeaconSnapshot {
  if (typeof input !== 'string' && !isRootGraphModel(input)) return input;
  throw new GraphFormatError(format, ['svg', 'png', 'dot'], `${format === 'mmd' ? 'Mermaid' : 'JSON'} is made from a BeaconSnapshot, and this input is ${typeof input === 'string' ? 'DOT text' : 'a graph'}; these formats work for it`);
}

/**
 * The graph in `format`, as bytes: SVG and PNG are laid out by Graphviz (the bundled
 * WebAssembly one unless `{ engine: 'dot' }`), PNG drawn by resvg in the font mode-di ships.
 * @example
 * ```ts
 * const svg = (await renderGraphToBuffer(snapshot, 'svg')).toString('utf8');
 * ```
 * @category Beacon
 */
export async function renderGraphToBuffer(source: GraphInput, format: GraphFormat, options: RenderOptions = {}): Promise<Buffer> {
  if (!FORMATS.includes(format)) throw new GraphFormatError(String(format), FORMATS);
  checkOptions(options);
  const input = settle(source);
  switch (format) {
    case 'dot':
      return Buffer.from(dotOf(input), 'utf8');
    case 'mmd':
      return Buffer.from(toMermaid(snapshotFor(input, format)), 'utf8');
    case 'json':
      return Buffer.from(`${JSON.stringify(toJSON(snapshotFor(input, format)), null, 2)}\n`, 'utf8');
    case 'svg':
      return Buffer.from(await layoutSvg(dotOf(input), options.engine ?? 'wasm'), 'utf8');
    case 'png':
      return rasterise(await layoutSvg(dotOf(input), options.engine ?? 'wasm'), options);
  }
}

/**
 * Draws the graph into `file`, in the format its extension names (`.svg`, `.png`, `.dot` or
 * `.gv`, `.mmd`, `.json`); returns the file's absolute path. The file is replaced whole (written
 * beside it, then renamed), so a viewer never sees half a picture.
 * @example
 * ```ts
 * await renderGraph(snapshot, 'graph.png');
 * ```
 * @category Beacon
 */
export async function renderGraph(input: GraphInput, file: string, options: RenderOptions = {}): Promise<string> {
  const bytes = await renderGraphToBuffer(input, graphFormatOf(file), options);
  const path = resolve(file);
  const partial = `${path}.${randomBytes(4).toString('hex')}.partial`;
  try {
    await writeFile(partial, bytes);
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return path;
}
