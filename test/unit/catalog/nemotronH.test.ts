// NemotronH (Nemotron Nano 2/3): hybrid_override_pattern names each block a Mamba2 mixer (M), an attention
// mixer (*), an MLP (-) or a MoE (E). Read from config.json as layers of a mixer and an MLP (the mixer
// blocks), with the MLP blocks' parameters spread over them; the catalog's Nemotron 3 Nano entries are
// that reading of their published configs, and the totals match the model cards (3.97 B; 31.6 B).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseHfConfig } from '../../../core/catalog/hfConfig';
import { findModel } from '../../../core/catalog/models';
import { countParams } from '../../../core/estimate/params';
import { estimateInferenceService } from '../../../core/estimate/index';
import { cluster, service } from '../estimate/helpers';

const NANO_30B = {
  architectures: ['NemotronHForCausalLM'],
  model_type: 'nemotron_h',
  num_hidden_layers: 52,
  hidden_size: 2688,
  hybrid_override_pattern: 'MEMEM*EMEMEM*EMEMEM*EMEMEM*EMEMEM*EMEMEMEM*EMEMEMEME',
  num_attention_heads: 32,
  num_key_value_heads: 2,
  head_dim: 128,
  intermediate_size: 1856,
  moe_intermediate_size: 1856,
  moe_shared_expert_intermediate_size: 3712,
  n_routed_experts: 128,
  n_shared_experts: 1,
  num_experts_per_tok: 6,
  mlp_hidden_act: 'relu2',
  mamba_num_heads: 64,
  mamba_head_dim: 64,
  ssm_state_size: 128,
  n_groups: 8,
  conv_kernel: 4,
  mamba_ssm_cache_dtype: 'float32',
  vocab_size: 131072,
  tie_word_embeddings: false,
  max_position_embeddings: 262144,
};

const NANO_4B = {
  model_type: 'nemotron_h',
  num_hidden_layers: 42,
  hidden_size: 3136,
  intermediate_size: 12544,
  mlp_hidden_act: 'relu2',
  hybrid_override_pattern: 'M-M-M-MM-M-M*-M-M*-M-M-M*-M-M-MM*-MMM-M-M-',
  num_attention_heads: 40,
  num_key_value_heads: 8,
  head_dim: 128,
  mamba_num_heads: 96,
  mamba_head_dim: 80,
  ssm_state_size: 128,
  n_groups: 8,
  conv_kernel: 4,
  vocab_size: 131072,
  tie_word_embeddings: false,
  max_position_embeddings: 262144,
};

test('a NemotronH MoE config.json: 29 layers (23 Mamba2, 6 attention), 23 MoE layers with a shared expert of two widths, non-gated; the catalog entry is the same reading', () => {
  const r = parseHfConfig(JSON.stringify(NANO_30B));
  assert.ok(r.ok, JSON.stringify(r));
  const a = r.architecture;
  assert.equal(a.layers, 29);
  assert.deepEqual(a.mamba, { layers: 23, heads: 64, headDim: 64, stateSize: 128, groups: 8, convKernel: 4, stateDtype: 'fp32' });
  assert.deepEqual(a.moe, { experts: 128, activeExperts: 6, sharedExperts: 2, expertFfn: 1856, denseLayers: 6 });
  assert.equal(a.gatedMlp, false);
  assert.ok(
    r.warnings.some((w) => w.startsWith('NemotronH: 52 blocks (23 Mamba2, 6 attention, 23 MLP/MoE) read as 29 layers')),
    r.warnings.join('\n'),
  );
  assert.ok(!r.warnings.some((w) => w.includes('every layer is counted as full attention')));
  const cat = findModel('nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16')!;
  assert.equal(cat.id, 'nemotron-3-nano-30b-a3b');
  assert.deepEqual({ ...a, maxContext: cat.architecture.maxContext }, { ...cat.architecture, kvHeads: a.kvHeads, tiedEmbeddings: false });
  const p = countParams(cat.architecture);
  assert.ok(p.total > 31.4e9 && p.total < 31.9e9, String(p.total));
});

test('a NemotronH dense config.json: 25 layers (21 Mamba2, 4 attention), the 17 MLP blocks spread over them; 3.97 B parameters as the model card says', () => {
  const r = parseHfConfig(JSON.stringify(NANO_4B));
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.architecture.layers, 25);
  assert.equal(r.architecture.mamba?.layers, 21);
  assert.equal(r.architecture.ffn, 8530);
  assert.equal(r.architecture.moe, undefined);
  const p = countParams(findModel('nemotron-3-nano-4b')!.architecture);
  assert.ok(Math.abs(p.total - 3.97e9) < 0.02e9, String(p.total));
});

test('serving a NemotronH model: KV only on its attention layers, a Mamba2 state per request', () => {
  const e = estimateInferenceService(service({ model: { preset: 'nemotron-3-nano-30b-a3b' }, maxModelLen: 32768 }), cluster('H100-SXM-80GB', 1));
  assert.ok(e.ok && e.serving, JSON.stringify(e.findings));
  // 6 attention layers × 2 KV heads × 128 × 2 (K, V) × 2 bytes.
  assert.equal(e.serving.kvBytesPerToken, 6 * 2 * 128 * 2 * 2);
  assert.ok((e.serving.stateBytesPerSequence ?? 0) > 0);
  assert.ok(
    e.assumptions.some((x) => x.includes('Mamba2')),
    e.assumptions.join('\n'),
  );
});

