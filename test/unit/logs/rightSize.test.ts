// Right-sizing: what a run measured (log fixtures in the tools' formats, telemetry peaks) turned into
// hints on the spec with quick fixes whose titles carry the estimator's new figure.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseSpecFile } from '../../../core/spec/parse';
import { measureLines } from '../../../core/logs/measured';
import { readUsage } from '../../../core/logs/usage';
import { sanitizeLine } from '../../../core/logs/sanitize';
import { rightSize, rightSizeInText, KV_TARGET_FILL } from '../../../core/logs/rightSize';
import type { RunOutcome, TelemetryPeak } from '../../../core/logs/versus';
import { estimateInferenceService, estimateTrainingJob, NEAR_CAPACITY } from '../../../core/estimate/index';
import { withEdits } from '../../../core/estimate/withEdits';
import type { ClusterDoc, InferenceServiceDoc, TrainingJobDoc } from '../../../core/spec/types';
import { repo, at } from '../helpers';

const GiB = 1024 ** 3;
const lines = (...names: string[]) =>
  names.flatMap((n) =>
    readFileSync(repo('test/fixtures/logs', n), 'utf8')
      .split('\n')
      .map((l) => sanitizeLine(l)),
  );

const CLUSTER_TEXT = `apiVersion: gantry/v1
kind: Cluster
metadata: { name: h100-pod }
spec:
  scheduler: { type: slurm }
  nodes: { count: 4, gpu: { model: H100-SXM-80GB, count: 8 } }
  interconnect: { intraNode: { type: nvlink4 }, interNode: { type: infiniband-ndr } }
`;
const CLUSTER = parseSpecFile(CLUSTER_TEXT)[0].value as ClusterDoc;

const JOB = `apiVersion: gantry/v1
kind: TrainingJob
metadata:
  name: ft
spec:
  cluster: h100-pod
  resources: { nodes: 1, gpusPerNode: 8 }
  model: { preset: llama-3-8b }
  parallelism: { fsdp: full }
  batch:
    micro: 1
    gradientAccumulation: 16
    sequenceLength: 4096
  activationCheckpointing: selective
  command: [torchrun, train.py]
`;

const SERVICE = `apiVersion: gantry/v1
kind: InferenceService
metadata:
  name: chat
spec:
  cluster: h100-pod
  engine: vllm
  model: { preset: llama-3.1-8b }
  tensorParallel: 4
  maxModelLen: 8192
`;

function outcome(kind: RunOutcome['kind'], log: string[], telemetry?: TelemetryPeak, estimate: RunOutcome['estimate'] = {}, gpus = 8): RunOutcome {
  return { version: 1, runId: 'run-1', state: 'succeeded', gpus, kind, cluster: 'h100-pod', estimate, log: measureLines(log), ...(readUsage(log) ? { usage: readUsage(log) } : {}), ...(telemetry ? { telemetry } : {}) };
}
const docOf = <T>(text: string) => parseSpecFile(text)[0].value as T;

