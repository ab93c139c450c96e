// estimateTrainingJob: memory, interconnect and time of a TrainingJob, with findings anchored at
// spec paths and quick fixes that are themselves re-estimated.

import { withEdits } from './withEdits';
import type { Checkpointing, ClusterDoc, TrainingJobDoc } from '../spec/types';
import { summarizeTraining, gib, formatSeconds } from './format';
import { guarded } from './guard';
import { resolveLayout } from './layout';
import { badInput, resolveCluster, resolveModel, GIB } from './resolve';
import { estimateTrainingMemory } from './trainingMemory';
import { estimateTrainingTime } from './trainingTime';
import type { EstimateOptions, Finding, Fix, TrainingEstimate } from './types';
import { quote } from '../validate/problem';

/** Warn above this share of capacity (issue: "a warning above 90 % of capacity"). */
export const NEAR_CAPACITY = 0.9;

function fail(findings: Finding[], assumptions: string[]): TrainingEstimate {
  const e: TrainingEstimate = { kind: 'TrainingJob', ok: false, assumptions, findings, summary: '' };
  e.summary = summarizeTraining(e);
  return e;
}

export function estimateTrainingJob(doc: TrainingJobDoc, cluster: ClusterDoc | undefined, opts: EstimateOptions = {}): TrainingEstimate {
  return guarded(
    () => estimateUnsafe(doc, cluster, opts),
    (message) => fail([badInput(message, ['spec'])], []),
  );
}

