// Training regimes added for issue 12: each test names the published definition it checks.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { estimateTrainingJob } from '../../../core/estimate/index';
import { ATTENTION_EFFICIENCY_RATIO, attentionEfficiencyRatio, computeEfficiency, fp8StepFactor, GEMM_EFFICIENCY } from '../../../core/estimate/efficiency';
import { findModel } from '../../../core/catalog/models';
import { findGpu as gpuById } from '../../../core/catalog/gpus';
import { countParams } from '../../../core/estimate/params';
import { cluster, job, near } from './helpers';

const paramsOf = (id: string) => {
  const m = findModel(id)!;
  return countParams(m.architecture, { learnedPositions: m.learnedPositions, extraParams: m.extraParams }).total;
};
const P1B = paramsOf('llama-3.2-1b');

// ---- optimizers

test('bitsandbytes 8-bit AdamW: two 1-byte moments + an fp32 absmax per 256-value block = 2.03125 B/param (±0.1 %)', () => {
  const e = estimateTrainingJob(job({ model: { preset: 'llama-3.2-1b' }, optimizer: { type: 'adamw-8bit' }, batch: { micro: 1, sequenceLength: 16 } }), undefined);
  assert.ok(near(e.memory!.breakdown.optimizerStates, P1B * 2.03125, 0.001), `${e.memory!.breakdown.optimizerStates / P1B}`);
});

test('paged optimizer: states leave PyTorch allocated/reserved but stay in device bytes (CUDA unified memory)', () => {
  const base = { model: { preset: 'llama-3.2-1b' }, batch: { micro: 1, sequenceLength: 512 } } as const;
  const plain = estimateTrainingJob(job({ ...base, optimizer: { type: 'adamw-8bit', implementation: 'fused' } }), undefined);
  const paged = estimateTrainingJob(job({ ...base, optimizer: { type: 'adamw-8bit', implementation: 'fused', paged: true } }), undefined);
  const states = plain.memory!.breakdown.optimizerStates;
  assert.equal(paged.memory!.breakdown.optimizerStates, 0);
  assert.ok(near(paged.memory!.breakdown.pagedOptimizerStates, states, 1e-9));
  assert.ok(paged.memory!.perGpu.allocatedBytes < plain.memory!.perGpu.allocatedBytes - states * 0.99);
  // Device level: the same states, less the 2 % allocator slack on them.
  assert.ok(near(paged.memory!.perGpu.deviceBytes, plain.memory!.perGpu.deviceBytes - 0.02 * states, 0.001));
});

test('foreach AdamW allocates one fp32 second-moment-sized list at the step (torch _multi_tensor_adam: _foreach_sqrt); fused none; for-loop the largest tensor', () => {
  // No activations to speak of (seq 16), gradients freed after the step: the peak is at the optimizer step.
  const base = { model: { preset: 'llama-3.2-1b' }, batch: { micro: 1, sequenceLength: 16 } } as const;
  const foreach = estimateTrainingJob(job({ ...base, optimizer: { type: 'adamw', implementation: 'foreach' } }), undefined);
  const fused = estimateTrainingJob(job({ ...base, optimizer: { type: 'adamw', implementation: 'fused' } }), undefined);
  const loop = estimateTrainingJob(job({ ...base, optimizer: { type: 'adamw', implementation: 'for-loop' } }), undefined);
  assert.ok(near(foreach.memory!.breakdown.optimizerStepTemporaries, P1B * 4, 0.001));
  assert.equal(fused.memory!.breakdown.optimizerStepTemporaries, 0);
  const a = findModel('llama-3.2-1b')!.architecture;
  assert.ok(near(loop.memory!.breakdown.optimizerStepTemporaries, a.vocab * a.hidden * 4, 0.001));
  assert.ok(foreach.memory!.perGpu.allocatedBytes > fused.memory!.perGpu.allocatedBytes);
  // The default on CUDA is foreach (torch.optim), and the estimate says it assumed it.
  const dflt = estimateTrainingJob(job({ ...base }), undefined);
  assert.equal(dflt.memory!.perGpu.allocatedBytes, foreach.memory!.perGpu.allocatedBytes);
  assert.ok(dflt.assumptions.some((s) => s.includes('foreach') && s.includes('assumed')));
  // DeepSpeed ZeRO defaults to its fused Adam.
  const ds = estimateTrainingJob(job({ ...base, resources: { nodes: 1, gpusPerNode: 8 }, parallelism: { zero: 2 } }), cluster('H100-SXM-80GB', 8));
  assert.equal(ds.memory!.breakdown.optimizerStepTemporaries, 0);
});

