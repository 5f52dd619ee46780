// The resolve hook: NodeNext-style './x.js' imports from TypeScript find './x.ts'; everything else resolves as Node does.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { resolve } from '../../lib/loader/hooks.js';
import { currentMirror } from '../../lib/loader/mirror.js';

const files = new Set(['file:///app/cache.ts', 'file:///app/util.js', 'file:///app/lib/index.ts', 'file:///app/helper.ts']);

async function next(specifier: string, context?: { parentURL?: string }) {
  const url = new URL(specifier, context?.parentURL ?? 'file:///').href;
  if (/^\.{0,2}\//.test(specifier) && !files.has(url)) throw Object.assign(new Error(`Cannot find module '${url}'`), { code: 'ERR_MODULE_NOT_FOUND' });
  return { url: /^\.{0,2}\//.test(specifier) ? url : `file:///node_modules/${specifier}/index.js` };
}

const fromTs = { parentURL: 'file:///app/app.ts', conditions: [] };
const fromJs = { parentURL: 'file:///app/app.js', conditions: [] };

describe('resolve hook', () => {
  it("maps './x.js' to './x.ts' when only the .ts exists", async () => {
    expect((await resolve('./cache.js', fromTs, next)).url).toBe('file:///app/cache.ts');
  });
  it('prefers a .js file that exists', async () => {
    expect((await resolve('./util.js', fromTs, next)).url).toBe('file:///app/util.js');
  });
  it('finds extensionless imports and folder indexes', async () => {
    expect((await resolve('./helper', fromTs, next)).url).toBe('file:///app/helper.ts');
    expect((await resolve('./lib', fromTs, next)).url).toBe('file:///app/lib/index.ts');
  });
  it('leaves bare specifiers and JavaScript importers to Node', async () => {
    expect((await resolve('inversify', fromTs, next)).url).toBe('file:///node_modules/inversify/index.js');
    await expect(resolve('./cache.js', fromJs, next)).rejects.toThrow(/Cannot find module 'file:\/\/\/app\/cache\.js'/);
  });
  it("reports Node's own error when nothing matches", async () => {
    await expect(resolve('./missing.js', fromTs, next)).rejects.toThrow(/Cannot find module 'file:\/\/\/app\/missing\.js'/);
  });
});

describe('recording for the mirror', () => {
  /** A fresh copy of the hooks, initialized as the loader thread would be, and a way to ask for a mirror. */
  async function loaderThread(cacheDir: string) {
    vi.resetModules();
    const hooks = await import('../../lib/loader/hooks.js');
    const { port1, port2 } = new MessageChannel();
    hooks.initialize({ cacheDir, mirror: { port: port2, key: 'k' } });
    const ask = (url: string) =>
      new Promise<string | undefined>((done) => {
        port1.once('message', (m: { reason?: string }) => {
          port1.close();
          done(m.reason);
        });
        port1.postMessage({ mirror: url });
      });
    return { hooks, ask };
  }
  const onDisk = async (specifier: string, context?: { parentURL?: string }) => ({ url: new URL(specifier, context?.parentURL).href });
  const noLoad = () => Promise.reject(new Error('TypeScript is loaded by the hook itself'));

  function project() {
    const dir = mkdtempSync(join(tmpdir(), 'mode-di-hooks-spec-'));
    writeFileSync(join(dir, 'app.ts'), "import { dep } from './dep.js';\nexport default dep satisfies number;\n");
    writeFileSync(join(dir, 'dep.ts'), 'export const dep: number = 1;\n');
    return { dir, cache: join(dir, 'cache'), app: pathToFileURL(join(dir, 'app.ts')).href, dep: pathToFileURL(join(dir, 'dep.ts')).href };
  }

  it('records what it compiles and how imports resolve, and writes the mirror when asked', async () => {
    const p = project();
    const { hooks, ask } = await loaderThread(p.cache);
    await hooks.load(p.app, { conditions: [] }, noLoad);
    expect((await hooks.resolve('./dep.js', { parentURL: p.app, conditions: [] }, (s, c) => onDisk(s.replace('.js', '.ts'), c))).url).toBe(p.dep);
    await hooks.load(p.dep, { conditions: [] }, noLoad);
    expect(await ask(p.app)).toBeUndefined();
    const mirror = currentMirror(p.cache, join(p.dir, 'app.ts'), 'k');
    expect(mirror).toBeDefined();
    expect(((await import(mirror!)) as { default: number }).default).toBe(1);
  });

  it('writes none when JavaScript outside mode-di imports TypeScript (only the hooks can load that)', async () => {
    const p = project();
    const { hooks, ask } = await loaderThread(p.cache);
    await hooks.load(p.app, { conditions: [] }, noLoad);
    await hooks.resolve('./dep.ts', { parentURL: pathToFileURL(join(p.dir, 'util.js')).href, conditions: [] }, onDisk);
    expect(await ask(p.app)).toBe(`${join(p.dir, 'util.js')} (JavaScript) imports TypeScript`);
    expect(existsSync(join(p.cache, 'mirror'))).toBe(false);
  });
});
