// The run model shared by every backend (local, slurm, later kubernetes), the extension, the panel
// and the CLI. A run is a record on disk (`<store>/runs/<id>/run.json` plus its log files), so the
// editor and `gantry ps|logs|cancel` see the same runs, and a window reload reattaches to them.
// Changes here must be additive: both backends and the panel depend on these shapes.

export type BackendId = 'local' | 'slurm' | 'kubernetes';

/** Gantry's states. Backends map their own (Slurm's PENDING, COMPLETED, TIMEOUT…) onto these. */
export type RunState = 'queued' | 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'timeout' | 'lost';
export const TERMINAL_STATES: readonly RunState[] = ['succeeded', 'failed', 'cancelled', 'timeout', 'lost'];
export const isTerminal = (s: RunState): boolean => TERMINAL_STATES.includes(s);

/** What will run, fully resolved from a spec before submission: shown in the confirmation as is. */
export interface LaunchPlan {
  name: string; // metadata.name
  kind: 'TrainingJob' | 'InferenceService';
  specFile: string; // absolute path
  docIndex: number; // which YAML document in the file
  backend: BackendId;
  /** argv; never joined into a shell string. */
  command: string[];
  env: Record<string, string>;
  /** Where the command starts: a local path for the local backend; for Slurm, on the cluster (`~` is the home directory there). */
  cwd: string;
  nodes: number;
  gpusPerNode: number;
  /** Local backend: the device indices for CUDA_VISIBLE_DEVICES. */
  gpuIndices?: number[];
  /** The per-GPU memory estimate in bytes, drawn as a line on the memory chart. */
  estimatedDeviceBytesPerGpu?: number;
  /** Training: the estimator's tokens/s per GPU at submission, set against the run's measured figures when it ends. */
  estimatedTokensPerSecondPerGpu?: number;
  /** Backend-specific settings (Slurm partition, account, login host, batch script…). */
  backendOptions?: Record<string, unknown>;
  /**
   * Local backend: processes started on this node, each with RANK/LOCAL_RANK/WORLD_SIZE and its own
   * log files (rank-tagged LogSources). Absent or 1: one process (torchrun does its own forking).
   */
  ranks?: number;
  /** The spec's timeLimit as written (`90m`), for messages; the local backend enforces timeLimitSeconds. */
  timeLimit?: string;
  /** The wall-clock limit in seconds (finite); absent: no limit. */
  timeLimitSeconds?: number;
  /** Problems found while planning that do not stop the run (shown in the confirmation). */
  warnings?: string[];
}

export interface LogSource {
  path: string; // absolute
  stream: 'stdout' | 'stderr' | 'combined';
  rank?: number;
  host?: string;
}

export interface RunRecord {
  id: string; // unique, sortable by time: e.g. 20261122-163000-llama3-8b-a1b2
  plan: LaunchPlan;
  state: RunState;
  /** Why it is in this state, in words: "Priority", "exit code 1", "killed by SIGKILL after cancel". */
  reason?: string;
  exitCode?: number;
  submittedAt: number; // epoch ms
  startedAt?: number;
  endedAt?: number;
  logs: LogSource[];
  /** Backend-specific handle: pid/pgid for local, job id and host for Slurm. */
  handle: Record<string, string | number | boolean | undefined>;
  /** The run this one re-runs, when started from "re-run". */
  rerunOf?: string;
}

/** The local backend's handle: the supervisor's pid (= the process group id) and its start time. */
export interface LocalHandle {
  [key: string]: string | number | boolean | undefined;
  pid: number;
  pgid: number;
  /** Kernel start time of the pid (Linux: /proc/<pid>/stat field 22; elsewhere `ps -o lstart`), to tell a reused pid from ours. */
  startTime: string;
  host: string;
}

/** A run's one-line summary, kept in `<store>/runs/index.json` for quick listing (run.json is the truth). */
export interface RunSummary {
  id: string;
  name: string;
  kind: LaunchPlan['kind'];
  backend: BackendId;
  state: RunState;
  reason?: string;
  exitCode?: number;
  specFile: string;
  submittedAt: number;
  startedAt?: number;
  endedAt?: number;
}

export const summarizeRun = (r: RunRecord): RunSummary => ({
  id: r.id,
  name: r.plan.name,
  kind: r.plan.kind,
  backend: r.plan.backend,
  state: r.state,
  reason: r.reason,
  exitCode: r.exitCode,
  specFile: r.plan.specFile,
  submittedAt: r.submittedAt,
  startedAt: r.startedAt,
  endedAt: r.endedAt,
});

/** A change a backend reports; the store applies it and notifies listeners. */
export interface RunUpdate {
  id: string;
  state?: RunState;
  reason?: string;
  exitCode?: number;
  startedAt?: number;
  endedAt?: number;
  logs?: LogSource[];
  handle?: RunRecord['handle'];
}

export interface BackendContext {
  /** Directory for this run's files (logs, scripts); created by the store. */
  runDir: string;
  /** Report state changes; safe to call from any callback. */
  update(u: RunUpdate): void;
  signal?: AbortSignal;
}

export interface Backend {
  readonly id: BackendId;
  /** Starts the run; resolves once it is accepted (queued/pending/running) or rejects with a message for the user. */
  submit(run: RunRecord, ctx: BackendContext): Promise<RunUpdate>;
  cancel(run: RunRecord, ctx: BackendContext): Promise<void>;
  /** Reattaches to runs that were live when the window or CLI last exited. */
  reattach(runs: RunRecord[], ctx: (run: RunRecord) => BackendContext): Promise<void>;
  dispose(): void;
}
