// Hugging Face Trainer / TRL arguments on the line that launches a DeepSpeed or accelerate config
// (core/formats/trainerArgs.ts): they reach the config's estimate (micro-batch, accumulation, sequence
// length, checkpointing, precision), the hover says where each came from, a DeepSpeed number that
// differs is the Trainer's mismatch error, and values the argument parser refuses are errors on the
// line (never a throw). Also accelerate's --num_processes that does not divide over --num_machines.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deepspeedReader } from '../../../core/formats/deepspeed';
import { jsonInsert, parseJson } from '../../../core/formats/jsonDoc';
import { launcherDefaults, launchLinkFor } from '../../../core/formats/launcherLink';
import type { ForeignDefaults } from '../../../core/formats/types';
import { applyEdits, at, checkText, estimateOf, figures, reader } from './helpers';
import { tempDir } from '../helpers';

function folder(files: Record<string, string>): string {
  const dir = tempDir('gantry-trainer-');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const DS_AUTO = '{\n  "train_micro_batch_size_per_gpu": "auto",\n  "gradient_accumulation_steps": "auto",\n  "train_batch_size": "auto",\n  "bf16": { "enabled": "auto" },\n  "zero_optimization": { "stage": 2 }\n}\n';
const RUN = '#!/bin/bash\n# SFT\ndeepspeed --num_gpus 8 train.py \\\n  --deepspeed ds.json \\\n  --model_name_or_path meta-llama/Llama-3.1-8B \\\n  --per_device_train_batch_size 4 --gradient_accumulation_steps 8 \\\n  --max_seq_length 4096 --gradient_checkpointing --bf16\n';

/** The config's defaults from the script beside it, and its check. */
function linked(config: string, configText: string, scripts: Record<string, string>, extra: Record<string, string> = {}) {
  const dir = folder({ [config]: configText, ...scripts, ...extra });
  const file = path.join(dir, config);
  const read = reader(file);
  const defaults = launcherDefaults(file, configText, {}, () => fs.readdirSync(dir), read);
  return { dir, file, read, defaults, check: checkText(configText, file, defaults, read) };
}

test('a DeepSpeed config with "auto" batch sizes takes the micro-batch, accumulation, sequence length, checkpointing and bf16 from the launch line, and says where each came from', () => {
  const { defaults, check, file, read } = linked('ds.json', DS_AUTO, { 'run.sh': RUN });
  assert.deepEqual(defaults.trainer, {
    from: "'run.sh' line 3",
    micro: { value: 4, flag: '--per_device_train_batch_size' },
    accumulation: { value: 8, flag: '--gradient_accumulation_steps' },
    seqLen: { value: 4096, flag: '--max_seq_length' },
    checkpointing: { value: true, flag: '--gradient_checkpointing' },
    precision: { value: 'bf16', flag: '--bf16' },
  });
  const spec = deepspeedReader.read(DS_AUTO, { fileName: file, defaults, readFile: read })[0].job.spec as Record<string, Record<string, unknown>>;
  assert.deepEqual(spec.batch, { micro: 4, gradientAccumulation: 8, sequenceLength: 4096 });
  assert.equal(spec.activationCheckpointing, 'full');
  assert.equal(spec.precision, 'bf16-mixed');
  const e = estimateOf(check);
  assert.equal(e.layout?.microBatches, 8);
  const says = (s: string) =>
    assert.ok(
      e.assumptions.some((a) => a.includes(s)),
      `${s}\n${JSON.stringify(e.assumptions, null, 1)}`,
    );
  says("Micro-batch 4 from 'run.sh' line 3 (--per_device_train_batch_size)");
  says("Gradient accumulation 8 from 'run.sh' line 3 (--gradient_accumulation_steps)");
  says("Sequence length 4096 from 'run.sh' line 3 (--max_seq_length)");
  says("Activation checkpointing: full, from 'run.sh' line 3 (--gradient_checkpointing");
  says("Precision: bf16-mixed, from 'run.sh' line 3 (--bf16)");
  assert.ok(!e.assumptions.some((a) => a.includes('assumed 2048') || a.includes('assumed 1')), JSON.stringify(e.assumptions));
  // "auto" is no longer a mystery to open another file for.
  assert.equal(
    check.problems.find((p) => p.code === 'deepspeed-auto'),
    undefined,
  );
  // More memory than the old guess (micro 1 × 2048, no checkpointing)? Different, in any case: the line's run, not a default one.
  const alone = checkText(DS_AUTO, file, { model: 'meta-llama/Llama-3.1-8B', gpusPerNode: 8 }, read);
  assert.notEqual(figures(check).gib, figures(alone).gib);
  assert.ok(figures(check).stepSeconds > 4 * figures(alone).stepSeconds, 'four times the tokens per micro-batch, eight micro-batches');
});

test('the script that launches it shows the same estimate, and the values the config takes from the line are placed (and rewritten) on the line', () => {
  // 70B on 8 GPUs with ZeRO-2 and micro-batch 8 does not fit: the fixes write the script's words.
  const run = 'deepspeed --num_gpus 8 train.py --deepspeed ds.json --model_name_or_path meta-llama/Llama-3.1-70B --per_device_train_batch_size=8 --gradient_accumulation_steps 2 --max_length 4096 --bf16 True\n';
  const dir = folder({ 'ds.json': DS_AUTO, 'run.sh': run });
  const file = path.join(dir, 'run.sh');
  const c = checkText(run, file, {}, reader(file));
  const e = estimateOf(c);
  assert.ok(
    e.assumptions.some((a) => a.includes("Micro-batch 8 from 'run.sh' line 1 (--per_device_train_batch_size)")),
    JSON.stringify(e.assumptions),
  );
  const oom = c.problems.find((p) => p.code === 'memory-exceeds-capacity');
  assert.ok(oom, JSON.stringify(c.problems.map((p) => p.code)));
  const lower = oom.fixes?.find((f) => f.title.startsWith('Lower the micro-batch'));
  if (lower) {
    const out = applyEdits(run, lower.edits);
    assert.match(out, /--per_device_train_batch_size=[1-7] --gradient_accumulation_steps \d+ /, out);
  }
  // No fix writes the config: its "auto" stays for the Trainer to fill.
  for (const f of oom.fixes ?? []) for (const edit of f.edits) assert.ok(edit.offset < run.length);
});

test('a DeepSpeed number that differs from the line is the Trainer mismatch error at the value, naming the line; the fix sets "auto"', () => {
  const ds = DS_AUTO.replace('"train_micro_batch_size_per_gpu": "auto"', '"train_micro_batch_size_per_gpu": 2').replace('"train_batch_size": "auto"', '"train_batch_size": 100').replace('"enabled": "auto"', '"enabled": false');
  const { check, defaults, dir } = linked('ds.json', ds, { 'run.sh': RUN });
  const mism = check.problems.filter((p) => p.code === 'deepspeed-mismatch');
  const micro = mism.find((p) => at(ds, p) === '2');
  assert.ok(micro && micro.severity === 'error', JSON.stringify(check.problems));
  assert.match(micro.message, /^train_micro_batch_size_per_gpu is 2 here but --per_device_train_batch_size is 4 on 'run\.sh' line 3: the Hugging Face Trainer refuses to start/);
  assert.equal(micro.fixes?.[0].title, 'Set train_micro_batch_size_per_gpu to "auto"');
  assert.equal(JSON.parse(applyEdits(ds, micro.fixes![0].edits)).train_micro_batch_size_per_gpu, 'auto');
  assert.equal(JSON.parse(applyEdits(ds, micro.fixes![1].edits)).train_micro_batch_size_per_gpu, 4);
  // train_batch_size: the Trainer computes 8 GPUs × 2 × 8 = 128 and refuses 100 (said once, in DeepSpeed's and the Trainer's terms).
  const tbs = mism.find((p) => at(ds, p) === '100');
  assert.ok(tbs, JSON.stringify(mism));
  assert.match(tbs.message, /computes 128/);
  assert.equal(
    check.problems.find((p) => p.code === 'global-batch'),
    undefined,
  );
  assert.ok(
    mism.some((p) => at(ds, p) === 'false' && p.message.startsWith('bf16.enabled is false here but --bf16 is on')),
    JSON.stringify(mism),
  );
  // An error: no estimate of a run that does not start; the script says so at the config's name.
  assert.equal(check.estimates.length, 0);
  const script = path.join(dir, 'run.sh');
  const s = checkText(RUN, script, {}, reader(script));
  const refused = s.problems.find((p) => p.code === 'launcher-config-error');
  assert.ok(refused && at(RUN, refused) === 'ds.json', JSON.stringify(s.problems));
  assert.equal(defaults.trainer?.micro?.value, 4);
  // The Trainer's checks govern: no DeepSpeed batch assertion on the config's own numbers, whose fix the mismatch fixes would undo.
  assert.equal(
    check.problems.find((p) => p.code === 'deepspeed-batch'),
    undefined,
  );
  const qa = linked('ds.json', DS_AUTO.replace('"train_micro_batch_size_per_gpu": "auto"', '"train_micro_batch_size_per_gpu": 2').replace('"gradient_accumulation_steps": "auto"', '"gradient_accumulation_steps": 4').replace('"train_batch_size": "auto"', '"train_batch_size": 256'), { 'run.sh': RUN });
  assert.deepEqual(
    qa.check.problems.filter((p) => p.code === 'deepspeed-batch' || p.code === 'global-batch'),
    [],
    'train_batch_size 256 is right once the micro-batch and accumulation follow the line (4 × 8 × 8)',
  );
});

test('bad values on the line: errors at the value in the script (quoted short), ignored with a note in the config, never a throw', () => {
  const long = 'x'.repeat(300);
  const run = `deepspeed --num_gpus 8 train.py --deepspeed ds.json --model_name_or_path meta-llama/Llama-3.1-8B \\\n  --per_device_train_batch_size four --gradient_accumulation_steps=${long} --bf16 maybe --max_length $SEQ --max_seq_length 1024 --gradient_checkpointing=\n`;
  const { check, dir, defaults } = linked('ds.json', DS_AUTO, { 'run.sh': run });
  const script = path.join(dir, 'run.sh');
  const s = checkText(run, script, {}, reader(script));
  const bad = s.problems.filter((p) => p.code === 'foreign-flag-value');
  assert.deepEqual(
    bad.slice(0, 3).map((p) => at(run, p)),
    ['four', long, 'maybe'],
  );
  assert.equal(bad.length, 4, '--gradient_checkpointing= (empty) is not a boolean either');
  assert.match(bad[0].message, /^--per_device_train_batch_size 'four' is not a whole number/);
  assert.ok(bad[1].message.length < 300 && bad[1].message.includes(`'${'x'.repeat(20)}…'`), bad[1].message);
  assert.match(bad[2].message, /^--bf16 'maybe' is not a boolean/);
  const unresolved = s.problems.find((p) => p.code === 'foreign-unresolved');
  assert.ok(unresolved && at(run, unresolved) === '$SEQ', JSON.stringify(s.problems));
  assert.equal(s.estimates.length, 0, 'the run stops at the argument parser');
  // The config: what could be read is used (--max_seq_length 1024: --max_length was a variable), the rest is said.
  assert.equal(defaults.trainer?.micro, undefined);
  assert.equal(defaults.trainer?.seqLen?.value, 1024);
  const e = estimateOf(check);
  assert.ok(
    e.assumptions.some((a) => a.startsWith("Not read from 'run.sh' line 1: --per_device_train_batch_size 'four'")),
    JSON.stringify(e.assumptions),
  );
  assert.ok(e.assumptions.some((a) => a.startsWith('Micro-batch: assumed 1 per GPU')));
  assert.ok(e.assumptions.every((a) => a.length < 400));
  // Junk of every shape reads without a throw.
  for (const junk of ['--per_device_train_batch_size', '--per_device_train_batch_size=', '--bf16=', '--fp16 --bf16', '--max_length -1', '--block_size 1e9999', "--cutoff_len '  '", '--per-device-train-batch-size=0']) {
    const line = `deepspeed train.py --deepspeed ds.json ${junk}\n`;
    assert.doesNotThrow(() => launchLinkFor('ds.json', ['a.sh'], () => line));
    assert.doesNotThrow(() => checkText(line, path.join(dir, 'a.sh'), {}, reader(path.join(dir, 'a.sh'))));
  }
  const both = checkText('deepspeed train.py --deepspeed ds.json --bf16 --fp16\n', script, {}, reader(script));
  assert.ok(
    both.problems.some((p) => p.code === 'foreign-flag-value' && p.message.includes('At most one of fp16 and bf16')),
    JSON.stringify(both.problems),
  );
});

test('which words are Trainer arguments: after the training script only, = or separate, _ or -, the last of a flag written twice; the sequence length by its names', () => {
  const link = (line: string) => launchLinkFor('ds.json', ['a.sh'], () => `${line}\n`)?.trainer;
  assert.deepEqual(link('deepspeed --num_gpus 2 train.py --deepspeed ds.json --per-device-train-batch-size=3 --gradient_accumulation_steps "6" --gradient_accumulation_steps 7'), {
    from: "'a.sh' line 1",
    micro: { value: 3, flag: '--per-device-train-batch-size' },
    accumulation: { value: 7, flag: '--gradient_accumulation_steps' },
    precision: { value: 'fp32', flag: '--bf16 or --fp16', absent: true },
  });
  // accelerate's own --gradient_accumulation_steps (before the script) is not the Trainer's.
  assert.deepEqual(link('accelerate launch --config_file ds.json --gradient_accumulation_steps 4 train.py --bf16'), { from: "'a.sh' line 1", precision: { value: 'bf16', flag: '--bf16' } });
  const accel = launchLinkFor('accel.yaml', ['a.sh'], () => 'accelerate launch --config_file accel.yaml --gradient_accumulation_steps 4 train.py --bf16 false\n')?.trainer;
  assert.deepEqual(accel, { from: "'a.sh' line 1", precision: { value: 'fp32', flag: '--bf16' } });
  for (const [flags, want] of [
    ['--block_size 1024 --max_length 8192', 8192],
    ['--cutoff_len 512 --model_max_length 2048', 2048],
    ['--max_seq_length 3000 --block_size 100', 3000],
    ['--max_source_length 999', undefined],
  ] as const) {
    assert.equal(link(`torchrun --nproc_per_node 4 sft.py --deepspeed ds.json ${flags}`)?.seqLen?.value, want, flags);
  }
  // A line without any: nothing (and the old assumptions stand: micro-batch 1, 2048 tokens).
  assert.equal(link('deepspeed --num_gpus 2 train.py --deepspeed ds.json --output_dir out'), undefined);
});

const ACCEL = 'compute_environment: LOCAL_MACHINE\ndistributed_type: MULTI_GPU\nmixed_precision: fp16\nnum_machines: 1\nnum_processes: 8\n';

test("accelerate: the line's micro-batch and sequence length reach the estimate; --bf16 wins over mixed_precision (TrainingArguments sets it)", () => {
  const run = 'accelerate launch --config_file accel.yaml train.py --model_name_or_path meta-llama/Llama-3.1-8B --per_device_train_batch_size 2 --model_max_length 8192 --bf16\n';
  const { check } = linked('accel.yaml', ACCEL, { 'train.sh': run });
  const e = estimateOf(check);
  assert.ok(
    e.assumptions.some((a) => a.includes("Micro-batch 2 from 'train.sh' line 1 (--per_device_train_batch_size)")),
    JSON.stringify(e.assumptions),
  );
  assert.ok(e.assumptions.some((a) => a.includes("Sequence length 8192 from 'train.sh' line 1 (--model_max_length)")));
  assert.ok(
    e.assumptions.some((a) => a.includes("Precision: bf16-mixed, from 'train.sh' line 1 (--bf16), over this file's fp16-mixed")),
    JSON.stringify(e.assumptions),
  );
});

test('accelerate FSDP with fsdp_activation_checkpointing and --gradient_checkpointing on the line: the Trainer refuses both', () => {
  const fsdp = 'distributed_type: FSDP\nmixed_precision: bf16\nnum_machines: 1\nnum_processes: 8\nfsdp_config:\n  fsdp_sharding_strategy: FULL_SHARD\n  fsdp_activation_checkpointing: true\n';
  const { check } = linked('fsdp.yaml', fsdp, { 'run.sh': 'accelerate launch --config_file fsdp.yaml train.py --model_name_or_path meta-llama/Llama-3.1-8B --gradient_checkpointing\n' });
  const p = check.problems.find((x) => x.code === 'launch-trainer-conflict');
  assert.ok(p && p.severity === 'error' && at(fsdp, p) === 'true', JSON.stringify(check.problems));
  assert.match(p.message, /'run\.sh' line 1/);
});

test('accelerate launch --num_processes 12 --num_machines 8: accelerate runs 12 // 8 = 1 per machine; a warning at the value, and the estimate is of the 8 that run', () => {
  const run = 'accelerate launch --config_file accel.yaml --num_processes 12 --num_machines 8 train.py --model_name_or_path meta-llama/Llama-3.1-8B\n';
  const { check, dir, defaults } = linked('accel.yaml', ACCEL, { 'run.sh': run });
  assert.equal(defaults.gpusPerNode, 1);
  assert.equal(defaults.nodes, 8);
  const e = estimateOf(check);
  assert.equal(e.layout?.gpus, 8);
  assert.ok(
    e.assumptions.some((a) => a.includes('--num_processes 12 over 8 machines: 1 each, as accelerate rounds down')),
    JSON.stringify(e.assumptions),
  );
  const script = path.join(dir, 'run.sh');
  const s = checkText(run, script, {}, reader(script));
  const w = s.problems.find((p) => p.code === 'accelerate-world');
  assert.ok(w && w.severity === 'warning' && at(run, w) === '12', JSON.stringify(s.problems));
  assert.match(w.message, /12 \/\/ 8 = 1, so 8 processes run, not 12/);
  const none = 'accelerate launch --config_file accel.yaml --num_processes=4 --num_machines 8 train.py\n';
  const z = checkText(none, script, {}, reader(script)).problems.find((p) => p.code === 'accelerate-world');
  assert.ok(z && z.severity === 'error' && at(none, z) === '4', JSON.stringify(z));
  // Evenly divided: nothing to say.
  assert.equal(
    checkText(run.replace('12', '16'), script, {}, reader(script)).problems.find((p) => p.code === 'accelerate-world'),
    undefined,
  );
});

test("a Trainer line without --per_device_train_batch_size runs with the Trainer's default micro-batch, 8, in the estimate and in the train_batch_size the Trainer computes", () => {
  const run = 'deepspeed --num_gpus 8 train.py --deepspeed ds.json --model_name_or_path meta-llama/Llama-3.1-8B --gradient_accumulation_steps 2 --max_length 2048 --bf16\n';
  const { check, file, read, defaults } = linked('ds.json', DS_AUTO, { 'run.sh': run });
  const spec = deepspeedReader.read(DS_AUTO, { fileName: file, defaults, readFile: read })[0].job.spec as Record<string, Record<string, unknown>>;
  assert.deepEqual(spec.batch, { micro: 8, gradientAccumulation: 2, sequenceLength: 2048 });
  const e = estimateOf(check);
  assert.ok(
    e.assumptions.some((a) => a.startsWith("Micro-batch: 8 per GPU, the Hugging Face Trainer's default per_device_train_batch_size (a DeepSpeed config leaves it to the training script, and 'run.sh' line 1 writes no --per_device_train_batch_size")),
    JSON.stringify(e.assumptions),
  );
  // train_batch_size 32 = 8 GPUs × 2 × 2 would hold for micro 2; the Trainer computes 8 × 8 × 2 = 128.
  const fixed = DS_AUTO.replace('"train_batch_size": "auto"', '"train_batch_size": 32');
  const m = linked('ds.json', fixed, { 'run.sh': run }).check.problems.find((p) => p.code === 'deepspeed-mismatch');
  assert.ok(m, "expected the Trainer's train_batch_size mismatch");
  assert.match(m.message, /^train_batch_size is 32 here, but the Hugging Face Trainer computes 128 /);
  assert.equal(
    linked('ds.json', DS_AUTO.replace('"train_batch_size": "auto"', '"train_batch_size": 128'), { 'run.sh': run }).check.problems.find((p) => p.code === 'deepspeed-mismatch'),
    undefined,
  );
  // A value Gantry cannot read is not the default: the micro-batch stays an assumption of 1.
  const unread = linked('ds.json', DS_AUTO, { 'run.sh': run.replace('--bf16', '--bf16 --per_device_train_batch_size $MB') }).check;
  assert.ok(
    estimateOf(unread).assumptions.some((a) => a.startsWith('Micro-batch: assumed 1 per GPU')),
    JSON.stringify(estimateOf(unread).assumptions),
  );
});

test('on a Trainer line that runs out of memory, the fixes add the Trainer argument the line lacks (--gradient_checkpointing, --gradient_accumulation_steps) after its last word; never one the config itself writes', () => {
  const run = '#!/bin/bash\ndeepspeed --num_gpus 8 train.py --deepspeed ds.json --model_name_or_path meta-llama/Llama-3.1-8B \\\n  --per_device_train_batch_size 16 --max_length 8192 --bf16 2>&1 | tee log.txt\n';
  const { check, dir } = linked('ds.json', DS_AUTO, { 'run.sh': run });
  void check;
  const script = path.join(dir, 'run.sh');
  const s = checkText(run, script, {}, reader(script));
  const oom = s.problems.find((p) => p.code === 'memory-exceeds-capacity');
  assert.ok(oom, JSON.stringify(s.problems));
  const titles = (oom.fixes ?? []).map((f) => f.title);
  const ckpt = oom.fixes?.find((f) => f.title.startsWith('Enable full activation checkpointing'));
  assert.ok(ckpt, JSON.stringify(titles));
  const fixed = applyEdits(run, ckpt.edits);
  // Added after the command's last word, before the redirection and the pipe.
  assert.ok(fixed.includes('--max_length 8192 --bf16 --gradient_checkpointing 2>&1 | tee log.txt'), fixed);
  const after = estimateOf(checkText(fixed, script, {}, reader(script)));
  assert.ok(
    after.assumptions.some((a) => a.includes("Activation checkpointing: full, from 'run.sh' line 2 (--gradient_checkpointing")),
    JSON.stringify(after.assumptions),
  );
  // Lowering the micro-batch keeps the global batch: the accumulation the line does not write is added.
  const lower = oom.fixes?.find((f) => f.title.startsWith('Lower the micro-batch to 1'));
  assert.ok(lower, JSON.stringify(titles));
  const lowered = applyEdits(run, lower.edits);
  assert.ok(lowered.includes('--per_device_train_batch_size 1 --max_length 8192 --bf16 --gradient_accumulation_steps 16 2>&1'), lowered);
  // The config writes its own accumulation: a line that adds another would be the Trainer's mismatch, so that fix is not offered.
  const own = DS_AUTO.replace('"gradient_accumulation_steps": "auto"', '"gradient_accumulation_steps": 1');
  const dir2 = linked('ds.json', own, { 'run.sh': run }).dir;
  const script2 = path.join(dir2, 'run.sh');
  const oom2 = checkText(run, script2, {}, reader(script2)).problems.find((p) => p.code === 'memory-exceeds-capacity');
  assert.ok(oom2);
  assert.ok(!(oom2.fixes ?? []).some((f) => f.edits.some((e) => e.newText.includes('--gradient_accumulation_steps'))), JSON.stringify(oom2.fixes));
  assert.ok((oom2.fixes ?? []).some((f) => f.title.startsWith('Enable full activation checkpointing')));
});

test("a Trainer line that writes no batch flags: the config's numbers are compared with the Trainer's defaults (a warning: a script may set them in code), and the config gets no batch fix of its own", () => {
  const run = 'deepspeed --num_gpus 8 train.py --deepspeed ds.json --model_name_or_path meta-llama/Llama-3.1-8B --max_length 4096 --bf16\n';
  const own = DS_AUTO.replace('"train_micro_batch_size_per_gpu": "auto"', '"train_micro_batch_size_per_gpu": 4').replace('"gradient_accumulation_steps": "auto"', '"gradient_accumulation_steps": 4');
  const m = linked('ds.json', own, { 'run.sh': run }).check.problems.filter((p) => p.code === 'deepspeed-mismatch');
  assert.equal(m.length, 2, JSON.stringify(m));
  assert.ok(m.every((p) => p.severity === 'warning'));
  assert.match(m[0].message, /^train_micro_batch_size_per_gpu is 4 here but 'run\.sh' line 1 writes no --per_device_train_batch_size, so the Trainer compares it with its default, 8: the Hugging Face Trainer refuses to start .*, unless the script sets it in code\./);
  assert.match(m[1].message, /^gradient_accumulation_steps is 4 here but 'run\.sh' line 1 writes no --gradient_accumulation_steps, so the Trainer compares it with its default, 1/);
  // train_batch_size against 8 GPUs × 8 × 1.
  const tbs = DS_AUTO.replace('"train_batch_size": "auto"', '"train_batch_size": 16');
  const t = linked('ds.json', tbs, { 'run.sh': run }).check.problems.find((p) => p.code === 'deepspeed-mismatch');
  assert.ok(t && t.severity === 'warning', JSON.stringify(t));
  assert.match(t.message, /computes 64 \(8 GPUs × train_micro_batch_size_per_gpu × gradient_accumulation_steps, with 8 \(the Trainer's default: no --per_device_train_batch_size\) and 1 \(the Trainer's default: no --gradient_accumulation_steps\) on 'run\.sh' line 1\)/);
  // Out of memory at the default micro-batch 8: the fixes are on the line, none writes the batch keys into the JSON.
  const big = 'deepspeed --num_gpus 8 train.py --deepspeed ds.json --model_name_or_path meta-llama/Llama-3.1-8B --max_length 16384 --bf16\n';
  const oom = linked('ds.json', DS_AUTO, { 'run.sh': big }).check.problems.find((p) => p.code === 'memory-exceeds-capacity');
  assert.ok(oom);
  assert.ok(!(oom.fixes ?? []).some((f) => f.edits.some((e) => e.newText.includes('micro') || e.newText.includes('accumulation'))), JSON.stringify(oom.fixes));
});

test('a JSON value a fix sets where the key is there already (an "auto") replaces it, never a second key', () => {
  const edit = jsonInsert(parseJson(DS_AUTO), ['gradient_accumulation_steps'], 16)!;
  const out = applyEdits(DS_AUTO, [edit]);
  assert.ok(out.includes('"gradient_accumulation_steps": 16,'), out);
  assert.equal(out.split('gradient_accumulation_steps').length, 2);
  // A new key is still added inside its object.
  assert.ok(applyEdits(DS_AUTO, [jsonInsert(parseJson(DS_AUTO), ['zero_optimization', 'offload_param'], 'cpu')!]).includes('"offload_param": "cpu"'));
});

test('argparse keeps the last of a flag written twice: an unreadable last value drops the earlier one (the micro-batch is then unknown)', () => {
  const run = 'deepspeed --num_gpus 8 train.py --deepspeed ds.json --model_name_or_path meta-llama/Llama-3.1-8B --per_device_train_batch_size 4 --bf16 --per_device_train_batch_size $MB\n';
  const { defaults, check } = linked('ds.json', DS_AUTO, { 'run.sh': run });
  assert.equal(defaults.trainer?.micro, undefined);
  assert.ok(estimateOf(check).assumptions.some((a) => a.startsWith('Micro-batch: assumed 1 per GPU')));
});

test("an accelerate FSDP config out of memory: the script gets no --gradient_checkpointing (the config's fsdp_activation_checkpointing is the way, and the Trainer refuses both)", () => {
  const fsdp = 'distributed_type: FSDP\nmixed_precision: bf16\nnum_machines: 1\nnum_processes: 8\nfsdp_config:\n  fsdp_sharding_strategy: FULL_SHARD\n';
  const run = 'accelerate launch --config_file accel.yaml train.py --model_name_or_path meta-llama/Llama-3.1-8B --per_device_train_batch_size 8 --max_length 8192 --bf16\n';
  const { dir, check } = linked('accel.yaml', fsdp, { 'train.sh': run });
  const own = check.problems.find((p) => p.code === 'memory-exceeds-capacity');
  assert.ok(
    own?.fixes?.some((f) => f.edits.some((e) => e.newText.includes('fsdp_activation_checkpointing'))),
    JSON.stringify(own?.fixes),
  );
  const script = path.join(dir, 'train.sh');
  const oom = checkText(run, script, {}, reader(script)).problems.find((p) => p.code === 'memory-exceeds-capacity');
  assert.ok(oom, 'out of memory on the script too');
  assert.ok(!(oom.fixes ?? []).some((f) => f.edits.some((e) => e.newText.includes('--gradient_checkpointing'))), JSON.stringify(oom.fixes));
});

test('a config with no launch line keeps the stated defaults (micro-batch 1, 2048 tokens)', () => {
  const defaults: ForeignDefaults = { model: 'meta-llama/Llama-3.1-8B', gpusPerNode: 8 };
  const e = estimateOf(checkText(DS_AUTO, '/w/ds.json', defaults));
  assert.ok(
    e.assumptions.some((a) => a.startsWith('Micro-batch: assumed 1 per GPU (a DeepSpeed config does not say; the training script does)')),
    JSON.stringify(e.assumptions),
  );
  assert.ok(e.assumptions.some((a) => a.startsWith('Sequence length: assumed 2048 tokens')));
});

test('precision on a line of Trainer arguments: no --bf16 or --fp16 fills an "auto" bf16.enabled with the Trainer\'s default, fp32; a config that enables one the line does not is the Trainer\'s mismatch', () => {
  const noFlag = RUN.replace(' --bf16', '');
  const auto = linked('ds.json', DS_AUTO, { 'run.sh': noFlag });
  assert.equal((auto.check.foreign![0].job.spec as { precision?: string }).precision, 'fp32');
  assert.ok(estimateOf(auto.check).assumptions.some((a) => a.startsWith("Precision: fp32, from 'run.sh' line 3 (no --bf16 or --fp16: the Trainer's default)")));
  // bf16.enabled true with no --bf16 on the line, or with --fp16: HF fills bf16.enabled from args.bf16 (False) and refuses the mismatch.
  for (const line of [noFlag, RUN.replace('--bf16', '--fp16')]) {
    const on = DS_AUTO.replace('"enabled": "auto"', '"enabled": true');
    const c = linked('ds.json', on, { 'run.sh': line }).check;
    const p = c.problems.find((x) => x.code === 'deepspeed-mismatch');
    assert.ok(p, JSON.stringify(c.problems));
    assert.equal(at(on, p), 'true');
    assert.match(p.message, /^bf16\.enabled is true here but 'run\.sh' line 3 (writes no --bf16|has --fp16)/);
    // No flag: the Trainer's default is compared, unless the script sets it in code (a warning); --fp16 on the line: an error.
    assert.equal(p.severity, line === noFlag ? 'warning' : 'error');
    assert.equal(p.fixes?.[0].title, 'Set bf16.enabled to "auto"');
  }
  // --bf16 on the line and true in the config agree.
  assert.equal(
    linked('ds.json', DS_AUTO.replace('"enabled": "auto"', '"enabled": true'), { 'run.sh': RUN }).check.problems.find((x) => x.code === 'deepspeed-mismatch'),
    undefined,
  );
});

test('a value past what Gantry reads is "far too large", not "not a whole number"; a model-backed "auto" config gets no "open the program\'s config" info', () => {
  const { check, dir } = linked('ds.json', DS_AUTO, { 'run.sh': RUN.replace('--max_seq_length 4096', '--max_seq_length 99999999999') });
  const script = path.join(dir, 'run.sh');
  const text = fs.readFileSync(script, 'utf8');
  const p = checkText(text, script, {}, reader(script)).problems.find((x) => x.code === 'foreign-flag-value');
  assert.match(p?.message ?? '', /^--max_seq_length '99999999999' is far too large/);
  assert.equal(
    check.problems.find((x) => x.code === 'deepspeed-auto'),
    undefined,
  );
});
