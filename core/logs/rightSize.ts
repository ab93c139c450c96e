// Right-sizing: what the last run of a spec document measured, turned back into advice on the spec,
// each with the numbers behind it and, where there is a change to make, a quick fix whose title
// carries the new estimate (the estimator re-run on the spec with the edit: core/estimate/withEdits.ts).
//
// Rules (docs/right-sizing.md):
//   gpus-idle        telemetry's mean SM activity (DCGM) under 30 %, or nvidia-smi's utilization
//                    under 10 % where there is no SM activity: said, with the figure; no edit.
//   memory-headroom  a TrainingJob whose measured peak leaves room: the largest micro-batch (×2,
//                    ×4, … ×16) whose predicted peak stays within 90 % of the GPU. Predicted peak =
//                    measured peak + (the estimate with the edit − the estimate the run was submitted
//                    with), so the measurement anchors it and the estimate only says how much more.
// A run on a different number of GPUs than the spec now asks for gives no advice.
//   kv-cache-unused  an InferenceService whose KV cache peaked under 25 % (≥ 3 stats lines): the
//                    smallest tensorParallel that still serves (the estimate says it fits) with the
//                    last run's peak under half of the new cache; else, with tensorParallel 1, fewer
//                    replicas by the same rule.
//   gpu-memory-differs  the run's GPUs report a memory total (CUDA's, from the log; or nvidia-smi's/DCGM's
//                    framebuffer total) other than the capacity the estimate takes from the Cluster: by more
//                    than 2 % (CUDA's total), or in the other ECC mode of a card with switchable GDDR ECC
//                    (the framebuffer total nearer the other mode's). Says which Cluster field to set
//                    (nodes.gpu.ecc or nodes.gpu.memoryGiB); the Cluster is another document, so no edit.
// Offsets in the core: rightSizeInText gives problems with file offsets and text edits.
import { assumedEccMode, eccCostGiB, eccModeFromTotalMiB, findGpu, MEMORY_MATCH_TOLERANCE } from '../catalog/gpus';
import { estimateInferenceService, estimateTrainingJob, NEAR_CAPACITY } from '../estimate/index';
import type { EstimateOptions, ServingEstimate, TrainingEstimate } from '../estimate/types';
import { withEdits } from '../estimate/withEdits';
import { anchorOf, type ParsedDoc } from '../spec/parse';
import { setValueEdit } from '../spec/edit';
import type { ClusterDoc, InferenceServiceDoc, TrainingJobDoc } from '../spec/types';
import { quote, type Fix, type Problem } from '../validate/problem';
import { compareRun, type RunOutcome } from './versus';

export const IDLE_SM_ACTIVE_PCT = 30;
export const IDLE_UTIL_PCT = 10;
export const KV_UNUSED_PCT = 25;
/** After a change, the last run's peak should fill at most this share of the new KV cache. */
export const KV_TARGET_FILL = 0.5;
export const MIN_STATS_LINES = 3;
const MICRO_STEPS = [2, 4, 8, 16];
const GiB = 1024 ** 3;

export type AdviceCode = 'gpus-idle' | 'memory-headroom' | 'kv-cache-unused' | 'gpu-memory-differs';
/** A CUDA total further than this from the estimate's capacity (relative) is another card, ECC mode or MIG slice. */
export const DEVICE_TOTAL_TOLERANCE = MEMORY_MATCH_TOLERANCE;

export interface AdviceFix {
  title: string;
  edits: { path: string[]; value: unknown }[];
}

export interface Advice {
  code: AdviceCode;
  message: string;
  /** Where the hint goes, as a spec path. */
  path: string[];
  fixes: AdviceFix[];
}

export interface RightSizeInput {
  doc: TrainingJobDoc | InferenceServiceDoc;
  cluster: ClusterDoc | undefined;
  outcome: RunOutcome;
  opts?: EstimateOptions;
}

export function rightSize(input: RightSizeInput): Advice[] {
  const out: Advice[] = [];
  const idle = idleAdvice(input.outcome);
  if (idle) out.push(idle);
  const total = deviceTotalAdvice(input);
  if (total) out.push(total);
  const more = input.doc.kind === 'TrainingJob' ? headroomAdvice(input.doc, input) : kvAdvice(input.doc, input);
  if (more) out.push(more);
  return out;
}