test('a hybrid_override_pattern with a block Gantry does not know, or without the Mamba sizes, is said and counted as full attention', () => {
  const odd = parseHfConfig(JSON.stringify({ ...NANO_4B, hybrid_override_pattern: 'M*X' }));
  assert.ok(odd.ok);
  assert.ok(odd.warnings.some((w) => w.includes("has 'X', a block Gantry does not know")));
  assert.equal(odd.architecture.mamba, undefined);
  const { mamba_num_heads: _, ...noHeads } = NANO_4B;
  const missing = parseHfConfig(JSON.stringify(noHeads));
  assert.ok(missing.ok && missing.warnings.some((w) => w.includes('mamba_num_heads, mamba_head_dim or ssm_state_size is missing')));
});

// Nemotron 3 Super's published config.json (as transformers writes it, with Python's bare `Infinity`), in the fields
// Gantry reads: LatentMoE experts (moe_latent_size) on 40 of 88 blocks.
const SUPER_TEXT = `{
  "architectures": ["NemotronHForCausalLM"], "model_type": "nemotron_h", "num_hidden_layers": 88, "hidden_size": 4096,
  "hybrid_override_pattern": "MEMEMEM*EMEMEMEM*EMEMEMEM*EMEMEMEMEM*EMEMEMEMEM*EMEMEMEMEM*EMEMEMEMEM*EMEMEMEM*EMEMEMEME",
  "num_attention_heads": 32, "num_key_value_heads": 2, "head_dim": 128, "intermediate_size": 2688,
  "moe_intermediate_size": 2688, "moe_latent_size": 1024, "moe_shared_expert_intermediate_size": 5376,
  "n_routed_experts": 512, "n_shared_experts": 1, "num_experts_per_tok": 22, "mlp_hidden_act": "relu2",
  "mamba_num_heads": 128, "mamba_head_dim": 64, "ssm_state_size": 128, "n_groups": 8, "conv_kernel": 4,
  "mamba_ssm_cache_dtype": "float32", "time_step_limit": [0.0, Infinity], "time_step_floor": 1e-4,
  "vocab_size": 131072, "tie_word_embeddings": false, "max_position_embeddings": 262144, "num_nextn_predict_layers": 1
}`;

test("a config.json with Python's bare Infinity / NaN (transformers writes them) is read, the words inside strings left alone", () => {
  const r = parseHfConfig(SUPER_TEXT);
  assert.ok(r.ok, JSON.stringify(r));
  const base = { model_type: 'llama', num_hidden_layers: 2, hidden_size: 64, num_attention_heads: 4, intermediate_size: 128, vocab_size: 100 };
  const odd = parseHfConfig(`${JSON.stringify(base).slice(0, -1)}, "a": [-Infinity, NaN], "b": "Infinity"}`);
  assert.ok(odd.ok, JSON.stringify(odd));
  // Still not JSON: a word that is not one of Python's three, or a minus apart from its Infinity.
  for (const bad of ['{"a": Infinityx}', '{"a": - Infinity}', '{"a": nan}']) {
    const r2 = parseHfConfig(bad);
    assert.ok(!r2.ok && r2.errors[0].message.startsWith('not JSON'), bad);
  }
});

test('LatentMoE (Nemotron 3 Super): experts of 2688 on the 1024-wide latent are counted as 672 on the hidden 4096, 120.5 B in all, 12.6 B active (model card: 120B, 12B); the catalog entry is the same reading', () => {
  const r = parseHfConfig(SUPER_TEXT);
  assert.ok(r.ok);
  const a = r.architecture;
  assert.equal(a.layers, 48);
  assert.deepEqual(a.moe, { experts: 512, activeExperts: 22, sharedExperts: 8, expertFfn: 672, denseLayers: 8 });
  assert.ok(
    r.warnings.some((w) => w.includes("LatentMoE: the routed experts' width 2688 on moe_latent_size 1024 is counted as 672")),
    r.warnings.join('\n'),
  );
  const p = countParams(a);
  assert.ok(p.total > 120.3e9 && p.total < 120.8e9, String(p.total));
  assert.ok(p.active > 12.4e9 && p.active < 12.8e9, String(p.active));
  const cat = findModel('nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-BF16')!;
  assert.equal(cat.id, 'nemotron-3-super-120b-a12b');
  assert.deepEqual({ ...a, maxContext: cat.architecture.maxContext }, { ...cat.architecture, kvHeads: a.kvHeads, tiedEmbeddings: false });
  // Without the latent size the experts would be 2688 wide on 4096: 458.6 B.
  const { moe_latent_size: _, ...noLatent } = JSON.parse(SUPER_TEXT.replace('Infinity', '1e999'));
  const full = parseHfConfig(JSON.stringify(noLatent));
  assert.ok(full.ok && countParams(full.architecture).total > 450e9);
});
