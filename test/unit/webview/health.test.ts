// The panel's reducer for what the Prometheus source adds: health events (XID) bounded and dropped
// when another run is shown, DCGM activity fields kept in GPU samples, the source named in the status.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { initialState, reduce } from '../../../webview/state';
import type { HealthEvent } from '../../../protocol/webview';

const NOW = 1_800_000_000_000;
const xid = (i: number): HealthEvent => ({ t: NOW - 1000 + i, host: 'node-1', gpu: 3, kind: 'xid', code: 79, summary: 'XID 79 (GPU has fallen off the bus)' });

test('health events append, stay bounded, and go with the run', () => {
  let s = reduce(initialState(), { type: 'run/show', runId: 'a' }, NOW);
  s = reduce(s, { type: 'health/append', events: [xid(0)] }, NOW);
  assert.equal(s.health.length, 1);
  s = reduce(s, { type: 'health/append', events: Array.from({ length: 600 }, (_, i) => xid(i + 1)) }, NOW);
  assert.equal(s.health.length, 500);
  assert.equal(s.health[499].t, xid(600).t);
  s = reduce(s, { type: 'ui/select', runId: 'b' }, NOW);
  assert.deepEqual(s.health, []);
});

test('DCGM activity rides in GPU samples; the status names its source', () => {
  let s = reduce(initialState(), { type: 'telemetry/status', status: { state: 'sampling', source: 'replay', via: 'Prometheus (DCGM) at 127.0.0.1:9090' } }, NOW);
  s = reduce(s, { type: 'telemetry/append', samples: [{ t: NOW, host: 'node-1', gpu: 0, memUsedMiB: 61000, smActivePct: 70, tensorActivePct: 35 }] }, NOW);
  assert.equal(s.telemetry.via, 'Prometheus (DCGM) at 127.0.0.1:9090');
  assert.equal(s.gpus['node-1/0'].points[0].smActivePct, 70);
});
