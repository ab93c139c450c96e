// The panel's reducer: snapshots, state batches, log appends (with the gap check), filters and search.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { filterLines, gpuSeriesFor, initialState, persisted, reduce, searchLines, visibleRuns, type PanelState } from '../../../webview/state';
import type { HostMessage, RunView } from '../../../protocol/webview';

const run = (id: string, state: RunView['state'], t: number): RunView => ({ id, name: id, kind: 'TrainingJob', backend: 'local', state, specFile: '/w/a.gantry.yaml', submittedAt: t });
/** The panel's time in these tests: any fixed number, since the reducer reads no clock. */
const NOW = 1_800_000_000_000;
const apply = (s: PanelState, ...ms: HostMessage[]) => ms.reduce((acc, m) => reduce(acc, m, NOW), s);

test('a snapshot lists runs newest first and selects the saved run when it still exists', () => {
  const s = apply(initialState({ selectedId: 'b' }), { type: 'runs/snapshot', runs: [run('a', 'succeeded', 1), run('b', 'running', 2)], config: { windowMs: 1000 } });
  assert.deepEqual(
    s.runs.map((r) => r.id),
    ['b', 'a'],
  );
  assert.equal(s.selectedId, 'b');
  const gone = apply(initialState({ selectedId: 'zz' }), { type: 'runs/snapshot', runs: [run('a', 'succeeded', 1)], config: { windowMs: 1000 } });
  assert.equal(gone.selectedId, 'a');
});

test('run/state batches update and add runs; the filter by state applies', () => {
  let s = apply(initialState(), { type: 'runs/snapshot', runs: [run('a', 'running', 1)], config: { windowMs: 1000 } });
  s = apply(s, { type: 'batch', messages: [{ type: 'run/state', runs: [run('a', 'succeeded', 1), run('b', 'running', 2)] }] });
  assert.deepEqual(
    s.runs.map((r) => [r.id, r.state]),
    [
      ['b', 'running'],
      ['a', 'succeeded'],
    ],
  );
  s = reduce(s, { type: 'ui/runFilter', filter: 'running' }, NOW);
  assert.deepEqual(
    visibleRuns(s).map((r) => r.id),
    ['b'],
  );
});

test('log lines append in order; a batch that does not start where the last ended is flagged', () => {
  let s = apply(initialState({ selectedId: 'a' }), { type: 'log/reset', runId: 'a' });
  s = apply(s, {
    type: 'log/append',
    runId: 'a',
    start: 0,
    chunks: [
      { stream: 'stdout', lines: ['l0', 'l1'] },
      { stream: 'stderr', rank: 1, lines: ['e2'] },
    ],
    marks: [{ line: 2, kind: 'traceback', summary: 'Python traceback' }],
  });
  assert.equal(s.log!.length, 3);
  assert.equal(s.log!.streams[2], 1);
  assert.equal(s.log!.ranks[2], 2);
  assert.deepEqual([...s.log!.ranksSeen], [1]);
  assert.equal(s.log!.gap, undefined);
  s = apply(s, { type: 'log/append', runId: 'a', start: 5, chunks: [{ stream: 'stdout', lines: ['x'] }], marks: [] });
  assert.deepEqual(s.log!.gap, { expected: 3, got: 5 });
});

test("another run's log lines are ignored; selecting a run drops the old log", () => {
  let s = apply(initialState({ selectedId: 'a' }), { type: 'log/append', runId: 'b', start: 0, chunks: [{ stream: 'stdout', lines: ['x'] }], marks: [] });
  assert.equal(s.log, undefined);
  s = apply(s, { type: 'log/append', runId: 'a', start: 0, chunks: [{ stream: 'stdout', lines: ['x'] }], marks: [] });
  s = reduce(s, { type: 'ui/select', runId: 'b' }, NOW);
  assert.equal(s.selectedId, 'b');
  assert.equal(s.log, undefined);
});

test('filters by rank and stream, and search with only-matches', () => {
  let s = apply(initialState({ selectedId: 'a' }), {
    type: 'log/append',
    runId: 'a',
    start: 0,
    marks: [],
    chunks: [
      { stream: 'stdout', rank: 0, lines: ['step 1 loss 2', 'hello'] },
      { stream: 'stderr', rank: 1, lines: ['Step 2 LOSS 1', 'warn'] },
    ],
  });
  assert.equal(filterLines(s.log!, s.logView), undefined);
  assert.deepEqual([...filterLines(s.log!, { ...s.logView, rank: 1 })!], [2, 3]);
  assert.deepEqual([...filterLines(s.log!, { ...s.logView, stream: 'stdout' })!], [0, 1]);
  assert.deepEqual([...searchLines(s.log!, 'loss')], [0, 2]);
  s = reduce(s, { type: 'ui/logView', patch: { search: 'loss', onlyMatches: true, stream: 'stderr' } }, NOW);
  assert.deepEqual([...filterLines(s.log!, s.logView)!], [2]);
});

test('training points accumulate for the selected run only; GPU samples form series per host/GPU', () => {
  let s = apply(initialState({ selectedId: 'a' }), { type: 'metrics/append', runId: 'a', points: [{ line: 0, t: 1, step: 1, loss: 2 }] }, { type: 'metrics/append', runId: 'b', points: [{ line: 0, t: 1, step: 1, loss: 9 }] });
  assert.deepEqual(
    s.train.points.map((p) => p.loss),
    [2],
  );
  s = apply(s, {
    type: 'telemetry/append',
    samples: [
      { t: NOW, host: 'h1', gpu: 0, util: 50 },
      { t: NOW, host: 'h1', gpu: 1, util: 70 },
      { t: NOW + 1000, host: 'h1', gpu: 0, util: 60 },
    ],
  });
  assert.deepEqual(Object.keys(s.gpus).sort(), ['h1/0', 'h1/1']);
  assert.deepEqual(
    s.gpus['h1/0'].points.map((p) => p.util),
    [50, 60],
  );
});

