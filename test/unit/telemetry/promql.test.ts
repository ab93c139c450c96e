// The pure parts of the Prometheus source: the query step (downsampling on the query side), the
// label selector (values escaped), merging DCGM fields into per-GPU samples, and XID events. The
// answers themselves are tested against a real Prometheus in test/prometheus.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { chooseStepS } from '../../../core/telemetry/prometheus';
import { dcgmQueries, dcgmSelector, mergeDcgm, xidEvents } from '../../../core/telemetry/dcgm';
import { xidMeaning } from '../../../core/telemetry/xid';
import { detectError } from '../../../core/logs/errors';

const DAY = 86_400_000;

test('step: at most ~1,000 points per series, never finer than the scrape interval', () => {
  assert.equal(chooseStepS(0, 30 * DAY, 1000, 15), 3600); // 30 days → 720 points
  assert.equal(chooseStepS(0, 60 * 60_000, 1000, 15), 15); // an hour at the scrape step
  assert.equal(chooseStepS(0, 10 * 60_000, 1000, 1), 1);
  assert.equal(chooseStepS(0, 400 * DAY, 1000, 15), 43200);
  assert.equal(chooseStepS(0, 5000 * DAY, 1000, 15), 432000);
  for (const span of [1, 10, 100, 1000, 10_000]) {
    const rangeMs = span * 60_000;
    const step = chooseStepS(0, rangeMs, 1000, 15);
    const points = rangeMs / 1000 / step;
    assert.ok(points <= 1000, `${span} min → step ${step}`);
  }
});

test('selector: hosts and pods as escaped regex literals, namespace as a string', () => {
  assert.equal(dcgmSelector({ hosts: ['node-1', 'gpu.a'] }), '{Hostname=~"node\\\\-1|gpu\\\\.a"}');
  assert.equal(dcgmSelector({ namespace: 'ml"x', pods: ['train-0'] }), '{namespace="ml\\"x",pod=~"train\\\\-0"}');
  assert.equal(dcgmSelector({}), '{}');
  const q = dcgmQueries({ hosts: ['n1'] });
  assert.equal(q.length, 16); // 11 sample fields + 5 health fields
  assert.ok(q.some((x) => x.query === 'DCGM_FI_PROF_SM_ACTIVE{Hostname=~"n1"}'));
});

test('merge: one sample per GPU and time; total = used + free; activity ratios as %', () => {
  const l = (gpu: string) => ({ Hostname: 'n1', gpu, UUID: `GPU-${gpu}` });
  const samples = mergeDcgm([
    {
      field: 'fbUsed',
      series: [
        {
          labels: l('0'),
          points: [
            [1000, 61000],
            [2000, 62000],
          ],
        },
      ],
    },
    { field: 'fbFree', series: [{ labels: l('0'), points: [[1000, 20559]] }] },
    { field: 'smActive', series: [{ labels: l('0'), points: [[1000, 0.5]] }] },
    { field: 'util', series: [{ labels: l('x'), points: [[1000, 5]] }] }, // no GPU index: dropped
  ]);
  assert.deepEqual(samples, [
    { t: 1000, host: 'n1', gpu: 0, uuid: 'GPU-0', memUsedMiB: 61000, memTotalMiB: 81559, smActivePct: 50 },
    { t: 2000, host: 'n1', gpu: 0, uuid: 'GPU-0', memUsedMiB: 62000 },
  ]);
});

test('XID: a change to a non-zero code is one event, with its meaning; the log detector agrees', () => {
  const last = new Map<string, number>();
  const s = [
    {
      labels: { Hostname: 'n1', gpu: '3' },
      points: [
        [1, 0],
        [2, 79],
        [3, 79],
        [4, 0],
        [5, 48],
      ] as [number, number][],
    },
  ];
  assert.deepEqual(
    xidEvents(s, last).map((e) => [e.t, e.code, e.summary]),
    [
      [2, 79, 'XID 79 (GPU has fallen off the bus)'],
      [5, 48, 'XID 48 (double-bit ECC error)'],
    ],
  );
  assert.deepEqual(xidEvents([{ labels: { Hostname: 'n1', gpu: '3' }, points: [[6, 48]] }], last), [], 'the same code on the next poll is not new');
  assert.equal(xidMeaning(9999), undefined);
  assert.equal(detectError('NVRM: Xid (PCI:0000:3b:00): 79, pid=1234, GPU has fallen off the bus.')?.summary, 'Xid 79 (GPU has fallen off the bus) on 0000:3b:00');
});
