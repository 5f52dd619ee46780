// logFor(this): plain injectable classes log under their label through the Worker (text, JSON, --logfile, --quiet).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerModule, injectable } from 'inversify';
import { describe, expect, it } from 'vitest';
import { Application } from '../../lib/application/application.js';
import type { LifecycleEvent } from '../../lib/lifecycle/events.js';
import { logFor } from '../../lib/service/log-for.js';
import { onStart, onStop } from '../../lib/service/decorators.js';
import { fixture, LOG_LINE, linesOf, messagesOf, startCli } from '../cli/harness.js';
import { harness } from '../support/worker-harness.js';

@injectable()
class Cache {
  readonly log = logFor(this);
  @onStart() connect() {
    this.log.info('connected to %s', 'redis://cache');
  }
  @onStop() close() {
    this.log.warning('flushing %d keys', 3);
  }
}

@injectable()
class Api {
  constructor(readonly cache: Cache) {}
  @onStart() listen() {
    logFor(this).debug('binding port %d', 8080);
  }
}

const appModule = new ContainerModule(({ bind }) => {
  bind(Api).toSelf().inSingletonScope();
  bind(Cache).toSelf().inSingletonScope();
});

describe('logFor', () => {
  it('logs a plain class under its label and depth, in the Worker\'s text format', async () => {
    const h = harness(appModule, { loglevel: 'debug' });
    const status = h.worker.run();
    await h.until('Started in');
    await h.worker.stop();
    expect(await status).toBe(0);
    await h.worker.close();
    const m = messagesOf(h.out());
    expect(m).toContain('[^--Cache]: connected to redis://cache');
    expect(m).toContain('[^-Api]: binding port 8080');
    expect(m).toContain('[^--Cache]: flushing 3 keys');
    expect(h.out()).toMatch(/: WARNING\]: \[\^--Cache\]: flushing 3 keys\n/);
    // In order: logged from the hooks, between the lifecycle lines of the same service.
    expect(m.indexOf('[^--Cache]: connected to redis://cache')).toBeLessThan(m.indexOf('[^-Api]: Starting...'));
    expect(m.indexOf('[^-Api]: -Stopped!')).toBeLessThan(m.indexOf('[^--Cache]: flushing 3 keys'));
  });

  it('writes JSON records with --log-format json, and honours the level', async () => {
    const h = harness(appModule, { logFormat: 'json', loglevel: 'info' });
    const status = h.worker.run();
    await h.until('Started in');
    await h.worker.stop();
    expect(await status).toBe(0);
    await h.worker.close();
    const records = linesOf(h.out()).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toContainEqual(expect.objectContaining({ level: 'INFO', label: 'Cache', depth: 2, message: 'connected to redis://cache' }));
    expect(records).toContainEqual(expect.objectContaining({ level: 'WARNING', label: 'Cache', depth: 2, message: 'flushing 3 keys' }));
    // DEBUG is below the level: not written.
    expect(records.some((r) => r['message'] === 'binding port 8080')).toBe(false);
  });

  it('emits service.log events naming the service, with the same logger each time', async () => {
    const app = new Application(appModule);
    const events: LifecycleEvent[] = [];
    app.on('service.log', (e) => events.push(e));
    await app.start();
    const cache = app.get(Cache);
    expect(logFor(cache)).toBe(cache.log);
    cache.log.exception(new Error('boom'), 'refresh failed for %s', 'users');
    await app.stop();
    const logs = events.map((e) => (e.type === 'service.log' ? [e.service.label, e.level, e.message, e.error?.message] : []));
    expect(logs).toEqual([
      ['Cache', 'info', 'connected to redis://cache', undefined],
      ['Api', 'debug', 'binding port 8080', undefined],
      ['Cache', 'error', 'refresh failed for users', 'boom'],
      ['Cache', 'warning', 'flushing 3 keys', undefined],
    ]);
  });

  it('reaches the log format, --logfile and --quiet of the real CLI', async () => {
    const text = startCli(['run', fixture('plain-logger.module.ts')]);
    await text.waitFor('Started in');
    text.kill('SIGINT');
    const exit = await text.exited;
    expect(exit.code).toBe(0);
    for (const line of linesOf(exit.stdout).filter((l) => l.startsWith('['))) expect(line).toMatch(LOG_LINE);
    const m = messagesOf(exit.stdout);
    expect(m).toContain('[^--Cache]: connected to redis://cache');
    expect(m).toContain('[^-Api]: fell back to 8080');
    expect(m).toContain('[^--Cache]: flushing 3 keys');
    // The error's stack follows its line, as for this.log on a Service.
    expect(exit.stdout).toMatch(/\[\^-Api\]: fell back to 8080\nError: port 80 is taken\n\s+at /);

    const dir = mkdtempSync(join(tmpdir(), 'mode-di-logfor-'));
    const logfile = join(dir, 'app.log');
    const quiet = startCli(['run', fixture('plain-logger.module.ts'), '--quiet', '--log-format', 'json', '--logfile', logfile]);
    // Nothing on the console to wait on: the log file says when it started.
    await waitForFile(logfile, '"message":"Started in');
    quiet.kill('SIGTERM');
    const quietExit = await quiet.exited;
    expect(quietExit.code).toBe(0);
    expect(quietExit.stdout).toBe('');
    const records = linesOf(readFileSync(logfile, 'utf8')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toContainEqual(expect.objectContaining({ label: 'Cache', level: 'INFO', message: 'connected to redis://cache' }));
    expect(records).toContainEqual(expect.objectContaining({ label: 'Api', level: 'ERROR', message: 'fell back to 8080', error: expect.objectContaining({ message: 'port 80 is taken' }) }));
    expect(records).toContainEqual(expect.objectContaining({ label: 'Cache', level: 'WARNING', message: 'flushing 3 keys' }));
  });
});

/** Resolves once `file` contains `text` (polled: a file has no event to wait on portably). */
async function waitForFile(file: string, text: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    let content = '';
    try {
      content = readFileSync(file, 'utf8');
    } catch {
      // Not created yet.
    }
    if (content.includes(text)) return;
    if (Date.now() > until) throw new Error(`${file} never showed ${text}:\n${content}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
