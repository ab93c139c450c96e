// Measured against estimated: what a run's log and telemetry measured, set beside the estimate kept
// at submission, as the `last run` code lens and the panel's run summary show it.
//
// The percentage is the estimate's error relative to the measurement, (estimated − measured) /
// measured: "−6 %" means the estimate was 6 % below what the run used.
import type { RefusalKind } from '../estimate/types';
import type { Figure, MeasuredFigures, MeasuredTool, NcclEvent } from './measured';
import { sanitizeLine } from './sanitize';
import type { ServingUsage } from './usage';

/** The estimator's figures at submission (LaunchPlan.estimated*). */
export interface RunEstimate {
  deviceGiBPerGpu?: number;
  tokensPerSecPerGpu?: number;
  /** Training: the part of deviceGiBPerGpu counted exactly (weights, gradients, optimizer states); calibration corrects the rest. */
  staticGiBPerGpu?: number;
  /** Serving: the KV cache in tokens (what vLLM prints as "GPU KV cache size", SGLang as max_total_num_tokens). */
  kvCacheTokens?: number;
  /** Serving: the CUDA graph pool per GPU the estimate assumed. */
  cudaGraphGiBPerGpu?: number;
  /** Serving: the memory the estimate left for the KV cache per GPU, as vLLM prints it (negative: none). */
  availableKvGiBPerGpu?: number;
  /** Serving: the refusal the estimate predicted (absent: it expected the engine to start). */
  refusal?: RefusalKind;
}

/** What telemetry saw of a run's GPUs while it ran. */
export interface TelemetryPeak {
  /** Highest device memory in use on any of the run's GPUs. */
  peakDeviceGiB: number;
  /** The smallest framebuffer total of the run's GPUs (nvidia-smi memory.total, DCGM used + free), MiB. */
  deviceTotalMiB?: number;
  gpus: number;
  samples: number;
  meanUtilPct?: number;
  /** DCGM's SM activity (Prometheus source only), in %. */
  meanSmActivePct?: number;
  /** Where the samples came from, as the panel names it: "nvidia-smi", "nvidia-smi (replayed)", "Prometheus (DCGM)". */
  source: string;
}

/** The record kept beside a run when it ends (`<run dir>/figures.json`). */
export interface RunOutcome {
  version: 1;
  runId: string;
  state: string;
  gpus: number;
  /** The document's kind and the Cluster it ran on (runs kept before these were added have neither). */
  kind?: 'TrainingJob' | 'InferenceService';
  cluster?: string;
  estimate: RunEstimate;
  log: MeasuredFigures;
  /** A serving engine's peak KV cache usage from its stats lines (core/logs/usage.ts). */
  usage?: ServingUsage;
  telemetry?: TelemetryPeak;
}

export interface Side {
  measured: number;
  estimated?: number;
  /** (estimated − measured) / measured × 100. */
  errorPct?: number;
  /** Where the measured figure comes from, in words. */
  source: string;
  line?: number;
}

export interface Comparison {
  peakGiB?: Side;
  tokensPerSecPerGpu?: Side;
  /** Serving: the KV cache the engine sized at startup, in tokens. */
  kvCacheTokens?: Side;
  /** vLLM: the CUDA graph pool (its estimate from 0.20, else what it captured). */
  cudaGraphGiB?: Side;
  oom?: { neededGiB: number; estimatedGiB?: number; errorPct?: number; gpu?: number; line: number; file?: string };
  /** vLLM refused to start for memory; beside it, what the estimate at submission predicted. */
  refusal?: {
    kind: RefusalKind;
    line: number;
    /** The log file the line is in, where a run has several. */
    file?: string;
    /** As printed: the memory left for the KV cache (negative: none), the KV a request of max_model_len needs, the tokens the cache held. */
    availableGiB?: number;
    neededGiB?: number;
    kvTokens?: number;
    /** The estimate's prediction: the same or the other refusal, or a start (undefined where no estimate was kept). */
    predicted?: RefusalKind | 'start';
    estimatedAvailableGiB?: number;
  };
}

