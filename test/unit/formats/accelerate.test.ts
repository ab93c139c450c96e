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
