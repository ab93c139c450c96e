// Calibration with provenance: factors per term from the kept outcomes of runs on one Cluster, the
// median of at least two runs, bounded; the raw figure always beside the calibrated one.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyCalibration, calibrate, calibratedTitle, calibrationLines, outcomesOnCluster, ratiosOf, FACTOR_BOUNDS } from '../../../core/calibrate/calibrate';
import { saveOutcome, buildOutcome } from '../../../core/runs/outcome';
import type { RunOutcome } from '../../../core/logs/versus';
import { newStore, nodePlan } from '../runs/helpers';
import { repo } from '../helpers';

const GiB = 1024 ** 3;

/** A TrainingJob run on `cluster` whose estimate was 40 GiB (30 of them static) and 1,000 tok/s/GPU. */
function run(id: string, peakGiB: number, tps: number, over: Partial<RunOutcome> = {}): RunOutcome {
  return {
    version: 1,
    runId: id,
    state: 'succeeded',
    gpus: 8,
    kind: 'TrainingJob',
    cluster: 'h100-pod',
    estimate: { deviceGiBPerGpu: 40, staticGiBPerGpu: 30, tokensPerSecPerGpu: 1000 },
    log: { nccl: [], tokensPerSecPerGpu: { value: tps, line: 3, samples: 4 } },
    telemetry: { peakDeviceGiB: peakGiB, gpus: 8, samples: 100, source: 'nvidia-smi' },
    ...over,
  };
}

test('calibrate: one run says (measured − static) / (estimated − static) and measured / estimated tok/s', () => {
  assert.deepEqual(ratiosOf(run('a', 42, 800)), { memory: 1.2, throughput: 0.8 });
  assert.deepEqual(ratiosOf(run('a', 42, 800, { state: 'failed' })), {}, 'a failed run says nothing');
  assert.deepEqual(ratiosOf(run('a', 42, 800, { kind: 'InferenceService' })), {});
  assert.deepEqual(ratiosOf(run('a', 29, 800)), { throughput: 0.8 }, 'below the static part: no memory ratio');
  assert.deepEqual(ratiosOf(run('a', 42, 800, { estimate: { deviceGiBPerGpu: 40, tokensPerSecPerGpu: 1000 } })), { throughput: 0.8 }, 'no static part kept: no memory ratio');
});

test('calibrate: needs two runs on the cluster; the median of three; other clusters ignored', () => {
  assert.deepEqual(calibrate('h100-pod', [run('a', 42, 800)]), { cluster: 'h100-pod', runs: 1 });
  assert.deepEqual(calibrate('h100-pod', []), { cluster: 'h100-pod', runs: 0 });
  const cal = calibrate('h100-pod', [run('a', 42, 800), run('b', 41, 900), run('c', 45, 850), run('x', 80, 100, { cluster: 'other' })]);
  assert.equal(cal.runs, 3);
  assert.equal(cal.memory?.factor, 1.2);
  assert.deepEqual(cal.memory?.runIds, ['a', 'b', 'c']);
  assert.equal(cal.throughput?.factor, 0.85);
  assert.equal(cal.memory?.bounded, false);
  const two = calibrate('h100-pod', [run('a', 42, 800), run('b', 41, 900)]);
  assert.ok(Math.abs(two.memory!.factor - 1.15) < 1e-12, 'even count: the mean of the middle two');
});

test('calibrate: one wild run does not move the median; wild medians are bounded and say so', () => {
  const cal = calibrate('h100-pod', [run('a', 42, 800), run('b', 41, 900), run('c', 79, 40)]);
  assert.equal(cal.memory?.factor, 1.2);
  assert.equal(cal.throughput?.factor, 0.8);
  const wild = calibrate('h100-pod', [run('a', 78, 100), run('b', 79, 120)]);
  assert.equal(wild.memory?.factor, FACTOR_BOUNDS[1]);
  assert.equal(wild.memory?.bounded, true);
  assert.equal(wild.throughput?.factor, FACTOR_BOUNDS[0]);
  assert.match(calibrationLines(wild)[0], /^Activations and overhead ×2\.00: median of 2 runs \(a, b\), bounded from ×4\.85$/);
});

test('calibrate: applied per term (static memory untouched); the lens names the runs and the raw figure', () => {
  const cal = calibrate('h100-pod', [run('a', 42, 800), run('b', 41, 900), run('c', 45, 850)]);
  const raw = { deviceBytes: 57.7 * GiB, staticBytes: 37.7 * GiB, tokensPerSecondPerGpu: 967 };
  const c = applyCalibration(raw, cal);
  assert.ok(Math.abs(c.deviceBytes! / GiB - (37.7 + 1.2 * 20)) < 1e-9);
  assert.ok(Math.abs(c.tokensPerSecondPerGpu! - 967 * 0.85) < 1e-9);
  assert.equal(calibratedTitle(raw, cal), 'calibrated from 3 runs on h100-pod: 61.7 GiB/GPU (raw 57.7) · 822 tok/s/GPU (raw 967)');
  assert.equal(calibratedTitle(raw, calibrate('h100-pod', [run('a', 42, 800)])), 'not calibrated: 1 run on h100-pod (needs 2 measured runs of a TrainingJob)');
  assert.equal(calibratedTitle(raw, calibrate('h100-pod', [])), 'not calibrated: no measured runs on h100-pod (needs 2 measured runs of a TrainingJob)');
});

test('calibrate: outcomes kept in a run store, read back per cluster, newest first', async () => {
  const store = newStore();
  const ids: string[] = [];
  for (const [cluster, peak] of [
    ['h100-pod', 42],
    ['h100-pod', 41],
    ['a100', 70],
  ] as const) {
    const plan = { ...nodePlan('1', { name: 'ft' }), kind: 'TrainingJob' as const, backendOptions: { cluster, scheduler: { type: 'local' as const } }, estimatedDeviceBytesPerGpu: 40 * GiB, estimatedStaticBytesPerGpu: 30 * GiB, estimatedTokensPerSecondPerGpu: 1000, nodes: 1, gpusPerNode: 1 };
    const r = store.create(plan);
    const log = path.join(store.runDir(r.id), 'stdout.log');
    fs.copyFileSync(repo('test/fixtures/logs/torchtitan-train.log'), log);
    const ended = store.update({ id: r.id, state: 'succeeded', exitCode: 0, endedAt: Date.now(), logs: [{ path: log, stream: 'stdout' }] })!;
    const o = await buildOutcome(ended, { peakDeviceGiB: peak, gpus: 1, samples: 10, source: 'nvidia-smi (replayed)' });
    assert.equal(o.cluster, cluster);
    assert.equal(o.kind, 'TrainingJob');
    assert.equal(o.estimate.staticGiBPerGpu, 30);
    saveOutcome(store, o);
    ids.push(r.id);
  }
  const got = outcomesOnCluster(store, 'h100-pod');
  assert.deepEqual(got.map((o) => o.runId).sort(), ids.slice(0, 2).sort());
  const cal = calibrate('h100-pod', got);
  assert.equal(cal.runs, 2);
  assert.ok(Math.abs(cal.memory!.factor - 1.15) < 1e-9);
  // torchtitan's tps (mean after the first step: 7,885) against the estimate of 1,000.
  assert.ok(Math.abs(cal.throughput!.factor - FACTOR_BOUNDS[1]) < 1e-12 && cal.throughput!.bounded);
});
