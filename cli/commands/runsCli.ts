// What the run commands (run, ps, logs, cancel) share: argument parsing, opening the store, and
// printing a run's logs with rank prefixes until it ends.
import * as path from 'node:path';
import { findStoreRoot, RunStore } from '../../core/runs/store';
import { followRunLogs, sourceLabel } from '../../core/runs/runLogs';
import { reattachRuns } from '../../core/runs/submit';
import type { RunRecord } from '../../core/runs/types';
import { registerDefaultBackends } from '../../core/runs/defaultBackends';

// Every run command (run, ps, logs, cancel, script) loads this module: the Slurm backend is then
// registered for all of them, as the extension registers it in client/runs.
registerDefaultBackends();

export interface ParsedArgs {
  positional: string[];
  values: Record<string, string | undefined>;
  flags: Set<string>;
  error?: string;
}

export function parseArgs(argv: string[], valued: string[], flags: string[]): ParsedArgs {
  const out: ParsedArgs = { positional: [], values: {}, flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.positional.push(...argv.slice(i + 1));
      break;
    }
    if (a === '-h') {
      out.flags.add('help');
      continue;
    }
    if (a === '-f') {
      out.flags.add('follow');
      continue;
    }
    if (a.startsWith('--')) {
      const [k, inline] = a.slice(2).split(/=(.*)/s, 2);
      if (valued.includes(k)) {
        const v = inline ?? argv[++i];
        if (v === undefined) out.error = `--${k} needs a value`;
        out.values[k] = v;
      } else if (flags.includes(k)) out.flags.add(k);
      else out.error = `unknown option --${k}`;
      continue;
    }
    out.positional.push(a);
  }
  return out;
}

/**
 * The shared start of commands that act on one run (`logs`, `cancel`): parse, print help, open the
 * store and resolve the run argument. Returns the exit code to stop with, or the run and store.
 */
export function resolveRunArg(command: string, argv: string[], flags: string[], usage: string): number | { args: ParsedArgs; store: RunStore; run: RunRecord } {
  const args = parseArgs(argv, ['workspace'], [...flags, 'help']);
  if (args.flags.has('help')) return (void process.stdout.write(usage + '\n'), 0);
  if (args.error || args.positional.length !== 1) {
    process.stderr.write(`${args.error ?? 'give one run'}\n\n${usage}\n`);
    return 2;
  }
  const store = openStore(args.values.workspace);
  const run = store.resolve(args.positional[0]);
  if (!run) {
    process.stderr.write(`gantry ${command}: no run '${args.positional[0]}' in ${store.runsDir}\n`);
    return 1;
  }
  return { args, store, run };
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
