// accelerate config YAML: the world size, precision, FSDP or DeepSpeed; no model of its own, so the
// checks of its own numbers alone, the full estimate with a model from the context.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { accelerateReader } from '../../../core/formats/accelerate';
import { claimingReaders } from '../../../core/formats/index';
import { applyEdits, at, checkFixture, checkText, estimateOf, fixture } from './helpers';

const MODEL = { model: 'meta-llama/Llama-3.1-8B' };

test('claims accelerate configs by content; an axolotl config goes to axolotl, a Kubernetes manifest to neither', () => {
  assert.ok(accelerateReader.claims('default_config.yaml', fixture('accelerate/fsdp.yaml').text));
  assert.ok(!accelerateReader.claims('default_config.yaml', fixture('../training/axolotl/lora-8b.yml').text));
  assert.deepEqual(claimingReaders('deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replicas: 1\n'), []);
});

test('FSDP on 8 processes alone: no problems, no estimate; with a model: FSDP full over 8 GPUs in bf16', () => {
  const c = checkFixture('accelerate/fsdp.yaml');
  assert.deepEqual(c.problems, []);
  assert.equal(c.estimates.length, 0);
  const m = checkFixture('accelerate/fsdp.yaml', MODEL);
  const e = estimateOf(m);
  assert.equal(e.layout?.gpus, 8);
  const spec = m.foreign![0].job.spec as any;
  assert.equal(spec.parallelism.fsdp, 'full');
  assert.equal(spec.precision, 'bf16-mixed');
});

test('DeepSpeed inline on 2 machines × 8, and through a deepspeed_config_file with offload', () => {
  const e = estimateOf(checkFixture('accelerate/deepspeed.yaml', MODEL));
  assert.equal(e.layout?.nodes, 2);
  assert.equal(e.layout?.gpusPerNode, 8);
  assert.equal(e.layout?.microBatches, 4);
  const f = checkFixture('accelerate/deepspeed_file.yaml', MODEL);
  const spec = f.foreign![0].job.spec as any;
  assert.equal(spec.parallelism.zero, 3);
  assert.ok(estimateOf(f).assumptions.some((a) => a.includes('offload_param to cpu') && a.includes('estimated as CPU offload of the parameters')));
  assert.equal(spec.parallelism.offload, 'params');
});

test('num_processes that does not divide over num_machines: what accelerate runs (num_processes // num_machines each), said on num_processes', () => {
  const c = checkFixture('accelerate/bad_world.yaml');
  const p = c.problems.find((x) => x.code === 'accelerate-world');
  assert.ok(p);
  assert.equal(at(c.text, p), '7');
  // 7 over 2 machines: 3 each, as accelerate's launcher computes it; the estimate is of those 6.
  assert.equal(p.severity, 'warning');
  assert.match(p.message, /7 \/\/ 2 = 3, so 6 processes run, not 7/);
  const spec = c.foreign?.[0]?.job.spec as { resources?: { nodes?: number; gpusPerNode?: number } };
  assert.deepEqual([spec.resources?.nodes, spec.resources?.gpusPerNode], [2, 3]);
  // The label and the world-size line count the processes that run.
  assert.match(c.foreign?.[0]?.label ?? '', /on 6 processes$/);
  assert.ok(c.foreign?.[0]?.assumptions.some((a) => a === 'World size: 2 machines × 3 processes, from num_machines and num_processes (7 // 2 each).'));
  // Fewer processes than machines: none runs; an error.
  const none = checkText(c.text.replace('num_processes: 7', 'num_processes: 1'), c.fileName);
  assert.equal(none.problems.find((x) => x.code === 'accelerate-world')?.severity, 'error');
});

test('ZeRO stage inserted into deepspeed_config in YAML; unreadable YAML is one error', () => {
  const text = 'distributed_type: DEEPSPEED\ndeepspeed_config:\n  offload_optimizer_device: none\n  zero3_init_flag: false\nnum_machines: 1\nnum_processes: 8\n';
  const spec = accelerateReader.read(text, { fileName: 'a.yaml' })[0];
  const out = applyEdits(text, [spec.insert!(['spec', 'parallelism', 'zero'], 2)!]);
  assert.ok(out.includes('  zero3_init_flag: false\n  zero_stage: 2\nnum_machines'), out);
  const bad = checkText('distributed_type: FSDP\nnum_processes: 8\nfsdp_config: [\n', '/w/a.yaml');
  assert.equal(bad.problems[0]?.code, 'yaml-syntax');
});

