// The token figure vLLM prints as "GPU KV cache size" and the pools of models with two kinds of layer.
// Through 0.20.0 vLLM printed blocks ÷ groups × block size; from 0.20.1 (PR #40694) int(max_concurrency ×
// max_model_len). Sliding-window models (gpt-oss, Gemma 2 and 3) are grouped like hybrids: a request holds
// its window's blocks in each sliding-window group (SlidingWindowSpec.max_memory_usage_bytes).
//
// The gpt-oss-120b figures are those one published vLLM 0.17.1 startup printed (bench/data/
// vllm-v1-kv-reserve.jsonl KV3-14: RTX PRO 6000, max_model_len 27,648, "Available KV cache memory: 6.46 GiB",
// "GPU KV cache size: 94,064 tokens", "Maximum concurrency for 27,648 tokens per request: 5.23x"): the
// log's own three numbers agree with the grouped arithmetic below.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { estimateInferenceService } from '../../../core/estimate/index';
import { hybridPool, slidingPool } from '../../../core/estimate/serving';
import { vllmSlidingBatches } from '../../../core/estimate/engineVersion';
import { GIB, cluster, service } from './helpers';

// gpt-oss-120b on one GPU: 18 full-attention and 18 sliding-window (128-token) layers, 8 KV heads × 64 in bf16.
const GPT_OSS_120B = { full: 18, sliding: 18, window: 128, attnBytesPerTokenPerLayer: 2 * 8 * 64 * 2 };

test('sliding-window pool: the printed 0.17.1 log of gpt-oss-120b (94,064 tokens, 5.23x) follows from its 6.46 GiB', () => {
  // 6.46 GiB as printed is 6.455–6.465 GiB; 94,064 tokens is 11,758 blocks ÷ 2 groups × 16.
  const p = slidingPool(GPT_OSS_120B, 6.46 * GIB, 27648, 16, 8192, false)!;
  assert.deepEqual([p.groupSize, p.fullGroups, p.otherGroups], [18, 1, 1]);
  // A request: 27,648 / 16 = 1,728 blocks of full attention, and ceil((128 − 1 + 8,192) / 16) + 1 = 521 of window.
  assert.equal(p.otherBlocksPerRequest, 521);
  assert.equal(p.blocksPerRequest, 1728 + 521);
  assert.equal(p.tokens, Math.floor(p.blocks / 2) * 16);
  assert.ok(Math.abs(p.tokens - 94_064) <= 16, String(p.tokens));
  assert.equal(p.concurrency.toFixed(2), '5.23');
});

test('the printed figure: blocks ÷ groups × block through vLLM 0.20.0, int(concurrency × max_model_len) from 0.20.1', () => {
  const old = slidingPool(GPT_OSS_120B, 6.46 * GIB, 27648, 16, 8192, false)!;
  const now = slidingPool(GPT_OSS_120B, 6.46 * GIB, 27648, 16, 8192, true)!;
  assert.equal(now.blocks, old.blocks);
  assert.equal(now.concurrency, old.concurrency);
  assert.equal(now.tokens, Math.floor(old.concurrency * 27648));
  // A hybrid: the same pool, and the token figure no longer divided among the Gated DeltaNet groups.
  const h = { full: 8, linear: 24, attnBytesPerTokenPerLayer: 2 * 4 * 256 * 2, stateBytesPerLayer: 32 * 128 * 128 * 4 + 3 * (2 * 16 * 128 + 32 * 128) * 2 };
  const h20 = hybridPool(h, 6.557 * GIB, 4096)!;
  const h24 = hybridPool(h, 6.557 * GIB, 4096, true)!;
  assert.equal(h20.tokens, 53_328);
  assert.equal(h24.tokens, Math.floor(h20.concurrency * 4096));
  assert.ok(h24.tokens > 2.5 * h20.tokens);
});

