// DeepSpeed JSON: alone it names no model, so it gets the batch arithmetic DeepSpeed asserts and its
// contradictions; with a model from the context, the full estimate. Fixes are JSON.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { deepspeedReader } from '../../../core/formats/deepspeed';
import { claimingReaders } from '../../../core/formats/index';
import { applyEdits, at, checkFixture, checkText, estimateOf, figures, fixture } from './helpers';

test('claims DeepSpeed configs by name and content; not package.json, tsconfig.json or a launch.json', () => {
  assert.ok(deepspeedReader.claims('ds_config.json', fixture('deepspeed/zero2.json').text));
  assert.ok(!deepspeedReader.claims('zero2.yaml', fixture('deepspeed/zero2.json').text));
  assert.deepEqual(claimingReaders('package.json', '{"name": "x", "scripts": {"train": "deepspeed train.py"}}'), []);
  assert.deepEqual(claimingReaders('tsconfig.json', '{"compilerOptions": {"strict": true}}'), []);
  const c = checkText('{"version": "0.2.0", "configurations": []}', '/w/.vscode/launch.json');
  assert.equal(c.gantry, false);
});

test('"auto" everywhere (axolotl\'s zero2.json): one info that the loading program fills them, no estimate, no throw', () => {
  const c = checkFixture('deepspeed/zero2.json');
  assert.deepEqual(
    c.problems.map((p) => [p.code, p.severity]),
    [['deepspeed-auto', 'info']],
  );
  assert.equal(c.estimates.length, 0);
  assert.equal((c.foreign![0].job.spec as any).parallelism.zero, 2);
});

test('train_batch_size that no whole number of GPUs gives: an error on it, and a JSON fix that re-checks clean', () => {
  const c = checkFixture('deepspeed/ds_config_mismatch.json');
  const p = c.problems.find((x) => x.code === 'deepspeed-batch');
  assert.ok(p);
  assert.equal(at(c.text, p), '100');
  const fixed = applyEdits(c.text, p.fixes![0].edits);
  assert.ok(fixed.includes('"train_batch_size": 96'));
  const again = checkText(fixed, c.fileName);
  assert.deepEqual(
    again.problems.filter((x) => x.severity === 'error' || x.severity === 'warning'),
    [],
  );
  assert.ok(again.problems.some((x) => x.code === 'deepspeed-world' && x.message.includes('3 GPUs')));
});

test('with the world size from the context, a train_batch_size that disagrees is an error with the right value', () => {
  const text = '{"train_batch_size": 32, "train_micro_batch_size_per_gpu": 2, "gradient_accumulation_steps": 4, "zero_optimization": {"stage": 2}}';
  const c = checkText(text, '/w/ds.json', { gpusPerNode: 8 });
  const p = c.problems.find((x) => x.code === 'deepspeed-batch')!;
  assert.ok(p.message.includes('= 64'), p.message);
  assert.equal(applyEdits(text, p.fixes![0].edits).includes('"train_batch_size": 64'), true);
});

test("no gradient_accumulation_steps: DeepSpeed derives it as train_batch_size // (micro × GPUs) and refuses a remainder — said in DeepSpeed's terms, with a model or without", () => {
  const text = '{\n  "train_batch_size": 100,\n  "train_micro_batch_size_per_gpu": 3,\n  "zero_optimization": { "stage": 2 }\n}\n';
  for (const defaults of [{ gpusPerNode: 8 }, { gpusPerNode: 8, model: 'meta-llama/Llama-3.1-8B' }]) {
    const c = checkText(text, '/w/ds.json', defaults);
    assert.equal(
      c.problems.find((x) => x.code === 'global-batch'),
      undefined,
      JSON.stringify(c.problems),
    );
    const p = c.problems.find((x) => x.code === 'deepspeed-batch');
    assert.ok(p, JSON.stringify(defaults));
    assert.equal(at(text, p), '100');
    assert.match(p.message, /multiple of train_micro_batch_size_per_gpu 3 × 8 GPUs = 24: DeepSpeed takes gradient_accumulation_steps = 100 \/\/ 24 = 4/);
    assert.deepEqual(
      p.fixes!.map((f) => f.title),
      ['Set train_batch_size to 96', 'Set train_batch_size to 120'],
    );
    const fixed = applyEdits(text, p.fixes![0].edits);
    assert.equal(
      checkText(fixed, '/w/ds.json', defaults).problems.find((x) => x.code === 'deepspeed-batch' || x.code === 'global-batch'),
      undefined,
      'the fix checks clean',
    );
  }
  // "auto" accumulation is the loading program's to fill, and no world size: nothing to say.
  assert.equal(
    checkText(text.replace('"zero_optimization"', '"gradient_accumulation_steps": "auto",\n  "zero_optimization"'), '/w/ds.json', { gpusPerNode: 8 }).problems.find((x) => x.code === 'deepspeed-batch'),
    undefined,
  );
  assert.equal(
    checkText(text, '/w/ds.json').problems.find((x) => x.code === 'deepspeed-batch'),
    undefined,
  );
});