/** A stored number read as one (figures.json is a workspace file): finite, and within [min, max]. */
const inRange = (x: unknown, min: number, max: number): number | undefined => (typeof x === 'number' && Number.isFinite(x) && x >= min && x <= max ? x : undefined);
/** A stored number of either sign, within ±max. */
const finite = (x: unknown, max: number): number | undefined => inRange(x, -max, max);
/** A stored count: a whole number from 0 to max (a fraction is cut). */
const count = (x: unknown, max: number): number | undefined => {
  const v = inRange(x, 0, max);
  return v === undefined ? undefined : Math.floor(v);
};
/** Stored text shown to the user: cut to max characters, control characters made visible; empty is none. */
const text = (x: unknown, max: number): string | undefined => (typeof x === 'string' && x.trim() ? sanitizeLine(x.slice(0, max).replaceAll('\n', ' ')) : undefined);
const obj = (x: unknown): Record<string, unknown> | undefined => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined);
/** The largest stored figure taken as one. */
const FIGURE_MAX = 1e15;
/** A stored file name or source is cut to this. */
const FILE_CHARS = 120;
/** A log line number. */
const LINE_MAX = 1e9;

/** A log's refusal as stored, its figures read only as finite numbers of a sane size and sign. */
function refusalOf(r: unknown): NonNullable<MeasuredFigures['refusal']> | undefined {
  const x = obj(r);
  if (!x || (x.kind !== 'no-kv-memory' && x.kind !== 'kv-below-one-sequence')) return undefined;
  const availableGiB = finite(x.availableGiB, 1e6);
  const neededGiB = inRange(x.neededGiB, 0, 1e6);
  const kvTokens = count(x.kvTokens, 1e12);
  const file = text(x.file, FILE_CHARS);
  return {
    kind: x.kind,
    line: count(x.line, LINE_MAX) ?? 0,
    ...(file !== undefined ? { file } : {}),
    ...(availableGiB !== undefined ? { availableGiB } : {}),
    ...(neededGiB !== undefined ? { neededGiB } : {}),
    ...(kvTokens !== undefined ? { kvTokens } : {}),
  };
}

/** How a stored figure is read: its value's range, and the extras it carries (each a number range or text; required unless optional). */
interface FigureSpec {
  min?: number;
  max?: number;
  extras?: Record<string, { min: number; max: number } | 'text'>;
  optional?: readonly string[];
}

/** A stored figure: a value in its range and a line, the file it came from, and its extras. */
function figureOf(x: unknown, spec: FigureSpec = {}): Figure | undefined {
  const f = obj(x);
  const value = inRange(f?.value, spec.min ?? 0, spec.max ?? FIGURE_MAX);
  const line = count(f?.line, LINE_MAX);
  if (!f || value === undefined || line === undefined) return undefined;
  const out: Record<string, unknown> = { value, line };
  const file = text(f.file, FILE_CHARS);
  if (file !== undefined) out.file = file;
  for (const [k, t] of Object.entries(spec.extras ?? {})) {
    const v = t === 'text' ? text(f[k], FILE_CHARS) : inRange(f[k], t.min, t.max);
    if (v !== undefined) out[k] = v;
    else if (!spec.optional?.includes(k)) return undefined;
  }
  return out as unknown as Figure;
}

