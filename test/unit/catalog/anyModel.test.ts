// Issue 12, "any Hugging Face model": quantization_config sets the weight bytes, vision towers are
// counted, derivative repo names resolve to their base with the right format, and a model given by
// id is read from the local Hugging Face cache (through the estimator's reader, never the network).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseHfConfig, visionParams } from '../../../core/catalog/hfConfig';
import { findModel, resolveModelName } from '../../../core/catalog/models';
import { formatOfQuantization, splitDerivativeName, weightFormatFromQuantConfig } from '../../../core/catalog/weightFormat';
import { hfHubCacheDir, repoIdParts } from '../../../core/catalog/hfCache';
import { estimateInferenceService, estimateTrainingJob } from '../../../core/estimate/index';
import { GIB, cluster, job, near, service } from '../estimate/helpers';

const LLAMA_8B = { model_type: 'llama', num_hidden_layers: 32, hidden_size: 4096, num_attention_heads: 32, num_key_value_heads: 8, intermediate_size: 14336, vocab_size: 128256, max_position_embeddings: 131072, tie_word_embeddings: false };

test('quantization_config → bits per weight (scales included), by method', () => {
  const bits = (q: unknown) => {
    const f = weightFormatFromQuantConfig(q);
    assert.ok(f && typeof f !== 'string', JSON.stringify(q));
    return f.bitsPerWeight;
  };
  // compressed-tensors: fp8 dynamic (per-channel), w8a8 int8, w4a16 group 128 (4 + 16/128).
  assert.equal(bits({ quant_method: 'compressed-tensors', config_groups: { group_0: { weights: { num_bits: 8, type: 'float', strategy: 'channel' }, input_activations: { num_bits: 8, type: 'float', dynamic: true } } } }), 8);
  assert.equal(bits({ quant_method: 'compressed-tensors', config_groups: { group_0: { weights: { num_bits: 8, type: 'int', strategy: 'channel' }, input_activations: { num_bits: 8, type: 'int' } } } }), 8);
  assert.equal(bits({ quant_method: 'compressed-tensors', config_groups: { group_0: { weights: { num_bits: 4, type: 'int', strategy: 'group', group_size: 128, symmetric: true } } } }), 4.125);
  // GPTQ and AWQ int4 group 128 with zero points: 4 + (16 + 4)/128.
  assert.equal(bits({ quant_method: 'gptq', bits: 4, group_size: 128, sym: false }), 4.156);
  assert.equal(bits({ quant_method: 'gptq', bits: 4, group_size: 128, sym: true }), 4.125);
  assert.equal(bits({ quant_method: 'awq', bits: 4, group_size: 128, zero_point: true }), 4.156);
  assert.equal(bits({ quant_method: 'bitsandbytes', load_in_4bit: true, bnb_4bit_quant_type: 'nf4', bnb_4bit_use_double_quant: true }), 4.127);
  assert.equal(bits({ quant_method: 'bitsandbytes', load_in_8bit: true }), 8);
  assert.equal(bits({ quant_method: 'fp8', weight_block_size: [128, 128] }), 8);
  const mx = weightFormatFromQuantConfig({ quant_method: 'mxfp4' });
  assert.ok(mx && typeof mx !== 'string' && mx.scope === 'experts' && mx.bitsPerWeight === 4.25);
  assert.equal(typeof weightFormatFromQuantConfig({ quant_method: 'mystery' }), 'string');
  assert.equal(weightFormatFromQuantConfig(undefined), undefined);
});

test('parseHfConfig: the weight format and the vision tower (SigLIP-So400m ≈ 0.42 B) come with the architecture', () => {
  const r = parseHfConfig(JSON.stringify({ ...LLAMA_8B, quantization_config: { quant_method: 'gptq', bits: 4, group_size: 128 } }));
  assert.ok(r.ok && r.weightFormat?.bitsPerWeight === 4.156);
  const vl = parseHfConfig(JSON.stringify({ model_type: 'gemma3', text_config: { ...LLAMA_8B, model_type: 'gemma3_text' }, vision_config: { num_hidden_layers: 27, hidden_size: 1152, intermediate_size: 4304, patch_size: 14, hidden_act: 'gelu_pytorch_tanh' } }));
  assert.ok(vl.ok && vl.visionParams !== undefined);
  assert.ok(vl.visionParams > 0.41e9 && vl.visionParams < 0.44e9, String(vl.visionParams));
  const odd = parseHfConfig(JSON.stringify({ ...LLAMA_8B, quantization_config: { quant_method: 'mystery' } }));
  assert.ok(odd.ok && !odd.weightFormat && odd.warnings.some((w) => w.includes('mystery')));
});

