// parallelism.expertTensor (issue 12, h12t2): Megatron-Core MoE parallel folding. The expert layers regroup the
// job's tensor × context × data GPUs as expertTensor × expert × expert-data (Megatron-Core
// expert_tensor_parallel_size; Liu et al. 2025, "MoE Parallel Folding", arXiv:2504.14960), so expert parallel
// can span tensor-parallel ranks.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { estimateTrainingJob } from '../../../core/estimate/index';
import { cluster, job, near } from './helpers';

const moe = (parallelism: Record<string, unknown>) =>
  job({
    model: { preset: 'qwen3-30b-a3b' },
    resources: { nodes: 2, gpusPerNode: 8 },
    parallelism: { tensor: 2, sequenceParallel: true, zero: 1, ...parallelism },
    batch: { micro: 1, global: 64, sequenceLength: 4096 },
  });

test('without expertTensor, expert parallel stays within data × context (as before)', () => {
  const e = estimateTrainingJob(moe({ expert: 16 }), cluster('H100-SXM-80GB', 8, 2));
  assert.ok(e.findings.some((f) => f.path?.join('.') === 'spec.parallelism.expert'));
});

test('expertTensor 1 lets EP 16 span TP 2 × DP 8, and a size that does not divide the GPUs is refused', () => {
  const ok = estimateTrainingJob(moe({ expert: 16, expertTensor: 1 }), cluster('H100-SXM-80GB', 8, 2));
  assert.equal(ok.findings.filter((f) => f.severity === 'error').length, 0);
  assert.ok(ok.time && ok.time.tokensPerSecondPerGpu > 0);
  const bad = estimateTrainingJob(moe({ expert: 16, expertTensor: 2 }), cluster('H100-SXM-80GB', 8, 2));
  assert.ok(bad.findings.some((f) => f.path?.join('.') === 'spec.parallelism.expertTensor'));
});

test('expertTensor equal to tensor is the default: same estimate as leaving it out', () => {
  const a = estimateTrainingJob(moe({ expert: 8 }), cluster('H100-SXM-80GB', 8, 2));
  const b = estimateTrainingJob(moe({ expert: 8, expertTensor: 2 }), cluster('H100-SXM-80GB', 8, 2));
  assert.equal(a.memory!.perGpu.allocatedBytes, b.memory!.perGpu.allocatedBytes);
  assert.equal(a.time!.tokensPerSecondPerGpu, b.time!.tokensPerSecondPerGpu);
});

test('expert weights split expert × expertTensor ways: EP 4 × ETP 2 holds what EP 8 × ETP 1 holds, EP 4 × ETP 1 about twice', () => {
  const ep4 = estimateTrainingJob(moe({ expert: 4, expertTensor: 1 }), cluster('H100-SXM-80GB', 8, 2));
  const ep8 = estimateTrainingJob(moe({ expert: 8, expertTensor: 1 }), cluster('H100-SXM-80GB', 8, 2));
  const ep4tp2 = estimateTrainingJob(moe({ expert: 4 }), cluster('H100-SXM-80GB', 8, 2));
  const w = (e: typeof ep4) => e.memory!.breakdown.weights;
  // Same split (4 × 2 = 8 × 1 ways) → same expert weights per GPU; half the split → more.
  assert.ok(near(w(ep8), w(ep4tp2), 0.001));
  assert.ok(w(ep4) > w(ep8) * 1.5);
});

test('under the Hopper (Megatron-LM) figure, TP traffic is overlappable; under the A100 figure it stays on the critical path', async () => {
  const { computeEfficiency } = await import('../../../core/estimate/efficiency');
  const { findGpu } = await import('../../../core/catalog/gpus');
  assert.equal(computeEfficiency(findGpu('H100-SXM-80GB')!, 'bf16-mixed', 70e9).commOverlapInFigure, true);
  assert.equal(computeEfficiency(findGpu('A100-SXM-80GB')!, 'bf16-mixed', 70e9).commOverlapInFigure, false);
  const tp = (gpu: string) => estimateTrainingJob(job({ model: { preset: 'llama-3-8b' }, resources: { nodes: 1, gpusPerNode: 8 }, parallelism: { tensor: 8 }, batch: { micro: 1, sequenceLength: 4096 } }), cluster(gpu, 8));
  const tpTraffic = (e: ReturnType<typeof tp>) => e.interconnect!.collectives.find((c) => c.name.startsWith('TP'))!;
  assert.ok(tpTraffic(tp('H100-SXM-80GB')).overlappedSeconds > 0);
  assert.equal(tpTraffic(tp('A100-SXM-80GB')).overlappedSeconds, 0);
});
