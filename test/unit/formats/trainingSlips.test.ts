// What the training-config tools refuse and the readers used to pass over in silence (found by an
// exploratory pass over hand-written configs): a DeepSpeed key written twice, a slipped torchtitan
// key, an accelerate ZeRO stage outside 0–3, the batch of the DeepSpeed file an accelerate config
// names, axolotl's deepspeed + fsdp.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkText } from './helpers';
import { tempDir } from '../helpers';

const at = (text: string, p: { offset: number; length: number }) => text.slice(p.offset, p.offset + p.length);

test('DeepSpeed: a key written twice is a warning at the second, and the last value is the one read (as json.load keeps it)', () => {
  const text = '{"train_micro_batch_size_per_gpu": 4, "gradient_accumulation_steps": 2, "train_batch_size": 32, "train_micro_batch_size_per_gpu": 16, "zero_optimization": {"stage": 2}}';
  const c = checkText(text, '/w/ds_config.json', { gpusPerNode: 1 });
  const dup = c.problems.find((p) => p.code === 'json-duplicate-key');
  assert.ok(dup && dup.severity === 'warning', JSON.stringify(c.problems));
  assert.equal(dup.offset, text.lastIndexOf('train_micro_batch_size_per_gpu'));
  // 16 × 2 × 1 = 32: the last micro-batch agrees with train_batch_size, so no batch error.
  assert.ok(!c.problems.some((p) => p.code === 'deepspeed-batch'), JSON.stringify(c.problems.map((p) => p.message)));
});

test('torchtitan: a slipped key is a warning on it naming the key meant; a real key Gantry does not read is left alone', () => {
  const text = '[model]\nname = "llama3"\nflavor = "8B"\n\n[training]\nlocal_batch_sise = 4\nseq_len = 2048\nmax_norm = 1.0\n\n[parallelism]\ntensor_paralel_degree = 2\n';
  const c = checkText(text, '/w/train.toml', { gpu: 'H100-SXM-80GB', gpusPerNode: 8 });
  const slips = c.problems.filter((p) => p.code === 'torchtitan-value' && p.severity === 'warning');
  assert.deepEqual(
    slips.map((p) => [at(text, p), /did you mean (\w+)\?/.exec(p.message)?.[1]]),
    [
      ['4', 'local_batch_size'],
      ['2', 'tensor_parallel_degree'],
    ],
  );
});

test('accelerate: zero_stage 5 is an error at the value; the DeepSpeed file it names gets the batch check over num_processes', () => {
  const inline = 'distributed_type: DEEPSPEED\ndeepspeed_config:\n  zero_stage: 5\nnum_processes: 8\nmixed_precision: bf16\n';
  const p = checkText(inline, '/w/accelerate_config.yaml').problems.find((x) => x.code === 'accelerate-value');
  assert.ok(p && p.severity === 'error' && at(inline, p) === '5', JSON.stringify(p));
  const dir = tempDir('gantry-acc-ds-');
  fs.writeFileSync(path.join(dir, 'ds.json'), JSON.stringify({ train_micro_batch_size_per_gpu: 8, gradient_accumulation_steps: 4, train_batch_size: 128, zero_optimization: { stage: 2 } }));
  const acc = 'distributed_type: DEEPSPEED\ndeepspeed_config:\n  deepspeed_config_file: ds.json\nnum_processes: 8\nmixed_precision: bf16\n';
  const file = path.join(dir, 'accelerate_config.yaml');
  const c = checkText(acc, file);
  const batch = c.problems.find((x) => x.code === 'deepspeed-batch');
  assert.ok(batch && batch.severity === 'error', JSON.stringify(c.problems));
  assert.equal(at(acc, batch), 'ds.json');
  assert.match(batch.message, /train_batch_size 128 ≠ train_micro_batch_size_per_gpu 8 × gradient_accumulation_steps 4 × 8 GPUs = 256/);
  assert.equal(batch.fixes, undefined, 'the value is in the other file: no edit here');
});

test('axolotl: deepspeed and fsdp together is an error at fsdp', () => {
  const dir = tempDir('gantry-ax-ds-');
  fs.writeFileSync(path.join(dir, 'zero3.json'), JSON.stringify({ zero_optimization: { stage: 3 }, bf16: { enabled: 'auto' }, train_micro_batch_size_per_gpu: 'auto' }));
  const text = 'base_model: meta-llama/Llama-3.1-8B\nmicro_batch_size: 1\nsequence_len: 2048\nbf16: true\nfsdp:\n  - full_shard\n  - auto_wrap\ndeepspeed: zero3.json\n';
  const c = checkText(text, path.join(dir, 'config.yml'), { gpu: 'H100-SXM-80GB', gpusPerNode: 8 });
  const p = c.problems.find((x) => x.code === 'axolotl-value');
  assert.ok(p && p.severity === 'error', JSON.stringify(c.problems));
  assert.match(p.message, /deepspeed and fsdp cannot be used together/);
  assert.equal(text.slice(p.offset).startsWith('- full_shard') || text.slice(p.offset).startsWith('full_shard'), true, at(text, p));
});

test("axolotl: a batch value that is not a whole number is an error at it; digits in a string and pydantic's boolean words are read as axolotl reads them", () => {
  const text = 'base_model: meta-llama/Llama-3.1-8B\nadapter: lora\nlora_r: "sixteen"\nmicro_batch_size: two\ngradient_accumulation_steps: "4"\nsequence_len: 2048\nbf16: "yes"\n';
  const c = checkText(text, '/w/config.yml', { gpu: 'H100-SXM-80GB', gpusPerNode: 1 });
  assert.deepEqual(
    c.problems.filter((p) => p.code === 'axolotl-value').map((p) => at(text, p)),
    ['"sixteen"', 'two'].map((s) => (s.startsWith('"') ? s.slice(1, -1) : s)),
  );
  assert.equal(c.estimates.length, 0, 'not estimated with defaults standing in for the unusable values (trainingValues.test.ts)');
  const job = c.foreign?.[0]?.job.spec as { precision?: string; batch?: { gradientAccumulation?: number } } | undefined;
  assert.equal(job?.precision, 'bf16-mixed', 'bf16: "yes" is bf16');
  assert.equal(job?.batch?.gradientAccumulation, 4);
});

test('torchtitan: a product that does not divide the GPUs is at the degree that breaks it; a schema message names the key, not a half-translated path', () => {
  const text = '[model]\nname = "llama3"\nflavor = "8B"\n\n[training]\nlocal_batch_size = 2\nseq_len = 4096\n\n[parallelism]\ndata_parallel_shard_degree = -1\ncontext_parallel_degree = 3\n';
  const c = checkText(text, '/w/train.toml', { gpu: 'H100-SXM-80GB', gpusPerNode: 8 });
  const p = c.problems.find((x) => x.code === 'parallelism-product');
  assert.ok(p, JSON.stringify(c.problems.map((x) => x.code)));
  assert.equal(text.slice(0, p.offset).split('\n').pop(), 'context_parallel_degree = ');
  const long = '[model]\nname = "llama3"\nflavor = "8B"\n[training]\nseq_len = 1000000000\n';
  const r = checkText(long, '/w/long.toml', { gpu: 'H100-SXM-80GB', gpusPerNode: 8 }).problems.find((x) => x.code === 'schema-range');
  assert.ok(r);
  assert.match(r.message, /^\[training\] seq_len must be at most/);
});
