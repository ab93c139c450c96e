// vLLM's sizing defaults by release (core/estimate/engineVersion.ts; docs/estimator.md "vLLM versions"):
// the default utilization, whether the CUDA graph estimate comes off the KV budget, and the default
// batch budget of `vllm serve` by GPU. Each case is one rule a release's source or log states.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CUDA_GRAPHS, parseVersion, vllmBatchDefaults, vllmModelRunner, vllmSizing } from '../../../core/estimate/engineVersion';
import { mrv2PenaltyBytesPerSeq } from '../../../core/estimate/serving';
import { estimateInferenceService } from '../../../core/estimate/index';
import { pinnedVersion } from '../../../core/formats/vllmArgs';
import { tokenizeShell } from '../../../core/formats/shellWords';
import { GIB, cluster, near, service } from './helpers';

test('utilization 0.9 and graphs after sizing through 0.19; 0.92 and the graph estimate in the budget from 0.20 and when unknown', () => {
  assert.deepEqual([vllmSizing([0, 19, 1], {}).utilization, vllmSizing([0, 19, 1], {}).graphsInBudget], [0.9, false]);
  assert.deepEqual([vllmSizing([0, 20, 0], {}).utilization, vllmSizing([0, 20, 0], {}).graphsInBudget], [0.92, true]);
  assert.deepEqual([vllmSizing(undefined, {}).utilization, vllmSizing(undefined, {}).graphsInBudget], [0.92, true]);
});

test('the graph estimate stays out of the budget with VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS=0, enforce-eager, Model Runner V2, or ROCm before 0.25; =1 opts an older release in', () => {
  assert.equal(vllmSizing([0, 28, 0], { env: { VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS: '0' } }).graphsInBudget, false);
  assert.equal(vllmSizing([0, 28, 0], { enforceEager: true }).graphsInBudget, false);
  const llama = { id: 'llama-3.1-8b', moe: false, hybrid: false, quantized: false };
  assert.equal(vllmSizing([0, 25, 1], { runner: vllmModelRunner([0, 25, 1], llama, {}) }).graphsInBudget, false, 'Model Runner V2 in 0.25: no graph estimate (issue #49224)');
  assert.equal(vllmSizing([0, 28, 0], { runner: vllmModelRunner([0, 28, 0], llama, {}) }).graphsInBudget, false, 'nor through 0.28 (its profile_cudagraph_memory still returned 0)');
  assert.equal(vllmSizing([0, 29, 0], { runner: vllmModelRunner([0, 29, 0], llama, {}) }).graphsInBudget, true, 'from 0.29 it reserves graph memory (PR #53306)');
  assert.equal(vllmSizing([0, 28, 0], { runner: vllmModelRunner([0, 28, 0], { id: 'qwen3-next-80b-a3b', moe: true, hybrid: true, quantized: false }, {}) }).graphsInBudget, true, 'a hybrid model on the V1 runner in 0.28 takes them off');
  assert.equal(vllmSizing([0, 25, 1], { runner: vllmModelRunner([0, 25, 1], llama, { env: { VLLM_USE_V2_MODEL_RUNNER: '0' } }) }).graphsInBudget, true, 'the V1 runner estimates its graphs');
  assert.equal(vllmSizing([0, 22, 0], { vendor: 'amd' }).graphsInBudget, false);
  assert.equal(vllmSizing([0, 26, 0], { vendor: 'amd' }).graphsInBudget, true);
  assert.equal(vllmSizing([0, 18, 0], { env: { VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS: '1' } }).graphsInBudget, true);
  assert.equal(vllmSizing([0, 18, 0], { env: { VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS: '1' } }).utilization, 0.9, 'the env var does not change the default utilization');
});

