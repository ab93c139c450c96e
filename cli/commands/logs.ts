// `gantry logs <run> [-f]`: a run's logs from the files on disk; -f follows until it ends.
import { resolveRunArg, printRunLogs, exitCodeFor } from './runsCli';
import { disposeBackends } from '../../core/runs/backends';

export const summary = "print a run's logs (-f to follow)";

const USAGE = `usage: gantry logs <run> [-f]

<run> is a run id, a unique prefix of one, or a spec name (its newest run).

options:
  -f, --follow       keep printing until the run ends (exit status then says how it ended)
  --workspace DIR    the folder whose .gantry/ holds the runs (default: found from the current folder)
  -h, --help         this help

exit status: 0 printed (with -f: the run succeeded), 1 no such run (with -f: the run failed, was cancelled or was lost), 2 bad usage`;

export async function run(argv: string[]): Promise<number> {
  const r = resolveRunArg('logs', argv, true, USAGE);
  if (typeof r === 'number') return r;
  const { follow, store, run: found } = r;
  const end = await printRunLogs(store, found.id, { follow });
  disposeBackends();
  return follow ? exitCodeFor(end) : 0;
}
