// What the Worker says about failures: user mistakes in one line, the user's stack otherwise.
import { describe, expect, it } from 'vitest';
import { ResolutionError, StartError } from '../../lib/errors/lifecycle.js';
import { ModuleLoadError } from '../../lib/errors/plan.js';
import { UsageError } from '../../lib/errors/usage.js';
import { fatalText, startFailureLine, uncaughtLine } from '../../lib/worker/failure-report.js';

describe('failure lines', () => {
  it('reports a usage mistake in one line, saying where the user\'s code threw', () => {
    const thrown = new Error('REDIS_URL is not set');
    thrown.stack = 'Error: REDIS_URL is not set\n    at load (/app/app.module.ts:5:9)';
    expect(startFailureLine(new ModuleLoadError(thrown))).toEqual({ message: 'Loading the container modules failed: REDIS_URL is not set (at /app/app.module.ts:5:9)' });
    expect(startFailureLine(new UsageError('No service Nope to start.'))).toEqual({ message: 'No service Nope to start.' });
  });

  it('shows the stack of a constructor that threw, and none for a StartError (logged per service)', () => {
    const thrown = new Error('no DATABASE_URL');
    expect(startFailureLine(new ResolutionError('Db', thrown))).toEqual({ message: 'Start failed: ResolutionError: Could not create Db: Error: no DATABASE_URL', error: thrown });
    expect(startFailureLine(new StartError([])).error).toBeUndefined();
  });

  it('labels an uncaught error by the event that reported it', () => {
    const error = new Error('lost');
    expect(uncaughtLine('exception', error)).toEqual({ message: 'Uncaught exception: Error: lost', error });
    expect(uncaughtLine('rejection', error)).toEqual({ message: 'Unhandled rejection: Error: lost', error });
    expect(uncaughtLine('rejection', 42).error).toBeUndefined();
    expect(uncaughtLine('rejection', 42).message).toMatch(/^Unhandled rejection: 42 \(a number was thrown/);
  });

  it('prints a fatal usage error without a stack, and a surprise with one', () => {
    expect(fatalText(new UsageError('bad'))).toBe('mode-di: bad\n');
    expect(fatalText(new Error('surprise'))).toMatch(/^mode-di: Error: surprise\n\s+at /);
  });
});
