// The second throughput reserve loader (bench/estimatorThroughputReserve2.ts): 17 rows TS5-*, unique ids, all held
// out, and every row that has a configuration becomes a spec that validates (schema and rules) and whose model, GPU
// and layout resolve. The set is held out for the next (MoE) step-time change: this test never runs the estimator
// and says nothing about predicted throughput, step time or MFU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { readThroughputReserve2 } from '../../../bench/estimatorThroughputReserve2';
import type { ReserveThroughputRow } from '../../../bench/estimatorThroughputReserve';
import { throughputDocs } from '../../../bench/estimatorRows';
import { resolveCluster, resolveModel } from '../../../core/estimate/resolve';
import { resolveLayout } from '../../../core/estimate/layout';
import type { ClusterDoc, TrainingJobDoc } from '../../../core/spec/types';
import { check, repo } from '../helpers';

const rows = readThroughputReserve2(repo());
const matched = rows.filter((r) => !r.unmatched);

/** The ids in the file: TS5-01..TS5-19 less TS5-09/10 (the document MG-01 was read from), TS5-20/21 (TH-01/02) not gathered. */
const IDS = ['01', '02', '03', '04', '05', '06', '07', '08', '11', '12', '13', '14', '15', '16', '17', '18', '19'].map((n) => `TS5-${n}`);
/** Rows with no configuration to express: an unnamed GPU, or a model neither in the catalog nor described by the row. */
const UNMATCHED = ['TS5-13', 'TS5-16', 'TS5-19'];

/** The documents bench/estimatorRows.ts builds for a throughput row (throughputDocs), with a Slurm scheduler and a cluster reference so the rules check the job against its cluster. */
function docs(t: ReserveThroughputRow): { job: TrainingJobDoc; cluster: ClusterDoc } {
  const { doc, cluster } = throughputDocs(t);
  return { job: { ...doc, metadata: { name: t.id.toLowerCase() }, spec: { ...doc.spec, cluster: 'bench' } }, cluster: { ...cluster, spec: { ...cluster.spec, scheduler: { type: 'slurm' } } } };
}

test('throughput reserve 2: 17 rows TS5-*, unique ids, all held out', () => {
  assert.equal(rows.length, 17);
  const ids = rows.map((r) => r.id);
  assert.equal(new Set(ids).size, 17, 'ids are unique');
  assert.deepEqual(ids, IDS);
  for (const r of rows) assert.equal(r.part, 'held-out', r.id);
});

test('throughput reserve 2: an unmatched row says why; a matched row has GPUs, a batch, a measured figure and a note', () => {
  for (const r of rows) {
    assert.ok(r.measured > 0 && r.seq > 0, r.id);
    if (r.unmatched) assert.ok(r.unmatched.length > 20, `${r.id}: a reason`);
    else {
      assert.ok(r.gpus >= 1 && r.micro >= 1 && (!r.globalBatch || r.globalBatch % r.micro === 0), r.id);
      assert.ok(r.note && r.note.length > 20, `${r.id}: its assumptions in a note`);
    }
  }
  assert.deepEqual(
    rows.filter((r) => r.unmatched).map((r) => r.id),
    UNMATCHED,
  );
  assert.equal(matched.length, 14);
});

test('throughput reserve 2: the framework families map as the header says', () => {
  const byId = new Map(rows.map((r) => [r.id, r]));
  // torchtitan: FSDP over every GPU, expert parallel with ETP 1, compile.
  for (const id of ['TS5-01', 'TS5-02', 'TS5-03', 'TS5-04', 'TS5-05', 'TS5-06']) {
    const r = byId.get(id)!;
    assert.equal(r.parallelism?.fsdp, 'full', id);
    assert.equal(r.parallelism?.expertTensor, 1, id);
    assert.equal(r.extra?.compile, true, id);
    assert.equal(r.extra?.attention, undefined, id);
  }
  // Primus (Megatron backend) on MI355X: distributed optimizer, fp8, no cuDNN attention on AMD.
  for (const id of ['TS5-07', 'TS5-08']) {
    const r = byId.get(id)!;
    assert.equal(r.gpu, 'MI355X-288GB', id);
    assert.equal(r.parallelism?.zero, 1, id);
    assert.equal(r.precision, 'fp8-mixed', id);
    assert.equal(r.extra, undefined, id);
  }
  // ms-swift Megatron: distributed optimizer, sequence parallel under TP only, flash attention as stated.
  for (const id of ['TS5-11', 'TS5-12', 'TS5-14', 'TS5-15']) {
    const r = byId.get(id)!;
    assert.equal(r.parallelism?.zero, 1, id);
    assert.equal(r.parallelism?.sequenceParallel, (r.parallelism?.tensor ?? 1) > 1 ? true : undefined, id);
    assert.equal(r.extra?.attention, undefined, id);
  }
  // Megatron-DeepSpeed (BLOOM prototypes): the stated ZeRO-1, no sequence parallel, fused softmax as eager.
  for (const id of ['TS5-17', 'TS5-18']) {
    const r = byId.get(id)!;
    assert.equal(r.parallelism?.zero, 1, id);
    assert.equal(r.parallelism?.sequenceParallel, undefined, id);
    assert.equal(r.extra?.attention, 'eager', id);
    assert.equal(r.checkpointing, 'full', id);
  }
});

test('throughput reserve 2: every matched row validates (schema and rules) with no errors', () => {
  const failures: string[] = [];
  for (const r of matched) {
    const { job, cluster } = docs(r);
    const text = `${stringify(cluster)}---\n${stringify(job)}`;
    const errors = check(text, { fileName: `${r.id}.gantry.yaml` }).problems.filter((p) => p.severity === 'error');
    for (const p of errors) failures.push(`${r.id}: ${p.code}: ${p.message}`);
  }
  assert.deepEqual(failures, []);
});

test('throughput reserve 2: every matched row resolves its model, its GPU and its parallel layout', () => {
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
