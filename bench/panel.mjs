// `npm run bench:panel`: the run panel's data path for a long, wide run, measured.
//
// A 30-day range over 512 GPUs (64 hosts × 8) at a 15 s scrape interval. The answers come from a
// SYNTHETIC Prometheus: a loopback HTTP server that speaks Prometheus's query API and generates
// deterministic values for exactly the queries Gantry sends (their step, their `by (Hostname)`
// aggregation, the health filters). It is not recorded data and not a real Prometheus; the real one
// is in scripts/test.d/60-prometheus.sh. What is measured is Gantry's side:
//   fetch   — the source's queries over HTTP, JSON parsing, merging fields into samples (core/telemetry)
//   reduce  — the samples as one telemetry/append message through the webview's reducer (webview/state)
//   model   — the charts' render model, every series of every chart (webview/gpuCharts)
// and the points sent to the webview. Two runs: Gantry's path (aggregated per host past 64 GPUs)
// and, for comparison, per GPU with aggregation turned off. Without query-side downsampling, 30 days
// at 15 s would be 172,801 points per series; Prometheus refuses that (its query_range limit is
// 11,000 points per series), so that variant is not run.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBench } from './bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HOSTS = 64;
const GPUS_PER_HOST = 8;
const DAYS = 30;
const SCRAPE_S = 15;

const { lib, tmp } = await bundleForBench(
  'panel',
  `
      export { PrometheusGpuSource } from './core/telemetry/promSource';
      export { reduce, initialState } from './webview/state';
      export { gpuChartModel } from './webview/gpuCharts';`,
);

// ---------------------------------------------------------------- the synthetic Prometheus

