// A run's outcome: its log files read once when it ends, kept as figures.json, found again by the
// `last run` lens for its spec document; a real local run whose log holds vLLM's startup lines.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildOutcome, lastOutcome, loadOutcome, measureRunLogs, saveOutcome, OUTCOME_FILE } from '../../../core/runs/outcome';
import { compareRun, lastRunTitle } from '../../../core/logs/versus';
import { submitRun } from '../../../core/runs/submit';
import { registerDefaultBackends } from '../../../core/runs/defaultBackends';
import { configureLocalBackend } from '../../../core/runs/backends';
import { newStore, nodePlan, SUPERVISOR, tempDir, waitForState } from './helpers';
import { repo } from '../helpers';

const GiB = 1024 ** 3;

test('outcome: every log file is read; the figures name their file; OOM on stderr', async () => {
  const dir = tempDir();
  const out = path.join(dir, 'stdout.log');
  const err = path.join(dir, 'stderr.log');
  fs.copyFileSync(repo('test/fixtures/logs/torchtitan-train.log'), out);
  fs.copyFileSync(repo('test/fixtures/logs/oom-titan.log'), err);
  const f = await measureRunLogs({
    logs: [
      { path: err, stream: 'stderr' },
      { path: out, stream: 'stdout' },
      { path: path.join(dir, 'missing.log'), stream: 'stdout', rank: 1 },
      { path: dir, stream: 'stdout', rank: 2 }, // a directory is not read
    ],
  });
  assert.equal(f.tokensPerSecPerGpu?.file, 'stdout.log');
  assert.equal(f.oom?.neededGiB, 80.22);
  assert.equal(f.tool, 'torchtitan');
});

test('outcome: a very long log is read at its head and tail, a giant line cut', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'stdout.log');
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, 'INFO 11-22 16:30:43 [gpu_worker.py:227] Available KV cache memory: 54.79 GiB\n');
  fs.writeSync(fd, `${'y'.repeat(3 << 20)}\n`); // one 3 MiB line
  const filler = `${'x'.repeat(1023)}\n`.repeat(1024); // 1 MiB
  for (let i = 0; i < 90; i++) fs.writeSync(fd, filler);
  fs.writeSync(fd, 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.00 GiB. GPU 3 has a total capacity of 79.19 GiB of which 0.50 GiB is free. Including non-PyTorch memory, this process has 78.60 GiB memory in use.\n');
  fs.closeSync(fd);
  const f = await measureRunLogs({ logs: [{ path: file, stream: 'stdout' }] });
  assert.equal(f.kvCacheGiB?.value, 54.79);
  assert.equal(f.oom?.gpu, 3);
  assert.equal(f.oom?.neededGiB, 79.6);
});

test('outcome: kept beside the run and found by spec file and document name', async () => {
  const store = newStore();
  const plan = { ...nodePlan('1', { name: 'svc' }), estimatedDeviceBytesPerGpu: 70 * GiB, nodes: 1, gpusPerNode: 1 };
  const run = store.create(plan);
  const log = path.join(store.runDir(run.id), 'stdout.log');
  fs.copyFileSync(repo('test/fixtures/logs/vllm-v0-startup.log'), log);
  const ended = store.update({ id: run.id, state: 'succeeded', exitCode: 0, endedAt: Date.now(), logs: [{ path: log, stream: 'stdout' }] })!;
  const o = await buildOutcome(ended, { peakDeviceGiB: 72.4, gpus: 1, samples: 30, source: 'nvidia-smi (replayed)' });
  saveOutcome(store, o);
  assert.ok(fs.existsSync(path.join(store.runDir(run.id), OUTCOME_FILE)));
  assert.deepEqual(loadOutcome(store, run.id), o);
  assert.equal(lastOutcome(store, plan.specFile, 'svc')?.runId, run.id);
  assert.equal(lastOutcome(store, plan.specFile, 'other'), undefined);
  assert.equal(lastRunTitle(compareRun(o)), 'last run: 72.4 GiB peak (est. 70.0, \u22123 %)');
  // A live run has no outcome to show.
  const live = store.create(plan);
  store.update({ id: live.id, state: 'running' });
  assert.equal(lastOutcome(store, plan.specFile, 'svc')?.runId, run.id);
});

test('outcome: a real local run whose log holds vLLM startup lines gives the side-by-side figures', async () => {
  registerDefaultBackends();
  configureLocalBackend({ supervisorPath: SUPERVISOR });
  const store = newStore();
  const fixture = repo('test/fixtures/logs/vllm-v1-startup.log');
  const plan = { ...nodePlan(`process.stdout.write(require('fs').readFileSync(${JSON.stringify(fixture)}, 'utf8'))`, { name: 'vllm-svc' }), estimatedDeviceBytesPerGpu: 66 * GiB };
  const run = await submitRun(store, plan);
  const ended = await waitForState(store, run.id, 'succeeded');
  const o = await buildOutcome(ended);
  assert.equal(o.estimate.deviceGiBPerGpu, 66);
  assert.equal(o.log.kvCacheTokens?.value, 448832);
  assert.equal(lastRunTitle(compareRun(o)), 'last run: 69.8 GiB peak (est. 66.0, \u22125 %)');
});

test('outcome: a real local run that vLLM refuses for memory is set beside the refusal the estimate predicted', async () => {
  registerDefaultBackends();
  configureLocalBackend({ supervisorPath: SUPERVISOR });
  const store = newStore();
  const lines = ['INFO [gpu_worker.py:276] Available KV cache memory: -1.95 GiB', 'ValueError: No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when initializing the engine.'];
  const plan = {
    ...nodePlan(`process.stderr.write(${JSON.stringify(`${lines.join('\n')}\n`)}); process.exit(1)`, { name: 'vllm-refused' }),
    kind: 'InferenceService' as const,
    estimatedAvailableKvBytesPerGpu: -4.14 * GiB,
    estimatedRefusal: 'no-kv-memory' as const,
  };
  const run = await submitRun(store, plan);
  const ended = await waitForState(store, run.id, 'failed');
  const o = await buildOutcome(ended);
  assert.deepEqual([o.estimate.availableKvGiBPerGpu, o.estimate.refusal], [-4.14, 'no-kv-memory']);
  assert.equal(lastRunTitle(compareRun(o)), 'last run: refused to start: no memory left for the KV cache (predicted)');
});
