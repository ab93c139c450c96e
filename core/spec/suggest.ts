// "Did you mean …": the nearest candidate by edit distance, case-insensitive, ignoring - _ and
// spaces, accepted only when close enough to be a slip rather than a different word.

function norm(s: string): string {
  return s.toLowerCase().replace(/[-_\s.]/g, '');
}

/** Damerau-Levenshtein distance (adjacent transpositions count one), bounded by `max`. */
export function editDistance(a: string, b: string, max = 8): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const r = new Array<number>(cols).fill(0);
    r[0] = i;
    return r;
  });
  for (let j = 0; j < cols; j++) d[0][j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
    }
  }
  return d[a.length][b.length];
}

export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const w = norm(word);
  if (!w) return undefined;
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const n = norm(c);
    if (n === w) return c;
    const d = editDistance(w, n, 6);
    // Prefix matches ("h100" for "H100-SXM-80GB") are likely what was meant.
    const score = n.startsWith(w) && w.length >= 3 ? Math.min(d, 1) : d;
    if (score < bestD) {
      bestD = score;
      best = c;
    }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(w.length / 3)));
  return bestD <= limit ? best : undefined;
}
