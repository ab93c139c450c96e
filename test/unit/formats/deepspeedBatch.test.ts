// DeepSpeed JSON: the micro-batch DeepSpeed derives from train_batch_size, the memory keys Gantry models
// only in part (AutoTP, bf16 master weights and optimizer states, ZeRO++ hpZ), ZeRO stage 0 in half
// precision, and JSON syntax errors in words. Minimal JSON in the shapes of the public configs.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyEdits, at, checkText, estimateOf } from './helpers';

const CTX = { gpu: 'H100-SXM-80GB', gpusPerNode: 8, model: 'meta-llama/Llama-3.1-8B' };
const spec = (c: ReturnType<typeof checkText>) => c.foreign![0].job.spec as Record<string, any>;

test('no train_micro_batch_size_per_gpu: DeepSpeed derives it as train_batch_size // world // gradient_accumulation_steps, and the estimate uses it', () => {
  // DeepSpeedExamples imagenet ds_fp16_z1_config.json has this shape.
  const text = '{\n  "train_batch_size": 256,\n  "gradient_accumulation_steps": 1,\n  "bf16": {"enabled": true},\n  "zero_optimization": {"stage": 2}\n}\n';
  const c = checkText(text, '/w/ds.json', CTX);
  assert.equal(spec(c).batch.micro, 32);
  const e = estimateOf(c);
  assert.ok(
    e.assumptions.some((a) => a.startsWith('Micro-batch: 32 per GPU, as DeepSpeed derives it: train_batch_size 256 / (gradient_accumulation_steps 1 × 8 GPUs)')),
    e.assumptions.join('\n'),
  );
  assert.ok(!e.assumptions.some((a) => a.startsWith('Micro-batch: assumed 1')));
  assert.equal(
    c.problems.find((p) => p.code === 'deepspeed-batch'),
    undefined,
  );
  // train_batch_size alone: accumulation 1, micro 256 // 8.
  const alone = checkText('{"train_batch_size": 64, "zero_optimization": {"stage": 2}}', '/w/ds.json', CTX);
  assert.equal(spec(alone).batch.micro, 8);
  // With accumulation: 256 // 8 // 4 = 8.
  assert.equal(spec(checkText(text.replace('"gradient_accumulation_steps": 1', '"gradient_accumulation_steps": 4'), '/w/ds.json', CTX)).batch.micro, 8);
  // The derived micro-batch is written by adding the key DeepSpeed then reads; with no
  // gradient_accumulation_steps DeepSpeed derives that in turn (256 // 4 // 8 = 8): the same global batch.
  const noAcc = text.replace('"gradient_accumulation_steps": 1,\n  ', '');
  const derivedMicro = checkText(noAcc, '/w/ds.json', CTX);
  assert.equal(spec(derivedMicro).batch.micro, 32);
  const edit = derivedMicro.foreign![0].sources.get('spec.batch.micro')!.write!(4)!;
  const fixed = applyEdits(noAcc, [edit]);
  assert.equal(JSON.parse(fixed).train_micro_batch_size_per_gpu, 4);
  const again = checkText(fixed, '/w/ds.json', CTX);
  assert.equal(
    again.problems.find((x) => x.code === 'deepspeed-batch'),
    undefined,
  );
  assert.equal(estimateOf(again).layout?.microBatches, 8);
});

test('a derived micro-batch that is not a positive whole number is DeepSpeed\'s refusal on a given world size, with fixes; "auto" and an unknown world keep today\'s behaviour', () => {
  const text = '{\n  "train_batch_size": 4,\n  "zero_optimization": {"stage": 2}\n}\n';
  for (const defaults of [{ gpusPerNode: 8 }, CTX]) {
    const p = checkText(text, '/w/ds.json', defaults).problems.find((x) => x.code === 'deepspeed-batch')!;
    assert.ok(p, JSON.stringify(defaults));
    assert.equal(p.severity, 'error');
    assert.equal(at(text, p), '4');
    assert.match(p.message, /4 \/\/ 8 \/\/ 1 = 0, and DeepSpeed asserts "Micro batch size per gpu: 0 has to be greater than 0"/);
    // The smallest train_batch_size that splits: one sequence per GPU.
    assert.deepEqual(
      p.fixes!.map((f) => f.title),
      ['Set train_batch_size to 8'],
    );
    const fixed = applyEdits(text, p.fixes![0].edits);
    assert.equal(
      checkText(fixed, '/w/ds.json', defaults).problems.find((x) => x.code === 'deepspeed-batch'),
      undefined,
    );
  }
  // Not a whole split: 100 // 8 // 4 = 3, 3 × 4 × 8 = 96 ≠ 100.
  const rem = checkText('{"train_batch_size": 100, "gradient_accumulation_steps": 4}', '/w/ds.json', { gpusPerNode: 8 }).problems.find((x) => x.code === 'deepspeed-batch')!;
  assert.match(rem.message, /96 ≠ 100/);
  assert.deepEqual(
    rem.fixes!.map((f) => f.title),
    ['Set train_batch_size to 96', 'Set train_batch_size to 128'],
  );
  // No world size and no model: nothing to derive (as before).
  assert.equal(
    checkText(text, '/w/ds.json').problems.find((x) => x.code === 'deepspeed-batch'),
    undefined,
  );
  // A model on the assumed 8 GPUs: said, not refused.
  const assumed = checkText(text, '/w/ds.json', { model: CTX.model });
  assert.equal(
    assumed.problems.find((x) => x.code === 'deepspeed-batch'),
    undefined,
  );
  assert.ok(estimateOf(assumed).assumptions.some((a) => a.startsWith('train_batch_size 4 does not split over gradient_accumulation_steps 1')));
  // "auto" micro-batch or accumulation: the loading program fills them; nothing derived.
  for (const auto of ['"train_micro_batch_size_per_gpu": "auto"', '"gradient_accumulation_steps": "auto"']) {
    const c = checkText(text.replace('"zero_optimization"', `${auto},\n  "zero_optimization"`), '/w/ds.json', CTX);
    assert.equal(
      c.problems.find((x) => x.code === 'deepspeed-batch'),
      undefined,
    );
    assert.equal(spec(c).batch.micro, 1, auto);
  }
});