/** The advice as problems in `text` (file offsets; edits as text edits), severity hint, for document `doc`. */
export function rightSizeInText(text: string, doc: ParsedDoc, input: RightSizeInput): Problem[] {
  return rightSize(input).map((a) => {
    const fixes: Fix[] = [];
    for (const f of a.fixes) {
      const edits = f.edits.map((e) => setValueEdit(text, doc, e.path, e.value));
      if (edits.every((e) => e)) fixes.push({ title: f.title, edits: edits as NonNullable<(typeof edits)[number]>[], sets: f.edits });
    }
    return { code: a.code, severity: 'hint', message: a.message, path: a.path, fixes, docIndex: doc.index, ...anchorOf(doc, a.path, 'key') };
  });
}

const gib1 = (x: number) => `${x.toFixed(1)} GiB`;
const grouped = (x: number) => Math.round(x).toLocaleString('en-US');

function idleAdvice(o: RunOutcome): Advice | undefined {
  const t = o.telemetry;
  if (!t || t.samples < 2) return undefined;
  const sm = t.meanSmActivePct;
  const figure = sm !== undefined ? (sm < IDLE_SM_ACTIVE_PCT ? `mean SM activity ${sm.toFixed(0)} %` : undefined) : t.meanUtilPct !== undefined && t.meanUtilPct < IDLE_UTIL_PCT ? `mean GPU utilization ${t.meanUtilPct.toFixed(0)} % (nvidia-smi: time a kernel ran, not how much of the GPU it used)` : undefined;
  if (!figure) return undefined;
  return {
    code: 'gpus-idle',
    path: ['kind'],
    message: `GPUs mostly idle in the last run (${o.runId}): ${figure} over ${t.gpus} GPU${t.gpus === 1 ? '' : 's'}, ${t.samples} samples from ${t.source}. The job may be bound by input, CPU or communication, or hold more GPUs than it uses.`,
    fixes: [],
  };
}

function headroomAdvice(doc: TrainingJobDoc, { cluster, outcome, opts }: RightSizeInput): Advice | undefined {
  const c = compareRun(outcome);
  if (c.oom || !c.peakGiB || outcome.log.oom) return undefined;
  const micro = doc.spec?.batch?.micro;
  if (typeof micro !== 'number' || micro < 1) return undefined;
  const o = { ...opts, noFixes: true };
  const cur = estimateTrainingJob(doc, cluster, o);
  if (!cur.memory || isBad(cur)) return undefined;
  // A run on another number of GPUs measured another per-GPU share: nothing to carry over.
  const gpus = (doc.spec.resources?.nodes ?? 1) * (doc.spec.resources?.gpusPerNode ?? 0);
  if (gpus > 0 && outcome.gpus !== gpus) return undefined;
  const capGiB = cur.memory.capacityBytes / GiB;
  const limitGiB = NEAR_CAPACITY * capGiB;
  const measured = c.peakGiB.measured;
  if (measured >= limitGiB) return undefined;
  // The estimate the run was submitted with is the baseline: the spec may have changed since (a
  // fix already applied), and the difference must be from what was measured.
  const baseGiB = outcome.estimate.deviceGiBPerGpu ?? cur.memory.perGpu.deviceBytes / GiB;
  const batch = doc.spec.batch;
  let best: { micro: number; edits: AdviceFix['edits']; predicted: number; est: TrainingEstimate; globalNote: string } | undefined;
  for (const k of MICRO_STEPS) {
    const edits: AdviceFix['edits'] = [{ path: ['spec', 'batch', 'micro'], value: micro * k }];
    let globalNote = '';
    if (batch.global === undefined) {
      const ga = batch.gradientAccumulation ?? 1;
      if (ga % k === 0) {
        if (batch.gradientAccumulation !== undefined) edits.push({ path: ['spec', 'batch', 'gradientAccumulation'], value: ga / k });
      } else globalNote = `, global batch ×${k}`;
    }
    const e = estimateTrainingJob(withEdits(doc, edits), cluster, o);
    if (!e.memory || isBad(e)) break;
    const predicted = measured + e.memory.perGpu.deviceBytes / GiB - baseGiB;
    if (predicted > limitGiB) break;
    best = { micro: micro * k, edits, predicted, est: e, globalNote };
  }
  if (!best) return undefined;
  const tps = best.est.time && cur.time ? `; est. ${grouped(best.est.time.tokensPerSecondPerGpu)} tok/s/GPU (now ${grouped(cur.time.tokensPerSecondPerGpu)})` : '';
  return {
    code: 'memory-headroom',
    path: ['spec', 'batch', 'micro'],
    message: `The last run (${outcome.runId}) peaked at ${gib1(measured)} of ${gib1(capGiB)} per GPU (${c.peakGiB.source}): room for a micro-batch of ${best.micro}, est. ${gib1(best.predicted)} (the measured peak plus the estimator's +${gib1(best.predicted - measured)}), within ${Math.round(NEAR_CAPACITY * 100)} % of the GPU${tps}.`,
    fixes: [{ title: `Set batch.micro to ${best.micro} (est. ${gib1(best.predicted)} of ${gib1(capGiB)}${best.globalNote})`, edits: best.edits }],
  };
}

