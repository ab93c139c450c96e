// Gemma 4: every sixth layer attends to the whole context with heads of its own shape (global_head_dim 512,
// num_global_key_value_heads, attention_k_eq_v: no V projection), the others slide over 1,024 tokens with
// 256-wide heads. The 26B-A4B runs a dense MLP beside 128 experts. Read from config.json (text_config) into
// architecture.globalAttention; the catalog's two entries are that reading of the published configs, and
// their totals match the model card (30.7 B; 25.2 B total, 3.8 B active). vLLM caches each kind at its own
// size and unifies the page: the kind that caches less per token holds more tokens in a block.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseHfConfig } from '../../../core/catalog/hfConfig';
import { findModel } from '../../../core/catalog/models';
import { attentionShapeOf, countParams } from '../../../core/estimate/params';
import { estimateInferenceService, estimateTrainingJob } from '../../../core/estimate/index';
import { slidingPool } from '../../../core/estimate/serving';
import type { Architecture } from '../../../core/spec/types';
import { GIB, cluster, job, near, service } from '../estimate/helpers';

const layerTypes = (n: number) => Array.from({ length: n }, (_, i) => ((i + 1) % 6 === 0 ? 'full_attention' : 'sliding_attention'));

const TEXT_31B = {
  model_type: 'gemma4_text',
  num_hidden_layers: 60,
  hidden_size: 5376,
  intermediate_size: 21504,
  num_attention_heads: 32,
  num_key_value_heads: 16,
  head_dim: 256,
  global_head_dim: 512,
  num_global_key_value_heads: 4,
  attention_k_eq_v: true,
  sliding_window: 1024,
  layer_types: layerTypes(60),
  vocab_size: 262144,
  max_position_embeddings: 262144,
  hidden_activation: 'gelu_pytorch_tanh',
  enable_moe_block: false,
  num_experts: null,
  top_k_experts: null,
  num_kv_shared_layers: 0,
  hidden_size_per_layer_input: null,
  tie_word_embeddings: true,
};

const TEXT_26B = {
  ...TEXT_31B,
  num_hidden_layers: 30,
  hidden_size: 2816,
  intermediate_size: 2112,
  num_attention_heads: 16,
  num_key_value_heads: 8,
  num_global_key_value_heads: 2,
  layer_types: layerTypes(30),
  enable_moe_block: true,
  num_experts: 128,
  top_k_experts: 8,
  expert_intermediate_size: 704,
};

const wrap = (text: object) => JSON.stringify({ architectures: ['Gemma4ForConditionalGeneration'], model_type: 'gemma4', text_config: text, tie_word_embeddings: true });

test('config.json: Gemma 4 global layers are read with their own head width, KV heads and k_eq_v', () => {
  const r = parseHfConfig(wrap(TEXT_31B));
  assert.ok(r.ok);
  const a = r.architecture;
  assert.deepEqual(a.globalAttention, { layers: 10, headDim: 512, kvHeads: 4, kEqV: true });
  assert.equal(a.slidingWindow, 1024);
  assert.equal(a.headDim, 256);
  assert.equal(a.kvHeads, 16);
  assert.equal(a.moe, undefined);
  assert.equal(a.tiedEmbeddings, true);
  // The catalog entry is this reading, and the shape of the published assistant drafter (a checkpoint of its own).
  const { mtpAssistant, ...cat } = findModel('gemma-4-31b')!.architecture;
  assert.ok(mtpAssistant);
  assert.deepEqual({ ...a, gatedMlp: cat.gatedMlp }, cat);
});

test('config.json: Gemma 4 26B-A4B reads top_k_experts, and the dense MLP beside the experts as shared expert widths', () => {
  const r = parseHfConfig(wrap(TEXT_26B));
  assert.ok(r.ok);
  assert.deepEqual(r.architecture.moe, { experts: 128, activeExperts: 8, expertFfn: 704, sharedExperts: 3 });
  assert.deepEqual(r.architecture.globalAttention, { layers: 5, headDim: 512, kvHeads: 2, kEqV: true });
  assert.deepEqual(r.warnings, []);
  const { mtpAssistant: _, ...cat26 } = findModel('gemma-4-26b-a4b')!.architecture;
  assert.deepEqual(r.architecture, cat26);
  // A dense MLP that is not a whole number of expert widths is rounded, and said.
  const odd = parseHfConfig(wrap({ ...TEXT_26B, intermediate_size: 2000 }));
  assert.ok(odd.ok);
  assert.equal(odd.architecture.moe!.sharedExperts, 3);
  assert.match(odd.warnings.join('\n'), /intermediate_size 2000\) is counted as 3 expert widths of 704/);
});