function estimateUnsafe(doc: TrainingJobDoc, cluster: ClusterDoc | undefined, opts: EstimateOptions): TrainingEstimate {
  const assumptions: string[] = [];
  const spec = doc?.spec;
  if (!spec || typeof spec !== 'object') return fail([badInput('the document has no spec', [])], assumptions);
  if (!spec.batch || typeof spec.batch !== 'object') return fail([badInput('spec.batch is missing (micro and sequenceLength are needed)', ['spec'])], assumptions);
  if (!spec.resources || typeof spec.resources !== 'object') return fail([badInput('spec.resources is missing (nodes and gpusPerNode are needed)', ['spec'])], assumptions);
  const lay = resolveLayout(spec);
  const mod = resolveModel(spec.model, opts, ['spec', 'model']);
  const findings = [...lay.findings, ...mod.findings];
  if (!lay.layout || !mod.model || findings.some((f) => f.severity === 'error')) return fail(findings, assumptions);
  const layout = lay.layout;
  const model = mod.model;
  // Training loads the model in the training dtype: a quantized checkpoint's format matters to serving (and to QLoRA's base bits), not here.
  assumptions.push(...model.notes.filter((n) => !n.startsWith('Weights:')));
  if (model.weightFormat) assumptions.push(`The checkpoint's weights are ${model.weightFormat.label.split(':')[0]}; training assumes they are loaded in the training precision.`);
  const cl = resolveCluster(cluster, layout.gpusPerNode, layout.nodes, assumptions);
  if (!cl.cluster) return fail([...findings, ...cl.findings], assumptions);
  const c = cl.cluster;
  if (cluster && layout.gpusPerNode > c.gpusPerNode) {
    return fail([...findings, badInput(`resources.gpusPerNode (${layout.gpusPerNode}) exceeds the ${c.gpusPerNode} GPUs per node of cluster ${quote(cluster.metadata?.name ?? '')}`, ['spec', 'resources', 'gpusPerNode'])], assumptions);
  }
  const a = model.arch;
  if (layout.tensor > 1 && a.heads % layout.tensor !== 0) {
    findings.push(badInput(`tensor parallel ${layout.tensor} does not divide the ${a.heads} attention heads`, ['spec', 'parallelism', 'tensor']));
    return fail(findings, assumptions);
  }
  if (layout.pipeline > a.layers) {
    findings.push(badInput(`pipeline parallel ${layout.pipeline} exceeds the model's ${a.layers} layers`, ['spec', 'parallelism', 'pipeline']));
    return fail(findings, assumptions);
  }

  const precision = spec.precision ?? 'bf16-mixed';
  const optimizer = spec.optimizer?.type ?? 'adamw';
  const checkpointing: Checkpointing = spec.activationCheckpointing ?? 'none';
  const attention = spec.attention ?? 'flash';
  if (!spec.precision) assumptions.push('precision: bf16-mixed (default).');
  if (!spec.optimizer) assumptions.push('optimizer: AdamW (default).');
  const par = spec.parallelism ?? {};
  const oneOf = <T extends string>(v: unknown, allowed: readonly T[]): T | undefined => (typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : undefined);
  const regimes = {
    optimizerImpl: oneOf(spec.optimizer?.implementation, ['foreach', 'fused', 'for-loop'] as const),
    pagedOptimizer: spec.optimizer?.paged === true,
    lossParallel: par.lossParallel !== false,
    pipelineSchedule: oneOf(par.pipelineSchedule, ['gpipe', '1f1b', 'interleaved-1f1b'] as const),
    compile: spec.compile === true,
    compileLoss: typeof spec.compileLoss === 'boolean' ? spec.compileLoss : spec.compile === true,
    float8: precision === 'fp8-mixed' && spec.float8 && typeof spec.float8 === 'object' ? { allGather: spec.float8.allGather === true, saveActivations: oneOf(spec.float8.saveActivations, ['bf16', 'fp8'] as const) } : undefined,
  };
  if (spec.float8 && precision !== 'fp8-mixed') assumptions.push('float8 settings are ignored: precision is not fp8-mixed.');
  if (layout.tensor > 1 && !regimes.lossParallel) assumptions.push('Loss parallel off: every tensor-parallel rank holds the full-vocabulary logits.');
  if (regimes.compile) assumptions.push('torch.compile: fused pointwise ops (norm outputs, activations, products, dropout masks) are recomputed in backward instead of saved.');
  if (regimes.compileLoss) assumptions.push(`torch.compile${spec.compileLoss === undefined ? ' (assumed: the loss is in the compiled forward; set compileLoss: false when only the blocks are compiled)' : ''}: the loss's fp32 upcast and log-softmax are fused, not kept.`);
  // Partial recomputation: a whole number of layers, at most the model's; ignored (and said) otherwise.
  let checkpointedLayers: number | undefined;
  if (spec.checkpointedLayers !== undefined) {
    const n = spec.checkpointedLayers;
    if (checkpointing === 'none') assumptions.push('checkpointedLayers is ignored: activationCheckpointing is none.');
    else if (typeof n === 'number' && Number.isInteger(n) && n >= 1) checkpointedLayers = Math.min(n, model.arch.layers);
    else findings.push({ code: 'bad-estimate-input', severity: 'warning', path: ['spec', 'checkpointedLayers'], message: `checkpointedLayers = ${quote(String(n))} is ignored: expected a whole number of layers ≥ 1` });
    if (checkpointedLayers !== undefined && checkpointedLayers < model.arch.layers) assumptions.push(`Checkpointing ${checkpointedLayers} of ${model.arch.layers} layers; the others keep all their activations.`);
  }
  const mem = estimateTrainingMemory({ model, cluster: c, layout, precision, optimizer, checkpointing, checkpointedLayers, attention, finetune: spec.finetune, ...regimes });
  assumptions.push(...mem.notes);
  assumptions.push(
    checkpointing === 'selective'
      ? 'Selective checkpointing as PyTorch op-level SAC (torchtitan): layer input, every other matmul output and attention output kept.'
      : checkpointing === 'full'
        ? 'Full checkpointing: only each layer input is kept; one layer is recomputed at a time.'
        : 'No activation checkpointing: activations per Korthikanti et al. (2022), tensor by tensor.',
  );
  if (attention !== 'eager') assumptions.push(`${attention === 'cudnn' ? "cuDNN fused attention (Transformer Engine's choice on Hopper and newer)" : 'Flash/SDPA attention'}: no s×s score matrix is stored.`);
  const frozenBase = !!spec.finetune && spec.finetune.method !== 'full';
  // Time inputs that make no sense are ignored with a warning; memory does not depend on them.
  const tr = spec.training ?? {};
  const plausible = (v: unknown, max: number) => typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= max;
  for (const [k, max] of [
    ['tokens', 1e16],
    ['steps', 1e12],
    ['mfu', 1],
  ] as const) {
    if (tr[k] !== undefined && !plausible(tr[k], max)) {
      findings.push({ code: 'bad-estimate-input', severity: 'warning', path: ['spec', 'training', k], message: `training.${k} = ${tr[k]} is ignored: expected a number in (0, ${max}]` });
    }
  }
  const t = estimateTrainingTime({
    model,
    cluster: c,
    layout,
    precision,
    checkpointing,
    checkpointLayers: checkpointedLayers,
    attention,
    float8AllGather: regimes.float8?.allGather === true,
    localParams: mem.localParams,
    trainableParams: mem.trainableParams,
    frozenBase,
    mfu: plausible(tr.mfu, 1) ? tr.mfu : undefined,
    totalTokens: plausible(tr.tokens, 1e16) ? tr.tokens : undefined,
    steps: plausible(tr.steps, 1e12) ? tr.steps : undefined,
  });
  assumptions.push(...t.notes);

  const est: TrainingEstimate = {
    kind: 'TrainingJob',
    ok: true,
    gpu: { id: c.gpu.id, name: c.gpu.name },
    model: { id: model.id, params: model.params.total, activeParams: model.params.active },
    memory: mem.memory,
    interconnect: t.interconnect,
    time: t.time,
    layout: {
      gpus: layout.gpus,
      nodes: layout.nodes,
      gpusPerNode: layout.gpusPerNode,
      tensor: layout.tensor,
      pipeline: layout.pipeline,
      context: layout.context,
      data: layout.data,
      expert: layout.expert,
      microBatches: layout.microBatches,
    },
    assumptions,
    findings,
    summary: '',
  };

  // ---- findings
  const device = mem.memory.perGpu.deviceBytes;
  const cap = mem.memory.capacityBytes;
  const memPath = spec.parallelism ? ['spec', 'parallelism'] : ['spec', 'batch', 'micro'];
  if (device > cap) {
    findings.push({
      code: 'memory-exceeds-capacity',
      severity: 'error',
      path: memPath,
      message: `Needs ≈ ${gib(device)} per GPU but the ${c.gpu.name} has ${gib(cap)} (${Math.round((device / cap) * 100)} %): it will run out of memory.`,
    });
  } else if (device > NEAR_CAPACITY * cap) {
    findings.push({
      code: 'memory-near-capacity',
      severity: 'warning',
      path: memPath,
      message: `Needs ≈ ${gib(device)} of ${gib(cap)} per GPU (${Math.round((device / cap) * 100)} %): little headroom for fragmentation and spikes.`,
    });
  }
  if (layout.tensor > layout.gpusPerNode) {
    findings.push({
      code: 'tp-spans-nodes',
      severity: 'warning',
      path: ['spec', 'parallelism', 'tensor'],
      message: `Tensor parallel ${layout.tensor} spans nodes (${layout.gpusPerNode} GPUs per node): its per-layer all-reduces would cross ${c.inter?.name ?? 'the network'} at ${c.interBusGBps.toFixed(0)} GB/s instead of ${c.intraBusGBps.toFixed(0)} GB/s.`,
    });
  }
  if (layout.nodes > 1 && (!c.inter || !c.inter.fastFabric || c.interBusGBps < 10)) {
    findings.push({
      code: 'slow-inter-node',
      severity: 'warning',
      path: ['spec', 'resources', 'nodes'],
      message: c.inter
        ? `${layout.nodes} nodes over ${c.inter.name} (≈ ${c.interBusGBps.toFixed(1)} GB/s per GPU): not a fast fabric for multi-node training; expect communication to dominate.`
        : `${layout.nodes} nodes but the cluster has no inter-node interconnect: multi-node training needs a fast fabric (InfiniBand, RoCE, EFA).`,
    });
  }
  const tm = t.time;
  const exposed = t.interconnect.exposedCommSeconds;
  if (exposed > tm.computeSeconds && exposed > 0) {
    findings.push({
      code: 'comm-bound',
      severity: 'warning',
      path: ['spec', 'parallelism'],
      message: `Communication dominates: ≈ ${formatSeconds(exposed)} exposed vs ${formatSeconds(tm.computeSeconds)} compute per step (${Math.round(tm.commFraction * 100)} % of the step).`,
    });
  }
  if (tm.pipelineBubbleFraction > 0.2) {
    findings.push({
      code: 'pipeline-bubble',
      severity: 'warning',
      path: ['spec', 'parallelism', 'pipeline'],
      message: `Pipeline bubble ≈ ${Math.round(tm.pipelineBubbleFraction * 100)} % of the step: ${layout.pipeline} stages with ${layout.microBatches} micro-batches per step (bubble = (p−1)/(m·v)); use more micro-batches or interleaving.`,
    });
  }

  // MoE host time (trainingTime.ts moeHostSeconds): a hint, not a warning; its constants are fitted (docs/estimator.md).
  const host = tm.moeHostSeconds ?? 0;
  if (host > 0 && tm.stepSeconds > 0 && host / tm.stepSeconds > MOE_HOST_HINT) {
    findings.push({
      code: 'moe-host-bound',
      severity: 'info',
      path: ['spec', 'batch', 'micro'],
      message: `MoE host time ≈ ${Math.round((host / tm.stepSeconds) * 100)} % of the step (${formatSeconds(host)}): every MoE layer waits on the host once per micro-batch (routing, the dropless sync, per-expert launches). A larger micro-batch spreads it over more tokens, more expert parallelism leaves fewer experts per GPU, and CUDA graphs of the router and token preprocessing (Megatron --cuda-graph-impl) remove much of it.`,
    });
  }

  if (!opts.noFixes) {
    const memFinding = findings.find((f) => f.code === 'memory-exceeds-capacity' || f.code === 'memory-near-capacity');
    if (memFinding) memFinding.fixes = memoryFixes(doc, cluster, opts, est);
  }
  est.ok = !findings.some((f) => f.severity === 'error');
  est.summary = summarizeTraining(est);
  return est;
}

