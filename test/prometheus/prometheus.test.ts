// Gantry's Prometheus client and DCGM source against a REAL Prometheus scraping dcgm-exporter
// replays (harness.ts). Every answer comes from Prometheus itself; the faults are real too: a closed
// port, a socket that never answers, a bad PromQL, a selector with no series, and a Prometheus that
// wants credentials Gantry does not have (401).
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { chooseStepS, promQuery, promQueryRange, withBackoff, type PromFailure } from '../../core/telemetry/prometheus';
import { PrometheusGpuSource, type PromSourceState } from '../../core/telemetry/promSource';
import type { DcgmHealthEvent, DcgmSample, XidEvent } from '../../core/telemetry/dcgm';
import { HANG_MS, eventually, freePort, skipReason, startStack, type Stack } from './harness';

let stack: Stack;
const skip = skipReason;

before(async () => {
  if (!skip) stack = await startStack();
});
after(() => stack?.stop());

/** Resolves with the first state `pred` accepts; rejects after the hang limit. */
function stateWhere(src: PrometheusGpuSource, pred: (s: PromSourceState) => boolean, seen: PromSourceState[] = []): Promise<PromSourceState> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no such state; saw ${JSON.stringify(seen.map((s) => s.kind))}`)), HANG_MS);
    const on = (s: PromSourceState) => {
      seen.push(s);
      if (pred(s)) {
        clearTimeout(t);
        src.off('state', on);
        resolve(s);
      }
    };
    src.on('state', on);
  });
}

test('instant query: 16 GPUs of two hosts, with the exporter labels', { skip }, async () => {
  const series = await eventually(async () => {
    const r = await promQuery({ url: stack.url }, 'DCGM_FI_DEV_FB_USED');
    return r.ok && r.series.length === 16 ? r.series : undefined;
  }, '16 FB_USED series');
  const one = series.find((s) => s.labels.Hostname === 'node-2' && s.labels.gpu === '5');
  assert.ok(one, 'node-2 GPU 5 is there');
  assert.equal(one.labels.UUID, 'GPU-node-2-0005');
  assert.equal(one.labels.modelName, 'NVIDIA H100 80GB HBM3');
  assert.ok(one.points[0][1] >= 61500 && one.points[0][1] < 61550, `replayed FB_USED of GPU 5: ${one.points[0][1]}`);
});

test("the DCGM source: history merged into per-GPU samples like nvidia-smi's, SM and tensor activity in %", { skip }, async () => {
  const sinceMs = Date.now() - 60_000;
  // Wait until Prometheus holds a few scrapes.
  await eventually(async () => {
    const r = await promQuery({ url: stack.url }, 'count_over_time(DCGM_FI_DEV_GPU_UTIL{gpu="0",Hostname="node-1"}[1m])');
    return r.ok && r.series[0]?.points[0]?.[1] >= 3 ? true : undefined;
  }, 'three scrapes');
  const src = new PrometheusGpuSource({ target: { url: stack.url }, scope: { hosts: ['node-1', 'node-2'] }, sinceMs, untilMs: Date.now(), maxPoints: 1000 });
  const got = new Promise<DcgmSample[]>((resolve) => src.once('samples', resolve));
  const sampling = stateWhere(src, (s) => s.kind === 'sampling');
  src.start();
  const samples = await got;
  const state = await sampling;
  src.stop();
  assert.equal((state as { message?: string }).message, undefined);
  const hosts = new Set(samples.map((s) => s.host));
  assert.deepEqual([...hosts].sort(), ['node-1', 'node-2']);
  const g3 = samples.filter((s) => s.host === 'node-1' && s.gpu === 3);
  assert.ok(g3.length >= 2, `several samples of node-1 GPU 3 (${g3.length})`);
  const s = g3[g3.length - 1];
  assert.ok(s.memUsedMiB! >= 61300 && s.memUsedMiB! < 61350, `FB_USED ${s.memUsedMiB}`);
  assert.equal(s.memTotalMiB, 81559);
  assert.ok(s.util! >= 90 && s.util! <= 99);
  assert.ok(Math.abs(s.smActivePct! - 73) < 1e-6, `SM activity ${s.smActivePct}`);
  assert.ok(Math.abs(s.tensorActivePct! - 38) < 1e-6);
  assert.ok(Math.abs(s.dramActivePct! - 42) < 1e-6);
  assert.equal(s.uuid, 'GPU-node-1-0003');
});

test('query-side downsampling: a 30-day range over every GPU stays within 600 points per series', { skip }, async () => {
  const end = Date.now();
  const start = end - 30 * 86_400_000;
  const step = chooseStepS(start, end, 600, 15);
  assert.equal(step, 7200);
  const r = await promQueryRange({ url: stack.url }, 'DCGM_FI_DEV_GPU_UTIL', start, end, step);
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.series.length, 16);
  for (const s of r.series) assert.ok(s.points.length <= 600 && s.points.length >= 1, `${s.points.length} points`);
});

test('XID events: GPU 3 of each host reports XID 79, with its meaning, once', { skip }, async () => {
  const src = new PrometheusGpuSource({ target: { url: stack.url }, scope: { hosts: ['node-1'] }, sinceMs: Date.now() - 120_000, intervalMs: 1000 });
  const events: XidEvent[] = [];
  const got = new Promise<XidEvent[]>((resolve) => src.on('xid', (e) => (events.push(...e), resolve(e))));
  src.start();
  await Promise.race([got, new Promise((_, rej) => setTimeout(() => rej(new Error('no XID event')), HANG_MS))]);
  const polls = src.polls;
  // Later polls see the same code again and report nothing new.
  await eventually(async () => (src.polls >= polls + 2 ? true : undefined), 'two more polls');
  src.stop();
  assert.equal(events.length, 1);
  assert.deepEqual({ host: events[0].host, gpu: events[0].gpu, code: events[0].code, summary: events[0].summary }, { host: 'node-1', gpu: 3, code: 79, summary: 'XID 79 (GPU has fallen off the bus)' });
});

test('faults: a bad query is named as such, from Prometheus itself', { skip }, async () => {
  const r = await promQuery({ url: stack.url }, 'DCGM_FI_DEV_GPU_UTIL{');
  assert.equal(r.ok, false);
  assert.equal((r as PromFailure).kind, 'bad-query');
  assert.match((r as PromFailure).message, /bad_data/);
});

test('faults: missing series is a state of its own, not an error', { skip }, async () => {
  const src = new PrometheusGpuSource({ target: { url: stack.url }, scope: { hosts: ['no-such-node'] }, sinceMs: Date.now() - 60_000, intervalMs: 60_000 });
  const s = stateWhere(src, (x) => x.kind !== 'starting');
  src.start();
  const state = await s;
  src.stop();
  assert.equal(state.kind, 'sampling');
  assert.match((state as { message?: string }).message ?? '', /no DCGM series match \{Hostname=~"no\\\\-such\\\\-node"\}/);
});

test('faults: a wrong token gets a real 401; the source stops asking', { skip }, async () => {
  const r = await promQuery({ url: stack.securedUrl, token: 'not-the-token' }, 'up');
  assert.equal(r.ok, false);
  assert.equal((r as PromFailure).kind, 'unauthorized');
  assert.equal((r as PromFailure).status, 401);
  let tries = 0;
  const again = await withBackoff(() => (tries++, promQuery({ url: stack.securedUrl, token: 'x' }, 'up')), { baseMs: 1 });
  assert.equal(again.ok, false);
  assert.equal(tries, 1, 'a refused token is not retried');
  const src = new PrometheusGpuSource({ target: { url: stack.securedUrl, token: 'x' }, scope: { hosts: ['node-1'] }, sinceMs: Date.now() - 60_000 });
  const s = stateWhere(src, (x) => x.kind === 'error');
  src.start();
  const state = await s;
  assert.equal(state.kind === 'error' && state.retryInMs, undefined);
  assert.match(state.kind === 'error' ? state.message : '', /Set Prometheus Token/);
  src.stop();
});

test('faults: Prometheus down: retries with a doubling backoff and says so', async () => {
  const port = await freePort(); // nothing listens here
  const src = new PrometheusGpuSource({ target: { url: `http://127.0.0.1:${port}` }, scope: { hosts: ['node-1'] }, sinceMs: Date.now() - 60_000, backoffBaseMs: 20, backoffMaxMs: 80 });
  const delays: number[] = [];
  const s = stateWhere(src, (x) => {
    if (x.kind === 'error' && x.retryInMs) delays.push(x.retryInMs);
    return delays.length >= 4;
  });
  src.start();
  const state = await s;
  src.stop();
  assert.deepEqual(delays, [20, 40, 80, 80]);
  assert.equal(state.kind === 'error' && state.failure.kind, 'down');
  assert.match(state.kind === 'error' ? state.message : '', /^Prometheus is not reachable \(127\.0\.0\.1:\d+: ECONNREFUSED\); retrying in 1 s$/);
});

