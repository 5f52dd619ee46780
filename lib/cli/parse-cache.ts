// Remembers the last `mode-di run` command line parsed in a project, so running it again skips yargs.
//
// Why it exists: loading yargs costs ~100 ms of main-thread CPU (most of it string-width's
// Intl.Segmenter, created when cliui loads), which alone puts a warm start past its target of
// 1.3x a precompiled `node` start (bench/cli). Nothing else keeps it.
//
// Staleness contract: a remembered parse is used only when every input of the parse is the same
// as when it was made: the arguments; the name and value of every environment variable starting
// with MODE (the options' variables, read by optionsFromEnvironment); the option definitions
// (RUN_OPTIONS, functions included, as source text); mode-di's version; yargs' version. Any
// change to one of these gives another key, so the entry is parsed afresh and replaced. Only
// successful parses of `run` are remembered (help, version and mistakes always reach yargs),
// and what is recalled is checked again by toWorkerOptions, as a fresh parse is. A missing,
// corrupt or unwritable file is no cache.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { modeDiVersion, writeFileAtomic } from '../utils/files.js';
import type { ParsedCommand } from './parse.js';
import { RUN_OPTIONS, type RunArguments } from './run-options.js';

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
const SECRETS = new Set(['MODE_CONSOLE_TOKEN', 'MODE_DI_WATCH_CHILD']);

/** The option definitions as text (functions as their source): a changed definition is a changed key. */
const DEFINITIONS = JSON.stringify(RUN_OPTIONS, (_key, value: unknown) => (typeof value === 'function' ? String(value) : value));

/**
 * Everything a parse depends on (see the staleness contract above): the arguments, the
 * `MODE*` environment variables, the option definitions, and the versions of mode-di and
 * yargs. Equal keys, equal parses.
 */
function keyOf(argv: readonly string[], env: NodeJS.ProcessEnv): string {
  const modeEnv = Object.keys(env)
    .filter((name) => name.startsWith('MODE') && !SECRETS.has(name))
    .sort()
    .map((name) => [name, env[name]]);
  return JSON.stringify({ argv, env: modeEnv, definitions: DEFINITIONS, modeDi: modeDiVersion(), yargs: yargsVersionOf() });
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
