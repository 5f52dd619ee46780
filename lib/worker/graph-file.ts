// `--graph <file>`: the Worker draws the beacon into a file once the app runs, and again on SIGUSR2.
import type { AppBeacon } from '../beacon/app-beacon.js';
import { renderGraph } from '../beacon/render.js';
import { describeError } from '../errors/mode-error.js';
import type { LogLevel } from '../lifecycle/state.js';

/**
 * Draws `beacon` into `file` (format by extension), with the states of the moment it is
 * called, and says how it went through `say`. Never rejects: a picture that cannot be
 * written is a warning, not a reason to stop the app.
 * @example
 * ```ts
 * app.on('app.started', () => void writeGraphFile(app.beacon, 'graph.svg', (level, message) => console.log(level, message)));
 * ```
 */
export async function writeGraphFile(beacon: AppBeacon, file: string, say: (level: LogLevel, message: string) => void): Promise<void> {
  try {
    const path = await renderGraph(beacon, file);
    say('info', `Wrote the service graph to ${path}`);
  } catch (error) {
    say('warning', `Could not write the service graph to ${file}: ${describeError(error)}`);
  }
}
