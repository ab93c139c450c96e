// Vision-language models under vLLM V1: the profile run feeds the vision encoder dummy images of the largest size
// its processor makes before the KV cache is sized (core/estimate/serving.ts visionProfile), and the multimodal
// options that change that (--limit-mm-per-prompt, --skip-mm-profiling, --language-model-only). The item counts
// follow vLLM's encoder budget (multimodal/encoder_budget.py): the log line "Encoder cache will be initialized with
// a budget of 16384 tokens, and profiled with 1 image items" for Qwen3.6 at max_num_batched_tokens 8192, and
// "budget of 65536 tokens, and profiled with 4 image items" at 65536.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseHfConfig } from '../../../core/catalog/hfConfig';
import { findModel } from '../../../core/catalog/models';
import { estimateInferenceService } from '../../../core/estimate/index';
import { visionProfile } from '../../../core/estimate/serving';
import type { Architecture, InferenceServiceSpec } from '../../../core/spec/types';
import { GIB, cluster, near, service } from './helpers';

const qwen35 = findModel('qwen3.5-9b')!.architecture;
const gemma3 = findModel('gemma-3-4b')!.architecture;
const spec = (extra: Partial<InferenceServiceSpec> = {}): InferenceServiceSpec => ({ engine: 'vllm', model: { preset: 'qwen3.5-9b' }, ...extra });
/** A file of a one-GPU Cluster `box` and a vLLM InferenceService `s` on it, with more spec lines. */
const boxService = (gpu: string, engineVersion: string, preset: string, more: string[]) =>
  [
    'apiVersion: gantry/v1',
    'kind: Cluster',
    'metadata: { name: box }',
    'spec:',
    `  nodes: { count: 1, gpu: { model: ${gpu}, count: 1 } }`,
    '---',
    'apiVersion: gantry/v1',
    'kind: InferenceService',
    'metadata: { name: s }',
    'spec:',
    '  cluster: box',
    '  engine: vllm',
    `  engineVersion: ${engineVersion}`,
    `  model: { preset: ${preset} }`,
    ...more,
  ].join('\n');
/** Qwen2.5-VL-7B-Instruct's published config.json: its text part and its vision_config. */
const QWEN25_VL_7B_TEXT = { hidden_size: 3584, intermediate_size: 18944, num_hidden_layers: 28, num_attention_heads: 28, num_key_value_heads: 4, vocab_size: 152064, max_position_embeddings: 128000 };
const QWEN25_VL_7B_VISION = { depth: 32, hidden_act: 'silu', hidden_size: 1280, intermediate_size: 3420, num_heads: 16, in_chans: 3, out_hidden_size: 3584, patch_size: 14, spatial_merge_size: 2, temporal_patch_size: 2 };
const QWEN25_VL_7B_CONFIG = JSON.stringify({ model_type: 'qwen2_5_vl', ...QWEN25_VL_7B_TEXT, vision_config: QWEN25_VL_7B_VISION });

test('the encoder budget and item count follow vLLM: max(max_num_batched_tokens, tokens per item), as many items as it holds', () => {
  const at = (tokens: number, seqs = 256, s = spec()) => visionProfile(qwen35, s, tokens, seqs, 32768, 2, 1);
  const one = at(8192);
  assert.ok(one && typeof one === 'object');
  assert.equal(one.budget, 16384);
  assert.equal(one.items, 1);
  const four = at(65536);
  assert.ok(four && typeof four === 'object');
  assert.equal(four.items, 4);
  // Per patch: pixel input 1536 + 3 × 1152 hidden states + QKV 3 × 1152 + MLP 2 × 4304, in bf16.
  assert.equal(one.encoderPeak, 65536 * 2 * (1536 + 3 * 1152 + 3 * 1152 + 2 * 4304));
  assert.equal(four.encoderPeak, 4 * one.encoderPeak);
  // The embeddings: items × tokens × the language model's width.
  assert.equal(one.outputs, 16384 * 4096 * 2);
  // Items are capped by max_num_seqs × items per prompt (--limit-mm-per-prompt).
  const capped = at(65536, 1, spec({ multimodal: { limitPerPrompt: { image: 2 } } }));
  assert.ok(capped && typeof capped === 'object');
  assert.equal(capped.items, 2);
  // Tensor parallel splits the QKV and MLP widths (the tower's weights are sharded by default).
  const tp2 = visionProfile(qwen35, spec(), 8192, 256, 32768, 2, 2);
  assert.ok(tp2 && typeof tp2 === 'object' && tp2.encoderPeak < one.encoderPeak);
  // Gemma 3: 256 tokens an image, so an 8192-token budget holds 32 images of 4,096 patches.
  const g = visionProfile(gemma3, { ...spec(), model: { preset: 'gemma-3-4b' } }, 8192, 1024, 8192, 2, 1);
  assert.ok(g && typeof g === 'object');
  assert.equal(g.items, 32);
});

test('the options that leave the encoder unprofiled, each with its reason', () => {
  const reason = (mm: InferenceServiceSpec['multimodal']) => visionProfile(qwen35, spec({ multimodal: mm }), 8192, 256, 32768, 2, 1);
  assert.match(String(reason({ skipProfiling: true })), /--skip-mm-profiling/);
  assert.match(String(reason({ languageModelOnly: true })), /--language-model-only/);
  assert.match(String(reason({ limitPerPrompt: { image: 0, video: 0 } })), /image and video off/);
  // Image off but video left on: the profile still runs (on video).
  assert.equal(typeof reason({ limitPerPrompt: { image: 0 } }), 'object');
  // A text-only model: nothing.
  assert.equal(visionProfile(findModel('qwen3-8b')!.architecture, spec(), 8192, 256, 32768, 2, 1), undefined);
});

test('the estimate: the profile takes KV memory, the options give it back, language-model-only drops the tower too', () => {
  const c = cluster('RTX-4090-24GB', 1);
  const base = { model: { preset: 'qwen3.5-9b' }, engineVersion: '0.19.0', maxModelLen: 32768 };
  const profiled = estimateInferenceService(service(base), c);
  const skipped = estimateInferenceService(service({ ...base, multimodal: { skipProfiling: true } }), c);
  const textOnly = estimateInferenceService(service({ ...base, multimodal: { languageModelOnly: true } }), c);
  assert.ok(profiled.serving && skipped.serving && textOnly.serving, JSON.stringify(profiled.findings));
  const pool = (e: typeof profiled) => e.serving!.kvCacheBytes;
  const weights = (e: typeof profiled) => e.memory!.breakdown.weights;
  // The encoder's 2.1 GiB peak over 65,536 patches, where the language model's at 2048 tokens is under 1 GiB.
  assert.ok(pool(skipped) - pool(profiled) > 1 * GIB, `${(pool(skipped) - pool(profiled)) / GIB}`);
  assert.ok(profiled.assumptions.some((a) => a.startsWith('Vision encoder profiled') && a.includes('1 dummy image of 16,384 tokens')));
  assert.ok(skipped.assumptions.some((a) => a.includes('--skip-mm-profiling')));
  // --language-model-only: the 0.46 B-parameter tower is not loaded (bf16: 0.86 GiB).
  assert.ok(Math.abs(weights(skipped) - weights(textOnly) - 0.46e9 * 2) < 1e6, `${weights(skipped) - weights(textOnly)}`);
  assert.ok(pool(textOnly) > pool(skipped));
  assert.ok(textOnly.assumptions.some((a) => a.includes('0.46 B parameters are not loaded')));
});