test('faults: Prometheus slow: a request with no answer times out as "slow"', async () => {
  const sockets: net.Socket[] = [];
  const server = net.createServer((sock) => sockets.push(sock)); // accepts, never answers
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  try {
    const r = await promQuery({ url: `http://127.0.0.1:${port}`, timeoutMs: 300 }, 'up');
    assert.equal(r.ok, false);
    assert.equal((r as PromFailure).kind, 'slow');
    let tries = 0;
    const again = await withBackoff(() => (tries++, promQuery({ url: `http://127.0.0.1:${port}`, timeoutMs: 100 }, 'up')), { baseMs: 1, retries: 2 });
    assert.equal(again.ok, false);
    assert.equal(tries, 3, 'slow answers are retried');
  } finally {
    for (const s of sockets) s.destroy();
    server.close();
  }
});

test('health from a real Prometheus: thermal throttling (GPU 5), double-bit ECC (GPU 6), XID 79 (GPU 3); idle clocks are not events', { skip }, async () => {
  const src = new PrometheusGpuSource({ target: { url: stack.url }, scope: { hosts: ['node-2'] }, sinceMs: Date.now() - 120_000, intervalMs: 1000 });
  const events: DcgmHealthEvent[] = [];
  src.on('health', (e) => events.push(...e));
  src.start();
  await eventually(async () => (['throttle', 'ecc', 'xid'].every((k) => events.some((e) => e.kind === k)) ? true : undefined), 'throttle, ECC and XID events');
  src.stop();
  const by = (k: string) => events.filter((e) => e.kind === k).map((e) => [e.host, e.gpu, e.summary]);
  assert.deepEqual(by('throttle'), [['node-2', 5, 'clocks throttled: hardware thermal slowdown']]);
  assert.deepEqual(by('ecc'), [['node-2', 6, '2 double-bit ECC errors (volatile count)']]);
  assert.deepEqual(by('xid'), [['node-2', 3, 'XID 79 (GPU has fallen off the bus)']]);
});