// ---- loss parallel

test('loss parallel off under TP 4: every rank holds the full-vocabulary logits (4× the sharded ones)', () => {
  const base = { resources: { nodes: 1, gpusPerNode: 4 }, model: { preset: 'llama-3.1-8b' }, optimizer: { type: 'adamw', implementation: 'fused' }, batch: { micro: 1, sequenceLength: 8192 } } as const;
  const on = estimateTrainingJob(job({ ...base, parallelism: { tensor: 4 } }), cluster('H100-SXM-80GB', 4));
  const off = estimateTrainingJob(job({ ...base, parallelism: { tensor: 4, lossParallel: false } }), cluster('H100-SXM-80GB', 4));
  const vocab = findModel('llama-3.1-8b')!.architecture.vocab;
  // logits (2) + fp32 upcast (4) + grads (4 + 4) per token per vocab entry.
  assert.ok(near(on.memory!.breakdown.logitsAndLoss, 8192 * (vocab / 4) * 14, 0.001), `${on.memory!.breakdown.logitsAndLoss}`);
  assert.ok(near(off.memory!.breakdown.logitsAndLoss, 8192 * vocab * 14, 0.001));
  assert.ok(off.assumptions.some((s) => s.includes('Loss parallel off')));
});

// ---- pipeline schedules

test('GPipe keeps all m micro-batches in flight on every stage; 1F1B at most p on the first (Huang et al. 2019; Narayanan et al. 2021)', () => {
  const base = {
    resources: { nodes: 1, gpusPerNode: 4 },
    model: { preset: 'llama-3.1-70b' },
    precision: 'bf16' as const,
    optimizer: { type: 'adamw' as const, implementation: 'fused' as const },
    batch: { micro: 1, sequenceLength: 4096, gradientAccumulation: 16 },
  };
  const f1b = estimateTrainingJob(job({ ...base, parallelism: { pipeline: 4 } }), cluster('H100-SXM-80GB', 4));
  const gpipe = estimateTrainingJob(job({ ...base, parallelism: { pipeline: 4, pipelineSchedule: 'gpipe' } }), cluster('H100-SXM-80GB', 4));
  // 16 micro-batches vs 4 in flight on the first stage.
  assert.ok(near(gpipe.memory!.breakdown.activations, f1b.memory!.breakdown.activations * 4, 0.01), `${gpipe.memory!.breakdown.activations / f1b.memory!.breakdown.activations}`);
});

// ---- eager attention in half precision

test("eager attention in pure bf16 keeps softmax's fp32 output and its bf16 copy (4 + 2 B per score element: eager_attention_forward runs softmax in fp32); GPT-2 keeps its softmax in the model's dtype with a dropout mask (2e + 1 = 5 B)", () => {
  const at = (preset: string, precision: 'bf16', attention: 'eager' | 'sdpa') => estimateTrainingJob(job({ model: { preset }, precision, attention, batch: { micro: 2, sequenceLength: 1024 } }), undefined).memory!.breakdown.activations;
  const scoreBytes = (preset: string, precision: 'bf16') => at(preset, precision, 'eager') - at(preset, precision, 'sdpa');
  // Per score element: eager's bytes less what SDPA keeps and eager does not (its [b, heads, s, d] output: 2·headDim B per head and token).
  const a = findModel('gpt2-medium')!.architecture;
  const scores = a.layers * a.heads * 1024 * 1024 * 2;
  assert.ok(near(scoreBytes('gpt2-medium', 'bf16') / scores, 5 - (2 * 64) / 1024, 1e-9), `${scoreBytes('gpt2-medium', 'bf16') / scores}`);
  assert.ok(near(scoreBytes('llama-3.2-1b', 'bf16') / (16 * 32 * 1024 * 1024 * 2), 6 - (2 * 64) / 1024, 1e-9));
});

