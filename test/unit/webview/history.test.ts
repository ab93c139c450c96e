// The panel with a whole-run history (Prometheus): samples from the run's start stay (thinned, never
// cut at the window), the charts span the run, aggregates are labelled with their GPU count, and the
// NVLink chart appears when the source has NVLink fields. Pure: the time is an input.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { initialState, MAX_SERIES_POINTS, reduce, thinOlderHalf } from '../../../webview/state';
import { chartRange, gpuChartModel } from '../../../webview/gpuCharts';
import type { RunView } from '../../../protocol/webview';

const NOW = 1_800_000_000_000;
const DAY = 86_400_000;
const run = { id: 'r', name: 'r', kind: 'TrainingJob', backend: 'slurm', state: 'running', specFile: '/s.yaml', submittedAt: NOW - 30 * DAY, startedAt: NOW - 30 * DAY } as unknown as RunView;
const colors = { series: ['#1', '#2'], muted: '#m', estimate: '#e' };

function withHistory(wholeRun: boolean) {
  let s = reduce(initialState(), { type: 'runs/snapshot', runs: [run], selectedId: 'r', config: { windowMs: 5 * 60_000 } }, NOW);
  s = reduce(s, { type: 'telemetry/status', status: { state: 'sampling', source: 'live', via: 'Prometheus (DCGM) at p:9090', wholeRun } }, NOW);
  const samples = Array.from({ length: 360 }, (_, i) => ({ t: NOW - 30 * DAY + i * 7_200_000, host: 'n1', gpu: -1, gpus: 8, memUsedMiB: 60000, util: 90, nvlinkTxBps: 1e9, nvlinkRxBps: 2e9 }));
  return reduce(s, { type: 'telemetry/append', samples }, NOW);
}

test('a whole-run history keeps the run from its start; a rolling window drops it', () => {
  assert.equal(withHistory(true).gpus['n1/-1'].points.length, 360);
  assert.equal(withHistory(false).gpus['n1/-1'].points.length, 0);
});

test('a long live run is thinned in its older half, keeping its first and newest points', () => {
  const pts = Array.from({ length: MAX_SERIES_POINTS + 2 }, (_, i) => i);
  const thin = thinOlderHalf(pts);
  assert.ok(thin.length < pts.length * 0.8);
  assert.equal(thin[0], 0);
  assert.equal(thin[thin.length - 1], pts[pts.length - 1]);
  let s = withHistory(true);
  for (let i = 0; i < 30; i++) s = reduce(s, { type: 'telemetry/append', samples: Array.from({ length: 100 }, (_, j) => ({ t: NOW + i * 100 + j, host: 'n1', gpu: -1, util: 50 })) }, NOW);
  const kept = s.gpus['n1/-1'].points;
  assert.ok(kept.length <= MAX_SERIES_POINTS, `${kept.length}`);
  assert.equal(kept[0].t, NOW - 30 * DAY, 'the start stays');
});

test('charts span the run for a history, the window otherwise; NVLink and aggregate labels', () => {
  const s = withHistory(true);
  assert.deepEqual(chartRange(s, run, NOW), { xMin: NOW - 30 * DAY, xMax: NOW });
  assert.deepEqual(chartRange({ ...s, telemetry: { ...s.telemetry, wholeRun: false } }, run, NOW), { xMin: NOW - 5 * 60_000, xMax: NOW });
  const m = gpuChartModel(s, run, NOW, colors);
  assert.deepEqual(
    m.specs.map(([id]) => id),
    ['util', 'mem', 'nvlink', 'power', 'temp', 'sm'],
  );
  assert.equal(m.legend[0].label, 'n1 (8 GPUs)');
  const nv = m.specs.find(([id]) => id === 'nvlink')?.[1];
  assert.equal(nv?.series[0].ys[0], 3, 'TX + RX in GB/s');
  assert.equal(m.specs.find(([id]) => id === 'mem')?.[1].title, 'Memory used (largest GPU)');
});
