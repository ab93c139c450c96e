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
  const e = estimateInferenceService(service({ model: { preset: 'llama-3.1-8b' }, engineVersion: '0.19.0', gpuMemoryUtilization: 0.95, maxModelLen: 8192 }), cluster('H100-SXM-80GB', 1));
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

test('device-level memory adds the CUDA context and CUDA graphs on top of the budget (vLLM 0.19 captures graphs after sizing)', () => {
  const e = estimateInferenceService(service({ model: { preset: 'llama-3.1-8b' }, engineVersion: '0.19.1' }), undefined);
  const m = e.memory!;
  assert.ok(m.perGpu.deviceBytes > e.serving!.budgetBytes);
  const eager = estimateInferenceService(service({ model: { preset: 'llama-3.1-8b' }, engineVersion: '0.19.1', enforceEager: true }), undefined);
  assert.ok(eager.memory!.perGpu.deviceBytes < m.perGpu.deviceBytes);
});

// ---- engine versions (issue 12): vLLM V0 (≤ 0.7) profiles max(max_model_len, 2048) tokens when chunked prefill is off; V1 the chunked budget.
test('engine version: from engineVersion or the image tag; V0 profiles max_model_len tokens without chunked prefill; the estimate says which', () => {
  const base = { model: { preset: 'llama-3.1-8b' }, maxModelLen: 32768 } as const;
  const v1 = estimateInferenceService(service({ ...base, engineVersion: '0.10.1' }), cluster('H100-SXM-80GB', 1));
  const v0 = estimateInferenceService(service({ ...base, container: { image: 'vllm/vllm-openai:v0.6.3' } }), cluster('H100-SXM-80GB', 1));
  assert.match(v1.assumptions.join('\n'), /vLLM 0\.10\.1 \(from engineVersion\): V1 engine/);
  assert.match(v0.assumptions.join('\n'), /vLLM 0\.6\.3 \(from the container image tag\): V0 engine/);
  assert.match(v0.assumptions.join('\n'), /chunked prefill off/);
  // 32768 dummy tokens (3.75 GiB of activations) instead of 8192 (V1: the 1024-row sampler pass, 1.96 GiB, is the peak).
  assert.ok(v0.serving!.activationPeakBytes > 1.5 * v1.serving!.activationPeakBytes, `${v0.serving!.activationPeakBytes / GIB} vs ${v1.serving!.activationPeakBytes / GIB}`);
  assert.ok(v0.serving!.kvCacheTokens < v1.serving!.kvCacheTokens);
  // With --enable-chunked-prefill V0 profiles 512 tokens; VLLM_USE_V1=0 selects V0 on 0.8–0.10.
  const chunked = estimateInferenceService(service({ ...base, engineVersion: '0.6.3', extraArgs: ['--enable-chunked-prefill'] }), cluster('H100-SXM-80GB', 1));
  assert.ok(chunked.serving!.activationPeakBytes < v0.serving!.activationPeakBytes);
  const forced = estimateInferenceService(service({ ...base, engineVersion: '0.9.2', env: { VLLM_USE_V1: '0' } }), cluster('H100-SXM-80GB', 1));
  assert.match(forced.assumptions.join('\n'), /V0 engine \(VLLM_USE_V1=0\)/);
  const unknown = estimateInferenceService(service({ ...base, container: { image: 'vllm/vllm-openai:latest' } }), cluster('H100-SXM-80GB', 1));
  assert.match(unknown.assumptions.join('\n'), /current V1 engine assumed/);
});

