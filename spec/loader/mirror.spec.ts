// Mirrors: imports rewritten to what they resolved to, written by the recorder, and trusted only while every file is unchanged.
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { currentMirror, hashText, manifestPath, mirrorFile } from '../../lib/loader/mirror.js';
import { MirrorRecorder, packageManifestOf, rewriteImports } from '../../lib/loader/mirror-build.js';

const original = { url: 'file:///app/app.ts', path: '/app/app.ts' };

describe('packageManifestOf', () => {
  it("names the package.json of a file's package under node_modules (scoped or not), else nothing", () => {
    expect(packageManifestOf('/a/node_modules/inversify/lib/index.js')).toBe('/a/node_modules/inversify/package.json');
    expect(packageManifestOf('/a/node_modules/x/node_modules/@s/p/dist/i.js')).toBe('/a/node_modules/x/node_modules/@s/p/package.json');
    expect(packageManifestOf('/a/src/x.js')).toBeUndefined();
  });
});

describe('rewriteImports', () => {
  it('points static imports and re-exports at the URLs they resolved to, whatever their quotes', async () => {
    const code = `import { a } from './a.js';\nimport "./side.js";\nexport * from './b.js';\nexport { c } from "pkg";\nconst s = "import('./not-code.js')";\n`;
    const targets: Record<string, string> = { './a.js': 'file:///m/a.mjs', './side.js': 'file:///app/side.js', './b.js': 'file:///m/b.mjs', pkg: 'file:///app/node_modules/pkg/index.js' };
    const result = await rewriteImports(code, (s) => targets[s], original);
    expect(result).toEqual({
      code: `import { a } from "file:///m/a.mjs";\nimport "file:///app/side.js";\nexport * from "file:///m/b.mjs";\nexport { c } from "file:///app/node_modules/pkg/index.js";\nconst s = "import('./not-code.js')";\n`,
    });
  });

  it("gives import.meta the original module's url, filename, dirname and resolutions, on the first line", async () => {
    const result = await rewriteImports('import { x } from "./x.js";\nexport const meta = import.meta;\n', () => 'file:///m/x.mjs', {
      ...original,
      resolved: new Map([['./x.js', 'file:///app/x.ts']]),
    });
    if (!('code' in result)) throw new Error(result.reason);
    const [first, second, third] = result.code.split('\n');
    expect(first).toMatch(/^const __mode_di_import_meta__ = Object\.freeze\(.*\);import \{ x \} from "file:\/\/\/m\/x\.mjs";$/);
    expect(second).toBe('export const meta = __mode_di_import_meta__;');
    expect(third).toBe('');
    const body = first!.slice(first!.indexOf('Object.freeze'), first!.lastIndexOf(';import'));
    // Evaluated outside a module: the copy's own import.meta.resolve (for bare specifiers) stubbed.
    const meta = new Function(`return ${body.replace('import.meta.resolve(s)', "'bare:' + s")}`)() as { url: string; filename: string; dirname: string; resolve(s: string): string };
    expect([meta.url, meta.filename, meta.dirname]).toEqual(['file:///app/app.ts', '/app/app.ts', '/app']);
    expect(meta.resolve('./x.js')).toBe('file:///app/x.ts');
    expect(meta.resolve('../data/y.json')).toBe('file:///data/y.json');
    expect(meta.resolve('pkg')).toBe('bare:pkg');
  });

  it('refuses a dynamic import, or an import that was never resolved', async () => {
    expect(await rewriteImports("const m = await import('./lazy.js');", () => 'file:///x', original)).toEqual({ reason: "a dynamic import (import('./lazy.js'))" });
    expect(await rewriteImports("import './a.js';", () => undefined, original)).toEqual({ reason: 'the import of ./a.js was not resolved' });
  });
});

