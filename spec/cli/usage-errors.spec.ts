// Every user mistake `mode-di run` can meet: exit status 2, a specific one-paragraph message, no stack trace.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runCli, STACK_FRAME } from './harness.js';

const scratch = mkdtempSync(join(tmpdir(), 'mode-di-usage-'));
const write = (name: string, text: string) => {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
};
mkdirSync(join(scratch, 'folder'));

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly message: RegExp;
}

const cases: Case[] = [
  { name: 'no command', args: [], message: /Say what to do, e\.g\. mode-di run \.\/app\.module\.ts/ },
  { name: 'an unknown command', args: ['start', fixture('chain.module.ts')], message: /Unknown command "start"\. The commands are run \(mode-di run <module>\), graph, plan and console \(mode-di console --socket <path>\)\./ },
  { name: 'run without a module', args: ['run'], message: /mode-di run needs the module to run, e\.g\. mode-di run \.\/app\.module\.ts/ },
  { name: 'an unknown option', args: ['run', fixture('chain.module.ts'), '--bogus'], message: /Unknown argument: bogus/ },
  { name: 'a bad --loglevel', args: ['run', fixture('chain.module.ts'), '--loglevel', 'loud'], message: /Argument: loglevel, Given: "loud", Choices: "debug", "info", "warning", "error", "critical"/ },
  { name: 'a bad --log-format', args: ['run', fixture('chain.module.ts'), '--log-format', 'xml'], message: /Argument: log-format, Given: "xml", Choices: "text", "json"/ },
  { name: 'a duration without a unit', args: ['run', fixture('chain.module.ts'), '--shutdown-timeout', '30'], message: /Invalid --shutdown-timeout "30": has no unit; write '30ms' or '30s'/ },
  { name: 'a duration that is not one', args: ['run', fixture('chain.module.ts'), '--shutdown-timeout', 'soon'], message: /Invalid --shutdown-timeout "soon": is not a duration/ },
  { name: 'an option without its value', args: ['run', fixture('chain.module.ts'), '--logfile'], message: /Not enough arguments following: logfile/ },
  { name: 'a bad value from the environment', args: ['run', fixture('chain.module.ts')], env: { MODE_LOGLEVEL: 'loud' }, message: /Argument: loglevel, Given: "loud"/ },
  { name: 'a bad duration from the environment', args: ['run', fixture('chain.module.ts')], env: { MODE_SHUTDOWN_TIMEOUT: '5' }, message: /Invalid --shutdown-timeout "5": has no unit/ },
  { name: 'a log file in a missing folder', args: ['run', fixture('chain.module.ts'), '--logfile', join(scratch, 'nope', 'app.log')], message: /Cannot open the log file .*app\.log: its folder does not exist/ },
  { name: 'a missing module file', args: ['run', 'spec/fixtures/nope.module.ts'], message: /Cannot load spec\/fixtures\/nope\.module\.ts: no such file \(looked for .*spec\/fixtures\/nope\.module\.ts\)/ },
  { name: 'a folder instead of a module', args: ['run', join(scratch, 'folder')], message: /it is a folder\. Give the module file itself/ },
  { name: 'a file mode-di cannot run', args: ['run', write('data.json', '{}')], message: /mode-di runs \.ts, \.mts, \.tsx, \.js, \.mjs, \.cjs modules, not "\.json" files/ },
  { name: 'a TypeScript syntax error', args: ['run', write('broken.ts', 'export const x: number = ;\n')], message: /broken\.ts: it does not compile:\n\s+x Expression expected\n.*broken\.ts:1:1/s },
  { name: 'a JavaScript syntax error', args: ['run', write('broken.mjs', 'export const = 1;\n')], message: /broken\.mjs: syntax error: Unexpected token '='/ },
  { name: 'a CommonJS TypeScript file', args: ['run', write('legacy.cts', 'export = 1;\n')], message: /legacy\.cts: it is a \.cts file: mode-di loads TypeScript as ES modules only\. Rename it to \.ts or \.mts/ },
  { name: 'a module that throws while loading', args: ['run', fixture('throws.ts')], message: /throws\.ts: importing it threw Error: DATABASE_URL is not set \(at .*throws\.ts:3:7\)/ },
  { name: 'a lifecycle decorator on a field', args: ['run', fixture('hook-on-field.module.ts')], message: /hook-on-field\.module\.ts: importing it threw DecoratorError: @onStart\(\) must decorate a method, but Cache\.warm is a property\. Write it as a method: warm\(\) \{ … \}\. \(at .*hook-on-field\.module\.ts:\d+:\d+\)/ },
  { name: 'a timer interval that is not a duration', args: ['run', fixture('bad-interval.module.ts')], message: /bad-interval\.module\.ts: importing it threw DurationError: Invalid interval of @timer\(\) on Poller\.poll "soon": is not a duration.*\(at .*bad-interval\.module\.ts:\d+:\d+\)/ },
  { name: 'an import that cannot be found', args: ['run', fixture('missing-import.ts')], message: /missing-import\.ts: one of its imports cannot be found: Cannot find module '.*does-not-exist\.js'/ },
  { name: 'no default export', args: ['run', fixture('no-default.ts')], message: /no-default\.ts: it has no default export\. It exports appModule by name\./ },
  { name: 'a number as the default export', args: ['run', fixture('number-default.ts')], message: /its default export is a number \(42\)\. Expected a ContainerModule/ },
  { name: 'a class as the default export', args: ['run', fixture('class-default.ts')], message: /its default export is the class AppService, not something mode-di can run\. Export an instance instead: export default new AppService\(\);/ },
  { name: 'a plain object as the default export', args: ['run', fixture('plain-object.ts')], message: /its default export is a plain object, which has no lifecycle/ },
  { name: '--service with a Mode-style service tree', args: ['run', fixture('mode-style.ts'), '--service', 'Websockets'], message: /this app is a Mode-style service tree, which always runs whole/ },
];

