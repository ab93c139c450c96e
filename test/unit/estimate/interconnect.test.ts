import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { estimateTrainingJob } from '../../../core/estimate/index';
import { findModel } from '../../../core/catalog/models';
import { countParams } from '../../../core/estimate/params';
import { cluster, job, near } from './helpers';

const P8 = countParams(findModel('llama-3.1-8b')!.architecture).total;

test('DDP over 8 NVLink4 GPUs: one all-reduce of fp32 gradients, t = 4Ψ·2(n−1)/n / 370 GB/s (nccl-tests factors; exact)', () => {
  const e = estimateTrainingJob(job({ resources: { nodes: 1, gpusPerNode: 8 }, model: { preset: 'llama-3.1-8b' }, batch: { micro: 1, sequenceLength: 2048 } }), cluster('H100-SXM-80GB', 8));
  const ar = e.interconnect!.collectives.find((c) => c.collective === 'all-reduce')!;
  assert.ok(near(ar.seconds, (4 * P8 * 1.75) / 370e9, 1e-9));
  assert.equal(ar.link, 'nvlink4');
});

test('FSDP full shard moves 3Ψ-equivalent per step vs 2Ψ for DDP (ZeRO paper: 1.5×), same link; ±1 %', () => {
  const base = { resources: { nodes: 1, gpusPerNode: 8 }, model: { preset: 'llama-3.1-8b' }, precision: 'bf16' as const, batch: { micro: 1, sequenceLength: 2048 } };
  const ddp = estimateTrainingJob(job(base), cluster('H100-SXM-80GB', 8));
  const fsdp = estimateTrainingJob(job({ ...base, parallelism: { fsdp: 'full' } }), cluster('H100-SXM-80GB', 8));
  assert.ok(near(fsdp.interconnect!.bytesPerGpuPerStep / ddp.interconnect!.bytesPerGpuPerStep, 1.5, 0.01));
});

test('compute time = (6·Ψ + causal attention: half of 12·L·s·h at half the efficiency) × tokens / (GPUs × peak × efficiency); model FLOPs keep 12·L·s·h (llm-foundry MFU accounting); ±0.1 %', () => {
  const e = estimateTrainingJob(job({ resources: { nodes: 1, gpusPerNode: 8 }, model: { preset: 'llama-3.1-8b' }, batch: { micro: 2, sequenceLength: 4096 }, training: { mfu: 0.5 } }), cluster('H100-SXM-80GB', 8));
  const tokens = 2 * 8 * 4096;
  const hw = (6 * P8 + 12 * 32 * 4096 * 4096) * tokens;
  assert.ok(near(e.time!.computeSeconds, hw / (8 * 989.5e12 * 0.5), 0.001));
  assert.ok(near(e.time!.flopsPerStep, (6 * P8 + 12 * 32 * 4096 * 4096) * tokens, 0.001));
  // Eager attention computes the whole score matrix.
  const eager = estimateTrainingJob(job({ resources: { nodes: 1, gpusPerNode: 8 }, model: { preset: 'llama-3.1-8b' }, attention: 'eager', batch: { micro: 2, sequenceLength: 4096 }, training: { mfu: 0.5 } }), cluster('H100-SXM-80GB', 8));
  assert.ok(near(eager.time!.computeSeconds, ((6 * P8 + 12 * 32 * 4096 * 4096) * tokens) / (8 * 989.5e12 * 0.5), 0.001));
  assert.ok(near(e.time!.tokensPerSecondPerGpu, tokens / e.time!.stepSeconds / 8, 1e-9));
});

test('eager attention with no stated MFU also moves its score matrices through memory: 34 B per score element forward, 36 backward, 34 again when recomputed, at 80 % of HBM bandwidth (efficiency.ts EAGER_SCORE_BYTES); exact', () => {
  for (const activationCheckpointing of ['none', 'full'] as const) {
    const e = estimateTrainingJob(job({ resources: { nodes: 1, gpusPerNode: 8 }, model: { preset: 'llama-3.1-8b' }, attention: 'eager', activationCheckpointing, batch: { micro: 2, sequenceLength: 4096 } }), cluster('H100-SXM-80GB', 8));
    const t = e.time!;
    const gemm = (t.flopsPerStep + t.recomputeFlopsPerStep) / (8 * 989.5e12 * t.assumedComputeEfficiency);
    const elementsPerGpu = (2 * 8 * 4096 * 4096 * 32 * 32) / 8; // tokens × keys × heads × layers, over 8 GPUs
    const bytes = activationCheckpointing === 'full' ? 34 * 2 + 36 : 34 + 36;
    assert.ok(near(t.computeSeconds, gemm + (elementsPerGpu * bytes) / (3350e9 * 0.8), 1e-9), `${activationCheckpointing}: ${t.computeSeconds}`);
    assert.ok(e.assumptions.some((a) => a.includes('Eager attention: the 4096×4096 score matrices')));
  }
  // SDPA has no such term: the same job is faster.
  const sdpa = estimateTrainingJob(job({ resources: { nodes: 1, gpusPerNode: 8 }, model: { preset: 'llama-3.1-8b' }, attention: 'sdpa', batch: { micro: 2, sequenceLength: 4096 } }), cluster('H100-SXM-80GB', 8));
  assert.ok(!sdpa.assumptions.some((a) => a.includes('Eager attention')));
});