test('vLLM V0, SGLang and TGI: the profile is not modelled, and the estimate says so', () => {
  for (const extra of [{ engineVersion: '0.6.3' }, { engine: 'sglang' as const }, { engine: 'tgi' as const }]) {
    const e = estimateInferenceService(service({ model: { preset: 'gemma-3-4b' }, maxModelLen: 8192, ...extra }), cluster('H100-SXM-80GB', 1));
    assert.ok(e.serving, JSON.stringify(e.findings));
    assert.ok(
      e.assumptions.some((a) => /^Vision encoder: .*profile of it is not modelled/.test(a)),
      JSON.stringify(e.assumptions),
    );
  }
});

test('config.json: the vision encoder of the Qwen VL line and Gemma 3, and a reason for a processor Gantry does not know', () => {
  const text = QWEN25_VL_7B_TEXT;
  const qwen25 = parseHfConfig(QWEN25_VL_7B_CONFIG);
  assert.ok(qwen25.ok);
  const v = qwen25.architecture.vision!;
  assert.deepEqual({ ...v, params: undefined }, { hidden: 1280, ffn: 3420, gatedMlp: true, patchesPerItem: 65536, tokensPerItem: 16384, patchInput: 1176, video: true, dummyVideo: 'qwen2-vl', params: undefined });
  assert.ok(v.params && v.params > 0.6e9 && v.params < 0.8e9, String(v.params));
  // Qwen2-VL names the ViT's width embed_dim (its hidden_size is the language model's) and gives an MLP ratio.
  const qwen2 = parseHfConfig(JSON.stringify({ model_type: 'qwen2_vl', ...text, vision_config: { depth: 32, embed_dim: 1280, mlp_ratio: 4, num_heads: 16, in_chans: 3, hidden_size: 3584, patch_size: 14, spatial_merge_size: 2, temporal_patch_size: 2 } }));
  assert.ok(qwen2.ok);
  assert.equal(qwen2.architecture.vision!.hidden, 1280);
  assert.equal(qwen2.architecture.vision!.ffn, 5120);
  // Qwen3-VL: 16-pixel patches at 16,777,216 pixels, and its deepstack layers.
  const qwen3 = parseHfConfig(
    JSON.stringify({
      model_type: 'qwen3_vl',
      text_config: { model_type: 'qwen3_vl_text', hidden_size: 4096, intermediate_size: 12288, num_hidden_layers: 36, num_attention_heads: 32, num_key_value_heads: 8, head_dim: 128, vocab_size: 151936 },
      vision_config: { depth: 27, hidden_act: 'gelu_pytorch_tanh', hidden_size: 1152, intermediate_size: 4304, in_channels: 3, out_hidden_size: 4096, patch_size: 16, spatial_merge_size: 2, temporal_patch_size: 2, deepstack_visual_indexes: [8, 16, 24] },
    }),
  );
  assert.ok(qwen3.ok);
  assert.equal(qwen3.architecture.vision!.patchesPerItem, 65536);
  assert.equal(qwen3.architecture.vision!.tokensPerItem, 16384);
  assert.equal(qwen3.architecture.vision!.deepstack, 3);
  assert.equal(qwen3.architecture.vision!.gatedMlp, false);
  // Each family's processor makes its dummy video its own way.
  assert.equal(qwen3.architecture.vision!.dummyVideo, 'qwen3-vl');
  assert.equal(qwen2.architecture.vision!.dummyVideo, 'qwen2-vl');
  const gemma = parseHfConfig(
    JSON.stringify({
      model_type: 'gemma3',
      mm_tokens_per_image: 256,
      text_config: { model_type: 'gemma3_text', hidden_size: 2560, intermediate_size: 10240, num_hidden_layers: 34, num_attention_heads: 8, num_key_value_heads: 4, head_dim: 256, vocab_size: 262208, sliding_window: 1024 },
      vision_config: { hidden_size: 1152, image_size: 896, intermediate_size: 4304, num_attention_heads: 16, num_hidden_layers: 27, patch_size: 14 },
    }),
  );
  assert.ok(gemma.ok);
  assert.equal(gemma.architecture.vision!.patchesPerItem, 4096);
  assert.equal(gemma.architecture.vision!.tokensPerItem, 256);
  const llava = parseHfConfig(JSON.stringify({ model_type: 'llava', text_config: { model_type: 'llama', ...text }, vision_config: { hidden_size: 1024, intermediate_size: 4096, num_hidden_layers: 24, patch_size: 14, image_size: 336 } }));
  assert.ok(llava.ok);
  assert.equal(llava.architecture.vision, undefined);
  assert.ok(
    llava.warnings.some((w) => w.includes("the encoder's profile run (vLLM V1 sizes its KV cache after it) is not counted")),
    JSON.stringify(llava.warnings),
  );
});

test('architecture.vision is checked at its field', () => {
  const arch: Architecture = { ...qwen35, linearAttention: undefined, vision: { hidden: 0, ffn: 4304, patchesPerItem: 65536, tokensPerItem: 16384 } };
  const e = estimateInferenceService(service({ model: { architecture: arch } }), cluster('H100-SXM-80GB', 1));
  const f = e.findings.find((x) => x.path?.join('.') === 'spec.model.architecture.vision.hidden');
  assert.ok(f, JSON.stringify(e.findings));
  assert.match(f.message, /architecture\.vision\.hidden must be an integer between 1 and 65536 \(got '0'\)/);
});

test('a quick fix serves a vision-language model text only when its KV cache is short, and says what it frees', () => {
  const doc = service({ model: { preset: 'qwen3.5-9b' }, engineVersion: '0.19.0', maxModelLen: 262144 });
  const e = estimateInferenceService(doc, cluster('RTX-4090-24GB', 1));
  assert.ok(e.serving?.visionProfileBytes && e.serving.visionProfileBytes > GIB, JSON.stringify(e.serving));
  const f = e.findings.find((x) => x.code === 'kv-cache-too-small' || x.code === 'memory-exceeds-capacity');
  assert.ok(f, JSON.stringify(e.findings.map((x) => x.code)));
  const fix = f.fixes?.find((x) => x.title.startsWith('Serve text only'));
  assert.ok(fix, JSON.stringify(f.fixes?.map((x) => x.title)));
  assert.deepEqual(fix.edits, [{ path: ['spec', 'multimodal', 'languageModelOnly'], value: true }]);
  assert.match(fix.title, /--language-model-only: 0\.9 GiB of tower weights go, and the \d+\.\d GiB its profile run adds to the activation peak/);
  // A text-only model gets no such fix.
  const text = estimateInferenceService(service({ model: { preset: 'qwen3-8b' }, engineVersion: '0.19.0', maxModelLen: 131072, gpuMemoryUtilization: 0.5 }), cluster('RTX-4090-24GB', 1));
  assert.ok(!text.findings.some((x) => x.fixes?.some((y) => y.title.startsWith('Serve text only'))));
});

test("the profile's batch is the spec's: max_num_batched_tokens sets the budget, max_num_seqs × the limit caps the items", () => {
  const c = cluster('H100-SXM-80GB', 1);
  const note = (e: ReturnType<typeof estimateInferenceService>) => e.assumptions.find((a) => a.startsWith('Vision encoder profiled')) ?? '';
  const wide = estimateInferenceService(service({ model: { preset: 'qwen3.5-9b' }, engineVersion: '0.19.0', maxModelLen: 32768, maxNumBatchedTokens: 65536 }), c);
  assert.match(note(wide), /4 dummy images of 16,384 tokens .* encoder budget of 65,536 tokens/);
  const gemma = (extra: Partial<InferenceServiceSpec>) => estimateInferenceService(service({ model: { preset: 'gemma-3-12b' }, engineVersion: '0.19.0', maxModelLen: 8192, maxNumBatchedTokens: 32768, ...extra }), c);
  assert.match(note(gemma({})), /128 dummy images of 256 tokens/);
  assert.match(note(gemma({ maxNumSeqs: 2, multimodal: { limitPerPrompt: { image: 1 } } })), /2 dummy images of 256 tokens/);
});