/** Mistakes found once the Worker runs: reported in the log (stdout), still status 2 with no stack. */
const planCases: Case[] = [
  { name: 'a dependency cycle', args: ['run', fixture('cycle.module.ts')], message: /ERROR\]: \[\^Worker\]: Dependency cycle: Reports -> Ledger -> Reports\./ },
  { name: 'a missing binding', args: ['run', fixture('missing-binding.module.ts')], message: /No binding for Payments, needed by App -> Billing -> Payments \(constructor parameter #0\)\. Bind it in a ContainerModule/ },
  { name: 'a lifecycle class in transient scope', args: ['run', fixture('transient.module.ts')], message: /Poller has lifecycle hooks but is bound in Transient scope.*bind\(Poller\)\.toSelf\(\)\.inSingletonScope\(\)/ },
  { name: 'an unknown --service', args: ['run', fixture('chain.module.ts'), '--service', 'Nope'], message: /No service Nope to start: it is not bound\. Bound services: App, Api, Database, Config, Metrics\./ },
];

describe('mode-di run with bad input', () => {
  it.concurrent.each(cases)('exits 2 with a clear message on stderr for $name', async ({ args, env, message }) => {
    const exit = await runCli(args, env ? { env } : {});
    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(/^mode-di: /);
    expect(exit.stderr).toMatch(message);
    expect(exit.stderr).not.toMatch(STACK_FRAME);
    expect(exit.stdout).toBe('');
  });

  it.concurrent.each(planCases)('exits 2 and logs the mistake for $name', async ({ args, message }) => {
    const exit = await runCli(args);
    expect(exit.code).toBe(2);
    expect(exit.stdout).toMatch(message);
    expect(exit.stdout + exit.stderr).not.toMatch(STACK_FRAME);
    expect(exit.stdout).not.toMatch(/\[\^-+\w+\]: Starting\.\.\./);
  });

  it('suggests the help on command-line mistakes', async () => {
    const exit = await runCli(['run', fixture('chain.module.ts'), '--bogus']);
    expect(exit.stderr).toContain("Run 'mode-di run --help' for the options.");
  });
});