test('telemetry status keeps its source, so a replay is never shown as live', () => {
  const s = reduce(initialState(), { type: 'telemetry/status', status: { state: 'sampling', source: 'replay' } }, NOW);
  assert.equal(s.telemetry.source, 'replay');
});

test('persisted state holds choices only (selected run, filters, the GPU host), no log data', () => {
  let s = apply(initialState({ selectedId: 'a' }), { type: 'log/append', runId: 'a', start: 0, chunks: [{ stream: 'stdout', lines: ['x'] }], marks: [] });
  s = reduce(s, { type: 'ui/logView', patch: { search: 'q' } }, NOW);
  const p = persisted(s);
  assert.deepEqual(Object.keys(p).sort(), ['gpuHost', 'logView', 'runFilter', 'selectedId']);
  assert.equal(JSON.stringify(p).includes('"x"'), false);
  assert.equal(initialState(p).logView.search, 'q');
});

test('a million lines: appended in batches and found by search (its speed: npm run bench:runs)', () => {
  let s = apply(initialState({ selectedId: 'a' }), { type: 'log/reset', runId: 'a' });
  const lines = Array.from({ length: 1_000_000 }, (_, i) => `step ${i} loss ${(1 / (i + 1)).toFixed(5)} tokens/s 1234`);
  for (let i = 0; i < lines.length; i += 50_000) s = reduce(s, { type: 'log/append', runId: 'a', start: i, chunks: [{ stream: 'stdout', lines: lines.slice(i, i + 50_000) }], marks: [] }, NOW);
  assert.equal(s.log!.length, 1_000_000);
  assert.deepEqual([...searchLines(s.log!, 'step 999999 ')], [999_999]);
  assert.deepEqual([...searchLines(s.log!, 'STEP 500000 ')], [500_000], 'case-insensitive, across search blocks');
});

test('GPU samples older than two chart windows before `now` are dropped; the time is an input, not a clock', () => {
  const config = { windowMs: 1000 };
  let s = apply(initialState(), { type: 'runs/snapshot', runs: [], config });
  s = reduce(
    s,
    {
      type: 'telemetry/append',
      samples: [
        { t: 0, host: 'h', gpu: 0, util: 1 },
        { t: 1500, host: 'h', gpu: 0, util: 2 },
      ],
    },
    2000,
  );
  assert.deepEqual(
    s.gpus['h/0'].points.map((p) => p.util),
    [1, 2],
    'both within 2 s of now',
  );
  s = reduce(s, { type: 'telemetry/append', samples: [{ t: 3000, host: 'h', gpu: 0, util: 3 }] }, 3000);
  assert.deepEqual(
    s.gpus['h/0'].points.map((p) => p.util),
    [2, 3],
    'the sample at 0 is older than 3000 − 2 × 1000',
  );
  const again = reduce(apply(initialState(), { type: 'runs/snapshot', runs: [], config }), { type: 'telemetry/append', samples: [{ t: 0, host: 'h', gpu: 0, util: 1 }] }, 2000);
  assert.deepEqual(again, reduce(apply(initialState(), { type: 'runs/snapshot', runs: [], config }), { type: 'telemetry/append', samples: [{ t: 0, host: 'h', gpu: 0, util: 1 }] }, 2000), 'same input, same state');
});

test('GPU charts: series in host/index order, a local run shows its own GPUs, and a chosen host narrows a multi-host job (kept across reloads)', () => {
  const g = (host: string, gpu: number) => ({ key: `${host}/${gpu}`, host, gpu, points: [] });
  const gpus = Object.fromEntries([g('node-b', 1), g('node-a', 1), g('node-b', 0), g('node-a', 0)].map((x) => [x.key, x]));
  const s0 = { ...initialState(), gpus };
  const all = gpuSeriesFor(s0, { backend: 'slurm' });
  assert.deepEqual(
    all.series.map((x) => x.key),
    ['node-a/0', 'node-a/1', 'node-b/0', 'node-b/1'],
  );
  assert.deepEqual(all.hosts, ['node-a', 'node-b']);
  assert.equal(all.host, 'all');
  const s1 = reduce(s0, { type: 'ui/gpuHost', host: 'node-b' }, NOW);
  assert.ok(s1.chartVersion > s0.chartVersion, 'the charts redraw');
  assert.deepEqual(
    gpuSeriesFor(s1, { backend: 'slurm' }).series.map((x) => x.key),
    ['node-b/0', 'node-b/1'],
  );
  assert.equal(initialState(persisted(s1)).gpuHost, 'node-b');
  // A host that is no longer sampled counts as all of them.
  assert.equal(gpuSeriesFor({ ...s1, gpus: { 'node-a/0': g('node-a', 0), 'node-c/0': g('node-c', 0) } }, { backend: 'slurm' }).host, 'all');
  // A local run on GPU 1 of one host shows GPU 1 only; with one host there is nothing to choose.
  const local = gpuSeriesFor({ ...initialState(), gpus: { 'h/0': g('h', 0), 'h/1': g('h', 1) } }, { backend: 'local', gpuIndices: [1] });
  assert.deepEqual(
    local.series.map((x) => x.key),
    ['h/1'],
  );
  assert.deepEqual(local.hosts, ['h']);
});
