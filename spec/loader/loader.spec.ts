// The loader in a real process: a user project with no tsconfig and "type": "commonjs", and the compile cache at work.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { messagesOf, ROOT, startCli } from '../cli/harness.js';

/** A throwaway project that installs mode-di (and inversify) the way npm links a local package. */
function userProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mode-di-user-project-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'mode-di'), 'dir');
  symlinkSync(join(ROOT, 'node_modules', 'inversify'), join(dir, 'node_modules', 'inversify'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-app', type: 'commonjs', private: true }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const service = `
import { injectable } from 'inversify';
import { Service } from 'mode-di';
import { greeting } from './greeting.js';

@injectable()
export class Greeter extends Service {
  override onStart() {
    this.log.info(greeting('world'));
  }
}
`;

const app = `
import { ContainerModule, injectable } from 'inversify';
import { Service } from 'mode-di';
import { Greeter } from './services/greeter.js';

@injectable()
export class App extends Service {
  constructor(readonly greeter: Greeter) {
    super();
  }
  override onStart() {
    this.log.info('injected by type: %s', this.greeter instanceof Greeter);
  }
}

export default new ContainerModule(({ bind }) => {
  bind(App).toSelf().inSingletonScope();
  bind(Greeter).toSelf().inSingletonScope();
});
`;

async function runToStarted(cwd: string, env: NodeJS.ProcessEnv = {}) {
  const cli = startCli(['run', 'app.ts'], { cwd, env });
  await cli.waitFor('[^Worker]: Started');
  cli.kill('SIGTERM');
  return cli.exited;
}

describe('the TypeScript loader', () => {
  it('runs .ts in a "type": "commonjs" project with no tsconfig, injecting by type and importing CommonJS .js', async () => {
    const dir = userProject({
      'app.ts': app,
      'services/greeter.ts': service,
      // A CommonJS helper, as such a project has: imported from TypeScript by its default export.
      'services/greeting.js': "exports.greeting = (name) => 'hello ' + name;\n",
    });
    const exit = await runToStarted(dir, { MODE_DI_CACHE_DIR: '' });
    expect(exit.code).toBe(0);
    const m = messagesOf(exit.stdout);
    expect(m).toContain('[^--Greeter]: hello world');
    expect(m).toContain('[^-App]: injected by type: true');
    // The cache went to the project's node_modules/.cache/mode-di: two compiled files, the command line, the start durations (and the mirror).
    const files = readdirSync(join(dir, 'node_modules', '.cache', 'mode-di'));
    expect(files.filter((name) => /^[0-9a-f]{40}\.js$/.test(name))).toHaveLength(2);
    expect(files.filter((name) => !name.endsWith('.js') && name !== 'mirror').sort()).toEqual(['command-line.json', 'start-durations']);
  });

  it('reuses compiled output while the source is unchanged, and recompiles when it changes', async () => {
    const dir = userProject({ 'app.ts': app, 'services/greeter.ts': service, 'services/greeting.ts': 'export const greeting = (name: string): string => `hi ${name}`;\n' });
    const cache = join(dir, 'node_modules', '.cache', 'mode-di');
    const cold = await runToStarted(dir, { MODE_DI_CACHE_DIR: '' });
    expect(messagesOf(cold.stdout)).toContain('[^--Greeter]: hi world');
    // Tamper with the cached output of greeting.ts: a warm run must use it instead of compiling.
    const compiled = () => readdirSync(cache).filter((name) => name.endsWith('.js'));
    const entries = compiled().map((name) => join(cache, name));
    const entry = entries.find((file) => readFileSync(file, 'utf8').includes('hi ${name}'))!;
    writeFileSync(entry, readFileSync(entry, 'utf8').replace('hi ${name}', 'cached ${name}'));
    // Without the prebuilt mirror (tested below), which a warm start would import instead.
    rmSync(join(cache, 'mirror'), { recursive: true, force: true });
    const warm = await runToStarted(dir, { MODE_DI_CACHE_DIR: '' });
    expect(messagesOf(warm.stdout)).toContain('[^--Greeter]: cached world');
    writeFileSync(join(dir, 'services/greeting.ts'), 'export const greeting = (name: string): string => `hey ${name}`;\n');
    const edited = await runToStarted(dir, { MODE_DI_CACHE_DIR: '' });
    expect(messagesOf(edited.stdout)).toContain('[^--Greeter]: hey world');
    expect(compiled()).toHaveLength(3);
  });

  it('imports the prebuilt mirror on a warm start: original import.meta and .ts stack lines; an edit rebuilds it', async () => {
    const main = [
      "import { ContainerModule, injectable } from 'inversify';",
      "import { Service } from 'mode-di';",
      "import { greeting } from './services/greeting.js';",
      '@injectable()',
      'export class App extends Service {',
      '  override onStart() {',
      "    this.log.info('%s from %s', greeting('world'), import.meta.url.slice(-7));",
      "    this.log.info('resolves %s', import.meta.resolve('./services/greeting.js').slice(-20));",
      "    this.log.info('stack %s', /app\\.ts:\\d+/.exec(new Error('here').stack ?? '')?.[0]);",
      '  }',
      '}',
      'export default new ContainerModule(({ bind }) => bind(App).toSelf().inSingletonScope());',
    ].join('\n');
    const dir = userProject({ 'app.ts': main, 'services/greeting.ts': 'export const greeting = (name: string): string => `hi ${name}`;\n' });
    const mirrors = join(dir, 'node_modules', '.cache', 'mode-di', 'mirror');
    mkdirSync(mirrors, { recursive: true });
    const expected = ['[^-App]: resolves services/greeting.ts', '[^-App]: stack app.ts:9'];
    const copyOf = (stem: string) => readdirSync(mirrors).find((name) => name.startsWith(`${stem}.`) && name.endsWith('.mjs'));
    /** Resolves once `check` holds, looking again whenever the loader thread writes into the mirror folder. */
    const until = (check: () => boolean) =>
      new Promise<void>((resolve) => {
        const watcher = watch(mirrors, () => {
          if (!check()) return;
          watcher.close();
          resolve();
        });
        if (check()) {
          watcher.close();
          resolve();
        }
      });
    const manifestWritten = () => readdirSync(mirrors).some((name) => name.endsWith('.json'));

    const built = until(manifestWritten);
    const cold = await runToStarted(dir, { MODE_DI_CACHE_DIR: '' });
    expect(messagesOf(cold.stdout)).toEqual(expect.arrayContaining(['[^-App]: hi world from /app.ts', ...expected]));
    await built;
    expect([copyOf('app'), copyOf('greeting')]).toEqual([expect.stringMatching(/^app\.[0-9a-f]+\.mjs$/), expect.stringMatching(/^greeting\.[0-9a-f]+\.mjs$/)]);

    // Tamper with the mirror of greeting.ts (same length): a warm run must import it.
    const copy = join(mirrors, copyOf('greeting')!);
    writeFileSync(copy, readFileSync(copy, 'utf8').replace('hi ${name}', 'yo ${name}'));
    const warm = await runToStarted(dir, { MODE_DI_CACHE_DIR: '' });
    expect(warm.code).toBe(0);
    expect(messagesOf(warm.stdout)).toEqual(expect.arrayContaining(['[^-App]: yo world from /app.ts', ...expected]));
    const off = await runToStarted(dir, { MODE_DI_CACHE_DIR: '', MODE_DI_MIRROR: 'off' });
    expect(messagesOf(off.stdout)).toContain('[^-App]: hi world from /app.ts');

    // An edited source makes the mirror stale: the hooks load the app, and write it again.
    writeFileSync(join(dir, 'services/greeting.ts'), 'export const greeting = (name: string): string => `hey ${name}`;\n');
    const rebuilt = until(() => readFileSync(copy, 'utf8').includes('hey ${name}'));
    const edited = await runToStarted(dir, { MODE_DI_CACHE_DIR: '' });
    expect(messagesOf(edited.stdout)).toEqual(expect.arrayContaining(['[^-App]: hey world from /app.ts', ...expected]));
    await rebuilt;
    const again = await runToStarted(dir, { MODE_DI_CACHE_DIR: '' });
    expect(messagesOf(again.stdout)).toEqual(expect.arrayContaining(['[^-App]: hey world from /app.ts', ...expected]));
  });
});
