// Measured figures from the tools' own log lines (fixtures in test/fixtures/logs, in the tools'
// formats), and the measured-vs-estimated comparison the `last run` lens and the panel show.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { measureLines, readNumber, MAX_LINE_CHARS } from '../../../core/logs/measured';
import { compareRun, formatPct, lastRunTitle, summaryLines, type RunOutcome } from '../../../core/logs/versus';
import { sanitizeLine } from '../../../core/logs/sanitize';
import { repo } from '../helpers';

const fixture = (name: string) =>
  readFileSync(repo('test/fixtures/logs', name), 'utf8')
    .split('\n')
    .map((l) => sanitizeLine(l));
const lineOf = (name: string, needle: string) => fixture(name).findIndex((l) => l.includes(needle));

test('measured: vLLM V1 startup', () => {
  const f = measureLines(fixture('vllm-v1-startup.log'));
  assert.equal(f.tool, 'vllm');
  assert.deepEqual(f.weightsGiB, { value: 14.9889, line: lineOf('vllm-v1-startup.log', 'Model loading took') });
  assert.deepEqual(f.kvCacheGiB, { value: 54.79, line: lineOf('vllm-v1-startup.log', 'Available KV cache memory') });
  assert.deepEqual(f.kvCacheTokens, { value: 448832, line: lineOf('vllm-v1-startup.log', 'GPU KV cache size') });
  assert.deepEqual(f.maxConcurrency, { value: 54.79, line: lineOf('vllm-v1-startup.log', 'Maximum concurrency'), tokensPerRequest: 8192 });
  assert.equal(f.gpuBlocks, undefined);
  assert.equal(f.oom, undefined);
});

test('measured: vLLM V0 startup (memory profiling lines, # GPU blocks)', () => {
  const f = measureLines(fixture('vllm-v0-startup.log'));
  assert.deepEqual(f.deviceTotalGiB, { value: 79.19, line: lineOf('vllm-v0-startup.log', 'total_gpu_memory'), source: 'vLLM total_gpu_memory' });
  assert.equal(f.weightsGiB?.value, 14.9888); // "Loading model weights took 14.9888 GB" comes first
  assert.equal(f.requestedGiB?.value, 71.27);
  assert.equal(f.kvCacheGiB?.value, 54.83);
  assert.equal(f.gpuBlocks?.value, 28072);
  assert.deepEqual(f.maxConcurrency, { value: 54.83, line: lineOf('vllm-v0-startup.log', 'Maximum concurrency'), tokensPerRequest: 8192 });
});

test('measured: vLLM merged capacity line and "# CUDA blocks"', () => {
  const f = measureLines(['INFO 11-22 16:30:43 [kv_cache_utils.py:1087] GPU KV cache size: 34,952 tokens, Maximum concurrency for 8,192 tokens per request: 4.27x', 'INFO 11-22 executor_base.py:110] # CUDA blocks: 2184, # CPU blocks: 2048']);
  assert.equal(f.kvCacheTokens?.value, 34952);
  assert.deepEqual(f.maxConcurrency, { value: 4.27, line: 0, tokensPerRequest: 8192 });
  assert.equal(f.gpuBlocks?.value, 2184);
});

test('measured: SGLang startup', () => {
  const f = measureLines(fixture('sglang-startup.log'));
  assert.equal(f.tool, 'sglang');
  assert.equal(f.weightsGiB?.value, 15.08);
  assert.deepEqual(f.kvCacheTokens, { value: 412845, line: lineOf('sglang-startup.log', 'KV Cache is allocated') });
  assert.equal(f.kvCacheGiB?.value, 50.4);
  assert.equal(f.maxRunningRequests?.value, 4096);
  assert.equal(f.contextLen?.value, 131072);
  assert.equal(measureLines(['[2026-03-11 13:53:23 TP0] KV Cache is allocated. #tokens: 383872, KV size: 19.36 GB']).kvCacheGiB?.value, 19.36);
});