test('an estimate on 0.20+ takes the graph pool off the KV budget at the same utilization; the default utilization follows the version', () => {
  const base = { model: { preset: 'llama-3.1-8b' }, maxModelLen: 8192, gpuMemoryUtilization: 0.9 };
  const old = estimateInferenceService(service({ ...base, engineVersion: '0.19.1' }), cluster('H100-SXM-80GB', 1));
  const now = estimateInferenceService(service({ ...base, engineVersion: '0.20.0' }), cluster('H100-SXM-80GB', 1));
  assert.ok(near((old.serving!.kvCacheBytes - now.serving!.kvCacheBytes) / GIB, CUDA_GRAPHS / GIB, 0.02), `${old.serving!.kvCacheBytes / GIB} − ${now.serving!.kvCacheBytes / GIB}`);
  assert.ok(now.assumptions.some((a) => a.includes('taken off the budget')));
  assert.ok(old.assumptions.some((a) => a.includes('captured after sizing')));
  const unstated = estimateInferenceService(service({ model: { preset: 'llama-3.1-8b' }, maxModelLen: 8192, engineVersion: '0.28.0' }), cluster('H100-SXM-80GB', 1));
  assert.equal(unstated.serving!.budgetBytes / (79.19 * GIB) > 0.919, true, 'the 0.92 default');
  assert.ok(unstated.assumptions.some((a) => a.includes('utilization 0.92: the default of vLLM 0.20 and later')));
});

test("vllm serve's default batch budget by release and GPU: H100/H200 by name, then 70 GiB without the A100, then 16384 from 160 GiB", () => {
  const h100 = { capacityBytes: 79.19 * GIB, id: 'H100-SXM-80GB', name: 'NVIDIA H100 SXM 80GB' };
  const a100 = { capacityBytes: 79.15 * GIB, id: 'A100-SXM-80GB', name: 'NVIDIA A100 SXM 80GB' };
  const b200 = { capacityBytes: 178.35 * GIB, id: 'B200', name: 'NVIDIA B200' };
  const l4 = { capacityBytes: 22.05 * GIB, id: 'L4-24GB', name: 'NVIDIA L4' };
  const at = (v: string | undefined, g: typeof h100 & { unifiedMemory?: boolean }) => {
    const d = vllmBatchDefaults(v ? parseVersion(v) : undefined, g, 32768);
    return [d.tokens, d.seqs];
  };
  assert.deepEqual(at('0.8.0', l4), [2048, 1024]);
  assert.deepEqual(at('0.8.4', l4), [2048, 256]);
  assert.deepEqual(at('0.8.4', h100), [8192, 1024]);
  assert.deepEqual(at('0.8.5', a100), [8192, 1024]);
  assert.deepEqual(at('0.9.0', a100), [2048, 256]);
  assert.deepEqual(at('0.27.1', b200), [8192, 1024]);
  assert.deepEqual(at('0.28.0', b200), [16384, 1024]);
  assert.deepEqual(at(undefined, b200), [16384, 1024]);
  assert.deepEqual(at(undefined, h100), [8192, 1024]);
  assert.deepEqual(vllmBatchDefaults(undefined, l4, 4).tokens, 1024, 'tokens ≤ max_num_seqs × max_model_len');
  // A unified-memory GB10: taken at its size, and the rule says what a build that reads it through NVML (none there) takes.
  const gb10 = { capacityBytes: 121.69 * GIB, id: 'GB10-128GB', name: 'NVIDIA GB10 (DGX Spark, unified memory)', unifiedMemory: true };
  assert.deepEqual(at('0.24.0', gb10), [8192, 1024]);
  assert.match(vllmBatchDefaults(undefined, gb10, 32768).rule, /through NVML \(which reports none there\) takes it for a small GPU: 2048 tokens and 256 sequences/);
  assert.doesNotMatch(vllmBatchDefaults(parseVersion('0.8.4'), gb10, 32768).rule, /NVML/);
  assert.doesNotMatch(vllmBatchDefaults(undefined, h100, 32768).rule, /NVML/);
});

test('a script pins the engine version with a package install; the pin names the engine, not another package', () => {
  const pin = (text: string, engine: 'vllm' | 'sglang') => pinnedVersion(tokenizeShell(text).commands, engine);
  assert.equal(pin('pip install vllm==0.19.0\nvllm serve m', 'vllm'), '0.19.0');
  assert.equal(pin('uv pip install "sglang[all]==0.5.2" flashinfer==0.2\n', 'sglang'), '0.5.2');
  assert.equal(pin('pip3 install -U vllm==0.10.1.1', 'vllm'), '0.10.1.1');
  assert.equal(pin('pip install vllm-router==1.0 torch==2.6', 'vllm'), undefined);
  assert.equal(pin('echo vllm==0.19.0', 'vllm'), undefined, 'not an install');
  assert.equal(pin('pip install vllm', 'vllm'), undefined, 'no pin');
});