test("startup refusal in the engine's words: V0's max seq len message, V1's 'to serve at least one request'", () => {
  const s = { model: { preset: 'llama-3.1-70b' }, tensorParallel: 2, maxModelLen: 131072 } as const;
  const v1 = estimateInferenceService(service(s), cluster('H100-SXM-80GB', 2));
  const f1 = v1.findings.find((f) => f.code === 'kv-cache-too-small');
  assert.ok(f1 && /To serve at least one request with the models's max seq len \(131072\)/.test(f1.message), f1?.message);
  const v0 = estimateInferenceService(service({ ...s, engineVersion: '0.5.4', extraArgs: ['--enable-chunked-prefill'] }), cluster('H100-SXM-80GB', 2));
  const f0 = v0.findings.find((f) => f.code === 'kv-cache-too-small');
  assert.ok(f0 && /larger than the maximum number of tokens that can be stored in KV cache/.test(f0.message), f0?.message);
  // Exactly at the boundary: max_model_len = blocks × block_size starts; one token more refuses (a restart, whose
  // compile cache is warm: the first start's boundary is lower, compileCache.test.ts).
  const warm = { model: { preset: 'llama-3.1-8b' }, compileCache: 'warm' } as const;
  const fits = estimateInferenceService(service({ ...warm, maxModelLen: 8192 }), cluster('H100-SXM-80GB', 1));
  const cap = fits.serving!.kvCacheTokens;
  assert.ok(estimateInferenceService(service({ ...warm, maxModelLen: cap }), cluster('H100-SXM-80GB', 1)).ok);
  const over = estimateInferenceService(service({ ...warm, maxModelLen: cap + 1 }), cluster('H100-SXM-80GB', 1));
  assert.ok(over.findings.some((f) => f.code === 'kv-cache-too-small'));
  // No memory left at all: "No available memory for the cache blocks".
  const none = estimateInferenceService(service({ model: { preset: 'llama-3.1-70b' }, maxModelLen: 4096 }), cluster('H100-SXM-80GB', 1));
  assert.match(none.findings.find((f) => f.code === 'memory-exceeds-capacity')!.message, /No available memory for the cache blocks/);
  // What vLLM would print as a negative "Available KV cache memory" is the shortfall: no negative number, no repair.
  const s70 = none.serving!;
  assert.equal(s70.availableKvBytes, 0);
  const need = s70.weightsBytes + s70.activationPeakBytes + s70.nonTorchBytes + s70.cudaGraphBytes;
  assert.ok(Math.abs(s70.kvShortfallBytes! - (need - s70.budgetBytes)) < 1e3, `${s70.kvShortfallBytes} vs ${need - s70.budgetBytes}`);
  assert.ok(!none.assumptions.some((a) => a.startsWith('internal:')), JSON.stringify(none.assumptions));
  assert.equal(fits.serving!.kvShortfallBytes, undefined);
  // SGLang and TGI take other terms off their budgets; the message adds up those, so its sum less the budget is the shortfall.
  for (const engine of ['sglang', 'tgi'] as const) {
    const e = estimateInferenceService(service({ engine, model: { preset: 'llama-3.1-70b' }, maxModelLen: 4096 }), cluster('H100-SXM-80GB', 1));
    const f = e.findings.find((x) => x.code === 'memory-exceeds-capacity');
    assert.ok(f && e.serving!.kvShortfallBytes, engine);
    const [, sum, budget] = /= ([\d.]+) GiB per GPU exceed the ([\d.]+) GiB budget/.exec(f.message) ?? [];
    assert.ok(Math.abs(Number(sum) - Number(budget) - e.serving!.kvShortfallBytes! / GIB) < 0.06, `${engine}: ${f.message} vs ${e.serving!.kvShortfallBytes! / GIB}`);
    assert.match(f.message, engine === 'sglang' ? /^Weights \([\d.]+ GiB\) \+ CUDA context/ : /\+ the warm-up batch's KV \(/);
  }
  assert.ok(Math.abs(fits.serving!.availableKvBytes - fits.serving!.kvCacheBytes) < 16 * fits.serving!.kvBytesPerToken);
});

test("SGLang's mem_fraction_static default follows its parallel size (0.88 at 1 GPU, 0.87 at 2, 0.85 at 4, 0.81 at 8)", () => {
  for (const [tp, f] of [
    [1, 0.88],
    [2, 0.87],
    [4, 0.85],
    [8, 0.81],
  ] as const) {
    const e = estimateInferenceService(service({ engine: 'sglang', model: { preset: 'llama-3.1-70b' }, tensorParallel: tp, maxModelLen: 4096 }), cluster('H200-SXM-141GB', 8));
    assert.match(e.assumptions.join('\n'), new RegExp(`mem_fraction_static ${f} \\(its default`));
  }
});

test('the fp8 weights fix is offered only where vLLM runs fp8 (compute capability 8.0 and up): not on a T4', () => {
  const spec = { model: { preset: 'llama-3.1-8b' }, maxModelLen: 8192 } as const;
  const fixes = (gpu: string) =>
    estimateInferenceService(service(spec), cluster(gpu, 1))
      .findings.find((f) => f.code === 'memory-exceeds-capacity')
      ?.fixes?.map((f) => f.title) ?? [];
  assert.ok(!fixes('T4-16GB').some((t) => t.startsWith('Quantize weights to fp8')), JSON.stringify(fixes('T4-16GB')));
  assert.ok(
    fixes('RTX-4080-16GB').some((t) => t.startsWith('Quantize weights to fp8')),
    JSON.stringify(fixes('RTX-4080-16GB')),
  );
});
