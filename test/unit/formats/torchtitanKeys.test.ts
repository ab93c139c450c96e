// torchtitan keys of earlier and later releases than the fixtures': [experimental] degrees (2024-05..2025-03),
// the [activation_checkpoint] defaults, mode "memory_budget" (#1731), the float8 switches before the
// converters, and [compile] components without "model". Minimal TOML in the shapes of torchtitan's own configs.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { at, checkText, estimateOf, figures } from './helpers';

const H100 = { gpu: 'H100-SXM-80GB', gpusPerNode: 8 };
const spec = (c: ReturnType<typeof checkText>) => c.foreign![0].job.spec as Record<string, any>;
const MODEL_8B = '[model]\nname = "llama3"\nflavor = "8B"\n';

test('[experimental] pipeline_parallel_degree and context_parallel_degree (2024-05..2025-03) are the pipeline and context degrees; microbatches default to one per stage', () => {
  // The shape of torchtitan's llama3_70b_4D_exp.toml on 8 × 8 GPUs.
  const text = '[model]\nname = "llama3"\nflavor = "70B"\n[training]\nbatch_size = 16\nseq_len = 16384\ndata_parallel_shard_degree = -1\ntensor_parallel_degree = 8\n[experimental]\ncontext_parallel_degree = 2\npipeline_parallel_degree = 2\n[activation_checkpoint]\nmode = "full"\n';
  const c = checkText(text, '/w/llama3_70b_4D.toml', { ...H100, nodes: 8 });
  const e = estimateOf(c);
  assert.equal(e.layout?.pipeline, 2);
  assert.equal(e.layout?.context, 2);
  assert.equal(e.layout?.tensor, 8);
  assert.equal(e.layout?.data, 2, 'dp_shard = 64 / (8 × 2 × 2)');
  // pipeline_parallel_microbatches unset: as many microbatches as stages, 16 / 2 = 8 sequences each.
  assert.equal(spec(c).batch.micro, 8);
  assert.equal(spec(c).batch.gradientAccumulation, 2);
  assert.ok(
    e.assumptions.some((a) => a.startsWith('Pipeline microbatches: 2 (torchtitan')),
    e.assumptions.join('\n'),
  );
  assert.ok(!c.problems.some((p) => p.code === 'torchtitan-mesh'));
  // The micro-batch is written back as the local batch (microbatches × size).
  const micro = c.foreign![0].sources.get('spec.batch.micro')!;
  assert.equal(micro.write!(4)?.newText, '8');
  // An explicit count of microbatches.
  const four = checkText(text.replace('pipeline_parallel_degree = 2\n', 'pipeline_parallel_degree = 2\npipeline_parallel_microbatches = 4\n'), '/w/x.toml', { ...H100, nodes: 8 });
  assert.equal(spec(four).batch.micro, 4);
  assert.equal(spec(four).batch.gradientAccumulation, 4);
  // Both layouts written: the newer [parallelism] wins.
  const both = '[model]\nname = "llama3"\nflavor = "8B"\n[parallelism]\npipeline_parallel_degree = 4\ncontext_parallel_degree = 1\n[experimental]\npipeline_parallel_degree = 2\ncontext_parallel_degree = 2\n';
  const eb = estimateOf(checkText(both, '/w/both.toml', H100));
  assert.equal(eb.layout?.pipeline, 4);
  assert.equal(eb.layout?.context, 1);
});

test('no selective_ac_option (or no [activation_checkpoint] at all): torchtitan\'s default "2", every 2nd layer fully checkpointed, said', () => {
  const body = `${MODEL_8B}[training]\nlocal_batch_size = 1\nseq_len = 8192\n`;
  const explicit = checkText(`${body}[activation_checkpoint]\nmode = "selective"\nselective_ac_option = "2"\n`, '/w/x.toml', H100);
  for (const text of [`${body}[activation_checkpoint]\nmode = "selective"\n`, body]) {
    const c = checkText(text, '/w/x.toml', H100);
    assert.equal(spec(c).activationCheckpointing, 'full');
    assert.equal(spec(c).checkpointedLayers, 16);
    assert.ok(estimateOf(c).assumptions.some((a) => a.startsWith('[activation_checkpoint] selective_ac_option: "2" (torchtitan\'s default')));
    assert.equal(figures(c).gib, figures(explicit).gib);
  }
  assert.ok(estimateOf(checkText(body, '/w/x.toml', H100)).assumptions.some((a) => a.startsWith('[activation_checkpoint] mode: "selective" (torchtitan\'s default)')));
  // "op" stays op-level selective checkpointing.
  const op = checkText(`${body}[activation_checkpoint]\nmode = "selective"\nselective_ac_option = "op"\n`, '/w/x.toml', H100);
  assert.equal(spec(op).activationCheckpointing, 'selective');
  assert.equal(spec(op).checkpointedLayers, undefined);
});

