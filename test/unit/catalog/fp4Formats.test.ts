// 4-bit float checkpoints (NVFP4, MXFP4), ModelOpt and AutoRound configs, the weight-format family a
// spec's quantization names, and the GPUs people serve them on (RTX 3060 12GB, RTX PRO 6000 Blackwell).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { findGpu } from '../../../core/catalog/gpus';
import { gpuFromProductLabel } from '../../../core/catalog/gpuProducts';
import { resolveModelName } from '../../../core/catalog/models';
import { keptModules, weightFormatFromQuantConfig } from '../../../core/catalog/weightFormat';
import { estimateInferenceService } from '../../../core/estimate/index';
import { findServeCommand, readServeArgs } from '../../../core/formats/vllmArgs';
import { tokenizeShell } from '../../../core/formats/shellWords';
import { engineArgv, engineUnsupported } from '../../../core/runs/engineCommand';
import { GIB, cluster, service } from '../estimate/helpers';

const format = (q: unknown) => {
  const f = weightFormatFromQuantConfig(q);
  assert.ok(f && typeof f !== 'string', `${JSON.stringify(q)} → ${String(f)}`);
  return f;
};

test('NVFP4 and MXFP4 checkpoints: 4 bits plus an 8-bit scale per 16 (4.5) or per 32 (4.25), by the config that ships them', () => {
  // compressed-tensors nvfp4-pack-quantized: float 4-bit weights, tensor_group strategy, group 16, FP8 E4M3 scales.
  const ct = format({
    quant_method: 'compressed-tensors',
    format: 'nvfp4-pack-quantized',
    config_groups: { group_0: { targets: ['Linear'], weights: { num_bits: 4, type: 'float', strategy: 'tensor_group', group_size: 16, symmetric: true }, input_activations: { num_bits: 4, type: 'float', strategy: 'tensor_group', group_size: 16, dynamic: 'local' } } },
  });
  assert.equal(ct.bitsPerWeight, 4.5);
  assert.equal(ct.family, 'nvfp4');
  assert.match(ct.label, /NVFP4/);
  // The same container with MX groups of 32 (E8M0 scales).
  const mx = format({ quant_method: 'compressed-tensors', config_groups: { g: { weights: { num_bits: 4, type: 'float', strategy: 'group', group_size: 32 } } } });
  assert.deepEqual([mx.bitsPerWeight, mx.family, mx.scope], [4.25, 'mxfp4', 'linear']);
  // ModelOpt writes quant_algo into config.json's quantization_config (and hf_quant_config.json's `quantization`).
  assert.deepEqual([format({ quant_method: 'modelopt', quant_algo: 'NVFP4', group_size: 16 }).bitsPerWeight, format({ quant_method: 'modelopt', quant_algo: 'NVFP4' }).family], [4.5, 'nvfp4']);
  assert.equal(format({ quant_method: 'modelopt', quantization: { quant_algo: 'NVFP4', kv_cache_quant_algo: 'FP8' } }).bitsPerWeight, 4.5);
  assert.equal(format({ quant_method: 'modelopt', quant_algo: 'FP8' }).bitsPerWeight, 8);
  assert.equal(format({ quant_method: 'modelopt', quant_algo: 'FP8_PB_WO' }).family, 'fp8');
  assert.equal(format({ quant_method: 'modelopt', quant_algo: 'MXFP8' }).bitsPerWeight, 8.25);
  // Before this change every modelopt checkpoint read as fp8; a layer-by-layer mix is said, not guessed.
  const mixed = weightFormatFromQuantConfig({ quant_method: 'modelopt', quant_algo: 'MIXED_PRECISION' });
  assert.equal(typeof mixed, 'string');
  assert.match(String(mixed), /MIXED_PRECISION/);
  // gpt-oss's own mxfp4: experts only.
  assert.deepEqual([format({ quant_method: 'mxfp4' }).scope, format({ quant_method: 'mxfp4' }).family], ['experts', 'mxfp4']);
});

