// Two vLLM options that move the KV cache and that Gantry read but did not count: --enable-lora's slots (buffers of
// max_loras × rank on every adaptable layer, made with the model: servingLora.ts) and --kv-cache-memory-bytes (a
// fixed cache per GPU; vLLM then checks nothing else fits, so Gantry does).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { estimateInferenceService } from '../../../core/estimate/serving';
import { renderMarkdown } from '../../../core/estimate/format';
import { vllmLoraCoversExperts, vllmLoraEmbeddings, vllmLoraSlotBytes } from '../../../core/estimate/servingLora';
import { engineArgv, engineUnsupported } from '../../../core/runs/engineCommand';
import { resolveModelName } from '../../../core/catalog/models';
import type { Architecture, InferenceServiceSpec } from '../../../core/spec/types';
import { GIB, cluster, near, service } from './helpers';
import { applyEdits, checkText } from '../formats/servingHelpers';

const llama8b = resolveModelName('llama-3.1-8b')!.model.architecture as Architecture;
const h100 = cluster('H100-SXM-80GB', 8);
const base = { model: { preset: 'llama-3.1-8b' }, engineVersion: '0.19.0', maxModelLen: 8192 } as const;

test("a dense model's slots: q/k/v and gate/up keep one lora_a per slice, column layers shard lora_b and row layers lora_a by TP", () => {
  const r = 16;
  const { hidden: h, ffn: f, vocab: v, layers: l } = llama8b;
  const q = 32 * 128;
  const kv = 8 * 128;
  // Per layer at TP 1: qkv (3 lora_a of h, lora_b of q + 2 kv), o (q → h), gate_up (2 lora_a of h, lora_b of 2f), down (f → h).
  const perLayer = r * (3 * h + q + 2 * kv) + r * (q + h) + r * (2 * h + 2 * f) + r * (f + h);
  const embeddings = 2 * r * (v + h);
  const one = vllmLoraSlotBytes(llama8b, { tp: 1, expertRanks: 1, expertParallel: false, layers: l, first: true, last: true, maxLoras: 1, maxRank: r, dt: 2, experts: true, embeddings: true });
  assert.equal(one.bytes, 2 * (l * perLayer + embeddings));
  assert.equal(one.expertBytes, 0);
  // Slots and rank scale it linearly.
  const four = vllmLoraSlotBytes(llama8b, { tp: 1, expertRanks: 1, expertParallel: false, layers: l, first: true, last: true, maxLoras: 4, maxRank: 64, dt: 2, experts: true, embeddings: true });
  assert.equal(four.bytes, 16 * one.bytes);
  // TP 2: the sharded halves of each pair halve, the whole halves stay (the embedding's and lm_head's stay whole).
  const tp2 = vllmLoraSlotBytes(llama8b, { tp: 2, expertRanks: 2, expertParallel: false, layers: l, first: true, last: true, maxLoras: 1, maxRank: r, dt: 2, experts: true, embeddings: true });
  const perLayerTp2 = r * (3 * h + (q + 2 * kv) / 2) + r * (q / 2 + h) + r * (2 * h + f) + r * (f / 2 + h);
  assert.equal(tp2.bytes, 2 * (l * perLayerTp2 + embeddings));
});

test("the embedding and lm_head get slots only where vLLM's model class declares them (embedding_modules)", () => {
  assert.equal(vllmLoraEmbeddings('llama-3.1-8b', [0, 19, 0]), true);
  assert.equal(vllmLoraEmbeddings('qwen3-30b-a3b', undefined), true);
  assert.equal(vllmLoraEmbeddings('mistral-7b-v0.2', [0, 14, 0]), false, 'MistralForCausalLM sets it empty');
  assert.equal(vllmLoraEmbeddings('qwen2.5-0.5b', [0, 14, 0]), false, 'Qwen2 dropped it in 0.8.0 (PR #13166)');
  assert.equal(vllmLoraEmbeddings('qwen2.5-0.5b', [0, 7, 3]), true);
  assert.equal(vllmLoraEmbeddings('qwen3-next-80b-a3b', undefined), false);
  assert.equal(vllmLoraEmbeddings('gemma-3-12b', undefined), false);
  assert.equal(vllmLoraEmbeddings(undefined, undefined), false, 'a model known by no id: none counted');
  const a = resolveModelName('llama-3.1-8b')!.model.architecture as Architecture;
  const o = { tp: 1, expertRanks: 1, expertParallel: false, layers: a.layers, first: true, last: true, maxLoras: 1, maxRank: 16, dt: 2, experts: true };
  assert.equal(vllmLoraSlotBytes(a, { ...o, embeddings: true }).bytes - vllmLoraSlotBytes(a, { ...o, embeddings: false }).bytes, 2 * 2 * 16 * (a.vocab + a.hidden));
});

