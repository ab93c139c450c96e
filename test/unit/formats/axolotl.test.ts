// axolotl YAML: fixtures in the shape of axolotl's examples (LoRA 8-bit, QLoRA, QLoRA + FSDP, full
// fine-tune with DeepSpeed ZeRO-3), the DeepSpeed file it names read and merged, fixes in YAML.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { axolotlReader } from '../../../core/formats/axolotl';
import { claimingReaders, readForeign } from '../../../core/formats/index';
import { applyEdits, at, checkFixture, checkText, estimateOf, figures, fixNamed, fixture } from './helpers';
import { tempDir } from '../helpers';

test('claims axolotl configs by name and content; not a Kubernetes manifest, a Gantry spec, a workflow or a compose file', () => {
  const { text } = fixture('axolotl/lora-8b.yml');
  assert.ok(axolotlReader.claims('examples/llama-3/lora-8b.yml', text));
  assert.ok(!axolotlReader.claims('lora-8b.json', text));
  assert.ok(!axolotlReader.claims('job.gantry.yaml', text));
  const k8s = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: axolotl\ndata:\n  config.yml: |\n    base_model: meta-llama/Llama-3.1-8B\n    micro_batch_size: 2\n';
  assert.deepEqual(claimingReaders('cm.yaml', k8s), []);
  assert.deepEqual(claimingReaders('.github/workflows/ci.yml', 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n'), []);
  assert.deepEqual(claimingReaders('docker-compose.yml', 'services:\n  web:\n    image: nginx\n'), []);
  const spec = 'apiVersion: gantry/v1\nkind: TrainingJob\nmetadata:\n  name: x\nspec:\n  base_model: x\n';
  const c = checkText(spec, '/w/train.yaml');
  assert.ok(c.docs.length > 0 && !c.foreign, 'a Gantry spec is checked as one, never as axolotl');
});

test('LoRA on Llama 3 8B, 8-bit base and 8-bit AdamW, one GPU: fits, with every assumption stated', () => {
  const c = checkFixture('axolotl/lora-8b.yml');
  assert.deepEqual(
    c.problems.filter((p) => p.severity !== 'hint'),
    [],
  );
  const e = estimateOf(c);
  assert.equal(e.model?.id, 'llama-3-8b');
  assert.equal(e.layout?.gpus, 1);
  const f = figures(c);
  // 8B in int8 ≈ 7.5 GiB + LoRA r32 + activations of 2 × 4096 tokens with full checkpointing.
  assert.ok(f.gib > 12 && f.gib < 40, `${f.gib.toFixed(1)} GiB`);
  assert.ok(f.tokensPerSecondPerGpu > 1000 && f.tokensPerSecondPerGpu < 20000, `${f.tokensPerSecondPerGpu}`);
  const spec = c.foreign![0].job.spec as Record<string, any>;
  assert.deepEqual(spec.finetune, { method: 'lora', baseBits: 8, rank: 32, alpha: 16 });
  assert.equal(spec.optimizer.type, 'adamw-8bit');
  assert.equal(spec.activationCheckpointing, 'full');
  assert.equal(spec.attention, 'flash');
  const said = e.assumptions.join('\n');
  for (const s of ['World size: assumed one GPU', 'sample_packing', 'bf16: auto', 'lora_target_linear']) assert.ok(said.includes(s), s);
});

test("QLoRA with paged 8-bit AdamW; QLoRA 70B with FSDP over 8 GPUs and parameter offload (the estimator's CPU offload)", () => {
  const q = checkFixture('axolotl/qlora-8b.yml');
  const e = estimateOf(q);
  const spec = q.foreign![0].job.spec as Record<string, any>;
  assert.equal(spec.finetune.baseBits, 4);
  assert.deepEqual(spec.finetune.targetModules, ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj']);
  assert.ok(e.assumptions.some((a) => a.startsWith('Paged 8-bit AdamW')));
  // paged_* reaches the estimator's paged-optimizer regime: the states count in device memory only.
  assert.equal(spec.optimizer.paged, true);
  assert.ok((e.memory!.breakdown.pagedOptimizerStates ?? 0) > 0, 'paged states counted');
  assert.ok(figures(q).gib < figures(checkFixture('axolotl/lora-8b.yml')).gib + 20);
  const big = checkFixture('axolotl/qlora-fsdp-70b.yaml');
  const eb = estimateOf(big);
  assert.equal(eb.layout?.gpus, 8);
  assert.equal((big.foreign![0].job.spec as any).parallelism.fsdp, 'full');
  assert.ok(eb.assumptions.some((a) => a.includes('offload_params: estimated as CPU offload')));
  assert.equal((big.foreign![0].job.spec as any).parallelism.offload, 'params');
  assert.ok(figures(big).gib < 40, `${figures(big).gib}`);
});

test('deepspeed: the named ZeRO-3 JSON is read and merged ("auto" batch values take axolotl\'s)', () => {
  const c = checkFixture('axolotl/fft-8b-zero3.yml');
  const spec = c.foreign![0].job.spec as Record<string, any>;
  assert.equal(spec.parallelism.zero, 3);
  assert.equal(spec.precision, 'bf16-mixed');
  assert.equal(spec.batch.micro, 1);
  assert.equal(spec.batch.gradientAccumulation, 8);
  const e = estimateOf(c);
  assert.equal(e.layout?.gpus, 8);
  // Full fine-tune of 8B: 16 bytes/param sharded 8 ways ≈ 15 GiB + activations.
  assert.ok(figures(c).gib > 15 && figures(c).gib < 79, `${figures(c).gib}`);
  // A value that comes from the JSON cannot be rewritten from the YAML: its source points at the deepspeed key.
  const src = c.foreign![0].sources.get('spec.parallelism.zero')!;
  assert.equal(at(c.text, src.span), '../deepspeed/zero3_bf16.json');
  assert.equal(src.write?.(2), undefined);
});

test('deepspeed: a missing file, a directory, a file over the caps (1 MB read, 64 KB parsed), malformed JSON: one warning at the key, still an estimate', () => {
  const dir = tempDir('gantry-axolotl-');
  mkdirSync(path.join(dir, 'ds_dir'));
  writeFileSync(path.join(dir, 'huge.json'), `{"zero_optimization": {"stage": 3}, "pad": "${'x'.repeat(1_100_000)}"}`);
  writeFileSync(path.join(dir, 'broken.json'), '{"zero_optimization": {"stage": 3,,}');
  writeFileSync(path.join(dir, 'big.json'), `{"zero_optimization": {"stage": 3}, "pad": "${'x'.repeat(100_000)}"}`);
  for (const [target, words] of [
    ['missing.json', 'no such file'],
    ['ds_dir', 'not a regular file'],
    ['huge.json', 'larger than 1 MB'],
    ['broken.json', 'not valid JSON'],
    ['big.json', 'too large for Gantry to read: 98 KB (limit 64 KB'],
  ]) {
    const text = `base_model: meta-llama/Llama-3.1-8B\nadapter: lora\nlora_r: 16\nsequence_len: 2048\nmicro_batch_size: 1\nbf16: true\ndeepspeed: ${target}\n`;
    const c = checkText(text, path.join(dir, 'train.yml'));
    const p = c.problems.find((x) => x.code === 'deepspeed-file');
    assert.ok(p, target);
    assert.equal(at(text, p), target);
    assert.ok(p.message.includes(words), p.message);
    assert.equal(c.estimates.length, 1, target);
  }
  const noReader = readForeign('base_model: meta-llama/Llama-3.1-8B\nmicro_batch_size: 1\ndeepspeed: z.json\n', { fileName: 'a.yml' });
  assert.ok(noReader[0].problems.some((p) => p.code === 'deepspeed-file'));
});

test('a DeepSpeed micro-batch that disagrees with micro_batch_size: the Trainer refuses it, said at micro_batch_size', () => {
  const dir = tempDir('gantry-axolotl-');
  writeFileSync(path.join(dir, 'ds.json'), '{"train_micro_batch_size_per_gpu": 4, "zero_optimization": {"stage": 2}}');
  const text = 'base_model: meta-llama/Llama-3.1-8B\nsequence_len: 2048\nmicro_batch_size: 2\ngradient_checkpointing: true\nbf16: true\ndeepspeed: ds.json\n';
  const c = checkText(text, path.join(dir, 'train.yml'));
  const p = c.problems.find((x) => x.code === 'deepspeed-mismatch');
  assert.ok(p);
  assert.equal(at(text, p), '2');
});

test('full fine-tune of 8B on one GPU without checkpointing: out of memory; the LoRA and checkpointing fixes are YAML, applied and re-checked', () => {
  const c = checkFixture('axolotl/fft-8b-no-ckpt.yml');
  const p = c.problems.find((x) => x.code === 'memory-exceeds-capacity');
  assert.ok(p);
  assert.equal(at(c.text, p), '4', 'on micro_batch_size');
  const ck = applyEdits(c.text, fixNamed(p, 'Enable full activation checkpointing').edits);
  assert.ok(ck.endsWith('gradient_checkpointing: true\n'));
  assert.equal((checkText(ck, c.fileName).foreign![0].job.spec as any).activationCheckpointing, 'full');
  const best = p.fixes![0];
  assert.ok(best.title.includes('LoRA'), best.title);
  const fixed = applyEdits(c.text, best.edits);
  const again = checkText(fixed, c.fileName);
  assert.deepEqual(
    again.problems.filter((x) => x.severity === 'error'),
    [],
  );
  assert.equal((again.foreign![0].job.spec as any).finetune.method, 'lora');
  assert.ok(figures(again).gib < 79);
});

test('torch_compile: true is the compiled regime (model and loss), at the key; less activation and logits memory', () => {
  const base = 'base_model: meta-llama/Llama-3.2-1B\nsequence_len: 2048\nmicro_batch_size: 8\nbf16: true\nsdp_attention: true\n';
  const eager = checkText(base, '/w/fft.yml');
  const compiled = checkText(`${base}torch_compile: true\n`, '/w/fft.yml');
  const spec = compiled.foreign![0].job.spec as Record<string, unknown>;
  assert.equal(spec.compile, true);
  assert.equal(spec.compileLoss, undefined, 'compileLoss follows compile');
  assert.ok(estimateOf(compiled).assumptions.some((a) => a.startsWith('torch.compile (assumed: the loss is in the compiled forward')));
  assert.ok(figures(compiled).gib < figures(eager).gib, `${figures(compiled).gib} < ${figures(eager).gib}`);
  const auto = checkText(`${base}torch_compile: auto\n`, '/w/fft.yml');
  assert.ok(estimateOf(auto).assumptions.some((a) => a.startsWith('torch_compile: auto')));
  assert.equal(checkText(`${base}torch_compile: false\n`, '/w/fft.yml').foreign![0].job.spec.compile, undefined);
});

test('unknown base model: one warning at base_model; invalid YAML: one error; neither throws', () => {
  const text = 'base_model: someone/private-model-7b\nmicro_batch_size: 1\nsequence_len: 1024\n';
  const c = checkText(text, '/w/a.yml');
  assert.deepEqual(
    c.problems.map((p) => [p.code, at(text, p)]),
    [['unknown-model', 'someone/private-model-7b']],
  );
  const bad = 'base_model: meta-llama/Llama-3.1-8B\nmicro_batch_size: [1\nsequence_len: 1024\n';
  const b = checkText(bad, '/w/a.yml');
  assert.equal(b.problems[0]?.code, 'yaml-syntax');
});
