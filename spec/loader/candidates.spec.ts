// Which TypeScript file a NodeNext-style specifier (or `mode-di run`'s path) means.
import { describe, expect, it } from 'vitest';
import { typeScriptCandidates } from '../../lib/loader/candidates.js';

describe('typeScriptCandidates', () => {
  it.each([
    ['./cache.js', ['./cache.ts', './cache.tsx']],
    ['./cache.mjs', ['./cache.mts']],
    ['./cache', ['./cache.ts', './cache/index.ts']],
    ['./app.module', ['./app.module.ts', './app.module/index.ts']],
    ['./app.module.js?x=1', ['./app.module.ts?x=1', './app.module.tsx?x=1']],
    ['./data.json', []],
    ['./legacy.cjs', []],
    ['./cache.ts', []],
  ])('%s -> %j', (specifier, expected) => {
    expect(typeScriptCandidates(specifier)).toEqual(expected);
  });
});
