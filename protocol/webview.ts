// The one message protocol between the run panel's host (client/runs/panel.ts) and its webview
// (webview/main.ts). Plain JSON only: timestamps are epoch ms, data goes in batches, and the host
// sends at most 10 messages a second (everything queued in one 100 ms tick travels as one
// `batch`). Both sides switch exhaustively on `type`.

// The run types come from the run model (core/runs/types.ts), so the panel cannot drift from what
// the store records. Type-only: the webview bundle takes no code from core.
import type { LaunchPlan, RunHandle, RunState, RunSummary } from '../core/runs/types';
import type { ConfigDiffRow } from '../core/runs/configDiff';
import type { DcgmHealthEvent, DcgmSample } from '../core/telemetry/dcgm';

export type RunStateName = RunState;

/**
 * What the panel shows of a run: its summary (RunSummary), from its plan the per-GPU memory
 * estimate (the memory chart's line) and, for local runs, the GPUs it sees (to pick its charts out
 * of the host's samples), and from its handle a note about the output that is not a state
 * ("output looks block-buffered: run python with -u…").
 */
export type RunView = RunSummary &
  Pick<LaunchPlan, 'estimatedDeviceBytesPerGpu' | 'gpuIndices'> &
  Pick<RunHandle, 'outputHint'> & {
    /** An ended run's measured figures beside its estimate (core/logs/versus.ts summaryLines), one line each. */
    summary?: string[];
  };

/** Consecutive lines from one source. */
export interface LogChunk {
  stream: 'stdout' | 'stderr';
  rank?: number;
  lines: string[];
}

/** A line a detector flagged (traceback, CUDA OOM, NCCL, Xid…); `line` is its index in the run's log. */
export interface LogMark {
  line: number;
  kind: string;
  summary: string;
}

export interface TrainPoint {
  line: number;
  t: number;
  step?: number;
  loss?: number;
  lr?: number;
  tokensPerSec?: number;
}

/** One GPU's sample on the panel, from nvidia-smi or Prometheus/DCGM: core's DcgmSample without the UUID. */
export type GpuPoint = Omit<DcgmSample, 'uuid'>;

/** A GPU health event (XID, ECC errors or retired pages, thermal or power throttling) from the metrics source, for the run's timeline: core's type. */
export type HealthEvent = DcgmHealthEvent;

export interface TelemetryStatus {
  state: 'off' | 'starting' | 'sampling' | 'no-gpu' | 'error' | 'stopped';
  /** 'replay' data is recorded, not this machine's: the panel labels it so. */
  source: 'live' | 'replay';
  message?: string;
  /** The metrics source named on the panel: "nvidia-smi", "Prometheus (DCGM) at http://…". Absent: nvidia-smi. */
  via?: string;
  /** The samples cover the shown run from its start (Prometheus history): the charts span the run, not a rolling window. */
  wholeRun?: boolean;
}

/** One run of a comparison: its view, where its configuration came from, its figures and its GPU history (one series: mean of its GPUs, memory of the largest). */
export interface CompareSide {
  run: RunView;
  /** 'spec': the spec document kept at submission; 'plan': only what the plan recorded (an older run). */
  configFrom: 'spec' | 'plan';
  /** Measured against the estimate (core/logs/versus.ts summaryLines); empty while the run has no kept figures. */
  figures: string[];
  gpu: GpuPoint[];
  /** Why there is no GPU history, or that it is still loading. */
  gpuNote?: string;
}

/** Two runs of one spec side by side (Gantry: Compare Runs). */
export interface CompareView {
  a: CompareSide;
  b: CompareSide;
  /** The two configurations key by key (core/runs/compare.ts diffConfig), changes first. */
  rows: ConfigDiffRow[];
}

export interface PanelConfig {
  /** Rolling window of the GPU charts. */
  windowMs: number;
}

// ---------------------------------------------------------------- host → webview

export type HostMessage =
  /** On `ready` and on reload: every run, and which one to show. */
  | { type: 'runs/snapshot'; runs: RunView[]; selectedId?: string; config: PanelConfig }
  /** Runs that changed state (a batch). */
  | { type: 'run/state'; runs: RunView[] }
  /** The host asks the panel to show a run (after ▶ Run, or a click in the status bar). */
  | { type: 'run/show'; runId: string }
  /** The log of `runId` starts over (the panel drops what it had); lines follow in log/append. */
  | { type: 'log/reset'; runId: string }
  /** Lines `start`… of a run's log; `start` lets the panel check that nothing was lost. */
  | { type: 'log/append'; runId: string; start: number; chunks: LogChunk[]; marks: LogMark[] }
  /** Training metrics parsed from the log. */
  | { type: 'metrics/append'; runId: string; points: TrainPoint[] }
  /** GPU samples of one or more hosts. */
  | { type: 'telemetry/append'; samples: GpuPoint[] }
  | { type: 'telemetry/status'; status: TelemetryStatus }
  /** GPU health events of the shown run (XID…), from the metrics source. */
  | { type: 'health/append'; events: HealthEvent[] }
  /** Show two runs side by side; their GPU histories follow in compare/gpu. */
  | { type: 'compare/show'; compare: CompareView }
  /** One compared run's GPU history (or why there is none). */
  | { type: 'compare/gpu'; runId: string; samples: GpuPoint[]; note?: string }
  /** Everything queued in one tick, in order. */
  | { type: 'batch'; messages: HostMessage[] };

// ---------------------------------------------------------------- webview → host

export type WebviewMessage =
  /** The webview has loaded (or reloaded) and wants a snapshot; `selectedId` comes from getState(). */
  | { type: 'ready'; selectedId?: string }
  /** The person picked a run: the host sends its log (log/reset + log/append). */
  | { type: 'run/select'; runId: string }
  | { type: 'run/cancel'; runId: string }
  | { type: 'run/rerun'; runId: string }
  /** Open the run's spec file in an editor. */
  | { type: 'spec/open'; runId: string }
  /** Open the run's raw log file in an editor. */
  | { type: 'log/openRaw'; runId: string; stream: 'stdout' | 'stderr' }
  /** Put text on the clipboard (the webview's own clipboard access is not reliable everywhere). */
  | { type: 'log/copy'; text: string }
  /** Compare `runId` with another run of its spec (the host asks which, in a QuickPick). */
  | { type: 'compare/pick'; runId: string }
  /** The person closed the comparison (a reload does not bring it back). */
  | { type: 'compare/close' };

export function assertNever(x: never): never {
  throw new Error(`unexpected message: ${JSON.stringify(x)}`);
}

/** How often the host may post (messages per second), and so the batching tick. */
export const MAX_MESSAGES_PER_SECOND = 10;
