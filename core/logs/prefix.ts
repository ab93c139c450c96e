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
