// A Ctrl-C or SIGTERM while start hooks still run: their signals abort at once, what started rolls back, exit 0.
import { describe, expect, it } from 'vitest';
import { fixture, messagesOf, startCli } from '../cli/harness.js';

const ABORTABLE = fixture('abortable-start.module.ts');

describe('a stop signal while start hooks are still running', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s aborts the hooks waiting on their signal or in this.sleep(1h), rolls back and exits 0', async (signal) => {
    // A deadline far off: the stop must end by itself, not be forced.
    const cli = startCli(['run', ABORTABLE, '--shutdown-timeout', '20s']);
    await cli.waitFor((text) => text.includes('Db connecting until aborted') && text.includes('Poller sleeping for an hour'));
    const sent = performance.now();
    cli.kill(signal);
    // Within seconds, not the hour Poller sleeps nor the 20 s deadline.
    await cli.waitFor('[^Worker]: -Stopped!', { timeoutMs: 5_000 });
    const exit = await cli.exited;
    expect(performance.now() - sent).toBeLessThan(5_000);
    expect(exit.code, exit.stdout).toBe(0);
    expect(exit.signal).toBeNull();
    const out = exit.stdout;
    // Each hook saw its signal abort because of the stop.
    expect(out).toContain('Db.connect aborted: Db is stopping');
    expect(out).toContain('Poller woke up (stopping)');
    // Cache had started: the rollback stopped it, after both services that need it.
    expect(out).toContain('Cache closed');
    const messages = messagesOf(out);
    const at = (m: string) => messages.indexOf(m);
    expect(at('[^--Cache]: -Stopped!')).toBeGreaterThan(at('[^-Db]: -Stopped!'));
    expect(at('[^--Cache]: -Stopped!')).toBeGreaterThan(at('[^-Poller]: -Stopped!'));
    expect(at('[^-Db]: -Stopped!')).toBeGreaterThan(at(`[^Worker]: Signal received: ${signal}`));
    expect(messages.filter((m) => m === '[^Worker]: -Stopped!')).toHaveLength(1);
    expect(out).not.toMatch(/forcing exit|Start failed|ERROR\]/);
  });
});
