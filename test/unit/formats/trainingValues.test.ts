// Values the training tools read one way and the readers used to read another (a second exploratory
// pass): DeepSpeed's pydantic booleans and stage, a slipped DeepSpeed key, a number out of range, a
// torchtitan pipeline microbatch that does not divide the batch, an axolotl key written twice, and
// the estimate withheld where a value it depends on is in error.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pydanticBool, pydanticInt, slipOf } from '../../../core/formats/trainingDraft';
import { applyEdits, at, checkText } from './helpers';
import { tempDir } from '../helpers';

const H100 = { gpu: 'H100-SXM-80GB', gpusPerNode: 8, model: 'llama-3.1-8b' };

test("pydantic's lax booleans and ints: its words in any case, 1/0; anything else refused", () => {
  for (const v of [true, 1, 'true', 'YES', 'On', '1', 't', 'y']) assert.equal(pydanticBool(v), true, String(v));
  for (const v of [false, 0, 'false', 'No', 'OFF', '0', 'f', 'n']) assert.equal(pydanticBool(v), false, String(v));
  for (const v of ['maybe', 'enabled', '', 2, null, 'yes '.repeat(100)]) assert.equal(pydanticBool(v), undefined, String(v));
  assert.equal(pydanticInt('2'), 2);
  assert.equal(pydanticInt('two'), 'two');
  assert.equal(pydanticInt(3), 3);
  assert.equal(slipOf('gradient_acumulation_steps', ['gradient_accumulation_steps']), 'gradient_accumulation_steps');
  assert.equal(slipOf('gradient_accumulation_steps', ['gradient_accumulation_steps']), undefined);
  assert.equal(slipOf('bf61', ['bf16']), undefined, 'names under 6 letters are not guessed');
});

test('DeepSpeed: "enabled": "yes" is bf16 (as pydantic reads it); a word pydantic refuses is an error at the value', () => {
  const text = '{"train_micro_batch_size_per_gpu": 1, "bf16": {"enabled": "yes"}, "zero_optimization": {"stage": 2}}';
  const c = checkText(text, '/w/ds_config.json', H100);
  assert.equal((c.foreign![0].job.spec as { precision?: string }).precision, 'bf16-mixed');
  assert.ok(!c.problems.some((p) => p.code === 'deepspeed-value'), JSON.stringify(c.problems));
  assert.equal(c.estimates.length, 1);
  const bad = '{"train_micro_batch_size_per_gpu": 1, "bf16": {"enabled": "maybe"}, "zero_optimization": {"stage": 2}}';
  const b = checkText(bad, '/w/ds_config.json', H100);
  const p = b.problems.find((x) => x.code === 'deepspeed-value');
  assert.ok(p && p.severity === 'error', JSON.stringify(b.problems));
  assert.equal(at(bad, p), 'maybe');
  assert.match(p.message, /^bf16\.enabled 'maybe' is not a boolean: DeepSpeed refuses the config/);
  assert.equal(b.estimates.length, 0, 'a refused value withholds the estimate');
});

test('DeepSpeed: "stage": "2" is stage 2 (pydantic lax int enum); "two" is an error at the value', () => {
  const text = '{"train_micro_batch_size_per_gpu": 1, "zero_optimization": {"stage": "2"}}';
  const c = checkText(text, '/w/ds_config.json', H100);
  assert.equal((c.foreign![0].job.spec as { parallelism?: { zero?: number } }).parallelism?.zero, 2);
  assert.ok(!c.problems.some((p) => p.severity === 'error'), JSON.stringify(c.problems));
  const bad = text.replace('"2"', '"two"');
  const p = checkText(bad, '/w/ds_config.json', H100).problems.find((x) => x.code === 'deepspeed-value');
  assert.ok(p && p.severity === 'error');
  assert.equal(at(bad, p), 'two');
});