const PCT = { min: 0, max: 100 };
const SAMPLES = { samples: { min: 0, max: 1e12 } };
type FigureKey = Exclude<keyof MeasuredFigures, 'tool' | 'oom' | 'refusal' | 'nccl'>;
/** Every figure of MeasuredFigures (a new one must be named here to be read back), and how it is read. */
const FIGURES: { [K in FigureKey]-?: FigureSpec } = {
  weightsGiB: {},
  requestedGiB: {},
  kvCacheGiB: {},
  availableKvGiB: { min: -1e6, max: 1e6 },
  kvCacheTokens: {},
  gpuBlocks: {},
  // vLLM prints these negative at times ("Estimated CUDA graph memory: -0.90 GiB total", "took -0.22 GiB"), and the reader keeps them.
  cudaGraphEstimateGiB: { min: -1e6, max: 1e6 },
  cudaGraphGiB: { min: -1e6, max: 1e6 },
  maxConcurrency: { extras: { tokensPerRequest: { min: 0, max: 1e12 } }, optional: ['tokensPerRequest'] },
  maxRunningRequests: {},
  contextLen: {},
  deviceTotalGiB: { extras: { source: 'text' } },
  peakReservedGiB: { extras: { pct: PCT }, optional: ['pct'] },
  tokensPerSecPerGpu: { extras: SAMPLES },
  tflopsPerGpu: { extras: SAMPLES },
  // torchtitan measures a GPU it does not know against another's peak, so an MFU above 100 % is printed at times.
  mfuPct: { min: 0, max: 1000, extras: SAMPLES },
  lastStep: {},
  trainRuntimeS: {},
  trainSamplesPerSec: {},
  trainTokensPerSec: {},
  trainLoss: { min: -FIGURE_MAX },
};
const TOOLS: readonly MeasuredTool[] = ['vllm', 'sglang', 'torchtitan', 'hf-trainer'];
/** The estimate's figures kept at submission: their ranges (the available KV memory is negative where none is left). */
const ESTIMATE: { [K in Exclude<keyof RunEstimate, 'refusal'>]-?: [number, number] } = {
  deviceGiBPerGpu: [0, 1e9],
  tokensPerSecPerGpu: [0, FIGURE_MAX],
  staticGiBPerGpu: [0, 1e9],
  kvCacheTokens: [0, FIGURE_MAX],
  cudaGraphGiBPerGpu: [0, 1e9],
  availableKvGiBPerGpu: [-1e9, 1e9],
};

/**
 * A run's outcome as stored (`figures.json`, a file in the workspace anyone can edit) read back: only the fields
 * Gantry writes, each of its own type, numbers finite and of a sane size and sign, text cut short with control
 * characters made visible; a figure missing a part is dropped, and the rest kept. Undefined where it is not an outcome
 * of run `runId`. Everything that reads an outcome reads this.
 */
