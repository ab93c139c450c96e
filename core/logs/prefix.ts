// Rank prefixes that launchers put in front of each line, so the panel can filter by rank while the
// line itself is shown as written (prefix kept):
//   torchrun --tee / -t:      `[default3]:text`     (role name + local rank)
//   PyTorch c10 logging:      `[rank3]:text`
//   srun --label:             `3: text`
//   Open MPI --tag-output:    `[1,3]<stdout>:text`
//   DeepSpeed launcher:       `[hostname:3]` is not a rank prefix here on purpose (ambiguous).

export interface RankPrefix {
  rank: number;
  stream?: 'stdout' | 'stderr';
  /** Characters of the prefix, for a view that wants to dim it. */
  length: number;
}

const TORCHRUN = /^\[(?:default|rank|[A-Za-z_][\w-]*?)(\d{1,5})\]:/;
const MPI = /^\[\d+,(\d{1,5})\]<(stdout|stderr)>:/;
const SRUN = /^ {0,4}(\d{1,5}): /;

export function parseRankPrefix(line: string): RankPrefix | undefined {
  const c = line.charCodeAt(0);
  if (c === 91 /* [ */) {
    let m = TORCHRUN.exec(line);
    if (m) return { rank: Number(m[1]), length: m[0].length };
    m = MPI.exec(line);
    if (m) return { rank: Number(m[1]), stream: m[2] as 'stdout' | 'stderr', length: m[0].length };
    return undefined;
  }
  if ((c >= 48 && c <= 57) || c === 32) {
    const m = SRUN.exec(line);
    if (m) return { rank: Number(m[1]), length: m[0].length };
  }
  return undefined;
}

/**
 * Splits lines from one file (a launcher's combined output) into runs of consecutive lines of one
 * rank, by their prefixes; lines without a prefix stay with the rank before them, so a traceback's
 * continuation lines keep their rank. `defaultRank` is the rank before any prefix (undefined: none).
 */
export function splitByRank(lines: string[], defaultRank?: number): { rank?: number; lines: string[] }[] {
  const out: { rank?: number; lines: string[] }[] = [];
  let rank = defaultRank;
  let cur: { rank?: number; lines: string[] } | undefined;
  for (const line of lines) {
    const p = parseRankPrefix(line);
    if (p) rank = p.rank;
    if (!cur || cur.rank !== rank) {
      cur = rank === undefined ? { lines: [] } : { rank, lines: [] };
      out.push(cur);
    }
    cur.lines.push(line);
  }
  return out;
}
