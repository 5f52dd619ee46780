// Remembers the last `mode-di run` command line parsed in a project, so running it again skips yargs.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { modeDiVersion, writeFileAtomic } from '../utils/files.js';
import type { ParsedCommand } from './parse.js';
import type { RunArguments } from './run-options.js';

/** The cache file, beside the compiled modules. One entry: the last command line. */
const FILE = 'command-line.json';

interface Entry {
  readonly key: string;
  readonly args: RunArguments;
}

let yargsVersion: string | undefined;
function yargsVersionOf(): string {
  if (yargsVersion === undefined) {
    try {
      const path = createRequire(import.meta.url).resolve('yargs/package.json');
      yargsVersion = (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
    } catch {
      yargsVersion = 'unknown';
    }
  }
  return yargsVersion;
}

/** Variables that are no option (so no part of a parse) and must never be written to disk. */
const SECRETS = new Set(['MODE_CONSOLE_TOKEN']);

/**
 * Everything a parse depends on: the arguments, the `MODE*` environment variables (yargs
 * reads options from them), and the versions of mode-di and yargs. Equal keys, equal parses.
 */
function keyOf(argv: readonly string[], env: NodeJS.ProcessEnv): string {
  const modeEnv = Object.keys(env)
    .filter((name) => name.startsWith('MODE') && !SECRETS.has(name))
    .sort()
    .map((name) => [name, env[name]]);
  return JSON.stringify({ argv, env: modeEnv, modeDi: modeDiVersion(), yargs: yargsVersionOf() });
}

/**
 * The parse of an identical `mode-di run` command line (same arguments, same `MODE*`
 * variables, same mode-di and yargs versions) remembered in `dir` by {@link rememberParse};
 * `undefined` when there is none. Only successful parses of `run` are remembered, so help,
 * version and mistakes always go through yargs.
 *
 * @example
 * ```ts
 * const parsed = recallParse(argv, defaultCacheDir(process.cwd())) ?? (await parseCommandLine(argv));
 * ```
 */
export function recallParse(argv: readonly string[], dir: string | undefined, env: NodeJS.ProcessEnv = process.env): ParsedCommand | undefined {
  if (dir === undefined) return undefined;
  let entry: Partial<Entry> | null;
  try {
    entry = JSON.parse(readFileSync(join(dir, FILE), 'utf8')) as Partial<Entry> | null;
  } catch {
    return undefined;
  }
  if (entry?.key !== keyOf(argv, env) || typeof entry.args !== 'object' || entry.args === null) return undefined;
  return { command: 'run', args: entry.args };
}

/**
 * Remembers a successful parse of `mode-di run` in `dir` for {@link recallParse}, replacing
 * the previous one. Anything else (help, version) is not remembered; a folder that cannot
 * be written is skipped silently.
 *
 * @example
 * ```ts
 * const parsed = await parseCommandLine(argv);
 * rememberParse(argv, parsed, dir);
 * ```
 */
export function rememberParse(argv: readonly string[], parsed: ParsedCommand, dir: string | undefined, env: NodeJS.ProcessEnv = process.env): void {
  if (dir === undefined || parsed.command !== 'run') return;
  const entry: Entry = { key: keyOf(argv, env), args: parsed.args };
  writeFileAtomic(join(dir, FILE), JSON.stringify(entry));
}
