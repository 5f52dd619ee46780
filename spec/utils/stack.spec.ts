// User-facing stacks: the user's frames stay, mode-di's, inversify's and Node's internals go.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isFrameworkFrame, userStack, whereThrown } from '../../lib/utils/stack.js';

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
