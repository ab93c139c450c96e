import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { GPUS, LINKS, MODELS, findGpu, findLink, findModel, busBandwidthFactor, collectiveSeconds } from '../../../core/catalog/index';
import { countParams } from '../../../core/estimate/params';

test('every catalog entry has an id, aliases, a source and a one-line summary', () => {
  for (const e of [...GPUS, ...MODELS]) {
    assert.ok(e.id && Array.isArray(e.aliases) && e.source.length > 10 && e.summary.length > 10 && !e.summary.includes('\n'), e.id);
  }
  for (const l of LINKS) assert.ok(l.type && l.source.length > 10 && l.summary && l.effectiveBusGBps > 0 && l.effectiveBusGBps <= l.nominalGBps, l.type);
  const ids = [...GPUS.map((g) => g.id), ...MODELS.map((m) => m.id)];
  assert.equal(new Set(ids).size, ids.length, 'ids are unique');
});

test('GPU lookups by id and alias, case-insensitive; memory in bytes matches GiB', () => {
  const cases: [string, string][] = [
    ['H100-SXM-80GB', 'H100-SXM-80GB'],
    ['h100', 'H100-SXM-80GB'],
    ['NVIDIA H100 80GB HBM3', 'H100-SXM-80GB'],
    ['a100-40gb', 'A100-SXM-40GB'],
    ['mi300x', 'MI300X-192GB'],
    ['GB200', 'GB200-186GB'],
    ['l40s', 'L40S-48GB'],
    ['rtx4090', 'RTX-4090-24GB'],
    ['v100-32gb', 'V100-SXM-32GB'],
  ];
  for (const [q, id] of cases) assert.equal(findGpu(q)?.id, id, q);
  assert.equal(findGpu('h900'), undefined);
  // Usable capacity is a little under the marketing size (which, for HBM parts, is in GiB).
  for (const g of GPUS) assert.ok(Math.abs(g.memoryBytes / 1024 ** 3 - g.memoryGiB) < 1e-6 && g.memoryGiB <= g.nominalMemoryGB && g.memoryGiB > 0.9 * g.nominalMemoryGB, g.id);
  // composer GPU_AVAILABLE_FLOPS (dense): H100 SXM bf16 989.5 TF, A100 312 TF, V100 fp16 125 TF.
  assert.equal(findGpu('h100')?.tflops.bf16, 989.5);
  assert.equal(findGpu('a100')?.tflops.bf16, 312);
  assert.equal(findGpu('v100')?.tflops.fp16, 125);
});

test('every model of estimator-data/model_configs.json is in the catalog with the same shape', (t) => {
  const file = path.resolve(process.env.GANTRY_ESTIMATOR_DATA ?? path.resolve(process.cwd(), '../shared/estimator-data'), 'model_configs.json');
  if (!existsSync(file)) return t.skip(`no ${file} (set GANTRY_ESTIMATOR_DATA)`);
  const models = JSON.parse(readFileSync(file, 'utf8')).models as Record<string, Record<string, unknown>>;
  for (const [name, cfg] of Object.entries(models)) {
    const special: Record<string, string> = { 'GPT-2 (124M)': 'gpt2', 'GPT-2 medium (355M)': 'gpt2-medium', 'GPT-2 large (774M)': 'gpt2-large', 'GPT-2 XL (1.5B)': 'gpt2-xl', 'GPT-3 175B (Megatron example)': 'gpt3-175b' };
    const key = special[name] ?? name.replace(/ \(.*\)$/, '');
    const m = findModel(key);
    assert.ok(m, `${name} → ${key}`);
    assert.equal(m.architecture.layers, cfg.num_hidden_layers, name);
    assert.equal(m.architecture.hidden, cfg.hidden_size, name);
    assert.equal(m.architecture.heads, cfg.num_attention_heads, name);
  }
});

test('model lookups accept Hugging Face ids and -instruct/-it suffixes', () => {
  const cases: [string, string][] = [
    ['meta-llama/Llama-3.1-8B-Instruct', 'llama-3.1-8b'],
    ['meta-llama/Meta-Llama-3-70B-Instruct', 'llama-3-70b'],
    ['Qwen/Qwen2.5-72B-Instruct', 'qwen2.5-72b-instruct'],
    ['google/gemma-2-9b-it', 'gemma-2-9b'],
    ['mistralai/Mixtral-8x7B-Instruct-v0.1', 'mixtral-8x7b'],
    ['deepseek-ai/DeepSeek-V3', 'deepseek-v3'],
    ['LLAMA-3.1-70B', 'llama-3.1-70b'],
  ];
  for (const [q, id] of cases) assert.equal(findModel(q)?.id, id, q);
  assert.equal(findModel('llama-9-8b'), undefined);
});

