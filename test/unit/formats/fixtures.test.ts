// Every serving fixture (test/fixtures/foreign/serving/), checked as `gantry check` checks it
// (checkFile): the reader finds the command, the GPU and count from the file's context, and the
// estimator's figures are the ones a Gantry InferenceService of the same configuration gets.
// Where the llm-d planner's vLLM 0.19 startup logs give the same configuration (H100 80GB HBM3,
// --gpu-memory-utilization 0.95, --max-model-len 8192; ../shared/estimator-data serving_kv.csv
// SV-017/019/024/027), Gantry's KV tokens must also be within 1 % of what vLLM printed.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText, figures, fixture } from './servingHelpers';

interface Row {
  file: string;
  engine: 'vllm' | 'sglang';
  gpu: string;
  /** The estimator's figures (tolerance 0.5 %). */
  weightsGiB: number;
  kvTokens: number;
  maxConcurrency: number;
  /** vLLM's own startup log for the same configuration: "GPU KV cache size" and "Maximum concurrency". */
  vllm?: { kvTokens: number; maxConcurrency: number; source: string };
  index?: number;
  errors?: string[];
}

const ROWS: Row[] = [
  { file: 'deployment.yaml', engine: 'vllm', gpu: 'H100-SXM-80GB', weightsGiB: 14.96, kvTokens: 475_664, maxConcurrency: 58.06, vllm: { kvTokens: 476_016, maxConcurrency: 58.11, source: 'SV-024' } },
  { file: 'serve.sbatch', engine: 'vllm', gpu: 'H100-SXM-80GB', weightsGiB: 7.48, kvTokens: 1_043_568, maxConcurrency: 127.39, vllm: { kvTokens: 1_044_688, maxConcurrency: 127.53, source: 'SV-027 (TP 2)' } },
  { file: 'skypilot.yaml', engine: 'vllm', gpu: 'H100-SXM-80GB', weightsGiB: 14.96, kvTokens: 951_344, maxConcurrency: 116.13, vllm: { kvTokens: 952_032, maxConcurrency: 116.21, source: 'SV-017 (fp8 KV cache)' } },
  { file: 'Dockerfile', engine: 'vllm', gpu: 'H100-SXM-80GB', weightsGiB: 8.46, kvTokens: 528_912, maxConcurrency: 64.56, vllm: { kvTokens: 529_248, maxConcurrency: 64.61, source: 'SV-019 (fp8 weights)' } },
  { file: 'lws.yaml', engine: 'vllm', gpu: 'H100-SXM-80GB', weightsGiB: 47.25, kvTokens: 664_640, maxConcurrency: 40.57 },
  { file: 'helm-rendered.yaml', engine: 'vllm', gpu: 'A100-SXM-80GB', weightsGiB: 32.85, kvTokens: 493_568, maxConcurrency: 15.06 },
  { file: 'helm-rendered.yaml', index: 1, engine: 'vllm', gpu: 'L4-24GB', weightsGiB: 0.92, kvTokens: 1_579_600, maxConcurrency: 385.64 },
  { file: 'compose.yaml', engine: 'vllm', gpu: 'H100-SXM-80GB', weightsGiB: 13.5, kvTokens: 463_520, maxConcurrency: 14.15 },
  { file: 'sglang.sh', engine: 'sglang', gpu: 'H100-SXM-80GB', weightsGiB: 14.18, kvTokens: 985_408, maxConcurrency: 60.14 },
  { file: 'kserve.yaml', engine: 'vllm', gpu: 'L4-24GB', weightsGiB: 14.96, kvTokens: 37_520, maxConcurrency: 0.573, errors: ['kv-cache-too-small'] },
];

const near = (got: number, want: number, rel: number, what: string) => assert.ok(Math.abs(got - want) <= Math.abs(want) * rel + 0.011, `${what}: got ${got}, want ${want} ± ${rel * 100} %`);

