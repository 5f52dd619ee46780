// User-facing stacks: the user's frames stay, mode-di's, inversify's and Node's internals go.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyingDecorator, isFrameworkFrame, userStack, whereThrown } from '../../lib/utils/stack.js';

const OWN = fileURLToPath(new URL('../../lib/worker/worker.ts', import.meta.url));

function errorWith(frames: string[]): Error {
  const error = new Error('port taken');
  error.stack = ['Error: port taken', ...frames].join('\n');
  return error;
}

describe('user stacks', () => {
  const frames = [
    '    at Web.listen (/app/web.ts:14:11)',
    `    at Worker.start (${OWN}:10:5)`,
    '    at resolve (/app/node_modules/@inversifyjs/core/lib/index.js:1:2)',
    '    at Container.get (/app/node_modules/inversify/lib/index.js:3:4)',
    '    at listOnTimeout (node:internal/timers:581:17)',
    '    at async Promise.all (index 0)',
    '    at Pool.connect (/app/node_modules/pg/lib/pool.js:45:11)',
    '    at file:///app/app.module.ts:3:7',
  ];

  it('keeps the message and the frames of the user and of other packages', () => {
    expect(userStack(errorWith(frames))).toBe(
      ['Error: port taken', '    at Web.listen (/app/web.ts:14:11)', '    at async Promise.all (index 0)', '    at Pool.connect (/app/node_modules/pg/lib/pool.js:45:11)', '    at file:///app/app.module.ts:3:7'].join('\n'),
    );
  });

  it('tells framework frames apart', () => {
    expect(isFrameworkFrame(frames[0]!)).toBe(false);
    expect(isFrameworkFrame(frames[1]!)).toBe(true);
    expect(isFrameworkFrame(frames[2]!)).toBe(true);
    expect(isFrameworkFrame(frames[4]!)).toBe(true);
    expect(isFrameworkFrame('    at new Promise (<anonymous>)')).toBe(true);
  });

  it('keeps a stack that has no frames as it is', () => {
    const error = errorWith([]);
    expect(userStack(error)).toBe('Error: port taken');
  });

  it('finds where the user threw, past framework and package frames', () => {
    expect(whereThrown(errorWith([frames[1]!, frames[6]!, frames[7]!]))).toBe(' (at /app/app.module.ts:3:7)');
    expect(whereThrown(errorWith([frames[1]!]))).toBe('');
    expect(whereThrown('a string')).toBe('');
  });
});

describe('where a decorator was applied', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mode-di-stack-'));
  const file = join(dir, 'poller.ts');
  writeFileSync(
    file,
    [
      "import { timer } from 'mode-di';", // 1
      '', // 2
      'export class Poller {', // 3
      "  @timer('1s') fast() {}", // 4
      '', // 5
      "  @timer('soon', {", // 6
      "    name: 'poll',", // 7
      '  })', // 8
      '  async poll(signal: AbortSignal) {', // 9
      '    this.fast();', // 10
      '  }', // 11
      '', // 12
      "  @timer('nope') other() {}", // 13
      '}', // 14
    ].join('\n'),
  );
  /** What swc's source maps give: the helper, then the code applying decorators mapped to the class's last line. */
  const appliedAt = (error: Error) => {
    error.stack = [`${error.name}: ${error.message}`, `    at _ts_decorate (file://${file}:1:21)`, `    at <anonymous> (${file}:14:1)`].join('\n');
    return error;
  };
  const thrownBy = (decorator: string, member: string) => {
    try {
      applyingDecorator(decorator, member, () => {
        throw appliedAt(new Error(`bad ${member}`));
      });
    } catch (error) {
      return error;
    }
    throw new Error('applyingDecorator did not rethrow');
  };

  it('skips the decorator helpers compilers emit into the user file', () => {
    expect(isFrameworkFrame(`    at _ts_decorate (file://${file}:1:21)`)).toBe(true);
    expect(isFrameworkFrame(`    at __decorate (${file}:1:21)`)).toBe(true);
    expect(whereThrown(appliedAt(new Error('x')))).toBe(` (at ${file}:14:1)`);
  });

  it("points at the decorator's line, above its member, across a multi-line options object", () => {
    expect(whereThrown(thrownBy('@timer', 'poll'))).toBe(` (at ${file}:6:3)`);
    expect(whereThrown(thrownBy('@timer', 'other'))).toBe(` (at ${file}:13:3)`);
    expect(whereThrown(thrownBy('@timer', 'fast'))).toBe(` (at ${file}:4:3)`);
  });

  it("keeps the frame when the source does not show the decorator over that member", () => {
    expect(whereThrown(thrownBy('@crontab', 'poll'))).toBe(` (at ${file}:14:1)`);
    expect(whereThrown(thrownBy('@timer', 'missing'))).toBe(` (at ${file}:14:1)`);
  });
});
