// The comparison in the panel's state: shown, its GPU histories arriving per run, the unchanged-keys
// toggle, closed; and its charts: two runs over the hours since each started, estimates as lines.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { initialState, reduce } from '../../../webview/state';
import { compareChartSpecs } from '../../../webview/gpuCharts';
import type { CompareView, RunView } from '../../../protocol/webview';

const NOW = 1_800_000_000_000;
const H = 3_600_000;
const view = (id: string, startedAt: number): RunView => ({ id, name: 'train', kind: 'TrainingJob', backend: 'slurm', state: 'succeeded', specFile: '/t.yaml', submittedAt: startedAt, startedAt, endedAt: startedAt + 2 * H, estimatedDeviceBytesPerGpu: 60 * 2 ** 30 }) as RunView;
const cmp: CompareView = {
  a: { run: view('a', NOW - 48 * H), configFrom: 'spec', figures: ['peak 61.2 GiB (est. 57.7, −6 %)'], gpu: [], gpuNote: 'loading…' },
  b: { run: view('b', NOW - 3 * H), configFrom: 'plan', figures: [], gpu: [], gpuNote: 'loading…' },
  rows: [{ path: 'spec.parallelism.tensor', a: "'8'", b: "'4'", change: 'changed' }],
};

test('compare: shown, histories arrive per run, toggled, closed', () => {
  let s = reduce(initialState(), { type: 'compare/show', compare: cmp }, NOW);
  assert.equal(s.compare?.rows.length, 1);
  s = reduce(s, { type: 'compare/gpu', runId: 'b', samples: [{ t: NOW - 2 * H, host: 'all', gpu: -1, memUsedMiB: 61440, util: 90 }] }, NOW);
  assert.equal(s.compare?.b.gpu.length, 1);
  assert.equal(s.compare?.b.gpuNote, undefined);
  assert.equal(s.compare?.a.gpuNote, 'loading…');
  assert.equal(reduce(s, { type: 'compare/gpu', runId: 'zz', samples: [] }, NOW), s, 'another run: ignored');
  // The same pair again (a run's figures were kept): the GPU history already here stays.
  s = reduce(s, { type: 'compare/show', compare: { ...cmp, b: { ...cmp.b, figures: ['kept'] } } }, NOW);
  assert.deepEqual([s.compare?.b.figures, s.compare?.b.gpu.length], [['kept'], 1]);
  s = reduce(s, { type: 'ui/compareAll', on: true }, NOW);
  assert.equal(s.compareAll, true);
  s = reduce(s, { type: 'ui/compareClose' }, NOW);
  assert.equal(s.compare, undefined);
});

test('compare charts: hours since each start, both estimates, notes when a run has no history', () => {
  const withB = { ...cmp, b: { ...cmp.b, gpu: [{ t: NOW - 2 * H, host: 'all', gpu: -1, memUsedMiB: 61440, util: 90 }], gpuNote: undefined } };
  const specs = compareChartSpecs(withB, { series: ['#a', '#b'], muted: '#m', estimate: '#e' });
  const mem = specs.find(([id]) => id === 'cmp-mem')?.[1];
  assert.ok(mem);
  assert.deepEqual(Array.from(mem.series[1].xs), [60], '1 h in: minutes, the span being under 2 h');
  assert.match(mem.title, /min since start/);
  assert.deepEqual(mem.series[1].ys, [60]);
  assert.deepEqual(
    mem.refLines?.map((r) => r.label),
    ['A estimate 60.0 GiB', 'B estimate 60.0 GiB'],
  );
  assert.equal(mem.empty, 'loading…');
});