export function storedOutcome(raw: unknown, runId: string): RunOutcome | undefined {
  const o = obj(raw);
  const log = obj(o?.log);
  if (!o || !log || o.version !== 1 || o.runId !== runId) return undefined;
  const figures: Record<string, unknown> = { nccl: [] };
  if (TOOLS.includes(log.tool as MeasuredTool)) figures.tool = log.tool;
  for (const [k, spec] of Object.entries(FIGURES)) {
    const f = figureOf(log[k], spec);
    if (f) figures[k] = f;
  }
  const oom = obj(log.oom);
  const oomLine = count(oom?.line, LINE_MAX);
  const tried = inRange(oom?.triedGiB, 0, 1e9);
  const needed = inRange(oom?.neededGiB, 0, 1e9);
  if (oom && oomLine !== undefined && tried !== undefined && needed !== undefined) {
    const out: Record<string, unknown> = { line: oomLine, triedGiB: tried, neededGiB: needed };
    const gpu = count(oom.gpu, 1e6);
    if (gpu !== undefined) out.gpu = gpu;
    for (const k of ['totalGiB', 'freeGiB', 'inUseGiB', 'allocatedByPytorchGiB', 'reservedUnallocatedGiB']) {
      const v = inRange(oom[k], 0, 1e9);
      if (v !== undefined) out[k] = v;
    }
    const file = text(oom.file, FILE_CHARS);
    if (file !== undefined) out.file = file;
    figures.oom = out;
  }
  const refusal = refusalOf(log.refusal);
  if (refusal) figures.refusal = refusal;
  for (const e of Array.isArray(log.nccl) ? log.nccl.slice(0, 8) : []) {
    const line = count(obj(e)?.line, LINE_MAX);
    const summary = text(obj(e)?.summary, 300);
    const file = text(obj(e)?.file, FILE_CHARS);
    if (line !== undefined && summary !== undefined) (figures.nccl as NcclEvent[]).push({ line, summary, ...(file !== undefined ? { file } : {}) });
  }
  const est = obj(o.estimate) ?? {};
  const estimate: Record<string, unknown> = {};
  for (const [k, [min, max]] of Object.entries(ESTIMATE)) {
    const v = inRange(est[k], min, max);
    if (v !== undefined) estimate[k] = v;
  }
  if (est.refusal === 'no-kv-memory' || est.refusal === 'kv-below-one-sequence') estimate.refusal = est.refusal;
  const out: RunOutcome = { version: 1, runId, state: text(o.state, 40) ?? 'unknown', gpus: count(o.gpus, 1e7) ?? 0, estimate: estimate as RunEstimate, log: figures as unknown as MeasuredFigures };
  if (o.kind === 'TrainingJob' || o.kind === 'InferenceService') out.kind = o.kind;
  const cluster = text(o.cluster, 253);
  if (cluster !== undefined) out.cluster = cluster;
  const u = obj(o.usage);
  const peak = figureOf(u?.peakKvUsagePct, PCT);
  const samples = count(u?.samples, 1e12);
  if (u && peak && samples !== undefined) {
    const running = figureOf(u.peakRunning, { max: 1e9 });
    const tokens = figureOf(u.peakKvTokens);
    out.usage = { peakKvUsagePct: peak, samples, ...(running ? { peakRunning: { ...running, value: Math.floor(running.value) } } : {}), ...(tokens ? { peakKvTokens: tokens } : {}) };
  }
  const t = obj(o.telemetry);
  const tPeak = inRange(t?.peakDeviceGiB, 0, 1e9);
  const tGpus = count(t?.gpus, 1e7);
  const tSamples = count(t?.samples, 1e12);
  const tSource = text(t?.source, 60);
  if (t && tPeak !== undefined && tGpus !== undefined && tGpus >= 1 && tSamples !== undefined && tSource !== undefined) {
    const tel: TelemetryPeak = { peakDeviceGiB: tPeak, gpus: tGpus, samples: tSamples, source: tSource };
    const total = inRange(t.deviceTotalMiB, 0, 1e9);
    if (total !== undefined) tel.deviceTotalMiB = total;
    for (const k of ['meanUtilPct', 'meanSmActivePct'] as const) {
      const v = inRange(t[k], 0, 100);
      if (v !== undefined) tel[k] = v;
    }
    out.telemetry = tel;
  }
  return out;
}

const errorPct = (estimated: number | undefined, measured: number) => (estimated !== undefined && measured > 0 ? ((estimated - measured) / measured) * 100 : undefined);

const side = (measured: number, estimated: number | undefined, source: string, line?: number): Side => {
  const e = errorPct(estimated, measured);
  return { measured, ...(estimated !== undefined ? { estimated } : {}), ...(e !== undefined ? { errorPct: e } : {}), source, ...(line !== undefined ? { line } : {}) };
};