test("an encoder's attention is bidirectional: SDPA computes the whole matrix, charged in full at attention's speed (half the GEMMs'), not the causal half; exact", () => {
  const at = (preset: string) => estimateTrainingJob(job({ resources: { nodes: 1, gpusPerNode: 1 }, model: { preset }, attention: 'sdpa', precision: 'fp16', batch: { micro: 8, sequenceLength: 512 } }), cluster('A100-SXM-80GB', 1));
  const bert = at('bert-large-uncased').time!;
  const P = countParams(findModel('bert-large-uncased')!.architecture, { learnedPositions: 512, extraParams: findModel('bert-large-uncased')!.extraParams }).active;
  const attn = 12 * 24 * 512 * 16 * 64; // 12·L·s·heads·headDim per token
  const tokens = 8 * 512;
  // 6Ψ plus the whole matrix at half the step's efficiency (ATTENTION_EFFICIENCY_RATIO 0.5): 2 × attn.
  assert.ok(near(bert.computeSeconds, ((6 * P + attn / 0.5) * tokens) / (312e12 * bert.assumedComputeEfficiency), 0.001), `${bert.computeSeconds}`);
  // A decoder's causal kernel: half the matrix at half the efficiency, i.e. the full count.
  const gpt = at('gpt2-medium').time!;
  assert.ok(near(gpt.computeSeconds, gpt.flopsPerStep / (312e12 * gpt.assumedComputeEfficiency), 0.001));
});

test('time to train N tokens = steps × step time', () => {
  const e = estimateTrainingJob(job({ resources: { nodes: 1, gpusPerNode: 8 }, model: { preset: 'llama-3.1-8b' }, batch: { micro: 1, global: 64, sequenceLength: 4096 }, training: { tokens: 1e9 } }), cluster('H100-SXM-80GB', 8));
  const t = e.time!;
  assert.equal(t.steps, Math.ceil(1e9 / (64 * 4096)));
  assert.ok(near(t.totalSeconds!, t.steps! * t.stepSeconds, 1e-9));
});

const WARN: [string, Parameters<typeof job>[0], ReturnType<typeof cluster>, string, string[]][] = [
  ['TP 16 across two 8-GPU nodes', { resources: { nodes: 2, gpusPerNode: 8 }, model: { preset: 'llama-3.1-70b' }, parallelism: { tensor: 16 }, batch: { micro: 1, sequenceLength: 4096 } }, cluster('H100-SXM-80GB', 8, 2), 'tp-spans-nodes', ['spec', 'parallelism', 'tensor']],
  ['two nodes over TCP Ethernet', { resources: { nodes: 2, gpusPerNode: 8 }, model: { preset: 'llama-3.1-8b' }, parallelism: { fsdp: 'full' }, batch: { micro: 1, sequenceLength: 4096 } }, cluster('H100-SXM-80GB', 8, 2, 'ethernet'), 'slow-inter-node', ['spec', 'resources', 'nodes']],
  ['two nodes with no fabric', { resources: { nodes: 2, gpusPerNode: 8 }, model: { preset: 'llama-3.1-8b' }, batch: { micro: 1, sequenceLength: 4096 } }, cluster('H100-SXM-80GB', 8, 2, 'none'), 'slow-inter-node', ['spec', 'resources', 'nodes']],
  ['FSDP of a 70B over Ethernet', { resources: { nodes: 4, gpusPerNode: 8 }, model: { preset: 'llama-3.1-70b' }, parallelism: { fsdp: 'full' }, activationCheckpointing: 'full', batch: { micro: 1, sequenceLength: 2048 } }, cluster('H100-SXM-80GB', 8, 4, 'ethernet'), 'comm-bound', ['spec', 'parallelism']],
  [
    'PP 8 with 4 micro-batches: bubble (p−1)/(m+p−1) = 64 %',
    { resources: { nodes: 1, gpusPerNode: 8 }, model: { preset: 'llama-3.1-8b' }, parallelism: { pipeline: 8 }, batch: { micro: 1, sequenceLength: 4096, gradientAccumulation: 4 } },
    cluster('H100-SXM-80GB', 8),
    'pipeline-bubble',
    ['spec', 'parallelism', 'pipeline'],
  ],
];
for (const [name, spec, cl, code, path] of WARN) {
  test(`warning ${code}: ${name}`, () => {
    const e = estimateTrainingJob(job(spec), cl);
    const f = e.findings.find((x) => x.code === code);
    assert.ok(f, JSON.stringify(e.findings.map((x) => x.code)));
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.path, path);
    assert.match(f.message, /\d/);
  });
}

test('no interconnect warnings for a single-node FSDP job on NVLink', () => {
  const e = estimateTrainingJob(job({ resources: { nodes: 1, gpusPerNode: 8 }, model: { preset: 'llama-3.1-8b' }, parallelism: { fsdp: 'full' }, activationCheckpointing: 'selective', batch: { micro: 1, sequenceLength: 4096 } }), cluster('H100-SXM-80GB', 8));
  assert.deepEqual(
    e.findings.filter((f) => f.severity !== 'info').map((f) => f.code),
    [],
  );
  assert.match(e.summary, /^≈ \d+\.\d GiB \/ 79\.2 GiB per GPU \(\d+ %\) · .+\/step · comm \d+ %$/);
});