/** A recorded two-module app (entry imports dep.ts and a package file) in a scratch folder. */
function recordedApp() {
  const root = mkdtempSync(join(tmpdir(), 'mode-di-mirror-spec-'));
  const cache = join(root, 'cache');
  mkdirSync(join(root, 'node_modules', 'pkg'), { recursive: true });
  const entry = join(root, 'app.ts');
  const dep = join(root, 'dep.ts');
  const pkg = join(root, 'node_modules', 'pkg', 'index.js');
  writeFileSync(entry, "import { dep } from './dep.js';\nimport { p } from 'pkg';\nexport default [dep, p];\n");
  writeFileSync(dep, 'export const dep: number = 1;\n');
  writeFileSync(pkg, 'export const p = 2;\n');
  writeFileSync(join(root, 'node_modules', 'pkg', 'package.json'), '{ "name": "pkg", "type": "module", "exports": "./index.js" }\n');
  const [entryUrl, depUrl, pkgUrl] = [entry, dep, pkg].map((p) => pathToFileURL(p).href) as [string, string, string];
  const recorder = new MirrorRecorder(cache, 'key-1');
  recorder.compiled(entryUrl, entry, readFileSync(entry, 'utf8'), "import { dep } from './dep.js';\nimport { p } from 'pkg';\nexport default [dep, p];\n");
  recorder.compiled(depUrl, dep, readFileSync(dep, 'utf8'), 'export const dep = 1;\n');
  recorder.resolved(entryUrl, './dep.js', depUrl);
  recorder.resolved(entryUrl, 'pkg', pkgUrl);
  return { root, cache, entry, dep, pkg, entryUrl, recorder };
}

describe('MirrorRecorder and currentMirror', () => {
  it('writes the mirror and its manifest; the mirror is current, and imports run as the app would', async () => {
    const app = recordedApp();
    expect(await app.recorder.build(app.entryUrl)).toBeUndefined();
    const url = currentMirror(app.cache, app.entry, 'key-1');
    expect(url).toBe(pathToFileURL(mirrorFile(app.cache, app.entry)).href);
    expect(readFileSync(mirrorFile(app.cache, app.entry), 'utf8')).toContain(`from ${JSON.stringify(pathToFileURL(mirrorFile(app.cache, app.dep)).href)}`);
    expect(((await import(url!)) as { default: number[] }).default).toEqual([1, 2]);
  });

  it('is not current after a source edit, a changed package file or package.json, a missing mirror file, or under another key', async () => {
    const stale: Array<(app: ReturnType<typeof recordedApp>) => void> = [
      (app) => writeFileSync(app.dep, 'export const dep: number = 3;\n'),
      (app) => utimesSync(app.pkg, new Date(), new Date(Date.now() + 5000)),
      (app) => writeFileSync(join(app.root, 'node_modules', 'pkg', 'package.json'), '{ "name": "pkg", "type": "module", "exports": "./next.js" }\n'),
      (app) => writeFileSync(mirrorFile(app.cache, app.dep), ''),
      (app) => writeFileSync(manifestPath(app.cache, app.entry), '{ not json'),
    ];
    for (const change of stale) {
      const app = recordedApp();
      expect(await app.recorder.build(app.entryUrl)).toBeUndefined();
      expect(currentMirror(app.cache, app.entry, 'key-2')).toBeUndefined();
      expect(currentMirror(app.cache, app.entry, 'key-1')).toBeDefined();
      change(app);
      expect(currentMirror(app.cache, app.entry, 'key-1')).toBeUndefined();
    }
  });

  it('writes no mirror when the graph needs the hooks (a dynamic import, or JavaScript importing TypeScript)', async () => {
    const lazy = recordedApp();
    lazy.recorder.compiled(pathToFileURL(lazy.dep).href, lazy.dep, 'x', "export const dep = await import('./later.js');\n");
    expect(await lazy.recorder.build(lazy.entryUrl)).toBe(`${lazy.dep} has a dynamic import (import('./later.js'))`);
    expect(currentMirror(lazy.cache, lazy.entry, 'key-1')).toBeUndefined();
    const mixed = recordedApp();
    mixed.recorder.unsafe('/app/util.js (JavaScript) imports TypeScript');
    expect(await mixed.recorder.build(mixed.entryUrl)).toBe('/app/util.js (JavaScript) imports TypeScript');
  });

  it('hashes text stably and tells edits apart', () => {
    expect(hashText('export const a = 1;')).toBe(hashText('export const a = 1;'));
    expect(hashText('export const a = 1;')).not.toBe(hashText('export const a = 2;'));
  });
});
