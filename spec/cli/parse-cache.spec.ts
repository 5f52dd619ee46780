// Recalling an identical `mode-di run` parse: same result as yargs, and never a stale one.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../lib/cli/parse.js';
import { recallParse, rememberParse } from '../../lib/cli/parse-cache.js';
import { toWorkerOptions } from '../../lib/cli/run-options.js';

const freshDir = () => mkdtempSync(join(tmpdir(), 'mode-di-parse-cache-'));

/** Parses with yargs under `env` (as the CLI would see it), then remembers the parse in `dir`. */
async function parseAndRemember(argv: string[], env: NodeJS.ProcessEnv, dir: string) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const parsed = await parseCommandLine(argv, () => {});
    rememberParse(argv, parsed, dir, env);
    return parsed;
  } finally {
    for (const name of Object.keys(env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

describe('the remembered command line', () => {
  it.each([
    [['run', 'app.ts']],
    [['run', 'app.ts', '--loglevel', 'DEBUG', '--logfile', 'app.log', '--log-format', 'json', '--shutdown-timeout', '1m30s', '--service', 'Web', '--service', 'Db,Cache', '--quiet', '--no-color']],
    [['run', '--loglevel', 'error', 'samples/tutorial/app.module.ts', '--color']],
  ])('gives the same options as yargs for %j', async (argv) => {
    const dir = freshDir();
    const parsed = await parseAndRemember(argv, {}, dir);
    const recalled = recallParse(argv, dir, {});
    expect(recalled).toEqual(JSON.parse(JSON.stringify(parsed)));
    expect(toWorkerOptions((recalled as { args: Parameters<typeof toWorkerOptions>[0] }).args)).toEqual(toWorkerOptions((parsed as { args: Parameters<typeof toWorkerOptions>[0] }).args));
  });

  it('is not used for other arguments, other MODE* variables, or another version', async () => {
    const dir = freshDir();
    const argv = ['run', 'app.ts', '--loglevel', 'warning'];
    await parseAndRemember(argv, { MODE_SHUTDOWN_TIMEOUT: '5s' }, dir);
    expect(recallParse(argv, dir, { MODE_SHUTDOWN_TIMEOUT: '5s' })).toBeDefined();
    expect(recallParse(['run', 'app.ts', '--loglevel', 'error'], dir, { MODE_SHUTDOWN_TIMEOUT: '5s' })).toBeUndefined();
    expect(recallParse(['run', 'app.ts'], dir, { MODE_SHUTDOWN_TIMEOUT: '5s' })).toBeUndefined();
    expect(recallParse(argv, dir, {})).toBeUndefined();
    expect(recallParse(argv, dir, { MODE_SHUTDOWN_TIMEOUT: '6s' })).toBeUndefined();
    expect(recallParse(argv, dir, { MODE_SHUTDOWN_TIMEOUT: '5s', MODE_COLOR: 'false' })).toBeUndefined();
    // Variables outside the prefix do not matter.
    expect(recallParse(argv, dir, { MODE_SHUTDOWN_TIMEOUT: '5s', PATH: '/elsewhere' })).toBeDefined();
    // An entry written by another mode-di or yargs version is not used.
    const file = join(dir, 'command-line.json');
    const entry = JSON.parse(readFileSync(file, 'utf8')) as { key: string };
    writeFileSync(file, JSON.stringify({ ...entry, key: entry.key.replace(/"modeDi":"[^"]*"/, '"modeDi":"0.0.0-other"') }));
    expect(recallParse(argv, dir, { MODE_SHUTDOWN_TIMEOUT: '5s' })).toBeUndefined();
  });

  it('never writes the console token to disk (it is no option, so no part of the parse)', async () => {
    const dir = freshDir();
    const token = 'a-console-token-not-for-disk';
    const argv = ['run', 'app.ts', '--console-port', '0'];
    await parseAndRemember(argv, { MODE_CONSOLE_TOKEN: token }, dir);
    expect(readFileSync(join(dir, 'command-line.json'), 'utf8')).not.toContain(token);
    expect(recallParse(argv, dir, { MODE_CONSOLE_TOKEN: 'another-token-entirely' })).toBeDefined();
  });

  it('keeps only the last command line, and remembers no help, version or mistake', async () => {
    const dir = freshDir();
    await parseAndRemember(['run', 'a.ts'], {}, dir);
    await parseAndRemember(['run', 'b.ts'], {}, dir);
    expect(recallParse(['run', 'a.ts'], dir, {})).toBeUndefined();
    expect(recallParse(['run', 'b.ts'], dir, {})).toMatchObject({ command: 'run', args: { module: 'b.ts' } });
    const other = freshDir();
    expect(await parseAndRemember(['run', '--help'], {}, other)).toEqual({ command: 'none' });
    await expect(parseAndRemember(['run', 'a.ts', '--nope'], {}, other)).rejects.toThrow(/Unknown argument: nope/);
    expect(readdirSync(other)).toEqual([]);
  });

  it('treats a missing, corrupt or unwritable cache as no cache', () => {
    const dir = freshDir();
    expect(recallParse(['run', 'a.ts'], dir, {})).toBeUndefined();
    writeFileSync(join(dir, 'command-line.json'), '{"key": 1');
    expect(recallParse(['run', 'a.ts'], dir, {})).toBeUndefined();
    writeFileSync(join(dir, 'command-line.json'), 'null');
    expect(recallParse(['run', 'a.ts'], dir, {})).toBeUndefined();
    expect(recallParse(['run', 'a.ts'], undefined, {})).toBeUndefined();
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    expect(() => rememberParse(['run', 'a.ts'], { command: 'run', args: { module: 'a.ts' } as never }, join(file, 'below'), {})).not.toThrow();
  });
});
