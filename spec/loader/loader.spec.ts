// The loader in a real process: a user project with no tsconfig and "type": "commonjs", and the compile cache at work.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
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
    // The cache went to the project's node_modules/.cache/mode-di: two compiled files, and the command line.
    const files = readdirSync(join(dir, 'node_modules', '.cache', 'mode-di'));
    expect(files.filter((name) => /^[0-9a-f]{40}\.js$/.test(name))).toHaveLength(2);
    expect(files.filter((name) => !name.endsWith('.js'))).toEqual(['command-line.json']);
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
    const warm = await runToStarted(dir, { MODE_DI_CACHE_DIR: '' });
    expect(messagesOf(warm.stdout)).toContain('[^--Greeter]: cached world');
    writeFileSync(join(dir, 'services/greeting.ts'), 'export const greeting = (name: string): string => `hey ${name}`;\n');
    const edited = await runToStarted(dir, { MODE_DI_CACHE_DIR: '' });
    expect(messagesOf(edited.stdout)).toContain('[^--Greeter]: hey world');
    expect(compiled()).toHaveLength(3);
  });
});
