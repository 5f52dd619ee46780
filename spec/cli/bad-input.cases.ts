// The bad-input corpus: every mistake a user (or a hostile input) can make with `mode-di run`, and the answer each gets.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture } from './harness.js';

/** One bad input and what `mode-di run` must answer. */
export interface BadInput {
  readonly name: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** The exit status. */
  readonly code: 0 | 1 | 2;
  /** Where the message is: stderr (the CLI, before any log) or stdout (the Worker's log). */
  readonly stream: 'stderr' | 'stdout';
  /** The message, naming the offending thing. */
  readonly message: RegExp;
  /** A run-time failure of the user's own code: its stack is shown (without framework frames). Default: no stack at all. */
  readonly stack?: boolean;
}

const scratch = mkdtempSync(join(tmpdir(), 'mode-di-bad-input-'));
const write = (name: string, text: string) => {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
};
mkdirSync(join(scratch, 'folder'));
const chain = fixture('chain.module.ts');
const run = (...args: string[]) => ['run', ...args];

/** Mistakes on the command line or in the environment, found before anything is imported. */
const commandLine: BadInput[] = [
  { name: 'no command', args: [], code: 2, stream: 'stderr', message: /Say what to do, e\.g\. mode-di run \.\/app\.module\.ts/ },
  { name: 'an unknown command', args: ['start', chain], code: 2, stream: 'stderr', message: /Unknown command "start"\. The commands are run \(mode-di run <module>\), graph, plan and console \(mode-di console --socket <path>\)\./ },
  { name: 'an option before the command', args: ['--loglevel', 'debug', 'run', chain], code: 2, stream: 'stderr', message: /Unknown argument: loglevel\. Options follow the command: mode-di run <module> --loglevel/ },
  { name: 'run without a module', args: run(), code: 2, stream: 'stderr', message: /mode-di run needs the module to run, e\.g\. mode-di run \.\/app\.module\.ts/ },
  { name: 'two modules', args: run(chain, 'other.ts'), code: 2, stream: 'stderr', message: /Unexpected argument after the module: other\.ts\./ },
  { name: 'an unknown option', args: run(chain, '--bogus'), code: 2, stream: 'stderr', message: /Unknown argument: bogus\nRun 'mode-di run --help' for the options\./ },
  { name: 'a misspelt option', args: run(chain, '--loglvel', 'debug'), code: 2, stream: 'stderr', message: /Unknown argument: loglvel\. Did you mean --loglevel\?/ },
  { name: 'a misspelt option with a value', args: run(chain, '--shutdown-timout=5s'), code: 2, stream: 'stderr', message: /Unknown argument: shutdown-timout\. Did you mean --shutdown-timeout\?/ },
  { name: 'a misspelt negation', args: run(chain, '--no-colour'), code: 2, stream: 'stderr', message: /Unknown argument: colour\. Did you mean --color\?/ },
  { name: 'a bad --loglevel', args: run(chain, '--loglevel', 'loud'), code: 2, stream: 'stderr', message: /Argument: loglevel, Given: "loud", Choices: "debug", "info", "warning", "error", "critical"/ },
  { name: 'a bad last --loglevel', args: run(chain, '--loglevel', 'debug', '--loglevel', 'verbose'), code: 2, stream: 'stderr', message: /Argument: loglevel, Given: "verbose"/ },
  { name: 'a bad --log-format', args: run(chain, '--log-format', 'xml'), code: 2, stream: 'stderr', message: /Argument: log-format, Given: "xml", Choices: "text", "json"/ },
  { name: 'a duration without a unit', args: run(chain, '--shutdown-timeout', '30'), code: 2, stream: 'stderr', message: /Invalid --shutdown-timeout "30": has no unit; write '30ms' or '30s'/ },
  { name: 'a duration that is not one', args: run(chain, '--shutdown-timeout', 'soon'), code: 2, stream: 'stderr', message: /Invalid --shutdown-timeout "soon": is not a duration/ },
  { name: 'a duration with its units reversed', args: run(chain, '--shutdown-timeout', '30s1m'), code: 2, stream: 'stderr', message: /Invalid --shutdown-timeout "30s1m": repeats a unit or puts a smaller one first/ },
  { name: 'a duration with a trailing number', args: run(chain, '--shutdown-timeout', '1h30'), code: 2, stream: 'stderr', message: /Invalid --shutdown-timeout "1h30"/ },
  { name: '--logfile without its value', args: run(chain, '--logfile'), code: 2, stream: 'stderr', message: /Not enough arguments following: logfile/ },
  { name: '--loglevel without its value', args: run(chain, '--loglevel'), code: 2, stream: 'stderr', message: /Not enough arguments following: loglevel/ },
  { name: 'an empty --logfile', args: run(chain, '--logfile', ' '), code: 2, stream: 'stderr', message: /--logfile needs a file path, e\.g\. --logfile app\.log/ },
  { name: 'an empty --service', args: run(chain, '--service', ''), code: 2, stream: 'stderr', message: /--services needs a service label, e\.g\. --services Webserver/ },
  { name: 'a --service list with a hole', args: run(chain, '--service', 'Api,,Db'), code: 2, stream: 'stderr', message: /--services needs a service label/ },
  { name: '--color=maybe', args: run(chain, '--color=maybe'), code: 2, stream: 'stderr', message: /Invalid --color=maybe: a yes\/no option takes true, false, 1, 0, yes or no\./ },
  { name: '--quiet=perhaps', args: run(chain, '--quiet=perhaps'), code: 2, stream: 'stderr', message: /Invalid --quiet=perhaps: a yes\/no option takes/ },
  { name: '--no-color=sometimes', args: run(chain, '--no-color=sometimes'), code: 2, stream: 'stderr', message: /Invalid --no-color=sometimes: / },
  { name: 'MODE_QUIET=maybe', args: run(chain), env: { MODE_QUIET: 'maybe' }, code: 2, stream: 'stderr', message: /Invalid MODE_QUIET=maybe: a yes\/no option takes true, false, 1, 0, yes or no\./ },
  { name: 'MODE_COLOR=on', args: run(chain), env: { MODE_COLOR: 'on' }, code: 2, stream: 'stderr', message: /Invalid MODE_COLOR=on: / },
  { name: 'a bad MODE_LOGLEVEL', args: run(chain), env: { MODE_LOGLEVEL: 'loud' }, code: 2, stream: 'stderr', message: /Invalid MODE_LOGLEVEL=loud: use one of debug, info, warning, error, critical\./ },
  { name: 'a bad MODE_LOG_FORMAT', args: run(chain), env: { MODE_LOG_FORMAT: 'yaml' }, code: 2, stream: 'stderr', message: /Invalid MODE_LOG_FORMAT=yaml: use one of text, json\./ },
  { name: 'a MODE_SHUTDOWN_TIMEOUT without a unit', args: run(chain), env: { MODE_SHUTDOWN_TIMEOUT: '5' }, code: 2, stream: 'stderr', message: /Invalid MODE_SHUTDOWN_TIMEOUT "5": has no unit/ },
  { name: 'a MODE_SHUTDOWN_TIMEOUT that is not a duration', args: run(chain), env: { MODE_SHUTDOWN_TIMEOUT: 'later' }, code: 2, stream: 'stderr', message: /Invalid MODE_SHUTDOWN_TIMEOUT "later": is not a duration/ },
  { name: 'a log file in a missing folder', args: run(chain, '--logfile', join(scratch, 'nope', 'app.log')), code: 2, stream: 'stderr', message: /Cannot open the log file .*nope\/app\.log: its folder does not exist/ },
  { name: 'a folder as the log file', args: run(chain, '--logfile', scratch), code: 2, stream: 'stderr', message: /Cannot open the log file .*mode-di-bad-input-\w+: .*EISDIR/ },
];