test('DeepSpeed: a slipped top-level key is a warning at the key with a fix that renames it; not offered when the key meant is there too', () => {
  const text = '{\n  "train_micro_batch_size_per_gpu": 4,\n  "gradient_acumulation_steps": 4,\n  "gradient_clipping": 1.0,\n  "zero_optimization": {"stage": 2}\n}';
  const c = checkText(text, '/w/ds_config.json');
  const slips = c.problems.filter((p) => p.code === 'deepspeed-value' && p.severity === 'warning');
  assert.deepEqual(
    slips.map((p) => at(text, p)),
    ['gradient_acumulation_steps'],
  );
  assert.match(slips[0].message, /did you mean gradient_accumulation_steps\?/);
  const fix = slips[0].fixes?.[0];
  assert.ok(fix, 'a rename fix');
  assert.ok(applyEdits(text, fix.edits).includes('"gradient_accumulation_steps": 4'));
  const both = text.replace('"gradient_clipping"', '"gradient_accumulation_steps": 2, "gradient_clipping"');
  const p = checkText(both, '/w/ds_config.json').problems.find((x) => x.code === 'deepspeed-value' && x.severity === 'warning');
  assert.ok(p && !p.fixes, JSON.stringify(p));
});

test('a whole number past 10^9 is out of range, with the bound, in every reader (not "must be a whole number")', () => {
  const ds = '{"train_micro_batch_size_per_gpu": 1e14, "zero_optimization": {"stage": 2}}';
  const cases: [string, string, string][] = [
    [ds, '/w/ds_config.json', 'deepspeed-value'],
    ['base_model: meta-llama/Llama-3.1-8B\nmicro_batch_size: 1e14\nsequence_len: 2048\n', '/w/config.yml', 'axolotl-value'],
    ['[model]\nname = "llama3"\nflavor = "8B"\n\n[training]\nlocal_batch_size = 100000000000000\n', '/w/train.toml', 'torchtitan-value'],
    ['distributed_type: MULTI_GPU\nnum_processes: 100000000000000\nmixed_precision: bf16\n', '/w/accelerate_config.yaml', 'accelerate-value'],
  ];
  for (const [text, file, code] of cases) {
    const p = checkText(text, file, H100).problems.find((x) => x.code === code);
    assert.ok(p && p.severity === 'error', `${file}: ${JSON.stringify(checkText(text, file, H100).problems)}`);
    assert.match(p.message, /100000000000000 is out of range: Gantry reads at most 10\^9/, file);
    assert.doesNotMatch(p.message, /whole number/, file);
  }
  const p = checkText('{"train_micro_batch_size_per_gpu": 2.5}', '/w/ds_config.json').problems.find((x) => x.code === 'deepspeed-value');
  assert.match(p?.message ?? '', /must be a whole number ≥ 1 or "auto"/, 'a fraction is still "not whole"');
});

test("torchtitan: a pipeline microbatch size that does not divide the local batch is an error at it, in the file's terms; one that divides is read", () => {
  const text = '[model]\nname = "llama3"\nflavor = "8B"\n\n[training]\nlocal_batch_size = 8\nseq_len = 2048\n\n[parallelism]\npipeline_parallel_degree = 2\npipeline_parallel_microbatch_size = 3\n';
  const c = checkText(text, '/w/train.toml', H100);
  const p = c.problems.find((x) => x.code === 'torchtitan-value');
  assert.ok(p && p.severity === 'error', JSON.stringify(c.problems));
  assert.equal(text.slice(0, p.offset).split('\n').pop(), 'pipeline_parallel_microbatch_size = ');
  assert.match(p.message, /^\[parallelism\] pipeline_parallel_microbatch_size 3 does not divide \[training\] local_batch_size 8: torchtitan refuses the config.*Use 1, 2, 4 or 8\.$/);
  assert.equal(c.estimates.length, 0);
  const ok = checkText(text.replace('= 3', '= 4'), '/w/train.toml', H100);
  assert.ok(!ok.problems.some((x) => x.code === 'torchtitan-value'), JSON.stringify(ok.problems));
  assert.equal((ok.foreign![0].job.spec as { batch?: { gradientAccumulation?: number } }).batch?.gradientAccumulation, 2);
  // Without pipeline parallelism torchtitan does not use it.
  const noPp = checkText(text.replace('pipeline_parallel_degree = 2', 'pipeline_parallel_degree = 1'), '/w/train.toml', H100);
  assert.ok(!noPp.problems.some((x) => x.code === 'torchtitan-value'));
});