// Parameter counts against the published totals; tolerance 1.5 % (biases and rounding ignored).
const PARAMS: [string, number, string][] = [
  ['llama-3.1-8b', 8.03e9, 'Meta model card: 8.03B'],
  ['llama-2-7b', 6.74e9, 'Llama 2 paper: 6.74B'],
  ['llama-3.1-70b', 70.6e9, 'Meta model card: 70.6B'],
  ['llama-3.1-405b', 405.9e9, 'Meta model card: 405B'],
  ['mixtral-8x7b', 46.7e9, 'Mistral: 46.7B total'],
  ['qwen2.5-7b', 7.61e9, 'Qwen2.5 card: 7.61B'],
  ['gemma-7b', 8.54e9, 'Gemma report: 8.54B'],
  ['bert-large-uncased', 335e6, 'BERT paper: 340M (335M counted by HF)'],
  ['bert-base-uncased', 109.5e6, 'BERT paper: 110M (109.5M counted by HF)'],
  ['distilbert-base-uncased', 66.4e6, 'DistilBERT paper: 66M'],
  ['biogpt', 347e6, 'BioGPT paper: 347M'],
  ['gemma-4-12b', 11.96e9, 'the Hub: 11,959,730,224'],
  ['gpt2', 124e6, 'GPT-2 small: 124M'],
  ['qwen2.5-vl-7b', 8.292e9, 'its checkpoint: 8,292,166,656 (676.6M vision)'],
  ['qwen2-vl-7b', 8.291e9, 'its checkpoint: 16,582,751,232 bytes in bf16'],
  ['qwen2-vl-2b', 2.21e9, 'Hugging Face, its derivatives: 2.21B'],
  ['qwen2.5-vl-32b', 33.45e9, 'its checkpoint size in public code: 66,905,436,672 bytes in bf16'],
];
for (const [id, published, src] of PARAMS) {
  test(`params: ${id} ≈ ${published / 1e9}B (${src}; ±1.5 %)`, () => {
    const m = findModel(id)!;
    const p = countParams(m.architecture, { learnedPositions: m.learnedPositions, extraParams: m.extraParams, totalParams: m.totalParams, activeParams: m.activeParams });
    assert.ok(Math.abs(p.total / published - 1) < 0.015, `${p.total}`);
  });
}

test('MoE active parameters: Mixtral 8x7B uses ~12.9B per token (Mistral: 12.9B active); ±2 %', () => {
  const m = findModel('mixtral-8x7b')!;
  const p = countParams(m.architecture);
  assert.ok(Math.abs(p.active / 12.9e9 - 1) < 0.02, `${p.active}`);
});

test('links: nccl-tests bus-bandwidth factors (doc/PERFORMANCE.md) and collective time', () => {
  assert.equal(busBandwidthFactor('all-reduce', 8), (2 * 7) / 8);
  assert.equal(busBandwidthFactor('all-gather', 8), 7 / 8);
  assert.equal(busBandwidthFactor('reduce-scatter', 4), 3 / 4);
  assert.equal(busBandwidthFactor('all-to-all', 2), 1 / 2);
  assert.equal(busBandwidthFactor('p2p', 2), 1);
  assert.equal(busBandwidthFactor('all-reduce', 1), 0);
  // 1 GB all-reduce over 8 GPUs at 370 GB/s busbw: 1e9 × 1.75 / 370e9 s.
  assert.ok(Math.abs(collectiveSeconds('all-reduce', 1e9, 8, 370) - 1.75 / 370) < 1e-12);
  assert.equal(findLink('nvlink4')?.effectiveBusGBps, 370); // NVIDIA, nccl-tests #212
  assert.equal(findLink('infiniband-ndr')?.effectiveBusGBps, 47); // NVIDIA, nccl-tests #290: 46–48 GB/s
  assert.equal(collectiveSeconds('all-reduce', 1e9, 8, 0), 0);
});
