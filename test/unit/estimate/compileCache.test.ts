// A vLLM V1 first start compiles the model inside the memory-profiling window, and the compile's benchmark copy of the
// embedding can be that window's peak (serving.ts compileEmbeddingPeak); a restart that loads the compile cache does not
// compile. compileCache says which start is estimated; unset, the restart is, and the first start is checked beside it.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { compileEmbeddingPeak, estimateInferenceService } from '../../../core/estimate/serving';
import { vllmCompilesInProfile } from '../../../core/estimate/engineVersion';
import { GIB, cluster, near, service } from './helpers';

// Qwen3-8B on a 24 GB card at vLLM 0.27.1: the published split of a first start printed 1.18 GiB of peak activation.
const base = { model: { preset: 'qwen3-8b' }, engineVersion: '0.27.1', maxModelLen: 8192, gpuMemoryUtilization: 0.9 } as const;
const card = cluster('RTX-4090-24GB', 1);
const qwen3_8b = { vocab: 151936, hidden: 4096 } as never;

test('the compile peak is the local embedding shard and its output over the batch, in the model dtype', () => {
  assert.ok(near(compileEmbeddingPeak(qwen3_8b, 1, 2048, 2) / GIB, 1.175, 0.01), 'Qwen3-8B at 2,048 tokens: 1.18 GiB, as its first start printed');
  assert.equal(compileEmbeddingPeak(qwen3_8b, 2, 2048, 2), (151936 / 2) * 4096 * 2 + 2048 * 4096 * 2, 'a vocabulary-parallel shard under TP 2');
});

test('which starts compile inside the profile: a cold start from 0.11.1, never under enforce-eager; VLLM_DISABLE_COMPILE_CACHE makes a restart cold', () => {
  assert.equal(vllmCompilesInProfile([0, 27, 1], { compileCache: 'cold' }), true);
  assert.equal(vllmCompilesInProfile(undefined, { compileCache: 'cold' }), true, 'an unknown version is the current release');
  assert.equal(vllmCompilesInProfile([0, 27, 1], {}), false, 'unset: a restart that loads the cache');
  assert.equal(vllmCompilesInProfile([0, 27, 1], { compileCache: 'warm' }), false);
  assert.equal(vllmCompilesInProfile([0, 27, 1], { compileCache: 'warm', env: { VLLM_DISABLE_COMPILE_CACHE: '1' } }), true);
  assert.equal(vllmCompilesInProfile([0, 27, 1], { compileCache: 'cold', enforceEager: true }), false);
  assert.equal(vllmCompilesInProfile([0, 11, 0], { compileCache: 'cold' }), false, 'before the compile-time kernel benchmarks (PR #26682)');
});

test('a cold start has less KV cache by what the compile peak adds above the profile run; unset is the restart, with the first start said', () => {
  const warm = estimateInferenceService(service({ ...base, compileCache: 'warm' }), card).serving!;
  const cold = estimateInferenceService(service({ ...base, compileCache: 'cold' }), card);
  const unset = estimateInferenceService(service(base), card);
  const peak = compileEmbeddingPeak(qwen3_8b, 1, 2048, 2);
  assert.ok(cold.serving!.activationPeakBytes > warm.activationPeakBytes);
  // The first start's pool is smaller by exactly what its activation peak grew, and the peak grew to the copy.
  assert.ok(near(warm.availableKvBytes - cold.serving!.availableKvBytes, cold.serving!.activationPeakBytes - warm.activationPeakBytes, 1e-9));
  assert.ok(cold.serving!.activationPeakBytes - warm.activationPeakBytes < peak, 'by the copy less the profile run it replaces as the peak');
  assert.ok(
    cold.assumptions.some((a) => a.startsWith('First start: vLLM compiles the model inside its profiling window')),
    cold.assumptions.join('\n'),
  );
  assert.equal(unset.serving!.kvCacheTokens, warm.kvCacheTokens, 'unset estimates the restart');
  assert.ok(near(unset.serving!.firstStartExtraBytes!, cold.serving!.activationPeakBytes - warm.activationPeakBytes, 1e-9), 'and carries what the first start adds');
  assert.equal(cold.serving!.firstStartExtraBytes, undefined);
  const said = unset.assumptions.find((a) => a.startsWith("On its first start, before vLLM's compile cache holds this configuration"));
  assert.ok(said?.includes(`${cold.serving!.kvCacheTokens.toLocaleString('en-US')} tokens`), said);
  assert.ok(unset.ok);
});

