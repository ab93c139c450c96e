import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { estimateInferenceService } from '../../../core/estimate/index';
import { cluster, service } from './helpers';

// vLLM V0's profile run ends with a dummy sampler pass over max_num_seqs rows with top_k = vocab − 1
// and top_p 0.99. Its peak is the sort in `_apply_top_k_top_p`: model-dtype logits (2 B) + fp32 copy
// (4 B) + sorted values (4 B) + int64 indices (8 B) + the int64 iota sorted along (8 B) + the radix
// sort's alternate key/value buffers (4 + 8 B) = 38 B per row per vocab entry, with the final hidden
// states (tokens × hidden × dtype) still held. V1's sampler keeps 16 B per entry.
const VOCAB = 128256; // Llama 3.x
const HIDDEN_70B = 8192;

test('vLLM V0: the dummy sampler pass over max_num_seqs rows costs 38 B per logit plus the held hidden states', () => {
  const spec: Parameters<typeof service>[0] = { model: { preset: 'llama-3.1-70b' }, quantization: 'fp8', maxModelLen: 32768, maxNumSeqs: 4096, gpuMemoryUtilization: 0.98, extraArgs: ['--no-enable-chunked-prefill'] };
  const v0 = estimateInferenceService(service({ ...spec, engineVersion: '0.6.6' }), cluster('MI300X-192GB', 1));
  // 4096 rows of 128256 logits: the sampler, not the 32768-token forward, is the peak.
  assert.equal(v0.serving!.activationPeakBytes, 4096 * VOCAB * 38 + 32768 * HIDDEN_70B * 2);
  const v1 = estimateInferenceService(service({ ...spec, engineVersion: '0.10.1' }), cluster('MI300X-192GB', 1));
  assert.equal(v1.serving!.activationPeakBytes, 4096 * VOCAB * 16, 'V1 sizing is unchanged');
  assert.ok(v0.serving!.kvCacheTokens < v1.serving!.kvCacheTokens);
});

test('vLLM V0: with the default 256 rows the forward over max(max_model_len, 2048) tokens stays the peak', () => {
  const v0 = estimateInferenceService(service({ model: { preset: 'llama-2-7b' }, dtype: 'fp16', maxModelLen: 4096, engineVersion: '0.6.3' }), cluster('A100-SXM-80GB', 1));
  // Llama-2-7B: hidden 4096, 32 heads of 128 (no GQA), ffn 11008, vocab 32000.
  const forward = 4096 * 2 * (3 * 4096 + 3 * 32 * 128 + 3 * 11008);
  assert.equal(v0.serving!.activationPeakBytes, forward);
  assert.ok(forward > 256 * 32000 * 38 + 4096 * 4096 * 2);
});