test('config.json: sliding_window_pattern alone gives the global layers; no window or no pattern gives none', () => {
  const { layer_types: _, global_head_dim: __, attention_k_eq_v: ___, ...rest } = TEXT_31B;
  const byPattern = parseHfConfig(wrap({ ...rest, sliding_window_pattern: 6 }));
  assert.ok(byPattern.ok);
  assert.deepEqual(byPattern.architecture.globalAttention, { layers: 10 });
  const noWindow = parseHfConfig(wrap({ ...TEXT_31B, sliding_window: null }));
  assert.ok(noWindow.ok);
  assert.equal(noWindow.architecture.globalAttention, undefined);
  const noPattern = parseHfConfig(wrap({ ...rest }));
  assert.ok(noPattern.ok);
  assert.equal(noPattern.architecture.globalAttention, undefined);
});

// E4B's shape (42 layers, the last 18 reuse an earlier layer's cache; global layers of 512-wide heads with the
// sliding layers' 2 KV heads, no k_eq_v) and E2B's (35 layers, every fifth global, 20 shared, double-wide MLP).
const TEXT_E4B = {
  ...TEXT_31B,
  num_hidden_layers: 42,
  layer_types: layerTypes(42),
  hidden_size: 2560,
  intermediate_size: 10240,
  num_attention_heads: 8,
  num_key_value_heads: 2,
  num_global_key_value_heads: null,
  attention_k_eq_v: false,
  sliding_window: 512,
  hidden_size_per_layer_input: 256,
  vocab_size_per_layer_input: 262144,
  num_kv_shared_layers: 18,
};

