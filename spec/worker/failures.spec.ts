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
});
