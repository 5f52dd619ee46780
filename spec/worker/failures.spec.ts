// Failures under the Worker: a crash stops everything and exits 1; a failed start rolls back and exits 1.
import { describe, expect, it } from 'vitest';
import { fixture, messagesOf, runCli } from '../cli/harness.js';

describe('Worker failures', () => {
  it('stops everything after a crash and exits 1, with the stack at the .ts line', async () => {
    const exit = await runCli(['run', fixture('crash.module.ts')]);
    expect(exit.code).toBe(1);
    expect(exit.stdout).toMatch(/: ERROR\]: \[\^-Flaky\]: Crashed: Flaky\.consume failed: Error: the queue went away\nError: the queue went away\n\s+at .*crash\.module\.ts:16:\d+/);
    const m = messagesOf(exit.stdout);
    const after = m.slice(m.findIndex((x) => x.includes('Crashed:')));
    expect(after).toContain('[^Worker]: Stopping...');
    expect(after.indexOf('[^-Flaky]: -Stopped!')).toBeLessThan(after.indexOf('[^--Steady]: Stopping...'));
    expect(m).toContain('[^Worker]: Stopped after a crash: Flaky.consume failed: Error: the queue went away');
    expect(m.at(-1)).toBe('[^Worker]: -Stopped!');
  });

  it('rolls back a failed start and exits 1', async () => {
    const exit = await runCli(['run', fixture('start-fail.module.ts')]);
    expect(exit.code).toBe(1);
    expect(exit.stdout).toMatch(/: ERROR\]: \[\^-Web\]: Start failed in onStart: Error: port 80 is taken\nError: port 80 is taken\n\s+at .*start-fail\.module\.ts:14:\d+/);
    const m = messagesOf(exit.stdout);
    expect(m).toContain('[^Worker]: Start failed: stopping the services that started...');
    expect(m.indexOf('[^--Db]: -Stopped!')).toBeGreaterThan(m.indexOf('[^-Web]: Starting...'));
    expect(m.at(-1)).toBe('[^Worker]: Start failed: Web.onStart failed: Error: port 80 is taken');
  });

  it('logs an uncaught exception as CRITICAL, stops gracefully and exits 1', async () => {
    const exit = await runCli(['run', fixture('uncaught.module.ts')]);
    expect(exit.code).toBe(1);
    expect(exit.stdout).toMatch(/: CRITICAL\]: \[\^Worker\]: Uncaught exception: Error: oops in a callback\nError: oops in a callback\n\s+at .*uncaught\.module\.ts:9:\d+/);
    const m = messagesOf(exit.stdout);
    expect(m).toContain('[^-Careless]: -Stopped!');
    expect(m.at(-1)).toBe('[^Worker]: -Stopped!');
  });

  it('says the Worker\'s stop lines once after an uncaught error', async () => {
    const exit = await runCli(['run', fixture('uncaught.module.ts')]);
    const m = messagesOf(exit.stdout);
    for (const line of ['[^Worker]: Stopping...', '[^Worker]: Gathering service tasks...', '[^Worker]: Gathering all futures...', '[^Worker]: -Stopped!']) {
      expect(m.filter((x) => x === line), line).toHaveLength(1);
    }
  });

  it('labels an unhandled rejection as one, not as an uncaught exception', async () => {
    const exit = await runCli(['run', fixture('rejection.module.ts')]);
    expect(exit.code).toBe(1);
    expect(exit.stdout).toMatch(/: CRITICAL\]: \[\^Worker\]: Unhandled rejection: Error: rejected in a callback\nError: rejected in a callback\n\s+at .*rejection\.module\.ts:9:\d+/);
    expect(exit.stdout).not.toContain('Uncaught exception');
    expect(messagesOf(exit.stdout).filter((x) => x === '[^Worker]: Stopping...')).toHaveLength(1);
  });

  it('reports a thrown string without a stack of its own', async () => {
    const exit = await runCli(['run', fixture('throws-string.module.ts')]);
    expect(exit.code).toBe(1);
    expect(exit.stdout).toMatch(/: CRITICAL\]: \[\^Worker\]: Uncaught exception: "the queue went away" \(a string was thrown, not an Error, so there is no stack: throw new Error\(…\) instead\)\n\[/);
    expect(exit.stdout).not.toMatch(/^\s+at /m);
  });

  it('shows the stack of a constructor that throws, in the user\'s file, at every log level', async () => {
    for (const level of ['debug', 'error']) {
      const exit = await runCli(['run', fixture('ctor-throws.module.ts'), '--loglevel', level]);
      expect(exit.code).toBe(1);
      expect(exit.stdout).toMatch(/Could not create Db: Error: DATABASE_URL is not set\nError: DATABASE_URL is not set\n\s+at new Db \(.*ctor-throws\.module\.ts:9:\d+\)/);
      expect(exit.stdout).not.toMatch(/^\s+at .*(node:internal|\/dist\/|inversify)/m);
    }
  });
});