test('a key written twice: accelerate (PyYAML safe_load) keeps the last value, so Gantry warns at the second and reads it', () => {
  const text = 'compute_environment: LOCAL_MACHINE\ndistributed_type: MULTI_GPU\nnum_processes: 8\nmixed_precision: bf16\nnum_processes: 4\n';
  const c = checkText(text, '/w/accelerate_config.yaml');
  const dup = c.problems.find((p) => p.code === 'yaml-duplicate-key');
  assert.equal(dup?.severity, 'warning');
  assert.equal(dup!.offset, text.lastIndexOf('num_processes'));
  assert.ok(!c.problems.some((p) => p.code === 'yaml-syntax'));
  assert.equal(c.foreign?.[0].label, 'accelerate MULTI_GPU on 4 processes');
});

test('mixed_precision is read in any case (accelerate lower-cases it); none written is accelerate\'s "no" (fp32), said; a Trainer --bf16 still wins', () => {
  const base = 'compute_environment: LOCAL_MACHINE\ndistributed_type: FSDP\nnum_machines: 1\nnum_processes: 8\n';
  const upper = checkText(`${base}mixed_precision: BF16\n`, '/w/accelerate.yaml', MODEL);
  assert.ok(!upper.problems.some((p) => p.code === 'accelerate-value'));
  assert.equal((upper.foreign![0].job.spec as any).precision, 'bf16-mixed');
  for (const text of [base, `${base}mixed_precision:\n`]) {
    const none = checkText(text, '/w/accelerate.yaml', MODEL);
    assert.ok(!none.problems.some((p) => p.code === 'accelerate-value'), text);
    assert.equal((none.foreign![0].job.spec as any).precision, 'fp32', text);
    assert.ok(
      none.foreign![0].assumptions.some((a) => a.startsWith("mixed_precision: not set — accelerate's default is no (fp32)")),
      text,
    );
  }
  // An older config's fp16: true without mixed_precision (accelerate's config_args.py reads it as fp16).
  assert.equal((checkText(`${base}fp16: true\n`, '/w/accelerate.yaml', MODEL).foreign![0].job.spec as any).precision, 'fp16-mixed');
  const launched = checkText(base, '/w/accelerate.yaml', { ...MODEL, trainer: { from: "'run.sh' line 3", precision: { value: 'bf16', flag: '--bf16' } } } as any);
  assert.equal((launched.foreign![0].job.spec as any).precision, 'bf16-mixed');
});

test('a config with distributed_type and an fsdp_config or deepspeed_config block alone is claimed (a launcher that passes --num_processes itself)', () => {
  const slurm = 'distributed_type: FSDP\nfsdp_config:\n  fsdp_sharding_strategy: FULL_SHARD\n  fsdp_offload_params: false\n';
  assert.ok(accelerateReader.claims('fsdp_config.yaml', slurm));
  assert.ok(accelerateReader.claims('ds.yaml', 'distributed_type: DEEPSPEED\ndeepspeed_config:\n  zero_stage: 2\n'));
  assert.ok(!accelerateReader.claims('other.yaml', 'distributed_type: FSDP\nname: x\n'));
  const c = checkText(slurm, '/w/fsdp_config.yaml', { ...MODEL, gpusPerNode: 4 });
  assert.equal((c.foreign![0].job.spec as any).parallelism.fsdp, 'full');
});

test('parallelism_config: tensor and context sizes reach the layout; dp_replicate_size under FSDP is hybrid, said; num_processes as PyYAML reads it', () => {
  const text =
    'compute_environment: LOCAL_MACHINE\ndistributed_type: FSDP\nfsdp_config:\n  fsdp_version: 2\n  fsdp_reshard_after_forward: true\nmixed_precision: bf16\nnum_machines: 1\nnum_processes: 0_10\nparallelism_config:\n  parallelism_config_cp_size: 1\n  parallelism_config_dp_replicate_size: 2\n  parallelism_config_dp_shard_size: 2\n  parallelism_config_tp_size: 2\n';
  // `0_10` is YAML 1.1's octal 8 (PyYAML), a string in YAML 1.2.
  const c = checkText(text, '/w/tp_hsdp.yaml', MODEL);
  assert.ok(!c.problems.some((p) => p.code === 'accelerate-value'), JSON.stringify(c.problems));
  const spec = c.foreign![0].job.spec as any;
  assert.deepEqual([spec.parallelism.tensor, spec.parallelism.context, spec.parallelism.fsdp, spec.resources.gpusPerNode], [2, undefined, 'hybrid', 8]);
  assert.ok(c.foreign![0].assumptions.some((a) => a.startsWith('parallelism_config_dp_replicate_size 2: estimated as hybrid FSDP')));
  const cp = checkText(text.replace('parallelism_config_cp_size: 1', 'parallelism_config_cp_size: 2').replace('parallelism_config_tp_size: 2', 'parallelism_config_tp_size: 1'), '/w/cp.yaml', MODEL);
  assert.equal((cp.foreign![0].job.spec as any).parallelism.context, 2);
  assert.equal(estimateOf(cp).layout?.context, 2);
});