for (const r of ROWS) {
  test(`${r.file}${r.index ? ` #${r.index}` : ''}: the command, its GPU and the estimator's figures`, () => {
    const c = checkText(fixture(r.file), r.file);
    assert.equal(c.gantry, true);
    const spec = c.foreign?.[r.index ?? 0];
    assert.ok(spec, 'the serving command is found');
    assert.equal(spec.job.spec.engine, r.engine);
    const f = figures(c, r.index ?? 0);
    assert.ok(f, `an estimate: ${c.problems.map((p) => p.message).join('; ')}`);
    assert.equal(f.gpu, r.gpu);
    near(f.weightsGiB, r.weightsGiB, 0.005, 'weights GiB');
    near(f.kvTokens, r.kvTokens, 0.005, 'KV tokens');
    near(f.maxConcurrency, r.maxConcurrency, 0.005, 'max concurrency');
    if (r.vllm) {
      near(f.kvTokens, r.vllm.kvTokens, 0.01, `KV tokens against vLLM's log (${r.vllm.source})`);
      near(f.maxConcurrency, r.vllm.maxConcurrency, 0.01, `concurrency against vLLM's log (${r.vllm.source})`);
    }
    const errors = c.problems.filter((p) => p.severity === 'error').map((p) => p.code);
    assert.deepEqual(errors, r.errors ?? []);
    assert.ok(
      spec.assumptions.some((a) => a.startsWith('GPU')),
      'the GPU assumption is stated',
    );
  });
}

test('the Helm-rendered file: $(VAR) from env, joined --x=4 flags, the GPU from node affinity, the List pod with sh -c', () => {
  const text = fixture('helm-rendered.yaml');
  const c = checkText(text, 'rendered.yaml');
  assert.equal(c.foreign?.length, 2);
  const [dep, smoke] = c.foreign!;
  assert.equal(dep.job.spec.tensorParallel, 4);
  assert.deepEqual(dep.job.spec.model, { preset: 'llama-3.1-70b', weights: 'meta-llama/Llama-3.1-70B-Instruct' });
  assert.deepEqual(dep.job.spec.extraArgs, ['--disable-log-requests']);
  assert.equal((dep.cluster!.spec as { nodes: { gpu: { count: number } } }).nodes.gpu.count, 4);
  // `--max-model-len=32768`: the value inside the joined word.
  const len = dep.sources.get('spec.maxModelLen')!;
  assert.equal(text.slice(len.span.offset, len.span.offset + len.span.length), '32768');
  // `--tensor-parallel-size=$(TP)`: a fix edits the env value TP comes from.
  const tp = dep.sources.get('spec.tensorParallel')!;
  const edit = tp.write?.(4);
  assert.ok(edit);
  assert.equal(text.slice(edit.offset, edit.offset + edit.length), '4');
  assert.ok(text.slice(edit.offset - 45, edit.offset).includes('name: TP'));
  assert.equal(smoke.job.spec.enforceEager, true);
  assert.equal(smoke.job.spec.maxModelLen, 4096);
});

test('the LeaderWorkerSet: the leader command, tensor 8 × pipeline 2 over the group size of 2 pods', () => {
  const c = checkText(fixture('lws.yaml'), 'lws.yaml');
  assert.equal(c.foreign?.length, 1);
  const s = c.foreign![0];
  assert.equal(s.job.spec.tensorParallel, 8);
  assert.equal(s.job.spec.pipelineParallel, 2);
  assert.deepEqual((s.cluster!.spec as { nodes: unknown }).nodes, { count: 2, gpu: { model: 'H100-SXM-80GB', count: 8 } });
  assert.ok(s.label.includes('LeaderWorkerSet vllm-405b'));
});

test('a KServe ServingRuntime (a template serving /mnt/models) is not estimated; its InferenceService is', () => {
  const c = checkText(fixture('kserve.yaml'), 'kserve.yaml');
  assert.equal(c.foreign?.length, 1);
  assert.ok(c.foreign![0].label.startsWith('KServe huggingface runtime'));
});
