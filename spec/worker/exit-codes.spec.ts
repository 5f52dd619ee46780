// Which failure exits with which status.
import { InversifyCoreError, InversifyCoreErrorKind } from '@inversifyjs/core';
import { describe, expect, it } from 'vitest';
import { CycleError, DurationError, HookError, MissingBindingError, ResolutionError, ScopeError, StartError, StartInterruptedError, StopError, UsageError } from '../../lib/errors/index.js';
import { AppModuleError } from '../../lib/loader/errors.js';
import { ForcedStopError } from '../../lib/worker/errors.js';
import { ExitCode, exitCodeFor, isUsageError } from '../../lib/worker/exit-codes.js';

describe('exitCodeFor', () => {
  it.each([
    ['a UsageError', new UsageError('bad')],
    ['a CycleError', new CycleError(['A', 'B', 'A'])],
    ['a MissingBindingError', new MissingBindingError('Db', ['App', 'Db'], 'Bind it.')],
    ['a ScopeError', new ScopeError('Poller', 'Transient')],
    ['a DurationError', new DurationError('30', '--shutdown-timeout', 'has no unit')],
    ['an AppModuleError', new AppModuleError('app.ts', 'no such file')],
    ['an inversify metadata error', new InversifyCoreError(InversifyCoreErrorKind.missingInjectionDecorator, 'Found unexpected missing metadata on type "Web"')],
    ['a ResolutionError caused by a binding mistake', new ResolutionError('Web', new InversifyCoreError(InversifyCoreErrorKind.planning, 'No bindings found'))],
  ])('is 2 (usage) for %s', (_, error) => {
    expect(exitCodeFor(error)).toBe(ExitCode.USAGE);
    expect(isUsageError(error)).toBe(true);
  });

  it.each([
    ['a StartError', new StartError([new HookError('Web', 'onStart', new Error('port taken'))])],
    ['a StopError', new StopError([new Error('flush failed')])],
    ['a ResolutionError from a constructor that threw', new ResolutionError('Web', new Error('no config'))],
    ['an inversify resolution error', new InversifyCoreError(InversifyCoreErrorKind.resolution, 'Unexpected asynchronous service')],
    ['a ForcedStopError', new ForcedStopError('Shutdown timed out after 30.00s', 'Web (in onStop for 30.00s)')],
    ['any other error', new Error('surprise')],
    ['a thrown string', 'surprise'],
  ])('is 1 (failure) for %s', (_, error) => {
    expect(exitCodeFor(error)).toBe(ExitCode.FAILURE);
  });

  it('is 0 for a start interrupted by a stop (a signal during start)', () => {
    expect(exitCodeFor(new StartInterruptedError())).toBe(ExitCode.OK);
  });

  it('has the documented values', () => {
    expect(ExitCode).toEqual({ OK: 0, FAILURE: 1, USAGE: 2 });
  });
});