export function compareRun(o: RunOutcome): Comparison {
  const out: Comparison = {};
  const est = o.estimate;
  const log = o.log;
  // Peak memory: telemetry is the device's own figure, what the estimate predicts; the log's
  // figures are what the tool accounts for (PyTorch's reserved pool, vLLM's budget) and say so.
  // A start the engine refused never allocated its KV cache: no budget or weights + KV figure stands for a peak then.
  const refused = refusalOf(log.refusal);
  if (o.telemetry && o.telemetry.peakDeviceGiB > 0) out.peakGiB = side(o.telemetry.peakDeviceGiB, est.deviceGiBPerGpu, o.telemetry.source);
  else if (log.peakReservedGiB) out.peakGiB = side(log.peakReservedGiB.value, est.deviceGiBPerGpu, 'torchtitan max reserved', log.peakReservedGiB.line);
  else if (log.requestedGiB && !refused) out.peakGiB = side(log.requestedGiB.value, est.deviceGiBPerGpu, 'vLLM memory budget', log.requestedGiB.line);
  else if (log.weightsGiB && log.kvCacheGiB && !refused) out.peakGiB = side(round1(log.weightsGiB.value + log.kvCacheGiB.value), est.deviceGiBPerGpu, `${log.tool ?? 'engine'} weights + KV cache`, log.kvCacheGiB.line);

  if (log.tokensPerSecPerGpu) out.tokensPerSecPerGpu = side(log.tokensPerSecPerGpu.value, est.tokensPerSecPerGpu, `torchtitan tps, mean of ${log.tokensPerSecPerGpu.samples} steps`, log.tokensPerSecPerGpu.line);
  else if (log.trainTokensPerSec && o.gpus > 0) out.tokensPerSecPerGpu = side(log.trainTokensPerSec.value / o.gpus, est.tokensPerSecPerGpu, `HF Trainer train_tokens_per_second / ${o.gpus} GPUs`, log.trainTokensPerSec.line);

  if (log.kvCacheTokens) out.kvCacheTokens = side(log.kvCacheTokens.value, est.kvCacheTokens, `${log.tool ?? 'engine'} startup`, log.kvCacheTokens.line);
  const graphs = log.cudaGraphEstimateGiB ?? log.cudaGraphGiB;
  if (graphs) out.cudaGraphGiB = side(graphs.value, est.cudaGraphGiBPerGpu, log.cudaGraphEstimateGiB ? "vLLM's estimate (taken off the KV budget)" : 'vLLM graph capture', graphs.line);

  if (refused) {
    const r = refused;
    // The estimate said something of a refusal only where it was a serving estimate that kept its room for the KV cache
    // (a training job's log may hold a vLLM it starts; a plan from before this was kept says nothing either way).
    const estRefusal = est.refusal === 'no-kv-memory' || est.refusal === 'kv-below-one-sequence' ? est.refusal : undefined;
    const estAvailable = finite(est.availableKvGiBPerGpu, 1e6);
    const kept = o.kind !== 'TrainingJob' && (estAvailable !== undefined || estRefusal !== undefined);
    // The figure the engine printed: on the refusal's own line, else the tightest "Available KV cache memory" (another file's, a rank's).
    const available = r.availableGiB ?? finite(log.availableKvGiB?.value, 1e6);
    out.refusal = {
      kind: r.kind,
      line: r.line,
      ...(r.file !== undefined ? { file: r.file } : {}),
      ...(available !== undefined ? { availableGiB: available } : {}),
      ...(r.neededGiB !== undefined ? { neededGiB: r.neededGiB } : {}),
      ...(r.kvTokens !== undefined ? { kvTokens: r.kvTokens } : {}),
      ...(kept ? { predicted: estRefusal ?? 'start' } : {}),
      ...(kept && estAvailable !== undefined ? { estimatedAvailableGiB: estAvailable } : {}),
    };
  }

  if (log.oom) {
    const e = errorPct(est.deviceGiBPerGpu, log.oom.neededGiB);
    out.oom = { neededGiB: log.oom.neededGiB, ...(est.deviceGiBPerGpu !== undefined ? { estimatedGiB: est.deviceGiBPerGpu } : {}), ...(e !== undefined ? { errorPct: e } : {}), ...(log.oom.gpu !== undefined ? { gpu: log.oom.gpu } : {}), line: log.oom.line, ...(log.oom.file !== undefined ? { file: log.oom.file } : {}) };
  }
  return out;
}

