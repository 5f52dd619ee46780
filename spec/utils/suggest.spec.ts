// "Did you mean …?": the nearest known name, only when it is near enough.
import { describe, expect, it } from 'vitest';
import { closestMatch } from '../../lib/utils/suggest.js';

const OPTIONS = ['loglevel', 'logfile', 'log-format', 'shutdown-timeout', 'service', 'quiet', 'color'];

describe('closestMatch', () => {
  it.each([
    ['loglvel', 'loglevel'],
    ['logfiel', 'logfile'],
    ['shutdown-timout', 'shutdown-timeout'],
    ['colour', 'color'],
    ['servcie', 'service'],
    ['QUIET', 'quiet'],
    ['log_format', 'log-format'],
  ])('suggests %s -> %s', (typed, meant) => {
    expect(closestMatch(typed, OPTIONS)).toBe(meant);
  });

  it.each(['frobnicate', 'x', '', 'verbose'])('suggests nothing for %j', (typed) => {
    expect(closestMatch(typed, OPTIONS)).toBeUndefined();
  });

  it('counts a swap of two letters as one edit', () => {
    expect(closestMatch('lgo', ['log', 'lag'])).toBe('log');
  });

  it('returns nothing without candidates', () => {
    expect(closestMatch('loglevel', [])).toBeUndefined();
  });
});
