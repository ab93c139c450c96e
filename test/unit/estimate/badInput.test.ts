import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { estimateInferenceService, estimateTrainingJob, numericLeaves } from '../../../core/estimate/index';
import type { TrainingJobDoc } from '../../../core/spec/types';
import { cluster, job, service } from './helpers';

const ok = { model: { preset: 'llama-3.1-8b' }, batch: { micro: 1, sequenceLength: 2048 } };

const BAD: [string, TrainingJobDoc, string[], RegExp][] = [
  ['0 GPUs per node', job({ ...ok, resources: { nodes: 1, gpusPerNode: 0 } }), ['spec', 'resources', 'gpusPerNode'], /at least 1/],
  ['0 nodes', job({ ...ok, resources: { nodes: 0, gpusPerNode: 8 } }), ['spec', 'resources', 'nodes'], /at least 1/],
  ['10^15 parameters', job({ ...ok, model: { architecture: { layers: 1000, hidden: 200000, heads: 1000, ffn: 800000, vocab: 1000000 } } }), ['spec', 'model'], /100 T/],
  ['micro > global', job({ ...ok, resources: { nodes: 1, gpusPerNode: 8 }, batch: { micro: 8, global: 4, sequenceLength: 2048 } }), ['spec', 'batch', 'global'], /smaller than batch.micro/],
  ['unknown preset with a suggestion', job({ ...ok, model: { preset: 'llama-3.1-8' } }), ['spec', 'model', 'preset'], /did you mean 'llama-3.1-8b'/],
  ['config.json that is not one', job({ ...ok, model: { config: './config.json' } }), ['spec', 'model', 'config'], /not a usable Hugging Face config.json/],
  ['config.json that cannot be read', job({ ...ok, model: { config: './missing.json' } }), ['spec', 'model', 'config'], /cannot read/],
  ['TP not dividing heads', job({ ...ok, resources: { nodes: 1, gpusPerNode: 6 }, parallelism: { tensor: 6 } }), ['spec', 'parallelism', 'tensor'], /does not divide/],
  ['more model-parallel ranks than GPUs', job({ ...ok, resources: { nodes: 1, gpusPerNode: 2 }, parallelism: { tensor: 4 } }), ['spec', 'parallelism'], /needs more GPUs/],
  ['negative sequence length', job({ ...ok, batch: { micro: 1, sequenceLength: -5 } }), ['spec', 'batch', 'sequenceLength'], /at least 1/],
  ['zero heads', job({ ...ok, model: { architecture: { layers: 2, hidden: 64, heads: 0, ffn: 128, vocab: 100 } } }), ['spec', 'model', 'architecture', 'heads'], /positive integer/],
  ['NaN hidden', job({ ...ok, model: { architecture: { layers: 2, hidden: NaN, heads: 2, ffn: 128, vocab: 100 } } }), ['spec', 'model', 'architecture', 'hidden'], /positive integer/],
];
const resolveConfig = (p: string) => (p === './config.json' ? '<html>not json</html>' : undefined);

for (const [name, doc, path, re] of BAD) {
  test(`bad input: ${name} → bad-estimate-input at ${path.join('.')}`, () => {
    const e = estimateTrainingJob(doc, undefined, { resolveConfig });
    const f = e.findings.find((x) => x.code === 'bad-estimate-input');
    assert.ok(f, JSON.stringify(e.findings));
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.path, path);
    assert.match(f.message, re);
    assert.equal(e.ok, false);
    assert.match(e.summary, /^estimate unavailable/);
  });
}

test('unknown GPU in the cluster → bad-estimate-input with a suggestion', () => {
  const e = estimateTrainingJob(job(ok), cluster('H10-SXM-80GB', 1));
  assert.match(e.findings[0].message, /did you mean 'H100-SXM-80GB'/);
});

test('bad service inputs', () => {
  const cases: [Parameters<typeof service>[0], string][] = [
    [{ model: { preset: 'llama-3.1-8b' }, gpuMemoryUtilization: 1.5 }, 'gpuMemoryUtilization'],
    [{ model: { preset: 'llama-3.1-8b' }, tensorParallel: 0 }, 'tensorParallel'],
    [{ model: { preset: 'llama-3.1-8b' }, tensorParallel: 3 }, 'tensorParallel'],
    [{ model: { preset: 'llama-3.1-8b' }, maxModelLen: -1 }, 'maxModelLen'],
    [{ model: { preset: 'nope-7b' } }, 'model'],
  ];
  for (const [spec, key] of cases) {
    const e = estimateInferenceService(service(spec), undefined);
    const f = e.findings.find((x) => x.code === 'bad-estimate-input');
    assert.ok(f, `${key}: ${JSON.stringify(e.findings)}`);
    assert.equal(f.path[1], key);
  }
});

