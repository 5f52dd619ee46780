// The scheduler's ready queue.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { IndexHeap } from '../../lib/utils/heap.js';

it('pops indices in key order, whatever the pushes and pops interleaving', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 50 }), fc.constant(-1)), { maxLength: 200 }), fc.array(fc.integer(), { minLength: 51, maxLength: 51 }), (ops, keys) => {
      const heap = new IndexHeap(keys);
      const model: number[] = [];
      for (const op of ops) {
        if (op >= 0) {
          heap.push(op);
          model.push(op);
        } else {
          const popped = heap.pop();
          if (model.length === 0) {
            expect(popped).toBeUndefined();
            continue;
          }
          const min = Math.min(...model.map((i) => keys[i]!));
          expect(keys[popped!]).toBe(min);
          model.splice(model.indexOf(popped!), 1);
        }
        expect(heap.size).toBe(model.length);
      }
    }),
    { numRuns: 500 },
  );
});
