// `mode-di graph <module> -o file`: draws the app's graph as `start()` would build it, without creating or starting anything.
import { graphFormatOf, renderGraph } from '../beacon/render.js';
import { snapshotOfPlan } from '../beacon/graph-snapshot.js';
import { UnseenDependenciesError } from '../errors/plan.js';
import { UsageError } from '../errors/usage.js';
import { readCommandArgs } from './command-args.js';
import { loadApplication } from './load-app.js';
import { checkSeenDependencies } from './plan-command.js';

/**
 * Runs `mode-di graph <module> -o <file> [--engine wasm|dot]` with the words after `graph`:
 * loads the module, plans its graph (nothing created or started: every node `planned`, the
 * Worker at the root, as `mode-di run` would run it) and draws it into the file, in the
 * format its extension names. A `toDynamicValue` binding with no declared dependencies is
 * drawn, with a warning on stderr (`mode-di plan` refuses it).
 * @example
 * ```ts
 * await graphCommand(['samples/tutorial/app.module.ts', '-o', 'docs/tutorial-graph.svg']);
 * ```
 * @throws a `PlanError` (cycle, missing binding, scope) or a `UsageError` (bad option, module that cannot be loaded): the CLI exits 2.
 */
export async function graphCommand(
  argv: readonly string[],
  print: (text: string) => void = (t) => process.stdout.write(t),
  warn: (text: string) => void = (t) => process.stderr.write(t),
): Promise<void> {
  const args = await readCommandArgs('graph', argv, (y) =>
    y
      .usage('mode-di graph <module> -o <file> [options]\n\nDraw the service graph of the app in <module> without creating or starting anything.')
      .option('output', { alias: 'o', type: 'string', requiresArg: true, describe: 'The file to write: .svg, .png, .dot, .mmd (Mermaid) or .json' })
      .option('engine', { choices: ['wasm', 'dot'], default: 'wasm', describe: "Lay out with the bundled WebAssembly Graphviz, or the system's dot" })
      .example('mode-di graph ./app.module.ts -o graph.svg', 'Draw the graph as SVG')
      .example('mode-di graph ./app.module.ts -o graph.mmd', 'Write a Mermaid flowchart for a README')
      .epilogue('Exit status: 0 drawn; 2 a cycle, a missing binding, a lifecycle class not bound as a singleton, a bad option, or a module that cannot be loaded.'),
  );
  if (!args) return;
  const output = args.options['output'];
  if (typeof output !== 'string' || output.trim() === '') {
    throw new UsageError("mode-di graph needs the file to draw into, e.g. -o graph.svg (.svg, .png, .dot, .mmd or .json). Run 'mode-di graph --help' for the options.");
  }
  graphFormatOf(output); // a bad extension is reported before the module loads
  const { app } = await loadApplication(args.module);
  const plan = await app.plan();
  try {
    checkSeenDependencies(plan);
  } catch (error) {
    if (!(error instanceof UnseenDependenciesError)) throw error;
    warn(`mode-di: warning: ${error.message}\n`);
  }
  const snapshot = snapshotOfPlan(plan, { label: 'Worker', state: 'planned' });
  const path = await renderGraph(snapshot, output, { engine: args.options['engine'] as 'wasm' | 'dot' });
  print(`Wrote ${path} (${plan.services.length} services, planned: nothing was created or started)\n`);
}
