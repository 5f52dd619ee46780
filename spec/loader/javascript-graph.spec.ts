// JavaScript app modules: the loader thread only when something they reach is TypeScript.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { whyLoaderIsNeeded } from '../../lib/loader/javascript-graph.js';
import { ROOT, startCli } from '../cli/harness.js';

/** A folder with `files` written into it. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mode-di-js-graph-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('whyLoaderIsNeeded', () => {
  it('finds nothing to compile in JavaScript that imports JavaScript, JSON, packages and built-ins (through cycles)', () => {
    const dir = folder({
      'main.mjs': "import './a.js';\nimport data from './data.json' with { type: 'json' };\nimport { readFileSync } from 'node:fs';\nimport { ContainerModule } from 'inversify';\nexport default data;\n",
      'a.js': "export * from './b.mjs';\nexport const meta = import.meta.url;\n",
      'b.mjs': "import './a.js';\nexport const b = await import('./c.cjs');\n",
      'c.cjs': "module.exports = require('./ts-file.ts');\n", // a require is not the hooks' business
      'data.json': '{}',
    });
    expect(whyLoaderIsNeeded(join(dir, 'main.mjs'))).toBeUndefined();
  });

  it('names the JavaScript file that imports TypeScript, however deep', () => {
    const dir = folder({ 'main.mjs': "import './a.js';\n", 'a.js': "import { x } from './lib/x.ts';\nexport { x };\n", 'lib/x.ts': 'export const x: number = 1;\n' });
    expect(whyLoaderIsNeeded(join(dir, 'main.mjs'))).toBe(`${join(dir, 'a.js')} imports ${join(dir, 'lib/x.ts')} (TypeScript)`);
  });

  it('sees TypeScript behind a literal import(), an export … from, a query string and a file: URL', () => {
    const cases = {
      'dynamic.mjs': "export const load = () => import('./x.mts');\n",
      'reexport.mjs': "export { x } from './x.mts';\n",
      'query.mjs': "import './x.mts?v=2';\n",
      'url.mjs': 'import "FILE";\n',
    };
    for (const [name, text] of Object.entries(cases)) {
      const dir = folder({ 'x.mts': 'export const x = 1;\n' });
      writeFileSync(join(dir, name), text.replace('FILE', `file://${join(dir, 'x.mts')}`));
      expect(whyLoaderIsNeeded(join(dir, name)), name).toBe(`${join(dir, name)} imports ${join(dir, 'x.mts')} (TypeScript)`);
    }
  });

  it('reads imports written without spaces or across lines, and skips import.meta', () => {
    const dir = folder({
      'main.mjs': "import{a}from'./a.js';\nexport {\n  b,\n} from\n  \"./b.js\";\nimport'./c.js';\nconst m = import.meta.url;\nexport const d = await import (\n  './d.js',\n  { with: {} });\n",
      'a.js': 'export const a = 1;\n',
      'b.js': 'export const b = 1;\n',
      'c.js': 'export {};\n',
      'd.js': "import './deep.mts';\n",
      'deep.mts': 'export {};\n',
    });
    expect(whyLoaderIsNeeded(join(dir, 'main.mjs'))).toBe(`${join(dir, 'd.js')} imports ${join(dir, 'deep.mts')} (TypeScript)`);
  });

  it('keeps the loader when it cannot know: an import() of a computed name, a "#imports" specifier, a comment inside an import', () => {
    const computed = {
      'template.mjs': 'export const load = (name) => import(`./plugins/${name}`);\n',
      'concatenated.mjs': "export const load = (name) => import('./plugins/' + name);\n",
      'variable.mjs': 'const url = "./x.js";\nexport const load = () => import(url);\n',
      'mixed.mjs': "await import('./a.js');\nexport const load = (name) => import(name);\n",
    };
    const dir = folder({
      ...computed,
      'a.js': '',
      'hash.mjs': "import '#config';\n",
      'commented.mjs': "import { x } from /* the config */ './x.ts';\n",
    });
    for (const name of Object.keys(computed)) {
      expect(whyLoaderIsNeeded(join(dir, name)), name).toBe(`${join(dir, name)} has an import() whose target is known only when it runs`);
    }
    expect(whyLoaderIsNeeded(join(dir, 'hash.mjs'))).toMatch(/imports #config \(a package\.json "imports" entry/);
    expect(whyLoaderIsNeeded(join(dir, 'commented.mjs'))).toBe(`${join(dir, 'commented.mjs')} has a comment inside an import, which this scan does not read`);
  });

  it('leaves an import of a missing file to Node, which reports it with or without the hooks', () => {
    const dir = folder({ 'main.mjs': "import './gone.js';\n" });
    expect(whyLoaderIsNeeded(join(dir, 'main.mjs'))).toBeUndefined();
  });
});