test('measured: torchtitan steps (ANSI colours in the raw line; first step left out of the means)', () => {
  const raw = readFileSync(repo('test/fixtures/logs/torchtitan-train.log'), 'utf8').split('\n');
  assert.ok(raw[1].includes('\x1b['), 'the fixture keeps the colour codes torchtitan prints');
  for (const lines of [raw, fixture('torchtitan-train.log')]) {
    const f = measureLines(lines);
    assert.equal(f.tool, 'torchtitan');
    assert.equal(f.lastStep?.value, 40);
    assert.deepEqual(f.peakReservedGiB, { value: 59.87, line: 4, pct: 75.6 });
    // The device total from the first step's share: 41.49 GiB is 52.39 % of an 80 GB H100's 79.19 GiB.
    assert.deepEqual(f.deviceTotalGiB, { value: 79.19, line: 1, source: 'torchtitan memory share' });
    assert.deepEqual(f.tokensPerSecPerGpu, { value: 7885, line: 5, samples: 4 });
    assert.equal(f.mfuPct?.value, 43.91);
    assert.equal(f.tflopsPerGpu?.samples, 4);
  }
});

test('measured: HF Trainer summary', () => {
  const f = measureLines(fixture('hf-trainer.log'));
  assert.equal(f.tool, 'hf-trainer');
  assert.equal(f.trainRuntimeS?.value, 1843.2217);
  assert.equal(f.trainTokensPerSec?.value, 22222.5);
  assert.equal(f.trainSamplesPerSec?.value, 10.851);
  assert.equal(f.trainLoss?.value, 1.7215);
});

test('measured: CUDA OOM, current PyTorch format', () => {
  const f = measureLines(fixture('oom-titan.log'));
  assert.deepEqual(f.oom, { line: 4, gpu: 0, triedGiB: 3.91, totalGiB: 79.19, freeGiB: 2.87, inUseGiB: 76.31, allocatedByPytorchGiB: 72.04, reservedUnallocatedGiB: 3.52, neededGiB: 80.22 });
});

test('measured: CUDA OOM, older format (MiB)', () => {
  const f = measureLines(fixture('oom-old.log'));
  assert.equal(f.oom?.gpu, 0);
  assert.equal(f.oom?.triedGiB, 0.0195);
  assert.equal(f.oom?.totalGiB, 15.78);
  assert.equal(f.oom?.inUseGiB, 14.56);
  assert.equal(f.oom?.freeGiB, 0.0031);
  assert.equal(f.oom?.neededGiB, 14.58);
});

test('measured: NCCL failures, one event per kind, INFO chatter ignored', () => {
  const f = measureLines(fixture('nccl-failure.log'));
  assert.deepEqual(
    f.nccl.map((e) => e.summary),
    ['NCCL WARN Net : Connection closed by remote peer node-1<51234>', 'collective timeout in ALLREDUCE after 600 s', 'NCCL error: unhandled system error (NCCL 2.21.5)', 'ncclSystemError'],
  );
  assert.equal(f.nccl[1].line, 2);
});

test('measured: numbers, bounds and non-matches', () => {
  assert.deepEqual(readNumber('tps: 1,234,567  x', 4), { value: 1234567, end: 14 });
  assert.deepEqual(readNumber('1,23', 0), { value: 1, end: 1 });
  assert.deepEqual(readNumber('3.5e-2x', 0), { value: 0.035, end: 6 });
  assert.equal(readNumber('abc', 0), undefined);
  // A huge line is cut before it is read: the figure past the cap is not seen.
  const long = `${'x'.repeat(MAX_LINE_CHARS)} Available KV cache memory: 9 GiB`;
  assert.equal(measureLines([long]).kvCacheGiB, undefined);
  assert.deepEqual(measureLines(['step 3 loss 2.1', 'Downloading 4.0 GB of weights', "{'loss': 2.0}"]), { nccl: [] });
});

