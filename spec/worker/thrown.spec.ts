// How the Worker shows a thrown value that is not an Error.
import { describe, expect, it } from 'vitest';
import { describeThrown } from '../../lib/worker/errors.js';

describe('describeThrown', () => {
  it.each([
    ['oops', '"oops" (a string was thrown'],
    [42, '42 (a number was thrown'],
    [undefined, 'undefined (undefined was thrown'],
    [null, 'null (null was thrown'],
    [{ code: 7 }, '{ code: 7 } (an object was thrown'],
    [[1, 2], '[ 1, 2 ] (an array was thrown'],
  ])('shows %j as it is, saying there is no stack', (value, start) => {
    expect(describeThrown(value).startsWith(start)).toBe(true);
    expect(describeThrown(value)).toMatch(/not an Error, so there is no stack: throw new Error\(…\) instead\)$/);
  });

  it('shortens a long string', () => {
    expect(describeThrown('x'.repeat(500)).length).toBeLessThan(300);
  });
});
