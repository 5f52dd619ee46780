// Mode's look for the beacon (boxes, filled, vee arrows, greens), coloured by state.
import type { EdgeKind } from '../lifecycle/graph.js';
import type { BeaconNodeKind, BeaconState } from './snapshot.js';

/**
 * The font family the pictures are drawn in. Its TrueType file ships with mode-di
 * (`fonts/DejaVuSans.ttf`), so labels render on a machine with no fonts at all, and Graphviz
 * knows its metrics, so boxes fit their labels.
 * @example
 * ```ts
 * console.log(BEACON_FONT_FAMILY); // 'DejaVu Sans'
 * ```
 * @category Beacon
 */
export const BEACON_FONT_FAMILY = 'DejaVu Sans';

/**
 * The fill and border colour of a node in each state. Running is Mode's green
 * (palegreen3 / palegreen4); transitions are amber, a crash red, a stopped service grey, and a
 * planned (never started) one white.
 * @example
 * ```ts
 * console.log(BEACON_STATE_COLORS.crashed.fill); // '#f08080'
 * ```
 * @category Beacon
 */
export const BEACON_STATE_COLORS: Readonly<
  Record<
    BeaconState,
    {
      /** The box's fill colour. */
      readonly fill: string;
      /** The box's border colour. */
      readonly border: string;
    }
  >
> = {
  planned: { fill: '#ffffff', border: '#548b54' },
  init: { fill: '#f0fff0', border: '#548b54' },
  starting: { fill: '#ffd966', border: '#b8860b' },
  restarting: { fill: '#ffd966', border: '#b8860b' },
  stopping: { fill: '#ffd966', border: '#b8860b' },
  running: { fill: '#7ccd7c', border: '#548b54' },
  crashed: { fill: '#f08080', border: '#b22222' },
  shutdown: { fill: '#d9d9d9', border: '#7f7f7f' },
};

/** Mode's graph background: mintcream. */
export const BEACON_BACKGROUND = '#f5fffa';
/** Mode's edge colour: darkseagreen4. */
export const BEACON_EDGE_COLOR = '#698b69';

/**
 * How each kind of dependency is drawn in DOT: injected solid, owned (Mode's
 * `addDependency`) bold, runtime (`addRuntimeDependency`) dashed, declared (`@dependsOn`) dotted.
 * @example
 * ```ts
 * console.log(BEACON_EDGE_STYLES.runtime); // 'dashed'
 * ```
 * @category Beacon
 */
export const BEACON_EDGE_STYLES: Readonly<Record<EdgeKind, 'solid' | 'bold' | 'dashed' | 'dotted'>> = {
  injected: 'solid',
  owned: 'bold',
  runtime: 'dashed',
  declared: 'dotted',
};

/**
 * Extra DOT node styles by kind: a plain injectable is rounded, a supervisor double-bordered,
 * the worker (the root) bold.
 * @example
 * ```ts
 * kindStyle('supervisor'); // { styles: [], peripheries: 2 }
 * ```
 */
export function kindStyle(kind: BeaconNodeKind): { styles: readonly string[]; peripheries: number } {
  if (kind === 'injectable') return { styles: ['rounded'], peripheries: 1 };
  if (kind === 'supervisor') return { styles: [], peripheries: 2 };
  if (kind === 'worker') return { styles: ['bold'], peripheries: 1 };
  return { styles: [], peripheries: 1 };
}
