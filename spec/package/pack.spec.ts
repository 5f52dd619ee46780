// The package as a user meets it: what `npm pack` ships, and apps run through `npx mode-di run` in projects that install the tarball.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliProcess, ROOT } from '../cli/harness.js';
import { consumerProject, type Packed, pack, run, userEnv } from './consumer.js';

const PEERS = ['inversify', '@inversifyjs/core', '@inversifyjs/plugin'];
const MINUTE = 60_000;
const folders: string[] = [];
let tarball: Packed;

beforeAll(async () => {
  const destination = mkdtempSync(join(tmpdir(), 'mode-di-pack-'));
  folders.push(destination);
  tarball = await pack(destination);
}, 2 * MINUTE);

afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A shipped file: compiled code and types (with their maps), the sources the maps point at, the docs the README links to (and their pictures), the CommonJS sample, the font pictures are drawn with. */
const SHIPPED = /^(?:package\.json|README\.md|dist\/.+\.(?:js|d\.ts)(?:\.map)?|lib\/.+\.(?:ts|js)|docs\/[^/]+\.(?:md|svg)|samples\/commonjs\/[^/]+\.cjs|fonts\/[^/]+)$/;

describe('npm pack', () => {
  it('ships only what runs and types, the sources its maps point at, and the docs the README links to', () => {
    const paths = tarball.files.map((file) => file.path);
    expect(paths.filter((path) => !SHIPPED.test(path))).toEqual([]);
    expect(paths).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'dist/cli/bin.js', 'dist/loader/hooks.js', 'lib/index.ts', 'README.md', 'package.json']));
    // Every compiled file comes from a source in lib/ (nothing stale, nothing from spec/ or bench/).
    const sources = new Set(paths.filter((path) => path.startsWith('lib/')));
    const sourceOf = (path: string) => path.replace(/^dist\//, 'lib/').replace(/\.(?:js|d\.ts)(?:\.map)?$/, '');
    const orphans = paths.filter((path) => path.startsWith('dist/') && !sources.has(`${sourceOf(path)}.ts`) && !sources.has(`${sourceOf(path)}.js`));
    expect(orphans, 'compiled files without a source: rebuild dist/ from scratch (npm pack does, through prepack)').toEqual([]);
  });

  it('has source maps whose sources are in the package', () => {
    const shipped = new Set(tarball.files.map((file) => file.path));
    const missing: string[] = [];
    for (const path of shipped) {
      if (!path.endsWith('.map')) continue;
      const map = JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as { sources: string[] };
      for (const source of map.sources) {
        const target = normalize(join(dirname(path), source));
        if (!shipped.has(target)) missing.push(`${path} -> ${target}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('links from README.md and the shipped docs only to files it ships (or to absolute URLs)', () => {
    const shipped = new Set(tarball.files.map((file) => file.path));
    const broken: string[] = [];
    for (const doc of [...shipped].filter((path) => path.endsWith('.md'))) {
      const text = readFileSync(join(ROOT, doc), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(?:[a-z]+:|#)/i.test(target!)) continue;
        const file = normalize(join(dirname(doc), target!.replace(/#.*$/, '')));
        if (!shipped.has(file)) broken.push(`${doc}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('declares inversify as a peer, so a project has one copy, and no build step that needs dev tools', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    for (const name of PEERS) {
      expect(manifest['peerDependencies']?.[name], name).toBeDefined();
      expect(manifest['dependencies']?.[name], name).toBeUndefined();
    }
    expect(Object.keys(manifest['scripts'] ?? {}).filter((name) => /^(?:pre|post)?install$/.test(name))).toEqual([]);
  });
});

/** Starts `npx <args>` in `cwd`; the app prints its pid first, so the spec can Ctrl-C mode-di itself (npx's shell dies of the signal). */
function startNpx(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn('npx', [...args], { cwd, env: userEnv({ npm_config_offline: 'true', ...env }), stdio: ['pipe', 'pipe', 'pipe'] });
  return new CliProcess(child);
}

/** Runs the app to "Started", sends SIGINT to the mode-di process, and returns how npx ended. */
async function runToStartedAndInterrupt(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const cli = startNpx(args, cwd, env);
  const pid = Number(/^pid (\d+)$/m.exec(await cli.waitFor(/^pid \d+$/m, { timeoutMs: MINUTE }))![1]);
  await cli.waitFor(']: [^Worker]: Started', { timeoutMs: MINUTE });
  process.kill(pid, 'SIGINT');
  return cli.exited;
}

const SERVICES_TS = `import { injectable } from 'inversify';
import { Service, onStart, onStop } from 'mode-di';

@injectable()
export class Store {
  opened = false;
  @onStart({ timeout: '5s' }) open(signal: AbortSignal): void {
    signal.throwIfAborted();
    this.opened = true;
  }
  @onStop() close(): void {
    this.opened = false;
  }
}

@injectable()
export class Api extends Service {
  constructor(private readonly store: Store) {
    super();
  }
  override onStart(): void {
    this.log.info('store injected by type and open: %s', this.store.opened);
  }
}
`;

const APP_MODULE_TS = `import { ContainerModule } from 'inversify';
import { Api, Store } from './services.js';

console.log(\`pid \${process.pid}\`);

export default new ContainerModule(({ bind }) => {
  bind(Api).toSelf().inSingletonScope();
  bind(Store).toSelf().inSingletonScope();
});
`;

/** The tsconfig the README gives a tsc user. */
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    outDir: 'out',
  },
  include: ['*.ts'],
};

