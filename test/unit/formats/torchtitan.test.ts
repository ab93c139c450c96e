// torchtitan TOML: fixtures in the shape of torchtitan's train_configs, checked through checkFile
// with the estimate asserted against the published measurement where there is one (torchtitan's
// H100 benchmarks of December 2024, ../shared/estimator-data TR-001/003/005: 8 × H100 96 GB HBM2e).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { claimingReaders, readForeign } from '../../../core/formats/index';
import { torchtitanReader } from '../../../core/formats/torchtitan';
import { applyEdits, at, checkFixture, checkText, estimateOf, figures, fixNamed, fixture, GIB, within } from './helpers';

const H100_96 = { gpu: 'H100-SXM-96GB', gpusPerNode: 8 };

test('claims a torchtitan config by name and content, not pyproject.toml, a random TOML or a Gantry spec', () => {
  const { text } = fixture('torchtitan/llama3_8b.toml');
  assert.ok(torchtitanReader.claims('train_configs/llama3_8b.toml', text));
  assert.ok(!torchtitanReader.claims('llama3_8b.yaml', text), 'needs the .toml name');
  assert.ok(!torchtitanReader.claims('pyproject.toml', '[project]\nname = "torchtitan"\n[tool.ruff]\nline-length = 88\n'));
  assert.ok(!torchtitanReader.claims('Cargo.toml', '[package]\nname = "x"\n[dependencies]\nserde = "1"\n'));
  assert.deepEqual(claimingReaders('config.toml', '[model]\npath = "x"\n[server]\nport = 8080\n'), []);
  const c = checkText('[tool.black]\nline-length = 100\n', '/w/pyproject.toml');
  assert.equal(c.gantry, false);
  assert.deepEqual(c.problems, []);
  // A TOML with [model] but no torchtitan keys: claimed by its text, but nothing is read from it.
  assert.deepEqual(readForeign('[model]\nflavor_text = "x"\n[job]\n', { fileName: 'a.toml' }), []);
});

test("llama3 8B on 8 × H100 96 GB: the estimate next to torchtitan's published 82.4 GiB and 5 762 tokens/s per GPU (TR-001)", () => {
  const c = checkFixture('torchtitan/llama3_8b.toml', H100_96);
  assert.deepEqual(
    c.problems.filter((p) => p.severity === 'error'),
    [],
  );
  const e = estimateOf(c);
  assert.equal(e.model?.id, 'llama-3.1-8b');
  assert.equal(e.layout?.gpus, 8);
  assert.equal(e.layout?.data, 8);
  const f = figures(c);
  // Measured: torch.cuda reserved peak 82.4 GiB; 5 762 tokens/s per GPU (eager, selective op AC).
  assert.ok(within(f.reservedGib, 82.4, 0.1), `reserved ${f.reservedGib.toFixed(1)} GiB vs 82.4 measured`);
  assert.ok(within(f.tokensPerSecondPerGpu, 5762, 0.4), `${f.tokensPerSecondPerGpu.toFixed(0)} tokens/s vs 5 762 measured`);
  assert.ok(within(f.stepSeconds, (2 * 8192) / 5762, 0.4), `step ${f.stepSeconds.toFixed(2)} s`);
  // Every assumption the file implies is stated.
  const said = e.assumptions.join('\n');
  for (const s of ['llama-3.1-8b', '1 node × 8 GPUs', 'FSDP2 over 8 ranks', 'fp32 gradient reduction', 'H100-SXM-96GB']) assert.ok(said.includes(s), s);
});

test('float8 and torch.compile (TR-003: 76.8 GiB) and context parallel 2 at 65 536 tokens (TR-005: 84.2 GiB)', () => {
  const base = figures(checkFixture('torchtitan/llama3_8b.toml', H100_96));
  const f8 = checkFixture('torchtitan/llama3_8b_float8.toml', H100_96);
  const e8 = estimateOf(f8);
  assert.ok(e8.assumptions.some((a) => a.startsWith('Float8 linears')));
  // [compile] enable and enable_fsdp_float8_all_gather reach the estimator's own regimes (issue 12).
  assert.ok(e8.assumptions.some((a) => a.startsWith('torch.compile: fused pointwise ops')));
  const spec8 = f8.foreign![0].job.spec as Record<string, any>;
  assert.equal(spec8.compile, true);
  // components = ["model"]: the blocks are compiled, the loss is not (as in the measured run).
  assert.equal(spec8.compileLoss, false);
  assert.equal(spec8.float8.allGather, true);
  // No [optimizer] implementation: torchtitan's default, fused, said.
  assert.equal(spec8.optimizer.implementation, 'fused');
  assert.ok(e8.assumptions.some((a) => a.startsWith('[optimizer] implementation: "fused"')));
  assert.ok(within(figures(f8).reservedGib, 76.8, 0.1), `float8 reserved ${figures(f8).reservedGib.toFixed(1)} GiB vs 76.8`);
  assert.ok(figures(f8).tokensPerSecondPerGpu > base.tokensPerSecondPerGpu, 'fp8 matmuls are faster');
  const cp = checkFixture('torchtitan/llama3_8b_cp2.toml', H100_96);
  const ecp = estimateOf(cp);
  assert.equal(ecp.layout?.context, 2);
  assert.equal(ecp.layout?.data, 4);
  assert.ok(within(figures(cp).reservedGib, 84.2, 0.1), `CP reserved ${figures(cp).reservedGib.toFixed(1)} GiB vs 84.2`);
  assert.ok(figures(cp).tokensPerSecondPerGpu < base.tokensPerSecondPerGpu, 'attention over 65k tokens costs per token');
});

