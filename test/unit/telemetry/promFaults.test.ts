// Prometheus faults the real-Prometheus stage cannot make on demand, against a real HTTP server on
// loopback that answers as Prometheus's API does (or does not): 5xx errors then recovery, an answer
// slower than the timeout, a 401, a 400, an empty answer (missing series), an oversized error body.
// The source retries with a doubling backoff, stops on what asking again cannot fix, and goes back
// to sampling when Prometheus does. Waits are on events with a limit that only catches hangs.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type * as net from 'node:net';
import { DEFAULT_TIMEOUT_MS, promQueryRange, type PromFailure } from '../../../core/telemetry/prometheus';
import { PrometheusGpuSource, type PromSourceState } from '../../../core/telemetry/promSource';

const HANG_MS = 60_000;
type Mode = 'ok' | 'empty' | '500' | '503-json' | 'slow' | '401' | '400' | 'huge-error';
let mode: Mode = 'ok';
let requests = 0;
let server: http.Server;
let url = '';
const sockets = new Set<net.Socket>();

const success = (result: unknown[], resultType = 'matrix') => JSON.stringify({ status: 'success', data: { resultType, result } });

before(async () => {
  server = http.createServer((req, res) => {
    requests++;
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const q = new URLSearchParams(body).get('query') ?? '';
      switch (mode) {
        case 'slow':
          return; // never answers; the client times out
        case '500':
          return res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error\n');
        case '503-json':
          return res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'error', errorType: 'unavailable', error: 'too many queries' }));
        case '401':
          return res.writeHead(401).end('Unauthorized');
        case '400':
          return res.writeHead(400).end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error at char 5' }));
        case 'huge-error':
          return res.writeHead(502).end('x'.repeat(100_000));
        case 'empty':
          return res.writeHead(200).end(success([], req.url?.endsWith('/query') ? 'vector' : 'matrix'));
        case 'ok':
          if (req.url?.endsWith('/query')) return res.writeHead(200).end(success([{ metric: { Hostname: 'n1' }, value: [1000, '2'] }], 'vector'));
          if (q.startsWith('DCGM_FI_DEV_FB_USED'))
            return res.writeHead(200).end(
              success([
                { metric: { Hostname: 'n1', gpu: '0' }, values: [[1000, '61000']] },
                { metric: { Hostname: 'n1', gpu: '1' }, values: [[1000, '62000']] },
              ]),
            );
          return res.writeHead(200).end(success([]));
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});
after(() => {
  for (const s of sockets) s.destroy();
  server.close();
});

function until(src: PrometheusGpuSource, pred: (s: PromSourceState) => boolean): Promise<PromSourceState> {
  return new Promise((resolve, reject) => {
    const seen: string[] = [];
    const t = setTimeout(() => reject(new Error(`no such state; saw ${seen.join(', ')}`)), HANG_MS);
    const on = (s: PromSourceState) => {
      seen.push(s.kind);
      if (pred(s)) {
        clearTimeout(t);
        src.off('state', on);
        resolve(s);
      }
    };
    src.on('state', on);
  });
}

const source = (extra: Partial<ConstructorParameters<typeof PrometheusGpuSource>[0]> = {}) => new PrometheusGpuSource({ target: { url, timeoutMs: 2000 }, scope: { hosts: ['n1'] }, sinceMs: 0, untilMs: 10_000, backoffBaseMs: 10, backoffMaxMs: 40, now: () => 10_000, ...extra });

test('5xx: retried on a doubling, capped backoff with a clear state; back to sampling when Prometheus recovers', async () => {
  mode = '500';
  const src = source();
  const delays: number[] = [];
  const failing = until(src, (s) => {
    if (s.kind === 'error' && s.retryInMs) delays.push(s.retryInMs);
    return delays.length >= 4;
  });
  src.start();
  const s = await failing;
  assert.deepEqual(delays, [10, 20, 40, 40]);
  assert.equal(s.kind === 'error' && s.failure.status, 500);
  assert.match(s.kind === 'error' ? s.message : '', /^Prometheus failed \(HTTP 500: internal error\); retrying in 1 s$/);
  const samples = new Promise<number>((r) => src.once('samples', (b) => r(b.length)));
  mode = 'ok';
  const back = await until(src, (x) => x.kind === 'sampling');
  assert.equal(await samples, 2);
  assert.deepEqual(back, { kind: 'sampling', level: 'gpu', gpus: 2 });
  assert.equal(src.scheduled, false, 'an ended run: its history fetched, nothing more to ask');
  src.stop();
});

test("503 with Prometheus's JSON error: its errorType and message are shown", async () => {
  mode = '503-json';
  const r = await promQueryRange({ url }, 'up', 0, 1000, 1);
  assert.equal(r.ok, false);
  assert.deepEqual({ kind: (r as PromFailure).kind, status: (r as PromFailure).status, message: (r as PromFailure).message }, { kind: 'error', status: 503, message: 'unavailable: too many queries' });
});

test('slow: no answer within the timeout is "slow" and retried; the default timeout is 10 s', async () => {
  mode = 'slow';
  const src = source({ target: { url, timeoutMs: 150 } });
  const s = await (async () => {
    const p = until(src, (x) => x.kind === 'error');
    src.start();
    return p;
  })();
  src.stop();
  assert.equal(s.kind === 'error' && s.failure.kind, 'slow');
  assert.match(s.kind === 'error' ? s.message : '', /^Prometheus is slow \(no answer from 127\.0\.0\.1:\d+ in 0 s\); retrying in 1 s$/);
  assert.equal(s.kind === 'error' && s.retryInMs, 10);
  assert.equal(DEFAULT_TIMEOUT_MS, 10_000);
});

test('a refused token (401): stated once, no retry scheduled (no error loop), names the command to fix it', async () => {
  mode = '401';
  const before = requests;
  const src = source();
  const p = until(src, (x) => x.kind === 'error');
  src.start();
  const s = await p;
  assert.equal(s.kind === 'error' && s.failure.kind, 'unauthorized');
  assert.equal(s.kind === 'error' && s.retryInMs, undefined);
  assert.match(s.kind === 'error' ? s.message : '', /Gantry: Set Prometheus Token/);
  assert.equal(src.scheduled, false);
  assert.equal(requests - before, 1, 'one request, the count query; nothing after the refusal');
  src.stop();
});

test('a bad query (400) is not retried either', async () => {
  mode = '400';
  const src = source();
  const p = until(src, (x) => x.kind === 'error');
  src.start();
  const s = await p;
  src.stop();
  assert.equal(s.kind === 'error' && s.failure.kind, 'bad-query');
  assert.equal(src.scheduled, false);
});

test('missing series: a sampling state that says no series match, and keeps looking for a live run', async () => {
  mode = 'empty';
  const src = source({ untilMs: undefined, intervalMs: 60_000 });
  const p = until(src, (x) => x.kind === 'sampling');
  src.start();
  const s = await p;
  assert.deepEqual(s, { kind: 'sampling', level: 'gpu', message: 'no DCGM series match {Hostname=~"n1"} yet' });
  assert.equal(src.scheduled, true, 'the next poll counts the GPUs again');
  src.stop();
  assert.equal(src.scheduled, false);
});

test('an oversized error body is cut: the state stays one short line', async () => {
  mode = 'huge-error';
  const r = await promQueryRange({ url }, 'up', 0, 1000, 1);
  assert.equal(r.ok, false);
  assert.ok((r as PromFailure).message.length <= 300, `${(r as PromFailure).message.length}`);
});
