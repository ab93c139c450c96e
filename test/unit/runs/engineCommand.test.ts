// Every InferenceService field with an engine flag reaches the engine with its value, the same in
// every backend's rendering: the local plan (▶ Run confirmation, gantry run --dry-run), a Slurm
// cluster's plan and the Slurm batch script (issue 15 items 1 and 3).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { planLaunch } from '../../../core/runs/plan';
import { renderBatchScript } from '../../../core/runs/slurm/batchScript';
import { engineUnsupported } from '../../../core/runs/engineCommand';
import type { ClusterDoc, Engine, InferenceServiceDoc, InferenceServiceSpec } from '../../../core/spec/types';

const cluster = (type: 'local' | 'slurm'): ClusterDoc => ({ apiVersion: 'gantry/v1', kind: 'Cluster', metadata: { name: 'c' }, spec: { scheduler: { type }, nodes: { count: 1, gpu: { model: 'H100-SXM-80GB', count: 8 } } } });
const svc = (engine: Engine, extra: Partial<InferenceServiceSpec>): InferenceServiceDoc => ({
  apiVersion: 'gantry/v1',
  kind: 'InferenceService',
  metadata: { name: 's' },
  spec: { cluster: 'c', engine, model: { preset: 'llama-3-8b', weights: 'meta-llama/Meta-Llama-3-8B' }, ...extra },
});

type Row = [Engine, Partial<InferenceServiceSpec>, string[]];
const lora = { adapters: [{ name: 'bot', path: '/ckpt/bot' }], maxRank: 16, maxLoras: 2 };
const ROWS: Row[] = [
  ['vllm', { dtype: 'bf16' }, ['--dtype', 'bfloat16']],
  ['vllm', { quantization: 'fp8' }, ['--quantization', 'fp8']],
  ['vllm', { kvCacheDtype: 'fp8' }, ['--kv-cache-dtype', 'fp8']],
  ['vllm', { tensorParallel: 2 }, ['--tensor-parallel-size', '2']],
  ['vllm', { pipelineParallel: 2 }, ['--pipeline-parallel-size', '2']],
  ['vllm', { dataParallel: 2 }, ['--data-parallel-size', '2']],
  ['vllm', { expertParallel: true }, ['--enable-expert-parallel']],
  ['vllm', { maxModelLen: 8192 }, ['--max-model-len', '8192']],
  ['vllm', { maxNumSeqs: 64 }, ['--max-num-seqs', '64']],
  ['vllm', { maxNumBatchedTokens: 4096 }, ['--max-num-batched-tokens', '4096']],
  ['vllm', { gpuMemoryUtilization: 0.85 }, ['--gpu-memory-utilization', '0.85']],
  ['vllm', { blockSize: 32 }, ['--block-size', '32']],
  ['vllm', { enforceEager: true }, ['--enforce-eager']],
  ['vllm', { enablePrefixCaching: true }, ['--enable-prefix-caching']],
  ['vllm', { lora }, ['--enable-lora', '--lora-modules', 'bot=/ckpt/bot', '--max-lora-rank', '16', '--max-loras', '2']],
  ['vllm', { port: 9000 }, ['--port', '9000']],
  ['vllm', { multimodal: { limitPerPrompt: { image: 2, video: 0 }, skipProfiling: true, languageModelOnly: true } }, ['--limit-mm-per-prompt', '{"image":2,"video":0}', '--skip-mm-profiling', '--language-model-only']],
  ['sglang', { dtype: 'fp16' }, ['--dtype', 'float16']],
  ['sglang', { quantization: 'awq' }, ['--quantization', 'awq']],
  ['sglang', { kvCacheDtype: 'fp8-e5m2' }, ['--kv-cache-dtype', 'fp8_e5m2']],
  ['sglang', { tensorParallel: 2 }, ['--tp-size', '2']],
  ['sglang', { dataParallel: 2 }, ['--dp-size', '2']],
  ['sglang', { maxModelLen: 8192 }, ['--context-length', '8192']],
  ['sglang', { maxNumSeqs: 64 }, ['--max-running-requests', '64']],
  ['sglang', { gpuMemoryUtilization: 0.85 }, ['--mem-fraction-static', '0.85']],
  ['sglang', { enforceEager: true }, ['--disable-cuda-graph']],
  ['sglang', { enablePrefixCaching: false }, ['--disable-radix-cache']],
  ['sglang', { lora: { adapters: lora.adapters } }, ['--lora-paths', 'bot=/ckpt/bot']],
  ['tgi', { dtype: 'bf16' }, ['--dtype', 'bfloat16']],
  ['tgi', { quantization: 'bitsandbytes-4bit' }, ['--quantize', 'bitsandbytes-nf4']],
  ['tgi', { tensorParallel: 2 }, ['--num-shard', '2']],
  ['tgi', { maxModelLen: 8192 }, ['--max-total-tokens', '8192']],
  ['tgi', { maxNumSeqs: 64 }, ['--max-concurrent-requests', '64']],
  ['tgi', { maxNumBatchedTokens: 4096 }, ['--max-batch-prefill-tokens', '4096']],
  ['tgi', { gpuMemoryUtilization: 0.85 }, ['--cuda-memory-fraction', '0.85']],
  ['tgi', { enforceEager: true }, ['--cuda-graphs', '0']],
];