test("the world size is the context's, else one node of 8 GPUs, said; -1 is the rest", () => {
  const alone = checkFixture('torchtitan/llama3_8b.toml');
  const e = estimateOf(alone);
  assert.equal(e.layout?.gpus, 8);
  assert.ok(e.assumptions.some((a) => a.startsWith('World size: assumed one node of 8 GPUs')));
  assert.equal(e.gpu?.id, 'H100-SXM-80GB', "no GPU given: the estimator's stated default");
  const four = estimateOf(checkFixture('torchtitan/llama3_8b.toml', { gpusPerNode: 4, nodes: 2 }));
  assert.equal(four.layout?.gpus, 8);
  assert.equal(four.layout?.nodes, 2);
  assert.equal(four.layout?.data, 8);
});

test('70B with TP 8 on one node does not fit: the problem is on local_batch_size, its fix is written in TOML and re-checked', () => {
  const c = checkFixture('torchtitan/llama3_70b.toml');
  const p = c.problems.find((x) => x.code === 'memory-exceeds-capacity');
  assert.ok(p, JSON.stringify(c.problems));
  assert.equal(at(c.text, p), '8');
  assert.ok(c.text.slice(0, p.offset).endsWith('local_batch_size = '));
  const fix = fixNamed(p, 'Lower the micro-batch to 1');
  const fixed = applyEdits(c.text, fix.edits);
  assert.ok(fixed.includes('local_batch_size = 1\n'));
  assert.ok(fixed.includes('global_batch_size = 8'), 'the same global batch: local 8 × data 1');
  const again = checkText(fixed, c.fileName);
  assert.ok(figures(again).gib < figures(c).gib);
  assert.equal(estimateOf(again).layout?.microBatches, 8);
});

test('checkpointing off and local batch 8: fixes set [activation_checkpoint] mode, [parallelism] tensor, local batch — each re-checked', () => {
  const c = checkFixture('torchtitan/llama3_8b_no_ac.toml');
  const p = c.problems.find((x) => x.code === 'memory-exceeds-capacity')!;
  assert.ok(p);
  const full = applyEdits(c.text, fixNamed(p, 'Enable full activation checkpointing').edits);
  assert.ok(full.includes('mode = "full"'));
  assert.ok(figures(checkText(full, c.fileName)).gib < figures(c).gib);
  const tp = applyEdits(c.text, fixNamed(p, 'Set tensor parallel to 8').edits);
  assert.ok(tp.includes('[parallelism]\ntensor_parallel_degree = 8\n'), tp);
  const etp = estimateOf(checkText(tp, c.fileName));
  assert.equal(etp.layout?.tensor, 8);
  // The first fix fits; applied, the file has no error left.
  const best = p.fixes![0];
  const clean = checkText(applyEdits(c.text, best.edits), c.fileName);
  assert.deepEqual(
    clean.problems.filter((x) => x.severity === 'error').map((x) => x.code),
    [],
    best.title,
  );
});

test('405B as published (TP 8, float8, full AC) on one node runs out of memory; DeepSeek 16B maps to its catalog shape', () => {
  const big = checkFixture('torchtitan/llama3_405b.toml');
  assert.ok(big.problems.some((p) => p.code === 'memory-exceeds-capacity'));
  assert.equal(estimateOf(big).model?.id, 'llama-3.1-405b');
  const moe = checkFixture('torchtitan/deepseek_16b.toml');
  const e = estimateOf(moe);
  assert.equal(e.model?.id, 'deepseek-v2-lite');
  assert.equal(e.layout?.expert, 8);
});