test('derivative names resolve to the base architecture with the right weight format, and say so', () => {
  const cases: [string, string, number | undefined][] = [
    ['RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8-dynamic', 'llama-3.1-8b', 8],
    ['neuralmagic/Meta-Llama-3.1-8B-Instruct-quantized.w8a8', 'llama-3.1-8b', 8],
    ['neuralmagic/Meta-Llama-3.1-70B-Instruct-quantized.w4a16', 'llama-3.1-70b', 4.125],
    ['hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4', 'llama-3.1-8b', 4.25],
    ['Qwen/Qwen2.5-7B-Instruct-GPTQ-Int4', 'qwen2.5-7b-instruct', 4.25],
    ['Qwen/Qwen2.5-72B-Instruct-AWQ', 'qwen2.5-72b-instruct', 4.25],
    ['unsloth/Llama-3.2-1B-Instruct-bnb-4bit', 'llama-3.2-1b', 4.127],
    // The bit width spelled after the method (cyankiwi's names).
    ['cyankiwi/Qwen3.5-4B-AWQ-4bit', 'qwen3.5-4b', 4.25],
    ['x/Qwen3-8B-GPTQ-8bit', 'qwen3-8b', 8.19],
    ['Qwen/Qwen3-8B-FP8', 'qwen3-8b', 8],
    ['meta-llama/Llama-3.1-8B-Instruct', 'llama-3.1-8b', undefined],
    ['openai/gpt-oss-20b', 'gpt-oss-20b', 4.25],
    // A quantization-aware-trained build packed as compressed-tensors: qat and ct name how, w4a16 the format.
    ['google/gemma-4-E2B-it-qat-w4a16-ct', 'gemma-4-e2b', 4.125],
  ];
  for (const [name, id, bits] of cases) {
    const r = resolveModelName(name);
    assert.equal(r?.model.id, id, name);
    assert.equal(r?.weightFormat?.bitsPerWeight, bits, name);
  }
  assert.match(resolveModelName('RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8-dynamic')!.derivedFrom!, /read as Llama 3.1 8B/);
  assert.equal(resolveModelName('someone/Unknown-Model-AWQ'), undefined);
  // qat and ct without a format word: the weights' format is not known, so the name does not resolve.
  for (const name of ['google/gemma-4-E2B-it-ct', 'x/Llama-3.1-8B-Instruct-ct', 'google/gemma-4-E4B-it-qat']) assert.equal(resolveModelName(name), undefined, name);
  assert.equal(formatOfQuantization('constructor' as never), undefined);
  assert.equal(formatOfQuantization('__proto__' as never), undefined);
  assert.equal(formatOfQuantization('awq')?.bitsPerWeight, 4.25);
  assert.deepEqual(splitDerivativeName('Llama-3.1-8B').stripped, []);
  for (const id of ['granite-3.1-8b', 'gpt-oss-120b', 'kimi-k2', 'qwen1.5-moe-a2.7b']) assert.ok(findModel(id), id);
});

