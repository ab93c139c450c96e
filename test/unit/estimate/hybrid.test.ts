// Hybrid models (Gated DeltaNet + full attention: Qwen3-Next, Qwen3.5): parameter counts, the config.json
// reader, vLLM V1's hybrid KV pool, other engines, and the checks. The pool figures are those a published
// vLLM 0.20.0 startup log printed for Qwen/Qwen3.5-9B on RTX 5090s (bench/data/vllm-v1-kv-heldout.jsonl
// KV2-08/09: "Available KV cache memory: 6.56 GiB", "GPU KV cache size: 53,328 tokens", "Maximum
// concurrency for 4,096 tokens per request: 36.91x"; at TP 2 15.06 GiB, 246,576 tokens, 169.82x).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseHfConfig } from '../../../core/catalog/hfConfig';
import { findModel } from '../../../core/catalog/models';
import { estimateInferenceService, estimateTrainingJob } from '../../../core/estimate/index';
import { countParams, fullAttentionLayers, recurrentLayersOf } from '../../../core/estimate/params';
import { hybridPool } from '../../../core/estimate/serving';
import { check } from '../helpers';
import { GIB, cluster, job, service } from './helpers';

const QWEN35_9B_TEXT = {
  model_type: 'qwen3_5_text',
  hidden_size: 4096,
  intermediate_size: 12288,
  num_hidden_layers: 32,
  num_attention_heads: 16,
  num_key_value_heads: 4,
  head_dim: 256,
  vocab_size: 248320,
  max_position_embeddings: 262144,
  layer_types: [...Array(8)].flatMap(() => ['linear_attention', 'linear_attention', 'linear_attention', 'full_attention']),
  linear_conv_kernel_dim: 4,
  linear_key_head_dim: 128,
  linear_num_key_heads: 16,
  linear_num_value_heads: 32,
  linear_value_head_dim: 128,
  mamba_ssm_dtype: 'float32',
  attn_output_gate: true,
  tie_word_embeddings: false,
};

test('config.json: a Qwen3.5 vision-language config gives 24 Gated DeltaNet layers, the fp32 state, the output gate and the vision tower', () => {
  const r = parseHfConfig(JSON.stringify({ model_type: 'qwen3_5', text_config: QWEN35_9B_TEXT, vision_config: { depth: 27, hidden_size: 1152, intermediate_size: 4304, num_heads: 16, patch_size: 16, in_channels: 3, out_hidden_size: 4096 } }));
  assert.ok(r.ok);
  assert.deepEqual(r.architecture.linearAttention, { layers: 24, keyHeads: 16, valueHeads: 32, keyHeadDim: 128, valueHeadDim: 128, convKernel: 4, stateDtype: 'fp32' });
  assert.equal(r.architecture.attentionOutputGate, true);
  assert.ok(r.visionParams! > 0.4e9 && r.visionParams! < 0.5e9, String(r.visionParams));
});

test('config.json: Qwen3-Next names no layer_types: full_attention_interval 4 over 48 layers leaves 36 linear', () => {
  const { layer_types: _omit, mamba_ssm_dtype: _dtype, ...rest } = QWEN35_9B_TEXT;
  const r = parseHfConfig(JSON.stringify({ ...rest, model_type: 'qwen3_next', num_hidden_layers: 48, full_attention_interval: 4 }));
  assert.ok(r.ok);
  assert.equal(r.architecture.linearAttention?.layers, 36);
  assert.equal(r.architecture.linearAttention?.stateDtype, undefined, 'no mamba_ssm_dtype: the model dtype');
});

test('config.json: linear layers without their sizes, or every layer linear, are counted as full attention with a warning', () => {
  const { linear_num_value_heads: _v, ...noSizes } = QWEN35_9B_TEXT;
  const a = parseHfConfig(JSON.stringify(noSizes));
  assert.ok(a.ok);
  assert.equal(a.architecture.linearAttention, undefined);
  assert.ok(a.warnings.some((w) => w.includes('linear_num_value_heads')));
  const b = parseHfConfig(JSON.stringify({ ...QWEN35_9B_TEXT, layer_types: Array(32).fill('linear_attention') }));
  assert.ok(b.ok);
  assert.equal(b.architecture.linearAttention, undefined);
  assert.ok(b.warnings.some((w) => w.includes('no full-attention layer')));
});

