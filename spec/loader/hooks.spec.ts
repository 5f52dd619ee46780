// The resolve hook: NodeNext-style './x.js' imports from TypeScript find './x.ts'; everything else resolves as Node does.
import { describe, expect, it } from 'vitest';
import { resolve } from '../../lib/loader/hooks.js';

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