test('unknown flavor: one warning at the flavor, no estimate; malformed TOML: one error, never a throw', () => {
  const text = '[model]\nname = "llama3"\nflavor = "13B"\n[training]\nlocal_batch_size = 1\n';
  const c = checkText(text, '/w/x.toml');
  assert.deepEqual(
    c.problems.map((p) => [p.code, at(text, p)]),
    [['unknown-model', '13B']],
  );
  assert.equal(c.estimates.length, 0);
  const bad = '[model]\nname = "llama3"\nflavor = "8B"\n[training\nseq_len = 8192\n';
  const b = checkText(bad, '/w/x.toml');
  assert.equal(b.problems.length, 1);
  assert.equal(b.problems[0].code, 'toml-syntax');
  assert.equal(b.problems[0].severity, 'error');
  const dup = checkText('[model]\nflavor = "8B"\nflavor = "70B"\n[training]\n', '/w/y.toml');
  assert.equal(dup.problems[0].code, 'toml-syntax');
});

test('explicit degrees that do not multiply to the world size: an error on data_parallel_shard_degree; -1 that cannot divide: on the -1', () => {
  const text = '[model]\nname = "llama3"\nflavor = "8B"\n[training]\nlocal_batch_size = 1\nseq_len = 4096\n[parallelism]\ndata_parallel_shard_degree = 3\ntensor_parallel_degree = 2\n';
  // The world size given (one node of 8): the file's 3 × 2 disagrees with it. (With none given, 6 GPUs is the world the degrees imply.)
  const world = { gpusPerNode: 8, nodes: 1, worldFrom: 'gantry.context.yaml' };
  assert.ok(!checkText(text, '/w/x.toml').problems.some((x) => x.code === 'parallelism-product'));
  const c = checkText(text, '/w/x.toml', world);
  const p = c.problems.find((x) => x.code === 'parallelism-product');
  assert.ok(p, JSON.stringify(c.problems.map((x) => x.code)));
  assert.equal(at(text, p), '3');
  const fix = p.fixes?.[0];
  if (fix) assert.ok(checkText(applyEdits(text, fix.edits), '/w/x.toml', world).problems.every((x) => x.code !== 'parallelism-product'));
  const rest = '[model]\nname = "llama3"\nflavor = "8B"\n[parallelism]\ndata_parallel_shard_degree = -1\ntensor_parallel_degree = 3\n';
  const r = checkText(rest, '/w/x.toml');
  assert.ok(r.problems.some((x) => x.code === 'torchtitan-mesh' && at(rest, x) === '-1'));
});

test('older torchtitan files: batch_size and the degrees under [training], compile = true', () => {
  const text = '[model]\nname = "llama3"\nflavor = "8B"\n[training]\nbatch_size = 1\nseq_len = 8192\ndata_parallel_shard_degree = -1\ntensor_parallel_degree = 2\ncompile = true\n';
  const e = estimateOf(checkText(text, '/w/old.toml'));
  assert.equal(e.layout?.tensor, 2);
  assert.equal(e.layout?.data, 4);
  assert.ok(e.assumptions.some((a) => a.startsWith('torch.compile')));
  // Older torchtitan compiled each block and left the loss eager: said, and no compiled loss.
  const c = checkText(text, '/w/old.toml');
  assert.equal((c.foreign![0].job.spec as Record<string, any>).compileLoss, false);
  assert.ok(estimateOf(c).assumptions.some((a) => a.startsWith('[training] compile: the transformer blocks are compiled')));
});

test('[compile] components: the default and "loss" compile the loss (less logits memory, said); ["model"] does not', () => {
  const base = fixture('torchtitan/llama3_8b_float8.toml');
  const spec = (c: ReturnType<typeof checkText>) => c.foreign![0].job.spec as Record<string, any>;
  const blocks = checkText(base.text, base.fileName, H100_96);
  const withLoss = checkText(base.text.replace('components = ["model"]', 'components = ["model", "loss"]'), base.fileName, H100_96);
  const byDefault = checkText(base.text.replace('components = ["model"]', ''), base.fileName, H100_96);
  assert.equal(spec(withLoss).compileLoss, true);
  assert.equal(spec(byDefault).compileLoss, true);
  assert.ok(estimateOf(byDefault).assumptions.some((a) => a.startsWith('[compile] components: ["model", "loss"] (torchtitan\'s default)')));
  assert.ok(figures(withLoss).reservedGib < figures(blocks).reservedGib, `${figures(withLoss).reservedGib} < ${figures(blocks).reservedGib}`);
  assert.equal(figures(withLoss).reservedGib, figures(byDefault).reservedGib);
});