/**
 * A project with a precompiled app (what tsc emits) whose service asks a package to import a
 * TypeScript file by a computed name: that works only while the loader hooks are in the process,
 * so the log says whether they are.
 */
function precompiledProject(extra: Record<string, string> = {}): string {
  const dir = folder({
    'package.json': JSON.stringify({ name: 'precompiled-app', type: 'module', private: true }),
    'out/app.module.js': [
      "import { ContainerModule } from 'inversify';",
      "import { Probe } from './probe.js';",
      'export default new ContainerModule(({ bind }) => { bind(Probe).toSelf().inSingletonScope(); });',
    ].join('\n'),
    'out/probe.js': [
      "import { injectable } from 'inversify';",
      "import { Service } from 'mode-di';",
      "import { importByName } from 'import-by-name';",
      'export class Probe extends Service {',
      '  async onStart() {',
      "    const hooks = await importByName(new URL('../plugin.ts', import.meta.url).href).then(() => 'yes', (e) => e.code);",
      "    this.log.info('TypeScript loadable: %s', hooks);",
      '  }',
      '}',
      'injectable()(Probe);',
    ].join('\n'),
    'plugin.ts': 'export const plugin: string = "ts";\n',
    'node_modules/import-by-name/package.json': JSON.stringify({ name: 'import-by-name', type: 'module', exports: './index.js' }),
    'node_modules/import-by-name/index.js': 'export const importByName = (url) => import(url);\n',
    ...extra,
  });
  symlinkSync(ROOT, join(dir, 'node_modules', 'mode-di'), 'dir');
  symlinkSync(join(ROOT, 'node_modules', 'inversify'), join(dir, 'node_modules', 'inversify'), 'dir');
  return dir;
}

async function runToStarted(cwd: string, module: string, env: NodeJS.ProcessEnv = {}) {
  const cli = startCli(['run', module], { cwd, env });
  await cli.waitFor('[^Worker]: Started');
  cli.kill('SIGTERM');
  return cli.exited;
}

describe('mode-di run <JavaScript module>', () => {
  it('imports precompiled JavaScript without the loader thread', async () => {
    const dir = precompiledProject();
    const exit = await runToStarted(dir, 'out/app.module.js');
    expect(exit.code).toBe(0);
    expect(exit.stdout).toMatch(/\]: TypeScript loadable: ERR_UNKNOWN_FILE_EXTENSION$/m);
  });

  it('keeps the loader thread with MODE_DI_MIRROR=off (for apps that load TypeScript by computed names from packages)', async () => {
    const dir = precompiledProject();
    const exit = await runToStarted(dir, 'out/app.module.js', { MODE_DI_MIRROR: 'off' });
    expect(exit.code).toBe(0);
    expect(exit.stdout).toMatch(/\]: TypeScript loadable: yes$/m);
  });

  it('still runs JavaScript that imports TypeScript, through the loader', async () => {
    const dir = precompiledProject({ 'main.mjs': "import './plugin.ts';\nexport { default } from './out/app.module.js';\n" });
    const exit = await runToStarted(dir, 'main.mjs');
    expect(exit.code).toBe(0);
    expect(exit.stdout).toMatch(/\]: TypeScript loadable: yes$/m);
  });
});