test('images off: Gemma 3 (images only) is not profiled; a Qwen VL model is profiled on video, and says so', () => {
  const c = cluster('H100-SXM-80GB', 1);
  const g = estimateInferenceService(service({ model: { preset: 'gemma-3-12b' }, engineVersion: '0.19.0', maxModelLen: 8192, multimodal: { limitPerPrompt: { image: 0 } } }), c);
  assert.ok(
    g.assumptions.some((a) => a.startsWith('Vision encoder: --limit-mm-per-prompt turns image off: the encoder is not profiled. The tower')),
    JSON.stringify(g.assumptions),
  );
  assert.equal(g.serving?.visionProfileBytes, undefined);
  const q = estimateInferenceService(service({ model: { preset: 'qwen3.5-9b' }, engineVersion: '0.19.0', maxModelLen: 32768, multimodal: { limitPerPrompt: { image: 0 } } }), c);
  assert.ok(
    q.assumptions.some((a) => a.includes("1 dummy video of 12,288 tokens (49,152 patches each, two frames within the video processor's pixel volume; images are off)")),
    JSON.stringify(q.assumptions),
  );
});

test('--skip-mm-profiling where one full-size image does not fit outside the budget: a warning at the option', () => {
  const doc = (gpu: string) => estimateInferenceService(service({ model: { preset: 'qwen3.5-9b' }, engineVersion: '0.19.0', maxModelLen: 32768, multimodal: { skipProfiling: true } }), cluster(gpu, 1));
  const small = doc('RTX-4090-24GB').findings.find((f) => f.code === 'vision-profile-skipped');
  assert.ok(small, JSON.stringify(doc('RTX-4090-24GB').findings));
  assert.deepEqual(small.path, ['spec', 'multimodal', 'skipProfiling']);
  assert.match(small.message, /one full-size image runs the encoder at about 2\.1 GiB per GPU, and \d+\.\d GiB is left outside vLLM's budget/);
  // On an 80 GB card the 10 % outside the budget holds it.
  assert.equal(
    doc('H100-SXM-80GB').findings.find((f) => f.code === 'vision-profile-skipped'),
    undefined,
  );
});

test('config.json: vision_config values out of range leave the tower uncounted and say so, never a giant count', () => {
  const text = { hidden_size: 3584, intermediate_size: 18944, num_hidden_layers: 28, num_attention_heads: 28, num_key_value_heads: 4, vocab_size: 152064 };
  const vision = { depth: 32, hidden_act: 'silu', hidden_size: 1280, intermediate_size: 3420, num_heads: 16, in_chans: 3, out_hidden_size: 3584, patch_size: 14, spatial_merge_size: 2, temporal_patch_size: 2 };
  for (const bad of [{ patch_size: 100000 }, { intermediate_size: -5 }, { depth: '32' }, { hidden_size: 0 }]) {
    const r = parseHfConfig(JSON.stringify({ model_type: 'qwen2_5_vl', ...text, vision_config: { ...vision, ...bad } }));
    assert.ok(r.ok);
    assert.equal(r.visionParams, undefined, JSON.stringify(bad));
    assert.ok(
      r.warnings.some((w) => w.includes('the vision tower is not counted')),
      JSON.stringify(r.warnings),
    );
    // The profile needs the width, MLP width and patch, not the depth: a bad depth leaves only the weights uncounted.
    if ('depth' in bad) assert.equal(r.architecture.vision?.params, undefined);
    else assert.equal(r.architecture.vision, undefined, JSON.stringify(bad));
  }
  // A Gemma 3 patch larger than its image.
  const g = parseHfConfig(
    JSON.stringify({
      model_type: 'gemma3',
      text_config: { model_type: 'gemma3_text', hidden_size: 2560, intermediate_size: 10240, num_hidden_layers: 34, num_attention_heads: 8, num_key_value_heads: 4, head_dim: 256, vocab_size: 262208 },
      vision_config: { hidden_size: 1152, image_size: 896, intermediate_size: 4304, num_hidden_layers: 27, patch_size: 1000 },
    }),
  );
  assert.ok(g.ok && g.visionParams === undefined && g.architecture.vision === undefined);
  // More deepstack layers than the tower has.
  const q3 = parseHfConfig(
    JSON.stringify({
      model_type: 'qwen3_vl',
      text_config: { hidden_size: 4096, intermediate_size: 12288, num_hidden_layers: 36, num_attention_heads: 32, num_key_value_heads: 8, head_dim: 128, vocab_size: 151936 },
      vision_config: { depth: 27, hidden_size: 1152, intermediate_size: 4304, out_hidden_size: 4096, patch_size: 16, spatial_merge_size: 2, deepstack_visual_indexes: Array.from({ length: 100 }, (_, i) => i) },
    }),
  );
  assert.ok(q3.ok && q3.architecture.vision === undefined);
  assert.ok(q3.warnings.some((w) => w.includes("deepstack_visual_indexes lists 100 layers, more than 27 (the tower's depth)")));
});

test('architecture.vision: more tokens than patches per item is an error at tokensPerItem', () => {
  const arch: Architecture = { ...findModel('qwen3-8b')!.architecture, vision: { hidden: 1152, ffn: 4304, patchesPerItem: 1, tokensPerItem: 8192 } };
  const e = estimateInferenceService(service({ model: { architecture: arch } }), cluster('H100-SXM-80GB', 1));
  const f = e.findings.find((x) => x.path?.join('.') === 'spec.model.architecture.vision.tokensPerItem');
  assert.ok(f, JSON.stringify(e.findings));
  assert.match(f.message, /one embedding per patch/);
});

test('every modality the tower serves at 0: vLLM 0.10.1 and later skip the tower too, so its weights go', () => {
  const c = cluster('RTX-5090-32GB', 1);
  const at = (engineVersion: string, limitPerPrompt: { image?: number; video?: number }) => estimateInferenceService(service({ model: { preset: 'qwen3.5-9b' }, engineVersion, maxModelLen: 32768, multimodal: { limitPerPrompt } }), c);
  const weights = (e: ReturnType<typeof estimateInferenceService>) => e.memory!.breakdown.weights;
  const off = at('0.19.0', { image: 0, video: 0 });
  const on = at('0.19.0', { image: 1 });
  assert.ok(Math.abs(weights(on) - weights(off) - 0.46e9 * 2) < 1e6);
  assert.ok(
    off.assumptions.some((a) => a.includes('0.46 B parameters are not loaded (vLLM 0.10.1 and later skip a tower whose every modality is at 0)')),
    JSON.stringify(off.assumptions),
  );
  // Before 0.10.1 the tower still loads (only its profile goes).
  const old = at('0.10.0', { image: 0, video: 0 });
  assert.equal(weights(old), weights(on));
  // Video left on: the tower serves it, so it loads.
  assert.equal(weights(at('0.19.0', { image: 0 })), weights(on));
});

test('multimodal options on a text-only model: a warning at spec.multimodal, none on a vision-language model', () => {
  const c = cluster('H100-SXM-80GB', 1);
  const text = estimateInferenceService(service({ model: { preset: 'qwen3-8b' }, maxModelLen: 8192, multimodal: { languageModelOnly: true } }), c);
  const f = text.findings.find((x) => x.code === 'multimodal-text-model');
  assert.ok(f, JSON.stringify(text.findings));
  assert.deepEqual(f.path, ['spec', 'multimodal']);
  assert.match(f.message, /^'qwen3-8b' is a text-only model: multimodal options change nothing here/);
  for (const preset of ['qwen3.5-9b', 'gemma-4-31b']) {
    const e = estimateInferenceService(service({ model: { preset }, maxModelLen: 8192, multimodal: { languageModelOnly: true } }), c);
    assert.ok(!e.findings.some((x) => x.code === 'multimodal-text-model'), preset);
  }
});

test('pipeline parallel: the tower and its profile on every stage (vLLM builds and runs it on each rank)', () => {
  const c = cluster('H100-SXM-80GB', 2);
  const e = estimateInferenceService(service({ model: { preset: 'qwen3.5-9b' }, engineVersion: '0.19.0', maxModelLen: 32768, pipelineParallel: 2 }), c);
  assert.ok(e.serving, JSON.stringify(e.findings));
  assert.ok(e.assumptions.some((a) => a.includes('On every pipeline stage: vLLM builds and runs the tower on each rank.')));
  const off = estimateInferenceService(service({ model: { preset: 'qwen3.5-9b' }, engineVersion: '0.19.0', maxModelLen: 32768, pipelineParallel: 2, multimodal: { languageModelOnly: true } }), c);
  // The heaviest stage loses the whole tower (0.46 B in bf16), not half of it.
  assert.ok(Math.abs(e.memory!.breakdown.weights - off.memory!.breakdown.weights - 0.46e9 * 2) < 1e6, `${e.memory!.breakdown.weights - off.memory!.breakdown.weights}`);
});

test('--skip-mm-profiling keeps the inputs_embeds buffer; only a tower that is not loaded drops it', () => {
  const c = cluster('H100-SXM-80GB', 1);
  const at = (multimodal: InferenceServiceSpec['multimodal']) => estimateInferenceService(service({ model: { preset: 'qwen3.5-9b' }, engineVersion: '0.19.0', maxModelLen: 32768, maxNumBatchedTokens: 8192, multimodal }), c).serving!.activationPeakBytes;
  // 8192 tokens × 4096 wide × 2 bytes.
  assert.equal(at({ skipProfiling: true }) - at({ languageModelOnly: true }), 8192 * 4096 * 2);
});

test('--language-model-only where the profile is not known: a config.json tower still comes off, and so does a catalog tower known apart (towers)', () => {
  const c = cluster('H100-SXM-80GB', 1);
  const text = { hidden_size: 4096, intermediate_size: 14336, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8, vocab_size: 32064 };
  const llava = JSON.stringify({ model_type: 'llava', text_config: { model_type: 'llama', ...text }, vision_config: { hidden_size: 1024, intermediate_size: 4096, num_hidden_layers: 24, patch_size: 14, image_size: 336 } });
  const opts = { resolveConfig: (p: string) => (p === 'config.json' ? llava : undefined) };
  const with_ = estimateInferenceService(service({ model: { config: 'config.json' }, maxModelLen: 8192 }), c, opts);
  const without = estimateInferenceService(service({ model: { config: 'config.json' }, maxModelLen: 8192, multimodal: { languageModelOnly: true } }), c, opts);
  assert.ok(with_.memory!.breakdown.weights - without.memory!.breakdown.weights > 0.5e9, `${with_.memory!.breakdown.weights - without.memory!.breakdown.weights}`);
  assert.ok(!without.findings.some((f) => f.code === 'multimodal-text-model'));
  const gemma4 = (multimodal?: InferenceServiceSpec['multimodal']) => estimateInferenceService(service({ model: { preset: 'gemma-4-31b' }, maxModelLen: 8192, ...(multimodal ? { multimodal } : {}) }), c);
  const g4 = gemma4({ languageModelOnly: true });
  assert.ok(g4.assumptions.includes('Vision tower: its 0.45 B parameters are not loaded.'), JSON.stringify(g4.assumptions));
  assert.ok(Math.abs(gemma4().memory!.breakdown.weights - g4.memory!.breakdown.weights - 0.45e9 * 2) < 1e6);
  // Its tower serves video too: images at 0 alone keep it; both at 0 skip it.
  assert.equal(gemma4({ limitPerPrompt: { image: 0 } }).memory!.breakdown.weights, gemma4().memory!.breakdown.weights);
  assert.equal(gemma4({ limitPerPrompt: { image: 0, video: 0 } }).memory!.breakdown.weights, g4.memory!.breakdown.weights);
  // A config.json whose vision_config cannot be counted: the tower is said to stay counted.
  const uncounted = JSON.stringify({ model_type: 'llava', text_config: { model_type: 'llama', ...text }, vision_config: { hidden_size: 1024, num_hidden_layers: 0 } });
  const u = estimateInferenceService(service({ model: { config: 'config.json' }, maxModelLen: 8192, multimodal: { languageModelOnly: true } }), c, { resolveConfig: () => uncounted });
  assert.ok(
    u.assumptions.some((a) => a.includes('its parameters are not known apart from the model')),
    JSON.stringify(u.assumptions),
  );
  // A config whose vision_config cannot be read is still a vision-language model: no text-only warning.
  const broken = JSON.stringify({ model_type: 'qwen2_5_vl', ...text, vision_config: { depth: 32, hidden_size: 0 } });
  const b = estimateInferenceService(service({ model: { config: 'config.json' }, maxModelLen: 8192, multimodal: { skipProfiling: true } }), c, { resolveConfig: () => broken });
  assert.ok(!b.findings.some((f) => f.code === 'multimodal-text-model'), JSON.stringify(b.findings));
});

test('config.json: a largest item out of reason (patch 1, more tokens than patches) is not read', () => {
  const g = (vision: Record<string, unknown>, top: Record<string, unknown> = {}) =>
    parseHfConfig(
      JSON.stringify({
        model_type: 'gemma3',
        ...top,
        text_config: { model_type: 'gemma3_text', hidden_size: 2560, intermediate_size: 10240, num_hidden_layers: 34, num_attention_heads: 8, num_key_value_heads: 4, head_dim: 256, vocab_size: 262208 },
        vision_config: { hidden_size: 1152, intermediate_size: 4304, num_hidden_layers: 27, ...vision },
      }),
    );
  const huge = g({ image_size: 16384, patch_size: 1 });
  assert.ok(huge.ok && huge.architecture.vision === undefined);
  assert.ok(
    huge.warnings.some((w) => w.includes('not plausible')),
    JSON.stringify(huge.warnings),
  );
  const moreTokens = g({ image_size: 896, patch_size: 14 }, { mm_tokens_per_image: 10000 });
  assert.ok(moreTokens.ok && moreTokens.architecture.vision === undefined);
  const q = parseHfConfig(
    JSON.stringify({
      model_type: 'qwen3_vl',
      text_config: { hidden_size: 4096, intermediate_size: 12288, num_hidden_layers: 36, num_attention_heads: 32, num_key_value_heads: 8, head_dim: 128, vocab_size: 151936 },
      vision_config: { depth: 27, hidden_size: 1152, intermediate_size: 4304, patch_size: 1, spatial_merge_size: 2 },
    }),
  );
  assert.ok(q.ok && q.architecture.vision === undefined);
});

test('--skip-mm-profiling on a release before it (0.10.0): the engine-no-flag warning at the option', async () => {
  const { engineUnsupported } = await import('../../../core/runs/engineCommand');
  const gaps = (engineVersion: string) => engineUnsupported({ engine: 'vllm', engineVersion, model: { preset: 'qwen3.5-9b' }, multimodal: { skipProfiling: true } });
  const old = gaps('0.10.0');
  assert.deepEqual(
    old.map((g) => g.path),
    [['spec', 'multimodal', 'skipProfiling']],
  );
  assert.match(old[0].message, /^vLLM 0\.10\.0 has no --skip-mm-profiling \(from 0\.10\.1, PR #22950, August 2025\): its argument parser refuses the flag/);
  assert.deepEqual(gaps('0.11.0'), []);
  // The Qwen VL line's note says what its processor's dummy video does.
  const e = estimateInferenceService(service({ model: { preset: 'qwen3.5-9b' }, engineVersion: '0.19.0', maxModelLen: 32768 }), cluster('H100-SXM-80GB', 1));
  assert.ok(e.assumptions.some((a) => a.includes("Its processor's dummy video (12,288 tokens) is shorter than an image, so vLLM profiles images")));
});

test('the "serve text only" fix is offered where multimodal is a flow mapping, and its edit lands inside the braces', async () => {
  const { checkFile } = await import('../../../core/check/checkFile');
  const { ClusterIndex, extractClusters } = await import('../../../core/spec/clusters');
  const text = boxService('RTX-4090-24GB', '0.19.0', 'qwen3.5-9b', ['  maxModelLen: 262144', '  multimodal: { skipProfiling: false }', '']);
  const { parseSpecFile } = await import('../../../core/spec/parse');
  const clusters = new ClusterIndex();
  clusters.set('/w/s.gantry.yaml', extractClusters('/w/s.gantry.yaml', parseSpecFile(text)));
  const c = checkFile(text, { fileName: '/w/s.gantry.yaml', clusters: clusters.scopedTo('/w/s.gantry.yaml') });
  const fix = c.problems.flatMap((p) => p.fixes ?? []).find((f) => f.title.startsWith('Serve text only'));
  assert.ok(fix, JSON.stringify(c.problems.map((p) => [p.code, (p.fixes ?? []).map((f) => f.title)])));
  const edit = fix.edits[0];
  const after = text.slice(0, edit.offset) + edit.newText + text.slice(edit.offset + edit.length);
  assert.match(after, /\n {2}multimodal: \{ skipProfiling: false, languageModelOnly: true \}\n/);
});

test('an audio tower (Gemma 4 E2B/E4B): --language-model-only leaves out both towers, audio at 0 the audio tower alone, and the estimate says which', () => {
  const c = cluster('L4-24GB', 1);
  const at = (multimodal?: InferenceServiceSpec['multimodal'], engineVersion = '0.21.0') => estimateInferenceService(service({ model: { preset: 'gemma-4-e2b' }, engineVersion, dtype: 'bf16', maxModelLen: 8192, ...(multimodal ? { multimodal } : {}) }), c);
  const weights = (e: ReturnType<typeof estimateInferenceService>) => e.memory!.breakdown.weights;
  const all = at();
  assert.ok(
    all.assumptions.some((a) => a.startsWith('Audio tower: its 0.30 B parameters are loaded and counted')),
    JSON.stringify(all.assumptions),
  );
  const text = at({ languageModelOnly: true });
  assert.ok(Math.abs(weights(all) - weights(text) - (0.12e9 + 0.3e9) * 2) < 1e6, `${weights(all) - weights(text)}`);
  assert.ok(text.assumptions.includes('Audio tower: its 0.30 B parameters are not loaded (--language-model-only).'), JSON.stringify(text.assumptions));
  assert.ok(text.serving!.kvCacheBytes > all.serving!.kvCacheBytes);
  const noAudio = at({ limitPerPrompt: { audio: 0 } });
  assert.ok(Math.abs(weights(all) - weights(noAudio) - 0.3e9 * 2) < 1e6);
  assert.ok(noAudio.assumptions.some((a) => a.startsWith('Audio tower: its 0.30 B parameters are not loaded (--limit-mm-per-prompt sets audio to 0')));
  // Before 0.10.1 a tower loads whatever its limits.
  assert.equal(weights(at({ limitPerPrompt: { audio: 0 } }, '0.10.0')), weights(all));
  // Audio options are not "multimodal options on a text-only model".
  assert.ok(!noAudio.findings.some((f) => f.code === 'multimodal-text-model'));
});

test('the "serve text only" fix for a model whose towers are known apart but not profiled says what their weights free', () => {
  const c = cluster('L4-24GB', 1);
  const e = estimateInferenceService(service({ model: { preset: 'gemma-4-e4b' }, engineVersion: '0.21.0', dtype: 'bf16', maxModelLen: 131072, maxNumSeqs: 1, gpuMemoryUtilization: 0.72 }), c);
  const fix = e.findings.flatMap((f) => f.fixes ?? []).find((f) => f.title.startsWith('Serve text only'));
  assert.ok(fix, JSON.stringify(e.findings.map((f) => f.fixes?.map((x) => x.title))));
  assert.match(fix.title, /^Serve text only, without the vision and audio towers \(--language-model-only: 0\.8 GiB of tower weights go; /);
  assert.deepEqual(fix.edits, [{ path: ['spec', 'multimodal', 'languageModelOnly'], value: true }]);
});

test('a tower whose modalities are not known may serve video: images at 0 alone keep it; Mistral Small 3.1 (images only) skips on images at 0', () => {
  const c = cluster('H100-SXM-80GB', 1);
  const text = { hidden_size: 3584, intermediate_size: 18944, num_hidden_layers: 28, num_attention_heads: 28, num_key_value_heads: 4, vocab_size: 152064 };
  // A vision_config Gantry cannot count: the tower is known to be there, its modalities are not.
  const unknown = JSON.stringify({ model_type: 'qwen2_5_vl', ...text, vision_config: { depth: 32, hidden_size: 0 } });
  const at = (limitPerPrompt: { image?: number; video?: number }) => estimateInferenceService(service({ model: { config: 'config.json' }, engineVersion: '0.21.0', maxModelLen: 8192, multimodal: { limitPerPrompt } }), c, { resolveConfig: () => unknown });
  const imageOff = at({ image: 0 });
  assert.ok(!imageOff.assumptions.some((a) => a.includes('is not loaded')), JSON.stringify(imageOff.assumptions));
  assert.ok(at({ image: 0, video: 0 }).assumptions.some((a) => a.includes('The tower is not loaded')));
  // inputs_embeds stays while the tower loads.
  assert.ok(imageOff.serving!.activationPeakBytes > at({ image: 0, video: 0 }).serving!.activationPeakBytes);
  const mistral = (limitPerPrompt?: { image?: number }) => estimateInferenceService(service({ model: { preset: 'mistral-small-3.1-24b' }, engineVersion: '0.21.0', maxModelLen: 8192, ...(limitPerPrompt ? { multimodal: { limitPerPrompt } } : {}) }), c);
  assert.ok(Math.abs(mistral().memory!.breakdown.weights - mistral({ image: 0 }).memory!.breakdown.weights - 0.44e9 * 2) < 1e6);
});

test('images and video at 0 with audio on: the audio tower loads, so the inputs_embeds buffer stays; the fix names only the towers that load', () => {
  const c = cluster('L4-24GB', 1);
  const at = (multimodal: InferenceServiceSpec['multimodal'], engineVersion = '0.21.0') => estimateInferenceService(service({ model: { preset: 'gemma-4-e2b' }, engineVersion, dtype: 'bf16', maxModelLen: 8192, multimodal }), c);
  const audioOn = at({ limitPerPrompt: { image: 0, video: 0 } });
  const text = at({ languageModelOnly: true });
  assert.ok(audioOn.serving!.activationPeakBytes > text.serving!.activationPeakBytes, `${audioOn.serving!.activationPeakBytes} vs ${text.serving!.activationPeakBytes}`);
  assert.deepEqual(audioOn.serving!.towersLoaded, ['audio']);
  assert.equal(text.serving!.towersLoaded, undefined);
  // Audio at 0 on a release before 0.10.1: loaded all the same, and no advice to set what is set.
  const old = at({ limitPerPrompt: { audio: 0 } }, '0.10.0');
  const line = old.assumptions.find((a) => a.startsWith('Audio tower:'));
  assert.equal(line, 'Audio tower: its 0.30 B parameters are loaded and counted (audio is at 0, but vLLM before 0.10.1 loads a tower whatever its limits).');
  // A short KV cache with audio already at 0: the fix frees the vision tower alone and says so.
  const e4b = estimateInferenceService(service({ model: { preset: 'gemma-4-e4b' }, engineVersion: '0.21.0', dtype: 'bf16', maxModelLen: 131072, maxNumSeqs: 1, gpuMemoryUtilization: 0.72, multimodal: { limitPerPrompt: { audio: 0 } } }), c);
  const fix = e4b.findings.flatMap((f) => f.fixes ?? []).find((f) => f.title.startsWith('Serve text only'));
  assert.ok(fix, JSON.stringify(e4b.findings.map((f) => f.fixes?.map((x) => x.title))));
  assert.match(fix.title, /^Serve text only, without the vision tower \(--language-model-only: 0\.2 GiB of tower weights go; /);
});

test('towers under SGLang with pipeline parallel sit on the first stage only; under vLLM on every stage', () => {
  const c = cluster('H100-SXM-80GB', 2);
  const at = (engine: 'vllm' | 'sglang') => estimateInferenceService(service({ engine, model: { preset: 'gemma-4-31b' }, maxModelLen: 8192, pipelineParallel: 2 }), c);
  // Tied embeddings: the first stage holds the embedding, the last the same table as its output; the towers make the difference.
  const sg = at('sglang');
  assert.ok(Math.abs(sg.serving!.weightsBytes - sg.memory!.breakdown.weights - 0.45e9 * 2) < 1e6, `${sg.serving!.weightsBytes} − ${sg.memory!.breakdown.weights}`);
  const vl = at('vllm');
  assert.equal(vl.serving!.weightsBytes, vl.memory!.breakdown.weights);
});

test('architecture.vision.params given inline is counted in the model total once, and an absurd one meets the 100 T check', () => {
  const c = cluster('H100-SXM-80GB', 1);
  const arch = { ...findModel('qwen3.5-9b')!.architecture };
  const at = (params: number) => estimateInferenceService(service({ model: { architecture: { ...arch, vision: { ...arch.vision!, params } } }, engineVersion: '0.21.0', maxModelLen: 8192 }), c);
  const small = at(0.46e9);
  const big = at(2.46e9);
  assert.ok(Math.abs(big.model!.params - small.model!.params - 2e9) < 1e6);
  assert.ok(Math.abs(big.memory!.breakdown.weights - small.memory!.breakdown.weights - 2e9 * 2) < 1e6);
  assert.ok(at(1e14).findings.some((f) => f.code === 'bad-estimate-input' && f.message.includes('more than the 100 T')));
});

test("Qwen2-VL's dummy video: frames of the largest image, as many as max_model_len holds up to vLLM's cap, profiled where it gives more tokens than an image", () => {
  // Qwen2.5-VL-7B's encoder as its config.json gives it (test above): 16,384 tokens and 65,536 patches an image.
  const qwen25: Architecture = {
    layers: 28,
    hidden: 3584,
    heads: 28,
    kvHeads: 4,
    headDim: 128,
    ffn: 18944,
    vocab: 152064,
    gatedMlp: true,
    vision: { hidden: 1280, ffn: 3420, gatedMlp: true, patchesPerItem: 65536, tokensPerItem: 16384, patchInput: 1176, video: true, dummyVideo: 'qwen2-vl' },
  };
  const at = (maxModelLen: number, extra: Partial<InferenceServiceSpec> = {}) => {
    const p = visionProfile(qwen25, spec({ engineVersion: '0.23.0', ...extra }), 8192, 256, maxModelLen, 2, 1);
    assert.ok(p && typeof p === 'object');
    return p;
  };
  // vLLM 0.23.0 at max_model_len 128000 (the model's default) prints "Encoder cache will be initialized with a budget of
  // 114688 tokens, and profiled with 1 video items of the maximum feature size": 14 frames, 7 temporal patches.
  const long = at(128000);
  assert.deepEqual([long.modality, long.items, long.budget, long.tokensPerItem, long.patchesPerItem, long.frames], ['video', 1, 114688, 114688, 7 * 65536, 14]);
  assert.equal(long.encoderPeak, 7 * 65536 * 2 * (1176 + 3 * 1280 + 3 * 1280 + 3 * 3420));
  assert.equal(long.outputs, 114688 * 3584 * 2);
  // Below two images' tokens the video is one temporal patch, an image's size: images win the tie.
  const short = at(16384);
  assert.deepEqual([short.modality, short.tokensPerItem, short.frames], ['image', 16384, undefined]);
  // 32,768 tokens hold 4 frames: two temporal patches.
  const mid = at(32768);
  assert.deepEqual([mid.modality, mid.tokensPerItem, mid.frames], ['video', 32768, 4]);
  // Video at 0: images; images at 0: the long video still.
  assert.equal(at(128000, { multimodal: { limitPerPrompt: { video: 0 } } }).modality, 'image');
  assert.equal(at(128000, { multimodal: { limitPerPrompt: { image: 0 } } }).tokensPerItem, 114688);
  // Releases before the cap of 14 frames took 16: 131,072 tokens hold 16 frames (8 temporal patches; images off, so no
  // image's tokens come off first).
  const older = visionProfile(qwen25, spec({ engineVersion: '0.9.2', multimodal: { limitPerPrompt: { image: 0 } } }), 8192, 256, 131072, 2, 1);
  const newer = visionProfile(qwen25, spec({ engineVersion: '0.23.0', multimodal: { limitPerPrompt: { image: 0 } } }), 8192, 256, 131072, 2, 1);
  assert.ok(older && typeof older === 'object' && newer && typeof newer === 'object');
  assert.deepEqual([older.tokensPerItem, older.frames, newer.tokensPerItem, newer.frames], [131072, 16, 114688, 14]);
  // Whatever max_model_len, the frames stay within the cap (no unbounded search).
  assert.equal(at(10_000_000).frames, 14);
  // Before 0.11.0 the frames fit max_model_len less an image's tokens where images are on (PR #24312 dropped that):
  // 128,000 − 16,384 holds 12 frames (6 temporal patches); with images at 0, the whole 128,000 (14 frames, under 16).
  const v010 = (mm?: InferenceServiceSpec['multimodal']) => visionProfile(qwen25, spec({ engineVersion: '0.10.1', ...(mm ? { multimodal: mm } : {}) }), 8192, 256, 128000, 2, 1);
  const withImages = v010();
  const videoOnly = v010({ limitPerPrompt: { image: 0 } });
  assert.ok(withImages && typeof withImages === 'object' && videoOnly && typeof videoOnly === 'object');
  assert.deepEqual([withImages.frames, withImages.tokensPerItem, videoOnly.frames, videoOnly.tokensPerItem], [12, 98304, 14, 114688]);
});

test("the estimate: Qwen2.5-VL's long dummy video takes the KV memory vLLM leaves out, and the estimate says which item it profiled", () => {
  const config = QWEN25_VL_7B_CONFIG;
  const parsed = parseHfConfig(config);
  assert.ok(parsed.ok);
  const c = cluster('A100-SXM-80GB', 1);
  const base = { model: { architecture: parsed.architecture }, engineVersion: '0.23.0', gpuMemoryUtilization: 0.9 };
  const long = estimateInferenceService(service({ ...base, maxModelLen: 128000 }), c);
  const noVideo = estimateInferenceService(service({ ...base, maxModelLen: 128000, multimodal: { limitPerPrompt: { video: 0 } } }), c);
  assert.ok(long.serving && noVideo.serving, JSON.stringify(long.findings));
  const note = long.assumptions.find((a) => a.startsWith('Vision encoder profiled'));
  assert.ok(note?.includes("1 dummy video of 114,688 tokens (14 frames of the largest image, 458,752 patches, as many frames as max_model_len holds up to vLLM's cap; vLLM profiles the modality whose item gives the most tokens, here more than an image's 16,384)"), note);
  // Seven images' worth of patches through the encoder: several GiB more than one image, given back with video at 0.
  assert.ok(noVideo.serving.kvCacheBytes - long.serving.kvCacheBytes > 10 * GIB, `${(noVideo.serving.kvCacheBytes - long.serving.kvCacheBytes) / GIB}`);
  assert.ok(noVideo.assumptions.some((a) => a.includes('1 dummy image of 16,384 tokens')));
});

test("config.json re-saved by transformers (Qwen's own AWQ repos): the vision fields it leaves out are transformers' defaults, and the estimate says so", () => {
  const text = QWEN25_VL_7B_TEXT;
  const full = parseHfConfig(QWEN25_VL_7B_CONFIG);
  // Qwen/Qwen2.5-VL-7B-Instruct-AWQ's vision_config keeps only what differs from Qwen2_5_VLVisionConfig's defaults.
  const diff = parseHfConfig(JSON.stringify({ model_type: 'qwen2_5_vl', ...text, vision_config: { hidden_size: 1280, in_chans: 3, model_type: 'qwen2_5_vl', spatial_patch_size: 14, tokens_per_second: 2 } }));
  assert.ok(full.ok && diff.ok);
  assert.deepEqual(diff.architecture.vision, full.architecture.vision);
  assert.ok(
    diff.warnings.some((w) => w.startsWith("vision_config leaves out depth, hidden_act, intermediate_size, num_heads, spatial_merge_size, temporal_patch_size, out_hidden_size: taken at transformers' Qwen2_5_VLVisionConfig defaults")),
    JSON.stringify(diff.warnings),
  );
  assert.ok(!full.warnings.some((w) => w.includes('leaves out')), JSON.stringify(full.warnings));
  // Qwen/Qwen2-VL-2B-Instruct-AWQ: only the projector's width, the channels and the patch size are written.
  const qwen2 = parseHfConfig(
    JSON.stringify({ model_type: 'qwen2_vl', hidden_size: 1536, intermediate_size: 8960, num_hidden_layers: 28, num_attention_heads: 12, num_key_value_heads: 2, vocab_size: 151936, tie_word_embeddings: true, vision_config: { hidden_size: 1536, in_chans: 3, model_type: 'qwen2_vl', spatial_patch_size: 14 } }),
  );
  assert.ok(qwen2.ok);
  const v = qwen2.architecture.vision!;
  assert.deepEqual([v.hidden, v.ffn, v.gatedMlp, v.tokensPerItem, v.dummyVideo], [1280, 5120, false, 16384, 'qwen2-vl']);
  // The tower by Gantry's count of the defaults: Qwen2-VL-2B's 0.665 B (its checkpoint: 2.21 B in all).
  assert.ok(v.params && near(v.params, 0.665e9, 0.01), String(v.params));
  // A value that is given but wrong is still refused: defaults stand only for what is left out.
  const bad = parseHfConfig(JSON.stringify({ model_type: 'qwen2_5_vl', ...text, vision_config: { hidden_size: 0 } }));
  assert.ok(bad.ok);
  assert.equal(bad.architecture.vision, undefined);
});

test('before vLLM 0.11.0 the dummy video item is sized by max_model_len but the encoder runs on a video of max_num_batched_tokens (PR #25553)', () => {
  const qwen25 = findModel('qwen2.5-vl-7b')!.architecture;
  const at = (engineVersion: string) => {
    const p = visionProfile(qwen25, spec({ engineVersion }), 8192, 256, 128000, 2, 1);
    assert.ok(p && typeof p === 'object');
    return p;
  };
  const old = at('0.10.1');
  // The item (budget, items, modality): 12 frames, 98,304 tokens; the encoder's run: one frame of 8,192 tokens' room.
  assert.deepEqual([old.modality, old.budget, old.items, old.frames, old.ranFrames, old.patchesPerItem], ['video', 98304, 1, 12, 1, 65536]);
  assert.equal(old.outputs, 16384 * 3584 * 2);
  const current = at('0.11.0');
  assert.deepEqual([current.frames, current.ranFrames, current.patchesPerItem], [14, 14, 7 * 65536]);
  assert.ok(current.encoderPeak > 6 * old.encoderPeak);
  const e = estimateInferenceService(service({ model: { preset: 'qwen2.5-vl-7b' }, engineVersion: '0.10.1', maxModelLen: 128000 }), cluster('A100-SXM-80GB', 1));
  const note = e.assumptions.find((a) => a.startsWith('Vision encoder profiled'));
  assert.ok(note?.includes('1 dummy video of 98,304 tokens (12 frames of the largest image') && note.includes('releases before 0.11.0 run the encoder on a video of max_num_batched_tokens: 1 frame, 65,536 patches'), note);
});

test("a long dummy video: the estimate offers to turn video off and keep images, and the fix's edit lands in the spec", async () => {
  const { checkFile } = await import('../../../core/check/checkFile');
  const { ClusterIndex, extractClusters } = await import('../../../core/spec/clusters');
  const { parseSpecFile } = await import('../../../core/spec/parse');
  const text = boxService('A100-SXM-40GB', '0.23.0', 'qwen2.5-vl-7b', ['  maxModelLen: 128000', '']);
  const clusters = new ClusterIndex();
  clusters.set('/w/s.gantry.yaml', extractClusters('/w/s.gantry.yaml', parseSpecFile(text)));
  const c = checkFile(text, { fileName: '/w/s.gantry.yaml', clusters: clusters.scopedTo('/w/s.gantry.yaml') });
  const fix = c.problems.flatMap((p) => p.fixes ?? []).find((f) => f.title.startsWith('Turn video off, keeping images'));
  assert.ok(fix, JSON.stringify(c.problems.map((p) => [p.code, (p.fixes ?? []).map((f) => f.title)])));
  assert.match(fix.title, /instead of a 14-frame dummy video; ≈ [\d,]+ KV tokens/);
  const edit = fix.edits[0];
  const after = text.slice(0, edit.offset) + edit.newText + text.slice(edit.offset + edit.length);
  const fixed = checkFile(after, { fileName: '/w/s.gantry.yaml', clusters: clusters.scopedTo('/w/s.gantry.yaml') });
  assert.ok(!fixed.problems.some((p) => p.code === 'kv-cache-too-small' || p.code === 'memory-exceeds-capacity'), after);
  assert.deepEqual((parseSpecFile(after)[1].value as { spec: InferenceServiceSpec }).spec.multimodal, { limitPerPrompt: { video: 0 } });
});

test("Qwen3-VL's dummy video: 12,288 tokens in the video processor's pixel volume, counted 12.5 times over and its embeddings padded to the budget in vLLM 0.11–0.13", () => {
  const qwen3vl = findModel('qwen3-vl-8b')!.architecture;
  const at = (engineVersion: string, maxModelLen = 262144, mm?: InferenceServiceSpec['multimodal']) => {
    const p = visionProfile(qwen3vl, spec({ engineVersion, ...(mm ? { multimodal: mm } : {}) }), 8192, 256, maxModelLen, 2, 1);
    assert.ok(p && typeof p === 'object');
    return p;
  };
  // vLLM 0.11.0 prints "Encoder cache will be initialized with a budget of 153600 tokens, and profiled with 1 video items".
  const old = at('0.11.0');
  assert.deepEqual([old.modality, old.budget, old.items, old.tokensPerItem, old.ranTokens, old.patchesPerItem, old.paddedTo], ['video', 153600, 1, 153600, 12288, 49152, 153600]);
  // The embeddings padded to the budget: 153,600 rows × 4,096 × (1 + 3 deepstack layers), bf16: about 4.7 GiB.
  assert.equal(old.outputs, 153600 * 4096 * 2 * 4);
  // Below a max_model_len of 16,200 the frame search stopped at two frames of 3,520²: 12,100 tokens, counted as 151,250.
  const short = at('0.12.0', 8192);
  assert.deepEqual([short.budget, short.ranTokens, short.patchesPerItem], [151250, 12100, 48400]);
  // From 0.14.0 (PR #30475) the video is 12,288 tokens, shorter than an image: images are profiled, nothing padded.
  const current = at('0.14.0');
  assert.deepEqual([current.modality, current.budget, current.tokensPerItem, current.paddedTo], ['image', 16384, 16384, undefined]);
  // Images off: the video, 12,288 tokens and 49,152 patches (not an image's 16,384 and 65,536).
  const videoOnly = at('0.19.0', 262144, { limitPerPrompt: { image: 0 } });
  assert.deepEqual([videoOnly.modality, videoOnly.tokensPerItem, videoOnly.patchesPerItem], ['video', 12288, 49152]);
  // The estimate: about 5 GiB less KV memory at 0.11.0 than at 0.14.0 for Qwen3-VL-8B, and it says why.
  const c = cluster('RTX-5090-32GB', 1);
  const e = (engineVersion: string) => estimateInferenceService(service({ model: { preset: 'qwen3-vl-8b' }, engineVersion, maxModelLen: 32768 }), c);
  const e011 = e('0.11.0');
  const e014 = e('0.14.0');
  assert.ok(e011.serving && e014.serving);
  // The profile's share over the language model's: the padded embeddings (4.69 GiB) at 0.11.0, the image's encoder peak at 0.14.0.
  assert.ok(Math.abs(e011.serving.visionProfileBytes! / GIB - 4.69) < 0.01, String(e011.serving.visionProfileBytes! / GIB));
  const gap = (e014.serving.kvCacheBytes - e011.serving.kvCacheBytes) / GIB;
  assert.ok(gap > 3 && gap < 3.5, String(gap));
  const note = e011.assumptions.find((x) => x.startsWith('Vision encoder profiled'));
  assert.ok(note?.includes('1 dummy video counted as 153,600 tokens') && note.includes('padded each item') && note.includes('12.5 times over'), note);
});

test("vLLM 0.11–0.13 pad each dummy item's embeddings to the whole budget: many small images take that many times more", () => {
  // Gemma 3: 32 images of 256 tokens fill an 8,192-token budget; each is padded to 8,192 rows in 0.11–0.13.
  const g = (engineVersion: string) => visionProfile(gemma3, { ...spec({ engineVersion }), model: { preset: 'gemma-3-4b' } }, 8192, 1024, 8192, 2, 1);
  const old = g('0.12.0');
  const now = g('0.19.0');
  assert.ok(old && typeof old === 'object' && now && typeof now === 'object');
  assert.equal(old.items, 32);
  assert.equal(old.outputs, 32 * now.outputs);
  assert.equal(old.paddedTo, 8192);
  assert.equal(now.paddedTo, undefined);
});

test('Qwen3-VL in vLLM 0.11–0.13: the quick fix turns video off and keeps images; the skipped-profile warning takes the largest real item (an image)', () => {
  const c = cluster('RTX-4090-24GB', 1);
  const base = { model: { preset: 'qwen3-vl-8b' }, engineVersion: '0.11.0', maxModelLen: 32768 };
  const e = estimateInferenceService(service(base), c);
  const fix = e.findings.flatMap((f) => f.fixes ?? []).find((f) => f.title.startsWith('Turn video off, keeping images'));
  assert.ok(fix, JSON.stringify(e.findings.map((f) => [f.code, (f.fixes ?? []).map((x) => x.title)])));
  assert.match(fix.title, /instead of a dummy video counted as 153,600 tokens, its embeddings padded to that budget/);
  assert.deepEqual(fix.edits, [{ path: ['spec', 'multimodal', 'limitPerPrompt', 'video'], value: 0 }]);
  // From 0.14.0 images are profiled: no such fix.
  const now = estimateInferenceService(service({ ...base, engineVersion: '0.14.0' }), c);
  assert.ok(!now.findings.flatMap((f) => f.fixes ?? []).some((f) => f.title.startsWith('Turn video off')));
  // Profile skipped: a real image (65,536 patches) runs the encoder harder than the 49,152-patch video, and is named.
  const skipped = estimateInferenceService(service({ ...base, gpuMemoryUtilization: 0.95, multimodal: { skipProfiling: true } }), c);
  const w = skipped.findings.find((f) => f.code === 'vision-profile-skipped');
  assert.ok(w && w.message.includes('one full-size image runs the encoder'), JSON.stringify(skipped.findings.map((f) => f.message.slice(0, 200))));
});

test('a start whose dummy video takes KV memory an image would leave: said as information, with the video-off fix', () => {
  const c = cluster('H100-SXM-80GB', 1);
  const at = (extra: Partial<InferenceServiceSpec>) => estimateInferenceService(service({ model: { preset: 'qwen2.5-vl-7b' }, engineVersion: '0.23.0', ...extra }), c);
  const long = at({ maxModelLen: 128000 });
  assert.ok(long.ok, JSON.stringify(long.findings));
  const f = long.findings.find((x) => x.code === 'vision-video-profile');
  assert.ok(f, JSON.stringify(long.findings.map((x) => x.code)));
  assert.equal(f.severity, 'info');
  assert.deepEqual(f.path, ['spec', 'model']);
  assert.match(f.message, /^vLLM profiles a 14-frame dummy video of 114,688 tokens before it sizes the KV cache, which leaves [\d.]+ GiB per GPU less/);
  assert.deepEqual(f.fixes?.[0].edits, [{ path: ['spec', 'multimodal', 'limitPerPrompt', 'video'], value: 0 }]);
  // Short contexts (a one-frame video), video off, and Qwen3-VL on current releases: nothing to say.
  for (const e of [at({ maxModelLen: 8192 }), at({ maxModelLen: 128000, multimodal: { limitPerPrompt: { video: 0 } } }), estimateInferenceService(service({ model: { preset: 'qwen3-vl-8b' }, engineVersion: '0.19.0', maxModelLen: 32768 }), c)]) {
    assert.ok(!e.findings.some((x) => x.code === 'vision-video-profile'), JSON.stringify(e.findings.map((x) => x.code)));
  }
  // Qwen3-VL in 0.11–0.13 on a card where it starts: said at the spec's multimodal where it has one.
  const q = estimateInferenceService(service({ model: { preset: 'qwen3-vl-8b' }, engineVersion: '0.12.0', maxModelLen: 32768, multimodal: { limitPerPrompt: { image: 4 } } }), c);
  const g = q.findings.find((x) => x.code === 'vision-video-profile');
  assert.ok(g && g.message.includes('a dummy video counted as 153,600 tokens, its embeddings padded to that budget'), JSON.stringify(q.findings));
  assert.deepEqual(g.path, ['spec', 'multimodal']);
});

test('Llama 4 Scout is multimodal though the catalog does not count its tower: its image options draw no text-only warning, and the estimate says the tower is not counted', () => {
  const e = estimateInferenceService(service({ model: { preset: 'meta-llama/Llama-4-Scout-17B-16E-Instruct' }, tensorParallel: 8, maxModelLen: 8192, multimodal: { limitPerPrompt: { image: 2 } } }), cluster('H100-SXM-80GB', 8));
  assert.ok(e.ok, JSON.stringify(e.findings));
  assert.ok(!e.findings.some((f) => f.code === 'multimodal-text-model'), e.findings.map((f) => f.message).join('\n'));
  assert.ok(e.assumptions.some((a) => a.includes('vision tower whose parameters the catalog does not count')));
  // A text-only model keeps the warning.
  const t = estimateInferenceService(service({ model: { preset: 'llama-3.1-8b' }, maxModelLen: 8192, multimodal: { limitPerPrompt: { image: 2 } } }), cluster('H100-SXM-80GB', 1));
  assert.ok(t.findings.some((f) => f.code === 'multimodal-text-model'));
});
