// Properties every estimate keeps, on every catalog model, whatever its numbers: no exception, every
// figure finite and non-negative, no 'NaN' / 'undefined' / '[object' in the text a user reads, and the
// directions a user relies on when turning a knob (more memory utilization never means fewer KV tokens,
// a larger micro-batch never less memory, …). These tests check no figure against a measurement (the
// accuracy report does, bench/estimator.mjs): they catch the model or combination that breaks the
// arithmetic, which a table of measured rows never reaches.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { estimateInferenceService, estimateTrainingJob } from '../../../core/estimate/index';
import { GPU_IDS, MODEL_IDS } from '../../../core/catalog/index';
import type { ServingEstimate, TrainingEstimate } from '../../../core/estimate/types';
import type { InferenceServiceSpec, TrainingJobSpec } from '../../../core/spec/types';
import { cluster, job, service } from './helpers';

/** Paths of the numbers in `o` that are not finite and non-negative. */
function badNumbers(o: unknown, at = ''): string[] {
  if (typeof o === 'number') return Number.isFinite(o) && o >= 0 ? [] : [`${at}=${o}`];
  if (!o || typeof o !== 'object') return [];
  return Object.entries(o).flatMap(([k, v]) => badNumbers(v, `${at}.${k}`));
}

// 'Infinity Fabric' is AMD's link, not a number that overflowed.
const BROKEN_TEXT = /NaN|undefined|Infinity(?! Fabric)|\[object /;

function brokenText(e: ServingEstimate | TrainingEstimate): string[] {
  return [e.summary, ...e.assumptions, ...e.findings.map((f) => f.message)].filter((s) => typeof s !== 'string' || BROKEN_TEXT.test(s));
}

function checkEstimate(what: string, e: ServingEstimate | TrainingEstimate): void {
  const bad = badNumbers({ memory: e.memory, serving: (e as ServingEstimate).serving, time: (e as TrainingEstimate).time, interconnect: (e as TrainingEstimate).interconnect });
  assert.deepEqual(bad, [], `${what}: figures not finite and non-negative`);
  assert.deepEqual(brokenText(e), [], `${what}: text with a broken value`);
}

const kvTokens = (e: ServingEstimate) => (e.ok ? (e.serving?.kvCacheTokens ?? 0) : 0);
const allocated = (e: TrainingEstimate) => e.memory?.perGpu.allocatedBytes ?? 0;

test('vLLM, every catalog model on an H100 and an L4 at TP 1 and 2: sound figures, and KV tokens move the way each knob says', () => {
  for (const preset of MODEL_IDS) {
    for (const gpu of ['H100-SXM-80GB', 'L4-24GB']) {
      for (const tensorParallel of [1, 2]) {
        const base: Partial<InferenceServiceSpec> & Pick<InferenceServiceSpec, 'model'> = { model: { preset }, tensorParallel, maxModelLen: 8192, engineVersion: '0.11.0', gpuMemoryUtilization: 0.9 };
        const at = (extra: Partial<InferenceServiceSpec>) => estimateInferenceService(service({ ...base, ...extra }), cluster(gpu, 8), { noFixes: true });
        const what = `${preset} on ${gpu}, TP ${tensorParallel}`;
        const plain = at({});
        const lowerUtil = at({ gpuMemoryUtilization: 0.8 });
        const fp8Kv = at({ kvCacheDtype: 'fp8' });
        const eager = at({ enforceEager: true });
        const longer = at({ maxModelLen: 32768 });
        for (const e of [plain, lowerUtil, fp8Kv, eager, longer]) checkEstimate(what, e);
        if (!plain.ok) continue;
        assert.ok(kvTokens(lowerUtil) <= kvTokens(plain), `${what}: utilization 0.8 gives more KV tokens (${kvTokens(lowerUtil)}) than 0.9 (${kvTokens(plain)})`);
        // fp8 halves a token's bytes where the KV cache is in 16 bits; never fewer tokens.
        if (fp8Kv.ok) assert.ok(kvTokens(fp8Kv) >= kvTokens(plain), `${what}: an fp8 KV cache holds fewer tokens (${kvTokens(fp8Kv)}) than bf16 (${kvTokens(plain)})`);
        if (eager.ok) assert.ok(kvTokens(eager) >= kvTokens(plain), `${what}: eager mode holds fewer KV tokens (${kvTokens(eager)}) than CUDA graphs (${kvTokens(plain)})`);
        // A longer max_model_len profiles at least as many tokens; the pool never grows (a few tokens of block rounding aside).
        if (longer.ok) assert.ok(kvTokens(longer) <= kvTokens(plain) + 64, `${what}: max_model_len 32768 holds more KV tokens (${kvTokens(longer)}) than 8192 (${kvTokens(plain)})`);
      }
    }
  }
});

test('training, every catalog model under FSDP on 8 H100s: sound figures, and memory moves the way each knob says', () => {
  for (const preset of MODEL_IDS) {
    const base: Partial<TrainingJobSpec> & Pick<TrainingJobSpec, 'model' | 'batch'> = { model: { preset }, resources: { nodes: 1, gpusPerNode: 8 }, batch: { micro: 1, sequenceLength: 2048 }, parallelism: { fsdp: 'full' } };
    const at = (extra: Partial<TrainingJobSpec>, nodes = 1) => estimateTrainingJob(job({ ...base, ...extra }), cluster('H100-SXM-80GB', 8, nodes), { noFixes: true });
    const plain = at({});
    const biggerBatch = at({ batch: { micro: 2, sequenceLength: 2048 } });
    const longer = at({ batch: { micro: 1, sequenceLength: 4096 } });
    const twoNodes = at({ resources: { nodes: 2, gpusPerNode: 8 } }, 2);
    const selective = at({ activationCheckpointing: 'selective' });
    const full = at({ activationCheckpointing: 'full' });
    for (const e of [plain, biggerBatch, longer, twoNodes, selective, full]) checkEstimate(preset, e);
    assert.ok(allocated(biggerBatch) >= allocated(plain), `${preset}: micro-batch 2 takes less memory than 1`);
    assert.ok(allocated(longer) >= allocated(plain), `${preset}: sequence 4096 takes less memory than 2048`);
    assert.ok(allocated(twoNodes) <= allocated(plain), `${preset}: FSDP over 16 GPUs takes more memory per GPU than over 8`);
    assert.ok(allocated(selective) <= allocated(plain), `${preset}: selective checkpointing takes more memory than none`);
    assert.ok(allocated(full) <= allocated(selective), `${preset}: full checkpointing takes more memory than selective`);
    if (plain.time) assert.ok(plain.time.stepSeconds > 0, `${preset}: a step of no time`);
  }
});

test('3,000 random specs (engines, versions, quantizations, parallel layouts, training regimes) on every GPU: no exception, sound figures and text', () => {
  // A fixed linear congruential sequence: the same specs on every run, so a failure names a spec that fails again.
  let seed = 12345;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  const maybe = (p: number) => rnd() < p;
  for (let i = 0; i < 3000; i++) {
    const gpu = pick(GPU_IDS);
    const perNode = pick([1, 2, 4, 8]);
    if (maybe(0.5)) {
      const spec: Partial<InferenceServiceSpec> & Pick<InferenceServiceSpec, 'model'> = { engine: pick(['vllm', 'vllm', 'sglang', 'tgi'] as const), model: { preset: pick(MODEL_IDS) }, tensorParallel: pick([1, 2, 4, 8].filter((t) => t <= perNode)) };
      if (maybe(0.3)) spec.pipelineParallel = pick([1, 2]);
      if (maybe(0.5)) spec.engineVersion = pick(['0.4.6', '0.5.4', '0.6.3', '0.7.3', '0.8.4', '0.8.5', '0.9.2', '0.10.1', '0.11.0', '0.13.0', '0.19.0', '0.24.0', '0.28.0', '3.0.1']);
      if (maybe(0.5)) spec.maxModelLen = pick([512, 2048, 32768, 131072, 'auto'] as const);
      if (maybe(0.3)) spec.gpuMemoryUtilization = pick([0.3, 0.5, 0.95, 1]);
      if (maybe(0.3)) spec.quantization = pick(['fp8', 'awq', 'gptq', 'bitsandbytes-4bit', 'mxfp4', 'nvfp4'] as const);
      if (maybe(0.3)) spec.kvCacheDtype = pick(['fp8', 'fp8-e5m2'] as const);
      if (maybe(0.2)) spec.enforceEager = true;
      if (maybe(0.2)) spec.expertParallel = true;
      if (maybe(0.2)) spec.maxNumSeqs = pick([1, 16, 1024]);
      if (maybe(0.2)) spec.maxNumBatchedTokens = pick([256, 2048, 16384]);
      if (maybe(0.1)) spec.multimodal = { limitPerPrompt: { image: pick([0, 1, 4]), video: pick([0, 1]) } };
      checkEstimate(`${JSON.stringify(spec)} on ${gpu}`, estimateInferenceService(service(spec), cluster(gpu, perNode)));
    } else {
      const nodes = pick([1, 1, 2, 4]);
      const spec: Partial<TrainingJobSpec> & Pick<TrainingJobSpec, 'model' | 'batch'> = { model: { preset: pick(MODEL_IDS) }, resources: { nodes, gpusPerNode: perNode }, batch: { micro: pick([1, 2, 8]), sequenceLength: pick([512, 4096, 32768]) } };
      if (maybe(0.5)) spec.precision = pick(['bf16-mixed', 'fp16-mixed', 'fp8-mixed', 'bf16', 'fp32'] as const);
      if (maybe(0.5)) spec.parallelism = { fsdp: pick(['none', 'full', 'hybrid', 'grad-op'] as const), tensor: pick([1, 2].filter((t) => t <= perNode)), zero: pick([0, 1, 2, 3] as const) };
      if (maybe(0.2)) spec.parallelism = { ...spec.parallelism, pipeline: 2, virtualPipelineStages: pick([1, 2]) };
      if (maybe(0.2)) spec.parallelism = { ...spec.parallelism, offload: pick(['optimizer', 'params'] as const) };
      if (maybe(0.1)) spec.parallelism = { ...spec.parallelism, context: 2, expert: pick([1, 2]) };
      if (maybe(0.3)) spec.activationCheckpointing = pick(['none', 'selective', 'full'] as const);
      if (maybe(0.3)) spec.finetune = { method: pick(['full', 'lora', 'qlora'] as const), rank: pick([8, 64]) };
      if (maybe(0.3)) spec.optimizer = { type: pick(['adamw', 'adamw-8bit', 'sgd', 'lion', 'adafactor'] as const), paged: maybe(0.3), implementation: pick(['foreach', 'fused'] as const) };
      if (maybe(0.2)) spec.compile = true;
      if (maybe(0.2)) spec.attention = pick(['sdpa', 'eager', 'cudnn'] as const);
      checkEstimate(`${JSON.stringify(spec)} on ${gpu}`, estimateTrainingJob(job(spec), cluster(gpu, perNode, nodes)));
    }
  }
});
