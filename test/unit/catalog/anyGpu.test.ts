// Issue 12, "any GPU": the catalog's newer cards (each with figures and a source), the stated rule for
// usable memory, and a Cluster that describes a GPU the catalog lacks.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { findGpu, GPUS } from '../../../core/catalog/index';
import { findLink } from '../../../core/catalog/links';
import { nearestGpu, usableGiB } from '../../../core/catalog/gpus';
import { GPU_PRODUCT_LABELS, gpuFromProductLabel } from '../../../core/catalog/gpuProducts';
import { estimateInferenceService, estimateTrainingJob } from '../../../core/estimate/index';
import type { ClusterDoc } from '../../../core/spec/types';
import { check } from '../helpers';
import { cluster, job, service } from '../estimate/helpers';

const NEW = ['rtx3090', 'rtx4090', 'rtx5090', 'rtx5080', 'rtx5070ti', 'rtx5070', 'rtx5060ti', 'gb10', 'rtx-a6000', 'rtx-6000-ada', 'l40', 'l40s', 'a10', 'a40', 'h20', 'h800', 'a800', 'gh200', 'b300', 'mi250x', 'mi300x', 'mi325x', 'mi355x', 'gaudi3'];

test('the GPUs people run today are in the catalog, each with memory, dense bf16, bandwidth, a link and a source', () => {
  for (const q of NEW) {
    const g = findGpu(q);
    assert.ok(g, q);
    assert.ok(g.memoryGiB > 0 && g.memoryGiB <= g.nominalMemoryGB, q);
    assert.ok((g.tflops.bf16 ?? 0) > 0 && g.memoryBandwidthGBps > 0, q);
    assert.ok(findLink(g.intraNodeLink), `${q}: link ${g.intraNodeLink}`);
    assert.ok(g.source.length > 40, q);
  }
  // Datasheet figures, dense: RTX 3090 bf16 71 (fp32 accumulate), L40 181.05, A40 149.7, H20 148, Gaudi 3 1835.
  assert.equal(findGpu('rtx3090')!.tflops.bf16, 71);
  assert.equal(findGpu('l40')!.tflops.bf16, 181.05);
  assert.equal(findGpu('a40')!.tflops.bf16, 149.7);
  assert.equal(findGpu('h20')!.tflops.bf16, 148);
  assert.equal(findGpu('gaudi3')!.tflops.fp8, 1835);
  // H800/A800: the H100/A100 silicon with NVLink cut to 200 GB/s per direction.
  assert.equal(findGpu('h800')!.nvlink?.gbpsPerGpu, 200);
  assert.equal(findGpu('h800')!.tflops.bf16, findGpu('h100')!.tflops.bf16);
});

test('the RTX 50-series below the 5090: tensor rates from the AI TOPS figure as the 5090 reads the whitepaper, fp32 from SMs × clock, node labels by NVML name', () => {
  const g = findGpu('NVIDIA GeForce RTX 5080')!;
  assert.equal(g.id, 'RTX-5080-16GB');
  // 1801 AI TOPS (fp4 sparse) / 16 = 112.6 bf16 dense with fp32 accumulate; 84 SMs × 128 × 2 × 2.617 GHz = 56.3 fp32 (published 56.28).
  assert.deepEqual(g.tflops, { bf16: 112.6, fp16: 112.6, fp8: 225.1, fp32: 56.3 });
  assert.equal(findGpu('rtx-5060-ti')!.memoryGiB, usableGiB(16, 'gddr'));
  assert.equal(gpuFromProductLabel('NVIDIA-GeForce-RTX-5070-Ti')?.id, 'RTX-5070-Ti-16GB');
  assert.equal(GPU_PRODUCT_LABELS['RTX-5090-32GB'], 'NVIDIA-GeForce-RTX-5090');
});

