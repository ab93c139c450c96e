// "Did you mean …": the nearest candidate by edit distance, case-insensitive, ignoring - _ and
// spaces, accepted only when close enough to be a slip rather than a different word.

function norm(s: string): string {
  return s.toLowerCase().replace(/[-_\s.]/g, '');
}

/**
 * Damerau-Levenshtein distance (adjacent transpositions count one), bounded by `max`: anything
 * further apart is `max + 1`. Three rolling rows, and it stops as soon as a whole row is past `max`
 * (a "did you mean" for each of thousands of unknown keys must not cost a full table each).
 */
export function editDistance(a: string, b: string, max = 8): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const cols = b.length + 1;
  let prev2 = new Array<number>(cols).fill(0);
  let prev = new Array<number>(cols);
  let cur = new Array<number>(cols);
  for (let j = 0; j < cols; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const spare = prev2;
    prev2 = prev;
    prev = cur;
    cur = spare;
  }
  return Math.min(prev[b.length], max + 1);
}

export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const w = norm(word);
  if (!w) return undefined;
  const limit = Math.max(1, Math.min(3, Math.floor(w.length / 3)));
  let best: string | undefined;
  let bestD = limit + 1;
  for (const c of candidates) {
    const n = norm(c);
    if (n === w) return c;
    // Prefix matches ("h100" for "H100-SXM-80GB") are likely what was meant: they score 1. Any other
    // candidate counts only when it beats the best so far and is within the limit below.
    const score = n.startsWith(w) && w.length >= 3 ? 1 : editDistance(w, n, Math.min(limit, bestD - 1));
    if (score < bestD) {
      bestD = score;
      best = c;
    }
  }
  return bestD <= limit ? best : undefined;
}
