// Rasterises an SVG to PNG with resvg, drawing text in the font mode-di ships.
import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ResvgRenderOptions } from '@resvg/resvg-js';
import { BeaconFontMissingError } from '../errors/beacon.js';
import { BEACON_FONT_FAMILY } from './style.js';

/**
 * The TrueType file of {@link BEACON_FONT_FAMILY} that ships with mode-di (`fonts/` at the
 * package root, the same two folders up from `lib/beacon/` and `dist/beacon/`).
 * @example
 * ```ts
 * console.log(BEACON_FONT_FILE); // …/node_modules/mode-di/fonts/DejaVuSans.ttf
 * ```
 * @category Beacon
 */
export const BEACON_FONT_FILE = fileURLToPath(new URL('../../fonts/DejaVuSans.ttf', import.meta.url));

/**
 * How a PNG is drawn.
 * @example
 * ```ts
 * const options: RasterOptions = { scale: 1, systemFonts: false };
 * ```
 * @category Beacon
 */
export interface RasterOptions {
  /** Pixels per SVG pixel (default 2, sharp on high-density screens). */
  readonly scale?: number;
  /** A CSS colour painted behind the picture (default: the SVG's own background only). */
  readonly background?: string;
  /**
   * Also load the machine's fonts, for labels in scripts DejaVu Sans lacks (CJK). Default
   * `false`: the picture looks the same on every machine, fonts installed or not.
   */
  readonly systemFonts?: boolean;
  /**
   * The largest picture, in pixels (default 16 million, 64 MB of RGBA while it is drawn): a
   * larger one is drawn at a smaller scale to fit. For a graph of hundreds of services an SVG
   * is the better picture.
   */
  readonly maxPixels?: number;
}

const DEFAULT_SCALE = 2;
const DEFAULT_MAX_PIXELS = 16_000_000;
/** CSS pixels per point: Graphviz sizes its SVGs in points. */
const PX_PER_UNIT: Record<string, number> = { pt: 4 / 3, px: 1, '': 1, in: 96, cm: 96 / 2.54, mm: 96 / 25.4 };

/** The SVG's own size in CSS pixels, from the root element's `width` and `height`. */
function svgSize(svg: string): { width: number; height: number } | undefined {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0];
  if (!root) return undefined;
  const read = (name: string): number | undefined => {
    const match = new RegExp(`\\s${name}="([\\d.]+)(pt|px|in|cm|mm)?"`).exec(root);
    return match ? Number(match[1]) * (PX_PER_UNIT[match[2] ?? ''] ?? 1) : undefined;
  };
  const width = read('width');
  const height = read('height');
  return width && height ? { width, height } : undefined;
}

/**
 * The resvg options for a picture: only mode-di's font unless `systemFonts`, every generic
 * family mapped to it (so Graphviz's default `Times,serif` still finds a font), and the scale
 * lowered as far as `maxPixels` needs.
 * @example
 * ```ts
 * const options = resvgOptions(svg, { scale: 1 });
 * ```
 */
export function resvgOptions(svg: string, options: RasterOptions = {}): ResvgRenderOptions {
  let scale = options.scale ?? DEFAULT_SCALE;
  const size = svgSize(svg);
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (size && size.width * size.height * scale * scale > maxPixels) {
    scale = Math.sqrt(maxPixels / (size.width * size.height));
  }
  return {
    fitTo: { mode: 'zoom', value: scale },
    ...(options.background !== undefined ? { background: options.background } : {}),
    font: {
      fontFiles: [BEACON_FONT_FILE],
      loadSystemFonts: options.systemFonts ?? false,
      defaultFontFamily: BEACON_FONT_FAMILY,
      sansSerifFamily: BEACON_FONT_FAMILY,
      serifFamily: BEACON_FONT_FAMILY,
      monospaceFamily: BEACON_FONT_FAMILY,
      cursiveFamily: BEACON_FONT_FAMILY,
      fantasyFamily: BEACON_FONT_FAMILY,
    },
    logLevel: 'off',
  };
}

/** Whether the font file is there (resvg would skip a missing one silently); checked once. */
let fontChecked: Promise<void> | undefined;
function checkFont(): Promise<void> {
  fontChecked ??= access(BEACON_FONT_FILE).catch((error: unknown) => {
    fontChecked = undefined;
    throw new BeaconFontMissingError(BEACON_FONT_FILE, { cause: error });
  });
  return fontChecked;
}

/**
 * Draws an SVG document as PNG bytes, off the main thread (resvg runs in libuv's pool).
 * @example
 * ```ts
 * const png = await rasterise(svg, { scale: 1 });
 * ```
 */
export async function rasterise(svg: string, options: RasterOptions = {}): Promise<Buffer> {
  await checkFont();
  // Imported on first use: importing mode-di does not load resvg's native module.
  const { renderAsync } = await import('@resvg/resvg-js');
  const image = await renderAsync(svg, resvgOptions(svg, options));
  return image.asPng();
}