const hostName = (h) => `node-${String(h).padStart(3, '0')}`;
let bytesServed = 0;
function answer(endpoint, params) {
  const q = params.get('query') ?? '';
  if (endpoint === 'query') {
    // count by (Hostname): 8 GPUs on each of 64 hosts.
    const t = Number(params.get('time'));
    return { resultType: 'vector', result: Array.from({ length: HOSTS }, (_, h) => ({ metric: { Hostname: hostName(h) }, value: [t, String(GPUS_PER_HOST)] })) };
  }
  const start = Number(params.get('start'));
  const end = Number(params.get('end'));
  const step = Number(params.get('step'));
  const n = Math.floor((end - start) / step) + 1;
  const metric = q.slice(q.indexOf('DCGM_'), q.indexOf('{'));
  const seed = [...metric].reduce((a, c) => a + c.charCodeAt(0), 0);
  const value = (i, k) => {
    if (metric.includes('FB_USED')) return 60000 + ((i * 7 + k * 13) % 4000);
    if (metric.includes('FB_FREE')) return 20000 - ((i * 7 + k * 13) % 4000);
    if (metric.includes('PROF_') && !metric.includes('NVLINK')) return 0.3 + ((i + k + seed) % 50) / 100;
    if (metric.includes('NVLINK')) return 1e9 * (1 + ((i + k) % 20) / 10);
    return 50 + ((i * 3 + k + seed) % 50);
  };
  const series = (labels, k) => ({ metric: labels, values: Array.from({ length: n }, (_, i) => [start + i * step, String(value(i, k))]) });
  if (q.endsWith('> 0')) {
    // Health: two GPUs had something, once.
    if (metric.includes('XID')) return { resultType: 'matrix', result: [{ metric: { Hostname: hostName(3), gpu: '5' }, values: [[start + 100 * step, '79']] }] };
    if (metric.includes('THROTTLE')) return { resultType: 'matrix', result: [{ metric: { Hostname: hostName(9), gpu: '1' }, values: [[start + 200 * step, '64']] }] };
    return { resultType: 'matrix', result: [] };
  }
  if (q.includes(' by (Hostname)')) return { resultType: 'matrix', result: Array.from({ length: HOSTS }, (_, h) => series({ Hostname: hostName(h) }, h)) };
  const result = [];
  for (let h = 0; h < HOSTS; h++) for (let g = 0; g < GPUS_PER_HOST; g++) result.push(series({ Hostname: hostName(h), gpu: String(g), UUID: `GPU-${h}-${g}` }, h * GPUS_PER_HOST + g));
  return { resultType: 'matrix', result };
}

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const endpoint = req.url.endsWith('/query_range') ? 'query_range' : 'query';
    const out = JSON.stringify({ status: 'success', data: answer(endpoint, new URLSearchParams(body)) });
    bytesServed += out.length;
    res.writeHead(200, { 'content-type': 'application/json' }).end(out);
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}`;

// ---------------------------------------------------------------- one measured pass

const now = Date.UTC(2026, 11, 1);
const run = { id: 'r', name: 'long-run', kind: 'TrainingJob', backend: 'slurm', state: 'succeeded', specFile: '/x.gantry.yaml', submittedAt: now - DAYS * 86_400_000, startedAt: now - DAYS * 86_400_000, endedAt: now, estimatedDeviceBytesPerGpu: 62 * 2 ** 30 };

async function pass(label, maxSeries) {
  bytesServed = 0;
  const src = new lib.PrometheusGpuSource({ target: { url, timeoutMs: 120_000 }, scope: { hosts: Array.from({ length: HOSTS }, (_, h) => hostName(h)) }, sinceMs: run.startedAt, untilMs: run.endedAt, scrapeStepS: SCRAPE_S, maxPoints: 600, ...(maxSeries ? { maxSeries } : {}), now: () => now });
  const t0 = performance.now();
  const got = new Promise((resolve, reject) => {
    src.once('samples', resolve);
    src.on('state', (s) => s.kind === 'error' && reject(new Error(s.message)));
  });
  let health = 0;
  src.on('health', (e) => (health += e.length));
  src.start();
  const samples = await got;
  const tFetch = performance.now() - t0;
  src.stop();
  const message = { type: 'telemetry/append', samples: samples.map(({ uuid: _u, ...p }) => p) };
  const json = JSON.stringify(message);
  const t1 = performance.now();
  let state = lib.reduce(lib.initialState(), { type: 'runs/snapshot', runs: [run], selectedId: 'r', config: { windowMs: 300_000 } }, now);
  state = lib.reduce(state, { type: 'telemetry/status', status: { state: 'sampling', source: 'live', via: 'Prometheus (DCGM) at bench', wholeRun: true } }, now);
  state = lib.reduce(state, JSON.parse(json), now);
  const tReduce = performance.now() - t1;
  const t2 = performance.now();
  const model = lib.gpuChartModel(state, run, now, { series: ['#1', '#2', '#3'], muted: '#m', estimate: '#e' });
  const tModel = performance.now() - t2;
  const seriesN = Object.keys(state.gpus).length;
  const perSeries = Math.max(...Object.values(state.gpus).map((s) => s.points.length));
  return {
    label,
    series: seriesN,
    pointsPerSeries: perSeries,
    samplesSent: samples.length,
    messageMB: +(json.length / 2 ** 20).toFixed(2),
    servedMB: +(bytesServed / 2 ** 20).toFixed(1),
    charts: model.specs.length,
    chartPoints: model.points,
    healthEvents: health,
    fetchMs: +tFetch.toFixed(0),
    reduceMs: +tReduce.toFixed(1),
    modelMs: +tModel.toFixed(1),
  };
}

const results = { date: new Date().toISOString(), machine: `${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, node ${process.version}`, data: `SYNTHETIC Prometheus answers: ${DAYS} days, ${HOSTS} hosts × ${GPUS_PER_HOST} GPUs = ${HOSTS * GPUS_PER_HOST} GPUs, ${SCRAPE_S} s scrape`, rows: [] };
// A warm-up pass so the figures are not the JIT's first compile.
await pass('warm-up');
results.rows.push(await pass("Gantry's path: aggregated per host (512 GPUs > 64 series)"));
results.rows.push(await pass('for comparison: per GPU, aggregation off', 1e9));
server.close();

console.log(`bench:panel — ${results.data}`);
console.log(results.machine);
console.table(results.rows.map((r) => ({ path: r.label, series: r.series, 'pts/series': r.pointsPerSeries, 'samples → webview': r.samplesSent, 'message MB': r.messageMB, 'HTTP MB': r.servedMB, 'fetch ms': r.fetchMs, 'reduce ms': r.reduceMs, 'model ms': r.modelMs, 'chart pts': r.chartPoints, health: r.healthEvents })));
console.log('fetch = HTTP + JSON parse + merge (core); reduce = the webview reducer on the telemetry/append message (parsed from JSON); model = the chart render model for every chart. Canvas drawing is not included (npm run bench:runs measures the panel in Chromium).');
fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
fs.writeFileSync(path.join(root, 'bench/results/panel.json'), JSON.stringify(results, null, 2));
fs.rmSync(tmp, { recursive: true, force: true });
