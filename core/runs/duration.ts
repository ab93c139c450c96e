// Wall-clock durations as specs write them (`spec.timeLimit`): Gantry's `24h`, `90m`, `2d12h`,
// `1h30m`, `45s`, and Slurm's own forms (`D-HH:MM:SS`, `D-HH`, `HH:MM:SS`, `MM:SS`, bare minutes),
// the ones `sbatch --time` accepts. One parser for every backend: Slurm renders the result as
// `--time`, the local backend's supervisor enforces it.

/**
 * Seconds in `value`; `Infinity` for `unlimited`/`infinite`; undefined when it is not a duration
 * or is zero (a zero limit is a mistake, not "no limit").
 */
export function parseDurationSeconds(value: string): number | undefined {
  const v = value.trim();
  if (/^(unlimited|infinite)$/i.test(v)) return Infinity;
  let seconds: number | undefined;
  const units = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(v);
  if (units && v !== '') {
    const [d, h, m, s] = units.slice(1).map((x) => Number(x ?? 0));
    seconds = ((d * 24 + h) * 60 + m) * 60 + s;
  } else {
    // Slurm's forms: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S.
    const slurm = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(v);
    if (slurm) {
      const [d, a, b, c] = slurm.slice(1).map((x) => (x === undefined ? undefined : Number(x)));
      if (d !== undefined) seconds = d * 86400 + (a ?? 0) * 3600 + (b ?? 0) * 60 + (c ?? 0);
      else if (c !== undefined) seconds = (a ?? 0) * 3600 + (b ?? 0) * 60 + c;
      else if (b !== undefined) seconds = (a ?? 0) * 60 + b;
      else seconds = (a ?? 0) * 60;
    }
  }
  return seconds !== undefined && seconds > 0 ? seconds : undefined;
}

export const DURATION_HINT = "use e.g. 90m, 24h, 2d12h or Slurm's 1-00:00:00";