test('rightSize: GPUs mostly idle (DCGM SM activity) is said with the figure, at `kind`, with no edit', () => {
  const o = outcome('TrainingJob', [], { peakDeviceGiB: 20, gpus: 8, samples: 120, meanSmActivePct: 12.4, source: 'Prometheus (DCGM)' });
  const [a] = rightSize({ doc: docOf<TrainingJobDoc>(JOB), cluster: CLUSTER, outcome: o }).filter((x) => x.code === 'gpus-idle');
  assert.ok(a);
  assert.match(a.message, /mean SM activity 12 % over 8 GPUs, 120 samples from Prometheus \(DCGM\)/);
  assert.deepEqual(a.fixes, []);
  const busy = outcome('TrainingJob', [], { peakDeviceGiB: 20, gpus: 8, samples: 120, meanSmActivePct: 71, meanUtilPct: 3, source: 'Prometheus (DCGM)' });
  assert.ok(!rightSize({ doc: docOf<TrainingJobDoc>(JOB), cluster: CLUSTER, outcome: busy }).some((x) => x.code === 'gpus-idle'), 'SM activity wins over utilization');
  const smi = outcome('TrainingJob', [], { peakDeviceGiB: 20, gpus: 1, samples: 30, meanUtilPct: 4, source: 'nvidia-smi' });
  assert.match(rightSize({ doc: docOf<TrainingJobDoc>(JOB), cluster: CLUSTER, outcome: smi })[0].message, /mean GPU utilization 4 % \(nvidia-smi/);
});

test('rightSize: measured headroom → the largest micro-batch whose predicted peak fits, global batch kept', () => {
  const doc = docOf<TrainingJobDoc>(JOB);
  const measured = 30;
  const o = outcome('TrainingJob', [], { peakDeviceGiB: measured, gpus: 8, samples: 60, meanSmActivePct: 80, source: 'nvidia-smi (replayed)' });
  const advice = rightSize({ doc, cluster: CLUSTER, outcome: o });
  assert.equal(advice.length, 1);
  const [a] = advice;
  assert.equal(a.code, 'memory-headroom');
  assert.deepEqual(a.path, ['spec', 'batch', 'micro']);
  const [fix] = a.fixes;
  const m = /^Set batch\.micro to (\d+) \(est\. ([\d.]+) GiB of ([\d.]+) GiB\)$/.exec(fix.title);
  assert.ok(m, fix.title);
  const micro = Number(m[1]);
  assert.ok(micro >= 2 && micro <= 16);
  assert.deepEqual(fix.edits, [
    { path: ['spec', 'batch', 'micro'], value: micro },
    { path: ['spec', 'batch', 'gradientAccumulation'], value: 16 / micro },
  ]);
  // The title's figure: the measured peak plus the estimator's difference, within 90 % of the GPU;
  // the next step up would not be.
  const cur = estimateTrainingJob(doc, CLUSTER).memory!;
  const predicted = (m2: number) =>
    measured +
    (estimateTrainingJob(
      withEdits(doc, [
        { path: ['spec', 'batch', 'micro'], value: m2 },
        { path: ['spec', 'batch', 'gradientAccumulation'], value: 16 / m2 },
      ]),
      CLUSTER,
    ).memory!.perGpu.deviceBytes -
      cur.perGpu.deviceBytes) /
      GiB;
  assert.equal(Number(m[2]), Number(predicted(micro).toFixed(1)));
  const cap = cur.capacityBytes / GiB;
  assert.equal(m[3], cap.toFixed(1));
  assert.ok(predicted(micro) <= NEAR_CAPACITY * cap);
  if (micro < 16) assert.ok(predicted(micro * 2) > NEAR_CAPACITY * cap, `micro ${micro * 2} would also fit`);
  assert.match(a.message, new RegExp(`peaked at 30\\.0 GiB of ${cap.toFixed(1)} GiB per GPU \\(nvidia-smi \\(replayed\\)\\): room for a micro-batch of ${micro}`));
});

test('rightSize: the baseline is the estimate the run was submitted with (a fix applied since moves on from there)', () => {
  const at1 = estimateTrainingJob(docOf<TrainingJobDoc>(JOB), CLUSTER).memory!.perGpu.deviceBytes / GiB;
  const now = docOf<TrainingJobDoc>(JOB.replace('micro: 1', 'micro: 2').replace('gradientAccumulation: 16', 'gradientAccumulation: 8'));
  const o = outcome('TrainingJob', [], { peakDeviceGiB: 20, gpus: 8, samples: 60, source: 'nvidia-smi' }, { deviceGiBPerGpu: at1 });
  const [a] = rightSize({ doc: now, cluster: CLUSTER, outcome: o });
  const m = /^Set batch\.micro to (\d+) \(est\. ([\d.]+) GiB/.exec(a.fixes[0].title);
  assert.ok(m, a.fixes[0].title);
  const micro = Number(m[1]);
  const est = estimateTrainingJob(withEdits(now, a.fixes[0].edits), CLUSTER).memory!.perGpu.deviceBytes / GiB;
  assert.equal(m[2], (20 + est - at1).toFixed(1));
  assert.ok(micro >= 4);
  assert.deepEqual(rightSize({ doc: now, cluster: CLUSTER, outcome: { ...o, gpus: 16 } }), [], 'a run on 16 GPUs says nothing about 8');
});

test('rightSize: no headroom advice after an OOM, near capacity, or without a measured peak', () => {
  const doc = docOf<TrainingJobDoc>(JOB);
  const oom = outcome('TrainingJob', lines('oom-titan.log'));
  assert.deepEqual(rightSize({ doc, cluster: CLUSTER, outcome: oom }), []);
  const full = outcome('TrainingJob', [], { peakDeviceGiB: 75, gpus: 8, samples: 60, source: 'nvidia-smi' });
  assert.deepEqual(rightSize({ doc, cluster: CLUSTER, outcome: full }), []);
  assert.deepEqual(rightSize({ doc, cluster: CLUSTER, outcome: outcome('TrainingJob', []) }), []);
});

test('rightSize: torchtitan log peak (no telemetry): the advice names its source; no GA in the spec → the title says the global batch grows', () => {
  const doc = docOf<TrainingJobDoc>(JOB.replace('    gradientAccumulation: 16\n', ''));
  const o = outcome(
    'TrainingJob',
    lines('torchtitan-train.log').map((l) => l.replace(/memory: \d+\.\d+GiB\(\d+\.\d+%\)/, 'memory: 20.00GiB(25.26%)')),
  );
  const [a] = rightSize({ doc, cluster: CLUSTER, outcome: o });
  assert.equal(a?.code, 'memory-headroom');
  assert.match(a.message, /peaked at 20\.0 GiB .*torchtitan max reserved/);
  assert.match(a.fixes[0].title, /, global batch ×\d+\)$/);
  assert.equal(a.fixes[0].edits.length, 1);
});

test('rightSize: a vLLM service whose KV cache never filled → a smaller tensorParallel with the new estimate', () => {
  const doc = docOf<InferenceServiceDoc>(SERVICE);
  const o = outcome('InferenceService', lines('vllm-v1-startup.log', 'vllm-v1-stats.log'), undefined, {}, 4);
  assert.equal(o.usage?.peakKvUsagePct.value, 6.1);
  const [a] = rightSize({ doc, cluster: CLUSTER, outcome: o });
  assert.equal(a.code, 'kv-cache-unused');
  assert.deepEqual(a.path, ['spec', 'tensorParallel']);
  assert.match(a.message, /never filled .*: peak 6\.1 % of 448,832 tokens ≈ 27,379 tokens, 14 requests running at most, over 5 stats lines/);
  const [fix] = a.fixes;
  const m = /^Set tensorParallel to (\d) \(est\. (\d) GPUs?\/replica, ≈ ([\d,]+) KV tokens: the last peak would fill (\d+) %\)$/.exec(fix.title);
  assert.ok(m, fix.title);
  const tp = Number(m[1]);
  assert.ok(tp < 4);
  // The new cache is the estimator's, scaled by what the engine measured against the estimate at TP 4.
  const now = estimateInferenceService(doc, CLUSTER).serving!.kvCacheTokens;
  const then = estimateInferenceService(withEdits(doc, [{ path: ['spec', 'tensorParallel'], value: tp }]), CLUSTER);
  assert.ok(then.ok);
  const cap = then.serving!.kvCacheTokens * (448832 / now);
  assert.equal(m[3], Math.round(cap).toLocaleString('en-US'));
  assert.ok((0.061 * 448832) / cap <= KV_TARGET_FILL);
});

test('rightSize: SGLang (tokens in use from #token), TP 1 with replicas → fewer replicas', () => {
  const doc = docOf<InferenceServiceDoc>(SERVICE.replace('engine: vllm', 'engine: sglang').replace('tensorParallel: 4', 'tensorParallel: 1\n  replicas: 8'));
  const o = outcome('InferenceService', lines('sglang-startup.log', 'sglang-stats.log'), undefined, {}, 1);
  const [a] = rightSize({ doc, cluster: CLUSTER, outcome: o });
  assert.equal(a.code, 'kv-cache-unused');
  assert.deepEqual(a.path, ['spec', 'replicas']);
  // 8 replicas each at 37,150 of 412,845 tokens (9 %): 2 replicas would be at 36 %.
  assert.equal(a.fixes[0].title, 'Set replicas to 2 (est. 2 GPUs in all; the last peak would fill 36 % of each cache)');
});

test('rightSize: a busy KV cache or too few stats lines: no advice', () => {
  const doc = docOf<InferenceServiceDoc>(SERVICE);
  assert.deepEqual(rightSize({ doc, cluster: CLUSTER, outcome: outcome('InferenceService', lines('vllm-v0-startup.log', 'vllm-v0-stats.log'), undefined, {}, 4) }), []);
  assert.deepEqual(rightSize({ doc, cluster: CLUSTER, outcome: outcome('InferenceService', lines('vllm-v1-stats.log').slice(0, 3), undefined, {}, 4) }), []);
  assert.deepEqual(rightSize({ doc, cluster: CLUSTER, outcome: outcome('InferenceService', lines('vllm-v1-startup.log', 'vllm-v1-stats.log'), undefined, {}, 2) }), [], 'the run had TP 2: the spec changed since');
});

test('rightSizeInText: a hint at the key, fixes as text edits on the file (second document)', () => {
  const text = `${SERVICE}---\n${JOB}`;
  const docs = parseSpecFile(text);
  const o = outcome('TrainingJob', [], { peakDeviceGiB: 30, gpus: 8, samples: 60, source: 'nvidia-smi' });
  const [p] = rightSizeInText(text, docs[1], { doc: docs[1].value as TrainingJobDoc, cluster: CLUSTER, outcome: o });
  assert.equal(p.severity, 'hint');
  assert.equal(p.docIndex, 1);
  assert.equal(at(text, p), 'micro');
  const micro = (p.fixes![0].sets![0].value as number).toString();
  const edited = p.fixes![0].edits.reduceRight((t, e) => t.slice(0, e.offset) + e.newText + t.slice(e.offset + e.length), text);
  assert.match(edited, new RegExp(`micro: ${micro}\\n    gradientAccumulation: ${16 / Number(micro)}\\n`));
  assert.ok(edited.startsWith(SERVICE));
});

test('rightSize: a device total other than the estimate capacity says which Cluster field to set (ECC mode, or memoryGiB)', () => {
  const ada = (gpu: string) => parseSpecFile(CLUSTER_TEXT.replace('{ model: H100-SXM-80GB, count: 8 }', gpu))[0].value as ClusterDoc;
  const doc = docOf<TrainingJobDoc>(JOB);
  const titan = (mem: string) => [`[rank0]:[titan] 2026-11-22 16:30:00,200 - root - INFO - step:  1  loss: 12.2544  grad_norm:  1.2345  memory: ${mem}  tps: 1,302  tflops: 71.84  mfu: 7.26%`];
  const differs = (c: ClusterDoc, o: RunOutcome) => rightSize({ doc, cluster: c, outcome: o }).filter((a) => a.code === 'gpu-memory-differs');
  // torchtitan's 30.00 GiB at 63.25 % is a 47.43 GiB device: an RTX 6000 Ada with ECC off, where the catalog holds ECC on.
  const [a] = differs(ada('{ model: RTX-6000-Ada-48GB, count: 8 }'), outcome('TrainingJob', titan('30.00GiB(63.25%)')));
  assert.ok(a);
  assert.deepEqual(a.path, ['spec', 'cluster']);
  assert.match(a.message, /report 47\.43 GiB \(torchtitan memory share, log line 1\); the estimate took 44\.43 GiB per GPU from Cluster 'h100-pod' \(NVIDIA RTX 6000 Ada Generation 48GB, ECC on\)\. That is the card with ECC off: set nodes\.gpu\.ecc: false in the Cluster\./);
  assert.deepEqual(a.fixes, []);
  // Once the Cluster says so, the run agrees with it.
  assert.deepEqual(differs(ada('{ model: RTX-6000-Ada-48GB, count: 8, ecc: false }'), outcome('TrainingJob', titan('30.00GiB(63.25%)'))), []);
  // A CUDA total that is no ECC mode of the card (a 40 GB A100 run against an 80 GB Cluster): memoryGiB.
  const oom = ['torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 39.59 GiB of which 1.06 GiB is free. Including non-PyTorch memory, this process has 38.52 GiB memory in use.'];
  const [b] = differs(CLUSTER, outcome('TrainingJob', oom));
  assert.match(b.message, /report 39\.59 GiB \(CUDA out-of-memory message, log line 1\); the estimate took 79\.19 GiB per GPU from Cluster 'h100-pod'\. Set nodes\.gpu\.memoryGiB: 39\.59 in the Cluster/);
  // Within 2 %: nothing (the fixture's 8B run on the 80 GB H100 it names).
  assert.deepEqual(differs(CLUSTER, outcome('TrainingJob', lines('torchtitan-train.log'))), []);
  // nvidia-smi's framebuffer total decides only the ECC mode of a switchable card: 49140 MiB on an L40S is ECC off.
  const l40s = ada('{ model: L40S-48GB, count: 8 }');
  const smi = (mib: number): TelemetryPeak => ({ peakDeviceGiB: 20, deviceTotalMiB: mib, gpus: 8, samples: 30, meanUtilPct: 90, source: 'nvidia-smi' });
  const [c] = differs(l40s, outcome('TrainingJob', [], smi(49140)));
  assert.match(c.message, /show 49,140 MiB in total \(nvidia-smi\): ECC off; the estimate took 44\.39 GiB .*ECC on\)\. Set nodes\.gpu\.ecc: false in the Cluster \(3 GiB more per GPU\)\./);
  assert.deepEqual(differs(l40s, outcome('TrainingJob', [], smi(46068))), []);
  assert.deepEqual(differs(CLUSTER, outcome('TrainingJob', [], smi(81559))), [], 'an H100 has no ECC mode to read');
  // A stored outcome (figures.json, a workspace file) with odd figures gives no advice and no crash, and the other rules still run.
  for (const value of [-1, '47.43', true, { x: 1 }, Number.NaN] as unknown[]) {
    const odd = outcome('TrainingJob', [], { peakDeviceGiB: 20, gpus: 8, samples: 120, meanSmActivePct: 5, deviceTotalMiB: value as number, source: 'nvidia-smi' });
    odd.log.deviceTotalGiB = { value: value as number, line: 0, source: 'x' };
    const advice = rightSize({ doc, cluster: l40s, outcome: odd });
    assert.deepEqual(
      advice.filter((a) => a.code === 'gpu-memory-differs'),
      [],
      String(value),
    );
    assert.ok(
      advice.some((a) => a.code === 'gpus-idle'),
      'the other rules are not lost',
    );
  }
  // A run on another Cluster says nothing of this one.
  assert.deepEqual(differs(CLUSTER, { ...outcome('TrainingJob', oom), cluster: 'a100-pod' }), []);
});
