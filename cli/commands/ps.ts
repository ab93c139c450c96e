// `gantry ps`: the runs of this workspace, newest first, with states brought up to date.
import { openStore, refreshRuns } from './runsCli';
import { parseCommandArgs } from '../args';
import { disposeBackends } from '../../core/runs/backends';
import type { RunSummary } from '../../core/runs/types';

export const summary = 'list runs (state, backend, start, duration)';

const USAGE = `usage: gantry ps [options]

options:
  --state S          only runs in this state (queued, running, succeeded, failed, cancelled, lost…)
  --json             one JSON array of run summaries
  --workspace DIR    the folder whose .gantry/ holds the runs (default: found from the current folder)
  -h, --help         this help

exit status: 0 listed, 2 bad usage`;

export async function run(argv: string[]): Promise<number> {
  const a = parseCommandArgs(argv, { state: { type: 'string' }, workspace: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (!('error' in a) && a.values.help) return (void process.stdout.write(USAGE + '\n'), 0);
  if ('error' in a || a.positionals.length) {
    process.stderr.write(`${'error' in a ? a.error : 'gantry ps takes no arguments'}\n\n${USAGE}\n`);
    return 2;
  }
  const store = openStore(a.values.workspace);
  await refreshRuns(store);
  disposeBackends();
  let runs = store.list();
  if (a.values.state) runs = runs.filter((r) => r.state === a.values.state);
  if (a.values.json) {
    process.stdout.write(JSON.stringify(runs, null, 2) + '\n');
    return 0;
  }
  process.stdout.write(formatTable(runs, Date.now()) + '\n');
  return 0;
}

export function formatTable(runs: RunSummary[], now: number): string {
  const rows = [['RUN', 'NAME', 'STATE', 'BACKEND', 'STARTED', 'DURATION', 'REASON']];
  for (const r of runs) {
    const start = r.startedAt ?? r.submittedAt;
    rows.push([r.id, r.name, r.state, r.backend, new Date(start).toISOString().replace('T', ' ').slice(0, 19), formatDuration((r.endedAt ?? now) - start), (r.reason ?? '').replace(/\s*\n\s*/g, ' ')]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows
    .map((row) =>
      row
        .map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
