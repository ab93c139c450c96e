// The run model shared by every backend (local, slurm; a later one adds its variant), the extension, the panel
// and the CLI. A run is a record on disk (`<store>/runs/<id>/run.json` plus its log files), so the
// editor and `gantry ps|logs|cancel` see the same runs, and a window reload reattaches to them.
// Changes here must be additive, and run.json written by older versions must still load: both
// backends, the panel and the run history depend on these shapes.

import type { Scheduler } from '../spec/types';
import type { RefusalKind } from '../estimate/types';

/** Gantry's states. Backends map their own (Slurm's PENDING, COMPLETED, TIMEOUT…) onto these. */
export type RunState = 'queued' | 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'timeout' | 'lost';
export const TERMINAL_STATES: readonly RunState[] = ['succeeded', 'failed', 'cancelled', 'timeout', 'lost'];
export const isTerminal = (s: RunState): boolean => TERMINAL_STATES.includes(s);

// ---------------------------------------------------------------- the plan: one variant per backend

/** What will run, fully resolved from a spec before submission: shown in the confirmation as is. */
interface LaunchPlanBase {
  name: string; // metadata.name
  kind: 'TrainingJob' | 'InferenceService';
  specFile: string; // absolute path
  docIndex: number; // which YAML document in the file
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
  /** Training: the part of estimatedDeviceBytesPerGpu counted exactly (weights, gradients, optimizer states; core/estimate/terms.ts), for calibration. */
  estimatedStaticBytesPerGpu?: number;
  /** Serving: the estimator's KV cache size in tokens (what vLLM prints as "GPU KV cache size"), set against the engine's startup log. */
  estimatedKvCacheTokens?: number;
  /** Serving: the CUDA graph pool the estimate assumed per GPU, set against vLLM's "Estimated CUDA graph memory" / "Graph capturing finished … took" lines. */
  estimatedCudaGraphBytesPerGpu?: number;
  /** Serving: what vLLM would print as "Available KV cache memory" per the estimate (negative where it predicts no room), set against a start the engine refused. */
  estimatedAvailableKvBytesPerGpu?: number;
  /** Serving: the refusal the estimate predicted at submission (memory-exceeds-capacity / kv-cache-too-small), set against the engine's. */
  estimatedRefusal?: RefusalKind;
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

/** The Cluster a plan runs on, as planLaunch recorded it. */
export interface ClusterOptions {
  /** Its metadata.name. */
  cluster: string;
  scheduler: Scheduler;
}

/** A plan for this machine; `backendOptions` only when the spec names a (local) Cluster. */
export interface LocalLaunchPlan extends LaunchPlanBase {
  backend: 'local';
  backendOptions?: ClusterOptions;
}

/** The Slurm backend's settings: its Cluster (partition, account, login host) and the script it submits. */
export interface SlurmLaunchOptions extends ClusterOptions {
  /** Rendered once before submission (core/runs/slurm/planScript.ts): what the preview shows is what sbatch gets. */
  batchScript?: BatchScript;
}

export interface SlurmLaunchPlan extends LaunchPlanBase {
  backend: 'slurm';
  backendOptions: SlurmLaunchOptions;
}

/** Keyed on `backend`: `plan.backend === 'slurm'` gives the Slurm options their type. */
export type LaunchPlan = LocalLaunchPlan | SlurmLaunchPlan;
export type BackendId = LaunchPlan['backend'];

/** The batch script a Slurm plan submits (core/runs/slurm/batchScript.ts renders it). */
export interface BatchScript {
  text: string;
  jobName: string;
  nodes: number;
  tasksPerNode: number;
  gpusPerNode: number;
  /** torchrun: one task per node, torchrun forks one worker per GPU. srun: one task per rank. */
  launcher: 'torchrun' | 'srun';
  /** srun tasks in the main step (= per-rank log files when perRankLogs). */
  ranks: number;
  perRankLogs: boolean;
  /** The log directory as written in the script (relative to the submitting user's home unless absolute). */
  logDir: string;
}

export interface LogSource {
  path: string; // absolute
  stream: 'stdout' | 'stderr' | 'combined';
  rank?: number;
  host?: string;
}

// ---------------------------------------------------------------- the run: its plan and its backend's handle

/** What every handle may carry. */
interface HandleBase {
  /** A note about the run that is not a state: e.g. "output looks block-buffered…", or a log disk problem. */
  outputHint?: string;
}

/** The local backend's handle: the supervisor's pid (= the process group id) and its start time. */
export interface LocalHandle extends HandleBase {
  pid: number;
  pgid: number;
  /** Kernel start time of the pid (Linux: /proc/<pid>/stat field 22; elsewhere `ps -o lstart`), to tell a reused pid from ours. */
  startTime: string;
  host: string;
}

/** The Slurm backend's handle. */
export interface SlurmHandle extends HandleBase {
  jobId: string;
  /** Where Slurm's commands ran: "this machine" or "user@host:port". */
  where: string;
  /** The job's files on the Slurm side, from scontrol. */
  stdout?: string;
  stderr?: string;
  /**
   * The Slurm side's clock (seconds since the epoch) just before sbatch: an output file last
   * written earlier was left by an earlier job with the same id, and is not shown.
   */
  sbatchAtS?: number;
}

interface RunRecordBase {
  id: string; // unique, sortable by time: e.g. 20261122-163000-llama3-8b-a1b2
  state: RunState;
  /** Why it is in this state, in words: "Priority", "exit code 1", "killed by SIGKILL after cancel". */
  reason?: string;
  exitCode?: number;
  submittedAt: number; // epoch ms
  startedAt?: number;
  endedAt?: number;
  logs: LogSource[];
  /** The run this one re-runs, when started from "re-run". */
  rerunOf?: string;
}

// A handle is empty ({}) until the backend has started the run, and fills in as it learns more (a
// Slurm job's files come after its id): hence Partial. The JSON on disk is the same as before these
// types were a union, so run history written by older versions loads as is (test/unit/runs/store.test.ts).
export interface LocalRun extends RunRecordBase {
  plan: LocalLaunchPlan;
  handle: Partial<LocalHandle>;
}

export interface SlurmRun extends RunRecordBase {
  plan: SlurmLaunchPlan;
  handle: Partial<SlurmHandle>;
}

export type RunRecord = LocalRun | SlurmRun;
export type RunHandle = RunRecord['handle'];

export const isLocalRun = (r: RunRecord): r is LocalRun => r.plan.backend === 'local';
export const isSlurmRun = (r: RunRecord): r is SlurmRun => r.plan.backend === 'slurm';

/** `run` with a note in its handle (the panel shows it under the run's state). */
export function withOutputHint<R extends RunRecord>(run: R, outputHint: string): R {
  return { ...run, handle: { ...run.handle, outputHint } };
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
export interface RunUpdate<H extends RunHandle = RunHandle> {
  id: string;
  state?: RunState;
  reason?: string;
  exitCode?: number;
  startedAt?: number;
  endedAt?: number;
  logs?: LogSource[];
  handle?: H;
}

export interface BackendContext<H extends RunHandle = RunHandle> {
  /** Directory for this run's files (logs, scripts); created by the store. */
  runDir: string;
  /** Report state changes; safe to call from any callback. */
  update(u: RunUpdate<H>): void;
  signal?: AbortSignal;
}

/**
 * One backend, typed by the runs it serves (LocalBackend: Backend<LocalRun>). The registry
 * (backends.ts) hands each backend only the runs whose plan names it.
 */
export interface Backend<R extends RunRecord = RunRecord> {
  readonly id: R['plan']['backend'];
  /** Starts the run; resolves once it is accepted (queued/pending/running) or rejects with a message for the user. */
  submit(run: R, ctx: BackendContext<R['handle']>): Promise<RunUpdate<R['handle']>>;
  cancel(run: R, ctx: BackendContext<R['handle']>): Promise<void>;
  /** Reattaches to runs that were live when the window or CLI last exited. */
  reattach(runs: R[], ctx: (run: R) => BackendContext<R['handle']>): Promise<void>;
  dispose(): void;
}