test('derivative names without a format suffix: date stamps and Thinking/Instruct words of a known base resolve to it; the DeepSeek-V3 family to the fp8 entry', () => {
  for (const name of ['deepseek-ai/DeepSeek-V3-0324', 'deepseek-ai/DeepSeek-R1-0528', 'deepseek-ai/DeepSeek-V3.1', 'deepseek-ai/DeepSeek-V3.1-Terminus']) {
    const r = resolveModelName(name);
    assert.equal(r?.model.id, 'deepseek-v3', name);
    assert.equal(r?.weightFormat?.family, 'fp8', name);
  }
  assert.equal(resolveModelName('Qwen/Qwen3-235B-A22B-Thinking-2507-FP8')?.model.id, 'qwen3-235b-a22b-2507', 'a dated revision with an entry of its own: the longest name the catalog has');
  assert.equal(resolveModelName('Qwen/Qwen3-235B-A22B-Thinking-2507-FP8')?.weightFormat?.family, 'fp8');
  assert.equal(resolveModelName('Qwen/Qwen3-235B-A22B-FP8')?.model.id, 'qwen3-235b-a22b');
  // The 2507 releases keep the architecture with a 262,144-token context (the original: 40,960).
  assert.equal(resolveModelName('Qwen/Qwen3-30B-A3B-Instruct-2507')?.model.architecture.maxContext, 262144);
  assert.deepEqual({ ...resolveModelName('Qwen/Qwen3-30B-A3B-Instruct-2507')!.model.architecture, maxContext: 0 }, { ...resolveModelName('Qwen/Qwen3-30B-A3B')!.model.architecture, maxContext: 0 });
  // What is left must be a catalog model: an unknown base still does not resolve.
  assert.equal(resolveModelName('someone/Unknown-Model-Instruct-2507'), undefined);
});

test('Kimi-K2-Thinking is its own entry: int4 routed experts (group 32, bf16 scales), attention, shared experts and the dense layer in bf16', () => {
  const r = resolveModelName('moonshotai/Kimi-K2-Thinking');
  assert.equal(r?.model.id, 'kimi-k2-thinking');
  assert.equal(r?.weightFormat?.bitsPerWeight, 4.5);
  assert.deepEqual(r?.weightFormat?.kept, ['attention', 'shared', 'mlp']);
  assert.equal(resolveModelName('moonshotai/Kimi-K2-Instruct')?.model.id, 'kimi-k2', 'the Instruct release stays fp8');
  // Some 594 GB as released: about 69 GiB per GPU at TP 8, where the fp8 release is about 121 GiB.
  const e = estimateInferenceService(service({ model: { preset: 'kimi-k2-thinking' }, tensorParallel: 8, maxModelLen: 131072 }), cluster('H200-SXM-141GB', 8));
  assert.ok(near(e.serving!.weightsBytes / GIB, 69.2, 0.04), String(e.serving!.weightsBytes / GIB));
});

