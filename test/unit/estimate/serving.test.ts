import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { estimateInferenceService } from '../../../core/estimate/index';
import { GIB, cluster, near, service } from './helpers';

// KV bytes per token per GPU = 2 × layers × KV heads per rank × head_dim × dtype bytes (vLLM
// CacheEngine.get_cache_block_size; FORMULAS §3.1 worked checks). Exact.
const KV: [string, Parameters<typeof service>[0], number, string][] = [
  ['Llama-3.1-8B bf16', { model: { preset: 'llama-3.1-8b' } }, 131072, '2·32·8·128·2'],
  ['Qwen2.5-7B bf16', { model: { preset: 'qwen2.5-7b' } }, 57344, '2·28·4·128·2'],
  ['Qwen2.5-72B at TP2', { model: { preset: 'qwen2.5-72b' }, tensorParallel: 2 }, 163840, '80·(8/2)·128·2·2'],
  ['Llama-3.1-8B fp8 KV', { model: { preset: 'llama-3.1-8b' }, kvCacheDtype: 'fp8' }, 65536, 'fp8 halves bytes/token'],
  ['Llama-3.1-8B PP2', { model: { preset: 'llama-3.1-8b' }, pipelineParallel: 2 }, 65536, 'layers split over stages'],
  ['Llama-3.1-8B TP16 replicates 8 KV heads', { model: { preset: 'llama-3.1-8b' }, tensorParallel: 16 }, 16384, '2·32·max(1, 8/16)·128·2: one head per rank'],
  ['DeepSeek-V3 MLA', { model: { preset: 'deepseek-v3' }, tensorParallel: 8, maxModelLen: 4096 }, 70272, '(512 + 64)·2·61, same on every TP rank'],
];
for (const [name, spec, bytes, why] of KV) {
  test(`KV bytes/token/GPU: ${name} = ${bytes} (${why})`, () => {
    const gpus = (spec.tensorParallel ?? 1) * (spec.pipelineParallel ?? 1);
    const e = estimateInferenceService(service(spec), cluster(gpus > 8 ? 'B200' : 'H200', Math.min(8, gpus), Math.ceil(gpus / 8)));
    assert.equal(e.serving?.kvBytesPerToken, bytes);
  });
}

test('vLLM pool for Llama-3.1-8B on H100, util 0.95: 58.11 GiB and 476,016 tokens measured (llm-d, vLLM 0.19; tolerance 2 %)', () => {
  const e = estimateInferenceService(service({ model: { preset: 'llama-3.1-8b' }, gpuMemoryUtilization: 0.95, maxModelLen: 8192 }), cluster('H100-SXM-80GB', 1));
  assert.ok(near(e.serving!.kvCacheBytes / GIB, 58.11, 0.02));
  assert.ok(near(e.serving!.kvCacheTokens, 476016, 0.02));
  assert.ok(near(e.serving!.weightsBytes / GIB, 14.99, 0.01), 'weights 14.99 GiB measured');
  assert.equal(e.serving!.kvCacheTokens % 16, 0, 'whole blocks');
  assert.ok(near(e.serving!.maxConcurrency, 58.11, 0.02));
});

test('fp8 weights: linear layers at 1 B, embeddings and lm_head at 2 B (vLLM measured 8.49 GiB for Llama-3.1-8B; ±1 %)', () => {
  const e = estimateInferenceService(service({ model: { preset: 'llama-3.1-8b' }, quantization: 'fp8' }), undefined);
  assert.ok(near(e.serving!.weightsBytes / GIB, 8.49, 0.01));
});

test('maxModelLen beyond the KV cache is an error at maxModelLen with fixes: the largest length that fits, fp8 KV, more TP', () => {
  const doc = service({ model: { preset: 'llama-3.1-70b' }, tensorParallel: 2, maxModelLen: 131072 });
  const e = estimateInferenceService(doc, cluster('H100-SXM-80GB', 8));
  const f = e.findings.find((x) => x.code === 'kv-cache-too-small');
  assert.ok(f && f.severity === 'error' && !e.ok);
  assert.deepEqual(f.path, ['spec', 'maxModelLen']);
  const lower = f.fixes!.find((x) => x.edits[0].path.join('.') === 'spec.maxModelLen')!;
  assert.ok((lower.edits[0].value as number) <= e.serving!.kvCacheTokens);
  const again = estimateInferenceService(service({ ...doc.spec, maxModelLen: lower.edits[0].value as number }), cluster('H100-SXM-80GB', 8));
  assert.ok(again.ok);
  assert.ok(f.fixes!.some((x) => x.edits[0].path.join('.') === 'spec.kvCacheDtype'));
  const tp = f.fixes!.find((x) => x.edits[0].path.join('.') === 'spec.tensorParallel')!;
  assert.equal(tp.edits[0].value, 4);
  assert.match(tp.title, /KV tokens/);
});

test('weights that do not fit the budget: memory-exceeds-capacity at tensorParallel, fixed by a larger TP', () => {
  const e = estimateInferenceService(service({ model: { preset: 'llama-3.1-70b' } }), cluster('H100-SXM-80GB', 8));
  const f = e.findings.find((x) => x.code === 'memory-exceeds-capacity');
  assert.ok(f);
  assert.deepEqual(f.path, ['spec', 'tensorParallel']);
  assert.ok(f.fixes!.some((x) => x.edits[0].path.join('.') === 'spec.tensorParallel'));
  assert.equal(e.serving!.kvCacheTokens, 0);
});

test('SGLang sizes the static pool as mem_fraction_static × capacity − weights − context (0.88 default)', () => {
  const e = estimateInferenceService(service({ engine: 'sglang', model: { preset: 'llama-3.1-8b' } }), cluster('H100-SXM-80GB', 1));
  const expected = 0.88 * 79.19 - e.serving!.weightsBytes / GIB - 0.5;
  assert.ok(near(e.serving!.kvCacheBytes / GIB, expected, 0.01));
});

test('device-level memory adds the CUDA context and CUDA graphs on top of the budget (vLLM captures graphs after sizing)', () => {
  const e = estimateInferenceService(service({ model: { preset: 'llama-3.1-8b' } }), undefined);
  const m = e.memory!;
  assert.ok(m.perGpu.deviceBytes > e.serving!.budgetBytes);
  const eager = estimateInferenceService(service({ model: { preset: 'llama-3.1-8b' }, enforceEager: true }), undefined);
  assert.ok(eager.memory!.perGpu.deviceBytes < m.perGpu.deviceBytes);
});