test('parameters: Qwen3-Next-80B-A3B counts within 106,496 of its 79,674,391,296 safetensors parameters (shared-expert gates and q/k norms)', () => {
  const m = findModel('Qwen/Qwen3-Next-80B-A3B-Instruct')!;
  const p = countParams(m.architecture);
  assert.equal(p.total, 79_674_284_800);
  assert.equal(79_674_391_296 - p.total, 106_496);
});

test('parameters: Qwen3.5-9B with its vision tower is 17.5 GiB in bf16 (vLLM 0.20 logged "Model loading took 17.66 GiB")', () => {
  const e = estimateInferenceService(service({ model: { preset: 'qwen3.5-9b' }, maxModelLen: 4096 }), cluster('RTX-5090-32GB', 1));
  assert.ok(e.ok);
  const w = e.serving!.weightsBytes / GIB;
  assert.ok(w > 17.4 && w < 17.66, String(w));
});

// The attention page per layer and the Gated DeltaNet state per layer of Qwen3.5-9B on one GPU, then on two.
const TP1 = { full: 8, linear: 24, attnBytesPerTokenPerLayer: 2 * 4 * 256 * 2, stateBytesPerLayer: 32 * 128 * 128 * 4 + 3 * (2 * 16 * 128 + 32 * 128) * 2 };
const TP2 = { full: 8, linear: 24, attnBytesPerTokenPerLayer: 2 * 2 * 256 * 2, stateBytesPerLayer: 16 * 128 * 128 * 4 + 3 * (16 * 128 + 16 * 128) * 2 };

test("vLLM hybrid pool: the block grows to 528 tokens (the fp32 state in one page), 4 groups of 8 layers; the log's available memory gives its tokens and concurrency", () => {
  // 6.56 GiB as printed is 6.555–6.565 GiB; 406 blocks (the 36.91x) need 6.542–6.558.
  const h = hybridPool(TP1, 6.557 * GIB, 4096)!;
  assert.deepEqual([h.blockSize, h.groupSize, h.fullGroups, h.otherGroups], [528, 8, 1, 3]);
  assert.equal(h.blocks, 406);
  assert.equal(h.tokens, 53_328);
  assert.equal(h.concurrency.toFixed(2), '36.91');
  const h2 = hybridPool(TP2, 15.06 * GIB, 4096)!;
  assert.equal(h2.blockSize, 528);
  assert.equal(h2.tokens, 246_576);
  assert.ok(Math.abs(h2.concurrency - 169.82) < 0.1, String(h2.concurrency));
});

test('vLLM hybrid estimate: concurrency counts one state block per linear group, not tokens ÷ length', () => {
  const e = estimateInferenceService(service({ model: { preset: 'qwen3.5-9b' }, engineVersion: '0.20.0', gpuMemoryUtilization: 0.85, maxModelLen: 4096 }), cluster('RTX-5090-32GB', 1));
  assert.ok(e.ok);
  const s = e.serving!;
  assert.ok(s.maxConcurrency > (s.kvCacheTokens / 4096) * 2, `${s.maxConcurrency} vs ${s.kvCacheTokens / 4096}`);
  assert.equal(s.kvCacheTokens % 528, 0, 'whole blocks of 528');
  assert.equal(s.kvBytesPerToken, 8 * 2 * 4 * 256 * 2, 'K and V on the 8 full-attention layers only');
  assert.equal(s.stateBytesPerSequence, 24 * TP1.stateBytesPerLayer, "and the 24 linear layers' state per sequence");
  assert.ok(e.assumptions.some((a) => a.includes('hybrid allocator') && a.includes('528 tokens')));
});

test('a request longer than the hybrid pool is the startup refusal, at maxModelLen', () => {
  // Served text only (no vision encoder profile: that is tested in vision.test.ts).
  const textOnly = { limitPerPrompt: { image: 0, video: 0 } };
  // A restart (compileCache warm): the first start's check and its fixes are compileCache.test.ts's.
  const e = estimateInferenceService(service({ model: { preset: 'qwen3.5-9b' }, engineVersion: '0.20.0', gpuMemoryUtilization: 0.63, maxModelLen: 262144, multimodal: textOnly, compileCache: 'warm' }), cluster('RTX-5090-32GB', 1));
  const f = e.findings.find((x) => x.code === 'kv-cache-too-small');
  assert.ok(f, JSON.stringify(e.findings));
  assert.deepEqual(f.path, ['spec', 'maxModelLen']);
  assert.match(f.message, /blocks of KV cache and recurrent state/);
  // The fix's length is the longest request the blocks hold (not vLLM's printed token figure), and it fits.
  const lower = f.fixes?.find((x) => x.title.startsWith('Lower maxModelLen'));
  assert.ok(lower, JSON.stringify(f.fixes?.map((x) => x.title)));
  const len = lower.edits[0].value as number;
  assert.ok(len > e.serving!.kvCacheTokens, `${len} > ${e.serving!.kvCacheTokens}`);
  const again = estimateInferenceService(service({ model: { preset: 'qwen3.5-9b' }, engineVersion: '0.20.0', gpuMemoryUtilization: 0.63, maxModelLen: len, multimodal: textOnly, compileCache: 'warm' }), cluster('RTX-5090-32GB', 1));
  assert.ok(again.ok, JSON.stringify(again.findings));
  assert.ok(again.serving!.maxConcurrency >= 1);
});

