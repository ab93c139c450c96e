// axolotl YAML: fixtures in the shape of axolotl's examples (LoRA 8-bit, QLoRA, QLoRA + FSDP, full
// fine-tune with DeepSpeed ZeRO-3), the DeepSpeed file it names read and merged, fixes in YAML.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { axolotlReader } from '../../../core/formats/axolotl';
import type { FileCheck } from '../../../core/check/checkFile';
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

// ---------------------------------------------------------------- the sweep of public configs (axolotl examples, 2023–2026)

const H100 = { gpu: 'H100-SXM-80GB' };
const FFT_8B = 'base_model: meta-llama/Llama-3.1-8B\nsequence_len: 2048\nmicro_batch_size: 1\nbf16: true\n';
const specOf = (c: FileCheck) => c.foreign![0].job.spec as Record<string, any>;
const saysOf = (c: FileCheck) => c.foreign![0].assumptions.join('\n');

test('empty placeholders (deepspeed:, fsdp:, fsdp_config:, as the older templates end) turn nothing on: one GPU, no sharding', () => {
  for (const tail of ['deepspeed:\nfsdp:\nfsdp_config:\n', "fsdp: []\nfsdp_config: {}\ndeepspeed: ''\n"]) {
    const c = checkText(`${FFT_8B}gradient_checkpointing: true\n${tail}`, '/w/fft.yml', H100);
    const spec = specOf(c);
    assert.equal(spec.parallelism, undefined, tail);
    assert.deepEqual(spec.resources, { nodes: 1, gpusPerNode: 1 });
    assert.ok(saysOf(c).includes('World size: assumed one GPU'), tail);
  }
});

test('FSDP2 as axolotl now writes it: fsdp_config with fsdp_version inside, keys with or without the fsdp_ prefix', () => {
  const c = checkText(`${FFT_8B}fsdp_config:\n  fsdp_version: 2\n  offload_params: true\n  reshard_after_forward: true\n`, '/w/fft.yml', H100);
  const spec = specOf(c);
  assert.equal(spec.parallelism.fsdp, 'full');
  assert.equal(spec.parallelism.offload, 'params');
  assert.equal(estimateOf(c).layout?.gpus, 8);
  const grad = specOf(checkText(`${FFT_8B}fsdp_config:\n  version: 2\n  fsdp_reshard_after_forward: false\n`, '/w/fft.yml'));
  assert.equal(grad.parallelism.fsdp, 'grad-op');
  const old = specOf(checkText(`${FFT_8B}fsdp:\n  - full_shard\n  - auto_wrap\nfsdp_config:\n  fsdp_offload_params: true\n`, '/w/fft.yml'));
  assert.deepEqual([old.parallelism.fsdp, old.parallelism.offload], ['full', 'params']);
});

test('FSDP activation checkpointing inside fsdp_config (activation_checkpointing or the prefixed form): full checkpointing, at the key', () => {
  const base = `${FFT_8B}fsdp_config:\n  fsdp_version: 2\n`;
  const none = checkText(base, '/w/fft.yml', H100);
  assert.equal(specOf(none).activationCheckpointing, 'none');
  for (const key of ['activation_checkpointing', 'fsdp_activation_checkpointing']) {
    const text = `${base}  ${key}: true\n`;
    const c = checkText(text, '/w/fft.yml', H100);
    assert.equal(specOf(c).activationCheckpointing, 'full', key);
    assert.equal(at(text, c.foreign![0].sources.get('spec.activationCheckpointing')!.span), 'true');
    assert.ok(figures(c).gib < figures(none).gib, key);
  }
});

