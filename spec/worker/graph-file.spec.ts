// The Worker's graph option: drawn once running (the root is the Worker), redrawn by dump(), a file it cannot write only warned about.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerModule, injectable } from 'inversify';
import { afterAll, describe, expect, it } from 'vitest';
import { GraphFormatError, UsageError } from '../../lib/errors/index.js';
import { Service } from '../../lib/service/service.js';
import { Worker } from '../../lib/worker/worker.js';
import { harness } from '../support/worker-harness.js';

@injectable()
class Db extends Service {}
@injectable()
class Api extends Service {
  constructor(readonly db: Db) {
    super();
  }
}
const appModule = () =>
  new ContainerModule(({ bind }) => {
    bind(Api).toSelf().inSingletonScope();
    bind(Db).toSelf().inSingletonScope();
  });

const dir = mkdtempSync(join(tmpdir(), 'mode-di-worker-graph-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Worker graph option', () => {
  it('draws the graph once running, with the Worker at the root, and again on dump()', async () => {
    const file = join(dir, 'graph.json');
    const h = harness(appModule(), { graph: file });
    const status = h.worker.run();
    await h.until(`[^Worker]: Wrote the service graph to ${file}`);
    const first = JSON.parse(readFileSync(file, 'utf8'));
    expect(first.nodes.map((n: { label: string; state: string; depth: number }) => `${n.label} ${n.state} ${n.depth}`)).toEqual(['Worker running 0', 'Api running 1', 'Db running 2']);
    expect(h.worker.app.beacon.label).toBe('Worker');

    rmSync(file);
    h.worker.dump();
    await new Promise<void>((resolve) => {
      const check = () => (h.out().split('Wrote the service graph').length === 3 ? resolve() : setImmediate(check));
      check();
    });
    expect(JSON.parse(readFileSync(file, 'utf8')).nodes).toHaveLength(3);
    await h.worker.stop();
    expect(await status).toBe(0);
  });

  it('warns, and keeps running, when the file cannot be written', async () => {
    const file = join(dir, 'no-such-folder', 'graph.svg');
    const h = harness(appModule(), { graph: file });
    const status = h.worker.run();
    await h.until(`[^Worker]: Could not write the service graph to ${file}:`);
    expect(h.out()).toContain(': WARNING]: [^Worker]: Could not write the service graph');
    expect(h.worker.app.state).toBe('running');
    await h.worker.stop();
    expect(await status).toBe(0);
  });

  it('refuses a file name it cannot draw into, naming the supported extensions', () => {
    expect(() => new Worker(appModule(), { graph: 'graph.gif' })).toThrow(GraphFormatError);
    expect(() => new Worker(appModule(), { graph: ' ' })).toThrow(new UsageError('The graph option needs a file path, e.g. graph: "graph.svg".'));
  });
});