test('AutoRound int4 packs as GPTQ does: 4 bits + a 16-bit scale per group (+ a zero point when asymmetric)', () => {
  assert.equal(format({ quant_method: 'auto-round', bits: 4, group_size: 128, sym: true, packing_format: 'auto_round:auto_gptq' }).bitsPerWeight, 4.125);
  assert.equal(format({ quant_method: 'intel/auto-round', bits: 4, group_size: 128, sym: false }).bitsPerWeight, 4.156);
  const f = format({ quant_method: 'auto-round', bits: 4, group_size: 64, sym: true });
  assert.deepEqual([f.bitsPerWeight, f.family], [4.25, 'int4']);
  assert.match(f.label, /AutoRound, group 64/);
});

test('derivative names: -FP4 / -NVFP4 / -MXFP4 / -AutoRound repos of a catalog model resolve with their format', () => {
  const cases: [string, string, number][] = [
    ['nvidia/Llama-3.1-8B-Instruct-FP4', 'llama-3.1-8b', 4.5],
    ['RedHatAI/Qwen3-8B-NVFP4', 'qwen3-8b', 4.5],
    ['someone/Qwen3-8B-MXFP4', 'qwen3-8b', 4.25],
    ['Intel/Qwen3-8B-int4-AutoRound', 'qwen3-8b', 4.25],
    ['someone/Qwen3-8B-AutoRound-int4', 'qwen3-8b', 4.25],
  ];
  for (const [name, id, bits] of cases) {
    const r = resolveModelName(name);
    assert.equal(r?.model.id, id, name);
    assert.equal(r?.weightFormat?.bitsPerWeight, bits, name);
  }
  assert.match(resolveModelName('nvidia/Llama-3.1-8B-Instruct-FP4')!.weightFormat!.label, /FP4 read as NVFP4/);
});

test('spec quantization nvfp4 / mxfp4: weights at 4.5 / 4.25 bits; a quantization of the checkpoint’s own family keeps its exact bits and scope', () => {
  const h100 = cluster('H100-SXM-80GB', 1);
  const bf16 = estimateInferenceService(service({ model: { preset: 'llama-3.1-8b' }, maxModelLen: 8192 }), h100);
  const nv = estimateInferenceService(service({ model: { preset: 'llama-3.1-8b' }, quantization: 'nvfp4', maxModelLen: 8192 }), h100);
  assert.ok(bf16.ok && nv.ok);
  // Llama 3.1 8B: 6.98 B block linear parameters at 4.5 bits + 1.05 B embedding/output in bf16 ≈ 5.6 GiB.
  const w = nv.serving!.weightsBytes / GIB;
  assert.ok(w > 5.3 && w < 5.9, String(w));
  assert.ok(nv.serving!.kvCacheTokens > bf16.serving!.kvCacheTokens);
  // gpt-oss ships mxfp4 experts only; `--quantization mxfp4` is that same format, not mxfp4 on every linear.
  const none = estimateInferenceService(service({ model: { preset: 'openai/gpt-oss-20b' }, maxModelLen: 8192 }), h100);
  const mx = estimateInferenceService(service({ model: { preset: 'openai/gpt-oss-20b' }, quantization: 'mxfp4', maxModelLen: 8192 }), h100);
  assert.equal(mx.serving!.weightsBytes, none.serving!.weightsBytes);
  // A different family still wins over the checkpoint's (as before: spec.quantization is the user's word).
  const fp8 = estimateInferenceService(service({ model: { preset: 'openai/gpt-oss-20b' }, quantization: 'fp8', maxModelLen: 8192 }), h100);
  assert.ok(fp8.serving!.weightsBytes > none.serving!.weightsBytes);
});