function expectCleanStop(exit: { code: number | null; stdout: string; stderr: string }): void {
  expect(exit.code, exit.stderr).toBe(0);
  expect(exit.stdout).toMatch(/\]: \[\^Worker\]: Signal received: SIGINT$/m);
  expect(exit.stdout.trimEnd()).toMatch(/\]: \[\^Worker\]: -Stopped!$/);
}

describe('an ESM TypeScript project installing the tarball', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await consumerProject({
      tarball,
      type: 'module',
      dependencies: [...PEERS, 'typescript', '@types/node'],
      files: { 'services.ts': SERVICES_TS, 'app.module.ts': APP_MODULE_TS, 'tsconfig.json': JSON.stringify(TSCONFIG, null, 2) },
    });
    folders.push(dir);
  }, 3 * MINUTE);

  it('resolves one copy of inversify, and the shipped prepare script does nothing there', async () => {
    const installed = join(dir, 'node_modules', 'mode-di');
    expect(existsSync(join(installed, 'node_modules')) ? readdirSync(join(installed, 'node_modules')) : []).toEqual([]);
    // Every dependency and peer satisfied, and each inversify package once, at the top.
    const tree = await run('npm', ['ls', '--all', '--offline'], dir);
    expect(tree.code, `${tree.stdout}\n${tree.stderr}`).toBe(0);
    const copies = await run('npm', ['ls', ...PEERS, '--all', '--parseable', '--offline'], dir);
    expect(new Set(copies.stdout.trim().split('\n'))).toEqual(new Set(PEERS.map((name) => join(dir, 'node_modules', name))));
    const before = readdirSync(join(installed, 'dist')).length;
    const prepare = await run('npm', ['run', 'prepare', '--offline'], installed);
    expect(prepare.code, prepare.stderr).toBe(0);
    expect(readdirSync(join(installed, 'dist'))).toHaveLength(before);
  }, 2 * MINUTE);

  it('type-checks with the README tsconfig and runs the .ts app through npx mode-di run; SIGINT stops it with status 0', async () => {
    const tsc = await run('npx', ['tsc', '-p', '.'], dir, userEnv({ npm_config_offline: 'true' }));
    expect(tsc.code, tsc.stdout + tsc.stderr).toBe(0);
    const exit = await runToStartedAndInterrupt(['mode-di', 'run', 'app.module.ts'], dir);
    expect(exit.stdout).toMatch(/\]: \[\^-Api\]: store injected by type and open: true$/m);
    expectCleanStop(exit);
  }, 3 * MINUTE);

  it("runs tsc's output (precompiled JavaScript) the same way", async () => {
    expect(existsSync(join(dir, 'out', 'app.module.js')), 'the previous test compiles out/').toBe(true);
    const exit = await runToStartedAndInterrupt(['mode-di', 'run', 'out/app.module.js'], dir);
    expect(exit.stdout).toMatch(/\]: \[\^-Api\]: store injected by type and open: true$/m);
    expectCleanStop(exit);
  }, 2 * MINUTE);
});

describe('a CommonJS project installing the tarball', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await consumerProject({
      tarball,
      type: 'commonjs',
      dependencies: [...PEERS, 'typescript', '@types/node'],
      files: {
        // TypeScript compiled to CommonJS by tsc (the same tsconfig: NodeNext follows "type").
        'ts/services.ts': SERVICES_TS,
        'ts/app.module.ts': APP_MODULE_TS,
        'tsconfig.json': JSON.stringify({ ...TSCONFIG, include: ['ts/*.ts'] }, null, 2),
        // samples/commonjs as the project's own .js files ("type": "commonjs").
        'webserver.js': readFileSync(join(ROOT, 'samples/commonjs/app.module.cjs'), 'utf8'),
        'app.module.js': "console.log(`pid ${process.pid}`);\nmodule.exports = require('./webserver.js');\n",
        'require.js': "const { Application, Service } = require('mode-di');\nconsole.log(typeof Application, typeof Service, typeof Reflect.getMetadata);\n",
      },
    });
    folders.push(dir);
  }, 3 * MINUTE);

  it("require('mode-di') works (require(esm)) and loads reflect-metadata", async () => {
    const result = await run(process.execPath, ['require.js'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('function function function\n');
  });

  it('runs the CommonJS sample through npx mode-di run; SIGINT stops it with status 0', async () => {
    const exit = await runToStartedAndInterrupt(['mode-di', 'run', 'app.module.js'], dir, { PORT: '0' });
    expect(exit.stdout).toMatch(/\]: \[\^-Webserver\]: Serving on port \d+$/m);
    expectCleanStop(exit);
  }, 2 * MINUTE);

  it('runs TypeScript that tsc compiled to CommonJS (require of mode-di and inversify)', async () => {
    const tsc = await run('npx', ['tsc', '-p', '.'], dir, userEnv({ npm_config_offline: 'true' }));
    expect(tsc.code, tsc.stdout + tsc.stderr).toBe(0);
    expect(readFileSync(join(dir, 'out', 'app.module.js'), 'utf8')).toContain('require("inversify")');
    const exit = await runToStartedAndInterrupt(['mode-di', 'run', 'out/app.module.js'], dir);
    expect(exit.stdout).toMatch(/\]: \[\^-Api\]: store injected by type and open: true$/m);
    expectCleanStop(exit);
  }, 3 * MINUTE);
});