test('axolotl: a key written twice is a warning at the second, the last value is read, and the rest is checked', () => {
  const text = 'base_model: meta-llama/Llama-3.1-8B\nmicro_batch_size: 2\nsequence_len: 4096\nmicro_batch_size: 1\nbf16: true\nadapter: lora\nlora_r: 16\nload_in_8bit: true\n';
  const c = checkText(text, '/w/config.yml', { gpu: 'H100-SXM-80GB', gpusPerNode: 1 });
  const dup = c.problems.filter((p) => p.code === 'yaml-duplicate-key');
  assert.equal(dup.length, 1, JSON.stringify(c.problems));
  assert.equal(dup[0].severity, 'warning');
  assert.equal(dup[0].offset, text.lastIndexOf('micro_batch_size'));
  assert.ok(!c.problems.some((p) => p.code === 'yaml-syntax'));
  const spec = c.foreign?.[0]?.job.spec as { batch?: { micro?: number; sequenceLength?: number }; precision?: string; finetune?: { method?: string } };
  assert.equal(spec.batch?.micro, 1, 'the last, as PyYAML keeps it');
  assert.equal(spec.batch?.sequenceLength, 4096);
  assert.equal(spec.finetune?.method, 'lora');
  assert.equal(c.estimates.length, 1, 'a warning does not withhold the estimate');
  // The estimate's micro-batch is the last one's place.
  const nested = 'base_model: meta-llama/Llama-3.1-8B\nmicro_batch_size: 1\nfsdp_config:\n  fsdp_offload_params: false\n  fsdp_offload_params: true\nfsdp:\n  - full_shard\n';
  const n = checkText(nested, '/w/config.yml', H100).problems.filter((p) => p.code === 'yaml-duplicate-key');
  assert.deepEqual(
    n.map((p) => p.offset),
    [nested.lastIndexOf('fsdp_offload_params')],
  );
});

test('an error in a value the estimate depends on withholds the estimate and its findings, in the check and on the script that launches it', () => {
  const dir = tempDir('gantry-withheld-');
  const text = 'base_model: meta-llama/Llama-3.1-8B\nmicro_batch_size: two\nsequence_len: 4096\n';
  const file = path.join(dir, 'config.yml');
  fs.writeFileSync(file, text);
  const c = checkText(text, file, { gpu: 'H100-SXM-80GB', gpusPerNode: 1 });
  assert.deepEqual(
    c.problems.map((p) => [p.code, p.severity, at(text, p)]),
    [['axolotl-value', 'error', 'two']],
  );
  assert.equal(c.estimates.length, 0);
  // The same file with the value fixed: estimated (and it does not fit, which was hidden behind the error).
  const fixed = checkText(text.replace('two', '2'), file, { gpu: 'H100-SXM-80GB', gpusPerNode: 1 });
  assert.equal(fixed.estimates.length, 1);
  const script = '#!/bin/bash\ntorchrun --nproc_per_node 1 -m axolotl.cli.train config.yml\n';
  const s = checkText(script, path.join(dir, 'run.sh'), { gpu: 'H100-SXM-80GB' });
  assert.deepEqual(
    s.problems.map((p) => [p.code, p.severity, at(script, p)]),
    [['launcher-config-error', 'error', 'config.yml']],
  );
  assert.match(s.problems[0].message, /^'config\.yml' has an error \(line 2: micro_batch_size must be a whole number/);
  assert.equal(s.estimates.length, 0);
});
