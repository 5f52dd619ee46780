// The Worker's options: defaults, aliases, and errors that name the option.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../lib/errors/index.js';
import { resolveWorkerOptions } from '../../lib/worker/options.js';

const pipe = () => new PassThrough();

describe('resolveWorkerOptions', () => {
  it('defaults to INFO text on stdout, a 30s shutdown deadline, and signal handling', () => {
    const o = resolveWorkerOptions({ stdout: pipe() });
    expect(o).toMatchObject({ loglevel: 'info', logFormat: 'text', color: false, quiet: false, shutdownTimeoutMs: 30_000, handleSignals: true, logfile: undefined });
  });
  it('detects blocking after 10s by default; blockingTimeout is a duration (0 turns it off)', () => {
    expect(resolveWorkerOptions({}).blockingTimeoutMs).toBe(10_000);
    expect(resolveWorkerOptions({ blockingTimeout: '250ms' }).blockingTimeoutMs).toBe(250);
    expect(resolveWorkerOptions({ blockingTimeout: 0 }).blockingTimeoutMs).toBe(0);
    // @ts-expect-error: not a duration, a type error too (this checks the run-time check, for JavaScript and text from outside)
    expect(() => resolveWorkerOptions({ blockingTimeout: 'soon' })).toThrow(/Invalid blockingTimeout "soon"/);
  });
  it('takes the console as the flags name it (consoleSocket, consolePort, consoleHost), and the old console.socket/port/host', () => {
    expect(resolveWorkerOptions({}).console).toBeUndefined();
    expect(resolveWorkerOptions({ consoleSocket: 'run/c.sock' }).console).toEqual({ socket: 'run/c.sock' });
    expect(resolveWorkerOptions({ consolePort: 0, consoleHost: '::1', console: { maxConnections: 2 } }).console).toEqual({ port: 0, host: '::1', maxConnections: 2 });
    // The old names, still accepted (and marked @deprecated for editors).
    expect(resolveWorkerOptions({ console: { port: 50101, token: 't' } }).console).toEqual({ port: 50101, token: 't' });
    expect(resolveWorkerOptions({ consolePort: 1, console: { port: 1 } }).console).toEqual({ port: 1 });
    expect(() => resolveWorkerOptions({ consolePort: 1, console: { port: 2 } })).toThrow(new UsageError('consolePort and console.port (its old name) say different things: give consolePort only.'));
  });
  it("accepts Mode's level names in any case, and warn for warning", () => {
    expect(resolveWorkerOptions({ loglevel: 'warn' }).loglevel).toBe('warning');
    expect(resolveWorkerOptions({ loglevel: 'DEBUG' as 'debug' }).loglevel).toBe('debug');
  });
  it('parses the shutdown deadline as a duration (0 waits forever)', () => {
    expect(resolveWorkerOptions({ shutdownTimeout: '1.5s' }).shutdownTimeoutMs).toBe(1_500);
    expect(resolveWorkerOptions({ shutdownTimeout: 0 }).shutdownTimeoutMs).toBe(0);
    // @ts-expect-error: not a duration, a type error too (this checks the run-time check, for JavaScript and text from outside)
    expect(() => resolveWorkerOptions({ shutdownTimeout: '10' })).toThrow(/Invalid shutdownTimeout "10": has no unit/);
  });
  it('colours only a terminal, unless NO_COLOR is set or color says otherwise', () => {
    const tty = Object.assign(pipe(), { isTTY: true });
    const saved = process.env['NO_COLOR'];
    try {
      delete process.env['NO_COLOR'];
      expect(resolveWorkerOptions({ stdout: tty }).color).toBe(true);
      expect(resolveWorkerOptions({ stdout: tty, color: false }).color).toBe(false);
      expect(resolveWorkerOptions({ stdout: pipe(), color: true }).color).toBe(true);
      process.env['NO_COLOR'] = '1';
      expect(resolveWorkerOptions({ stdout: tty }).color).toBe(false);
    } finally {
      if (saved === undefined) delete process.env['NO_COLOR'];
      else process.env['NO_COLOR'] = saved;
    }
  });
  it('rejects bad values with a UsageError naming the option', () => {
    expect(() => resolveWorkerOptions({ loglevel: 'loud' as 'info' })).toThrow(UsageError);
    expect(() => resolveWorkerOptions({ loglevel: 'loud' as 'info' })).toThrow(/Invalid loglevel "loud": use one of debug, info, warning, error, critical/);
    expect(() => resolveWorkerOptions({ logFormat: 'xml' as 'json' })).toThrow(/Invalid logFormat "xml"/);
    expect(() => resolveWorkerOptions({ logfile: ' ' })).toThrow(/logfile option needs a file path/);
  });
});