test("attn_implementation: flash_attention_2 / hub flash kernels → flash, sdpa, eager; flex said; none → transformers' sdpa, said", () => {
  const attn = (line: string) => {
    const c = checkText(`${FFT_8B}${line}`, '/w/fft.yml');
    return { attention: specOf(c).attention, says: saysOf(c) };
  };
  assert.equal(attn('attn_implementation: flash_attention_2\n').attention, 'flash');
  assert.equal(attn('attn_implementation: kernels-community/flash-attn3\n').attention, 'flash');
  assert.equal(attn('attn_implementation: sdpa\n').attention, 'sdpa');
  assert.equal(attn('attn_implementation: eager\n').attention, 'eager');
  const flex = attn('attn_implementation: flex_attention\n');
  assert.equal(flex.attention, 'flash');
  assert.ok(flex.says.includes("attn_implementation 'flex_attention': estimated as flash attention"), flex.says);
  assert.ok(attn('attn_implementation: fp8\n').says.includes("'fp8': a kernel Gantry does not know; estimated as sdpa"));
  assert.equal(attn('flash_attention: true\n').attention, 'flash');
  assert.equal(attn('eager_attention: true\n').attention, 'eager');
  const none = attn('');
  assert.equal(none.attention, 'sdpa');
  assert.ok(none.says.includes("transformers' default, sdpa"), none.says);
});

test('bf16 full fine-tune without DeepSpeed/FSDP is pure bf16 (axolotl loads the model in bf16); mixed under FSDP, DeepSpeed or LoRA; bf16 defaults to auto', () => {
  const single = checkText(`${FFT_8B}gradient_checkpointing: true\nattn_implementation: flash_attention_2\noptimizer: adamw_bnb_8bit\n`, '/w/fft.yml', H100);
  assert.equal(specOf(single).precision, 'bf16');
  assert.ok(saysOf(single).includes('Pure bf16: a full fine-tune without DeepSpeed or FSDP loads the model in bf16'), saysOf(single));
  // bf16 weights 15 + bf16 gradients 15 + 8-bit states 15 GiB + activations: fits an 80 GB card (it was ≈ 79 GiB with fp32 weights and gradients).
  assert.ok(figures(single).gib > 40 && figures(single).gib < 70, `${figures(single).gib}`);
  assert.ok(!single.problems.some((p) => p.code === 'memory-exceeds-capacity'));
  assert.equal(specOf(checkText(`${FFT_8B}fsdp_config:\n  fsdp_version: 2\n`, '/w/fft.yml')).precision, 'bf16-mixed');
  assert.equal(specOf(checkText(`${FFT_8B}adapter: lora\nlora_r: 8\n`, '/w/fft.yml')).precision, 'bf16-mixed');
  // No bf16 key: axolotl's default "auto"; fp16: true over it turns bf16 off; bf16: false alone is fp32.
  const noKey = checkText('base_model: meta-llama/Llama-3.1-8B\nsequence_len: 2048\nmicro_batch_size: 1\n', '/w/fft.yml');
  assert.equal(specOf(noKey).precision, 'bf16');
  assert.ok(saysOf(noKey).includes("bf16: auto (axolotl's default)"));
  assert.equal(specOf(checkText('base_model: meta-llama/Llama-3.1-8B\nmicro_batch_size: 1\nfp16: true\n', '/w/fft.yml')).precision, 'fp16-mixed');
  assert.equal(specOf(checkText('base_model: meta-llama/Llama-3.1-8B\nmicro_batch_size: 1\nbf16: false\n', '/w/fft.yml')).precision, 'fp32');
});

test('YAML 1.1 integers as PyYAML reads them: 500_000, 0x, leading-zero octal, base 60; a quoted value stays a string', () => {
  const text = 'base_model: meta-llama/Llama-3.1-8B\nsequence_len: 16_384\nmicro_batch_size: 0x2\ngradient_accumulation_steps: 010\nmax_steps: 1:30\nadapter: lora\nlora_r: 8\nbf16: true\n';
  const c = checkText(text, '/w/a.yml');
  assert.deepEqual(
    c.problems.filter((p) => p.code === 'axolotl-value'),
    [],
  );
  const spec = specOf(c);
  assert.deepEqual([spec.batch.sequenceLength, spec.batch.micro, spec.batch.gradientAccumulation, spec.training.steps], [16384, 2, 8, 90]);
  const badText = text.replace('16_384', '16_38x');
  const bad = checkText(badText, '/w/a.yml');
  assert.equal(at(badText, bad.problems.find((p) => p.code === 'axolotl-value')!), '16_38x');
});