// ---- torch.compile and float8

test('torch.compile, no checkpointing: norm outputs and the gated MLP activation/product are recomputed (AOTAutograd min-cut), saving 2h + 2f per token per layer (bf16, no TP)', () => {
  const base = { model: { preset: 'llama-3.2-1b' }, precision: 'bf16' as const, optimizer: { type: 'adamw' as const, implementation: 'fused' as const }, batch: { micro: 1, sequenceLength: 4096, gradientAccumulation: 2 } };
  const eager = estimateTrainingJob(job(base), undefined);
  const compiled = estimateTrainingJob(job({ ...base, compile: true }), undefined);
  const a = findModel('llama-3.2-1b')!.architecture;
  const saved = (2 * a.hidden + 2 * a.ffn) * 2 * 4096 * a.layers;
  assert.ok(near(eager.memory!.breakdown.activations - compiled.memory!.breakdown.activations, saved, 0.001));
});

test('a compiled loss keeps the logits and one fp32 gradient (e + 4 B per logit, measured 4.2 on an H200) instead of e + 12; compileLoss: false keeps the eager loss', () => {
  const base = { model: { preset: 'llama-3.2-1b' }, precision: 'bf16-mixed' as const, optimizer: { type: 'adamw' as const, implementation: 'fused' as const }, activationCheckpointing: 'full' as const, batch: { micro: 8, sequenceLength: 2048 } };
  const eager = estimateTrainingJob(job(base), undefined);
  const compiled = estimateTrainingJob(job({ ...base, compile: true }), undefined);
  const blocksOnly = estimateTrainingJob(job({ ...base, compile: true, compileLoss: false }), undefined);
  const a = findModel('llama-3.2-1b')!.architecture;
  const logits = 8 * 2048 * a.vocab;
  assert.ok(near(eager.memory!.breakdown.logitsAndLoss, logits * 14, 0.001), `${eager.memory!.breakdown.logitsAndLoss / logits} B per logit`);
  assert.ok(near(compiled.memory!.breakdown.logitsAndLoss, logits * 6, 0.001), `${compiled.memory!.breakdown.logitsAndLoss / logits} B per logit`);
  assert.equal(blocksOnly.memory!.breakdown.logitsAndLoss, eager.memory!.breakdown.logitsAndLoss);
  assert.ok(compiled.assumptions.some((s) => s.includes('the loss is in the compiled forward')));
  assert.ok(!blocksOnly.assumptions.some((s) => s.includes("the loss's fp32 upcast")));
});

test('float8: fp8-saved linear inputs (Transformer Engine) save the norm outputs, attention output and MLP product at 1 B; torchao keeps bf16', () => {
  const base = { model: { preset: 'llama-3.2-1b' }, precision: 'fp8-mixed' as const, optimizer: { type: 'adamw' as const, implementation: 'fused' as const }, batch: { micro: 1, sequenceLength: 4096, gradientAccumulation: 2 } };
  const bf16Saved = estimateTrainingJob(job(base), undefined);
  const fp8Saved = estimateTrainingJob(job({ ...base, float8: { saveActivations: 'fp8' } }), undefined);
  const a = findModel('llama-3.2-1b')!.architecture;
  const hd = a.hidden / a.heads;
  const delta = (2 * a.hidden + a.heads * hd + a.ffn) * 1 * 4096 * a.layers; // 2 B → 1 B
  assert.ok(near(bf16Saved.memory!.breakdown.activations - fp8Saved.memory!.breakdown.activations, delta, 0.001));
  // Ignored (and said) without fp8-mixed.
  const ignored = estimateTrainingJob(job({ ...base, precision: 'bf16-mixed', float8: { saveActivations: 'fp8' } }), undefined);
  assert.ok(ignored.assumptions.some((s) => s.includes('float8 settings are ignored')));
});