test('catalog params for the new models match their published totals', () => {
  // gpt-oss 20.9 B / 120B 116.8 B and Qwen1.5-MoE 14.3 B are published totals; granite 3.1 8B is 8.17 B by its config.
  const e = estimateInferenceService(service({ model: { preset: 'ibm-granite/granite-3.1-8b-instruct' }, maxModelLen: 8192 }), cluster('H100-SXM-80GB', 1));
  assert.ok(near(e.model!.params, 8.17e9, 0.02), String(e.model!.params));
  // Entered 2026-12-07: MiniMax-M2 228.7 B (its safetensors total), Seed-OSS-36B 36.15 B (its index), GLM-4.6 355 B
  // (its report; the formula leaves out the MTP layer, which loads only under MTP), EXAONE 4.0 32B 30.95 B without embeddings.
  const total = (preset: string) => estimateInferenceService(service({ model: { preset }, maxModelLen: 8192 }), cluster('H100-SXM-80GB', 8)).model!.params;
  assert.ok(near(total('MiniMaxAI/MiniMax-M2.7'), 228.7e9, 0.01), String(total('MiniMaxAI/MiniMax-M2.7')));
  assert.ok(near(total('ByteDance-Seed/Seed-OSS-36B-Instruct'), 36.15e9, 0.01));
  assert.ok(near(total('zai-org/GLM-4.6'), 355e9, 0.02));
  assert.ok(near(total('LGAI-EXAONE/EXAONE-4.0-32B') - 2 * 102400 * 5120, 30.95e9, 0.01));
  // A derivative of one of them by name: the AWQ repo of a third party.
  assert.equal(resolveModelName('QuantTrio/GLM-4.6-AWQ')?.model.id, 'glm-4.6');
  // Qwen3-VL 8B 8.77 B (its checkpoint: 0.576 B vision + 8.19 B), Qwen3.5-122B-A10B 122 B / 10 B active.
  assert.ok(near(total('Qwen/Qwen3-VL-8B-Instruct'), 8.767e9, 0.01), String(total('Qwen/Qwen3-VL-8B-Instruct')));
  const q122 = estimateInferenceService(service({ model: { preset: 'RedHatAI/Qwen3.5-122B-A10B-FP8-dynamic' }, maxModelLen: 8192 }), cluster('H100-SXM-80GB', 8)).model!;
  assert.ok(near(q122.params, 122e9, 0.01) && near(q122.activeParams!, 10e9, 0.03), `${q122.params} ${q122.activeParams}`);
  // Qwen3-VL 2B 2.13 B (its 4.26 GB bf16 model.safetensors) and 235B-A22B 235.7 B / 22.8 B active with its vision tower (published 235B-A22B);
  // Nemotron 3 Super 120.5 B / 12.6 B active (its card: 120B, 12B) through an FP8 repo's name.
  assert.ok(near(total('Qwen/Qwen3-VL-2B-Instruct'), 2.13e9, 0.01), String(total('Qwen/Qwen3-VL-2B-Instruct')));
  const q235 = estimateInferenceService(service({ model: { preset: 'Qwen/Qwen3-VL-235B-A22B-Instruct' }, maxModelLen: 8192, tensorParallel: 8 }), cluster('H100-SXM-80GB', 8)).model!;
  assert.ok(near(q235.params, 235.7e9, 0.01) && near(q235.activeParams!, 22.77e9, 0.01), `${q235.params} ${q235.activeParams}`);
  assert.equal(resolveModelName('nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-FP8')?.model.id, 'nemotron-3-super-120b-a12b');
  const sup = estimateInferenceService(service({ model: { preset: 'nemotron-3-super-120b-a12b' }, maxModelLen: 8192, tensorParallel: 4 }), cluster('H100-SXM-80GB', 8)).model!;
  assert.ok(near(sup.params, 120.5e9, 0.01) && near(sup.activeParams!, 12.6e9, 0.02), `${sup.params} ${sup.activeParams}`);
});

test("the Qwen VL line's vision tower is counted through its patch merger (and deepstack mergers): Qwen3-VL-8B 576 M, Qwen2.5-VL-7B 676 M", () => {
  const qwen3vl = { depth: 27, hidden_size: 1152, intermediate_size: 4304, num_heads: 16, patch_size: 16, temporal_patch_size: 2, spatial_merge_size: 2, out_hidden_size: 4096, deepstack_visual_indexes: [8, 16, 24], in_channels: 3, num_position_embeddings: 2304, hidden_act: 'gelu_pytorch_tanh' };
  // Its checkpoint's vision tower: 576.4 M.
  assert.ok(near(visionParams(qwen3vl, 4096, true)!, 576.4e6, 0.005), String(visionParams(qwen3vl, 4096, true)));
  const qwen25vl = { depth: 32, hidden_size: 1280, intermediate_size: 3420, num_heads: 16, patch_size: 14, temporal_patch_size: 2, spatial_merge_size: 2, out_hidden_size: 3584, in_chans: 3, hidden_act: 'silu' };
  assert.ok(near(visionParams(qwen25vl, 3584, true)!, 675e6, 0.01), String(visionParams(qwen25vl, 3584, true)));
  // A merge size out of range makes the count unusable, not giant.
  assert.equal(visionParams({ ...qwen3vl, spatial_merge_size: 0 }, 4096, true), undefined);
  assert.equal(visionParams({ ...qwen3vl, num_position_embeddings: 1e12 }, 4096, true), undefined);
  // Outside the Qwen line (GLM-4.1V gives a spatial_merge_size too, with another merger) the projector is counted as before.
  assert.ok(visionParams(qwen3vl, 4096)! < visionParams(qwen3vl, 4096, true)!);
  const viaConfig = parseHfConfig(JSON.stringify({ model_type: 'qwen3_vl', text_config: { hidden_size: 4096, intermediate_size: 12288, num_hidden_layers: 36, num_attention_heads: 32, num_key_value_heads: 8, head_dim: 128, vocab_size: 151936 }, vision_config: qwen3vl }));
  assert.ok(viaConfig.ok && near(viaConfig.visionParams!, 576.4e6, 0.005));
});