test('usable memory: driver readings where found (23.69 GiB on an RTX 3090, 31.37 on a 5090), the stated rule otherwise', () => {
  assert.equal(findGpu('rtx3090')!.memoryGiB, 23.69);
  assert.equal(findGpu('rtx5090')!.memoryGiB, 31.37);
  // The rule reproduces the readings it was derived from within 1 %.
  assert.ok(Math.abs(usableGiB(80, 'hbm') - 79.19) < 0.8);
  assert.ok(Math.abs(usableGiB(48, 'gddr-ecc') - 44.4) < 0.1);
  assert.ok(Math.abs(usableGiB(24, 'gddr') - 23.65) < 0.1);
  for (const g of GPUS) if (g.memorySource === 'rule') assert.ok(/rule/.test(g.source), `${g.id} says its memory comes from the rule`);
  // A sibling's reading names the sibling and says no reading of this card was found.
  for (const g of GPUS) if (g.memorySource === 'sibling') assert.ok(/no CUDA total was found/.test(g.source) && /is taken/.test(g.source), `${g.id} says whose reading it takes`);
  assert.equal(findGpu('NVIDIA GeForce RTX 4090 D')!.id, 'RTX-4090-D-24GB');
  assert.equal(findGpu('NVIDIA GeForce RTX 4090')!.id, 'RTX-4090-24GB');
  assert.equal(findGpu('NVIDIA RTX 5000 Ada Generation')!.id, 'RTX-5000-Ada-32GB');
  assert.equal(findGpu('NVIDIA Thor')!.id, 'Jetson-Thor-128GB');
  // "Did you mean" never offers another card: a model number it lacks, or a laptop part for a desktop one.
  for (const other of ['RTX 4070', 'RTX 4090 Laptop', 'Quadro RTX 8000', 'RTX A1000']) assert.equal(nearestGpu(other), undefined, other);
  for (const [slip, id] of [
    ['H100-SXM-80G', 'H100-SXM-80GB'],
    ['rtx4090', 'RTX-4090-24GB'],
    ['RTX-4070-Laptop', 'RTX-4070-Laptop-8GB'],
    ['H200-SXM-141', 'H200-SXM-141GB'],
  ] as const)
    assert.equal(nearestGpu(slip)?.id, id, slip);
});

test('an H800 all-reduce is slower than an H100 one: the cut NVLink scales the bus bandwidth', () => {
  const spec = { model: { preset: 'llama-3.1-8b' }, resources: { nodes: 1, gpusPerNode: 8 }, parallelism: { tensor: 8 }, batch: { micro: 1, global: 8, sequenceLength: 4096 } } as const;
  const h100 = estimateTrainingJob(job(spec as never), cluster('H100-SXM-80GB', 8));
  const h800 = estimateTrainingJob(job(spec as never), cluster('H800-SXM-80GB', 8));
  assert.ok(h800.interconnect!.commSeconds > 2 * h100.interconnect!.commSeconds);
});

function custom(gpu: Record<string, unknown>, intra?: string): ClusterDoc {
  return {
    apiVersion: 'gantry/v1',
    kind: 'Cluster',
    metadata: { name: 'c' },
    spec: { nodes: { count: 1, gpu: { count: 1, ...gpu } as never }, ...(intra ? { interconnect: { intraNode: { type: intra as never } } } : {}) },
  };
}

test('a Cluster can describe a GPU the catalog lacks; the estimate says which figures it assumed', () => {
  const e = estimateInferenceService(service({ model: { preset: 'llama-3.1-8b' }, maxModelLen: 8192 }), custom({ model: 'Acme X1', memoryGiB: 46 }));
  assert.ok(e.ok, JSON.stringify(e.findings));
  assert.equal(e.memory!.capacityBytes, 46 * 1024 ** 3);
  const said = e.assumptions.join('\n');
  assert.match(said, /'Acme X1' is not in the catalog: 46 GiB/);
  assert.match(said, /989.5 TFLOPS bf16/);
  assert.match(said, /memory bandwidth/);
  assert.match(said, /PCIe 4.0 between GPUs assumed/);
  // Given peaks are used and no longer named as assumed.
  const t = estimateTrainingJob(job({ model: { preset: 'llama-3.2-1b' }, batch: { micro: 1, global: 1, sequenceLength: 2048 } }), custom({ model: 'Acme X1', memoryGiB: 46, peakBf16Tflops: 200, memoryBandwidthGBps: 1000 }, 'pcie5'));
  const ts = t.assumptions.join('\n');
  assert.doesNotMatch(ts, /TFLOPS bf16/);
  assert.match(ts, /fp8 = 2 × bf16/);
  assert.doesNotMatch(ts, /PCIe 4.0 between GPUs assumed/);
  const slow = t.time!.computeSeconds;
  const fast = estimateTrainingJob(job({ model: { preset: 'llama-3.2-1b' }, batch: { micro: 1, global: 1, sequenceLength: 2048 } }), custom({ model: 'Acme X1', memoryGiB: 46, peakBf16Tflops: 400 })).time!.computeSeconds;
  assert.ok(slow > 1.5 * fast, 'half the peak, about twice the compute time');
  // Without memoryGiB an unknown GPU is still an error.
  const bad = estimateInferenceService(service({ model: { preset: 'llama-3.1-8b' } }), custom({ model: 'Acme X1' }));
  assert.equal(bad.ok, false);
  assert.match(bad.findings[0].message, /give nodes.gpu.memoryGiB/);
});