test('float8 all-gather halves the FSDP all-gather bytes of the block linears and the gathered-layer buffers', () => {
  const base = { resources: { nodes: 1, gpusPerNode: 8 }, model: { preset: 'llama-3.1-8b' }, precision: 'fp8-mixed' as const, parallelism: { fsdp: 'full' as const }, batch: { micro: 1, sequenceLength: 4096 } };
  const bf = estimateTrainingJob(job(base), cluster('H100-SXM-80GB', 8));
  const f8 = estimateTrainingJob(job({ ...base, float8: { allGather: true } }), cluster('H100-SXM-80GB', 8));
  const gather = (e: typeof bf) => e.interconnect!.collectives.find((c) => c.name.startsWith('FSDP/ZeRO-3 parameter all-gather'))!.bytesPerGpu;
  const p = countParams(findModel('llama-3.1-8b')!.architecture, {});
  const vocab = p.embedding + p.output;
  assert.ok(near(gather(f8) / gather(bf), (vocab * 2 + (p.total - vocab)) / (2 * p.total), 0.001));
  // Gathered buffers: on 70B a block (856 M) outweighs the output matrix, so fp8 gathering shrinks them.
  const big = { ...base, model: { preset: 'llama-3.1-70b' }, optimizer: { type: 'adamw' as const, implementation: 'fused' as const } };
  const bf70 = estimateTrainingJob(job(big), cluster('H100-SXM-80GB', 8));
  const f870 = estimateTrainingJob(job({ ...big, float8: { allGather: true } }), cluster('H100-SXM-80GB', 8));
  assert.ok(f870.memory!.breakdown.transientBuffers < bf70.memory!.breakdown.transientBuffers, `${f870.memory!.breakdown.transientBuffers} vs ${bf70.memory!.breakdown.transientBuffers}`);
});

// ---- recompute FLOPs and the efficiency's definition

test('full recompute adds one forward of the blocks (2Ψ_blocks + attention forward), not of embedding/output (llm-foundry HFU = 4/3 MFU on the blocks)', () => {
  const base = { resources: { nodes: 1, gpusPerNode: 8 }, model: { preset: 'llama-3.1-8b' }, batch: { micro: 1, sequenceLength: 4096 }, training: { mfu: 0.5 } };
  const none = estimateTrainingJob(job(base), cluster('H100-SXM-80GB', 8));
  const full = estimateTrainingJob(job({ ...base, activationCheckpointing: 'full' }), cluster('H100-SXM-80GB', 8));
  const sel = estimateTrainingJob(job({ ...base, activationCheckpointing: 'selective' }), cluster('H100-SXM-80GB', 8));
  const m = findModel('llama-3.1-8b')!.architecture;
  const p = countParams(m, {});
  const tokens = 8 * 4096;
  const blocks = p.active - p.embedding - p.output;
  const attnFwd = 4 * m.layers * 4096 * m.hidden; // causal: half of the 4·L·s·h full-matrix forward, at half the GEMMs' efficiency
  assert.equal(none.time!.recomputeFlopsPerStep, 0);
  assert.ok(near(full.time!.recomputeFlopsPerStep, (2 * blocks + attnFwd) * tokens, 0.001));
  // op-level SAC recomputes K, the attention output projection and the up projection.
  const kvDim = (m.kvHeads ?? m.heads) * (m.hidden / m.heads);
  const perLayer = m.hidden * kvDim + m.hidden * m.hidden + m.hidden * m.ffn;
  assert.ok(near(sel.time!.recomputeFlopsPerStep, 2 * m.layers * perLayer * tokens, 0.001));
  const hwNone = (6 * p.active + 12 * m.layers * 4096 * m.hidden) * tokens;
  assert.ok(near(full.time!.computeSeconds / none.time!.computeSeconds, 1 + full.time!.recomputeFlopsPerStep / hwNone, 1e-6));
});

test('A100 efficiency is the torchtitan rows as HFU (median 63 %), Hopper the Megatron-LM figure; fp8 does not change it', () => {
  const a100 = gpuById('A100-SXM-80GB')!;
  const h100 = gpuById('H100-SXM-80GB')!;
  assert.equal(computeEfficiency(a100, 'bf16-mixed', 8e9).value, 0.63);
  assert.ok(near(computeEfficiency(h100, 'bf16-mixed', 2e9).value, 0.41, 1e-9));
  assert.ok(near(computeEfficiency(h100, 'bf16-mixed', 462e9).value, 0.47, 1e-9));
  assert.ok(near(computeEfficiency(h100, 'fp8-mixed', 462e9).value, 0.47, 1e-9));
});