test('serving: an fp8-dynamic derivative loads 8-bit linears (SV-019: 8.49 GiB measured with q=fp8) and the estimate says so', () => {
  const e = estimateInferenceService(service({ model: { preset: 'RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8-dynamic' }, gpuMemoryUtilization: 0.95, maxModelLen: 8192 }), cluster('H100-SXM-80GB', 1));
  assert.ok(near(e.serving!.weightsBytes / GIB, 8.49, 0.02), String(e.serving!.weightsBytes / GIB));
  assert.ok(e.assumptions.some((a) => a.includes('read as Llama 3.1 8B')));
  // gpt-oss-20b on one H100: experts at 4.25 bits, the rest in bf16: ≈ 12.8 GiB (vLLM logs ~13 GiB).
  const g = estimateInferenceService(service({ model: { preset: 'openai/gpt-oss-20b' }, maxModelLen: 8192 }), cluster('H100-SXM-80GB', 1));
  assert.ok(g.serving!.weightsBytes / GIB > 11.5 && g.serving!.weightsBytes / GIB < 14, String(g.serving!.weightsBytes / GIB));
  // An explicit spec.quantization wins over the name.
  const q = estimateInferenceService(service({ model: { preset: 'RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8-dynamic' }, quantization: 'awq', maxModelLen: 8192 }), cluster('H100-SXM-80GB', 1));
  assert.ok(q.serving!.weightsBytes < e.serving!.weightsBytes);
  // Training names the checkpoint format but trains in the training precision.
  const t = estimateTrainingJob(job({ model: { preset: 'Qwen/Qwen2.5-7B-Instruct-GPTQ-Int4' }, batch: { micro: 1, global: 1, sequenceLength: 1024 } }), cluster('H100-SXM-80GB', 1));
  assert.ok(t.assumptions.some((a) => a.includes('loaded in the training precision')));
});

test('a model given by Hugging Face id is read from the local cache: refs/main → snapshots/<commit>/config.json', () => {
  const hub = path.join(path.sep, 'cache', 'hub');
  const dir = path.join(hub, 'models--acme--Tiny-LM-7B');
  const files = new Map<string, string>([
    [path.join(dir, 'refs', 'main'), 'abc1234def5678\n'],
    [path.join(dir, 'snapshots', 'abc1234def5678', 'config.json'), JSON.stringify(LLAMA_8B)],
  ]);
  const asked: string[] = [];
  const read = (p: string) => {
    asked.push(p);
    return files.get(p);
  };
  const e = estimateInferenceService(service({ model: { preset: 'acme/Tiny-LM-7B' }, maxModelLen: 8192 }), cluster('H100-SXM-80GB', 1), { resolveConfig: read, hfHubCache: hub });
  assert.ok(e.ok, JSON.stringify(e.findings));
  assert.equal(e.serving!.kvBytesPerToken, 131072);
  assert.ok(e.assumptions.some((a) => a.includes('local Hugging Face cache')));
  assert.deepEqual(asked, [...files.keys()]);
  // Not in the cache: the error says so; while the editor reads in the background, nothing is said.
  const miss = estimateInferenceService(service({ model: { preset: 'acme/Other' } }), undefined, { resolveConfig: () => undefined, hfHubCache: hub });
  assert.match(miss.findings[0].message, /not in the local Hugging Face cache/);
  const pending = Object.assign(() => undefined, { why: () => 'pending' });
  const wait = estimateInferenceService(service({ model: { preset: 'acme/Other' } }), undefined, { resolveConfig: pending, hfHubCache: hub });
  assert.deepEqual(wait.findings, []);
  // A name that is not a repo id (or tries to climb out of the cache) is never looked up.
  assert.equal(repoIdParts('../etc/passwd'), undefined);
  assert.equal(repoIdParts('a/..'), undefined);
  assert.equal(repoIdParts('a/b/c'), undefined);
});

