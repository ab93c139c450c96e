// What the DCGM source adds for long runs and health: the level of aggregation (per GPU, per host,
// one series) chosen from the GPU count, the PromQL each level asks, aggregates merged into samples
// that say how many GPUs they stand for, and health events (XID, ECC, retired pages, thermal/power
// throttling with NVML's reason bits).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { chooseLevel, dcgmCountQuery, dcgmQueries, healthEvents, mergeDcgm, throttleHealth } from '../../../core/telemetry/dcgm';

test('level: per GPU up to 64 series, per host beyond, one series when even the hosts are too many', () => {
  assert.equal(chooseLevel(16, 2), 'gpu');
  assert.equal(chooseLevel(64, 8), 'gpu');
  assert.equal(chooseLevel(512, 64), 'host');
  assert.equal(chooseLevel(512, 512), 'all');
  assert.equal(chooseLevel(0, 0), 'gpu');
});

test('queries: aggregates by Hostname (memory by its largest GPU), health filtered in Prometheus over the step', () => {
  const sel = '{Hostname=~"n1"}';
  const host = dcgmQueries({ hosts: ['n1'] }, 'host', 3600);
  const q = (f: string) => host.find((x) => x.field === f)?.query;
  assert.equal(q('util'), `avg by (Hostname) (DCGM_FI_DEV_GPU_UTIL${sel})`);
  assert.equal(q('fbUsed'), `max by (Hostname) (DCGM_FI_DEV_FB_USED${sel})`);
  assert.equal(q('nvlinkTx'), `avg by (Hostname) (DCGM_FI_PROF_NVLINK_TX_BYTES${sel})`);
  assert.equal(q('xid'), `(max_over_time(DCGM_FI_DEV_XID_ERRORS${sel}[3600s])) > 0`);
  assert.equal(q('eccDbe'), `(max_over_time(DCGM_FI_DEV_ECC_DBE_VOL_TOTAL${sel}[3600s])) > 0`);
  assert.equal(dcgmQueries({ hosts: ['n1'] }, 'gpu', 1).find((x) => x.field === 'xid')?.query, `(max_over_time(DCGM_FI_DEV_XID_ERRORS${sel}[30s])) > 0`, 'a window always holds a scrape');
  assert.equal(q('throttle'), `(max_over_time(DCGM_FI_DEV_CLOCK_THROTTLE_REASONS${sel}[3600s]) or max_over_time(DCGM_FI_DEV_CLOCKS_EVENT_REASONS${sel}[3600s])) > 0`);
  assert.equal(dcgmQueries({ hosts: ['n1'] }, 'all').find((x) => x.field === 'fbFree')?.query, `min(DCGM_FI_DEV_FB_FREE${sel})`);
  assert.equal(dcgmCountQuery({ hosts: ['n1'] }, 10), `count by (Hostname) (last_over_time(DCGM_FI_DEV_FB_USED${sel}[60s]))`);
});

test('merge: host aggregates are gpu -1 with their GPU count; one cluster-wide series is host "all"', () => {
  const gpusOf = new Map([
    ['n1', 8],
    ['n2', 8],
  ]);
  const host = mergeDcgm(
    [
      {
        field: 'fbUsed',
        series: [
          { labels: { Hostname: 'n1' }, points: [[1000, 70000]] },
          { labels: { Hostname: 'n2' }, points: [[1000, 60000]] },
        ],
      },
      { field: 'nvlinkTx', series: [{ labels: { Hostname: 'n1' }, points: [[1000, 2e9]] }] },
    ],
    'host',
    gpusOf,
  );
  assert.deepEqual(host, [
    { t: 1000, host: 'n1', gpu: -1, gpus: 8, memUsedMiB: 70000, nvlinkTxBps: 2e9 },
    { t: 1000, host: 'n2', gpu: -1, gpus: 8, memUsedMiB: 60000 },
  ]);
  const all = mergeDcgm([{ field: 'util', series: [{ labels: {}, points: [[1000, 93]] }] }], 'all', gpusOf);
  assert.deepEqual(all, [{ t: 1000, host: 'all', gpu: -1, gpus: 16, util: 93 }]);
});

test("throttle reasons: NVML's thermal and power bits are health, idle and application clocks are not", () => {
  assert.deepEqual(throttleHealth(0x1), []);
  assert.deepEqual(throttleHealth(0x2 | 0x1), []);
  assert.deepEqual(throttleHealth(0x40), ['hardware thermal slowdown']);
  assert.deepEqual(throttleHealth(0x4 | 0x20 | 0x100), ['software power cap', 'software thermal slowdown']);
  assert.deepEqual(throttleHealth(0x80 | 0x8), ['hardware slowdown', 'hardware power brake slowdown']);
});

test('health events: XID, ECC counts and their rises, retired pages, throttling; each change once across polls', () => {
  const l = { Hostname: 'n1', gpu: '5' };
  const last = new Map<string, number>();
  const events = healthEvents(
    [
      { field: 'util', series: [{ labels: l, points: [[1, 90]] }] }, // a sample field: not an event
      { field: 'xid', series: [{ labels: l, points: [[3, 48]] }] },
      {
        field: 'eccDbe',
        series: [
          {
            labels: l,
            points: [
              [4, 2],
              [4.5, 2],
              [4.7, 3],
            ],
          },
        ],
      },
      { field: 'retired', series: [{ labels: l, points: [[5, 1]] }] },
      {
        field: 'throttle',
        series: [
          {
            labels: l,
            points: [
              [1, 0x1],
              [2, 0x40],
              [6, 0x40],
            ],
          },
        ],
      },
    ],
    last,
  );
  assert.deepEqual(
    events.map((e) => [e.t, e.kind, e.code, e.summary]),
    [
      [2, 'throttle', 0x40, 'clocks throttled: hardware thermal slowdown'],
      [3, 'xid', 48, 'XID 48 (double-bit ECC error)'],
      [4, 'ecc', 2, '2 double-bit ECC errors (volatile count)'],
      [4.7, 'ecc', 1, '+1 double-bit ECC error (3 in all)'],
      [5, 'ecc', 1, '1 retired memory page (retired so far)'],
    ],
  );
  // The next poll sees the same throttle mask and XID: nothing new; a power cap is new.
  const next = healthEvents(
    [
      { field: 'xid', series: [{ labels: l, points: [[7, 48]] }] },
      { field: 'throttle', series: [{ labels: l, points: [[7, 0x40 | 0x4]] }] },
    ],
    last,
  );
  assert.deepEqual(
    next.map((e) => e.summary),
    ['clocks throttled: software power cap, hardware thermal slowdown'],
  );
});
