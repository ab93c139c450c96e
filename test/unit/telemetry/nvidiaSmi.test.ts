// nvidia-smi parsing against the real H100 and H200 recordings in test/fixtures/nvidia-smi, and the sampler
// against the replay executable that plays them back.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseHelpQueryGpu, parseQueryLine, planQuery, isAbsent, type GpuSample } from '../../../core/telemetry/nvidiaSmi';
import { GpuSampler, type SamplerState } from '../../../core/telemetry/sampler';
import { findGpu } from '../../../core/catalog/gpus';
import { tempDir } from '../runs/helpers';

const repo = path.resolve(__dirname, '../../../..');
const rec = (f: string) => fs.readFileSync(path.join(repo, 'test/fixtures/nvidia-smi', f), 'utf8');
const replay = path.join(repo, 'test/fixtures/bin/nvidia-smi-replay');
const known = parseHelpQueryGpu(rec('h100-help-query-gpu.txt'));

test("the driver's field list: both clock-reason names, aliases, the plan picks the new name", () => {
  for (const f of ['index', 'memory.used', 'power.draw', 'clocks.sm', 'clocks_event_reasons.active', 'clocks_throttle_reasons.active', 'temperature.memory']) assert.ok(known.has(f), f);
  const plan = planQuery(known);
  assert.ok(plan.fields.includes('clocks_event_reasons.active'));
  assert.ok(!plan.fields.includes('clocks_throttle_reasons.active'));
  assert.deepEqual(plan.missing, []);
});

test('an older driver without clocks_event_reasons gets clocks_throttle_reasons', () => {
  const old = new Set([...known].filter((f) => !f.startsWith('clocks_event_reasons')));
  const plan = planQuery(old);
  assert.ok(plan.fields.includes('clocks_throttle_reasons.active'));
  const minimal = planQuery(new Set(['index', 'memory.used']));
  assert.deepEqual(minimal.fields, ['index', 'memory.used']);
  assert.ok(minimal.missing.includes('powerW'));
});

test('every recorded stream line parses; [N/A] is absent; reasons are a bit mask', () => {
  const fields = 'timestamp,index,uuid,name,utilization.gpu,utilization.memory,memory.used,memory.total,power.draw,power.limit,temperature.gpu,temperature.memory,clocks.sm,clocks.mem,clocks_event_reasons.active,pstate,fan.speed'.split(',');
  const plan = planQuery(new Set(fields));
  // The recording has a timestamp column first; the plan never asks for it, so add it as an ignored column.
  const withTs = { fields: ['timestamp', ...plan.fields], keys: [undefined, ...plan.keys], kinds: ['str' as const, ...plan.kinds], missing: plan.missing };
  const lines = rec('h100-stream.csv').trim().split('\n');
  assert.equal(lines.length, 89);
  const samples = lines.map((l) => parseQueryLine(l, withTs, 'h100-host', 0)).filter((s): s is GpuSample => !!s);
  assert.equal(samples.length, 89);
  const s0 = samples[0];
  assert.equal(s0.gpu, 0);
  assert.equal(s0.name, 'NVIDIA H100 80GB HBM3');
  assert.equal(s0.memTotalMiB, 81559);
  assert.equal(s0.fanPct, undefined);
  assert.equal(s0.clockEventReasons, 1);
  assert.equal(s0.host, 'h100-host');
  assert.equal(Math.max(...samples.map((s) => s.memUsedMiB ?? 0)), 21491);
  assert.equal(Math.max(...samples.map((s) => s.utilGpuPct ?? 0)), 100);
  assert.ok(samples.some((s) => s.clockEventReasons === 4));
});