test('other engines set the recurrent states of max_num_seqs sequences aside before the KV cache', () => {
  const base = { model: { preset: 'qwen3-next-80b-a3b' }, engine: 'sglang' as const, tensorParallel: 4, maxModelLen: 32768 };
  const few = estimateInferenceService(service({ ...base, maxNumSeqs: 8 }), cluster('H100-SXM-80GB', 4));
  const many = estimateInferenceService(service({ ...base, maxNumSeqs: 512 }), cluster('H100-SXM-80GB', 4));
  assert.ok(few.ok && many.ok);
  assert.ok(many.serving!.kvCacheTokens < few.serving!.kvCacheTokens);
  assert.ok(few.assumptions.some((a) => a.includes('set aside for 8 sequences')));
});

/** An InferenceService with an inline architecture (flow mapping) at a tensor-parallel size. */
const serviceText = (architecture: string, tp: number) => ['apiVersion: gantry/v1', 'kind: InferenceService', 'metadata: { name: s }', 'spec:', '  engine: vllm', '  model:', `    architecture: ${architecture}`, `  tensorParallel: ${tp}`, '  maxModelLen: 4096', ''].join('\n');

test('checks: Gated DeltaNet heads that do not split over TP (at tensorParallel), and an inline hybrid with no full-attention layer', () => {
  const text = serviceText('{ layers: 32, hidden: 4096, heads: 16, kvHeads: 4, headDim: 256, ffn: 12288, vocab: 248320, linearAttention: { layers: 24, keyHeads: 16, valueHeads: 24, keyHeadDim: 128, valueHeadDim: 128 } }', 16);
  const p = check(text).problems.find((x) => x.code === 'heads-divisible');
  assert.ok(p, JSON.stringify(check(text).problems.map((x) => x.code)));
  assert.match(p.message, /Gated DeltaNet layers have 16 key and 24 value heads/);
  assert.equal(text.slice(p.offset, p.offset + p.length), '16');
  const arch = findModel('qwen3.5-9b')!.architecture;
  const e = estimateInferenceService(service({ model: { architecture: { ...arch, linearAttention: { ...arch.linearAttention!, layers: 32 } } }, maxModelLen: 4096 }), cluster('H100-SXM-80GB', 1));
  assert.ok(!e.ok);
  assert.ok(e.findings.some((f) => f.path.join('.') === 'spec.model.architecture.linearAttention.layers'));
});

test("training: attention FLOPs and eager score matrices count the full-attention layers only (8 of Qwen3.5-9B's 32)", () => {
  const arch = findModel('qwen3.5-9b')!.architecture;
  const { linearAttention: _lin, ...allFull } = arch;
  const run = (architecture: typeof arch, attention: 'eager' | 'flash') =>
    estimateTrainingJob(job({ model: { architecture }, attention, precision: 'bf16-mixed', optimizer: { type: 'adamw' }, batch: { micro: 1, sequenceLength: 4096 }, resources: { nodes: 1, gpusPerNode: 8 }, parallelism: { fsdp: 'full' } }), cluster('H100-SXM-80GB', 8));
  const scores = (a: typeof arch) => run(a, 'eager').memory!.perGpu.allocatedBytes - run(a, 'flash').memory!.perGpu.allocatedBytes;
  const ratio = scores(arch) / scores(allFull as typeof arch);
  assert.ok(ratio > 0.15 && ratio < 0.35, `score memory ratio ${ratio}`);
  const t = run(arch, 'flash').time!;
  const tFull = run(allFull as typeof arch, 'flash').time!;
  assert.ok(t.stepSeconds < tFull.stepSeconds, `${t.stepSeconds} < ${tFull.stepSeconds}`);
});

