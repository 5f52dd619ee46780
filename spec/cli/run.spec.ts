// `mode-di run` end to end: the log format, the start and stop order, options and MODE_* variables.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, LOG_LINE, linesOf, messagesOf, runCli, startCli } from './harness.js';

/** Runs a fixture until "Started", stops it with SIGTERM, and returns how it ended. */
async function runUntilStarted(args: readonly string[], env?: NodeJS.ProcessEnv) {
  const cli = startCli(args, env ? { env } : {});
  if (env?.['READY_ON_STDERR']) await cli.waitFor('READY', { stream: 'stderr' });
  else await cli.waitFor(/\]: \[\^Worker\]: Started|"message":"Started/);
  cli.kill('SIGTERM');
  return cli.exited;
}

/** Position of the first log line whose `[^--Label]: message` part is exactly `text`. */
function at(messages: readonly string[], label: string, message: string): number {
  const i = messages.findIndex((m) => m.replace(/^\[\^-*/, '[') === `[${label}]: ${message}`);
  if (i < 0) throw new Error(`No line "[${label}]: ${message}" in:\n${messages.join('\n')}`);
  return i;
}

describe('mode-di run', () => {
  it('logs every line in Mode\'s format, starts dependencies first and stops them last', async () => {
    const exit = await runUntilStarted(['run', fixture('chain.module.ts')]);
    expect(exit.code).toBe(0);
    const lines = linesOf(exit.stdout);
    for (const line of lines) expect(line).toMatch(LOG_LINE);
    expect(exit.stdout).not.toContain('\x1b[');
    const m = messagesOf(exit.stdout);
    expect(m[0]).toBe('[^Worker]: Starting...');
    expect(m.at(-1)).toBe('[^Worker]: -Stopped!');
    // Depth: one dash per level below the Worker (App is a root, Database two levels below it).
    expect(m).toContain('[^-App]: Starting...');
    expect(m).toContain('[^--Api]: Starting...');
    expect(m).toContain('[^---Database]: Starting...');
    expect(m).toContain('[^-Metrics]: Starting...');
    // Start: each dependency is running before its dependent starts.
    expect(at(m, 'Database', 'connected')).toBeLessThan(at(m, 'Api', 'Starting...'));
    expect(at(m, 'Api', 'Starting...')).toBeLessThan(at(m, 'App', 'Starting...'));
    expect(at(m, 'App', 'Starting...')).toBeLessThan(m.findIndex((x) => x.startsWith('[^Worker]: Started in ')));
    // Stop: Mode's sequence, each dependent stopped before what it depends on begins to stop.
    const stopping = at(m, 'Worker', 'Stopping...');
    expect(at(m, 'Worker', 'Signal received: SIGTERM')).toBeLessThan(stopping);
    expect(at(m, 'App', '-Stopped!')).toBeLessThan(at(m, 'Api', 'Stopping...'));
    expect(at(m, 'Api', '-Stopped!')).toBeLessThan(at(m, 'Database', 'Stopping...'));
    expect(at(m, 'Database', 'disconnected')).toBeLessThan(at(m, 'Database', '-Stopped!'));
    expect(stopping).toBeLessThan(at(m, 'Worker', 'Gathering service tasks...'));
    expect(at(m, 'Database', '-Stopped!')).toBeLessThan(at(m, 'Worker', 'Gathering all futures...'));
    expect(at(m, 'Metrics', '-Stopped!')).toBeLessThan(at(m, 'Worker', 'Gathering all futures...'));
    // Plain injectables (Config) are part of the graph but only logged at DEBUG.
    expect(exit.stdout).not.toContain('Config');
  });

  it('prints WARNING lines from services, and DEBUG lines only with --loglevel debug', async () => {
    const info = await runUntilStarted(['run', fixture('chain.module.ts')]);
    expect(info.stdout).toMatch(/: WARNING\]: \[\^-Metrics\]: metrics warning line\n/);
    expect(info.stdout).not.toContain('DEBUG');
    const debug = await runUntilStarted(['run', fixture('chain.module.ts'), '--loglevel', 'debug']);
    expect(debug.stdout).toMatch(/: DEBUG\]: \[\^-Metrics\]: metrics debug line\n/);
    expect(debug.stdout).toMatch(/: DEBUG\]: \[\^----Config\]: Starting\.\.\.\n/);
    expect(debug.stdout).toMatch(/: DEBUG\]: \[\^---Database\]: Running onStart\.\.\.\n/);
    for (const line of linesOf(debug.stdout)) expect(line).toMatch(LOG_LINE);
  });

  it('takes options from MODE_* environment variables', async () => {
    const exit = await runUntilStarted(['run', fixture('chain.module.ts')], { MODE_LOGLEVEL: 'warning', MODE_SERVICE: 'Metrics,App', READY_ON_STDERR: '1' });
    expect(exit.code).toBe(0);
    const lines = linesOf(exit.stdout);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/: (WARNING|ERROR|CRITICAL)\]: /);
    expect(exit.stdout).toContain('metrics warning line');
  });

  it('recalls an identical command line without parsing it again, but never a changed one', async () => {
    // Its own cache folder, so the runs of other specs cannot replace the remembered parse.
    const cache = mkdtempSync(join(tmpdir(), 'mode-di-recall-'));
    const args = ['run', fixture('chain.module.ts')];
    const first = await runUntilStarted(args, { MODE_DI_CACHE_DIR: cache });
    expect(first.stdout).not.toContain('DEBUG');
    expect(JSON.parse(readFileSync(join(cache, 'command-line.json'), 'utf8'))).toMatchObject({ args: { module: fixture('chain.module.ts') } });
    const again = await runUntilStarted(args, { MODE_DI_CACHE_DIR: cache });
    const timeless = (out: string) => messagesOf(out).map((m) => m.replace(/[\d.]+m?s\b/g, 'T'));
    expect(timeless(again.stdout)).toEqual(timeless(first.stdout));
    // The remembered parse is what runs: edited to say debug, the same command line logs DEBUG.
    const file = join(cache, 'command-line.json');
    const entry = JSON.parse(readFileSync(file, 'utf8')) as { args: Record<string, unknown> };
    writeFileSync(file, JSON.stringify({ ...entry, args: { ...entry.args, loglevel: 'debug' } }));
    expect((await runUntilStarted(args, { MODE_DI_CACHE_DIR: cache })).stdout).toContain(': DEBUG]: ');
    // A changed MODE_* variable (or argument) is a different command line: parsed, and obeyed.
    const debug = await runUntilStarted(args, { MODE_DI_CACHE_DIR: cache, MODE_LOGLEVEL: 'debug' });
    expect(debug.stdout).toMatch(/: DEBUG\]: \[\^-Metrics\]: metrics debug line\n/);
    const bad = await runCli([...args, '--loglevel', 'loud'], { env: { MODE_DI_CACHE_DIR: cache } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Invalid values/);
  });

  it('reads MODE_QUIET=1 as quiet (not as off)', async () => {
    const exit = await runUntilStarted(['run', fixture('chain.module.ts')], { MODE_QUIET: '1', READY_ON_STDERR: '1' });
    expect(exit.code).toBe(0);
    expect(exit.stdout).toBe('');
  });

  it('starts only the chosen --service and what it needs', async () => {
    const exit = await runUntilStarted(['run', fixture('chain.module.ts'), '--service', 'Api']);
    expect(exit.code).toBe(0);
    const m = messagesOf(exit.stdout);
    expect(m).toContain('[^-Api]: Starting...');
    expect(m).toContain('[^--Database]: Starting...');
    expect(exit.stdout).not.toContain('App]');
    expect(exit.stdout).not.toContain('Metrics]');
    expect(exit.stdout).toMatch(/Started in .* \(3 services\)/);
  });

  it('writes JSON lines with --log-format json', async () => {
    const exit = await runUntilStarted(['run', fixture('chain.module.ts'), '--log-format', 'json']);
    expect(exit.code).toBe(0);
    const records = linesOf(exit.stdout).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records[0]).toMatchObject({ level: 'INFO', label: 'Worker', depth: 0, message: 'Starting...' });
    expect(records).toContainEqual(expect.objectContaining({ level: 'INFO', label: 'Database', depth: 3, message: 'Starting...' }));
    expect(records.at(-1)).toMatchObject({ label: 'Worker', message: '-Stopped!' });
    for (const r of records) expect(r['timestamp']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('logs to --logfile (appending) and nothing to the console with --quiet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mode-di-logfile-'));
    const logfile = join(dir, 'app.log');
    const first = await runUntilStarted(['run', fixture('chain.module.ts'), '--quiet', '--logfile', logfile], { READY_ON_STDERR: '1' });
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('');
    const once = readFileSync(logfile, 'utf8');
    for (const line of linesOf(once)) expect(line).toMatch(LOG_LINE);
    expect(once.trimEnd().endsWith('[^Worker]: -Stopped!')).toBe(true);
    const second = await runUntilStarted(['run', fixture('chain.module.ts'), '--logfile', logfile]);
    expect(second.stdout).toContain('[^Worker]: -Stopped!');
    const twice = readFileSync(logfile, 'utf8');
    expect(twice.startsWith(once)).toBe(true);
    expect(linesOf(twice).length).toBe(linesOf(once).length + linesOf(second.stdout).length);
  });

  it('colours the log only when asked (stdout here is a pipe)', async () => {
    const plain = await runUntilStarted(['run', fixture('chain.module.ts')]);
    expect(plain.stdout).not.toContain('\x1b[');
    const colored = await runUntilStarted(['run', fixture('chain.module.ts'), '--color']);
    expect(colored.stdout).toContain(': WARNING]: \x1b[33m[^-Metrics]: metrics warning line\x1b[0m');
    expect(colored.stdout).toContain(': INFO]: [^Worker]: Starting...');
    const off = await runUntilStarted(['run', fixture('chain.module.ts'), '--no-color']);
    expect(off.stdout).not.toContain('\x1b[');
  });

  it('runs a Mode-style service tree (a Service as the default export)', async () => {
    const exit = await runUntilStarted(['run', fixture('mode-style.ts')]);
    expect(exit.code).toBe(0);
    const m = messagesOf(exit.stdout);
    expect(at(m, 'PageViewCache', 'Starting...')).toBeLessThan(at(m, 'AppService', 'Starting...'));
    expect(m).toContain('[^-AppService]: APP STARTING');
    expect(m).toContain('[^--Websockets]: -Stopped!');
    expect(at(m, 'AppService', '-Stopped!')).toBeLessThan(at(m, 'PageViewCache', 'Stopping...'));
  });

  it('prints help and the version, exiting 0', async () => {
    const help = await runCli(['run', '--help']);
    expect(help.code).toBe(0);
    for (const option of ['--loglevel', '--logfile', '--log-format', '--shutdown-timeout', '--blocking-timeout', '--console-socket', '--console-port', '--console-host', '--service', '--graph', '--quiet', '--color', 'MODE_LOGLEVEL']) {
      expect(help.stdout).toContain(option);
    }
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('mode-di run <module>');
    expect(top.stdout).toContain('mode-di graph <module>');
    expect(top.stdout).toContain('mode-di plan <module>');
    expect(top.stdout).toContain('mode-di console');
    const consoleHelp = await runCli(['console', '--help']);
    expect(consoleHelp.code).toBe(0);
    for (const option of ['--socket', '--port', '--host', '--token', 'MODE_CONSOLE_TOKEN']) expect(consoleHelp.stdout).toContain(option);
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