test('ZeRO-3 on one GPU without offload: a warning on the stage', () => {
  const c = checkFixture('deepspeed/zero3_one_gpu.json');
  const p = c.problems.find((x) => x.code === 'deepspeed-zero3-one-gpu');
  assert.ok(p);
  assert.equal(at(c.text, p), '3');
});

test("with a model from the context: the full estimate, ZeRO-3 offload as the estimator's CPU offload of the parameters, and DeepSpeed's batch check in DeepSpeed's terms", () => {
  const c = checkFixture('deepspeed/zero3_offload_all.json', { model: 'meta-llama/Llama-3.1-8B' });
  const e = estimateOf(c);
  assert.equal(e.layout?.gpus, 8, 'as train_batch_size implies');
  assert.equal(e.layout?.microBatches, 4);
  assert.ok(e.assumptions.some((a) => a.startsWith('ZeRO-3 offload_param to cpu (and offload_optimizer to cpu): estimated as CPU offload')));
  assert.equal((c.foreign![0].job.spec as any).parallelism.offload, 'params');
  // The weights, gradients, master copy and optimizer states leave the GPU: no weights or optimizer line in the breakdown.
  assert.equal(e.memory!.breakdown.optimizerStates ?? 0, 0);
  const onGpu = checkText(c.text.replace(/"device": "cpu"/g, '"device": "none"'), c.fileName, { model: 'meta-llama/Llama-3.1-8B' });
  assert.ok(figures(c).gib < figures(onGpu).gib - 10, `${figures(c).gib} vs ${figures(onGpu).gib}`);
  // offload_optimizer alone below stage 3 (ZeRO-Offload): the optimizer; offload_param below stage 3 is said as unused.
  const z2 = checkText(c.text.replace('"stage": 3', '"stage": 2'), c.fileName, { model: 'meta-llama/Llama-3.1-8B' });
  assert.equal((z2.foreign![0].job.spec as any).parallelism.offload, 'optimizer');
  assert.ok(estimateOf(z2).assumptions.some((a) => a.startsWith('offload_param (cpu) applies to ZeRO stage 3 only')));
  assert.ok(e.assumptions.some((a) => a.startsWith('Sequence length: assumed 2048')));
  assert.ok(figures(c).gib > 5 && figures(c).gib < 79);
  const bad = checkFixture('deepspeed/ds_config_mismatch.json', { model: 'meta-llama/Llama-3.1-8B', gpusPerNode: 8 });
  // Not Gantry's global-batch rule, which speaks of "global" and "micro" (its own fields): DeepSpeed's check, with its key names.
  assert.equal(
    bad.problems.find((x) => x.code === 'global-batch'),
    undefined,
    JSON.stringify(bad.problems),
  );
  const p = bad.problems.find((x) => x.code === 'deepspeed-batch');
  assert.ok(p);
  assert.equal(at(bad.text, p), '100');
  assert.match(p.message, /^train_batch_size 100 ≠ train_micro_batch_size_per_gpu \d+ × gradient_accumulation_steps \d+ × 8 GPUs = 256/);
  for (const text of [p.message, ...p.fixes!.map((f) => f.title)]) assert.doesNotMatch(text, /\b(global|micro|batch\.|gradientAccumulation)\b/, text);
  assert.equal(p.fixes![0].title, 'Set train_batch_size to 256');
  assert.ok(applyEdits(bad.text, p.fixes![0].edits).includes('"train_batch_size": 256'));
});

test('a value the file does not write is inserted in JSON: the ZeRO stage into zero_optimization', () => {
  const text = '{\n  "train_micro_batch_size_per_gpu": 1,\n  "zero_optimization": {\n    "overlap_comm": true\n  }\n}\n';
  const spec = deepspeedReader.read(text, { fileName: 'ds.json' })[0];
  const edit = spec.insert!(['spec', 'parallelism', 'zero'], 3)!;
  const out = applyEdits(text, [edit]);
  assert.deepEqual(JSON.parse(out).zero_optimization, { overlap_comm: true, stage: 3 });
  const top = applyEdits(text, [spec.insert!(['spec', 'batch', 'gradientAccumulation'], 4)!]);
  assert.equal(JSON.parse(top).gradient_accumulation_steps, 4);
});

test('malformed JSON and wrong values: clear problems, never a throw', () => {
  const c = checkText('{"train_batch_size": 8, "zero_optimization": {"stage": 3,}', '/w/ds.json');
  assert.equal(c.problems[0].code, 'json-syntax');
  const v = checkText('{"train_batch_size": "eight", "zero_optimization": {"stage": 4, "offload_param": {"device": "gpu"}}, "bf16": {"enabled": true}, "fp16": {"enabled": true}}', '/w/ds.json');
  assert.deepEqual(v.problems.map((p) => p.code).sort(), ['deepspeed-precision', 'deepspeed-value', 'deepspeed-value', 'deepspeed-value']);
});
