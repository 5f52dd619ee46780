// The watchdog thread's own formatting (it cannot import TypeScript): the same lines and durations as the Worker's.
import { describe, expect, it } from 'vitest';
import { framesOf } from '../../lib/diagnostics/main-stack.js';
import { formatMs, warningLine } from '../../lib/diagnostics/watchdog-thread.js';
import { formatDuration } from '../../lib/utils/durations.js';
import { formatJsonLine, formatLogLine } from '../../lib/worker/log-format.js';

describe('the watchdog thread', () => {
  it('renders durations exactly as formatDuration does', () => {
    const samples = [0, 0.004, 0.25, 9.999, 10, 312.4, 999.4, 999.6, 1_000, 1_504, 59_994, 59_999, 60_000, 90_000, 3_599_999, 3_600_000, 86_400_000, -5, Infinity];
    for (let ms = 0; ms < 200_000; ms += 997.3) samples.push(ms);
    for (const ms of samples) expect(formatMs(ms), String(ms)).toBe(formatDuration(ms));
  });

  it("writes Mode's WARNING line, as the Worker's logger would", () => {
    const date = new Date(2026, 0, 2, 3, 4, 5, 67);
    const message = 'Blocking detected (timeout=10s): the event loop has not turned for 10.20s';
    const stack = '    at burnCpu (/app/busy.ts:6:3)\n    at tick (/app/busy.ts:12:5)';
    expect(warningLine(date, 'Worker', message, stack, 'text')).toBe(formatLogLine({ timestamp: date, level: 'warning', label: 'Worker', depth: 0, message: `${message}\n${stack}` }));
    expect(warningLine(date, 'Worker', message, undefined, 'text')).toBe('[2026-01-02 03:04:05,067: WARNING]: [^Worker]: Blocking detected (timeout=10s): the event loop has not turned for 10.20s');
    const json = JSON.parse(warningLine(date, 'Worker', message, stack, 'json')) as Record<string, unknown>;
    expect(json).toEqual({ ...JSON.parse(formatJsonLine({ timestamp: date, level: 'warning', label: 'Worker', depth: 0, message })), stack });
  });

  it("keeps only the app's frames of a captured stack", () => {
    const captured = [
      'Error: modeDiCaptureStack',
      '    at modeDiCaptureStack (<anonymous>:4:16)',
      '    at <anonymous>:6:3',
      '    at burnCpu (/app/busy.ts:6:3)',
      '    at Timeout._onTimeout (/app/busy.ts:9:3)',
    ].join('\n');
    expect(framesOf(captured)).toBe('    at burnCpu (/app/busy.ts:6:3)\n    at Timeout._onTimeout (/app/busy.ts:9:3)');
    expect(framesOf('Error: modeDiCaptureStack\n    at modeDiCaptureStack (<anonymous>:4:16)\n    at <anonymous>:6:3')).toBe('');
  });
});