test('validation: an unknown GPU with memoryGiB is a described GPU, not an error; the new fields are in the schema', () => {
  const doc = (gpu: string) => ['apiVersion: gantry/v1', 'kind: Cluster', 'metadata: { name: c }', 'spec:', '  nodes:', '    count: 1', `    gpu: ${gpu}`, ''].join('\n');
  const codes = (t: string) => check(t).problems.map((p) => p.code);
  assert.ok(codes(doc('{ model: Acme X1, count: 8 }')).includes('unknown-gpu'));
  assert.deepEqual(codes(doc('{ model: Acme X1, count: 8, memoryGiB: 46, peakBf16Tflops: 200, peakFp8Tflops: 400, memoryBandwidthGBps: 1000 }')), []);
  assert.ok(codes(doc('{ model: Acme X1, count: 8, memoryGiB: 46, peakBf16Tflops: -1 }')).some((c) => c.startsWith('schema')));
  assert.deepEqual(codes(doc('{ model: rtx3090, count: 2 }')), []);
});

test('engine version parsing: tags and version strings, by hand', async () => {
  const { parseVersion, imageTag } = await import('../../../core/estimate/engineVersion');
  assert.deepEqual(parseVersion('0.6.3'), [0, 6, 3]);
  assert.deepEqual(parseVersion('v0.10.1'), [0, 10, 1]);
  assert.deepEqual(parseVersion('0.6.3.post1'), [0, 6, 3]);
  assert.deepEqual(parseVersion('0.8.5rc1'), [0, 8, 5]);
  assert.equal(parseVersion('latest'), undefined);
  assert.equal(parseVersion('nightly'), undefined);
  assert.equal(imageTag('vllm/vllm-openai:v0.6.3'), 'v0.6.3');
  assert.equal(imageTag('registry:5000/vllm/vllm-openai'), undefined);
  assert.equal(imageTag('vllm/vllm-openai:v0.9.0@sha256:abc'), 'v0.9.0');
});

test('hover: the new Cluster GPU fields and InferenceService.engineVersion explain themselves (unit included)', async () => {
  const { hover } = await import('../../../core/spec/complete');
  const { parseSpecFile } = await import('../../../core/spec/parse');
  const { schemaIndex } = await import('../../../core/validate/schema');
  const src = { schemas: schemaIndex, clusterNames: () => [], describeCluster: () => undefined };
  const cl = ['apiVersion: gantry/v1', 'kind: Cluster', 'metadata: { name: c }', 'spec:', '  nodes:', '    count: 1', '    gpu:', '      model: Acme X1', '      count: 8', '      memoryGiB: 46', '      peakBf16Tflops: 200', '      peakFp8Tflops: 400', '      memoryBandwidthGBps: 1000', ''].join('\n');
  for (const [key, re] of [
    ['peakBf16Tflops', /dense bf16[\s\S]*TFLOPS/],
    ['peakFp8Tflops', /fp8/],
    ['memoryBandwidthGBps', /GB\/s/],
  ] as const) {
    const h = hover(cl, parseSpecFile(cl), cl.indexOf(key) + 2, src);
    assert.ok(h && re.test(h.markdown), `${key}: ${h?.markdown}`);
  }
  const svc = ['apiVersion: gantry/v1', 'kind: InferenceService', 'metadata: { name: s }', 'spec:', '  engine: vllm', '  engineVersion: 0.6.3', '  model: { preset: llama-3.1-8b }', ''].join('\n');
  const h = hover(svc, parseSpecFile(svc), svc.indexOf('engineVersion') + 2, src);
  assert.ok(h && /V0/.test(h.markdown), h?.markdown);
});