test('where only the first start refuses, that refusal is the error, with its fix', () => {
  // Tight enough that the restart fits one 8,192-token request and the first start does not.
  let util = 0.8;
  let spec = service({ ...base, gpuMemoryUtilization: util });
  for (; util > 0.7; util -= 0.002) {
    spec = service({ ...base, gpuMemoryUtilization: Number(util.toFixed(3)) });
    const w = estimateInferenceService(service({ ...spec.spec, compileCache: 'warm' }), card);
    const c = estimateInferenceService(service({ ...spec.spec, compileCache: 'cold' }), card);
    if (w.ok && !c.ok) break;
  }
  const e = estimateInferenceService(spec, card);
  assert.equal(e.ok, false, `no utilization between 0.7 and 0.8 splits them (last ${util})`);
  const f = e.findings.find((x) => x.code === 'kv-cache-too-small');
  assert.ok(f?.message.startsWith("On its first start, before vLLM's compile cache holds this configuration (compileCache: cold):"), f?.message);
  assert.ok(f?.fixes?.length, 'the first start gets the fixes a refusal gets');
  assert.ok(estimateInferenceService(service({ ...spec.spec, compileCache: 'warm' }), card).ok, 'a user who says it is a restart gets no error');
});

test('no compile peak under enforce-eager, for a model fed inputs_embeds (a loaded vision tower), or before vLLM 0.11.1', () => {
  const eager = estimateInferenceService(service({ ...base, enforceEager: true }), card);
  assert.ok(!eager.assumptions.some((a) => a.includes('compile cache')), eager.assumptions.join('\n'));
  assert.equal(eager.serving!.firstStartExtraBytes, undefined);
  const old = estimateInferenceService(service({ ...base, engineVersion: '0.10.2', compileCache: 'cold' }), card).serving!;
  const oldWarm = estimateInferenceService(service({ ...base, engineVersion: '0.10.2', compileCache: 'warm' }), card).serving!;
  assert.equal(old.kvCacheTokens, oldWarm.kvCacheTokens);
  const vl = { model: { preset: 'qwen2.5-vl-7b' }, engineVersion: '0.27.1', maxModelLen: 8192 } as const;
  const vlCold = estimateInferenceService(service({ ...vl, compileCache: 'cold' }), cluster('L40S-48GB', 1)).serving!;
  const vlWarm = estimateInferenceService(service({ ...vl, compileCache: 'warm' }), cluster('L40S-48GB', 1)).serving!;
  assert.equal(vlCold.kvCacheTokens, vlWarm.kvCacheTokens, 'a multimodal model embeds its tokens outside the compiled graph');
});

test('a compileCache that is neither cold nor warm is bad input at its key', () => {
  const e = estimateInferenceService(service({ ...base, compileCache: 'hot' as never }), card);
  const f = e.findings.find((x) => x.path.join('.') === 'spec.compileCache');
  assert.ok(f && f.severity === 'error' && f.message.includes('hot'), JSON.stringify(e.findings));
});

test('where the restart refuses too, the fixes are sized for the first start, and the fixed spec starts the first time', () => {
  // Qwen3.5 9B served text only on an RTX 5090 at 0.63: a 262,144-token request fits neither start.
  const spec = { model: { preset: 'qwen3.5-9b' }, engineVersion: '0.20.0', gpuMemoryUtilization: 0.63, maxModelLen: 262144, multimodal: { limitPerPrompt: { image: 0, video: 0 } } } as const;
  const e = estimateInferenceService(service(spec), cluster('RTX-5090-32GB', 1));
  const f = e.findings.find((x) => x.code === 'kv-cache-too-small');
  assert.ok(f?.message.includes("Its first start, before vLLM's compile cache holds this configuration, has"), f?.message);
  const lower = f?.fixes?.find((x) => x.title.startsWith('Lower maxModelLen'));
  assert.ok(lower, JSON.stringify(f?.fixes?.map((x) => x.title)));
  const again = estimateInferenceService(service({ ...spec, maxModelLen: lower.edits[0].value as number }), cluster('RTX-5090-32GB', 1));
  assert.ok(again.ok, JSON.stringify(again.findings));
});