test('estimate: a hybrid prints the old figure at vLLM 0.20.0 and concurrency × length at 0.24.0 and in current releases', () => {
  const spec = { model: { preset: 'qwen3.5-9b' }, gpuMemoryUtilization: 0.85, maxModelLen: 4096 } as const;
  const on = cluster('RTX-5090-32GB', 1);
  const at = (engineVersion?: string) => estimateInferenceService(service(engineVersion ? { ...spec, engineVersion } : spec), on).serving!;
  const s20 = at('0.20.0');
  const s24 = at('0.24.0');
  const now = at();
  assert.equal(s20.kvCacheTokens % 528, 0);
  assert.equal(s24.kvCacheTokens, Math.floor(s24.maxConcurrency * 4096));
  assert.equal(now.kvCacheTokens, Math.floor(now.maxConcurrency * 4096));
  // The pool is laid out the same way: the same number of requests fit whichever figure is printed.
  assert.ok(Math.abs(s24.maxConcurrency - s20.maxConcurrency) / s20.maxConcurrency < 0.05);
});

test('estimate: gpt-oss-20b is grouped 12 + 12 with the window counted, and says so; its concurrency is not tokens ÷ length', () => {
  const e = estimateInferenceService(service({ model: { preset: 'gpt-oss-20b' }, engineVersion: '0.30.0', maxModelLen: 32768 }), cluster('H100-SXM-80GB', 1));
  assert.ok(e.ok, JSON.stringify(e.findings));
  const s = e.serving!;
  const a = e.assumptions.find((x) => x.startsWith('Sliding window:'));
  assert.ok(a?.includes('12 full-attention and 12 sliding-window layers (window 128)'), a);
  assert.ok(a?.includes('int(concurrency × max_model_len)'), a);
  assert.equal(s.kvCacheTokens, Math.floor(s.maxConcurrency * 32768));
  // From 0.26 a window layer holds its window plus two batches in flight (the V1 runner with async scheduling): 1,033 blocks
  // per request, not 2,048, so a third again as many fit as when all layers were full attention; at 0.25, one batch: 521.
  assert.ok(a?.includes('the 2 batches in flight, 2 × max_num_batched_tokens 8192 (vLLM 0.26 and later)'), a);
  const asFull = s.kvCacheBytes / (32768 * s.kvBytesPerToken);
  assert.ok(s.maxConcurrency > 1.3 * asFull, `${s.maxConcurrency} vs ${asFull}`);
  const v25 = estimateInferenceService(service({ model: { preset: 'gpt-oss-20b' }, engineVersion: '0.25.0', maxModelLen: 32768 }), cluster('H100-SXM-80GB', 1)).serving!;
  assert.ok(v25.maxConcurrency > 1.5 * (v25.kvCacheBytes / (32768 * v25.kvBytesPerToken)));
  // At 0.17 the printed figure is the old one: about every layer as full attention.
  const old = estimateInferenceService(service({ model: { preset: 'gpt-oss-20b' }, engineVersion: '0.17.1', maxModelLen: 32768 }), cluster('H100-SXM-80GB', 1)).serving!;
  assert.equal(old.kvCacheTokens % 16, 0);
  assert.ok(Math.abs(old.kvCacheTokens * old.kvBytesPerToken - old.kvCacheBytes) / old.kvCacheBytes < 0.01);
});

test('Gemma 4 31B on a B300 at vLLM 0.26.0, as it printed: 74,700 blocks of 262,144 B per layer of a group of 10; a 16,384-token request takes 512 blocks of 32 in the full group and 1,025 of 16 in each of 5 sliding groups (window 1023 + 2 × 8192 in flight, capped at 16,384): 13.25x and 217,116 tokens; exact', () => {
  const s = { full: 10, sliding: 50, window: 1024, attnBytesPerTokenPerLayer: 2 * 16 * 256 * 2, fullBytesPerTokenPerLayer: 2 * 4 * 512 * 2 };
  const pool = 74700 * 262144 * 10;
  const p = slidingPool(s, pool, 16384, 16, vllmSlidingBatches([0, 26, 0], { pp: 1, v2Runner: false, asyncScheduling: true }) * 8192, true)!;
  assert.equal(p.blocks, 74700);
  assert.equal(p.blocksPerRequest, 512 + 5 * 1025);
  assert.equal(p.concurrency.toFixed(2), '13.25');
  assert.equal(p.tokens, 217116);
  // One batch, as before 0.26: 577 blocks per sliding group, 364,224 tokens (what the estimate said before).
  assert.equal(slidingPool(s, pool, 16384, 16, vllmSlidingBatches([0, 25, 0], { pp: 1, v2Runner: false, asyncScheduling: true }) * 8192, true)!.otherBlocksPerRequest, 577);
});