test('vllm serve --quantization modelopt_fp4 / mxfp4 / auto-round read into the spec; the launch command leaves checkpoint formats to the engine', () => {
  const read = (line: string) => readServeArgs(findServeCommand(tokenizeShell(line).commands[0].words)!);
  assert.equal(read('vllm serve nvidia/Llama-3.1-8B-Instruct-FP4 --quantization modelopt_fp4').spec.quantization, 'nvfp4');
  assert.equal(read('vllm serve openai/gpt-oss-20b --quantization mxfp4').spec.quantization, 'mxfp4');
  assert.equal(read('vllm serve Intel/Qwen3-8B-int4-AutoRound --quantization auto-round').spec.quantization, 'int4');
  assert.equal(read('vllm serve nvidia/Llama-3.1-8B-Instruct-FP8 --quantization modelopt').spec.quantization, 'fp8');
  const r = read('vllm serve x/y --quantization modelopt_fp4');
  assert.ok(!r.problems.some((p) => p.code === 'foreign-flag-value'), JSON.stringify(r.problems));
  // vLLM refuses a --quantization that names another method than the checkpoint's config, and NVFP4/MXFP4
  // exist only as checkpoints: the command carries no flag and the engine reads the format.
  for (const engine of ['vllm', 'sglang'] as const) {
    const argv = engineArgv({ engine, model: { preset: 'llama-3.1-8b' }, quantization: 'nvfp4' }, { model: 'm', host: '127.0.0.1' })!;
    assert.ok(!argv.includes('--quantization'), argv.join(' '));
    assert.deepEqual(engineUnsupported({ engine, model: { preset: 'llama-3.1-8b' }, quantization: 'mxfp4' }), []);
  }
  // TGI has no NVFP4 path: the field gets the engine's "no flag for this" warning.
  assert.deepEqual(
    engineUnsupported({ engine: 'tgi', model: { preset: 'llama-3.1-8b' }, quantization: 'nvfp4' }).map((g) => g.path),
    [['spec', 'quantization']],
  );
});

test('GPUs: RTX 3060 12GB (11.76 GiB as PyTorch reports it) and RTX PRO 6000 Blackwell (94.97 GiB), by name and node label', () => {
  const g = findGpu('NVIDIA GeForce RTX 3060');
  assert.equal(g?.id, 'RTX-3060-12GB');
  assert.equal(g?.memoryGiB, 11.76);
  const p = findGpu('NVIDIA RTX PRO 6000 Blackwell Server Edition');
  assert.equal(p?.id, 'RTX-PRO-6000-96GB');
  assert.equal(p?.memoryBytes, Math.round(94.97 * GIB));
  assert.equal(gpuFromProductLabel('NVIDIA-RTX-PRO-6000-Blackwell-Server-Edition')?.id, 'RTX-PRO-6000-96GB');
  assert.equal(gpuFromProductLabel('NVIDIA-GeForce-RTX-3060')?.id, 'RTX-3060-12GB');
  // An AWQ Qwen2.5 7B on one 12 GB card starts with a KV cache.
  const e = estimateInferenceService(service({ model: { preset: 'Qwen/Qwen2.5-7B-Instruct-AWQ' }, gpuMemoryUtilization: 0.9, maxModelLen: 8192 }), cluster('RTX-3060-12GB', 1));
  assert.ok(e.ok && e.serving!.kvCacheTokens > 8192, JSON.stringify(e.findings));
});