/** Whether `seq` appears contiguously in `argv`. */
const contains = (argv: string[], seq: string[]) => argv.some((_, i) => seq.every((w, j) => argv[i + j] === w));
/** The srun line of the script as words (shQuote single-quotes a value only where it needs to). */
const scriptWords = (text: string) =>
  text
    .split('\n')
    .find((l) => l.startsWith('srun '))!
    .split(' ')
    .map((w) => w.replace(/^'(.*)'$/, '$1'));

for (const [engine, extra, flags] of ROWS) {
  test(`${engine} ${JSON.stringify(extra)} → ${flags.join(' ')} in the local plan, the Slurm plan and the batch script`, () => {
    const doc = svc(engine, extra);
    const local = planLaunch({ doc, docIndex: 0, specFile: '/w/s.yaml', clusters: [cluster('local')] });
    assert.ok(local.ok, JSON.stringify(local));
    assert.ok(contains(local.plan.command, flags), local.plan.command.join(' '));
    const slurm = planLaunch({ doc, docIndex: 0, specFile: '/w/s.yaml', clusters: [cluster('slurm')] });
    assert.ok(slurm.ok, JSON.stringify(slurm));
    assert.ok(contains(slurm.plan.command, flags), slurm.plan.command.join(' '));
    const words = scriptWords(renderBatchScript(doc, cluster('slurm')).text);
    assert.ok(contains(words, flags), words.join(' '));
    // Apart from the bind address, the Slurm script runs exactly the Slurm plan's command.
    assert.ok(contains(words, slurm.plan.command), `${words.join(' ')}\n${slurm.plan.command.join(' ')}`);
    assert.deepEqual(engineUnsupported(doc.spec), []);
  });
}

test('a field the engine has no flag for is reported on the field, not silently dropped', () => {
  const gaps = engineUnsupported(svc('tgi', { pipelineParallel: 2, blockSize: 32, enablePrefixCaching: true, dtype: 'fp32' }).spec);
  assert.deepEqual(gaps.map((g) => g.path.join('.')).sort(), ['spec.blockSize', 'spec.dtype', 'spec.enablePrefixCaching', 'spec.pipelineParallel']);
  assert.match(gaps[0].message, /^TGI has no launch flag for/);
  assert.deepEqual(
    engineUnsupported(svc('vllm', { quantization: 'int4' }).spec).map((g) => g.path.join('.')),
    ['spec.quantization'],
  );
});

test("the model is the catalog's Hugging Face repo and the host is per backend", () => {
  const doc = svc('vllm', {});
  const local = planLaunch({ doc, docIndex: 0, specFile: '/w/s.yaml', clusters: [cluster('local')] });
  assert.ok(local.ok);
  assert.deepEqual(local.plan.command.slice(0, 3), ['vllm', 'serve', 'meta-llama/Meta-Llama-3-8B']);
  assert.ok(contains(local.plan.command, ['--host', '127.0.0.1']));
  assert.ok(contains(scriptWords(renderBatchScript(doc, cluster('slurm')).text), ['--host', '0.0.0.0']));
});
