// The throughput reserve loader (bench/estimatorThroughputReserve.ts): 34 rows, unique ids, all held out, and every
// row that has a configuration becomes a spec that validates (schema and rules) and whose model, GPU and layout
// resolve. The set is held out for the next step-time change: this test never runs the estimator and says
// nothing about predicted throughput, step time or MFU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { readThroughputReserve, type ReserveThroughputRow } from '../../../bench/estimatorThroughputReserve';
import { throughputDocs } from '../../../bench/estimatorRows';
import { resolveCluster, resolveModel } from '../../../core/estimate/resolve';
import { resolveLayout } from '../../../core/estimate/layout';
import { findModel } from '../../../core/catalog/models';
import type { ClusterDoc, TrainingJobDoc } from '../../../core/spec/types';
import { check, repo } from '../helpers';

const rows = readThroughputReserve(repo());
const matched = rows.filter((r) => !r.unmatched);

/** Rows whose published pipeline splits the layers unevenly (Megatron's and torchtitan's uneven first/last stages); the spec's layers-divisible rule wants even stages. */
const UNEVEN_PIPELINE = new Set(['TS4-05', 'TS4-10', 'TS4-33']);

/** The documents bench/estimatorRows.ts builds for a throughput row (throughputDocs), with a Slurm scheduler and a cluster reference so the rules check the job against its cluster. */
function docs(t: ReserveThroughputRow): { job: TrainingJobDoc; cluster: ClusterDoc } {
  const { doc, cluster } = throughputDocs(t);
  return { job: { ...doc, metadata: { name: t.id.toLowerCase() }, spec: { ...doc.spec, cluster: 'bench' } }, cluster: { ...cluster, spec: { ...cluster.spec, scheduler: { type: 'slurm' } } } };
}

test('throughput reserve: 34 rows TS4-01..TS4-34, unique ids, all held out', () => {
  assert.equal(rows.length, 34);
  const ids = rows.map((r) => r.id);
  assert.equal(new Set(ids).size, 34, 'ids are unique');
  assert.deepEqual(
    ids,
    Array.from({ length: 34 }, (_, i) => `TS4-${String(i + 1).padStart(2, '0')}`),
  );
  for (const r of rows) assert.equal(r.part, 'held-out', r.id);
});

test('throughput reserve: an unmatched row says why; a matched row has GPUs, a batch and a measured figure', () => {
  for (const r of rows) {
    assert.ok(r.measured > 0 && r.seq > 0, r.id);
    if (r.unmatched) assert.ok(r.unmatched.length > 20, `${r.id}: a reason`);
    else assert.ok(r.gpus >= 1 && r.micro >= 1 && (!r.globalBatch || r.globalBatch % r.micro === 0), r.id);
  }
  assert.ok(matched.length >= 30, `${matched.length} matched`);
});

test('throughput reserve: every matched row validates (schema and rules) with no errors', () => {
  const failures: string[] = [];
  for (const r of matched) {
    const { job, cluster } = docs(r);
    const text = `${stringify(cluster)}---\n${stringify(job)}`;
    const errors = check(text, { fileName: `${r.id}.gantry.yaml` }).problems.filter((p) => p.severity === 'error');
    const pp = r.parallelism?.pipeline ?? 1;
    const stages = pp * (r.parallelism?.virtualPipelineStages ?? 1);
    const layers = 'preset' in r.model ? findModel(r.model.preset)?.architecture.layers : r.model.architecture.layers;
    const allowed = (code: string) => code === 'layers-divisible' && UNEVEN_PIPELINE.has(r.id) && layers !== undefined && layers % stages !== 0;
    for (const p of errors) if (!allowed(p.code)) failures.push(`${r.id}: ${p.code}: ${p.message}`);
  }
  assert.deepEqual(failures, []);
});

test('throughput reserve: every matched row resolves its model, its GPU and its parallel layout', () => {
  const failures: string[] = [];
  for (const r of matched) {
    const { job, cluster } = docs(r);
    const m = resolveModel(job.spec.model, {}, ['spec', 'model']);
    if (!m.model) failures.push(`${r.id}: model: ${m.findings.map((f) => f.message).join('; ')}`);
    const c = resolveCluster(cluster, job.spec.resources.gpusPerNode, job.spec.resources.nodes, []);
    if (!c.cluster || c.cluster.gpu.id !== r.gpu || c.cluster.assumed) failures.push(`${r.id}: GPU: ${c.findings.map((f) => f.message).join('; ') || 'not the catalog GPU'}`);
    const l = resolveLayout(job.spec);
    if (!l.layout) failures.push(`${r.id}: layout: ${l.findings.map((f) => f.message).join('; ')}`);
    for (const f of [...m.findings, ...c.findings, ...l.findings]) if (f.severity === 'error') failures.push(`${r.id}: ${f.message}`);
  }
  assert.deepEqual(failures, []);
});