test('fp8 speeds up only the block linears: their bf16 time share f·e/GEMM_EFFICIENCY, 1.8× faster on Hopper, none where the card has no fp8 peak', () => {
  const h100 = gpuById('H100-SXM-80GB')!;
  const a100 = gpuById('A100-SXM-80GB')!;
  const f = fp8StepFactor(h100, 0.45, 0.8);
  assert.ok(near(f.gemmSpeedup, (0.9 * h100.tflops.fp8!) / h100.tflops.bf16!, 1e-9));
  assert.ok(near(f.gemmSpeedup, 1.8, 0.01));
  assert.ok(near(f.linearTimeShare, (0.8 * 0.45) / GEMM_EFFICIENCY, 1e-9));
  assert.ok(near(f.factor, 1 - f.linearTimeShare * (1 - 1 / f.gemmSpeedup), 1e-9));
  assert.equal(fp8StepFactor(a100, 0.58, 0.8).factor, 1);
  // The share is bounded: a step cannot spend more than all of its time in GEMMs.
  assert.ok(fp8StepFactor(h100, 0.9, 1).linearTimeShare <= 1);
  // End to end: Llama 3 8B at 8192 tokens, FSDP on 8 H100s — about torchao's published 1.25× (8 GPUs / 8B).
  const base = { resources: { nodes: 1, gpusPerNode: 8 }, model: { preset: 'llama-3-8b' }, parallelism: { fsdp: 'full' as const }, batch: { micro: 1, sequenceLength: 8192 } };
  const bf = estimateTrainingJob(job(base), cluster('H100-SXM-80GB', 8));
  const f8 = estimateTrainingJob(job({ ...base, precision: 'fp8-mixed' }), cluster('H100-SXM-80GB', 8));
  const speedup = bf.time!.computeSeconds / f8.time!.computeSeconds;
  assert.ok(speedup > 1.15 && speedup < 1.35, `8B fp8 compute speed-up ${speedup}`);
  // Larger models spend more of the step in linears, so fp8 gains more (torchao: up to 1.5× at 405B).
  const big = { ...base, resources: { nodes: 8, gpusPerNode: 8 }, model: { preset: 'llama-3.1-405b' }, parallelism: { tensor: 8, fsdp: 'full' as const } };
  const bigSpeedup = estimateTrainingJob(job(big), cluster('H100-SXM-80GB', 8, 8)).time!.computeSeconds / estimateTrainingJob(job({ ...big, precision: 'fp8-mixed' }), cluster('H100-SXM-80GB', 8, 8)).time!.computeSeconds;
  assert.ok(bigSpeedup > speedup, `405B ${bigSpeedup} vs 8B ${speedup}`);
});

test('GEMM_EFFICIENCY reproduces the published fp8 compute speed-up it is derived from: Llama 3 70B, 8192 tokens, FSDP on 128 H100 ≈ 1.40× (torchtitan float8 note)', () => {
  const base = { resources: { nodes: 16, gpusPerNode: 8 }, model: { preset: 'llama-3-70b' }, parallelism: { fsdp: 'full' as const }, batch: { micro: 1, sequenceLength: 8192 } };
  const bf = estimateTrainingJob(job(base), cluster('H100-SXM-80GB', 8, 16));
  const f8 = estimateTrainingJob(job({ ...base, precision: 'fp8-mixed' }), cluster('H100-SXM-80GB', 8, 16));
  const speedup = bf.time!.computeSeconds / f8.time!.computeSeconds;
  assert.ok(near(speedup, 1.4, 0.03), `70B fp8 compute speed-up ${speedup}`);
});

