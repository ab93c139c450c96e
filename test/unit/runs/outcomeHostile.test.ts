// A run's kept outcome (`figures.json`) is a file in the workspace anyone can edit or corrupt. Read back, every leaf of
// a full outcome is replaced in turn by a value of the wrong kind; everything that reads an outcome (the last-run lens,
// the panel's summary, calibration, right-sizing) must still answer, with only well-typed figures.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadOutcome, OUTCOME_FILE } from '../../../core/runs/outcome';
import { compareRun, lastRunTitle, summaryLines, storedOutcome, type RunOutcome } from '../../../core/logs/versus';
import { measureLines } from '../../../core/logs/measured';
import { readUsage } from '../../../core/logs/usage';
import { sanitizeLine } from '../../../core/logs/sanitize';
import { calibrate, ratiosOf } from '../../../core/calibrate/calibrate';
import { rightSize } from '../../../core/logs/rightSize';
import { cluster as clusterDoc, service as serviceDoc } from '../estimate/helpers';
import { newStore, nodePlan } from './helpers';
import { repo } from '../helpers';

const lines = (...names: string[]) =>
  names.flatMap((n) =>
    fs
      .readFileSync(repo('test/fixtures/logs', n), 'utf8')
      .split('\n')
      .map((l) => sanitizeLine(l)),
  );

// The Cluster the outcome ran on ('c') and a vLLM service on it, for right-sizing.
const cluster = clusterDoc('H100-SXM-80GB', 8);
const service = serviceDoc({ model: { preset: 'llama-3.1-8b' }, cluster: 'c', tensorParallel: 4, maxModelLen: 8192 });

/** Every figure a log can give, in one outcome: vLLM startup and stats, a refusal, an OOM, torchtitan steps, NCCL. */
function fullOutcome(runId: string): RunOutcome {
  const log = lines('vllm-v1-startup.log', 'torchtitan-train.log', 'oom-titan.log');
  log.push('INFO [gpu_worker.py:276] Available KV cache memory: -1.95 GiB', 'ValueError: No available memory for the cache blocks.', 'NCCL WARN Call to ibv_reg_mr failed');
  const figures = measureLines(log);
  const withFile = figures as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(withFile)) if (v && typeof v === 'object' && !Array.isArray(v)) withFile[k] = { ...v, file: 'stderr.log' };
  return {
    version: 1,
    runId,
    state: 'failed',
    gpus: 4,
    kind: 'InferenceService',
    cluster: 'c',
    estimate: { deviceGiBPerGpu: 70, tokensPerSecPerGpu: 900, staticGiBPerGpu: 20, kvCacheTokens: 400000, cudaGraphGiBPerGpu: 0.78, availableKvGiBPerGpu: -2, refusal: 'no-kv-memory' },
    log: figures,
    usage: readUsage(['INFO Avg prompt throughput: 1.0 tokens/s, Running: 3 reqs, GPU KV cache usage: 12.5%']) ?? { peakKvUsagePct: { value: 1, line: 0 }, samples: 1 },
    telemetry: { peakDeviceGiB: 71, deviceTotalMiB: 81559, gpus: 4, samples: 30, meanUtilPct: 80, meanSmActivePct: 40, source: 'nvidia-smi' },
  };
}

/** Every path to a leaf (and to each object) of a JSON value. */
function paths(x: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = at.length ? [at] : [];
  if (Array.isArray(x)) x.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) out.push(...paths(v, [...at, k]));
  return out;
}

function withValue(o: unknown, at: (string | number)[], value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(o));
  let cur = copy;
  for (const k of at.slice(0, -1)) cur = cur[k];
  cur[at[at.length - 1]] = value;
  return copy;
}

/** Reads an outcome the way every consumer does; throws where one of them does. */
function readEverywhere(o: RunOutcome): string[] {
  const c = compareRun(o);
  const out = [lastRunTitle(c) ?? '', ...summaryLines(o)];
  ratiosOf(o);
  calibrate('c', [o, o, o]);
  for (const a of rightSize({ doc: service, cluster, outcome: o })) out.push(a.message);
  return out;
}

const HOSTILE: unknown[] = ['47.4', '', ' ', 'a\nb\u001b[31m', 'x'.repeat(100_000), true, null, {}, [], [1, 2], -1, -50, 0.5, 1e15, 1e308, -1e308, { value: 'x', line: 'y' }];

