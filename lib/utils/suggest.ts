// "Did you mean …?": the known name nearest to a mistyped one.

/** Edit distance (insertions, deletions, substitutions, adjacent swaps) between two words. */
function distance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate closest to `word` (case-insensitive), if it is close enough to be what was
 * meant: at most a third of the word's letters differ (two at least), or one name contains
 * the other. Ties go to the first candidate.
 *
 * @example
 * ```ts
 * closestMatch('loglvel', ['loglevel', 'logfile']); // 'loglevel'
 * closestMatch('zzz', ['loglevel']);                // undefined
 * ```
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const wanted = word.toLowerCase();
  if (wanted === '') return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const name = candidate.toLowerCase();
    if (name === wanted) return candidate;
    const d = distance(wanted, name);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  const lower = best.toLowerCase();
  const contains = wanted.length >= 3 && (lower.includes(wanted) || wanted.includes(lower));
  return bestDistance <= limit || contains ? best : undefined;
}