// granite-4.0-h-350m's published config.json (the fields read here), a Mamba2 hybrid: 28 mamba and 4 attention layers.
const GRANITE_4_H_350M = {
  model_type: 'granitemoehybrid',
  hidden_size: 768,
  intermediate_size: 2048,
  shared_intermediate_size: 2048,
  layer_types: ['mamba', 'mamba', 'mamba', 'mamba', 'mamba', 'mamba', 'mamba', 'mamba', 'mamba', 'mamba', 'attention', 'mamba', 'mamba', 'attention', 'mamba', 'mamba', 'mamba', 'attention', 'mamba', 'mamba', 'mamba', 'mamba', 'mamba', 'mamba', 'mamba', 'mamba', 'mamba', 'attention', 'mamba', 'mamba', 'mamba', 'mamba'],
  mamba_d_conv: 4,
  mamba_d_head: 32,
  mamba_d_state: 128,
  mamba_n_groups: 1,
  mamba_n_heads: 48,
  max_position_embeddings: 32768,
  num_attention_heads: 12,
  num_experts_per_tok: 0,
  num_hidden_layers: 32,
  num_key_value_heads: 4,
  num_local_experts: 0,
  tie_word_embeddings: true,
  vocab_size: 100352,
};

test('config.json: a granite-4.0-h config gives its Mamba2 layers and the shared MLP as the dense MLP', () => {
  const r = parseHfConfig(JSON.stringify(GRANITE_4_H_350M));
  assert.ok(r.ok);
  assert.deepEqual(r.architecture.mamba, { layers: 28, heads: 48, headDim: 32, stateSize: 128, groups: 1, convKernel: 4 });
  assert.equal(r.architecture.linearAttention, undefined);
  assert.equal(r.architecture.ffn, 2048);
  const nemotron = parseHfConfig(JSON.stringify({ ...QWEN35_9B_TEXT, layer_types: undefined, hybrid_override_pattern: 'M-M-M*-M-' }));
  assert.ok(nemotron.ok);
  assert.ok(nemotron.warnings.some((w) => w.startsWith('hybrid_override_pattern describes a hybrid layout')));
});

test('Mamba2 state per sequence per GPU: heads × head dim × state size, and the conv window over x, B, C with the groups padded to TP', () => {
  const arch = { layers: 40, hidden: 2048, heads: 32, kvHeads: 8, ffn: 8192, vocab: 100352, mamba: { layers: 36, heads: 64, headDim: 64, stateSize: 128, groups: 1, convKernel: 4 } };
  const r = recurrentLayersOf(arch)!;
  assert.equal(r.kind, 'mamba2');
  assert.equal(r.stateBytes(1, 2), 64 * 64 * 128 * 2 + 3 * (4096 + 2 * 128) * 2);
  assert.equal(r.stateBytes(2, 2), 32 * 64 * 128 * 2 + 3 * ((4096 + 2 * 2 * 128) / 2) * 2, 'one group padded to two for TP 2');
  assert.equal(fullAttentionLayers(arch), 4);
  const e = estimateInferenceService(service({ model: { architecture: arch }, engineVersion: '0.20.0', maxModelLen: 32768 }), cluster('H100-SXM-80GB', 1));
  assert.ok(e.ok, JSON.stringify(e.findings));
  assert.ok(
    e.assumptions.some((a) => a.includes('36 Mamba2 layers') && a.includes('528 tokens') && a.includes('1 full-attention, 9 Mamba2')),
    e.assumptions.join('\n'),
  );
  assert.equal(e.serving!.kvBytesPerToken, 4 * 2 * 8 * 64 * 2);
});

test('checks: Mamba2 heads that do not split over TP; both kinds of recurrent layer at once', () => {
  const text = serviceText('{ layers: 40, hidden: 2048, heads: 16, kvHeads: 8, ffn: 8192, vocab: 100352, mamba: { layers: 36, heads: 60, headDim: 64, stateSize: 128 } }', 8);
  const p = check(text).problems.find((x) => x.code === 'heads-divisible');
  assert.ok(p, JSON.stringify(check(text).problems.map((x) => x.code)));
  assert.match(p.message, /Mamba2 layers have 60 heads/);
  const arch = findModel('qwen3.5-9b')!.architecture;
  const both = estimateInferenceService(service({ model: { architecture: { ...arch, mamba: { layers: 24, heads: 64, headDim: 64, stateSize: 128 } } }, maxModelLen: 4096 }), cluster('H100-SXM-80GB', 1));
  assert.ok(!both.ok);
  assert.ok(both.findings.some((f) => f.path.join('.') === 'spec.model.architecture.mamba'));
});
