// SGLang's DP attention (--enable-dp-attention with --dp-size N inside --tp-size GPUs): each of the N attention-DP
// ranks keeps the KV cache of its own requests. MLA's latent KV, which plain tensor parallel replicates on every
// rank, is then N different pools: the per-GPU pool (what SGLang logs as max_total_num_tokens) is unchanged and the
// replica holds N of them. GQA models split their KV heads over tp / N attention-TP ranks instead of tp.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { estimateInferenceService } from '../../../core/estimate/index';
import { sglangAttentionDp } from '../../../core/estimate/serving';
import type { InferenceServiceSpec } from '../../../core/spec/types';
import type { ServingEstimate } from '../../../core/estimate/types';
import { checkText } from '../formats/helpers';
import { cluster, service } from './helpers';

const sg = (extraArgs: unknown[]) => ({ engine: 'sglang', extraArgs }) as InferenceServiceSpec;

test('the DP-attention size is read from extraArgs as SGLang parses them, and only for SGLang', () => {
  assert.equal(sglangAttentionDp(sg(['--enable-dp-attention', '--dp-size', '8'])), 8);
  assert.equal(sglangAttentionDp(sg(['--dp=4', '--enable_dp_attention'])), 4);
  assert.equal(sglangAttentionDp(sg(['--enable-dp-attention=true', '--dp-size=2'])), 2);
  for (const bad of [
    ['--dp-size', '8'],
    ['--enable-dp-attention'],
    ['--enable-dp-attention', '--dp-size', '1'],
    ['--enable-dp-attention', '--dp-size', 'eight'],
    ['--enable-dp-attention', '--dp-size', '-8'],
    ['--enable-dp-attention', '--dp-size', '99999999'],
    ['--enable-dp-attention', '--dp-size'],
    ['--enable-dp-attention=false', '--dp-size', '8'],
    ['--enable-dp-attention', 8, '--dp-size', null],
  ]) {
    assert.equal(sglangAttentionDp(sg(bad)), undefined, JSON.stringify(bad));
  }
  assert.equal(sglangAttentionDp({ engine: 'vllm', extraArgs: ['--enable-dp-attention', '--dp-size', '8'] } as InferenceServiceSpec), undefined);
  assert.equal(sglangAttentionDp({ engine: 'sglang' } as InferenceServiceSpec), undefined);
});

test('DeepSeek-V3 with --tp-size 8 --dp-size 8 --enable-dp-attention: the same per-GPU pool, 8× the requests it holds (it was 1×)', () => {
  const line = (dp: string) => `#!/bin/bash\n#SBATCH --gres=gpu:h200:8\npython3 -m sglang.launch_server --model-path deepseek-ai/DeepSeek-V3 --tp-size 8 ${dp}--context-length 32768\n`;
  const plain = checkText(line(''), '/w/tp8.sh');
  const dpa = checkText(line('--dp-size 8 --enable-dp-attention '), '/w/dpa.sh');
  for (const c of [plain, dpa])
    assert.deepEqual(
      c.problems.map((p) => p.code),
      [],
    );
  const a = plain.estimates[0].estimate as ServingEstimate;
  const b = dpa.estimates[0].estimate as ServingEstimate;
  assert.equal(b.gpusPerReplica, 8, 'the DP ranks share the TP GPUs');
  assert.equal(b.serving!.kvCacheTokens, a.serving!.kvCacheTokens, "per rank, as SGLang's max_total_num_tokens");
  assert.equal(b.serving!.kvBytesPerToken, a.serving!.kvBytesPerToken, "MLA's latent is whole on every GPU");
  assert.ok(Math.abs(b.serving!.maxConcurrency / a.serving!.maxConcurrency - 8) < 1e-9, `${b.serving!.maxConcurrency} / ${a.serving!.maxConcurrency}`);
  const note = b.assumptions.find((x) => x.startsWith('SGLang DP attention'));
  assert.ok(note?.includes('8 attention-DP ranks of 1 GPU each'), note);
  assert.ok(note?.includes('as SGLang logs max_total_num_tokens'), note);
  assert.ok(b.assumptions.some((x) => x.includes('replicated on every attention-TP rank of a DP rank (1 GPU each)')));
});

test('a GQA model under DP attention splits its KV heads over tp / dp ranks; a --dp-size that does not divide --tp-size is bad input', () => {
  const base = { model: { preset: 'llama-3.1-70b' }, engine: 'sglang' as const, tensorParallel: 8, maxModelLen: 8192 };
  const plain = estimateInferenceService(service(base), cluster('H100-SXM-80GB', 8));
  const dpa = estimateInferenceService(service({ ...base, extraArgs: ['--enable-dp-attention', '--dp-size', '4'] }), cluster('H100-SXM-80GB', 8));
  // 8 KV heads: 1 per GPU at TP 8, 4 per GPU at attention-TP 2.
  assert.equal(dpa.serving!.kvBytesPerToken, 4 * plain.serving!.kvBytesPerToken);
  assert.ok(dpa.serving!.kvCacheTokens < plain.serving!.kvCacheTokens / 3.9 && dpa.serving!.kvCacheTokens > plain.serving!.kvCacheTokens / 4.1);
  assert.ok(Math.abs(dpa.serving!.maxConcurrency / plain.serving!.maxConcurrency - 1) < 0.01, 'the same requests over the replica');
  const bad = estimateInferenceService(service({ ...base, extraArgs: ['--enable-dp-attention', '--dp-size', '3'] }), cluster('H100-SXM-80GB', 8));
  assert.equal(bad.ok, false);
  assert.match(bad.findings.find((f) => f.code === 'bad-estimate-input')?.message ?? '', /--dp-size 3 with --enable-dp-attention must divide tensorParallel 8/);
});