test('routed experts get slots from vLLM 0.11.1 (FusedMoEWithLoRA); under expert parallel each GPU holds its own experts whole', () => {
  const moe = resolveModelName('qwen3-30b-a3b')!.model.architecture as Architecture;
  assert.equal(vllmLoraCoversExperts([0, 11, 0]), false);
  assert.equal(vllmLoraCoversExperts([0, 11, 1]), true);
  assert.equal(vllmLoraCoversExperts(undefined), true, 'an unknown version is the current release');
  const o = { tp: 2, expertRanks: 2, expertParallel: false, layers: moe.layers, first: true, last: true, maxLoras: 2, maxRank: 16, dt: 2, experts: true, embeddings: true };
  const tp = vllmLoraSlotBytes(moe, o);
  const ep = vllmLoraSlotBytes(moe, { ...o, expertParallel: true });
  const old = vllmLoraSlotBytes(moe, { ...o, experts: false });
  const e = moe.moe!;
  // 48 layers × 128 experts × rank 16 × (3 hidden + 3 × expert FFN / TP) × 2 slots × 2 bytes.
  assert.equal(tp.expertBytes, 48 * 128 * 16 * (3 * moe.hidden + (3 * (e.expertFfn ?? moe.ffn)) / 2) * 2 * 2);
  assert.equal(ep.expertBytes, 48 * 64 * 16 * (3 * moe.hidden + 3 * (e.expertFfn ?? moe.ffn)) * 2 * 2);
  assert.equal(old.expertBytes, 0);
  assert.ok(tp.bytes - tp.expertBytes === old.bytes, 'the rest is the same either way');
});

test('LoRA slots come off the KV cache as weights do, said in the assumptions; vLLM defaults where the spec sets none', () => {
  const plain = estimateInferenceService(service(base), h100).serving!;
  const lora = estimateInferenceService(service({ ...base, lora: { maxLoras: 4, maxRank: 64 } }), h100);
  const s = lora.serving!;
  assert.ok(s.loraBytes && near(s.loraBytes / GIB, 1.38, 0.01), `${s.loraBytes}`);
  assert.ok(near(s.weightsBytes - plain.weightsBytes, s.loraBytes!, 1));
  assert.ok(near(plain.availableKvBytes - s.availableKvBytes, s.loraBytes!, 1));
  assert.ok(lora.assumptions.some((a) => a.startsWith('LoRA (--enable-lora): 4 slots of rank 64') && a.includes('Model loading took')));
  // The breakdown shows the slots on a line of their own; with the weights they are what vLLM's load prints.
  assert.equal(lora.memory!.breakdown.loraSlots, s.loraBytes);
  assert.ok(near(lora.memory!.breakdown.weights + lora.memory!.breakdown.loraSlots, s.weightsBytes, 1));
  assert.match(renderMarkdown(lora), /\| LoRA adapter slots \(vLLM --max-loras × --max-lora-rank\) \| 1\.38 \|/);
  const defaults = estimateInferenceService(service({ ...base, lora: {} }), h100);
  assert.ok(defaults.assumptions.some((a) => a.includes("vLLM's defaults where the spec sets none: 1 slot, rank 16")));
  // SGLang's adapter pool is not modelled, and says so.
  const sglang = estimateInferenceService(service({ ...base, engine: 'sglang', lora: { maxLoras: 4 } }), h100);
  assert.equal(sglang.serving!.loraBytes, undefined);
  assert.ok(sglang.assumptions.some((a) => a.startsWith("LoRA: SGLang's adapter memory is not counted")));
});