const outcome = (log: RunOutcome['log'], estimate: RunOutcome['estimate'], telemetry?: RunOutcome['telemetry']): RunOutcome => ({ version: 1, runId: 'r', state: 'succeeded', gpus: 8, estimate, log, ...(telemetry ? { telemetry } : {}) });

test('versus: the lens line, telemetry peak and torchtitan throughput', () => {
  const log = measureLines(fixture('torchtitan-train.log'));
  const o = outcome(log, { deviceGiBPerGpu: 57.7, tokensPerSecPerGpu: 9400 }, { peakDeviceGiB: 61.2, gpus: 8, samples: 100, source: 'nvidia-smi' });
  const c = compareRun(o);
  assert.equal(c.peakGiB?.source, 'nvidia-smi');
  assert.equal(lastRunTitle(c), 'last run: 61.2 GiB peak (est. 57.7, \u22126 %) · 7,885 tok/s/GPU (est. 9,400, +19 %)');
  // Without telemetry the log's own figure is used, and named.
  assert.equal(compareRun(outcome(log, { deviceGiBPerGpu: 57.7 })).peakGiB?.source, 'torchtitan max reserved');
});

test("versus: a vLLM service's KV tokens against the estimate kept at submission; vLLM's CUDA graph lines (its 0.20+ estimate first, else the capture)", () => {
  const log = measureLines(fixture('vllm-v1-startup.log'));
  assert.deepEqual(log.cudaGraphGiB, { value: 0.53, line: lineOf('vllm-v1-startup.log', 'Graph capturing finished') });
  const o = outcome(log, { deviceGiBPerGpu: 72.5, kvCacheTokens: 452_000, cudaGraphGiBPerGpu: 0.78 });
  const c = compareRun(o);
  assert.equal(c.kvCacheTokens?.measured, 448832);
  assert.equal(Math.round((c.kvCacheTokens?.errorPct ?? 0) * 10) / 10, 0.7);
  assert.equal(c.cudaGraphGiB?.source, 'vLLM graph capture');
  assert.ok(lastRunTitle(c)?.endsWith('KV 448,832 tokens (est. 452,000, +1 %)'), lastRunTitle(c));
  const lines = summaryLines(o);
  assert.ok(lines.includes('KV cache 448,832 tokens vs est. 452,000 (+1 %) · vllm startup'), lines.join('\n'));
  assert.ok(lines.includes('CUDA graphs 0.53 GiB per GPU vs est. 0.78 · vLLM graph capture'), lines.join('\n'));
  // 0.20 and later print their estimate before sizing; it is the figure set against Gantry's.
  const modern = measureLines([
    'INFO 07-30 07:10:58 [gpu_model_runner.py:6612] Profiling CUDA graph memory: PIECEWISE=76 (largest=512), FULL=60 (largest=256)',
    'INFO 07-30 07:11:00 [gpu_model_runner.py:6737] Estimated CUDA graph memory: 0.58 GiB total',
    'INFO 07-30 07:11:40 [gpu_model_runner.py:6933] Graph capturing finished in 15 secs, took 0.61 GiB',
  ]);
  assert.equal(modern.cudaGraphEstimateGiB?.value, 0.58);
  assert.equal(modern.cudaGraphGiB?.value, 0.61);
  assert.equal(compareRun(outcome(modern, { cudaGraphGiBPerGpu: 0.78 })).cudaGraphGiB?.measured, 0.58);
  // Without an estimate kept (a run submitted before this was recorded) nothing is compared, and the lens says nothing of KV.
  assert.equal(compareRun(outcome(log, {})).kvCacheTokens?.estimated, undefined);
  assert.equal(lastRunTitle(compareRun(outcome(log, {}))), 'last run: 69.8 GiB peak');
});