test('documents with missing parts never throw', () => {
  const weird: unknown[] = [undefined, null, {}, { spec: null }, { spec: {} }, { spec: { batch: {} } }, { spec: { resources: {}, batch: { micro: 1 } } }, { spec: { model: 7, batch: 'x', resources: [] } }];
  for (const d of weird) {
    const e = estimateTrainingJob(d as TrainingJobDoc, undefined);
    assert.equal(e.ok, false);
    assert.ok(e.findings.length > 0);
    const s = estimateInferenceService(d as never, undefined);
    assert.equal(s.ok, false);
  }
});

// ---- fuzz: every numeric field of every result is finite and ≥ 0, and nothing needed repairing

function rng(seed: number) {
  let x = seed >>> 0;
  return () => (x = (x * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

test('fuzz: 3000 random training and serving specs give finite, non-negative numbers only', () => {
  const r = rng(42);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const n = () => pick([0, 1, 2, 3, 4, 7, 8, 16, 64, 1024, 1e6, 1e15, -1, 0.5, NaN, Infinity]);
  const presets = ['llama-3.1-8b', 'llama-3.1-405b', 'mixtral-8x7b', 'deepseek-v3', 'gpt2', 'bert-large-uncased', 'qwen3-30b-a3b', 'gemma-2-9b', 'nope'];
  const gpus = ['H100-SXM-80GB', 'V100-SXM-16GB', 'MI300X-192GB', 'L4-24GB', 'B200-180GB'];
  for (let i = 0; i < 1500; i++) {
    const model = r() < 0.8 ? { preset: pick(presets) } : { architecture: { layers: n(), hidden: n(), heads: n(), ffn: n(), vocab: n(), kvHeads: r() < 0.5 ? n() : undefined, moe: r() < 0.2 ? { experts: n(), activeExperts: n() } : undefined } };
    const doc = job({
      resources: { nodes: pick([1, 2, 4, 0, 3]), gpusPerNode: pick([1, 2, 4, 8, 0]) },
      model,
      precision: pick(['bf16-mixed', 'fp16-mixed', 'fp8-mixed', 'bf16', 'fp16', 'fp32'] as const),
      optimizer: { type: pick(['adamw', 'adam', 'adamw-8bit', 'adafactor', 'sgd', 'lion'] as const) },
      parallelism: { tensor: pick([1, 2, 4, 8, 3]), pipeline: pick([1, 2, 4]), context: pick([1, 2]), zero: pick([0, 1, 2, 3] as const), fsdp: pick(['none', 'full', 'hybrid', 'grad-op'] as const), sequenceParallel: r() < 0.5, expert: pick([1, 2]) },
      batch: { micro: n(), sequenceLength: pick([1, 128, 2048, 8192, 131072, 0, -3]), global: r() < 0.3 ? n() : undefined, gradientAccumulation: r() < 0.3 ? n() : undefined },
      activationCheckpointing: pick(['none', 'selective', 'full'] as const),
      attention: pick(['flash', 'sdpa', 'eager'] as const),
      finetune: r() < 0.2 ? { method: pick(['lora', 'qlora'] as const), rank: pick([8, 64]) } : undefined,
      training: { tokens: r() < 0.5 ? n() : undefined, mfu: r() < 0.3 ? r() : undefined },
    });
    const cl = r() < 0.7 ? cluster(pick(gpus), pick([1, 4, 8]), pick([1, 2, 4]), pick(['infiniband-ndr', 'ethernet', 'none', 'roce'])) : undefined;
    const e = estimateTrainingJob(doc, cl);
    for (const [path, v] of numericLeaves(e)) assert.ok(Number.isFinite(v) && v >= 0, `${path} = ${v} for ${JSON.stringify(doc.spec)}`);
    assert.ok(!e.assumptions.some((a) => a.startsWith('internal:')), `${e.assumptions.find((a) => a.startsWith('internal:'))} for ${JSON.stringify(doc.spec)}`);

    const sdoc = service({
      engine: pick(['vllm', 'sglang', 'tgi'] as const),
      model,
      tensorParallel: pick([1, 2, 4, 8, 0]),
      pipelineParallel: pick([1, 2]),
      maxModelLen: r() < 0.5 ? n() : undefined,
      gpuMemoryUtilization: r() < 0.5 ? pick([0.5, 0.9, 0.95, 1, 0, 2]) : undefined,
      kvCacheDtype: pick(['auto', 'fp8', 'bf16'] as const),
      quantization: pick(['none', 'fp8', 'awq', 'bitsandbytes-4bit'] as const),
      dtype: pick(['auto', 'fp32'] as const),
      maxNumSeqs: r() < 0.3 ? n() : undefined,
      blockSize: r() < 0.2 ? n() : undefined,
      enforceEager: r() < 0.5,
    });
    const s = estimateInferenceService(sdoc, cl);
    for (const [path, v] of numericLeaves(s)) assert.ok(Number.isFinite(v) && v >= 0, `${path} = ${v}`);
    assert.ok(!s.assumptions.some((a) => a.startsWith('internal:')), `${s.assumptions.find((a) => a.startsWith('internal:'))} for ${JSON.stringify(sdoc.spec)}`);
  }
});