test("the H200 recording (driver 580.159.04, under training load) parses; its total matches the catalog's usable memory as PyTorch read it", () => {
  const fields = 'timestamp,index,uuid,name,utilization.gpu,utilization.memory,memory.used,memory.total,power.draw,power.limit,temperature.gpu,temperature.memory,clocks.sm,clocks.mem,clocks_event_reasons.active,pstate,fan.speed'.split(',');
  const plan = planQuery(new Set(fields));
  const withTs = { fields: ['timestamp', ...plan.fields], keys: [undefined, ...plan.keys], kinds: ['str' as const, ...plan.kinds], missing: plan.missing };
  const lines = rec('h200-stream.csv').trim().split('\n');
  const samples = lines.map((l) => parseQueryLine(l, withTs, 'h200-host', 0)).filter((s): s is GpuSample => !!s);
  assert.equal(samples.length, lines.length);
  assert.equal(samples.length, 255);
  assert.ok(samples.every((s) => s.name === 'NVIDIA H200' && s.memTotalMiB === 143771 && s.fanPct === undefined));
  assert.equal(Math.max(...samples.map((s) => s.memUsedMiB ?? 0)), 125147);
  assert.equal(Math.max(...samples.map((s) => s.utilGpuPct ?? 0)), 100);
  assert.ok(samples.some((s) => s.clockEventReasons === 4) && samples.some((s) => s.clockEventReasons === 0));
  assert.match(rec('h200-list.txt'), /^GPU 0: NVIDIA H200 \(UUID: GPU-/);
  // The catalog resolves nvidia-smi's name, and its usable GiB is PyTorch's total on that card (139.80 GiB).
  const g = findGpu(samples[0].name!)!;
  assert.equal(g.id, 'H200-SXM-141GB');
  assert.equal(g.memoryGiB, 139.8);
  const measured = JSON.parse(fs.readFileSync(path.join(repo, 'bench/estimatorH200Heldout.jsonl'), 'utf8').split('\n')[0]) as { total: number };
  assert.equal(Math.round((measured.total / 1024 ** 3) * 100) / 100, 139.8);
});

test('absent values in every form nvidia-smi prints', () => {
  for (const v of ['[N/A]', 'N/A', '[Not Supported]', '[Unknown Error]', '[Insufficient Permissions]', '']) assert.ok(isAbsent(v), v);
  assert.ok(!isAbsent('0'));
});

test('a header or message line is not a sample', () => {
  const plan = planQuery(new Set(['index', 'memory.used']));
  assert.equal(parseQueryLine('No devices were found', plan, 'h', 0), undefined);
  assert.equal(parseQueryLine('index, memory.used [MiB]', plan, 'h', 0), undefined);
});

function waitState(s: GpuSampler, pred: (st: SamplerState) => boolean, timeoutMs = 60_000): Promise<SamplerState> {
  return new Promise((resolve, reject) => {
    if (pred(s.state)) return resolve(s.state);
    const t = setTimeout(() => reject(new Error(`sampler stayed ${JSON.stringify(s.state)}`)), timeoutMs);
    const on = (st: SamplerState) => {
      if (!pred(st)) return;
      clearTimeout(t);
      s.off('state', on);
      resolve(st);
    };
    s.on('state', on);
  });
}

test('the sampler on the replay: one long-lived query process, samples tagged with host and GPU, source replay', async () => {
  const log = path.join(tempDir(), 'invocations.jsonl');
  process.env.NVIDIA_SMI_REPLAY_LOG = log;
  process.env.NVIDIA_SMI_REPLAY_SPEED = '10';
  const s = new GpuSampler({ command: [replay], intervalMs: 250, host: 'recorded-h100' });
  assert.equal(s.source, 'replay');
  const samples: GpuSample[] = [];
  s.on('samples', (b) => samples.push(...b));
  try {
    const st = await s.start();
    assert.equal(st.kind, 'sampling');
    assert.equal(st.source, 'replay');
    // The whole recording plays at 10× speed in about 2.2 s; then the replay ends and so does the stream.
    const end = await waitState(s, (x) => x.kind === 'stopped');
    assert.match((end as { message?: string }).message ?? '', /ended after 89 samples/);
  } finally {
    s.stop();
    delete process.env.NVIDIA_SMI_REPLAY_LOG;
    delete process.env.NVIDIA_SMI_REPLAY_SPEED;
  }
  assert.equal(samples.length, 89);
  assert.ok(samples.every((x) => x.host === 'recorded-h100' && x.gpu === 0));
  assert.equal(Math.max(...samples.map((x) => x.memUsedMiB ?? 0)), 21491);
  const calls = fs
    .readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as string[]);
  assert.deepEqual(calls[0], ['--help-query-gpu']);
  assert.equal(calls.filter((c) => c.some((a) => a.startsWith('--query-gpu='))).length, 1);
  assert.ok(calls[1].includes('-lms') && calls[1].includes('250'));
});

test('no nvidia-smi: a clear "no NVIDIA GPU on this host" state, once', async () => {
  const s = new GpuSampler({ command: [path.join(tempDir(), 'nvidia-smi-missing')] });
  const states: SamplerState[] = [];
  s.on('state', (st) => states.push(st));
  const st = await s.start();
  assert.equal(st.kind, 'no-gpu');
  assert.match((st as { message: string }).message, /^no NVIDIA GPU on this host \(.*not found\)$/);
  assert.equal(st.source, 'live');
  assert.deepEqual(
    states.map((x) => x.kind),
    ['starting', 'no-gpu'],
  );
});

test('a driver with no GPU ("No devices were found") is the no-GPU state, not an error loop', async () => {
  const dir = tempDir();
  const fake = path.join(dir, 'fake-nvidia-smi');
  // Prints the real help text, then answers a query the way nvidia-smi does on a host without GPUs.
  fs.writeFileSync(
    fake,
    `#!${process.execPath}\nconst a=process.argv.slice(2);\nif(a[0]==='--help-query-gpu'){process.stdout.write(require('fs').readFileSync(${JSON.stringify(path.join(repo, 'test/fixtures/nvidia-smi/h100-help-query-gpu.txt'))},'utf8'));process.exit(0)}\nconsole.log('No devices were found');process.exit(6);\n`,
  );
  fs.chmodSync(fake, 0o755);
  const s = new GpuSampler({ command: [fake] });
  const st = await s.start();
  assert.equal(st.kind, 'no-gpu');
  assert.match((st as { message: string }).message, /No devices were found/);
});