test('config.json: per-layer embeddings are counted, and KV-shared layers read with their global ones', () => {
  const r = parseHfConfig(JSON.stringify({ model_type: 'gemma4', text_config: TEXT_E4B, audio_config: { hidden_size: 1024 } }));
  assert.ok(r.ok);
  assert.equal(r.perLayerEmbeddingParams, 42 * 256 * (262144 + 3 * 2560));
  // Layers 24–41 share; of them 29, 35 and 41 are global.
  assert.deepEqual(r.architecture.kvShared, { layers: 18, global: 3 });
  assert.deepEqual(r.architecture.globalAttention, { layers: 7, headDim: 512 });
  assert.match(r.warnings.join('\n'), /audio_config: the audio tower is not counted/);
  const e2bTypes = Array.from({ length: 35 }, (_, i) => ((i + 1) % 5 === 0 ? 'full_attention' : 'sliding_attention'));
  const e2b = parseHfConfig(wrap({ ...TEXT_E4B, num_hidden_layers: 35, layer_types: e2bTypes, hidden_size: 1536, intermediate_size: 6144, num_key_value_heads: 1, num_kv_shared_layers: 20, use_double_wide_mlp: true }));
  assert.ok(e2b.ok);
  assert.deepEqual(e2b.architecture.kvShared, { layers: 20, global: 4 });
  assert.equal(e2b.architecture.globalAttention!.layers, 7);
  assert.equal(e2b.architecture.ffn, Math.round((6144 * 55) / 35));
  assert.match(e2b.warnings.join('\n'), /use_double_wide_mlp: the 20 KV-shared layers' MLP is 2 × 6144/);
});

test('estimate: KV-shared layers cache nothing; the pool groups the 24 layers that do (E4B: 4 global, 20 sliding)', () => {
  const r = parseHfConfig(wrap(TEXT_E4B));
  assert.ok(r.ok);
  const on = cluster('RTX-4090-24GB', 1);
  const e = estimateInferenceService(service({ model: { architecture: r.architecture }, engineVersion: '0.19.0', maxModelLen: 32768 }), on);
  const s = e.serving!;
  // bf16: a sliding layer 2 × 2 × 256 × 2 B per token, a global one 2 × 2 × 512 × 2 B.
  assert.equal(s.kvBytesPerToken, 20 * 2 * 2 * 256 * 2 + 4 * 2 * 2 * 512 * 2);
  const text = e.assumptions.join('\n');
  assert.match(text, /4 full-attention and 20 sliding-window layers \(window 512\).*32 tokens in a sliding-window group and 16 in a full-attention group/);
  assert.match(text, /KV sharing: the last 18 layers \(3 of them global\) reuse the KV cache/);
  // A user's kvShared that leaves no layer with a cache is refused at the field.
  const bad = estimateInferenceService(service({ model: { architecture: { ...r.architecture, kvShared: { layers: 42 } } } }), on);
  const f = bad.findings.find((x) => x.code === 'bad-estimate-input')!;
  assert.deepEqual(f.path, ['spec', 'model', 'architecture', 'kvShared', 'layers']);
  const tooMany = estimateInferenceService(service({ model: { architecture: { ...r.architecture, kvShared: { layers: 18, global: 9 } } } }), on);
  assert.match(tooMany.findings.find((x) => x.code === 'bad-estimate-input')!.message, /kvShared\.global must be an integer between 0 and 7/);
});

test('catalog: Gemma 4 parameters match the model card (31B 30.7 B; 26B-A4B 25.2 B total, 3.8 B active)', () => {
  const g31 = findModel('gemma-4-31b')!;
  const p31 = countParams(g31.architecture);
  assert.ok(near(p31.total, 30.7e9, 0.005), String(p31.total));
  const g26 = findModel('gemma-4-26b-a4b')!;
  const p26 = countParams(g26.architecture);
  assert.ok(near(p26.total, 25.2e9, 0.005), String(p26.total));
  assert.ok(near(p26.active, 3.8e9, 0.01), String(p26.active));
  // Without k_eq_v the global layers would add a V projection each: 10 × 5376 × 4 × 512.
  const withV: Architecture = { ...g31.architecture, globalAttention: { ...g31.architecture.globalAttention!, kEqV: false } };
  assert.equal(countParams(withV).total - p31.total, 10 * 5376 * 4 * 512);
});

test('the attention shape for per-token widths averages the two kinds of layer; other models keep theirs', () => {
  const a = findModel('gemma-4-31b')!.architecture;
  const s = attentionShapeOf(a);
  assert.equal(s.hd, (50 * 256 + 10 * 512) / 60);
  assert.ok(Math.abs(s.kv * s.hd - (50 * 16 * 256 + 10 * 4 * 512) / 60) < 1e-6);
  assert.deepEqual(attentionShapeOf(findModel('llama-3.1-8b')!.architecture), { hd: 128, kv: 8 });
});

test('sliding-window pool with two page sizes: the full-attention layers hold twice the tokens per block', () => {
  // Gemma 4 31B on one GPU, bf16 KV: a sliding layer caches 2 × 16 × 256 × 2 B per token, a global one 2 × 4 × 512 × 2 B.
  const s = { full: 10, sliding: 50, window: 1024, attnBytesPerTokenPerLayer: 2 * 16 * 256 * 2, fullBytesPerTokenPerLayer: 2 * 4 * 512 * 2 };
  const p = slidingPool(s, 10 * GIB, 8192, 16, 2048, false)!;
  assert.equal(p.pageBytes, 16 * 2 * 16 * 256 * 2);
  assert.deepEqual([p.blockSize, p.otherBlockSize], [32, 16]);
  assert.deepEqual([p.groupSize, p.fullGroups, p.otherGroups], [10, 1, 5]);
  assert.equal(p.blocks, Math.floor((10 * GIB) / (p.pageBytes * 10)));
  // A request: 8,192 / 32 = 256 blocks of full attention; ceil((1,024 − 1 + 2,048) / 16) + 1 = 193 in each sliding group.
  assert.equal(p.otherBlocksPerRequest, 193);
  assert.equal(p.blocksPerRequest, 256 + 5 * 193);
  // Through 0.20.0 vLLM prints blocks ÷ groups × the smaller block.
  assert.equal(p.tokens, Math.floor(p.blocks / 6) * 16);
  assert.equal(p.requestBytes, (10 * 256 + 50 * 193) * p.pageBytes);
  // The other way round: sliding layers that cache less get the larger blocks.
  const q = slidingPool({ ...s, attnBytesPerTokenPerLayer: 2 * 4 * 512 * 2, fullBytesPerTokenPerLayer: 2 * 16 * 256 * 2 }, 10 * GIB, 8192, 16, 2048, false)!;
  assert.deepEqual([q.blockSize, q.otherBlockSize], [16, 32]);
  assert.equal(q.otherBlocksPerRequest, Math.ceil(3071 / 32) + 1);
  // Page sizes that are not whole multiples: the smaller is padded to the larger (later vLLM's page_size_padded), one block size.
  const padded = slidingPool({ ...s, fullBytesPerTokenPerLayer: 3 * 1024 }, 10 * GIB, 8192, 16, 2048, false)!;
  assert.equal(padded.padded, true);
  assert.deepEqual([padded.blockSize, padded.otherBlockSize, padded.pageBytes], [16, 16, 16 * 2 * 16 * 256 * 2]);
});

test('estimate: global layers whose page does not divide the sliding one are padded and said, not counted as full attention', () => {
  const a = { ...findModel('gemma-4-31b')!.architecture, globalAttention: { layers: 10, headDim: 384, kvHeads: 4 } };
  const e = estimateInferenceService(service({ model: { architecture: a, weights: 'google/gemma-4-31B-it' }, engineVersion: '0.21.0', maxModelLen: 8192 }), cluster('H100-SXM-80GB', 8));
  const text = e.assumptions.join('\n');
  assert.match(text, /the smaller page is padded to the larger/);
  assert.doesNotMatch(text, /layer pattern is not known/);
  // Every layer global: said as such.
  const all = estimateInferenceService(service({ model: { architecture: { ...a, globalAttention: { layers: 60 } } }, engineVersion: '0.21.0', maxModelLen: 8192 }), cluster('H100-SXM-80GB', 8));
  assert.match(all.assumptions.join('\n'), /Every layer attends to the whole context/);
});

test('estimate: speculative decoding keeps the sliding-window layout; a drafter layer is one more full-attention layer', () => {
  const on = cluster('H100-SXM-80GB', 8);
  const base = { model: { preset: 'gemma-3-27b' }, engineVersion: '0.21.0', maxModelLen: 16384 } as const;
  const plain = estimateInferenceService(service(base), on);
  const ngram = estimateInferenceService(service({ ...base, speculative: { method: 'ngram', tokens: 4 } }), on);
  const eagle = estimateInferenceService(service({ ...base, speculative: { method: 'eagle3', tokens: 3 } }), on);
  assert.match(plain.assumptions.join('\n'), /Sliding window: 10 full-attention and 52 sliding-window layers/);
  assert.match(ngram.assumptions.join('\n'), /Sliding window: 10 full-attention and 52 sliding-window layers/);
  assert.match(eagle.assumptions.join('\n'), /Sliding window: 11 full-attention and 52 sliding-window layers/);
  assert.equal(ngram.serving!.maxConcurrency, plain.serving!.maxConcurrency);
  assert.ok(eagle.serving!.maxConcurrency < plain.serving!.maxConcurrency);
  // Beside Gemma 4's wider global layers the drafter's would be a third kind: said, not called an unknown pattern.
  const g4 = estimateInferenceService(service({ model: { preset: 'gemma-4-31b' }, engineVersion: '0.21.0', maxModelLen: 16384, speculative: { method: 'eagle3', tokens: 3 } }), on);
  assert.match(g4.assumptions.join('\n'), /eagle3 drafter's layer would be a third kind of KV layer/);
});

test('estimate: the shorter maxModelLen a sliding-window pool holds counts the window at that length, and fits', () => {
  const on = cluster('H100-SXM-80GB', 8);
  const doc = service({ model: { preset: 'gemma-4-31b' }, engineVersion: '0.21.0', maxModelLen: 32768, gpuMemoryUtilization: 0.87 });
  const e = estimateInferenceService(doc, on);
  const f = e.findings.find((x) => x.code === 'kv-cache-too-small')!;
  assert.ok(f, 'the pool is too small for one 32,768-token request');
  const fix = f.fixes!.find((x) => x.title.startsWith('Lower maxModelLen'))!;
  assert.ok(fix, f.fixes!.map((x) => x.title).join(' | '));
  const len = fix.edits[0].value as number;
  assert.ok(len > 1024 && len < 32768, String(len));
  const after = estimateInferenceService(service({ ...doc.spec, maxModelLen: len }), on);
  assert.ok(after.ok, after.findings.map((x) => x.message).join('; '));
  assert.ok(after.serving!.maxConcurrency >= 1);
});

test('config.json: Gemma 4 fields that cannot be read are said, not dropped in silence', () => {
  const warn = (t: object) => {
    const r = parseHfConfig(wrap(t));
    assert.ok(r.ok);
    return r.warnings.join('\n');
  };
  assert.match(warn({ ...TEXT_31B, global_head_dim: '512' }), /global_head_dim must be a whole number .*got "512"/);
  assert.match(warn({ ...TEXT_31B, attention_k_eq_v: 'yes' }), /attention_k_eq_v must be true or false/);
  assert.match(warn({ ...TEXT_31B, num_global_key_value_heads: 0 }), /num_global_key_value_heads must be a whole number/);
  assert.match(warn({ ...TEXT_31B, layer_types: layerTypes(59) }), /layer_types is not a list of 60 entries/);
  assert.match(warn({ ...TEXT_31B, layer_types: layerTypes(60).map(() => 'sliding_attention') }), /names no full_attention layer/);
  assert.match(warn({ ...TEXT_31B, hidden_size_per_layer_input: 1e9 }), /hidden_size_per_layer_input must be a whole number .*per-layer embeddings not counted/);
  assert.match(warn({ ...TEXT_31B, num_kv_shared_layers: 60 }), /leaves no layer of the 60 with a KV cache of its own/);
  // A plain config says nothing.
  const plain = parseHfConfig(wrap(TEXT_31B));
  assert.ok(plain.ok);
  assert.deepEqual(plain.warnings, []);
});

test('estimate: a 4-bit format known from the repo name says what the name does not', () => {
  const e = estimateInferenceService(service({ model: { preset: 'nvidia/Gemma-4-31B-IT-NVFP4' }, tensorParallel: 2, maxModelLen: 4096 }), cluster('H100-SXM-80GB', 8));
  assert.match(e.assumptions.join('\n'), /Some exports keep attention \(or more\) in bf16 or FP8, which the name does not say/);
  const bf16 = estimateInferenceService(service({ model: { preset: 'gemma-4-31b' }, tensorParallel: 2, maxModelLen: 4096 }), cluster('H100-SXM-80GB', 8));
  assert.doesNotMatch(bf16.assumptions.join('\n'), /which the name does not say/);
});

test('estimate: Gemma 4 31B under vLLM caches each kind at its size and loads a V slot for the k_eq_v layers', () => {
  const on = cluster('H100-SXM-80GB', 8);
  const e = estimateInferenceService(service({ model: { preset: 'gemma-4-31b' }, engineVersion: '0.19.0', maxModelLen: 8192 }), on);
  const s = e.serving!;
  assert.equal(s.kvBytesPerToken, 50 * 2 * 16 * 256 * 2 + 10 * 2 * 4 * 512 * 2);
  assert.match(e.assumptions.join('\n'), /10 full-attention and 50 sliding-window layers .*16 tokens in a sliding-window group and 32 in a full-attention group/);
  // The V slot: 10 layers × 5376 × (4 × 512) in bf16, on top of the checkpoint's parameters.
  const m = findModel('gemma-4-31b')!;
  const checkpoint = countParams(m.architecture, { extraParams: m.extraParams }).total * 2;
  assert.ok(Math.abs(s.weightsBytes - checkpoint - 10 * 5376 * 4 * 512 * 2) < 1e3, String(s.weightsBytes - checkpoint));
  // Tensor parallel 2 halves each kind's KV heads.
  const tp2 = estimateInferenceService(service({ model: { preset: 'gemma-4-31b' }, engineVersion: '0.19.0', maxModelLen: 8192, tensorParallel: 2 }), on).serving!;
  assert.equal(tp2.kvBytesPerToken, s.kvBytesPerToken / 2);
});

test('training: a Gemma 4 fine-tune estimates, and an architecture with a bad globalAttention is refused at the field', () => {
  const on = cluster('H100-SXM-80GB', 8);
  const ok = estimateTrainingJob(job({ model: { preset: 'gemma-4-26b-a4b' }, batch: { micro: 1, sequenceLength: 4096 }, resources: { nodes: 1, gpusPerNode: 8 }, parallelism: { fsdp: 'full' } }), on);
  assert.ok(ok.memory && ok.memory.perGpu.deviceBytes > 0 && Number.isFinite(ok.memory.perGpu.deviceBytes));
  const arch = { ...findModel('gemma-4-31b')!.architecture, globalAttention: { layers: 10, kvHeads: 64 } };
  const bad = estimateInferenceService(service({ model: { architecture: arch } }), on);
  const f = bad.findings.find((x) => x.code === 'bad-estimate-input')!;
  assert.match(f.message, /globalAttention\.kvHeads must be an integer between 1 and 32/);
  assert.deepEqual(f.path, ['spec', 'model', 'architecture', 'globalAttention', 'kvHeads']);
});

test('training fixes: a change that saves under 1 % and does not fit is not offered (8-bit AdamW on a LoRA job)', () => {
  const on = cluster('H100-SXM-80GB', 8);
  const e = estimateTrainingJob(
    job({
      model: { preset: 'gemma-4-31b' },
      finetune: { method: 'lora', rank: 16 },
      optimizer: { type: 'adamw' },
      parallelism: { tensor: 4, data: 2 },
      batch: { micro: 1, global: 8, sequenceLength: 8192 },
      resources: { nodes: 1, gpusPerNode: 8 },
    }),
    on,
  );
  const f = e.findings.find((x) => x.code === 'memory-exceeds-capacity' || x.code === 'memory-near-capacity')!;
  assert.ok(f, 'the job is near or over capacity');
  const titles = f.fixes!.map((x) => x.title);
  assert.ok(titles.length > 0);
  assert.ok(!titles.some((t) => t.startsWith('Use 8-bit AdamW')), titles.join(' | '));
  assert.ok(
    titles.some((t) => /activation checkpointing/.test(t)),
    titles.join(' | '),
  );
});

test('catalog: Gemma 4 E2B and E4B are their configs read, and their totals match the model card (5.1 B; 8 B)', () => {
  const e4b = parseHfConfig(wrap({ ...TEXT_E4B, max_position_embeddings: 131072 }));
  assert.ok(e4b.ok);
  const cat4 = findModel('gemma-4-e4b')!;
  const drop = ({ mtpAssistant: _, ...a }: typeof cat4.architecture) => a;
  assert.deepEqual(e4b.architecture, drop(cat4.architecture));
  const e2bTypes = Array.from({ length: 35 }, (_, i) => ((i + 1) % 5 === 0 ? 'full_attention' : 'sliding_attention'));
  const e2b = parseHfConfig(wrap({ ...TEXT_E4B, num_hidden_layers: 35, layer_types: e2bTypes, hidden_size: 1536, intermediate_size: 6144, num_key_value_heads: 1, num_kv_shared_layers: 20, use_double_wide_mlp: true, max_position_embeddings: 131072 }));
  assert.ok(e2b.ok);
  const cat2 = findModel('gemma-4-e2b')!;
  assert.deepEqual(e2b.architecture, drop(cat2.architecture));
  // The catalog's extra parameters are the per-layer embeddings the config reading counts, and the towers.
  assert.ok(cat4.extraParams! > e4b.perLayerEmbeddingParams! && cat4.extraParams! < e4b.perLayerEmbeddingParams! + 0.5e9);
  assert.ok(cat2.extraParams! > e2b.perLayerEmbeddingParams! && cat2.extraParams! < e2b.perLayerEmbeddingParams! + 0.5e9);
  assert.ok(near(countParams(cat2.architecture, { extraParams: cat2.extraParams }).total, 5.1e9, 0.01));
  assert.ok(near(countParams(cat4.architecture, { extraParams: cat4.extraParams }).total, 8.0e9, 0.01));
});
