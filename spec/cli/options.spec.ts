// Parsing `mode-di run` options (yargs, MODE_* variables) into WorkerOptions.
import { afterEach, describe, expect, it } from 'vitest';
import { CommandLineError, parseCommandLine } from '../../lib/cli/parse.js';
import { reportFailure } from '../../lib/cli/report.js';
import { optionsFromEnvironment } from '../../lib/cli/option-values.js';
import { RUN_OPTIONS, toWorkerOptions } from '../../lib/cli/run-options.js';
import { UsageError } from '../../lib/errors/index.js';

const saved = { ...process.env };
afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
});

async function parse(...argv: string[]) {
  const parsed = await parseCommandLine(argv, () => {});
  if (parsed.command !== 'run') throw new Error('expected run');
  return toWorkerOptions(parsed.args);
}

describe('mode-di run options', () => {
  it('has defaults', async () => {
    expect(await parse('run', 'app.ts')).toEqual({ module: 'app.ts', options: { loglevel: 'info', logFormat: 'text', shutdownTimeout: 30_000, blockingTimeout: 10_000, quiet: false } });
  });

  it('maps every option', async () => {
    const { options } = await parse('run', 'app.ts', '--loglevel', 'DEBUG', '--logfile', 'app.log', '--log-format', 'json', '--shutdown-timeout', '1m30s', '--blocking-timeout', '500ms', '--service', 'Web', '--service', 'Db,Cache', '--quiet', '--no-color');
    expect(options).toEqual({ loglevel: 'debug', logfile: 'app.log', logFormat: 'json', shutdownTimeout: 90_000, blockingTimeout: 500, services: ['Web', 'Db', 'Cache'], quiet: true, color: false });
  });

  it('names every option as WorkerOptions does (--services), and still takes the old --service and MODE_SERVICE', async () => {
    expect((await parse('run', 'app.ts', '--services', 'Web,Db')).options.services).toEqual(['Web', 'Db']);
    expect((await parse('run', 'app.ts', '--service', 'Web', '--services', 'Db')).options.services).toEqual(['Web', 'Db']);
    expect(toWorkerOptions({ ...optionsFromEnvironment({ MODE_SERVICE: 'Api' }), module: 'app.ts' }).options.services).toEqual(['Api']);
    expect(toWorkerOptions({ ...optionsFromEnvironment({ MODE_SERVICE: 'Api', MODE_SERVICES: 'Web' }), module: 'app.ts' }).options.services).toEqual(['Web']);
    // A flag's camelCase is its WorkerOptions name, for every flag that maps to one.
    const mapped = await parse('run', 'app.ts', '--loglevel', 'debug', '--logfile', 'a.log', '--log-format', 'json', '--shutdown-timeout', '1s', '--blocking-timeout', '1s', '--console-port', '1', '--console-host', '::1', '--services', 'A', '--graph', 'g.svg', '--quiet', '--color', '--health-port', '2', '--health-host', '::1', '--drain', '1s', '--grace-period', '9s');
    const flags = Object.keys(RUN_OPTIONS).filter((flag) => flag !== 'watch' && flag !== 'console-socket');
    expect(Object.keys(mapped.options).sort()).toEqual(flags.map((flag) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())).sort());
  });

  it('maps the console options, and refuses contradictory ones', async () => {
    expect((await parse('run', 'app.ts', '--console-socket', 'run/c.sock')).options).toMatchObject({ consoleSocket: 'run/c.sock' });
    expect((await parse('run', 'app.ts', '--console-port', '50101')).options).toMatchObject({ consolePort: 50101 });
    expect((await parse('run', 'app.ts', '--console-port', '0', '--console-host', '0.0.0.0')).options).toMatchObject({ consolePort: 0, consoleHost: '0.0.0.0' });
    await expect(parse('run', 'app.ts', '--console-port', 'x')).rejects.toThrow(/Invalid --console-port "x"/);
    await expect(parse('run', 'app.ts', '--console-port', '70000')).rejects.toThrow(/Invalid --console-port "70000"/);
    await expect(parse('run', 'app.ts', '--console-host', '0.0.0.0')).rejects.toThrow(/--console-host goes with --console-port/);
    await expect(parse('run', 'app.ts', '--console-socket', 'a', '--console-port', '1')).rejects.toThrow(/not both/);
  });

  it('lets the last of a repeated option win', async () => {
    expect((await parse('run', 'app.ts', '--loglevel', 'debug', '--loglevel', 'error')).options.loglevel).toBe('error');
  });

  it('reads MODE_* variables, the command line winning over them', async () => {
    process.env['MODE_LOGLEVEL'] = 'warning';
    process.env['MODE_SHUTDOWN_TIMEOUT'] = '5s';
    process.env['MODE_LOG_FORMAT'] = 'json';
    process.env['MODE_COLOR'] = 'false';
    process.env['MODE_BLOCKING_TIMEOUT'] = '0';
    const { options } = await parse('run', 'app.ts', '--loglevel', 'error');
    expect(options).toMatchObject({ loglevel: 'error', shutdownTimeout: 5_000, logFormat: 'json', color: false, blockingTimeout: 0 });
  });

  it('ignores (and keeps) variables that only start like the prefix', async () => {
    process.env['MODE'] = 'test';
    process.env['MODEL_DIR'] = '/models';
    process.env['MODE_DI_CACHE_DIR'] = '/tmp/cache';
    expect((await parse('run', 'app.ts')).module).toBe('app.ts');
    expect(process.env).toMatchObject({ MODE: 'test', MODEL_DIR: '/models', MODE_DI_CACHE_DIR: '/tmp/cache' });
  });

  it('accepts 0 as "no shutdown deadline"', async () => {
    expect((await parse('run', 'app.ts', '--shutdown-timeout', '0')).options.shutdownTimeout).toBe(0);
  });

  it('maps --graph (or MODE_GRAPH) to the Worker\'s graph file', async () => {
    expect((await parse('run', 'app.ts', '--graph', 'graph.svg')).options.graph).toBe('graph.svg');
    process.env['MODE_GRAPH'] = 'graph.png';
    expect((await parse('run', 'app.ts')).options.graph).toBe('graph.png');
    await expect(parse('run', 'app.ts', '--graph', ' ')).rejects.toThrow(new UsageError('--graph needs a file path, e.g. --graph graph.svg'));
  });

  it.each([
    [['run', 'app.ts', '--nope'], /Unknown argument: nope/],
    [['run', 'app.ts', '--loglevel', 'loud'], /Invalid values:\s+Argument: loglevel, Given: "loud"/],
    [['run', 'app.ts', '--log-format'], /Not enough arguments following: log-format/],
    [['deploy'], /Unknown command "deploy"/],
    [[], /Say what to do/],
  ])('rejects %j with a CommandLineError', async (argv, message) => {
    const error = await parseCommandLine(argv, () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandLineError);
    expect((error as Error).message).toMatch(message);
  });

  it.each([
    [['run'], /mode-di run needs the module to run/],
    [['run', 'app.ts', '--shutdown-timeout', '30'], /Invalid --shutdown-timeout "30": has no unit; write '30ms' or '30s'/],
    [['run', 'app.ts', '--services', ''], /--services needs a service label/],
    [['run', 'app.ts', '--service', ''], /--services needs a service label/],
  ])('rejects %j with a UsageError', async (argv, message) => {
    const error = await parse(...argv).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
  });

  it.each([
    ['1', true], ['0', false], ['yes', true], ['NO', false], ['True', true], ['false', false],
  ])('reads MODE_QUIET=%s as %s', async (value, quiet) => {
    process.env['MODE_QUIET'] = value;
    process.env['MODE_COLOR'] = value;
    expect((await parse('run', 'app.ts')).options).toMatchObject({ quiet, color: quiet });
  });

  it.each([
    [['--quiet=YES'], { quiet: true }],
    [['--quiet=0'], { quiet: false }],
    [['--color=no'], { color: false }],
    [['--no-color=false'], { color: true }],
    [['--no-color'], { color: false }],
  ])('reads %j', async (flags, expected) => {
    expect((await parse('run', 'app.ts', ...flags)).options).toMatchObject(expected);
  });

  it.each([
    [{ MODE_QUIET: 'maybe' }, /^Invalid MODE_QUIET=maybe: a yes\/no option takes true, false, 1, 0, yes or no\.$/],
    [{ MODE_COLOR: 'on' }, /^Invalid MODE_COLOR=on: /],
    [{ MODE_LOGLEVEL: 'loud' }, /^Invalid MODE_LOGLEVEL=loud: use one of debug, info, warning, error, critical\.$/],
    [{ MODE_LOG_FORMAT: 'xml' }, /^Invalid MODE_LOG_FORMAT=xml: use one of text, json\.$/],
    [{ MODE_SHUTDOWN_TIMEOUT: '5' }, /^Invalid MODE_SHUTDOWN_TIMEOUT "5": has no unit/],
  ])('names the variable in %j', async (env, message) => {
    Object.assign(process.env, env);
    const error = await parse('run', 'app.ts').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
  });

  it('lets the command line win over a variable', async () => {
    process.env['MODE_QUIET'] = 'true';
    expect((await parse('run', 'app.ts', '--quiet=no')).options.quiet).toBe(false);
  });

  it.each([
    [['--color=maybe'], /^Invalid --color=maybe: a yes\/no option takes/],
    [['--no-quiet=perhaps'], /^Invalid --no-quiet=perhaps: /],
  ])('refuses %j naming the flag', async (flags, message) => {
    const error = await parse('run', 'app.ts', ...flags).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
  });

  it.each([
    ['--loglvel', /Unknown argument: loglvel\. Did you mean --loglevel\?$/],
    ['--shutdown-timout=1s', /Did you mean --shutdown-timeout\?$/],
    ['--no-colour', /Unknown argument: colour\. Did you mean --color\?$/],
    ['--frobnicate', /^Unknown argument: frobnicate$/],
  ])('suggests the option meant by %s', async (flag, message) => {
    const error = await parseCommandLine(['run', 'app.ts', flag], () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandLineError);
    expect((error as Error).message).toMatch(message);
  });

  it('prints help without running anything', async () => {
    let printed = '';
    expect(await parseCommandLine(['run', '--help'], (text) => (printed += text))).toEqual({ command: 'none' });
    expect(printed).toContain('--shutdown-timeout');
  });
});

describe('reportFailure', () => {
  const capture = () => {
    let text = '';
    return { stream: { write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WritableStream, text: () => text };
  };
  it('prints usage errors in one paragraph with status 2, and surprises with their stack and status 1', () => {
    const usage = capture();
    expect(reportFailure(new UsageError('Cannot load app.ts: no such file.'), usage.stream)).toBe(2);
    expect(usage.text()).toBe('mode-di: Cannot load app.ts: no such file.\n');
    const cli = capture();
    expect(reportFailure(new CommandLineError('Unknown argument: nope'), cli.stream)).toBe(2);
    expect(cli.text()).toBe("mode-di: Unknown argument: nope\nRun 'mode-di run --help' for the options.\n");
    const bug = capture();
    expect(reportFailure(new Error('oops'), bug.stream)).toBe(1);
    expect(bug.text()).toMatch(/^mode-di: unexpected failure: Error: oops\n\s+at /);
  });
});
