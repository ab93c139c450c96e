// The KV bench's rules for expressing a published start as a user would (bench/estimatorKvV1.ts), on made-up rows:
// a value the spec cannot say is a gap (unmatched), never left out without a word; the refusal check names the kind.
// No published row is evaluated here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateKvV1Rows, evaluateRefusalRows, refusalMatched, type KvV1Row, type RefusalRow } from '../../../bench/estimatorKvV1';

const row = (over: Partial<KvV1Row>): KvV1Row =>
  ({
    part: 'reserve',
    id: 'T-01',
    order: 1,
    vllm_version: '0.19.0',
    engine_version: '0.19.0',
    model: null,
    architecture: null,
    hf_model: 'meta-llama/Llama-3.1-8B-Instruct',
    dtype: 'bf16',
    quantization: null,
    kv_cache_dtype: null,
    tp: 1,
    pp: 1,
    expert_parallel: false,
    max_model_len: 8192,
    max_num_seqs: null,
    max_num_batched_tokens: null,
    gpu_memory_utilization: 0.9,
    enforce_eager: false,
    prefix_caching: null,
    block_size: null,
    gpu: 'H100-SXM-80GB',
    gpu_text: 'H100',
    gpu_total_gib: null,
    kv_tokens: 100000,
    available_kv_gib: null,
    max_concurrency: null,
    unmatched: null,
    source_url: 'made up',
    where: '',
    notes: '',
    speculative: null,
    ...over,
  }) as KvV1Row;

test('a row is given by its repo id (the first word of hf_model); a quantization or a speculative method the spec cannot say is a gap', () => {
  const [byName, withNote, badQuant, badSpec, unknown] = evaluateKvV1Rows(
    [
      row({ id: 'T-01' }),
      row({ id: 'T-02', hf_model: 'meta-llama/Llama-3.1-8B-Instruct (weights from a local folder)' }),
      row({ id: 'T-03', quantization: 'compressed-tensors W4A16 (a QAT build)' }),
      row({ id: 'T-04', speculative: { method: 'dflash' as never, tokens: 15 } }),
      row({ id: 'T-05', hf_model: 'someone/Not-A-Model-7B' }),
    ],
    ['reserve'],
  );
  assert.ok(byName.predicted && byName.predicted > 0 && !byName.unmatched);
  assert.equal(withNote.predicted, byName.predicted);
  assert.match(badQuant.unmatched ?? '', /^quantization 'compressed-tensors W4A16 \(a QAT build\)' is no value of spec\.quantization/);
  assert.match(badSpec.unmatched ?? '', /^speculative method 'dflash' is no value of spec\.speculative\.method/);
  assert.match(unknown.unmatched ?? '', /^no catalog model for 'someone\/Not-A-Model-7B'/);
  // A start that fits is no refusal.
  assert.equal(byName.refused, undefined);
});

test('refusals: the kind Gantry predicts, the printed available memory beside its own, and a start it lets through counted as missed', () => {
  const refusal = (over: Partial<RefusalRow>): RefusalRow => ({ ...row({}), refusal: 'no-kv-memory', error_line: '', needed_kv_gib: null, ...over }) as RefusalRow;
  const [none, short, fits] = evaluateRefusalRows([
    refusal({ id: 'R-01', hf_model: 'meta-llama/Llama-3.1-70B-Instruct', max_model_len: 4096, available_kv_gib: -60 }),
    refusal({ id: 'R-02', refusal: 'kv-below-one-sequence', max_model_len: 131072, gpu_memory_utilization: 0.25, available_kv_gib: 2 }),
    refusal({ id: 'R-03', refusal: 'oom-at-load' }),
  ]);
  assert.equal(none.predicted, 'no-kv-memory');
  assert.deepEqual(refusalMatched(none), { predicted: true, kind: true });
  assert.ok(none.availableGiB && none.availableGiB.predicted < 0 && none.availableGiB.measured === -60);
  assert.equal(short.predicted, 'kv-below-one-sequence');
  assert.ok(short.availableGiB && short.availableGiB.predicted > 0);
  assert.equal(fits.predicted, 'starts');
  assert.deepEqual(refusalMatched(fits), { predicted: false, kind: false });
});
