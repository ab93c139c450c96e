// Issue 12: the step's memory-bound work outside the matmuls (trainingMemory.ts stepTraffic), charged at the card's
// memory bandwidth (efficiency.ts MEMORY_BOUND_EFFICIENCY): the optimizer's update, autocast's casts, gradient
// accumulation. Byte counts follow PyTorch's kernels; none is fitted to a measured step.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { estimateTrainingJob } from '../../../core/estimate/index';
import { stepTraffic } from '../../../core/estimate/trainingMemory';
import { MEMORY_BOUND_EFFICIENCY } from '../../../core/estimate/efficiency';
import { findGpu } from '../../../core/catalog/gpus';
import { cluster, job, near } from './helpers';

const base = { paramElem: 4, gradElem: 4, stateElem: 4, updated: 1e9, masterCopy: false, castParams: 0, recast: 0, accumulated: 0, microBatches: 1, ddpBuckets: 0 } as const;

test('optimizer bytes per parameter: fused AdamW 2p + g + 4s (28 B in fp32, 14 B in pure bf16); foreach 4p + 3g + 14s (84 B)', () => {
  assert.equal(stepTraffic({ ...base, optimizer: 'adamw', impl: 'fused' }).perStep, 28e9);
  assert.equal(stepTraffic({ ...base, optimizer: 'adamw', impl: 'fused', paramElem: 2, gradElem: 2, stateElem: 2 }).perStep, 14e9);
  assert.equal(stepTraffic({ ...base, optimizer: 'adamw', impl: 'foreach' }).perStep, 84e9);
  assert.equal(stepTraffic({ ...base, optimizer: 'adamw', impl: 'for-loop' }).perStep, 84e9);
  assert.equal(stepTraffic({ ...base, optimizer: 'adamw-8bit', impl: 'fused', stateElem: 1 }).perStep, 16e9);
  assert.equal(stepTraffic({ ...base, optimizer: 'sgd', impl: 'foreach' }).perStep, 12e9);
  assert.equal(stepTraffic({ ...base, optimizer: 'sgd-momentum', impl: 'foreach' }).perStep, 32e9);
});

test('master copy, DDP buckets per step; autocast casts and accumulation per micro-batch', () => {
  const t = stepTraffic({ ...base, optimizer: 'adamw', impl: 'fused', masterCopy: true, ddpBuckets: 1e9 });
  assert.equal(t.perStep, 28e9 + 6e9 + 16e9);
  // Forward cast (6 B), its recomputation under full checkpointing (6 B), the gradient cast back (6 B).
  assert.equal(stepTraffic({ ...base, optimizer: 'sgd', impl: 'foreach', castParams: 1e9 }).perMicroBatch, 12e9);
  assert.equal(stepTraffic({ ...base, optimizer: 'sgd', impl: 'foreach', castParams: 1e9, recast: 1 }).perMicroBatch, 18e9);
  // Accumulation (3 passes) from the second micro-batch on: none with one, 3 × 4 B × 3/4 on average with four.
  assert.equal(stepTraffic({ ...base, optimizer: 'sgd', impl: 'foreach', accumulated: 1e9 }).perMicroBatch, 0);
  assert.equal(stepTraffic({ ...base, optimizer: 'sgd', impl: 'foreach', accumulated: 1e9, microBatches: 4 }).perMicroBatch, 9e9);
});

const single = (precision: 'bf16-mixed' | 'bf16', extra: object = {}) => job({ model: { preset: 'qwen3-8b' }, precision, batch: { micro: 1, sequenceLength: 2048 }, activationCheckpointing: 'full', optimizer: { type: 'adamw', implementation: 'fused' }, ...extra });

test('one GPU, autocast over fp32 weights: the optimizer and casts are in the step time at 85 % of the memory bandwidth, and said', () => {
  const e = estimateTrainingJob(single('bf16-mixed'), cluster('H200-SXM-141GB', 1));
  const t = e.time!;
  assert.ok(t.memoryBoundSeconds !== undefined && t.memoryBoundSeconds > 0);
  const bw = findGpu('H200-SXM-141GB')!.memoryBandwidthGBps * 1e9 * MEMORY_BOUND_EFFICIENCY;
  // Qwen3-8B, 8.2 B parameters (0.62 B of them the untied embedding): fused AdamW 28 B each; casts of all but the
  // embedding: 6 + 6 (recomputed) + 6 (gradient).
  const lower = (8.1e9 * 28 + 7.5e9 * 18) / bw;
  const upper = (8.3e9 * 28 + 7.7e9 * 18) / bw;
  assert.ok(t.memoryBoundSeconds! >= lower * 0.99 && t.memoryBoundSeconds! <= upper * 1.01, `${t.memoryBoundSeconds} not in [${lower}, ${upper}]`);
  assert.ok(t.memoryBoundSeconds! / t.stepSeconds > 0.1, 'a small-batch step on one GPU spends a tenth or more here');
  assert.ok(e.assumptions.some((a) => a.startsWith('Memory-bound work outside the matmuls') && a.includes('optimizer step') && a.includes('autocast')));
});

test('pure bf16 moves half the optimizer bytes and casts nothing; a stated MFU already includes the step', () => {
  const mixed = estimateTrainingJob(single('bf16-mixed'), cluster('H200-SXM-141GB', 1)).time!;
  const pure = estimateTrainingJob(single('bf16'), cluster('H200-SXM-141GB', 1)).time!;
  assert.ok(pure.memoryBoundSeconds! < mixed.memoryBoundSeconds! / 2);
  const stated = estimateTrainingJob(single('bf16-mixed', { training: { mfu: 0.4 } }), cluster('H200-SXM-141GB', 1)).time!;
  assert.equal(stated.memoryBoundSeconds, undefined);
});

test('sharded: FSDP over 8 GPUs updates an eighth of the parameters per GPU, and large batches make it a small share', () => {
  const spec = (gpus: number) => job({ model: { preset: 'llama-3.1-8b' }, resources: { nodes: 1, gpusPerNode: gpus }, parallelism: { fsdp: 'full' }, batch: { micro: 2, global: 2 * gpus, sequenceLength: 8192 }, activationCheckpointing: 'selective', optimizer: { type: 'adamw', implementation: 'fused' } });
  const one = estimateTrainingJob(spec(1), cluster('H100-SXM-80GB', 1)).time!;
  const eight = estimateTrainingJob(spec(8), cluster('H100-SXM-80GB', 8)).time!;
  assert.ok(near(eight.memoryBoundSeconds!, one.memoryBoundSeconds! / 8, 0.05), `${eight.memoryBoundSeconds} vs ${one.memoryBoundSeconds}`);
  assert.ok(eight.memoryBoundSeconds! / eight.stepSeconds < 0.05);
});
