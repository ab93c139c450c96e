import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseHfConfig } from '../../../core/catalog/hfConfig';

const ok = (cfg: object) => {
  const r = parseHfConfig(JSON.stringify(cfg));
  assert.ok(r.ok, JSON.stringify(r));
  return r.architecture;
};

test('llama config.json', () => {
  const a = ok({ model_type: 'llama', num_hidden_layers: 32, hidden_size: 4096, num_attention_heads: 32, num_key_value_heads: 8, intermediate_size: 14336, vocab_size: 128256, max_position_embeddings: 131072, tie_word_embeddings: false });
  assert.deepEqual([a.layers, a.hidden, a.heads, a.kvHeads, a.ffn, a.vocab, a.maxContext, a.gatedMlp, a.tiedEmbeddings], [32, 4096, 32, 8, 14336, 128256, 131072, true, false]);
});

test('mistral keeps sliding_window; qwen2 drops it when use_sliding_window is false', () => {
  assert.equal(ok({ model_type: 'mistral', num_hidden_layers: 32, hidden_size: 4096, num_attention_heads: 32, num_key_value_heads: 8, intermediate_size: 14336, vocab_size: 32000, sliding_window: 4096 }).slidingWindow, 4096);
  assert.equal(ok({ model_type: 'qwen2', num_hidden_layers: 28, hidden_size: 3584, num_attention_heads: 28, num_key_value_heads: 4, intermediate_size: 18944, vocab_size: 152064, sliding_window: 131072, use_sliding_window: false }).slidingWindow, undefined);
});

test('gemma3 reads text_config and ties embeddings by default', () => {
  const a = ok({ model_type: 'gemma3', text_config: { model_type: 'gemma3_text', num_hidden_layers: 62, hidden_size: 5376, num_attention_heads: 32, num_key_value_heads: 16, head_dim: 128, intermediate_size: 21504, vocab_size: 262208, sliding_window: 1024 } });
  assert.deepEqual([a.layers, a.headDim, a.tiedEmbeddings, a.slidingWindow], [62, 128, true, 1024]);
});

test('mixtral and deepseek-v3 MoE/MLA fields', () => {
  const mx = ok({ model_type: 'mixtral', num_hidden_layers: 32, hidden_size: 4096, num_attention_heads: 32, num_key_value_heads: 8, intermediate_size: 14336, vocab_size: 32000, num_local_experts: 8, num_experts_per_tok: 2 });
  assert.deepEqual(mx.moe, { experts: 8, activeExperts: 2 });
  const ds = ok({
    model_type: 'deepseek_v3',
    num_hidden_layers: 61,
    hidden_size: 7168,
    num_attention_heads: 128,
    num_key_value_heads: 128,
    intermediate_size: 18432,
    moe_intermediate_size: 2048,
    vocab_size: 129280,
    n_routed_experts: 256,
    n_shared_experts: 1,
    num_experts_per_tok: 8,
    first_k_dense_replace: 3,
    kv_lora_rank: 512,
    qk_rope_head_dim: 64,
    v_head_dim: 128,
  });
  assert.deepEqual(ds.moe, { experts: 256, activeExperts: 8, sharedExperts: 1, expertFfn: 2048, denseLayers: 3 });
  assert.deepEqual(ds.mla, { kvLoraRank: 512, qkRopeHeadDim: 64 });
});

test('gpt2 field names; missing n_inner means 4 × hidden (with a warning)', () => {
  const r = parseHfConfig(JSON.stringify({ model_type: 'gpt2', n_layer: 12, n_embd: 768, n_head: 12, vocab_size: 50257, n_positions: 1024 }));
  assert.ok(r.ok);
  assert.deepEqual([r.architecture.layers, r.architecture.ffn, r.architecture.gatedMlp, r.architecture.tiedEmbeddings], [12, 3072, false, true]);
  assert.equal(r.warnings.length, 1);
});

const BAD: [string, string, RegExp][] = [
  ['not JSON', '{ nope', /not JSON/],
  ['an array', '[1,2]', /expected a JSON object/],
  ['missing layers', JSON.stringify({ hidden_size: 4096, num_attention_heads: 32, vocab_size: 32000 }), /missing field num_hidden_layers/],
  ['negative hidden', JSON.stringify({ num_hidden_layers: 2, hidden_size: -4, num_attention_heads: 2, vocab_size: 10 }), /positive integer/],
  ['absurd layers', JSON.stringify({ num_hidden_layers: 1e9, hidden_size: 4096, num_attention_heads: 32, vocab_size: 32000 }), /not plausible/],
  ['kv heads not dividing', JSON.stringify({ num_hidden_layers: 2, hidden_size: 4096, num_attention_heads: 32, num_key_value_heads: 5, vocab_size: 100, intermediate_size: 10 }), /must divide/],
  ['experts without top-k', JSON.stringify({ num_hidden_layers: 2, hidden_size: 64, num_attention_heads: 2, vocab_size: 100, intermediate_size: 10, num_local_experts: 8 }), /num_experts_per_tok/],
];
for (const [name, text, re] of BAD) {
  test(`bad config.json: ${name} → a clear error`, () => {
    const r = parseHfConfig(text);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.errors.map((e) => e.message).join('; '), re);
  });
}

test('a shared expert of shared_expert_intermediate_size counts as that many expert widths (Qwen1.5-MoE: 5632 = 4 × 1408; Qwen3-Next: 512 = 1 × 512)', () => {
  const base = { model_type: 'qwen2_moe', num_hidden_layers: 24, hidden_size: 2048, num_attention_heads: 16, num_key_value_heads: 16, intermediate_size: 5632, vocab_size: 151936, num_experts: 60, num_experts_per_tok: 4 };
  assert.equal(ok({ ...base, moe_intermediate_size: 1408, shared_expert_intermediate_size: 5632 }).moe?.sharedExperts, 4);
  assert.equal(ok({ ...base, moe_intermediate_size: 512, shared_expert_intermediate_size: 512 }).moe?.sharedExperts, 1);
  assert.equal(ok({ ...base, shared_expert_intermediate_size: 5632 }).moe?.sharedExperts, 1, 'no moe_intermediate_size: the experts are intermediate_size wide');
  // granite-4.0-h MoE: experts of intermediate_size, a shared MLP of shared_intermediate_size.
  const granite = ok({ ...base, model_type: 'granitemoehybrid', num_experts: undefined, num_local_experts: 72, num_experts_per_tok: 10, intermediate_size: 512, shared_intermediate_size: 1024 });
  assert.deepEqual([granite.ffn, granite.moe?.experts, granite.moe?.sharedExperts], [512, 72, 2]);
});
