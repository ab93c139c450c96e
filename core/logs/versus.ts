// Measured against estimated: what a run's log and telemetry measured, set beside the estimate kept
// at submission, as the `last run` code lens and the panel's run summary show it.
//
// The percentage is the estimate's error relative to the measurement, (estimated − measured) /
// measured: "−6 %" means the estimate was 6 % below what the run used.
import type { RefusalKind } from '../estimate/types';
import type { Figure, MeasuredFigures, NcclEvent } from './measured';
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

/** A stored number read as one: finite and within ±max (figures.json is a workspace file). */
const finite = (x: unknown, max: number): number | undefined => (typeof x === 'number' && Number.isFinite(x) && Math.abs(x) <= max ? x : undefined);

const text = (x: unknown, max: number): string | undefined => (typeof x === 'string' ? x.slice(0, max) : undefined);
const obj = (x: unknown): Record<string, unknown> | undefined => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined);
/** The largest stored figure taken as one. */
const FIGURE_MAX = 1e15;
/** A stored file name or source is cut to this. */
const FILE_CHARS = 120;

/** A log's refusal as stored, its figures read only as finite numbers of a sane size. */
function refusalOf(r: unknown): NonNullable<MeasuredFigures['refusal']> | undefined {
  if (!r || typeof r !== 'object') return undefined;
  const x = r as Record<string, unknown>;
  if (x.kind !== 'no-kv-memory' && x.kind !== 'kv-below-one-sequence') return undefined;
  const line = finite(x.line, 1e9);
  const availableGiB = finite(x.availableGiB, 1e6);
  const neededGiB = finite(x.neededGiB, 1e6);
  const kvTokens = finite(x.kvTokens, 1e12);
  const file = text(x.file, FILE_CHARS);
  return {
    kind: x.kind,
    line: line !== undefined && line >= 0 ? Math.floor(line) : 0,
    ...(file !== undefined ? { file } : {}),
    ...(availableGiB !== undefined ? { availableGiB } : {}),
    ...(neededGiB !== undefined && neededGiB >= 0 ? { neededGiB } : {}),
    ...(kvTokens !== undefined && kvTokens >= 0 ? { kvTokens } : {}),
  };
}

/** A stored figure: a finite value and a line, the file it came from cut short, and the named extras of their types (all required). */
function figureOf(x: unknown, extras: Record<string, 'number' | 'string'> = {}, optional: readonly string[] = []): Figure | undefined {
  const f = obj(x);
  const value = finite(f?.value, FIGURE_MAX);
  const line = finite(f?.line, 1e9);
  if (!f || value === undefined || line === undefined || line < 0) return undefined;
  const out: Record<string, unknown> = { value, line: Math.floor(line) };
  const file = text(f.file, FILE_CHARS);
  if (file !== undefined) out.file = file;
  for (const [k, t] of Object.entries(extras)) {
    const v = t === 'number' ? finite(f[k], FIGURE_MAX) : text(f[k], FILE_CHARS);
    if (v !== undefined) out[k] = v;
    else if (!optional.includes(k)) return undefined;
  }
  return out as unknown as Figure;
}

/** The figures of MeasuredFigures, and the extras each carries. */
const FIGURES: Record<string, [Record<string, 'number' | 'string'>, string[]]> = {
  weightsGiB: [{}, []],
  requestedGiB: [{}, []],
  kvCacheGiB: [{}, []],
  availableKvGiB: [{}, []],
  kvCacheTokens: [{}, []],
  gpuBlocks: [{}, []],
  cudaGraphEstimateGiB: [{}, []],
  cudaGraphGiB: [{}, []],
  maxConcurrency: [{ tokensPerRequest: 'number' }, ['tokensPerRequest']],
  maxRunningRequests: [{}, []],
  contextLen: [{}, []],
  deviceTotalGiB: [{ source: 'string' }, []],
  peakReservedGiB: [{ pct: 'number' }, ['pct']],
  tokensPerSecPerGpu: [{ samples: 'number' }, []],
  tflopsPerGpu: [{ samples: 'number' }, []],
  mfuPct: [{ samples: 'number' }, []],
  lastStep: [{}, []],
  trainRuntimeS: [{}, []],
  trainSamplesPerSec: [{}, []],
  trainTokensPerSec: [{}, []],
  trainLoss: [{}, []],
};
const TOOLS: readonly string[] = ['vllm', 'sglang', 'torchtitan', 'hf-trainer'];

/**
 * A run's outcome as stored (`figures.json`, a file in the workspace anyone can edit) read back: only the fields
 * Gantry writes, each of its own type, numbers finite and of a sane size, strings cut short; a figure missing a part
 * is dropped. Undefined where it is not an outcome of run `runId`. Everything that reads an outcome reads this.
 */
