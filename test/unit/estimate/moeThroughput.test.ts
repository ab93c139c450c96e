// Issue 12 (h12t3): MoE throughput terms. (a) grouped-GEMM efficiency by tokens per expert (DeepGEMM's published
// curve, the roofline at small M); (b) the EP all-to-all split by the link each token copy takes, one copy per
// remote NVLink domain (DeepEP / DeepSeek-V3 §3.2.2); (c) cluster interconnect.nvlinkDomain (GB200 NVL72: 72).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { findGpu } from '../../../core/catalog/gpus';
import { estimateTrainingJob } from '../../../core/estimate/index';
import { GROUPED_GEMM_CURVE, groupedGemmEfficiency, MOE_LAYER_HOST_SECONDS, MOE_LOCAL_EXPERT_HOST_SECONDS, moeHostSeconds } from '../../../core/estimate/efficiency';
import { expertAllToAllCopies, expertGemmRows } from '../../../core/estimate/trainingTime';
import { cluster, job, near } from './helpers';

test('grouped GEMM efficiency follows the published curve on the GPU it was measured on and rises with tokens', () => {
  const h800 = findGpu('H800-SXM-80GB')!;
  for (const [rows, eff] of GROUPED_GEMM_CURVE) assert.ok(near(groupedGemmEfficiency(h800, rows), eff, 0.02), `${rows} rows`);
  assert.ok(near(groupedGemmEfficiency(h800, 32), (287 / 1297) * 0.5, 0.02), 'below 64 rows: memory-bound, linear in rows');
  assert.equal(groupedGemmEfficiency(h800, 1e6), 1);
  let last = 0;
  for (let r = 16; r <= 16384; r *= 2) {
    const e = groupedGemmEfficiency(h800, r);
    assert.ok(e >= last && e <= 1);
    last = e;
  }
  // A GPU with more FLOPs per byte of memory bandwidth (higher ridge point) needs more rows for the same efficiency.
  const h20 = findGpu('H20-96GB')!;
  assert.ok(groupedGemmEfficiency(h20, 256) > groupedGemmEfficiency(h800, 256));
});

test("tokens per expert GEMM = the EP group's tokens × top-k ÷ experts", () => {
  assert.equal(expertGemmRows({ experts: 128, activeExperts: 8 }, 4096, 8), 2048);
  assert.equal(expertGemmRows({ experts: 256, activeExperts: 8 }, 4096, 32), 4096);
});

test('EP all-to-all: inside one domain every remote copy takes NVLink; across domains one copy per remote domain', () => {
  const one = expertAllToAllCopies(8, 1, 8, 8);
  assert.equal(one.domains, 1);
  assert.equal(one.inter, 0);
  assert.ok(near(one.intra, (8 * 7) / 8, 1e-9));
  const four = expertAllToAllCopies(32, 1, 8, 8);
  assert.equal(four.domains, 4);
  assert.ok(near(four.inter, 3 * (1 - 0.75 ** 8), 1e-9), 'expected distinct remote domains');
  assert.ok(four.inter < (8 * 24) / 32, 'fewer network copies than a plain all-to-all');
  // expertTensor spreads the EP ranks: EP 8 × ETP 2 on 8-GPU nodes spans 2 domains.
  assert.equal(expertAllToAllCopies(8, 2, 8, 8).domains, 2);
  // The same EP 64 inside a 72-GPU NVLink domain crosses no network.
  assert.equal(expertAllToAllCopies(64, 1, 72, 4).inter, 0);
});

const gptOss = (gpus: number, expert: number) =>
  job({
    model: { preset: 'gpt-oss-120b' },
    resources: { nodes: gpus / 8, gpusPerNode: 8 },
    parallelism: { expert, zero: 1 },
    batch: { micro: 4, global: 4 * gpus, sequenceLength: 4096 },
  });

test('cluster interconnect.nvlinkDomain: EP 64 on GB200 NVL72 keeps the all-to-all on NVLink and is faster', () => {
  const rack = cluster('GB200-186GB', 8, 8);
  rack.spec.interconnect!.nvlinkDomain = 72;
  const ib = estimateTrainingJob(gptOss(64, 64), cluster('GB200-186GB', 8, 8));
  const nvl = estimateTrainingJob(gptOss(64, 64), rack);
  const commWarning = (e: typeof ib) => e.findings.some((f) => /Communication dominates/.test(f.message));
  assert.ok(commWarning(ib) && !commWarning(nvl), 'over InfiniBand the all-to-all dominates; inside NVL72 it does not');
  const a2a = (e: typeof ib) => e.interconnect!.collectives.find((c) => c.name.startsWith('EP all-to-all'))!;
  assert.match(a2a(ib).link, /infiniband/);
  assert.equal(a2a(nvl).link, 'nvlink5');
  assert.ok(a2a(nvl).seconds < a2a(ib).seconds / 4);
  assert.ok(nvl.time!.tokensPerSecondPerGpu > ib.time!.tokensPerSecondPerGpu);
});

test('nvlinkDomain smaller than a node, or absent, changes nothing; a dense job on one node is unaffected', () => {
  const small = cluster('H100-SXM-80GB', 8, 8);
  small.spec.interconnect!.nvlinkDomain = 4;
  const a = estimateTrainingJob(gptOss(64, 8), cluster('H100-SXM-80GB', 8, 8));
  const b = estimateTrainingJob(gptOss(64, 8), small);
  assert.equal(a.time!.tokensPerSecondPerGpu, b.time!.tokensPerSecondPerGpu);
});