test('NVLink TX/RX in samples; over the series limit, Prometheus aggregates per host (memory: the largest GPU)', { skip }, async () => {
  const src = new PrometheusGpuSource({ target: { url: stack.url }, scope: { hosts: ['node-1', 'node-2'] }, sinceMs: Date.now() - 60_000, untilMs: Date.now(), maxSeries: 8 });
  const got = new Promise<DcgmSample[]>((resolve) => src.once('samples', resolve));
  const sampling = stateWhere(src, (s) => s.kind === 'sampling');
  src.start();
  const samples = await got;
  const state = await sampling;
  src.stop();
  assert.deepEqual(state, { kind: 'sampling', level: 'host', gpus: 16 });
  assert.deepEqual([...new Set(samples.map((s) => `${s.host}/${s.gpu}/${s.gpus}`))].sort(), ['node-1/-1/8', 'node-2/-1/8']);
  const last = samples.filter((s) => s.host === 'node-1').at(-1)!;
  // GPU 7 uses the most memory on each host: 61,700 + (t mod 50) MiB.
  assert.ok(last.memUsedMiB! >= 61700 && last.memUsedMiB! < 61750, `the host's largest GPU: ${last.memUsedMiB}`);
  assert.ok(last.nvlinkTxBps! >= 2e10 && last.nvlinkTxBps! <= 2.4e10, `NVLink TX mean ${last.nvlinkTxBps}`);
  assert.ok(last.nvlinkRxBps! >= 2e10, `NVLink RX ${last.nvlinkRxBps}`);
});