test('an MoE model before 0.11.1 says its experts take no slots; a memory error offers fewer slots', () => {
  const old = estimateInferenceService(service({ model: { preset: 'qwen3-30b-a3b' }, engineVersion: '0.10.2', maxModelLen: 8192, lora: { maxLoras: 2 } }), h100);
  assert.ok(old.assumptions.some((a) => a.includes('None is on the routed experts: vLLM 0.10.2 gives them no LoRA')));
  // Qwen3-30B-A3B on one 48 GB card with 8 slots of rank 64: weights and slots leave no cache; one slot leaves some.
  const tight = estimateInferenceService(service({ model: { preset: 'qwen3-30b-a3b' }, engineVersion: '0.19.0', maxModelLen: 4096, quantization: 'fp8', lora: { maxLoras: 8, maxRank: 64 } }), cluster('L40S-48GB', 1));
  assert.equal(tight.ok, false);
  const f = tight.findings.find((x) => x.code === 'memory-exceeds-capacity' || x.code === 'kv-cache-too-small');
  const fix = f?.fixes?.find((x) => x.title.startsWith('Reserve one LoRA slot instead of 8'));
  assert.ok(fix, JSON.stringify(f?.fixes?.map((x) => x.title)));
  assert.deepEqual(fix.edits, [{ path: ['spec', 'lora', 'maxLoras'], value: 1 }]);
});

test('kvCacheMemoryBytes fixes the pool from vLLM 0.11.0; before it the flag does not exist and utilization sizes the cache', () => {
  const fixed = estimateInferenceService(service({ ...base, kvCacheMemoryBytes: 50 * GIB }), h100);
  assert.equal(fixed.ok, true);
  assert.equal(fixed.serving!.availableKvBytes, 50 * GIB);
  assert.equal(fixed.serving!.kvCacheTokens, (50 * GIB) / (32 * 8 * 128 * 2 * 2));
  assert.ok(fixed.assumptions.some((a) => a.includes('KV pool fixed at 50.00 GiB per GPU by kvCacheMemoryBytes')));
  const plain = estimateInferenceService(service(base), h100).serving!;
  const old = estimateInferenceService(service({ ...base, engineVersion: '0.10.1', kvCacheMemoryBytes: 50 * GIB }), h100);
  assert.equal(old.serving!.availableKvBytes, estimateInferenceService(service({ ...base, engineVersion: '0.10.1' }), h100).serving!.availableKvBytes);
  assert.ok(old.assumptions.some((a) => a.startsWith('kvCacheMemoryBytes not applied: vLLM 0.10.1 has no --kv-cache-memory-bytes')));
  assert.notEqual(plain.availableKvBytes, 50 * GIB);
  // The launch check: 0.10.1's parser refuses the flag; SGLang and TGI have none.
  const gaps = (s: Partial<InferenceServiceSpec>) => engineUnsupported({ ...base, ...s } as InferenceServiceSpec).map((g) => `${g.path.join('.')}: ${g.message.slice(0, 60)}`);
  assert.deepEqual(gaps({ engine: 'vllm', engineVersion: '0.10.1', kvCacheMemoryBytes: 1 }), ['spec.kvCacheMemoryBytes: vLLM 0.10.1 has no --kv-cache-memory-bytes (from 0.11.0, PR ']);
  assert.deepEqual(gaps({ engine: 'vllm', engineVersion: '0.11.0', kvCacheMemoryBytes: 1 }), []);
  assert.equal(gaps({ engine: 'sglang', kvCacheMemoryBytes: 1 }).length, 1);
  assert.equal(gaps({ engine: 'tgi', kvCacheMemoryBytes: 1 }).length, 1);
});

test('a fixed cache that leaves no room for the rest is an error at kvCacheMemoryBytes, fixed by the most that fits', () => {
  const over = estimateInferenceService(service({ ...base, kvCacheMemoryBytes: 75 * GIB }), h100);
  assert.equal(over.ok, false);
  const f = over.findings.find((x) => x.code === 'memory-exceeds-capacity')!;
  assert.deepEqual(f.path, ['spec', 'kvCacheMemoryBytes']);
  assert.match(f.message, /vLLM checks nothing before it allocates the cache/);
  const fix = f.fixes?.find((x) => x.title.startsWith('Set kvCacheMemoryBytes to'));
  assert.ok(fix);
  const value = fix.edits[0].value as number;
  assert.ok(Number.isInteger(value) && value % 2 ** 20 === 0 && value < 75 * GIB);
  assert.equal(estimateInferenceService(service({ ...base, kvCacheMemoryBytes: value }), h100).ok, true, 'the fix checks clean');
  for (const bad of [0, -3, 1.5, 2 ** 45]) {
    const e = estimateInferenceService(service({ ...base, kvCacheMemoryBytes: bad }), h100);
    assert.ok(
      e.findings.some((x) => x.code === 'bad-estimate-input' && x.path.join('.') === 'spec.kvCacheMemoryBytes'),
      String(bad),
    );
  }
});