test('the GB10 (DGX Spark): the CUDA total a published vLLM log printed, unified memory said in its name, found by its NVML name', () => {
  const g = findGpu('NVIDIA GB10')!;
  assert.equal(g.id, 'GB10-128GB');
  assert.equal(findGpu('dgx-spark'), g);
  // "Free memory on device (114.54/121.69 GiB)": vLLM 0.27.1 on a DGX Spark.
  assert.equal(g.memoryGiB, 121.69);
  assert.equal(g.memoryBandwidthGBps, 273);
  assert.ok(g.name.includes('unified memory'));
  assert.equal(gpuFromProductLabel('NVIDIA-GB10')?.id, 'GB10-128GB');
  // Qwen3-30B-A3B in fp8 at 0.55 of it: vLLM's budget is a share of the CUDA total.
  const e = estimateInferenceService(service({ model: { preset: 'qwen3-30b-a3b' }, quantization: 'fp8', gpuMemoryUtilization: 0.55, maxModelLen: 32768, engineVersion: '0.30.0' }), cluster('GB10-128GB', 1));
  assert.ok(e.ok, JSON.stringify(e.findings));
  assert.ok(Math.abs(e.serving!.budgetBytes / 1024 ** 3 - 0.55 * 121.69) < 0.01);
});

test('switchable GDDR ECC: the card default is said, nodes.gpu.ecc moves the usable memory by 1/16 of the card, memoryGiB wins, HBM cards ignore it', () => {
  const svc = service({ model: { preset: 'llama-3.1-8b' }, maxModelLen: 8192, gpuMemoryUtilization: 0.9 });
  const at = (gpu: Record<string, unknown>) => estimateInferenceService(svc, custom(gpu));
  // RTX 6000 Ada: the catalog holds the ECC-on reading (44.43 GiB); ECC off gives 3 GiB more (48 GiB / 16).
  const dflt = at({ model: 'RTX-6000-Ada-48GB' });
  assert.equal(dflt.memory!.capacityBytes, Math.round(44.43 * 1024 ** 3));
  assert.match(dflt.assumptions.join('\n'), /ECC on, the card's default, assumed: 44.43 GiB usable; with ECC off it has 3 GiB more .*set nodes.gpu.ecc/);
  const off = at({ model: 'RTX-6000-Ada-48GB', ecc: false });
  assert.equal(off.memory!.capacityBytes, Math.round(47.43 * 1024 ** 3));
  assert.match(off.assumptions.join('\n'), /ECC off \(nodes.gpu.ecc\): 47.43 GiB usable, the catalog's 44.43 GiB with ECC on \+ 3 GiB/);
  assert.ok(off.serving!.kvCacheTokens > dflt.serving!.kvCacheTokens, 'more memory, a larger KV cache');
  // Stating the default changes nothing but the wording.
  assert.equal(at({ model: 'RTX-6000-Ada-48GB', ecc: true }).memory!.capacityBytes, dflt.memory!.capacityBytes);
  // An RTX A6000 defaults to ECC off: turning it on takes the 3 GiB away; a T4 (16 GB) moves by 1 GiB.
  assert.equal(at({ model: 'RTX-A6000-48GB', ecc: true }).memory!.capacityBytes, Math.round(44.4 * 1024 ** 3));
  assert.equal(at({ model: 'T4-16GB', ecc: false }).memory!.capacityBytes, Math.round(15.75 * 1024 ** 3));
  // A given memoryGiB is the reading: ecc is not applied on top, and the estimate says so.
  const given = at({ model: 'RTX-6000-Ada-48GB', ecc: false, memoryGiB: 47.5 });
  assert.equal(given.memory!.capacityBytes, 47.5 * 1024 ** 3);
  assert.match(given.assumptions.join('\n'), /nodes.gpu.ecc is not applied: nodes.gpu.memoryGiB gives the usable memory/);
  // HBM: nothing to switch; the H100 keeps its 79.19 GiB and no ECC line appears unless ecc is set.
  assert.doesNotMatch(at({ model: 'H100-SXM-80GB' }).assumptions.join('\n'), /ECC/);
  const h100 = at({ model: 'H100-SXM-80GB', ecc: false });
  assert.equal(h100.memory!.capacityBytes, Math.round(79.19 * 1024 ** 3));
  assert.match(h100.assumptions.join('\n'), /nodes.gpu.ecc has no effect on NVIDIA H100 SXM 80GB/);
  // Every switchable card is a GDDR card of the catalog, and the schema takes the field.
  for (const g of GPUS) if (g.ecc) assert.ok(g.nominalMemoryGB <= 48 && !/HBM/.test(g.name), g.id);
  const doc = ['apiVersion: gantry/v1', 'kind: Cluster', 'metadata: { name: c }', 'spec:', '  nodes:', '    count: 1', '    gpu: { model: RTX-6000-Ada-48GB, count: 1, ecc: false }', ''].join('\n');
  assert.deepEqual(
    check(doc).problems.map((p) => p.code),
    [],
  );
  assert.ok(check(doc.replace('ecc: false', 'ecc: maybe')).problems.length > 0);
});