/** Modules that cannot be found or loaded, or have nothing to run. */
const modules: BadInput[] = [
  { name: 'a missing module file', args: run('spec/fixtures/nope.module.ts'), code: 2, stream: 'stderr', message: /Cannot load spec\/fixtures\/nope\.module\.ts: no such file \(looked for .*spec\/fixtures\/nope\.module\.ts\)/ },
  { name: 'a misspelt module file', args: run('spec/fixtures/chian.module.ts'), code: 2, stream: 'stderr', message: /no such file .* Did you mean spec\/fixtures\/chain\.module\.ts\?/ },
  { name: 'a module in a missing folder', args: run('nowhere/app.module.ts'), code: 2, stream: 'stderr', message: /Cannot load nowhere\/app\.module\.ts: no such file/ },
  { name: 'a folder instead of a module', args: run(join(scratch, 'folder')), code: 2, stream: 'stderr', message: /it is a folder\. Give the module file itself/ },
  { name: 'a JSON file', args: run(write('data.json', '{}')), code: 2, stream: 'stderr', message: /mode-di runs \.ts, \.mts, \.tsx, \.js, \.mjs, \.cjs modules, not "\.json" files/ },
  { name: 'a file without an extension', args: run(write('Procfile', 'web: run')), code: 2, stream: 'stderr', message: /Procfile: mode-di runs .* not "no extension" files/ },
  { name: 'a TypeScript syntax error', args: run(write('broken.ts', 'export const x: number = ;\n')), code: 2, stream: 'stderr', message: /broken\.ts: it does not compile:\n\s+x Expression expected\n.*broken\.ts:1:1/s },
  { name: 'a JavaScript syntax error', args: run(write('broken.mjs', 'export const = 1;\n')), code: 2, stream: 'stderr', message: /broken\.mjs: syntax error: Unexpected token '='/ },
  { name: 'a CommonJS TypeScript file', args: run(write('legacy.cts', 'export = 1;\n')), code: 2, stream: 'stderr', message: /legacy\.cts: it is a \.cts file: mode-di loads TypeScript as ES modules only\. Rename it to \.ts or \.mts/ },
  { name: 'a module that throws while loading', args: run(fixture('throws.ts')), code: 2, stream: 'stderr', message: /throws\.ts: importing it threw Error: DATABASE_URL is not set \(at .*throws\.ts:3:7\)/ },
  { name: 'a top-level await that never settles', args: run(fixture('tla-never.module.ts')), code: 2, stream: 'stderr', message: /Cannot load .*tla-never\.module\.ts: its top-level await never settles/ },
  { name: 'a circular import', args: run(fixture('circular/app.module.ts')), code: 2, stream: 'stderr', message: /importing it threw ReferenceError: Cannot access 'A' before initialization \(at .*circular\/b\.ts:\d+:\d+\)\. This is usually a circular import.*LazyServiceIdentifier\(\(\) => A\)/ },
  { name: 'a lifecycle decorator on a field', args: run(fixture('hook-on-field.module.ts')), code: 2, stream: 'stderr', message: /hook-on-field\.module\.ts: importing it threw DecoratorError: @onStart\(\) must decorate a method, but Cache\.warm is a property\..*\(at .*hook-on-field\.module\.ts:\d+:\d+\)/ },
  { name: 'a timer interval that is not a duration', args: run(fixture('bad-interval.module.ts')), code: 2, stream: 'stderr', message: /DurationError: Invalid interval of @timer\(\) on Poller\.poll "soon": is not a duration.*\(at .*bad-interval\.module\.ts:\d+:\d+\)/ },
  { name: 'a cron minute that does not exist', args: run(fixture('bad-cron.module.ts')), code: 2, stream: 'stderr', message: /CronError: Invalid cron expression "61 \* \* \* \*" on Nightly\.compact: .*\(at .*bad-cron\.module\.ts:\d+:\d+\)/ },
  { name: 'an import that cannot be found', args: run(fixture('missing-import.ts')), code: 2, stream: 'stderr', message: /missing-import\.ts: one of its imports cannot be found: Cannot find module '.*does-not-exist\.js'/ },
  { name: 'no default export', args: run(fixture('no-default.ts')), code: 2, stream: 'stderr', message: /no-default\.ts: it has no default export\. It exports appModule by name\./ },
  { name: 'a number as the default export', args: run(fixture('number-default.ts')), code: 2, stream: 'stderr', message: /its default export is a number \(42\)\. Expected a ContainerModule/ },
  { name: 'a class as the default export', args: run(fixture('class-default.ts')), code: 2, stream: 'stderr', message: /its default export is the class AppService, not something mode-di can run\. Export an instance instead: export default new AppService\(\);/ },
  { name: 'a plain object as the default export', args: run(fixture('plain-object.ts')), code: 2, stream: 'stderr', message: /its default export is a plain object, which has no lifecycle/ },
  { name: 'a Promise as the default export', args: run(fixture('promise-default.ts')), code: 2, stream: 'stderr', message: /its default export is a Promise\. Await it first/ },
  { name: 'an empty array as the default export', args: run(write('empty.mjs', 'export default [];\n')), code: 2, stream: 'stderr', message: /empty\.mjs: its default export is an empty array: there is nothing to run/ },
  { name: 'an array holding something else', args: run(write('mixed.mjs', 'export default [42];\n')), code: 2, stream: 'stderr', message: /mixed\.mjs: its default export is an array, but item #0 is a number \(42\), not a ContainerModule/ },
  { name: 'an Application of a class', args: run(fixture('application-of-class.module.ts')), code: 2, stream: 'stderr', message: /application-of-class\.module\.ts: importing it threw ApplicationTargetError: .*AppService.*\(at .*application-of-class\.module\.ts:12:\d+\)/s },
  { name: '--service with a Mode-style service tree', args: run(fixture('mode-style.ts'), '--service', 'Websockets'), code: 2, stream: 'stderr', message: /this app is a Mode-style service tree, which always runs whole/ },
  { name: '--service with an Application the module built', args: run(fixture('application-default.module.ts'), '--service', 'Web'), code: 2, stream: 'stderr', message: /The services option \(--services Web\) cannot choose the services of an Application the module built itself.*Export the ContainerModule instead/ },
];

/** Mistakes found once the Worker runs: reported in the log (stdout). */
const graphs: BadInput[] = [
  { name: 'a dependency cycle', args: run(fixture('cycle.module.ts')), code: 2, stream: 'stdout', message: /ERROR\]: \[\^Worker\]: Dependency cycle: Reports -> Ledger -> Reports\./ },
  { name: 'a missing binding', args: run(fixture('missing-binding.module.ts')), code: 2, stream: 'stdout', message: /No binding for Payments, needed by App -> Billing -> Payments \(constructor parameter #0\)\. Bind it in a ContainerModule/ },
  { name: 'a lifecycle class in transient scope', args: run(fixture('transient.module.ts')), code: 2, stream: 'stdout', message: /Poller has lifecycle hooks but is bound in Transient scope.*bind\(Poller\)\.toSelf\(\)\.inSingletonScope\(\)/ },
  { name: 'an unknown --service', args: run(chain, '--service', 'Nope'), code: 2, stream: 'stdout', message: /No service Nope to start: it is not bound\. Bound services: App, Api, Database, Config, Metrics\./ },
  { name: 'an unknown --service from MODE_SERVICE', args: run(chain), env: { MODE_SERVICE: 'Api,Nope' }, code: 2, stream: 'stdout', message: /No service Nope to start: it is not bound/ },
  { name: 'a class without @injectable()', args: run(fixture('no-injectable.module.ts')), code: 2, stream: 'stdout', message: /Web has constructor parameters the container cannot resolve by type\..*the class is not marked @injectable\(\).*add @injectable\(\) above "class Web"/ },
  { name: 'a container module that throws', args: run(fixture('module-load-throws.module.ts')), code: 2, stream: 'stdout', message: /ERROR\]: \[\^Worker\]: Loading the container modules failed: REDIS_URL is not set \(at .*module-load-throws\.module\.ts:5:\d+\)/ },
];

/** The user's own code failing at run time: exit 1, their stack (only their frames), nothing hangs. */
const runTime: BadInput[] = [
  { name: 'a constructor that throws', args: run(fixture('ctor-throws.module.ts')), code: 1, stream: 'stdout', stack: true, message: /Start failed: ResolutionError: Could not create Db: Error: DATABASE_URL is not set\nError: DATABASE_URL is not set\n\s+at new Db \(.*ctor-throws\.module\.ts:9:\d+\)/ },
  { name: 'a constructor that throws, at --loglevel error', args: run(fixture('ctor-throws.module.ts'), '--loglevel', 'error'), code: 1, stream: 'stdout', stack: true, message: /Could not create Db: Error: DATABASE_URL is not set\nError: DATABASE_URL is not set\n\s+at new Db \(.*ctor-throws\.module\.ts:9:\d+\)/ },
  { name: 'a start hook that throws', args: run(fixture('start-fail.module.ts')), code: 1, stream: 'stdout', stack: true, message: /\[\^-Web\]: Start failed in onStart: Error: port 80 is taken\nError: port 80 is taken\n\s+at .*start-fail\.module\.ts:14:\d+/ },
  { name: 'a crash after start', args: run(fixture('crash.module.ts')), code: 1, stream: 'stdout', stack: true, message: /\[\^-Flaky\]: Crashed: Flaky\.consume failed: Error: the queue went away\nError: the queue went away\n\s+at .*crash\.module\.ts:16:\d+/ },
  { name: 'an uncaught exception', args: run(fixture('uncaught.module.ts')), code: 1, stream: 'stdout', stack: true, message: /CRITICAL\]: \[\^Worker\]: Uncaught exception: Error: oops in a callback\nError: oops in a callback\n\s+at .*uncaught\.module\.ts:9:\d+/ },
  { name: 'an unhandled rejection', args: run(fixture('rejection.module.ts')), code: 1, stream: 'stdout', stack: true, message: /CRITICAL\]: \[\^Worker\]: Unhandled rejection: Error: rejected in a callback\nError: rejected in a callback\n\s+at .*rejection\.module\.ts:9:\d+/ },
  { name: 'a thrown string', args: run(fixture('throws-string.module.ts')), code: 1, stream: 'stdout', message: /CRITICAL\]: \[\^Worker\]: Uncaught exception: "the queue went away" \(a string was thrown, not an Error, so there is no stack: throw new Error\(…\) instead\)\n/ },
  { name: 'a log file on a full disk', args: run(fixture('self-stop.module.ts'), '--logfile', '/dev/full'), code: 1, stream: 'stderr', message: /^mode-di: cannot write the log file \/dev\/full: ENOSPC: no space left on device, write\. Log lines are being lost; the exit status will be 1\.\n$/ },
];

/**
 * Every case. Each is run by bad-input.spec.ts, which checks the exit status, the message, that
 * no stack frame is shown for a user mistake (and no framework frame ever), that it ends on its
 * own in time, and that no process is left behind.
 * @example
 * ```ts
 * for (const c of BAD_INPUTS) console.log(c.name, c.code);
 * ```
 */
export const BAD_INPUTS: readonly BadInput[] = [...commandLine, ...modules, ...graphs, ...runTime];