test('outcome: every leaf of a kept outcome replaced by a value of the wrong kind: read back without a throw, numbers finite, text bounded', () => {
  const store = newStore();
  const run = store.create({ ...nodePlan('1', { name: 'chat' }), nodes: 1, gpusPerNode: 4 });
  const full = fullOutcome(run.id);
  // The full outcome reads back as itself.
  fs.writeFileSync(path.join(store.runDir(run.id), OUTCOME_FILE), JSON.stringify(full));
  assert.deepEqual(loadOutcome(store, run.id), full);
  assert.ok(
    readEverywhere(full).some((l) => l.includes('stderr.log line')),
    'a refusal or OOM names the file its line is in',
  );
  let cases = 0;
  for (const at of paths(full)) {
    if (at[0] === 'version' || at[0] === 'runId') continue;
    for (const value of HOSTILE) {
      fs.writeFileSync(path.join(store.runDir(run.id), OUTCOME_FILE), JSON.stringify(withValue(full, at, value)));
      const o = loadOutcome(store, run.id);
      // Without its log figures it is no outcome; any other leaf loses only itself.
      if (!o && at.length === 1 && at[0] === 'log') continue;
      assert.ok(o, `${at.join('.')} = ${JSON.stringify(value).slice(0, 40)}: the rest of the outcome is kept`);
      let text: string[] = [];
      assert.doesNotThrow(
        () => {
          text = readEverywhere(o);
        },
        `${at.join('.')} = ${JSON.stringify(value).slice(0, 40)}`,
      );
      for (const l of text) {
        assert.ok(l.length < 2000, `${at.join('.')}: a line of ${l.length} characters`);
        assert.ok(!/[\u0000-\u001f]/.test(l), `${at.join('.')}: a control character in ${JSON.stringify(l)}`);
        assert.ok(!l.includes('( line') && !l.includes('(  line') && !l.includes('·  ') && !l.endsWith('· '), `${at.join('.')}: an empty name in ${l}`);
        // No count, percentage or size of the wrong sign: "-50 %", "over -2.5 GPUs", "-3 requests".
        assert.ok(!/(peaked at -|over -|with -|at -\d+ tokens)/.test(l), `${at.join('.')} = ${JSON.stringify(value).slice(0, 40)}: ${l}`);
        assert.ok(!l.includes('NaN') && !l.includes('undefined') && !l.includes('Infinity') && !l.includes('[object'), `${at.join('.')} = ${JSON.stringify(value).slice(0, 40)}: ${l}`);
      }
      cases++;
    }
  }
  assert.ok(cases > 500, `${cases} hostile cases`);
});

test('outcome: what is not an outcome of this run is not read', () => {
  for (const raw of [null, 'x', [], {}, { version: 2, runId: 'r', log: { nccl: [] } }, { version: 1, runId: 'other', log: { nccl: [] } }, { version: 1, runId: 'r' }, { version: 1, runId: 'r', log: [] }]) {
    assert.equal(storedOutcome(raw, 'r'), undefined, JSON.stringify(raw));
  }
  // A broken NCCL list is no NCCL events, not a lost run.
  assert.deepEqual(storedOutcome({ version: 1, runId: 'r', state: 'failed', gpus: 1, estimate: {}, log: { nccl: 'x' } }, 'r')?.log.nccl, []);
  // The least a run keeps: no figures at all.
  assert.deepEqual(storedOutcome({ version: 1, runId: 'r', state: 'succeeded', gpus: 1, estimate: {}, log: { nccl: [] } }, 'r'), { version: 1, runId: 'r', state: 'succeeded', gpus: 1, estimate: {}, log: { nccl: [] } });
});

test('outcome: signed figures stay signed (vLLM prints a negative CUDA graph estimate at times), an MFU over 100 % is kept', () => {
  const raw = {
    version: 1,
    runId: 'r',
    state: 'succeeded',
    gpus: 1,
    estimate: { availableKvGiBPerGpu: -2 },
    log: { nccl: [], cudaGraphEstimateGiB: { value: -0.9, line: 3 }, cudaGraphGiB: { value: -0.22, line: 4 }, availableKvGiB: { value: -1.5, line: 5 }, trainLoss: { value: -0.3, line: 6 }, mfuPct: { value: 104, line: 7, samples: 9 } },
  };
  const o = storedOutcome(raw, 'r')!;
  assert.deepEqual([o.log.cudaGraphEstimateGiB?.value, o.log.cudaGraphGiB?.value, o.log.availableKvGiB?.value, o.log.trainLoss?.value, o.log.mfuPct?.value, o.estimate.availableKvGiBPerGpu], [-0.9, -0.22, -1.5, -0.3, 104, -2]);
});