test('checkpointedLayers: partial recomputation charges that share of the layers in time and keeps the rest in memory', () => {
  const base = { resources: { nodes: 1, gpusPerNode: 8 }, model: { preset: 'llama-3-8b' }, parallelism: { fsdp: 'full' as const }, batch: { micro: 1, sequenceLength: 8192 }, training: { mfu: 0.5 } };
  const none = estimateTrainingJob(job(base), cluster('H100-SXM-80GB', 8));
  const full = estimateTrainingJob(job({ ...base, activationCheckpointing: 'full' }), cluster('H100-SXM-80GB', 8));
  const five = estimateTrainingJob(job({ ...base, activationCheckpointing: 'full', checkpointedLayers: 5 }), cluster('H100-SXM-80GB', 8));
  const all = estimateTrainingJob(job({ ...base, activationCheckpointing: 'full', checkpointedLayers: 32 }), cluster('H100-SXM-80GB', 8));
  assert.ok(near(five.time!.recomputeFlopsPerStep, (full.time!.recomputeFlopsPerStep * 5) / 32, 1e-9));
  assert.equal(all.time!.recomputeFlopsPerStep, full.time!.recomputeFlopsPerStep);
  assert.equal(all.memory!.breakdown.activations, full.memory!.breakdown.activations);
  // Activations: 5/32 of the layers at the checkpointed size, 27/32 in full.
  const expected = (5 / 32) * full.memory!.breakdown.activations + (27 / 32) * none.memory!.breakdown.activations;
  assert.ok(five.memory!.breakdown.activations > full.memory!.breakdown.activations && five.memory!.breakdown.activations < none.memory!.breakdown.activations);
  assert.ok(near(five.memory!.breakdown.activations, expected, 0.05), `${five.memory!.breakdown.activations} vs ${expected}`);
  // Ignored, and said, without checkpointing; a bad value is a warning.
  const ignored = estimateTrainingJob(job({ ...base, checkpointedLayers: 5 }), cluster('H100-SXM-80GB', 8));
  assert.equal(ignored.memory!.breakdown.activations, none.memory!.breakdown.activations);
  assert.ok(ignored.assumptions.some((a) => a.includes('checkpointedLayers is ignored')));
  const bad = estimateTrainingJob(job({ ...base, activationCheckpointing: 'full', checkpointedLayers: 2.5 }), cluster('H100-SXM-80GB', 8));
  assert.ok(bad.findings.some((f) => f.path?.join('.') === 'spec.checkpointedLayers'));
});

test("cuDNN's fused attention on Hopper and data-centre Blackwell runs at 518/318 of FlashAttention-2's speed; elsewhere, and for flash/sdpa, the FlashAttention-2 ratio", () => {
  const h100 = gpuById('H100-SXM-80GB')!;
  const a100 = gpuById('A100-SXM-80GB')!;
  const b200 = gpuById('B200-180GB')!;
  assert.ok(near(attentionEfficiencyRatio(h100, 'cudnn'), 0.5 * (518 / 318), 0.001));
  assert.equal(attentionEfficiencyRatio(b200, 'cudnn'), attentionEfficiencyRatio(h100, 'cudnn'));
  assert.equal(attentionEfficiencyRatio(h100, 'flash'), ATTENTION_EFFICIENCY_RATIO);
  assert.equal(attentionEfficiencyRatio(h100, 'sdpa'), ATTENTION_EFFICIENCY_RATIO);
  assert.equal(attentionEfficiencyRatio(a100, 'cudnn'), ATTENTION_EFFICIENCY_RATIO);
  // Llama 3 8B at 8192 tokens on H100s: attention is a fifth of the model FLOPs, so the step is shorter with cuDNN.
  const spec = (attention: 'flash' | 'cudnn') => job({ model: { preset: 'llama-3-8b' }, resources: { nodes: 1, gpusPerNode: 8 }, batch: { micro: 1, global: 8, sequenceLength: 8192 }, activationCheckpointing: 'full', attention });
  const flash = estimateTrainingJob(spec('flash'), cluster('H100-SXM-80GB', 8)).time!.stepSeconds;
  const cudnn = estimateTrainingJob(spec('cudnn'), cluster('H100-SXM-80GB', 8)).time!.stepSeconds;
  assert.ok(cudnn < flash * 0.95 && cudnn > flash * 0.8, `${cudnn} vs ${flash}`);
  const onA100 = (attention: 'flash' | 'cudnn') => estimateTrainingJob(spec(attention), cluster('A100-SXM-80GB', 8)).time!.stepSeconds;
  assert.equal(onA100('cudnn'), onA100('flash'));
});