test('ignore lists: modules a quantized checkpoint leaves in bf16 are read by kind, not by running its patterns', () => {
  // The shapes NVFP4/FP8 exports of Qwen3.5-class models ship (compressed-tensors `ignore`, ModelOpt `exclude_modules`).
  assert.deepEqual(keptModules(['lm_head', 're:.*mlp.gate$', 're:.*linear_attn.*', 're:model.visual.*', 're:mtp.*']).kept.sort(), ['mtp', 'recurrent']);
  assert.deepEqual(keptModules(['*self_attn*', 'model.visual*']).kept, ['attention']);
  assert.deepEqual(keptModules(['*attn*']).kept.sort(), ['attention', 'recurrent']);
  assert.deepEqual(keptModules(['re:.*mlp.*']).kept.sort(), ['experts', 'mlp', 'shared']);
  assert.deepEqual(keptModules(['re:.*shared_expert.*']).kept, ['shared']);
  // One layer's module is not generalised to all layers; it is counted apart.
  assert.deepEqual(keptModules(['model.layers.3.mlp.down_proj', 'model.layers.0.self_attn']), { kept: [], layerSpecific: 2 });
  // Hostile lists: not an array, huge entries, non-strings.
  assert.deepEqual(keptModules('linear_attn'), { kept: [], layerSpecific: 0 });
  assert.deepEqual(keptModules([42, 'x'.repeat(100000), null]).kept, []);
  const f = format({
    quant_method: 'compressed-tensors',
    config_groups: { g: { weights: { num_bits: 4, type: 'float', strategy: 'tensor_group', group_size: 16 } } },
    ignore: ['lm_head', 're:.*linear_attn.*', 're:mtp.*'],
  });
  assert.deepEqual(f.kept?.sort(), ['mtp', 'recurrent']);
  assert.match(f.label, /linear attention \/ Mamba, MTP left unquantized \(ignore list\)/);
  assert.deepEqual(format({ quant_method: 'modelopt', quantization: { quant_algo: 'NVFP4', exclude_modules: ['*linear_attn*'] } }).kept, ['recurrent']);
});

const hub = path.join(path.sep, 'cache', 'hub');
/** A Qwen3.5-27B-shaped hybrid's config.json (text_config only, no vision tower). */
const HYBRID_27B = {
  model_type: 'qwen3_5',
  text_config: {
    model_type: 'qwen3_5_text',
    num_hidden_layers: 64,
    hidden_size: 5120,
    intermediate_size: 17408,
    num_attention_heads: 24,
    num_key_value_heads: 4,
    head_dim: 256,
    vocab_size: 248320,
    full_attention_interval: 4,
    linear_num_key_heads: 16,
    linear_num_value_heads: 48,
    linear_key_head_dim: 128,
    linear_value_head_dim: 128,
    linear_conv_kernel_dim: 4,
    mamba_ssm_dtype: 'float32',
    attn_output_gate: true,
    mtp_num_hidden_layers: 1,
    tie_word_embeddings: false,
    max_position_embeddings: 262144,
  },
};
const q = { quant_method: 'compressed-tensors', config_groups: { g: { weights: { num_bits: 4, type: 'float', strategy: 'tensor_group', group_size: 16 } } } };
/** That model from a made-up hub cache with the given quantization_config, TP 2 with MTP on two RTX PRO 6000. */
const estimateWith = (quantization_config: unknown) => {
  const dir = path.join(hub, 'models--acme--Hybrid-27B-NVFP4');
  const files = new Map<string, string>([
    [path.join(dir, 'refs', 'main'), 'c0ffee0123456789abcdef0123456789abcdef01\n'],
    [path.join(dir, 'snapshots', 'c0ffee0123456789abcdef0123456789abcdef01', 'config.json'), JSON.stringify({ ...HYBRID_27B, quantization_config })],
  ]);
  return estimateInferenceService(service({ model: { preset: 'acme/Hybrid-27B-NVFP4' }, tensorParallel: 2, maxModelLen: 65536, speculative: { method: 'mtp' } }), cluster('RTX-PRO-6000-96GB', 2), { resolveConfig: (p) => files.get(p), hfHubCache: hub });
};

test('serving: an NVFP4 hybrid whose ignore list keeps linear attention and MTP in bf16 weighs more, by those modules at 16 bits', () => {
  const all = estimateWith(q);
  const kept = estimateWith({ ...q, ignore: ['lm_head', 're:.*linear_attn.*', 're:mtp.*'] });
  assert.ok(all.ok && kept.ok, JSON.stringify(kept.findings));
  // 48 Gated DeltaNet layers × 115.9 M (5120 × (2·2048 + 2·6144 + 96) in, 6144 × 5120 out, conv) = 5.56 B parameters and the
  // 0.42 B MTP layer go from 4.5 to 16 bits: 5.99 B × 1.4375 B = 8.0 GiB over the two GPUs.
  const delta = ((kept.serving!.weightsBytes - all.serving!.weightsBytes) * 2) / GIB;
  assert.ok(delta > 7.8 && delta < 8.2, String(delta));
  assert.ok(kept.assumptions.some((a) => a.includes('left unquantized (ignore list)')));
});