export function storedOutcome(raw: unknown, runId: string): RunOutcome | undefined {
  const o = obj(raw);
  const log = obj(o?.log);
  if (!o || !log || o.version !== 1 || o.runId !== runId || !Array.isArray(log.nccl)) return undefined;
  const figures: Record<string, unknown> = { nccl: [] };
  if (typeof log.tool === 'string' && TOOLS.includes(log.tool)) figures.tool = log.tool;
  for (const [k, [extras, optional]] of Object.entries(FIGURES)) {
    const f = figureOf(log[k], extras, optional);
    if (f) figures[k] = f;
  }
  const oom = obj(log.oom);
  if (oom) {
    const need = ['line', 'triedGiB', 'neededGiB'].map((k) => finite(oom[k], 1e9));
    if (need.every((x) => x !== undefined && x >= 0)) {
      const out: Record<string, unknown> = { line: Math.floor(need[0]!), triedGiB: need[1], neededGiB: need[2] };
      for (const k of ['gpu', 'totalGiB', 'freeGiB', 'inUseGiB', 'allocatedByPytorchGiB', 'reservedUnallocatedGiB']) {
        const v = finite(oom[k], 1e9);
        if (v !== undefined) out[k] = v;
      }
      const file = text(oom.file, FILE_CHARS);
      if (file !== undefined) out.file = file;
      figures.oom = out;
    }
  }
  const refusal = refusalOf(log.refusal);
  if (refusal) figures.refusal = refusal;
  for (const e of log.nccl.slice(0, 8)) {
    const line = finite(obj(e)?.line, 1e9);
    const summary = text(obj(e)?.summary, 300);
    if (line !== undefined && line >= 0 && summary !== undefined) (figures.nccl as NcclEvent[]).push({ line: Math.floor(line), summary });
  }
  const est = obj(o.estimate) ?? {};
  const estimate: Record<string, unknown> = {};
  for (const k of ['deviceGiBPerGpu', 'tokensPerSecPerGpu', 'staticGiBPerGpu', 'kvCacheTokens', 'cudaGraphGiBPerGpu', 'availableKvGiBPerGpu']) {
    const v = finite(est[k], FIGURE_MAX);
    if (v !== undefined) estimate[k] = v;
  }
  if (est.refusal === 'no-kv-memory' || est.refusal === 'kv-below-one-sequence') estimate.refusal = est.refusal;
  const out: RunOutcome = { version: 1, runId, state: text(o.state, 40) ?? 'unknown', gpus: Math.max(0, Math.floor(finite(o.gpus, 1e7) ?? 0)), estimate: estimate as RunEstimate, log: figures as unknown as MeasuredFigures };
  if (o.kind === 'TrainingJob' || o.kind === 'InferenceService') out.kind = o.kind;
  const cluster = text(o.cluster, 253);
  if (cluster !== undefined) out.cluster = cluster;
  const u = obj(o.usage);
  const peak = figureOf(u?.peakKvUsagePct);
  const samples = finite(u?.samples, 1e12);
  if (u && peak && samples !== undefined && samples >= 0) {
    const running = figureOf(u.peakRunning);
    const tokens = figureOf(u.peakKvTokens);
    out.usage = { peakKvUsagePct: peak, samples, ...(running ? { peakRunning: running } : {}), ...(tokens ? { peakKvTokens: tokens } : {}) };
  }
  const t = obj(o.telemetry);
  const tPeak = finite(t?.peakDeviceGiB, 1e9);
  const tGpus = finite(t?.gpus, 1e7);
  const tSamples = finite(t?.samples, 1e12);
  const tSource = text(t?.source, 60);
  if (t && tPeak !== undefined && tGpus !== undefined && tSamples !== undefined && tSource !== undefined) {
    const tel: TelemetryPeak = { peakDeviceGiB: tPeak, gpus: tGpus, samples: tSamples, source: tSource };
    for (const k of ['deviceTotalMiB', 'meanUtilPct', 'meanSmActivePct'] as const) {
      const v = finite(t[k], 1e9);
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
const lineIn = (line: number, file: string | undefined) => `${file ?? 'log'} line ${line + 1}`;

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
  if (u) lines.push(`KV cache usage peaked at ${u.peakKvUsagePct.value.toFixed(1)} %${u.peakRunning ? ` with ${rate(u.peakRunning.value)} requests running` : ''} over ${u.samples} stats lines (log line ${u.peakKvUsagePct.line + 1})`);
  if (l.trainRuntimeS) lines.push(`Trained in ${Math.round(l.trainRuntimeS.value)} s${l.trainLoss ? `, final loss ${l.trainLoss.value}` : ''} · HF Trainer`);
  if (o.telemetry?.meanSmActivePct !== undefined) lines.push(`Mean SM activity ${o.telemetry.meanSmActivePct.toFixed(0)} % over ${o.telemetry.gpus} GPUs · ${o.telemetry.source}`);
  else if (o.telemetry?.meanUtilPct !== undefined) lines.push(`Mean GPU utilization ${o.telemetry.meanUtilPct.toFixed(0)} % over ${o.telemetry.gpus} GPUs · ${o.telemetry.source}`);
  for (const e of l.nccl.slice(0, 3)) lines.push(`${e.summary} (log line ${e.line + 1})`);
  return lines;
}