test('which model runner a release runs: the oracle by version, model kind and class; VLLM_USE_V2_MODEL_RUNNER and n-gram drafting override it', () => {
  const m = (id: string, extra: Partial<{ moe: boolean; hybrid: boolean; quantized: boolean }> = {}) => ({ id, moe: false, hybrid: false, quantized: false, ...extra });
  const v2 = (v: string | undefined, model: ReturnType<typeof m>, o = {}) => vllmModelRunner(v ? parseVersion(v) : undefined, model, o).v2;
  assert.equal(v2('0.21.0', m('qwen3-8b')), false, 'before 0.22: V1');
  assert.equal(v2('0.22.0', m('qwen3-8b')), true, '0.22: Qwen3 dense');
  assert.equal(v2('0.22.0', m('llama-3.1-8b')), false);
  assert.equal(v2('0.23.0', m('llama-3.1-8b')), true, '0.23: Llama, Mistral, Qwen3');
  assert.equal(v2('0.23.0', m('qwen2.5-7b')), false, 'Qwen2 is not on the 0.23 list');
  assert.equal(v2('0.23.0', m('llama-3.1-8b', { quantized: true })), false, 'quantized stays on V1 in 0.23');
  assert.equal(v2('0.24.0', m('llama-3.1-8b', { quantized: true })), true, 'quantized too from 0.24');
  assert.equal(v2('0.24.0', m('qwen2.5-7b')), false);
  assert.equal(v2('0.24.0', m('qwen1.5-moe-a2.7b', { moe: true })), true, 'Qwen2Moe is listed from 0.24');
  assert.equal(v2('0.25.0', m('qwen2.5-7b')), true, 'every dense model from 0.25');
  assert.equal(v2('0.28.0', m('qwen3-30b-a3b', { moe: true })), false, 'MoE off the list stays on V1 before 0.29');
  assert.equal(v2('0.28.0', m('qwen3-next-80b', { moe: true, hybrid: true })), false);
  assert.equal(v2('0.29.0', m('qwen3-30b-a3b', { moe: true })), true, 'every model from 0.29');
  assert.equal(v2(undefined, m('qwen3-30b-a3b', { moe: true })), true, 'an unknown version is the current release');
  assert.equal(v2('0.29.0', m('qwen3-8b'), { env: { VLLM_USE_V2_MODEL_RUNNER: '0' } }), false);
  assert.equal(v2('0.19.1', m('qwen3-8b'), { env: { VLLM_USE_V2_MODEL_RUNNER: 1 } }), true);
  assert.equal(v2('0.29.0', m('qwen3-8b'), { speculative: 'ngram' }), false, 'n-gram drafting falls back to V1');
});

test('Model Runner V2 profiles a smaller sampler pass and holds its penalty state; the estimate says which runner it assumed', () => {
  // A 24 GB card at its default 256 sequences: the V1 runner's sampler pass (16 B per logit) sets the activation peak.
  const base = { model: { preset: 'qwen2.5-7b' }, maxModelLen: 8192, gpuMemoryUtilization: 0.9 };
  const v1 = estimateInferenceService(service({ ...base, engineVersion: '0.29.0', env: { VLLM_USE_V2_MODEL_RUNNER: '0' } }), cluster('RTX-4090-24GB', 1));
  const v2 = estimateInferenceService(service({ ...base, engineVersion: '0.29.0' }), cluster('RTX-4090-24GB', 1));
  assert.ok(
    v2.assumptions.some((a) => a.includes('Model Runner V2 (the default for every model since vLLM 0.29)')),
    v2.assumptions.join('\n'),
  );
  assert.ok(v1.assumptions.some((a) => a.includes('the V1 model runner (VLLM_USE_V2_MODEL_RUNNER=0)')));
  const vocab = 152064;
  const penalty = 256 * mrv2PenaltyBytesPerSeq(vocab);
  assert.equal(penalty, 256 * (vocab * 4 + 4752 * 4));
  // V1: 256 × vocab × 16 B; V2: max(forward, 256 × vocab × (2 + 4) B) + the penalty state. Both take the graphs off the budget at 0.29 (before it V2 took none off).
  const gained = (v2.serving!.kvCacheBytes - v1.serving!.kvCacheBytes) / GIB;
  assert.ok(gained > 0 && gained < (256 * vocab * 16) / GIB, `V2 leaves ${gained.toFixed(3)} GiB more for the KV cache`);
});
