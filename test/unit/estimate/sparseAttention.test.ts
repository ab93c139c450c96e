import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { findModel, resolveModelName } from '../../../core/catalog/models';
import { parseHfConfig } from '../../../core/catalog/hfConfig';
import { estimateInferenceService } from '../../../core/estimate/index';
import { countParams, mlaAbsorbedCopyBytes } from '../../../core/estimate/params';
import { dsaKv } from '../../../core/estimate/sparseAttention';
import { kvCacheDtypeOfVllmWord } from '../../../core/formats/vllmArgs';
import { cluster, near, service } from './helpers';

// The byte counts below are the engines' own (vllm/v1/kv_cache_interface.py MLAAttentionSpec.real_page_size_bytes,
// deepseek_v2.py DeepseekV32IndexerCache): 656 = 512 fp8 + 4 × 4-byte scales + 64 × 2-byte rope; 132 = 128 fp8 + a scale.
const v32 = findModel('deepseek-v3.2')!.architecture;
const glm5 = findModel('glm-5')!.architecture;
const glm52 = findModel('glm-5.2')!.architecture;
const base = { engine: 'vllm', kvBytes: 2, maxModelLen: 65536, tokens: 8192, tp: 8 };

test('DSA: the latent layout by engine, release, cache dtype and GPU', () => {
  const bf16 = dsaKv(v32, { ...base, version: [0, 19, 0], cc: 90 })!;
  assert.equal(bf16.layout, 'dtype');
  assert.equal(bf16.perLayer, 1152 + 132);
  assert.equal(bf16.blockSize, 64);
  const hopperFp8 = dsaKv(v32, { ...base, version: [0, 19, 0], kvCacheDtype: 'fp8', cc: 90 })!;
  assert.equal(hopperFp8.layout, 'fp8_ds_mla');
  assert.equal(hopperFp8.perLayer, 656 + 132);
  // Compute capability 10.x runs an fp8 cache on FlashInfer's sparse MLA from 0.18: the plain 576-byte latent.
  assert.equal(dsaKv(v32, { ...base, version: [0, 19, 0], kvCacheDtype: 'fp8', cc: 100 })!.perLayer, 576 + 132);
  assert.equal(dsaKv(v32, { ...base, version: [0, 17, 0], kvCacheDtype: 'fp8', cc: 100 })!.perLayer, 656 + 132);
  // 0.11.0 took auto as fp8_ds_mla; 0.11.1 keeps the model's dtype.
  assert.equal(dsaKv(v32, { ...base, version: [0, 11, 0], cc: 90 })!.layout, 'fp8_ds_mla');
  assert.equal(dsaKv(v32, { ...base, version: [0, 11, 1], cc: 90 })!.layout, 'dtype');
  // fp8_e4m3 on Hopper: FlashMLA's sparse kernel refuses it, and the note says so.
  assert.match(dsaKv(v32, { ...base, version: [0, 26, 0], kvCacheDtype: 'fp8-e4m3', cc: 90 })!.note, /refuses fp8_e4m3/);
  // SGLang picks fp8 for DSA on 10.x by itself, and keeps no 64-token block of vLLM's.
  const sg = dsaKv(v32, { ...base, engine: 'sglang', cc: 100 })!;
  assert.equal(sg.perLayer, 656 + 132);
  assert.equal(sg.blockSize, undefined);
  assert.equal(dsaKv(v32, { ...base, engine: 'sglang', cc: 90 })!.layout, 'dtype');
  assert.equal(dsaKv(findModel('deepseek-v3')!.architecture, base), undefined);
});

