// TGI's token budget (issue 12): max_batch_prefill_tokens sizes the warm-up, max_total_tokens is checked
// against what the KV cache holds (server/text_generation_server/models/flash_causal_lm.py warmup).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { estimateInferenceService } from '../../../core/estimate/index';
import { cluster, GIB, service } from './helpers';

test('TGI: KV = 0.95 × free memory after the warm-up prefill + the warm-up batch blocks (TGI_WIGGLE_ROOM)', () => {
  const e = estimateInferenceService(service({ engine: 'tgi', model: { preset: 'llama-3.1-8b' }, maxModelLen: 8192, maxNumBatchedTokens: 8192 }), cluster('H100-SXM-80GB', 1));
  const s = e.serving!;
  const b = e.memory!.breakdown;
  const warm = 8192 * s.kvBytesPerToken;
  const free = e.memory!.capacityBytes - b.cudaContext - b.weights - b.activationPeak - b.nonTorch - warm;
  const pool = 0.95 * free + warm;
  assert.ok(Math.abs(s.kvCacheTokens - Math.floor(pool / (s.kvBytesPerToken * 16)) * 16) <= 16, `${s.kvCacheTokens}`);
  assert.ok(e.assumptions.some((a) => a.includes('max_batch_prefill_tokens 8192')));
});

test('TGI: a larger max_batch_prefill_tokens costs activation memory and so KV tokens; the launcher default is 4096', () => {
  const small = estimateInferenceService(service({ engine: 'tgi', model: { preset: 'llama-3.1-8b' }, maxModelLen: 4096 }), cluster('H100-SXM-80GB', 1));
  const large = estimateInferenceService(service({ engine: 'tgi', model: { preset: 'llama-3.1-8b' }, maxModelLen: 4096, maxNumBatchedTokens: 65536 }), cluster('H100-SXM-80GB', 1));
  assert.ok(small.assumptions.some((a) => a.includes('4096 (launcher default)')));
  assert.ok(large.serving!.activationPeakBytes > small.serving!.activationPeakBytes);
  assert.ok(large.serving!.kvCacheTokens < small.serving!.kvCacheTokens);
});

test('TGI refuses to start when max_total_tokens exceeds the KV cache, and says so in its own words', () => {
  const e = estimateInferenceService(service({ engine: 'tgi', model: { preset: 'llama-3.1-8b' }, maxModelLen: 1048576 }), cluster('H100-SXM-80GB', 1));
  const f = e.findings.find((x) => x.code === 'kv-cache-too-small');
  assert.ok(f, JSON.stringify(e.findings));
  assert.match(f.message, /TGI refuses to start \("Not enough memory to handle 1048576 total tokens"\)/);
  assert.ok(e.memory!.capacityBytes > 70 * GIB);
});