test('a model that is in the cache but cannot be read there is said so, with the reason, not "not in the cache"', () => {
  const hub = path.join(path.sep, 'cache', 'hub');
  const dir = path.join(hub, 'models--acme--Zero');
  const ref = path.join(dir, 'refs', 'main');
  const cfg = path.join(dir, 'snapshots', 'abc1234def5678', 'config.json');
  // A reader as the editor's and the CLI's are: undefined and a reason (readBeside.ts).
  const reader = (files: Map<string, string>, why: Map<string, string>) => Object.assign((p: string) => files.get(p), { why: (p: string) => why.get(p) ?? (files.has(p) ? undefined : 'no such file') });
  const first = (read: ReturnType<typeof reader>, at = hub) => estimateInferenceService(service({ model: { preset: 'acme/Zero' } }), undefined, { resolveConfig: read, hfHubCache: at }).findings[0];
  const estimate = (read: ReturnType<typeof reader>) => first(read)?.message ?? '';
  // config.json is a device (a link to /dev/zero): never read; the message names why and where, and drops the catalog hint.
  const device = first(reader(new Map([[ref, 'abc1234def5678']]), new Map([[cfg, 'not a regular file']])));
  assert.match(device.message, /it is in the local Hugging Face cache, but its config\.json there cannot be read \(not a regular file: /);
  assert.ok(device.message.includes('abc1234def5678') && device.message.includes('a readable copy of its config.json'), device.message);
  assert.doesNotMatch(device.message, /not in the local Hugging Face cache|did you mean/);
  assert.match(device.reason ?? '', /^it is in the local Hugging Face cache, but/);
  // The snapshot has no config.json; refs/main holds no commit hash.
  assert.match(estimate(reader(new Map([[ref, 'abc1234def5678']]), new Map())), /but there is no config\.json at '/);
  assert.match(estimate(reader(new Map([[ref, 'not a hash']]), new Map())), /its refs\/main there does not hold a commit hash/);
  // refs/main cannot be read (a folder above it not searchable): that says nothing of whether the model is there.
  const denied = estimate(reader(new Map(), new Map([[ref, 'permission denied']])));
  assert.match(denied, /the local Hugging Face cache's refs\/main for it cannot be read \(permission denied/);
  assert.doesNotMatch(denied, /it is in the local Hugging Face cache/);
  // No refs/main at all: not cached, and where it was looked for.
  assert.match(estimate(reader(new Map(), new Map())), /not in the local Hugging Face cache \(no '.*refs.main'\)/);
  // While the editor reads config.json in the background, nothing is said yet.
  assert.equal(first(reader(new Map([[ref, 'abc1234def5678']]), new Map([[cfg, 'pending']]))), undefined);
  // A long hub path keeps its end (the repo, the commit and the file) and stays bounded.
  const deep = path.join(path.sep, 'mnt', 'x'.repeat(300), 'hub');
  const deepRef = path.join(deep, 'models--acme--Zero', 'refs', 'main');
  const long = first(reader(new Map([[deepRef, 'abc1234def5678']]), new Map([[path.join(deep, 'models--acme--Zero', 'snapshots', 'abc1234def5678', 'config.json'), 'not a regular file']])), deep).message;
  assert.ok(long.includes('abc1234def5678') && long.includes('config.json') && long.includes('…') && long.length < 500, long);
});

test('the hub cache folder honours HF_HUB_CACHE, then HF_HOME, then XDG_CACHE_HOME, then ~/.cache', () => {
  assert.equal(hfHubCacheDir({ HF_HUB_CACHE: '/x/hub', HF_HOME: '/y' }, '/home/u'), '/x/hub');
  assert.equal(hfHubCacheDir({ HF_HOME: '/y' }, '/home/u'), path.join('/y', 'hub'));
  assert.equal(hfHubCacheDir({ XDG_CACHE_HOME: '/c' }, '/home/u'), path.join('/c', 'huggingface', 'hub'));
  assert.equal(hfHubCacheDir({}, '/home/u'), path.join('/home/u', '.cache', 'huggingface', 'hub'));
});
