// A user's project installing the packed mode-di: npm pack, then npm ci of a lockfile made from the repo's (no network needed).
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ROOT } from '../cli/harness.js';

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of a command run in a user's project: none of `npm test`'s package variables, no mode-di settings. */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^npm_(package|lifecycle)_|^npm_config_(local_)?prefix$|^MODE_/.test(name) || name === 'NODE_OPTIONS' || name === 'INIT_CWD') delete env[name];
  }
  return { ...env, ...extra };
}

/** Runs `command args` in `cwd` to its end. */
export function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = userEnv()): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** What `npm pack --json` says of the tarball. */
export interface Packed {
  readonly path: string;
  readonly integrity: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: ReadonlyArray<{ readonly path: string; readonly size: number }>;
}

/**
 * Packs the repository (as it is built: `npm test` builds first; no scripts run, so dist/ is
 * not rebuilt under specs that are using it) into `destination`.
 */
export async function pack(destination: string): Promise<Packed> {
  const result = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], ROOT);
  if (result.code !== 0) throw new Error(`npm pack failed (${result.code}):\n${result.stderr}`);
  const [info] = JSON.parse(result.stdout) as Array<{ filename: string; integrity: string; size: number; unpackedSize: number; files: Packed['files'] }>;
  return { path: join(destination, info!.filename), integrity: info!.integrity, size: info!.size, unpackedSize: info!.unpackedSize, files: info!.files };
}

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dev?: boolean;
  peer?: boolean;
  devOptional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [field: string]: unknown;
}

const repoLock = (): Record<string, LockEntry> => (JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }).packages;

/** Where Node would find `name` from the package at `from` (a lockfile path), in the repo's tree. */
function locate(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  for (let dir = from; ; ) {
    const path = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (packages[path]) return path;
    if (!dir) return undefined;
    const at = dir.lastIndexOf('/node_modules/');
    dir = at < 0 ? '' : dir.slice(0, at);
  }
}

/**
 * The lockfile entries of `names` and everything they need, as the repo's `npm ci` installed
 * them (so their tarballs are in npm's cache), at the same places in the tree.
 */
function lockEntriesFor(names: readonly string[]): Record<string, LockEntry> {
  const packages = repoLock();
  const out: Record<string, LockEntry> = {};
  const queue = names.map((name) => {
    const path = locate(packages, '', name);
    if (!path) throw new Error(`${name} is not in the repo's package-lock.json`);
    return path;
  });
  for (let head = 0; head < queue.length; head++) {
    const path = queue[head]!;
    if (out[path]) continue;
    const { dev: _dev, peer: _peer, devOptional: _devOptional, ...entry } = packages[path]!;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    // The repo's lockfile may leave registry URLs out (omit-lockfile-registry-resolved); npm finds the tarball in its cache by integrity.
    entry.resolved ??= `https://registry.npmjs.org/${name}/-/${basename(name)}-${entry.version}.tgz`;
    out[path] = entry;
    for (const dependency of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies })) {
      const at = locate(packages, path, dependency);
      if (at) queue.push(at);
    }
  }
  return out;
}

/**
 * A user's project in a temporary folder with `files`, the packed mode-di and `dependencies`
 * (names of packages in the repo's lockfile, at its versions) installed by `npm ci` from a
 * lockfile: offline, from npm's cache, falling back to the registry only for a tarball the
 * cache lacks.
 */
export async function consumerProject(options: {
  readonly tarball: Packed;
  readonly type: 'module' | 'commonjs';
  readonly dependencies: readonly string[];
  readonly files: Record<string, string>;
}): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `mode-di-consumer-${options.type}-`));
  const tgz = basename(options.tarball.path);
  copyFileSync(options.tarball.path, join(dir, tgz));
  const modeDi = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  const entries = lockEntriesFor(options.dependencies);
  const dependencies: Record<string, string> = { 'mode-di': `file:${tgz}` };
  for (const name of options.dependencies) dependencies[name] = entries[`node_modules/${name}`]!.version!;
  const manifest = { name: 'user-app', version: '1.0.0', private: true, type: options.type, dependencies };
  const modeDiEntry = {
    version: modeDi['version'],
    resolved: `file:${tgz}`,
    integrity: options.tarball.integrity,
    license: modeDi['license'],
    dependencies: modeDi['dependencies'],
    peerDependencies: modeDi['peerDependencies'],
    bin: modeDi['bin'],
    engines: modeDi['engines'],
  };
  const modeDiDependencies = lockEntriesFor(Object.keys(modeDi['dependencies'] as object));
  const packages = { '': { name: manifest.name, version: manifest.version, dependencies }, ...modeDiDependencies, ...entries, 'node_modules/mode-di': modeDiEntry };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify({ name: manifest.name, version: manifest.version, lockfileVersion: 3, requires: true, packages }, null, 2)}\n`);
  for (const [name, text] of Object.entries(options.files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  let install = await run('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], dir);
  if (install.code !== 0 && /ENOTCACHED/.test(install.stderr)) install = await run('npm', ['ci', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], dir);
  if (install.code !== 0) throw new Error(`npm ci in ${dir} failed (${install.code}):\n${install.stderr}`);
  return dir;
}
