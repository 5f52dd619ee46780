// The scheduler's ready queue, and the ranks that order a stop.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RankQueue, ranksBy } from '../../lib/utils/rank-queue.js';

describe('RankQueue', () => {
  it('pops the smallest rank present, whatever the pushes and pops interleaving', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.array(fc.oneof(fc.nat(), fc.constant(-1)), { maxLength: 400 }), (capacity, ops) => {
        const queue = new RankQueue(capacity);
        const model = new Set<number>();
        for (const op of ops) {
          if (op >= 0) {
            const rank = op % capacity;
            queue.push(rank);
            model.add(rank);
          } else {
            const popped = queue.pop();
            if (model.size === 0) {
              expect(popped).toBe(-1);
              continue;
            }
            expect(popped).toBe(Math.min(...model));
            model.delete(popped);
          }
          expect(queue.size).toBe(model.size);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('handles ranks at word edges (bit 31 and the last rank)', () => {
    const queue = new RankQueue(1025);
    for (const r of [1024, 31, 32, 0, 1023, 63]) queue.push(r);
    expect(Array.from({ length: 6 }, () => queue.pop())).toEqual([0, 31, 32, 63, 1023, 1024]);
    expect(queue.pop()).toBe(-1);
  });
});

describe('ranksBy', () => {
  it('orders members by key, ties by position, and inverts the order (narrow and wide key ranges)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(200), { maxLength: 100 }), fc.array(fc.oneof(fc.nat(50), fc.nat(1e9)), { minLength: 201, maxLength: 201 }), (members, keyOf) => {
        const keys = members.map((m) => keyOf[m]!);
        const { byRank, rankOf } = ranksBy(members, keys, 201);
        const position = new Map(members.map((m, k) => [m, k]));
        const expected = [...members].sort((a, b) => keyOf[a]! - keyOf[b]! || position.get(a)! - position.get(b)!);
        expect(Array.from(byRank)).toEqual(expected);
        expected.forEach((m, r) => expect(rankOf[m]).toBe(r));
      }),
      { numRuns: 300 },
    );
  });
});