test('mode = "memory_budget" (torchtitan #1731): estimated as full checkpointing of (1 − budget) of the layers, said; an error only where the model is not compiled', () => {
  const base = `${MODEL_8B}[training]\nlocal_batch_size = 1\nseq_len = 8192\n[compile]\nenable = true\n[activation_checkpoint]\nmode = "memory_budget"\n`;
  const c = checkText(base, '/w/x.toml', H100);
  assert.deepEqual(
    c.problems.filter((p) => p.severity === 'error'),
    [],
  );
  assert.equal(spec(c).activationCheckpointing, 'full');
  assert.equal(spec(c).checkpointedLayers, 16, 'the default budget 0.5');
  assert.ok(estimateOf(c).assumptions.some((a) => a.startsWith('[activation_checkpoint] mode "memory_budget" with memory_budget 0.5 (torchtitan\'s default)')));
  const quarter = checkText(`${base}memory_budget = 0.25\n`, '/w/x.toml', H100);
  assert.equal(spec(quarter).checkpointedLayers, 24);
  assert.ok(figures(quarter).gib < figures(c).gib);
  assert.equal(spec(checkText(`${base}memory_budget = 1.0\n`, '/w/x.toml', H100)).activationCheckpointing, 'none');
  // torchtitan asserts "Memory budget mode requires model to be compiled": the error is at the mode.
  const eager = base.replace('enable = true', 'enable = false');
  const e = checkText(eager, '/w/x.toml', H100).problems.find((p) => p.code === 'torchtitan-value')!;
  assert.equal(e.severity, 'error');
  assert.equal(at(eager, e), 'memory_budget');
  assert.match(e.message, /requires model to be compiled/);
  const loss = checkText(base.replace('enable = true\n', 'enable = true\ncomponents = ["loss"]\n'), '/w/x.toml', H100);
  assert.ok(
    loss.problems.some((p) => p.code === 'torchtitan-value' && p.severity === 'error'),
    'only the loss compiled',
  );
});

test('float8 before the converters: [float8] enable_float8_linear (2024-07..2025-02) and [training] enable_fp8_linear (2024-04..07), with their fp8 all-gather keys', () => {
  const body = `${MODEL_8B}[training]\nlocal_batch_size = 1\nseq_len = 8192\n`;
  const f8 = checkText(`${body}[float8]\nenable_float8_linear = true\nenable_fsdp_float8_all_gather = true\n`, '/w/x.toml', H100);
  assert.equal(spec(f8).precision, 'fp8-mixed');
  assert.equal(spec(f8).float8.allGather, true);
  assert.ok(estimateOf(f8).assumptions.some((a) => a.startsWith('Float8 linears (torchao, [float8] enable_float8_linear)')));
  // The same estimate as the newer converters key.
  assert.equal(figures(f8).stepSeconds, figures(checkText(`${body.replace('flavor = "8B"\n', 'flavor = "8B"\nconverters = ["float8"]\n')}[float8]\nenable_fsdp_float8_all_gather = true\n`, '/w/x.toml', H100)).stepSeconds);
  assert.ok(figures(f8).tokensPerSecondPerGpu > figures(checkText(body, '/w/x.toml', H100)).tokensPerSecondPerGpu);
  const oldest = checkText(body.replace('seq_len = 8192\n', 'seq_len = 8192\nenable_fp8_linear = true\nenable_fsdp_fp8_all_gather = true\n'), '/w/x.toml', H100);
  assert.equal(spec(oldest).precision, 'fp8-mixed');
  assert.equal(spec(oldest).float8.allGather, true);
  const off = checkText(`${body}[float8]\nenable_float8_linear = false\nenable_fsdp_float8_all_gather = true\n`, '/w/x.toml', H100);
  assert.equal(spec(off).precision, 'bf16-mixed');
  assert.equal(spec(off).float8, undefined);
});

test('[compile] components = ["loss"] compiles the loss only: compile false, compileLoss true, said', () => {
  const text = `${MODEL_8B}[training]\nlocal_batch_size = 1\nseq_len = 8192\n[compile]\nenable = true\ncomponents = ["loss"]\n[activation_checkpoint]\nmode = "none"\n`;
  const c = checkText(text, '/w/x.toml', H100);
  assert.equal(spec(c).compile, false);
  assert.equal(spec(c).compileLoss, true);
  const e = estimateOf(c);
  assert.ok(e.assumptions.some((a) => a.startsWith('[compile] components has no "model": the model runs eagerly; only the loss is compiled')));
  assert.ok(!e.assumptions.some((a) => a.startsWith('torch.compile: fused pointwise ops')));
  const both = checkText(text.replace('["loss"]', '["model", "loss"]'), '/w/x.toml', H100);
  assert.equal(spec(both).compile, true);
  assert.ok(figures(both).gib < figures(c).gib, 'a compiled model saves fewer activations without checkpointing');
});

test('data_parallel_shard_degree -1 that the assumed 8 GPUs do not divide: a warning that names the assumption; an error on a world size that is given', () => {
  const text = `${MODEL_8B}[parallelism]\ndata_parallel_shard_degree = -1\ntensor_parallel_degree = 8\npipeline_parallel_degree = 4\n`;
  const assumed = checkText(text, '/w/x.toml').problems.find((p) => p.code === 'torchtitan-mesh')!;
  assert.equal(assumed.severity, 'warning');
  assert.match(assumed.message, /the assumed 1 node × 8 GPUs do not divide/);
  assert.equal(at(text, assumed), '-1');
  const given = checkText(text, '/w/x.toml', { gpusPerNode: 8, nodes: 3 }).problems.find((p) => p.code === 'torchtitan-mesh')!;
  assert.equal(given.severity, 'error');
  assert.match(given.message, /but 24 GPUs do not divide/);
  assert.equal(
    checkText(text, '/w/x.toml', { gpusPerNode: 8, nodes: 4 }).problems.find((p) => p.code === 'torchtitan-mesh'),
    undefined,
  );
});