test('AutoTP, bf16 master weights and optimizer states, ZeRO++ hpZ: modelled where a field fits, otherwise named in an assumption', () => {
  const base = { train_micro_batch_size_per_gpu: 1, gradient_accumulation_steps: 1, bf16: { enabled: true }, zero_optimization: { stage: 2 } };
  const plain = checkText(JSON.stringify(base), '/w/ds.json', CTX);
  const tp = checkText(JSON.stringify({ ...base, tensor_parallel: { autotp_size: 4 } }), '/w/ds.json', CTX);
  assert.equal(spec(tp).parallelism.tensor, 4);
  assert.ok(estimateOf(tp).assumptions.some((a) => a.startsWith('tensor_parallel.autotp_size 4 (DeepSpeed AutoTP): estimated as tensor parallel 4')));
  assert.ok(estimateOf(tp).memory!.breakdown.weights < estimateOf(plain).memory!.breakdown.weights / 3);
  // Both bf16 keys: pure bf16 (no fp32 master, bf16 Adam states).
  const pure = checkText(JSON.stringify({ ...base, bf16: { enabled: true, bf16_master_weights_and_grads: true, bf16_optimizer_states: true } }), '/w/ds.json', CTX);
  assert.equal(spec(pure).precision, 'bf16');
  assert.ok(estimateOf(pure).memory!.breakdown.optimizerStates! < estimateOf(plain).memory!.breakdown.optimizerStates!);
  // The master weights alone: no field for it, said.
  const master = checkText(JSON.stringify({ ...base, bf16: { enabled: true, bf16_master_weights_and_grads: true } }), '/w/ds.json', CTX);
  assert.equal(spec(master).precision, 'bf16-mixed');
  assert.ok(estimateOf(master).assumptions.some((a) => a.startsWith('Not modelled: bf16.bf16_master_weights_and_grads')));
  // DeepSpeed's assertions: ZeRO 1-3 only; optimizer states need the master weights.
  const z0 = checkText(JSON.stringify({ ...base, bf16: { enabled: true, bf16_master_weights_and_grads: true }, zero_optimization: { stage: 0 } }), '/w/ds.json', CTX);
  assert.ok(z0.problems.some((p) => p.code === 'deepspeed-value' && p.message.includes('only supported with ZeRO stage 1, 2 or 3')));
  const statesOnly = checkText(JSON.stringify({ ...base, bf16: { enabled: true, bf16_optimizer_states: true } }), '/w/ds.json', CTX);
  assert.ok(statesOnly.problems.some((p) => p.code === 'deepspeed-value' && p.message.includes('needs bf16.bf16_master_weights_and_grads')));
  const hpz = checkText(JSON.stringify({ ...base, zero_optimization: { stage: 3, zero_hpz_partition_size: 8 } }), '/w/ds.json', CTX);
  assert.ok(estimateOf(hpz).assumptions.some((a) => a.startsWith('Not modelled: zero_optimization.zero_hpz_partition_size = 8 (ZeRO++ hpZ)')));
});

test('ZeRO stage 0 in bf16: the assumption says DeepSpeed casts the model and keeps fp32 master weights, and that the autocast estimate is higher', () => {
  const c = checkText('{"train_micro_batch_size_per_gpu": 1, "gradient_accumulation_steps": 1, "bf16": {"enabled": true}, "zero_optimization": {"stage": 0}}', '/w/ds.json', CTX);
  assert.ok(estimateOf(c).assumptions.some((a) => a.startsWith('ZeRO stage 0 with bf16: DeepSpeed casts the model to bf16')));
  const z2 = checkText('{"train_micro_batch_size_per_gpu": 1, "gradient_accumulation_steps": 1, "bf16": {"enabled": true}, "zero_optimization": {"stage": 2}}', '/w/ds.json', CTX);
  assert.ok(!estimateOf(z2).assumptions.some((a) => a.startsWith('ZeRO stage 0')));
});

test("a JSON syntax error is said in words: an unexpected word is quoted, never the parser's code", () => {
  // DeepSpeedExamples ds_config_gpt2_TEMPLATE.json: placeholders where numbers go.
  const text = '{\n  "train_batch_size" : CONFIG_BATCH_SIZE,\n  "train_micro_batch_size_per_gpu": 4\n}\n';
  const p = checkText(text, '/w/ds.json').problems.find((x) => x.code === 'json-syntax')!;
  assert.ok(p);
  assert.doesNotMatch(p.message, /InvalidSymbol/);
  assert.match(p.message, /unexpected 'CONFIG_BATCH_SIZE'/);
  const comma = checkText('{"train_batch_size": 8 "zero_optimization": {}}', '/w/ds.json').problems[0];
  assert.match(comma.message, /^Not valid JSON: a comma expected\./);
});
