// Two copies of inversify in one project (what peer dependencies prevent): mode-di run names the problem and the fix.
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../cli/harness.js';

/**
 * A project whose own inversify (and the @inversifyjs/container that defines ContainerModule)
 * are copies, not the ones mode-di resolves: as when a project pins another inversify than
 * mode-di's and the package manager keeps both.
 */
function projectWithItsOwnInversify(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mode-di-two-inversify-'));
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, '@inversifyjs'), { recursive: true });
  symlinkSync(ROOT, join(modules, 'mode-di'), 'dir');
  cpSync(join(ROOT, 'node_modules', 'inversify'), join(modules, 'inversify'), { recursive: true, dereference: true });
  cpSync(join(ROOT, 'node_modules', '@inversifyjs', 'container'), join(modules, '@inversifyjs', 'container'), { recursive: true, dereference: true });
  for (const shared of ['common', 'core', 'plugin', 'prototype-utils', 'reflect-metadata-utils']) {
    symlinkSync(join(ROOT, 'node_modules', '@inversifyjs', shared), join(modules, '@inversifyjs', shared), 'dir');
  }
  symlinkSync(join(ROOT, 'node_modules', 'reflect-metadata'), join(modules, 'reflect-metadata'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'two-copies', type: 'module', private: true }));
  return dir;
}

describe('an app module built with another copy of inversify than mode-di', () => {
  it('fails with status 2, naming the second copy and npm dedupe', async () => {
    const dir = projectWithItsOwnInversify();
    writeFileSync(join(dir, 'app.module.js'), "import { ContainerModule } from 'inversify';\nexport default new ContainerModule(() => {});\n");
    const exit = await runCli(['run', 'app.module.js'], { cwd: dir });
    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(/It is a ContainerModule from another copy of inversify than mode-di's: make your project resolve a single inversify \(npm dedupe\)\./);
  });

  it('names it for an array of modules too', async () => {
    const dir = projectWithItsOwnInversify();
    writeFileSync(join(dir, 'app.module.js'), "import { ContainerModule } from 'inversify';\nexport default [new ContainerModule(() => {})];\n");
    const exit = await runCli(['run', 'app.module.js'], { cwd: dir });
    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(/item #0 is an instance of ContainerModule, not a ContainerModule\. It is a ContainerModule from another copy of inversify/);
  });
});
