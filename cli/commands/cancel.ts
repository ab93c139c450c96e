// `gantry cancel <run>`: SIGTERM to the run's process group, a grace period, then SIGKILL (local);
// the backend's own cancel elsewhere (Slurm: scancel, then the job's end as squeue/sacct report it).
import { resolveRunArg } from './runsCli';
import { cancelRun } from '../../core/runs/submit';
import { disposeBackends } from '../../core/runs/backends';
import { isTerminal, type RunRecord } from '../../core/runs/types';
import type { RunStore } from '../../core/runs/store';

/** How long to wait for a scheduler to report the cancelled job's end (Slurm's KillWait and a poll or two). */
const END_TIMEOUT_MS = 60_000;

export const summary = 'cancel a run';

const USAGE = `usage: gantry cancel <run>

<run> is a run id, a unique prefix of one, or a spec name (its newest run).

options:
  --workspace DIR    the folder whose .gantry/ holds the runs (default: found from the current folder)
  -h, --help         this help

exit status: 0 the run ended (cancelled, or it had already ended), 1 no such run, or it could not be stopped, 2 bad usage`;

export async function run(argv: string[]): Promise<number> {
  const r = resolveRunArg('cancel', argv, false, USAGE);
  if (typeof r === 'number') return r;
  const { store, run: found } = r;
  if (isTerminal(found.state)) {
    process.stderr.write(`run ${found.id} already ended: ${found.state}\n`);
    return 0;
  }
  let end = await cancelRun(store, found);
  // A scheduler ends the job after the request returns: wait for the backend to see it end.
  if (end && !isTerminal(end.state)) end = await untilEnded(store, found.id, END_TIMEOUT_MS);
  disposeBackends();
  process.stderr.write(`run ${found.id}: ${end?.state ?? 'unknown'}${end?.reason ? ` (${end.reason})` : ''}\n`);
  return end?.state === 'cancelled' || (end && isTerminal(end.state)) ? 0 : 1;
}

function untilEnded(store: RunStore, id: string, timeoutMs: number): Promise<RunRecord | undefined> {
  return new Promise((resolve) => {
    const done = (r: RunRecord | undefined) => {
      clearTimeout(timer);
      store.off('change', on);
      resolve(r);
    };
    const on = (r: RunRecord) => {
      if (r.id === id && isTerminal(r.state)) done(r);
    };
    const timer = setTimeout(() => done(store.get(id)), timeoutMs);
    store.on('change', on);
    const now = store.get(id);
    if (now && isTerminal(now.state)) done(now);
  });
}