test('an NVFP4 repo of a hybrid model known by name only: attention and Gated DeltaNet / Mamba projections taken as FP8 and the MTP layer unquantized, as NVIDIA stores them; a dense model and a config.json keep their own reading', () => {
  const hybrid = resolveModelName('Inferact/Qwen3.8-27B-NVFP4')!;
  assert.equal(hybrid.model.id, 'qwen3.5-27b');
  assert.deepEqual(hybrid.weightFormat?.higher, { kinds: ['attention', 'recurrent'], bitsPerWeight: 8 });
  assert.deepEqual(hybrid.weightFormat?.kept, ['mtp']);
  assert.match(hybrid.derivedFrom ?? '', /attention and Gated DeltaNet projections taken as FP8 and the MTP layer as unquantized/);
  // A dense model's NVFP4 repo: every linear layer at 4.5 bits, as before.
  const dense = resolveModelName('RedHatAI/Qwen3-8B-NVFP4')!.weightFormat!;
  assert.equal(dense.higher, undefined);
  assert.equal(dense.kept, undefined);
  // Other families on a hybrid are left as named (the published FP8 checkpoints quantize the mixers too).
  assert.equal(resolveModelName('Qwen/Qwen3.8-27B-FP8')!.weightFormat!.higher, undefined);
  const opts = { tensorParallel: 2, maxModelLen: 65536, speculative: { method: 'mtp' as const } };
  const named = estimateInferenceService(service({ model: { preset: 'Inferact/Qwen3.8-27B-NVFP4' }, ...opts }), cluster('RTX-PRO-6000-96GB', 2));
  // The spec's quantization: nvfp4 on the catalog id is the same checkpoint, by the same rule.
  const spelled = estimateInferenceService(service({ model: { preset: 'qwen3.5-27b' }, quantization: 'nvfp4', ...opts }), cluster('RTX-PRO-6000-96GB', 2));
  assert.ok(named.ok && spelled.ok, JSON.stringify(named.findings));
  assert.equal(spelled.serving!.weightsBytes, named.serving!.weightsBytes);
  assert.ok(
    spelled.assumptions.some((a) => a.startsWith('Weights (quantization nvfp4): NVFP4') && a.includes('taken as FP8')),
    spelled.assumptions.join('\n'),
  );
  // model.weights naming the NVFP4 checkpoint of the preset: the same reading, said with where it came from.
  const loads = estimateInferenceService(service({ model: { preset: 'qwen3.5-27b', weights: 'nvidia/Qwen3.6-27B-NVFP4' }, ...opts }), cluster('RTX-PRO-6000-96GB', 2));
  assert.equal(loads.serving!.weightsBytes, named.serving!.weightsBytes);
  assert.ok(loads.assumptions.some((a) => a.includes("from model.weights 'nvidia/Qwen3.6-27B-NVFP4'")));
  assert.ok(named.assumptions.some((a) => a.includes("as NVIDIA's NVFP4 checkpoints of such models store them")));
  // Against a config.json whose quantization_config puts every linear layer in NVFP4 (read as written): the
  // 1.68 B attention and 5.56 B Gated DeltaNet parameters at 8 bits instead of 4.5, and the 0.42 B MTP layer at 16:
  // (7.24 × 3.5 + 0.42 × 11.5) / 8 = 3.77 GB; and the catalog entry's 0.46 B vision tower in bf16, which this
  // text-only config.json lacks: 0.92 GB. 4.69 GB ≈ 4.37 GiB more over the two GPUs.
  const asWritten = estimateWith(q);
  assert.ok(asWritten.ok, JSON.stringify(asWritten.findings));
  const delta = ((named.serving!.weightsBytes - asWritten.serving!.weightsBytes) * 2) / GIB;
  assert.ok(delta > 4.2 && delta < 4.55, String(delta));
});