function kvAdvice(doc: InferenceServiceDoc, { cluster, outcome, opts }: RightSizeInput): Advice | undefined {
  const u = outcome.usage;
  if (!u || u.samples < MIN_STATS_LINES || u.peakKvUsagePct.value >= KV_UNUSED_PCT) return undefined;
  const o = { ...opts, noFixes: true };
  const cur = estimateInferenceService(doc, cluster, o);
  if (!cur.serving || !cur.ok) return undefined;
  const measuredCap = outcome.log.kvCacheTokens?.value;
  const capTokens = measuredCap ?? cur.serving.kvCacheTokens;
  // The estimate's cache scaled to what the engine measured: the change is the estimator's, the level the run's.
  const scale = measuredCap && cur.serving.kvCacheTokens > 0 ? measuredCap / cur.serving.kvCacheTokens : 1;
  const used = u.peakKvTokens?.value ?? (u.peakKvUsagePct.value / 100) * capTokens;
  const running = u.peakRunning ? `, ${grouped(u.peakRunning.value)} requests running at most` : '';
  const message = `The KV cache never filled in the last run (${outcome.runId}): peak ${u.peakKvUsagePct.value.toFixed(1)} % of ${grouped(capTokens)} tokens${measuredCap ? '' : ' (estimated capacity)'} ≈ ${grouped(used)} tokens${running}, over ${u.samples} stats lines.`;
  const spec = doc.spec;
  const tp = spec.tensorParallel ?? 1;
  const replicas = spec.replicas ?? 1;
  // The run served one replica on TP × PP × DP GPUs; a spec laid out differently since says nothing about it.
  if (outcome.gpus !== tp * (spec.pipelineParallel ?? 1) * (spec.dataParallel ?? 1)) return undefined;
  let best: { tp: number; e: ServingEstimate; fill: number; cap: number } | undefined;
  for (let t = tp >> 1; t >= 1 && tp > 1; t >>= 1) {
    const e = estimateInferenceService(withEdits(doc, [{ path: ['spec', 'tensorParallel'], value: t }]), cluster, o);
    if (!e.ok || !e.serving || isBad(e)) break;
    const cap = e.serving.kvCacheTokens * scale;
    const fill = used / cap;
    if (fill > KV_TARGET_FILL) break;
    best = { tp: t, e, fill, cap };
  }
  if (best) {
    const gpus = best.e.gpusPerReplica ?? best.tp;
    return {
      code: 'kv-cache-unused',
      path: ['spec', 'tensorParallel'],
      message,
      fixes: [{ title: `Set tensorParallel to ${best.tp} (est. ${gpus} GPU${gpus === 1 ? '' : 's'}/replica, ≈ ${grouped(best.cap)} KV tokens: the last peak would fill ${Math.round(best.fill * 100)} %)`, edits: [{ path: ['spec', 'tensorParallel'], value: best.tp }] }],
    };
  }
  if (replicas > 1) {
    // Load spread evenly over replicas: the same traffic on r replicas fills each replicas/r times as much.
    const perReplicaFill = used / capTokens;
    const r = Math.max(1, Math.ceil((replicas * perReplicaFill) / KV_TARGET_FILL));
    if (r < replicas) {
      const gpus = (cur.gpusPerReplica ?? tp) * r;
      return {
        code: 'kv-cache-unused',
        path: ['spec', 'replicas'],
        message,
        fixes: [{ title: `Set replicas to ${r} (est. ${gpus} GPU${gpus === 1 ? '' : 's'} in all; the last peak would fill ${Math.round(((replicas * perReplicaFill) / r) * 100)} % of each cache)`, edits: [{ path: ['spec', 'replicas'], value: r }] }],
      };
    }
  }
  return { code: 'kv-cache-unused', path: tp > 1 ? ['spec', 'tensorParallel'] : ['kind'], message: `${message} No smaller layout is estimated to serve it.`, fixes: [] };
}

