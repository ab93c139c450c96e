// `gantry logs <run> [-f]`: a run's logs from the files on disk; -f follows until it ends.
import { parseArgs, openStore, printRunLogs, exitCodeFor } from './runsCli';
import { disposeBackends } from '../../core/runs/backends';

export const summary = "print a run's logs (-f to follow)";

const USAGE = `usage: gantry logs <run> [-f]

<run> is a run id, a unique prefix of one, or a spec name (its newest run).

options:
  -f, --follow       keep printing until the run ends (exit status then says how it ended)
  --workspace DIR    the folder whose .gantry/ holds the runs (default: found from the current folder)
  -h, --help         this help`;

export async function run(argv: string[]): Promise<number> {
  const a = parseArgs(argv, ['workspace'], ['follow', 'help']);
  if (a.flags.has('help')) return void process.stdout.write(USAGE + '\n'), 0;
  if (a.error || a.positional.length !== 1) {
    process.stderr.write(`${a.error ?? 'give one run'}\n\n${USAGE}\n`);
    return 2;
  }
  const store = openStore(a.values.workspace);
  const found = store.resolve(a.positional[0]);
  if (!found) {
    process.stderr.write(`gantry logs: no run '${a.positional[0]}' in ${store.runsDir}\n`);
    return 1;
  }
  const follow = a.flags.has('follow');
  const end = await printRunLogs(store, found.id, { follow });
  disposeBackends();
  return follow ? exitCodeFor(end) : 0;
}