/** Share of the step above which the MoE host time gets an info finding. */
const MOE_HOST_HINT = 0.25;

/** A memory fix that helps but does not make the job fit says so, as the serving fixes do ("still too small"). */
const over = (device: number, cap: number): string => (device > cap ? ', still too large' : device > NEAR_CAPACITY * cap ? ', near capacity' : '');

function memoryFixes(doc: TrainingJobDoc, cluster: ClusterDoc | undefined, opts: EstimateOptions, cur: TrainingEstimate): Fix[] {
  const spec = doc.spec;
  const lay = cur.layout!;
  const cap = cur.memory!.capacityBytes;
  const now = cur.memory!.perGpu.deviceBytes;
  const candidates: { title: string; edits: { path: string[]; value: unknown }[]; group?: string }[] = [];
  const p = spec.parallelism ?? {};
  // Raise tensor parallel within a node.
  for (let tp = lay.tensor * 2; tp <= lay.gpusPerNode; tp *= 2) {
    if (lay.gpus % (tp * lay.pipeline * lay.context) !== 0) break;
    const edits: { path: string[]; value: unknown }[] = [{ path: ['spec', 'parallelism', 'tensor'], value: tp }];
    if (p.data !== undefined) edits.push({ path: ['spec', 'parallelism', 'data'], value: lay.gpus / (tp * lay.pipeline * lay.context) });
    candidates.push({ title: `Set tensor parallel to ${tp}`, edits, group: 'tp' });
  }
  if ((p.fsdp ?? 'none') === 'none' && (p.zero ?? 0) === 0 && lay.data * lay.context > 1) {
    candidates.push({ title: 'Enable FSDP full sharding', edits: [{ path: ['spec', 'parallelism', 'fsdp'], value: 'full' }] });
  } else if ((p.zero ?? 0) > 0 && (p.zero ?? 0) < 3) {
    candidates.push({ title: 'Use ZeRO stage 3', edits: [{ path: ['spec', 'parallelism', 'zero'], value: 3 }] });
  }
  const opt = spec.optimizer?.type ?? 'adamw';
  if (opt === 'adamw' || opt === 'adam') {
    candidates.push({ title: 'Use 8-bit AdamW', edits: [{ path: ['spec', 'optimizer', 'type'], value: 'adamw-8bit' }] });
  }
  if (!spec.finetune || spec.finetune.method === 'full') {
    candidates.push({ title: 'Fine-tune with LoRA instead of all weights', edits: [{ path: ['spec', 'finetune'], value: { method: 'lora', rank: 16 } }] });
  }
  const ck = spec.activationCheckpointing ?? 'none';
  if (ck === 'none') candidates.push({ title: 'Enable selective activation checkpointing', edits: [{ path: ['spec', 'activationCheckpointing'], value: 'selective' }] });
  if (ck !== 'full') candidates.push({ title: 'Enable full activation checkpointing', edits: [{ path: ['spec', 'activationCheckpointing'], value: 'full' }] });
  for (let micro = Math.floor(spec.batch.micro / 2); micro >= 1; micro = Math.floor(micro / 2)) {
    const edits: { path: string[]; value: unknown }[] = [{ path: ['spec', 'batch', 'micro'], value: micro }];
    if (spec.batch.gradientAccumulation !== undefined && spec.batch.global === undefined) {
      edits.push({ path: ['spec', 'batch', 'gradientAccumulation'], value: Math.round((spec.batch.gradientAccumulation * spec.batch.micro) / micro) });
    } else if (spec.batch.global === undefined && spec.batch.gradientAccumulation === undefined) {
      edits.push({ path: ['spec', 'batch', 'gradientAccumulation'], value: Math.round(spec.batch.micro / micro) });
    }
    candidates.push({ title: `Lower the micro-batch to ${micro} (same global batch)`, edits, group: 'micro' });
    if (candidates.length > 12) break;
  }
  const scored: { fix: Fix; device: number; fits: boolean }[] = [];
  const settled = new Set<string>(); // ordered groups stop at the first setting that fits
  for (const cand of candidates) {
    if (cand.group && settled.has(cand.group)) continue;
    const e = estimateTrainingJob(withEdits(doc, cand.edits), cluster, { ...opts, noFixes: true });
    if (!e.memory || (!e.ok && e.findings.some((f) => f.code === 'bad-estimate-input'))) continue;
    const d = e.memory.perGpu.deviceBytes;
    // A change that saves under 1 % and does not make the job fit is noise (8-bit AdamW on a LoRA job's few states).
    if (d >= now || (d > now * 0.99 && d > NEAR_CAPACITY * cap)) continue;
    const step = e.time ? `, ${formatSeconds(e.time.stepSeconds)}/step` : '';
    const fits = d <= NEAR_CAPACITY * cap;
    scored.push({ fix: { title: `${cand.title} (≈ ${gib(d)} / ${gib(cap)}${step}${over(d, cap)})`, edits: cand.edits }, device: d, fits });
    if (cand.group && d <= NEAR_CAPACITY * cap) settled.add(cand.group);
  }
  // Micro-batch fixes: keep only the largest micro-batch that fits (or the smallest if none does).
  const micro = scored.filter((s) => s.fix.title.startsWith('Lower the micro-batch'));
  const keepMicro = micro.find((s) => s.fits) ?? micro[micro.length - 1];
  const rest = scored.filter((s) => !s.fix.title.startsWith('Lower the micro-batch') || s === keepMicro);
  // Tensor-parallel fixes: keep the smallest TP that fits.
  const tps = rest.filter((s) => s.fix.title.startsWith('Set tensor parallel'));
  const keepTp = tps.find((s) => s.fits) ?? tps[tps.length - 1];
  const final = rest.filter((s) => !s.fix.title.startsWith('Set tensor parallel') || s === keepTp);
  // When no single change fits, offer the two strongest together (e.g. FSDP + full checkpointing).
  if (!final.some((s) => s.fits)) {
    const byDevice = [...final].sort((x, y) => x.device - y.device);
    let budget = 6; // pairs to try: keeps a keystroke's estimate near a millisecond
    for (let i = 0; i < byDevice.length && budget > 0; i++) {
      for (let j = i + 1; j < byDevice.length && budget-- > 0; j++) {
        const paths = new Set(byDevice[i].fix.edits.map((e) => e.path.join('.')));
        if (byDevice[j].fix.edits.some((e) => paths.has(e.path.join('.')))) continue;
        const edits = [...byDevice[i].fix.edits, ...byDevice[j].fix.edits];
        const e = estimateTrainingJob(withEdits(doc, edits), cluster, { ...opts, noFixes: true });
        if (!e.memory || e.findings.some((f) => f.code === 'bad-estimate-input')) continue;
        const d = e.memory.perGpu.deviceBytes;
        if (d >= byDevice[0].device * 0.99) continue; // the second change adds nothing
        const t = (x: string) => x.replace(/ \(\u2248.*$/, ''); // \u2248 (≈): see the ASCII check in scripts/build.mjs
        const step = e.time ? `, ${formatSeconds(e.time.stepSeconds)}/step` : '';
        const fits = d <= NEAR_CAPACITY * cap;
        final.push({ fix: { title: `${t(byDevice[i].fix.title)} and ${t(byDevice[j].fix.title).replace(/^\w/, (c) => c.toLowerCase())} (≈ ${gib(d)} / ${gib(cap)}${step}${over(d, cap)})`, edits }, device: d, fits });
        if (d <= NEAR_CAPACITY * cap) {
          i = byDevice.length;
          break;
        }
      }
    }
  }
  final.sort((x, y) => Number(y.fits) - Number(x.fits) || x.device - y.device);
  return final.slice(0, 5).map((s) => s.fix);
}

export { GIB };