test('few tokens per expert slow the MoE compute, and the estimate says so', () => {
  const spec = (micro: number) =>
    job({
      model: { preset: 'deepseek-v3' },
      resources: { nodes: 32, gpusPerNode: 8 },
      parallelism: { pipeline: 8, expert: 32, zero: 1 },
      batch: { micro, global: 4096, sequenceLength: 512 },
    });
  // 512 tokens × EP 32 × top-8 ÷ 256 experts = 512 rows per expert GEMM: below large-GEMM efficiency.
  const small = estimateTrainingJob(spec(1), cluster('H100-SXM-80GB', 8, 32));
  const large = estimateTrainingJob(spec(16), cluster('H100-SXM-80GB', 8, 32));
  assert.ok(small.assumptions.some((n) => /512 tokens per expert GEMM/.test(n)));
  assert.ok(!large.assumptions.some((n) => /tokens per expert GEMM/.test(n)), '8192 rows: full efficiency, no note');
  assert.ok(small.time!.computeSeconds > large.time!.computeSeconds * 1.02);
});

test('MoE host time: per MoE layer and micro-batch on the stage, more with more local experts; none for dense jobs or a stated MFU', () => {
  assert.equal(moeHostSeconds(36, 16), 36 * (MOE_LAYER_HOST_SECONDS + 16 * MOE_LOCAL_EXPERT_HOST_SECONDS));
  assert.ok(moeHostSeconds(36, 2) < moeHostSeconds(36, 16));
  assert.equal(moeHostSeconds(0, 16), 0);
  // gpt-oss-120b: 36 MoE layers, 128 experts; EP 8 → 16 local, EP 64 → 2 local. One micro-batch per step (global = micro × GPUs).
  const ep8 = estimateTrainingJob(gptOss(64, 8), cluster('H100-SXM-80GB', 8, 8));
  const ep64 = estimateTrainingJob(gptOss(64, 64), cluster('H100-SXM-80GB', 8, 8));
  assert.ok(near(ep8.time!.moeHostSeconds!, moeHostSeconds(36, 16), 1e-9));
  assert.ok(near(ep64.time!.moeHostSeconds!, moeHostSeconds(36, 2), 1e-9));
  assert.ok(ep8.assumptions.some((n) => /MoE host time: 36 MoE layers × 16 local experts/.test(n)));
  // It is on the step's critical path: the step is at least compute + host time.
  assert.ok(ep8.time!.stepSeconds >= ep8.time!.computeSeconds + ep8.time!.moeHostSeconds!);
  // Twice the micro-batches per step (gradient accumulation 2): twice the host time.
  const accum = job({ model: { preset: 'gpt-oss-120b' }, resources: { nodes: 8, gpusPerNode: 8 }, parallelism: { expert: 8, zero: 1 }, batch: { micro: 4, global: 512, sequenceLength: 4096 } });
  assert.ok(near(estimateTrainingJob(accum, cluster('H100-SXM-80GB', 8, 8)).time!.moeHostSeconds!, 2 * moeHostSeconds(36, 16), 1e-9));
  const dense = estimateTrainingJob(job({ model: { preset: 'llama-3.1-8b' }, resources: { nodes: 1, gpusPerNode: 8 }, batch: { micro: 2, global: 16, sequenceLength: 4096 } }), cluster('H100-SXM-80GB', 8, 1));
  assert.equal(dense.time!.moeHostSeconds, undefined);
  const stated = job({ model: { preset: 'gpt-oss-120b' }, resources: { nodes: 8, gpusPerNode: 8 }, parallelism: { expert: 8, zero: 1 }, batch: { micro: 4, global: 256, sequenceLength: 4096 }, training: { mfu: 0.3 } });
  assert.equal(estimateTrainingJob(stated, cluster('H100-SXM-80GB', 8, 8)).time!.moeHostSeconds, undefined);
});

test('moe-host-bound: an info finding on spec.batch.micro when the MoE host time is over a quarter of the step', () => {
  // Qwen3-30B-A3B at micro-batch 1 on 8 × B200, EP 8: 48 MoE layers × 16 local experts per micro-batch.
  const small = estimateTrainingJob(job({ model: { preset: 'qwen3-30b-a3b' }, resources: { nodes: 1, gpusPerNode: 8 }, precision: 'bf16-mixed', parallelism: { expert: 8, zero: 1 }, batch: { micro: 1, global: 64, sequenceLength: 4096 } }), cluster('B200-180GB', 8));
  const f = small.findings.find((x) => x.code === 'moe-host-bound');
  assert.ok(f, JSON.stringify(small.findings.map((x) => x.code)));
  assert.equal(f.severity, 'info');
  assert.deepEqual(f.path, ['spec', 'batch', 'micro']);
  assert.match(f.message, /MoE host time ≈ \d+ % of the step/);
  assert.ok(small.ok, 'information does not make the estimate fail');
  // Mixtral 8x7B at micro-batch 2, EP 8: 32 layers × 1 local expert, a few per cent of the step: no finding.
  const mixtral = estimateTrainingJob(job({ model: { preset: 'mixtral-8x7b' }, resources: { nodes: 8, gpusPerNode: 8 }, parallelism: { expert: 8, zero: 1 }, batch: { micro: 2, global: 256, sequenceLength: 4096 } }), cluster('B200-180GB', 8, 8));
  assert.ok(mixtral.time!.moeHostSeconds! > 0);
  assert.ok(!mixtral.findings.some((x) => x.code === 'moe-host-bound'));
});
