// The table of subcommands: one line per command file, bundled as dist/cli-commands.js. Each
// command's module is loaded only when that command runs. `gantry server` does not come through
// here: cli/main.ts starts dist/server.js for it.

export interface CliCommand {
  summary: string;
  run(argv: string[]): Promise<number>;
}

type Loader = () => Promise<{ run(argv: string[]): Promise<number> }>;
const lazy = (summary: string, load: Loader): CliCommand => ({ summary, run: async (argv) => (await load()).run(argv) });

export const commands: Record<string, CliCommand> = {
  check: lazy('check specs for errors (compiler-style output or --format json)', () => import('./check')),
  run: lazy('run a TrainingJob or InferenceService and follow its logs', () => import('./run')),
  ps: lazy('list runs (state, backend, start, duration)', () => import('./ps')),
  logs: lazy("print a run's logs (-f to follow)", () => import('./logs')),
  cancel: lazy('cancel a run', () => import('./cancel')),
  script: lazy('print the exact Slurm batch script a spec would submit', () => import('./script')),
  import: lazy('write the Gantry spec a foreign config stands for (vllm serve line, torchtitan TOML, …)', () => import('./import')),
  manifest: lazy('print the Kubernetes manifest (Deployment, LeaderWorkerSet, JobSet, …) for a spec', () => import('./manifest')),
  estimate: lazy('estimate per-GPU memory, interconnect and step time (table or --format json)', () => import('./estimate')),
};

/** A `gantry check` worker thread's entry (cli/commands/check.ts): loads the check on this bundle. */
export const checkWorker = (): Promise<void> => import('./check').then((m) => m.checkWorkerMain());