test('versus: an OOM run says by how much the estimate missed', () => {
  const o = outcome(measureLines(fixture('oom-titan.log')), { deviceGiBPerGpu: 57.7 });
  const c = compareRun(o);
  assert.equal(c.oom?.neededGiB, 80.22);
  assert.equal(Math.round(c.oom?.errorPct ?? 0), -28);
  assert.equal(lastRunTitle(c), 'last run: OOM: needed ≥ 80.2 GiB (est. 57.7, \u221228 %)');
  assert.match(summaryLines(o)[0], /^Out of memory on GPU 0: needed at least 80\.2 GiB; the estimate was 57\.7 GiB, −28 % \(short by 22\.5 GiB\) \(log line 5\)$/);
});

test('versus: a vLLM service without telemetry, HF throughput per GPU, nothing measured', () => {
  const v = compareRun(outcome(measureLines(fixture('vllm-v0-startup.log')), { deviceGiBPerGpu: 70 }));
  assert.equal(v.peakGiB?.measured, 71.27);
  assert.equal(v.peakGiB?.source, 'vLLM memory budget');
  const hf = compareRun(outcome(measureLines(fixture('hf-trainer.log')), {}));
  assert.equal(Math.round(hf.tokensPerSecPerGpu?.measured ?? 0), 2778);
  assert.equal(lastRunTitle(compareRun(outcome({ nccl: [] }, { deviceGiBPerGpu: 10 }))), undefined);
  assert.equal(formatPct(0.2), '±0 %');
  assert.equal(formatPct(-5.7), '\u22126 %');
});

test('measured: a start vLLM refused for memory, in its three wordings; a negative available figure is no KV cache', () => {
  const none = measureLines(['INFO 05-29 12:00:01 [gpu_worker.py:276] Available KV cache memory: -3.15 GiB', 'ValueError: No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when initializing the engine.']);
  assert.equal(none.kvCacheGiB, undefined);
  assert.deepEqual(none.availableKvGiB, { value: -3.15, line: 0 });
  assert.deepEqual(none.refusal, { kind: 'no-kv-memory', line: 1, availableGiB: -3.15 });
  const newer = measureLines([
    "ValueError: To serve at least one request with the models's max seq len (131072), (6.00 GiB KV cache is needed, which is larger than the available KV cache memory (1.71 GiB). Based on the available memory, the estimated maximum model length is 37360. Try increasing `gpu_memory_utilization` or decreasing `max_model_len` when initializing the engine.",
  ]);
  assert.deepEqual(newer.refusal, { kind: 'kv-below-one-sequence', line: 0, neededGiB: 6, availableGiB: 1.71 });
  const older = measureLines(["ValueError: The model's max seq len (32768) is larger than the maximum number of tokens that can be stored in KV cache (20,496). Try increasing `gpu_memory_utilization` or decreasing `max_model_len` when initializing the engine."]);
  assert.deepEqual(older.refusal, { kind: 'kv-below-one-sequence', line: 0, kvTokens: 20496 });
  // The first refusal counts.
  assert.equal(measureLines([...Array(2)].map(() => 'No available memory for the cache blocks')).refusal?.line, 0);
});