test("axolotl's hard refusals are reader errors that withhold the estimate: qlora without load_in_4bit, qlora in 8-bit, 4/8-bit without an adapter", () => {
  for (const [body, code, where] of [
    ['adapter: qlora\nlora_r: 8\n', 'axolotl-qlora-4bit', 'qlora'],
    ['adapter: qlora\nlora_r: 8\nload_in_4bit: false\n', 'axolotl-qlora-4bit', 'false'],
    ['adapter: qlora\nlora_r: 8\nload_in_8bit: true\n', 'axolotl-qlora-4bit', 'true'],
    ['load_in_4bit: true\n', 'axolotl-quantized-full', 'true'],
    ['load_in_8bit: yes\n', 'axolotl-quantized-full', 'yes'],
  ] as const) {
    const text = `${FFT_8B}${body}`;
    const c = checkText(text, '/w/a.yml', H100);
    const p = c.problems.find((x) => x.code === code);
    assert.equal(p?.severity, 'error', body);
    assert.equal(at(text, p!), where, body);
    assert.equal(c.estimates.length, 0, body);
    assert.ok(!c.problems.some((x) => x.code.startsWith('memory-')), body);
  }
  const ok = checkText(`${FFT_8B}adapter: qlora\nlora_r: 8\nload_in_4bit: true\n`, '/w/a.yml', H100);
  assert.ok(!ok.problems.some((p) => p.severity === 'error'));
});

test('fixes set a key the file already has with no value where it stands (no duplicate keys); no FSDP fix next to deepspeed:', () => {
  const text = 'base_model: meta-llama/Llama-3.1-8B\nsequence_len: 2048\nmicro_batch_size: 2\nbf16: true\nadapter:\nlora_r:\nlora_alpha:\ngradient_checkpointing:\nfsdp:\nfsdp_config:\nwarmup_steps: 10\n';
  const c = checkText(text, '/w/fft.yml', H100);
  const p = c.problems.find((x) => x.code.startsWith('memory-'));
  const noDuplicates = (fixed: string) =>
    assert.deepEqual(
      checkText(fixed, '/w/fft.yml', H100).problems.filter((x) => x.code === 'yaml-duplicate-key' || x.code === 'yaml-syntax'),
      [],
      fixed,
    );
  const lora = applyEdits(text, fixNamed(p, 'Fine-tune with LoRA').edits);
  assert.ok(lora.includes('\nadapter: lora\nlora_r: 16\nlora_alpha: 32\ngradient_checkpointing:\nfsdp:\nfsdp_config:\nwarmup_steps: 10\nlora_dropout: 0.05\nlora_target_linear: true\n'), lora);
  noDuplicates(lora);
  assert.equal(specOf(checkText(lora, '/w/fft.yml')).finetune.method, 'lora');
  // A single key with no value: rewritten as `key: value` (not `key:value`, which YAML reads as one string).
  const spec = c.foreign![0];
  const ck = applyEdits(text, [spec.sources.get('spec.activationCheckpointing')!.write!('full')!]);
  assert.ok(ck.includes('\ngradient_checkpointing: true\nfsdp:\n'), ck);
  noDuplicates(ck);
  // FSDP in axolotl's current form, over the empty fsdp_config: placeholder.
  const fsdp = applyEdits(text, [spec.insert!(['spec', 'parallelism', 'fsdp'], 'full')!]);
  assert.ok(fsdp.includes('\nfsdp:\nfsdp_config:\n  fsdp_version: 2\n  offload_params: false\n'), fsdp);
  assert.ok(fsdp.endsWith('reshard_after_forward: true\nwarmup_steps: 10\n'), fsdp);
  noDuplicates(fsdp);
  assert.equal(specOf(checkText(fsdp, '/w/fft.yml')).parallelism.fsdp, 'full');
  // deepspeed: set (a JSON Gantry cannot read): axolotl refuses FSDP next to it, so no such edit and no such fix.
  const dsText = 'base_model: meta-llama/Llama-3.1-70B\nsequence_len: 4096\nmicro_batch_size: 4\nbf16: true\ndeepspeed: /abs/zero3.json\nfsdp:\nfsdp_config:\n';
  const ds = checkText(dsText, '/w/fft.yml', H100);
  assert.equal(ds.foreign![0].insert!(['spec', 'parallelism', 'fsdp'], 'full'), undefined);
  assert.ok(!ds.problems.flatMap((x) => x.fixes ?? []).some((f) => f.title.startsWith('Enable FSDP')));
});