/** `−6 %`, `+19 %` (a real minus sign; rounded to whole percent). */
export function formatPct(p: number): string {
  const r = Math.round(p);
  return r === 0 ? '±0 %' : `${r < 0 ? '\u2212' : '+'}${Math.abs(r)} %`;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const gib = (x: number) => x.toFixed(1);
const rate = (x: number) => Math.round(x).toLocaleString('en-US');

const REFUSED = { 'no-kv-memory': 'no memory left for the KV cache', 'kv-below-one-sequence': 'a KV cache below one request of max_model_len' } as const;
/** A signed GiB figure with a real minus sign. */
const signedGib = (x: number) => `${x < 0 ? '\u2212' : ''}${Math.abs(x).toFixed(2)}`;

/** What the estimate said of a start vLLM refused: the same refusal, the other one, or a start with so much room. */
function refusalVerdict(r: NonNullable<Comparison['refusal']>): string {
  if (!r.predicted) return '';
  const diff = r.estimatedAvailableGiB !== undefined && r.availableGiB !== undefined ? r.estimatedAvailableGiB - r.availableGiB : undefined;
  const room = r.estimatedAvailableGiB !== undefined ? ` (est. ${signedGib(r.estimatedAvailableGiB)} GiB available${diff !== undefined ? `, ${Math.abs(diff).toFixed(2)} GiB ${diff >= 0 ? 'more' : 'less'} than printed` : ''})` : '';
  if (r.predicted === r.kind) return `; the estimate at submission predicted this refusal${r.estimatedAvailableGiB !== undefined ? ` (est. ${signedGib(r.estimatedAvailableGiB)} GiB available)` : ''}`;
  if (r.predicted === 'start') return `; the estimate at submission expected it to start${room}`;
  return `; the estimate at submission predicted a refusal, for ${REFUSED[r.predicted]}${room}`;
}

/** `last run: 61.2 GiB peak (est. 57.7, −6 %) · 812 tok/s/GPU (est. 967, +19 %)`; undefined with nothing measured. */
export function lastRunTitle(c: Comparison): string | undefined {
  const parts: string[] = [];
  if (c.refusal) parts.push(`refused to start: ${REFUSED[c.refusal.kind]}${!c.refusal.predicted ? '' : c.refusal.predicted === c.refusal.kind ? ' (predicted)' : c.refusal.predicted === 'start' ? ' (not predicted)' : ' (another refusal predicted)'}`);
  if (c.oom) parts.push(`OOM: needed ≥ ${gib(c.oom.neededGiB)} GiB${c.oom.estimatedGiB !== undefined ? ` (est. ${gib(c.oom.estimatedGiB)}${c.oom.errorPct !== undefined ? `, ${formatPct(c.oom.errorPct)}` : ''})` : ''}`);
  if (c.peakGiB) parts.push(`${gib(c.peakGiB.measured)} GiB peak${c.peakGiB.estimated !== undefined ? ` (est. ${gib(c.peakGiB.estimated)}, ${formatPct(c.peakGiB.errorPct ?? 0)})` : ''}`);
  if (c.tokensPerSecPerGpu) parts.push(`${rate(c.tokensPerSecPerGpu.measured)} tok/s/GPU${c.tokensPerSecPerGpu.estimated !== undefined ? ` (est. ${rate(c.tokensPerSecPerGpu.estimated)}, ${formatPct(c.tokensPerSecPerGpu.errorPct ?? 0)})` : ''}`);
  if (c.kvCacheTokens && c.kvCacheTokens.estimated !== undefined) parts.push(`KV ${rate(c.kvCacheTokens.measured)} tokens (est. ${rate(c.kvCacheTokens.estimated)}, ${formatPct(c.kvCacheTokens.errorPct ?? 0)})`);
  return parts.length ? `last run: ${parts.join(' · ')}` : undefined;
}

/** `log line 12`, or `stderr.log line 12` where the run's figures name their file. */
const lineIn = (line: number, file: string | undefined) => `${file || 'log'} line ${line + 1}`;

/** The panel's run summary: one line per figure, each with where it comes from. */
export function summaryLines(o: RunOutcome): string[] {
  const c = compareRun(o);
  const lines: string[] = [];
  if (c.refusal) {
    const r = c.refusal;
    const printed = [r.availableGiB !== undefined ? `${signedGib(r.availableGiB)} GiB available` : '', r.neededGiB !== undefined ? `${r.neededGiB.toFixed(2)} GiB needed for one request` : '', r.kvTokens !== undefined ? `${rate(r.kvTokens)} tokens in the cache` : ''].filter(Boolean).join(', ');
    lines.push(`vLLM refused to start: ${REFUSED[r.kind]}${printed ? ` (${printed})` : ''}${refusalVerdict(r)} (${lineIn(r.line, r.file)})`);
  }
  if (c.oom) {
    lines.push(
      `Out of memory${c.oom.gpu !== undefined ? ` on GPU ${c.oom.gpu}` : ''}: needed at least ${gib(c.oom.neededGiB)} GiB` +
        (c.oom.estimatedGiB !== undefined ? `; the estimate was ${gib(c.oom.estimatedGiB)} GiB, ${formatPct(c.oom.errorPct ?? 0)} (short by ${gib(c.oom.neededGiB - c.oom.estimatedGiB)} GiB)` : '') +
        ` (${lineIn(c.oom.line, c.oom.file)})`,
    );
  }
  if (c.peakGiB) lines.push(`Peak memory ${gib(c.peakGiB.measured)} GiB per GPU${c.peakGiB.estimated !== undefined ? ` vs est. ${gib(c.peakGiB.estimated)} (${formatPct(c.peakGiB.errorPct ?? 0)})` : ''} · ${c.peakGiB.source}`);
  if (c.tokensPerSecPerGpu) lines.push(`${rate(c.tokensPerSecPerGpu.measured)} tok/s per GPU${c.tokensPerSecPerGpu.estimated !== undefined ? ` vs est. ${rate(c.tokensPerSecPerGpu.estimated)} (${formatPct(c.tokensPerSecPerGpu.errorPct ?? 0)})` : ''} · ${c.tokensPerSecPerGpu.source}`);
  if (c.kvCacheTokens && c.kvCacheTokens.estimated !== undefined) lines.push(`KV cache ${rate(c.kvCacheTokens.measured)} tokens vs est. ${rate(c.kvCacheTokens.estimated)} (${formatPct(c.kvCacheTokens.errorPct ?? 0)}) · ${c.kvCacheTokens.source}`);
  if (c.cudaGraphGiB) lines.push(`CUDA graphs ${c.cudaGraphGiB.measured.toFixed(2)} GiB per GPU${c.cudaGraphGiB.estimated !== undefined ? ` vs est. ${c.cudaGraphGiB.estimated.toFixed(2)}` : ''} · ${c.cudaGraphGiB.source}`);
  const l = o.log;
  if (l.mfuPct) lines.push(`MFU ${l.mfuPct.value.toFixed(1)} %${l.tflopsPerGpu ? ` · ${l.tflopsPerGpu.value.toFixed(0)} TFLOP/s per GPU` : ''} · torchtitan`);
  if (l.weightsGiB || l.kvCacheGiB || l.kvCacheTokens) {
    const bits = [
      l.weightsGiB ? `weights ${gib(l.weightsGiB.value)} GiB` : '',
      l.kvCacheGiB && !c.refusal ? `KV cache ${gib(l.kvCacheGiB.value)} GiB` : '',
      l.kvCacheTokens ? `${rate(l.kvCacheTokens.value)} tokens` : '',
      l.maxConcurrency ? `${l.maxConcurrency.value.toFixed(1)}× concurrency at ${rate(l.maxConcurrency.tokensPerRequest ?? 0)} tokens/request` : '',
      l.maxRunningRequests ? `max ${rate(l.maxRunningRequests.value)} running requests` : '',
    ].filter(Boolean);
    if (bits.length) lines.push(`${bits.join(' · ')} · ${l.tool ?? 'engine'} startup`);
  }
  const u = o.usage;
  if (u) lines.push(`KV cache usage peaked at ${u.peakKvUsagePct.value.toFixed(1)} %${u.peakRunning ? ` with ${rate(u.peakRunning.value)} requests running` : ''} over ${u.samples} stats lines (${lineIn(u.peakKvUsagePct.line, u.peakKvUsagePct.file)})`);
  if (l.trainRuntimeS) lines.push(`Trained in ${Math.round(l.trainRuntimeS.value)} s${l.trainLoss ? `, final loss ${l.trainLoss.value}` : ''} · HF Trainer`);
  if (o.telemetry?.meanSmActivePct !== undefined) lines.push(`Mean SM activity ${o.telemetry.meanSmActivePct.toFixed(0)} % over ${o.telemetry.gpus} GPUs · ${o.telemetry.source}`);
  else if (o.telemetry?.meanUtilPct !== undefined) lines.push(`Mean GPU utilization ${o.telemetry.meanUtilPct.toFixed(0)} % over ${o.telemetry.gpus} GPUs · ${o.telemetry.source}`);
  for (const e of l.nccl.slice(0, 3)) lines.push(`${e.summary} (${lineIn(e.line, e.file)})`);
  return lines;
}