/**
 * The GPU memory the run's devices report against the capacity the estimate took. The CUDA total from the log
 * (what PyTorch and vLLM size against) is compared directly; the framebuffer total that nvidia-smi and DCGM
 * report is a few hundred MiB above it, so it is only read for the ECC mode of a card with switchable ECC
 * (a 48 GB card shows 46068 MiB with ECC on, 49140 with it off).
 */
function deviceTotalAdvice({ doc, cluster, outcome, opts }: RightSizeInput): Advice | undefined {
  const gpuSpec = cluster?.spec?.nodes?.gpu;
  if (!cluster || !gpuSpec || typeof gpuSpec !== 'object') return undefined;
  const name = cluster.metadata?.name ?? '';
  // A run on another Cluster measured other GPUs: nothing to say of this one (runs kept before the name was kept say nothing either way).
  if (outcome.cluster !== undefined && outcome.cluster !== name) return undefined;
  // figures.json is the workspace's file: its figures are read only as finite numbers.
  const total = outcome.log?.deviceTotalGiB;
  const cudaGiB = total && isPositive(total.value) ? total.value : undefined;
  const fbMiB = isPositive(outcome.telemetry?.deviceTotalMiB) ? outcome.telemetry!.deviceTotalMiB! : undefined;
  if (cudaGiB === undefined && fbMiB === undefined) return undefined;
  const o = { ...opts, noFixes: true };
  const est = doc.kind === 'TrainingJob' ? estimateTrainingJob(doc, cluster, o) : estimateInferenceService(doc, cluster, o);
  if (!est.memory || isBad(est)) return undefined;
  const capGiB = est.memory.capacityBytes / GiB;
  const path = doc.spec && typeof (doc.spec as { cluster?: unknown }).cluster === 'string' ? ['spec', 'cluster'] : ['kind'];
  const card = typeof gpuSpec.model === 'string' ? findGpu(gpuSpec.model) : undefined;
  const assumedEcc = assumedEccMode(card, gpuSpec);
  const advise = (seen: string, what: string): Advice => ({
    code: 'gpu-memory-differs',
    path,
    message: `The GPUs of the last run (${outcome.runId}) ${seen}; the estimate took ${capGiB.toFixed(2)} GiB per GPU from Cluster ${quote(name, 40)}${assumedEcc ? ` (${card!.name}, ECC ${assumedEcc})` : ''}. ${what}`,
    fixes: [],
  });
  if (cudaGiB !== undefined) {
    if (Math.abs(cudaGiB / capGiB - 1) <= DEVICE_TOTAL_TOLERANCE) return undefined;
    const seen = `report ${cudaGiB.toFixed(2)} GiB (${TOTAL_SOURCES.has(total!.source) ? total!.source : 'the run log'}${Number.isInteger(total!.line) ? `, log line ${total!.line + 1}` : ''})`;
    if (assumedEcc) {
      const flipped = capGiB + (assumedEcc === 'on' ? 1 : -1) * eccCostGiB(card!);
      if (Math.abs(cudaGiB / flipped - 1) <= DEVICE_TOTAL_TOLERANCE) return advise(seen, `That is the card with ECC ${assumedEcc === 'on' ? 'off' : 'on'}: set nodes.gpu.ecc: ${assumedEcc === 'on' ? 'false' : 'true'} in the Cluster.`);
    }
    return advise(seen, `Set nodes.gpu.memoryGiB: ${cudaGiB.toFixed(2)} in the Cluster (or name the GPU the run had).`);
  }
  const seenEcc = assumedEcc && fbMiB !== undefined ? eccModeFromTotalMiB(card!, fbMiB) : undefined;
  if (seenEcc && seenEcc !== assumedEcc) {
    return advise(`show ${grouped(fbMiB!)} MiB in total (${String(outcome.telemetry!.source).slice(0, 40)}): ECC ${seenEcc}`, `Set nodes.gpu.ecc: ${seenEcc === 'on'} in the Cluster (${eccCostGiB(card!)} GiB ${seenEcc === 'off' ? 'more' : 'less'} per GPU).`);
  }
  return undefined;
}

/** The sources core/logs/measured.ts names a device total by. */
const TOTAL_SOURCES = new Set(['vLLM total_gpu_memory', 'CUDA out-of-memory message', 'torchtitan memory share']);
const isPositive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

const isBad = (e: TrainingEstimate | ServingEstimate) => e.findings.some((f) => f.code === 'bad-estimate-input');
