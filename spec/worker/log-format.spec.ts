// Mode's log line, to the character, for fixed dates; and the JSON variant.
import { describe, expect, it } from 'vitest';
import { formatJsonLine, formatLabel, formatLogLine, formatTimestamp, type LogRecord } from '../../lib/worker/log-format.js';

const at = new Date(2018, 2, 27, 15, 47, 12, 159);
const record = (over: Partial<LogRecord> = {}): LogRecord => ({ timestamp: at, level: 'info', label: 'Webserver', depth: 2, message: 'Serving on port 8000', ...over });

describe('formatTimestamp', () => {
  it("renders Python logging's asctime in local time", () => {
    expect(formatTimestamp(at)).toBe('2018-03-27 15:47:12,159');
  });
  it('pads every field', () => {
    expect(formatTimestamp(new Date(2026, 0, 2, 3, 4, 5, 6))).toBe('2026-01-02 03:04:05,006');
    expect(formatTimestamp(new Date(2026, 10, 25, 23, 59, 59, 45))).toBe('2026-11-25 23:59:59,045');
  });
});

describe('formatLabel', () => {
  it('marks the root with ^ and each level below it with a dash', () => {
    expect(formatLabel('Worker', 0)).toBe('[^Worker]');
    expect(formatLabel('AppService', 1)).toBe('[^-AppService]');
    expect(formatLabel('Websockets', 2)).toBe('[^--Websockets]');
  });
});

describe('formatLogLine', () => {
  it("writes the seed's line exactly", () => {
    expect(formatLogLine(record())).toBe('[2018-03-27 15:47:12,159: INFO]: [^--Webserver]: Serving on port 8000');
    expect(formatLogLine(record({ label: 'Worker', depth: 0, message: 'Starting...' }))).toBe('[2018-03-27 15:47:12,159: INFO]: [^Worker]: Starting...');
    expect(formatLogLine(record({ label: 'AppService', depth: 1, message: '-Stopped!' }))).toBe('[2018-03-27 15:47:12,159: INFO]: [^-AppService]: -Stopped!');
  });
  it("uses Mode's level names", () => {
    const names = (['debug', 'info', 'warning', 'error', 'critical'] as const).map((level) => /: (\w+)\]/.exec(formatLogLine(record({ level })))![1]);
    expect(names).toEqual(['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL']);
  });
  it('colours the label and message by level only when asked', () => {
    expect(formatLogLine(record({ level: 'warning' }), { color: true })).toBe('[2018-03-27 15:47:12,159: WARNING]: \x1b[33m[^--Webserver]: Serving on port 8000\x1b[0m');
    expect(formatLogLine(record({ level: 'critical' }), { color: true })).toContain('\x1b[1;31m[^--Webserver]');
    expect(formatLogLine(record({ level: 'info' }), { color: true })).toBe('[2018-03-27 15:47:12,159: INFO]: [^--Webserver]: Serving on port 8000');
    expect(formatLogLine(record({ level: 'error' }))).not.toContain('\x1b[');
  });
  it("follows the message with the error's stack", () => {
    const error = new Error('boom');
    error.stack = 'Error: boom\n    at handler (app.ts:3:9)';
    expect(formatLogLine(record({ level: 'error', message: 'Crashed: boom', error }))).toBe('[2018-03-27 15:47:12,159: ERROR]: [^--Webserver]: Crashed: boom\nError: boom\n    at handler (app.ts:3:9)');
  });
});

describe('formatJsonLine', () => {
  it('writes one JSON object with an ISO timestamp', () => {
    expect(formatJsonLine(record({ timestamp: new Date(Date.UTC(2018, 2, 27, 15, 47, 12, 159)) }))).toBe(
      '{"timestamp":"2018-03-27T15:47:12.159Z","level":"INFO","label":"Webserver","depth":2,"message":"Serving on port 8000"}',
    );
  });
  it('includes the error', () => {
    const error = new TypeError('bad');
    const parsed = JSON.parse(formatJsonLine(record({ level: 'error', error }))) as { error: unknown };
    expect(parsed.error).toEqual({ name: 'TypeError', message: 'bad', stack: error.stack });
  });
});