test('batches in flight for a sliding window (vLLM 0.26+): V1 runner 2 at PP 1, else PP; V2 runner PP + 1; without async scheduling PP; one before 0.26', () => {
  const at = (v: [number, number, number] | undefined, pp: number, v2Runner: boolean, asyncScheduling = true) => vllmSlidingBatches(v, { pp, v2Runner, asyncScheduling });
  assert.equal(at([0, 25, 1], 1, false), 1);
  assert.equal(at([0, 26, 0], 1, false), 2);
  assert.equal(at([0, 26, 0], 4, false), 4);
  assert.equal(at([0, 28, 0], 1, true), 2);
  assert.equal(at([0, 28, 0], 2, true), 3);
  assert.equal(at([0, 28, 0], 2, true, false), 2);
  assert.equal(at(undefined, 1, false), 2);
});

test('estimate: Gemma 3 27B groups its 10 global and 52 sliding layers 10 to a group (1 + 6 groups)', () => {
  const e = estimateInferenceService(service({ model: { preset: 'gemma-3-27b' }, engineVersion: '0.19.0', maxModelLen: 32768 }), cluster('H100-SXM-80GB', 1));
  assert.ok(e.ok, JSON.stringify(e.findings));
  const a = e.assumptions.find((x) => x.startsWith('Sliding window:'));
  assert.ok(a?.includes('10 full-attention and 52 sliding-window layers (window 1024) per GPU, grouped 10 to a group (1 full-attention, 6 sliding-window)'), a);
  assert.ok(a?.includes('blocks ÷ groups × block size, as vLLM 0.20.0 and earlier print it'), a);
});

test('a dense model at a length that is not a whole number of blocks: whole blocks through 0.20.0, int(blocks ÷ ceil(L / 16) × L) from 0.20.1', () => {
  const spec = { model: { preset: 'llama-3.1-8b' }, maxModelLen: 20000 + 7 } as const;
  const on = cluster('H100-SXM-80GB', 1);
  const old = estimateInferenceService(service({ ...spec, engineVersion: '0.19.0' }), on).serving!;
  const now = estimateInferenceService(service({ ...spec, engineVersion: '0.24.0' }), on).serving!;
  assert.equal(old.kvCacheTokens % 16, 0);
  const blocks = now.kvCacheBytes / (16 * now.kvBytesPerToken);
  assert.equal(now.kvCacheTokens, Math.floor((blocks / Math.ceil(20007 / 16)) * 20007));
  assert.equal(now.maxConcurrency, blocks / Math.ceil(20007 / 16));
});

test('a sliding-window model too small for one request is refused at maxModelLen with the bytes vLLM asks for', () => {
  const e = estimateInferenceService(service({ model: { preset: 'gemma-3-27b' }, engineVersion: '0.30.0', maxModelLen: 131072, gpuMemoryUtilization: 0.8 }), cluster('A100-SXM-80GB', 1));
  const f = e.findings.find((x) => x.code === 'kv-cache-too-small');
  assert.ok(f, JSON.stringify(e.findings.map((x) => x.code)));
  assert.ok(f.message.includes('blocks of KV cache, and the pool holds'), f.message);
  assert.ok(
    f.fixes?.some((x) => x.title.startsWith('Lower maxModelLen to')),
    JSON.stringify(f.fixes),
  );
});