test('vllm serve --kv-cache-memory-bytes is read (human-readable sizes too), and the fix rewrites the flag in the script', () => {
  const text = '#!/bin/bash\nvllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192 --kv-cache-memory-bytes 75G\n';
  const c = checkText(text, '/w/serve.sh', { gpu: 'H100-SXM-80GB', engineVersion: '0.19.0' } as never);
  const e = c.estimates[0]?.estimate as ReturnType<typeof estimateInferenceService>;
  assert.equal(e.serving!.fixedKv?.bytes, 75 * GIB);
  const p = c.problems.find((x) => x.code === 'memory-exceeds-capacity');
  assert.ok(p, JSON.stringify(c.problems.map((x) => x.code)));
  assert.equal(text.slice(p.offset, p.offset + p.length), '75G');
  // The title in the file's own terms: the flag, not the spec field.
  const fix = p.fixes?.find((x) => x.title.startsWith('Set --kv-cache-memory-bytes to'));
  assert.ok(fix, JSON.stringify(p.fixes?.map((x) => x.title)));
  const fixed = applyEdits(text, fix.edits as never);
  assert.match(fixed, /--kv-cache-memory-bytes \d+\n$/);
  assert.equal(checkText(fixed, '/w/serve.sh', { gpu: 'H100-SXM-80GB', engineVersion: '0.19.0' } as never).problems.filter((x) => x.severity === 'error').length, 0);
});

test('--fully-sharded-loras splits the halves kept whole over the TP ranks; read beside --enable-lora, written at launch', () => {
  const r = 16;
  const { hidden: h, ffn: f, layers: l } = llama8b;
  const q = 32 * 128;
  const kv = 8 * 128;
  const o = { tp: 2, expertRanks: 2, expertParallel: false, layers: l, first: false, last: false, maxLoras: 1, maxRank: r, dt: 2, experts: true, embeddings: false };
  const perLayer = r * ((3 * h) / 2 + (q + 2 * kv) / 2) + r * (q / 2 + h / 2) + r * ((2 * h) / 2 + f) + r * (f / 2 + h / 2);
  assert.equal(vllmLoraSlotBytes(llama8b, { ...o, fullySharded: true }).bytes, 2 * l * perLayer);
  assert.ok(vllmLoraSlotBytes(llama8b, { ...o, fullySharded: true }).bytes < vllmLoraSlotBytes(llama8b, o).bytes);
  const sharded = estimateInferenceService(service({ ...base, tensorParallel: 2, lora: { maxLoras: 4, maxRank: 64, fullyShardedLoras: true } }), h100);
  const plain = estimateInferenceService(service({ ...base, tensorParallel: 2, lora: { maxLoras: 4, maxRank: 64 } }), h100);
  assert.ok(sharded.serving!.loraBytes! < plain.serving!.loraBytes!);
  assert.ok(sharded.assumptions.some((a) => a.includes('Fully sharded (--fully-sharded-loras): both halves of each slot split over the 2 tensor-parallel ranks')));
  // The reader: only beside --enable-lora.
  const read = (line: string) => (checkText(line, '/w/serve.sh', { gpu: 'H100-SXM-80GB' } as never).foreign?.[0]?.job.spec as unknown as InferenceServiceSpec | undefined)?.lora;
  assert.deepEqual(read('vllm serve meta-llama/Llama-3.1-8B-Instruct -tp 2 --enable-lora --fully-sharded-loras --max-loras 4\n'), { maxLoras: 4, fullyShardedLoras: true });
  assert.equal(read('vllm serve meta-llama/Llama-3.1-8B-Instruct -tp 2 --fully-sharded-loras\n'), undefined);
  const spec = { ...base, engine: 'vllm', lora: { fullyShardedLoras: true } } as InferenceServiceSpec;
  assert.ok(engineArgv(spec, { model: 'm', host: '127.0.0.1' })!.includes('--fully-sharded-loras'));
  assert.equal(engineUnsupported({ ...spec, engine: 'sglang' }).length, 1, 'SGLang has no fully sharded mode');
});
