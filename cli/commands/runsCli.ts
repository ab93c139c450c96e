// What the run commands (run, ps, logs, cancel) share: resolving the run argument, opening the store, and
// printing a run's logs with rank prefixes until it ends.
import * as path from 'node:path';
import { findStoreRoot, RunStore } from '../../core/runs/store';
import { followRunLogs, sourceLabel } from '../../core/runs/runLogs';
import { reattachRuns } from '../../core/runs/submit';
import type { RunRecord } from '../../core/runs/types';
import { registerDefaultBackends } from '../../core/runs/defaultBackends';
import { parseCommandArgs } from '../args';

// Every run command (run, ps, logs, cancel, script) loads this module: the Slurm backend is then
// registered for all of them, as the extension registers it in client/runs.
registerDefaultBackends();

/**
 * The shared start of commands that act on one run (`logs`, `cancel`): parse, print help, open the
 * store and resolve the run argument. Returns the exit code to stop with, or the run and store.
 */
export function resolveRunArg(command: string, argv: string[], follow: boolean, usage: string): number | { follow: boolean; store: RunStore; run: RunRecord } {
  const a = parseCommandArgs(argv, {
    workspace: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
    ...(follow ? { follow: { type: 'boolean', short: 'f' } as const } : {}),
  });
  if (!('error' in a) && a.values.help) return (void process.stdout.write(usage + '\n'), 0);
  if ('error' in a || a.positionals.length !== 1) {
    process.stderr.write(`${'error' in a ? a.error : 'give one run'}\n\n${usage}\n`);
    return 2;
  }
  const store = openStore(a.values.workspace);
  const run = store.resolve(a.positionals[0]);
  if (!run) {
    process.stderr.write(`gantry ${command}: no run '${a.positionals[0]}' in ${store.runsDir}\n`);
    return 1;
  }
  return { follow: 'follow' in a.values && !!a.values.follow, store, run };
}

export function openStore(workspace: string | undefined): RunStore {
  return new RunStore(workspace ? path.join(path.resolve(workspace), '.gantry') : findStoreRoot(process.cwd()));
}

/** Brings the states of unfinished runs up to date (a run that ended while nobody watched). */
export async function refreshRuns(store: RunStore): Promise<void> {
  await reattachRuns(store);
}

/** Prints a run's logs (stderr lines to stderr) and, with `follow`, waits for it to end. */
export function printRunLogs(store: RunStore, id: string, opts: { follow: boolean }): Promise<RunRecord> {
  return new Promise((resolve) => {
    const run = store.get(id)!;
    const multi = new Set(run.logs.map((l) => l.rank)).size > 1;
    let logs: ReturnType<typeof followRunLogs> | undefined;
    const onSigint = () => {
      logs?.stop();
      process.stderr.write(`\ndetached; the run goes on. gantry logs -f ${id} to follow it again, gantry cancel ${id} to stop it.\n`);
      process.exit(130);
    };
    if (opts.follow) process.once('SIGINT', onSigint);
    logs = followRunLogs(
      store,
      id,
      (src, lines) => {
        const prefix = multi || src.rank !== undefined ? sourceLabel(src) : '';
        const text = lines.map((l) => prefix + l).join('\n') + '\n';
        (src.stream === 'stderr' ? process.stderr : process.stdout).write(text);
      },
      {
        onEnd: (end) => {
          process.off('SIGINT', onSigint);
          process.stderr.write(`run ${end.id}: ${end.state}${end.reason ? ` (${end.reason})` : ''}\n`);
          resolve(end);
        },
      },
    );
    if (!opts.follow) {
      logs.stop();
      resolve(store.get(id)!);
    } else {
      // The owner of the run may be gone (an editor window closed): watch its process from here.
      void reattachRuns(store);
    }
  });
}

export function exitCodeFor(run: RunRecord): number {
  return run.state === 'succeeded' ? 0 : 1;
}