test('DSA: an NVIDIA NVFP4 checkpoint with an fp8 KV quantization turns auto into fp8_e4m3 from vLLM 0.14', () => {
  const gb = dsaKv(glm5, { ...base, version: [0, 26, 0], cc: 100, checkpointFp8Kv: true })!;
  assert.equal(gb.layout, 'fp8');
  assert.match(gb.note, /checkpoint's FP8 KV quantization/);
  assert.equal(dsaKv(glm5, { ...base, version: [0, 13, 0], cc: 100, checkpointFp8Kv: true })!.layout, 'dtype');
});

test("DSA: IndexShare caches the indexer key on GLM-5.2's 21 selecting layers from vLLM 0.23, on all 78 before", () => {
  const shared = dsaKv(glm52, { ...base, version: [0, 26, 0], cc: 90 })!;
  assert.ok(Math.abs(shared.perLayer * 78 - (1152 * 78 + 132 * 21)) < 1e-6);
  assert.match(shared.note, /21 of 78 layers/);
  const all = dsaKv(glm52, { ...base, version: [0, 22, 0], cc: 90 })!;
  assert.equal(all.perLayer, 1152 + 132);
});

test("DSA: the workspace grows to the indexer's request; FlashMLA's first buffer stays beside it until 0.31", () => {
  const indexer = (logits: number) => 65536 * 40 * 132 + 2 ** 20 + 8192 * 2049 * 4 + logits;
  const first = 8192 * 16 * 576 * 2 + 65536 * 5 * 576 * 2;
  const ws = dsaKv(v32, { ...base, version: [0, 19, 0], kvCacheDtype: 'fp8', cc: 90 })!;
  assert.equal(ws.workspace, indexer(512 * 2 ** 20));
  assert.equal(ws.retained, first);
  assert.equal(ws.transient, 0);
  assert.equal(ws.indexBuffer, 8192 * 2048 * 4);
  assert.match(ws.note, /keep viewing beside the grown buffer/);
  // Released from 0.31 (PR #56902): one buffer, the larger request.
  const fixed = dsaKv(v32, { ...base, version: [0, 31, 0], kvCacheDtype: 'fp8', cc: 90 })!;
  assert.equal(fixed.retained, 0);
  assert.equal(fixed.workspace, Math.max(indexer(512 * 2 ** 20), first));
  // Before 0.19 no logits stand-in; before 0.14 no workspace manager: the queries' copy is a transient.
  assert.equal(dsaKv(v32, { ...base, version: [0, 18, 0], kvCacheDtype: 'fp8', cc: 90 })!.workspace, indexer(0));
  const old = dsaKv(v32, { ...base, version: [0, 13, 0], kvCacheDtype: 'fp8', cc: 90 })!;
  assert.equal(old.workspace, 0);
  assert.equal(old.retained, 0);
  assert.equal(old.transient, 8192 * 16 * 576 * 2);
  // FlashInfer's sparse MLA (an fp8 cache on 10.x) keeps no such buffer; a 16-bit cache on 10.x at 16 heads or fewer per rank neither.
  assert.equal(dsaKv(v32, { ...base, version: [0, 26, 0], kvCacheDtype: 'fp8', cc: 100 })!.retained, 0);
  assert.equal(dsaKv(v32, { ...base, version: [0, 26, 0], cc: 100 })!.retained, 0);
  assert.ok(dsaKv(v32, { ...base, tp: 4, version: [0, 26, 0], cc: 100 })!.retained > 0);
});

test('MLA with a quantized kv_b_proj: vLLM keeps 16-bit W_UK_T and W_UV beside it', () => {
  assert.equal(mlaAbsorbedCopyBytes(v32, 16, 61, 2), 61 * 16 * 256 * 512 * 2);
  // GLM-5: qk_nope 192 and v 256.
  assert.equal(mlaAbsorbedCopyBytes(glm5, 8, 78, 2), 78 * 8 * 448 * 512 * 2);
  assert.equal(mlaAbsorbedCopyBytes(findModel('llama-3.1-8b')!.architecture, 8, 32, 2), 0);
});

test('DeepSeek-V3.2 on 8 H200s: 61 layers × 1,284 B per token, whole 64-token blocks, and the note', () => {
  const e = estimateInferenceService(service({ model: { preset: 'deepseek-ai/DeepSeek-V3.2' }, tensorParallel: 8, maxModelLen: 65536, engineVersion: '0.19.0' }), cluster('H200', 8));
  assert.ok(e.serving, JSON.stringify(e.findings));
  assert.equal(e.serving!.kvBytesPerToken, 61 * 1284);
  assert.equal(e.serving!.kvCacheTokens % 64, 0);
  assert.ok(e.assumptions.some((s) => s.startsWith('Sparse attention (DSA)')));
  const fp8 = estimateInferenceService(service({ model: { preset: 'deepseek-ai/DeepSeek-V3.2' }, tensorParallel: 8, maxModelLen: 65536, engineVersion: '0.19.0', kvCacheDtype: 'fp8' }), cluster('H200', 8));
  assert.equal(fp8.serving!.kvBytesPerToken, 61 * 788);
  assert.ok(fp8.serving!.kvCacheTokens > e.serving!.kvCacheTokens * 1.5);
});

test('GLM-5 with an MTP drafter: 79 layers of latent and indexer key', () => {
  const e = estimateInferenceService(service({ model: { preset: 'zai-org/GLM-5.1-FP8' }, tensorParallel: 8, maxModelLen: 65536, engineVersion: '0.22.0', kvCacheDtype: 'fp8', speculative: { method: 'mtp', tokens: 1 } }), cluster('H200', 8));
  assert.ok(e.serving, JSON.stringify(e.findings));
  assert.equal(e.serving!.kvBytesPerToken, 79 * 788);
});

test('DSA parameters: the query low rank, the value head of its own width and the indexer count GLM-5 and V3.2 to their published sizes', () => {
  assert.ok(near(countParams(glm5).total, 744e9, 0.005));
  assert.ok(near(countParams(v32).total, 671e9, 0.005));
});

test('a config.json with index_topk reads as DSA; indexer_types counts the layers that select', () => {
  const cfg = {
    model_type: 'glm_moe_dsa',
    num_hidden_layers: 4,
    hidden_size: 1024,
    num_attention_heads: 8,
    num_key_value_heads: 8,
    intermediate_size: 2048,
    vocab_size: 1000,
    q_lora_rank: 256,
    kv_lora_rank: 128,
    qk_nope_head_dim: 48,
    qk_rope_head_dim: 16,
    v_head_dim: 64,
    index_topk: 256,
    index_n_heads: 4,
    index_head_dim: 32,
    indexer_types: ['full', 'full', 'shared', 'shared'],
  };
  const r = parseHfConfig(JSON.stringify(cfg));
  assert.ok(r.ok);
  assert.deepEqual(r.architecture.mla, { kvLoraRank: 128, qkRopeHeadDim: 16, qLoraRank: 256, qkNopeHeadDim: 48, indexer: { heads: 4, headDim: 32, topk: 256, layers: 2 } });
});

test("vLLM's fp8_ds_mla is the spec's fp8; NVIDIA's NVFP4 names of DSA models keep attention unquantized", () => {
  assert.equal(kvCacheDtypeOfVllmWord('fp8_ds_mla'), 'fp8');
  assert.equal(kvCacheDtypeOfVllmWord('nvfp4_ds_mla'), undefined);
  const r = resolveModelName('nvidia/GLM-5.1-NVFP4')!;
  assert.equal(r.model.id, 'glm-5');
  assert.ok(r.weightFormat?.kept?.includes('attention'));
  assert.equal(r.weightFormat?.kvFp8, true);
  assert.equal(resolveModelName('zai-org/GLM-5.2-FP8')!.model.id, 'glm-5.2');
});