test('selective_ac_option = N: every N-th block fully checkpointed (layers / N of 32), "op" as op-level SAC, anything else an error at the option', () => {
  const base = fixture('torchtitan/llama3_8b.toml');
  const withOption = (opt: string) => base.text.replace('selective_ac_option = "op"', `selective_ac_option = ${opt}`);
  const spec = (c: ReturnType<typeof checkText>) => c.foreign![0].job.spec as Record<string, any>;
  const every2 = checkText(withOption('"2"'), base.fileName, H100_96);
  assert.equal(spec(every2).activationCheckpointing, 'full');
  assert.equal(spec(every2).checkpointedLayers, 16);
  assert.ok(estimateOf(every2).assumptions.some((a) => a.startsWith('Checkpointing 16 of 32 layers')));
  // Half the layers keep all their activations: less memory than no checkpointing.
  const none = figures(checkText(base.text.replace('mode = "selective"', 'mode = "none"'), base.fileName, H100_96)).gib;
  const f2 = figures(every2).gib;
  assert.ok(f2 < none, `${f2} < ${none}`);
  // Every block (N = 1, and torchtitan's 0) is full checkpointing of all 32.
  assert.equal(spec(checkText(withOption('"1"'), base.fileName, H100_96)).checkpointedLayers, 32);
  assert.equal(spec(checkText(withOption('"0"'), base.fileName, H100_96)).checkpointedLayers, 32);
  // N past the layer count wraps no block: no checkpointing, and a warning at the option.
  const past = checkText(withOption('"64"'), base.fileName, H100_96);
  assert.equal(spec(past).activationCheckpointing, 'none');
  const w = past.problems.find((p) => p.code === 'torchtitan-value')!;
  assert.equal(
    withOption('"64"')
      .slice(w.offset, w.offset + w.length)
      .replaceAll('"', ''),
    '64',
  );
  // torchtitan raises on anything else; so does the check, at the option's value.
  const bad = withOption('"sometimes"');
  const e = checkText(bad, base.fileName, H100_96).problems.find((p) => p.code === 'torchtitan-value')!;
  assert.equal(e.severity, 'error');
  assert.equal(bad.slice(e.offset, e.offset + e.length).replaceAll('"', ''), 'sometimes');
});

test('tensor parallel in torchtitan is sequence parallel too (its TP plan shards norms and the residual by sequence): the shipped 70B config fits 8 × 8 H100s', () => {
  const toml = '[model]\nname = "llama3"\nflavor = "70B"\n\n[training]\nlocal_batch_size = 8\nseq_len = 8192\n\n[parallelism]\ndata_parallel_shard_degree = -1\ntensor_parallel_degree = 8\n\n[activation_checkpoint]\nmode = "full"\n';
  const c = checkText(toml, '/w/llama3_70b.toml', { gpu: 'H100-SXM-80GB', gpusPerNode: 8, nodes: 8 });
  assert.equal(c.foreign?.[0].job.spec.parallelism && (c.foreign[0].job.spec.parallelism as { sequenceParallel?: boolean }).sequenceParallel, true);
  const e = estimateOf(c);
  // Full checkpointing keeps each layer's input: 80 × 8 × 8192 × 8192 × 2 B = 80 GiB, split over the 8 tensor ranks.
  const act = (e.memory?.breakdown.activations ?? 0) / GIB;
  assert.ok(Math.abs(act - 10) < 0.01, String(act));
  assert.ok(!c.problems.some((p) => p.code === 'memory-exceeds-capacity'));
  assert.ok(e.assumptions.some((a) => a.startsWith('Sequence parallel: torchtitan')));
});

test("CPU offload where a training config turns it on (torchtitan enable_cpu_offload, accelerate fsdp_offload_params) is the estimator's CPU offload of the parameters: less GPU memory, said where it came from", () => {
  const base = fixture('torchtitan/llama3_8b.toml');
  const on = base.text.replace('[training]\n', '[training]\nenable_cpu_offload = true\n');
  const c = checkText(on, base.fileName);
  assert.equal((c.foreign![0].job.spec as { parallelism?: { offload?: string } }).parallelism?.offload, 'params');
  assert.ok(estimateOf(c).assumptions.some((a) => a.startsWith('[training] enable_cpu_offload: estimated as CPU offload')));
  assert.ok(figures(c).gib < figures(checkText(base.text, base.fileName)).gib - 5, 'the sharded weights, gradients and optimizer states leave the GPU');
  const acc = fixture('accelerate/fsdp.yaml');
  const a = checkText(acc.text.replace('fsdp_offload_params: false', 'fsdp_offload_params: true'), acc.fileName, { model: 'meta-llama/Llama-3.1-8B' });
  assert.equal((a.foreign![0].job.spec as { parallelism?: { offload?: string } }).parallelism?.offload, 'params');
});