test('versus: a refused start is set beside what the estimate at submission predicted', () => {
  const log = measureLines(['Available KV cache memory: -2.28 GiB', 'No available memory for the cache blocks. Try increasing `gpu_memory_utilization`.']);
  const missed = outcome(log, { deviceGiBPerGpu: 70, availableKvGiBPerGpu: 7.25, kvCacheTokens: 300000 });
  const c = compareRun(missed);
  assert.equal(c.refusal?.predicted, 'start');
  assert.equal(c.peakGiB, undefined, 'no weights + KV peak from a negative figure');
  assert.equal(summaryLines(missed)[0], 'vLLM refused to start: no memory left for the KV cache (−2.28 GiB available); the estimate at submission expected it to start (est. 7.25 GiB available, 9.53 GiB more than printed) (log line 2)');
  assert.equal(lastRunTitle(c), 'last run: refused to start: no memory left for the KV cache (not predicted)');
  const foreseen = outcome(log, { availableKvGiBPerGpu: -4.14, refusal: 'no-kv-memory' });
  assert.match(summaryLines(foreseen)[0], /; the estimate at submission predicted this refusal \(est\. −4\.14 GiB available\) \(log line 2\)$/);
  assert.equal(lastRunTitle(compareRun(foreseen)), 'last run: refused to start: no memory left for the KV cache (predicted)');
  const other = outcome(log, { availableKvGiBPerGpu: 3.28, refusal: 'kv-below-one-sequence' });
  assert.match(summaryLines(other)[0], /predicted a refusal, for a KV cache below one request of max_model_len \(est\. 3\.28 GiB available/);
  // No estimate kept: the refusal alone.
  assert.equal(summaryLines(outcome(log, {}))[0], 'vLLM refused to start: no memory left for the KV cache (−2.28 GiB available) (log line 2)');
});

test('versus: a refusal read with care — the available figure from another file or rank, a training job, an older plan, a hostile record', () => {
  // vLLM V0 logs the figure on stdout and raises on stderr: two readers, merged; the tightest rank's figure is kept.
  const log = { ...measureLines(['Available KV cache memory: -1.00 GiB', 'Available KV cache memory: -3.00 GiB']), refusal: { kind: 'no-kv-memory' as const, line: 4 } };
  assert.equal(log.availableKvGiB?.value, -3);
  const c = compareRun(outcome(log, { availableKvGiBPerGpu: 2, refusal: undefined }));
  assert.equal(c.refusal?.availableGiB, -3);
  assert.match(summaryLines(outcome(log, { availableKvGiBPerGpu: 2 }))[0], /est\. 2\.00 GiB available, 5\.00 GiB more than printed/);
  assert.match(summaryLines(outcome(log, { availableKvGiBPerGpu: -4 }))[0], /est\. −4\.00 GiB available, 1\.00 GiB less than printed/);
  // A training job (a vLLM it starts for rollouts) and a plan kept before refusals were: no verdict.
  assert.equal(compareRun({ ...outcome(log, { deviceGiBPerGpu: 70 }), kind: 'TrainingJob' }).refusal?.predicted, undefined);
  assert.equal(compareRun(outcome(log, { deviceGiBPerGpu: 70, kvCacheTokens: 1000 })).refusal?.predicted, undefined);
  assert.equal(lastRunTitle(compareRun(outcome(log, { deviceGiBPerGpu: 70 }))), 'last run: refused to start: no memory left for the KV cache');
  // A refused start never allocated its KV cache: no budget or weights + KV peak, no "KV cache" figure.
  const refusedLog = measureLines(['Model loading took 60.00 GiB memory', 'Available KV cache memory: 1.10 GiB', "ValueError: To serve at least one request with the models's max seq len (32768), (1.75 GiB KV cache is needed, which is larger than the available KV cache memory (1.10 GiB)."]);
  const r = outcome(refusedLog, { deviceGiBPerGpu: 70, availableKvGiBPerGpu: 1 });
  assert.equal(compareRun(r).peakGiB, undefined);
  assert.ok(!summaryLines(r).some((x) => x.includes('KV cache 1.1 GiB')), JSON.stringify(summaryLines(r)));
  // A hostile figures.json: no throw, no garbage.
  for (const refusal of ['x', { kind: 'toString', line: 1 }, { kind: 'no-kv-memory', line: 'a', neededGiB: '6', availableGiB: 'NaN', kvTokens: 1e300 }]) {
    const bad = outcome({ nccl: [], refusal } as never, { refusal: 'bogus' as never, availableKvGiBPerGpu: '3' as never });
    const lines = summaryLines(bad);
    assert.ok(
      lines.every((x) => !x.includes('undefined') && !x.includes('NaN') && !x.includes('function') && x.length < 400),
      JSON.stringify(lines),
    );
  }
});