test('N-D parallelism: tensor_parallel_size, context_parallel_size, dp_shard_size, dp_replicate_size reach the layout; expert_parallel_size is said to be unread', () => {
  const text = `${FFT_8B}fsdp_config:\n  fsdp_version: 2\ntensor_parallel_size: 2\ncontext_parallel_size: 2\ndp_shard_size: 2\n`;
  const c = checkText(text, '/w/fft.yml', H100);
  const spec = specOf(c);
  assert.deepEqual([spec.parallelism.tensor, spec.parallelism.context, spec.parallelism.fsdp], [2, 2, 'full']);
  assert.deepEqual(spec.resources, { nodes: 1, gpusPerNode: 8 });
  assert.ok(saysOf(c).includes('World size: assumed 8 GPUs, from tensor_parallel_size 2 × context_parallel_size 2 × dp_shard_size 2'), saysOf(c));
  const e = estimateOf(c);
  assert.deepEqual([e.layout?.tensor, e.layout?.context, e.layout?.gpus], [2, 2, 8]);
  const hybrid = checkText(`${text}dp_replicate_size: 2\nexpert_parallel_size: 4\n`, '/w/fft.yml');
  assert.equal(specOf(hybrid).parallelism.fsdp, 'hybrid');
  assert.deepEqual(specOf(hybrid).resources, { nodes: 2, gpusPerNode: 8 });
  assert.ok(saysOf(hybrid).includes('dp_replicate_size 2 × dp_shard_size 2: estimated as hybrid FSDP'));
  assert.ok(saysOf(hybrid).includes("expert_parallel_size '4': not read"));
  // The older name of context parallelism; with the world size from the context.
  const old = checkText(`${FFT_8B}sequence_parallel_degree: 4\n`, '/w/fft.yml', { gpusPerNode: 8 });
  assert.equal(specOf(old).parallelism.context, 4);
});

test('memory-relevant keys that are read but not modelled are each said; torchao 8-bit and 4-bit AdamW are estimated as 8-bit AdamW', () => {
  const lora = 'base_model: meta-llama/Llama-3.1-8B\nsequence_len: 2048\nmicro_batch_size: 1\nbf16: true\nadapter: lora\nlora_r: 16\n';
  for (const [line, words] of [
    ['rl: dpo\n', "rl: 'dpo' — not modelled"],
    ['lora_modules_to_save:\n  - embed_tokens\n  - lm_head\n', "lora_modules_to_save ('embed_tokens, lm_head'): PEFT trains full copies"],
    ['liger_fused_linear_cross_entropy: true\n', 'liger_fused_linear_cross_entropy: the full logits are never materialised'],
    ['plugins:\n  - axolotl.integrations.cut_cross_entropy.CutCrossEntropyPlugin\n', 'Cut Cross Entropy: the full logits are never materialised'],
    ['activation_offloading: legacy\n', "activation_offloading: 'legacy': activations moved to CPU memory; not modelled"],
    ['tiled_mlp: true\n', 'tiled_mlp: the MLP runs in tiles'],
  ] as const) {
    assert.ok(saysOf(checkText(`${lora}${line}`, '/w/a.yml')).includes(words), line);
  }
  assert.ok(saysOf(checkText(`${FFT_8B}unfrozen_parameters:\n  - ^lm_head.weight$\n`, '/w/a.yml')).includes('unfrozen_parameters: only the listed parameters train'));
  for (const [name, words] of [
    ['adamw_torch_8bit', 'torchao AdamW8bit'],
    ['adamw_torch_4bit', 'Gantry has no 4-bit optimizer, so estimated as 8-bit AdamW'],
  ] as const) {
    const c = checkText(`${FFT_8B}optimizer: ${name}\n`, '/w/a.yml');
    assert.equal(specOf(c).optimizer.type, 'adamw-8bit', name);
    assert.ok(saysOf(c).includes(words), name);
  }
});
