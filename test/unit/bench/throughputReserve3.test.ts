// The third throughput reserve loader (readThroughputReserve3 in bench/estimatorThroughputReserve2.ts): 23 rows TS6-*,
// unique ids, all held out, and every row that has a configuration becomes a spec that validates (schema and rules)
// and whose model, GPU and layout resolve. The set is held out for the next step-time change: this test never runs
// the estimator and says nothing about predicted throughput, step time or MFU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { readThroughputReserve3, THROUGHPUT_RESERVE3_FILE } from '../../../bench/estimatorThroughputReserve2';
import type { ReserveThroughputRow } from '../../../bench/estimatorThroughputReserve';
import { throughputDocs } from '../../../bench/estimatorRows';
import { resolveCluster, resolveModel } from '../../../core/estimate/resolve';
import { resolveLayout } from '../../../core/estimate/layout';
import { findModel } from '../../../core/catalog/models';
import type { ClusterDoc, TrainingJobDoc } from '../../../core/spec/types';
import { check, repo } from '../helpers';

const rows = readThroughputReserve3(repo());
const matched = rows.filter((r) => !r.unmatched);

/** The ids in the file: TS6-01..TS6-23 (TS6-01..11 MoE, TS6-12..23 dense). */
const IDS = Array.from({ length: 23 }, (_, i) => `TS6-${String(i + 1).padStart(2, '0')}`);
/** Rows with no configuration to express: none (every TS6 row names its GPU, model and layout). */
const UNMATCHED: string[] = [];
/** Rows whose published pipeline splits the layers unevenly (torchtitan's and NeMo's uneven stages); the spec's layers-divisible rule wants even stages. */
const UNEVEN_PIPELINE = new Set(['TS6-01', 'TS6-02', 'TS6-06', 'TS6-07', 'TS6-08', 'TS6-20', 'TS6-21']);

/** The documents bench/estimatorRows.ts builds for a throughput row (throughputDocs), with a Slurm scheduler and a cluster reference so the rules check the job against its cluster. */
function docs(t: ReserveThroughputRow): { job: TrainingJobDoc; cluster: ClusterDoc } {
  const { doc, cluster } = throughputDocs(t);
  return { job: { ...doc, metadata: { name: t.id.toLowerCase() }, spec: { ...doc.spec, cluster: 'bench' } }, cluster: { ...cluster, spec: { ...cluster.spec, scheduler: { type: 'slurm' } } } };
}

test('throughput reserve 3: 23 rows TS6-*, unique ids, all held out', () => {
  assert.equal(THROUGHPUT_RESERVE3_FILE, 'bench/data/throughput-reserve3.jsonl');
  assert.equal(rows.length, 23);
  const ids = rows.map((r) => r.id);
  assert.equal(new Set(ids).size, 23, 'ids are unique');
  assert.deepEqual(ids, IDS);
  for (const r of rows) assert.equal(r.part, 'held-out', r.id);
});

test('throughput reserve 3: an unmatched row says why; a matched row has GPUs, a batch, a measured figure and a note', () => {
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
  assert.equal(matched.length, 23);
});

test('throughput reserve 3: the framework families and GPUs map as the loader header says', () => {
  const byId = new Map(rows.map((r) => [r.id, r]));
  // torchtitan (its transformers modeling backend too): FSDP over every GPU, no sequence parallel, attention left at the default.
  for (const id of ['TS6-01', 'TS6-02', 'TS6-03', 'TS6-04', 'TS6-05', 'TS6-06', 'TS6-12', 'TS6-13', 'TS6-14', 'TS6-15']) {
    const r = byId.get(id)!;
    assert.equal(r.parallelism?.fsdp, 'full', id);
    assert.equal(r.parallelism?.zero, undefined, id);
    assert.equal(r.parallelism?.sequenceParallel, undefined, id);
    assert.equal(r.extra?.attention, undefined, id);
  }
  for (const id of ['TS6-01', 'TS6-02', 'TS6-05']) assert.equal(byId.get(id)!.parallelism?.expertTensor, 1, id);
  // NeMo 2.0 and Megatron-LM: distributed optimizer, sequence parallel under TP, cuDNN attention unless the row names another.
  for (const id of ['TS6-07', 'TS6-08', 'TS6-09', 'TS6-10', 'TS6-11', 'TS6-18', 'TS6-19', 'TS6-20', 'TS6-21']) {
    const r = byId.get(id)!;
    assert.equal(r.parallelism?.zero, 1, id);
    assert.equal(r.parallelism?.fsdp, undefined, id);
    assert.equal(r.parallelism?.sequenceParallel, (r.parallelism?.tensor ?? 1) > 1 ? true : undefined, id);
    assert.equal(r.extra?.attention, 'cudnn', id);
  }
  // ms-swift and FlagScale: the Megatron family with the stated flash attention.
  for (const id of ['TS6-16', 'TS6-17', 'TS6-22', 'TS6-23']) {
    const r = byId.get(id)!;
    assert.equal(r.parallelism?.zero, 1, id);
    assert.equal(r.parallelism?.sequenceParallel, true, id);
    assert.equal(r.extra?.attention, undefined, id);
  }
  // The GPUs the TS6 rows add to the mapping, and the precisions.
  assert.equal(byId.get('TS6-16')!.gpu, 'H20-96GB');
  assert.equal(byId.get('TS6-05')!.gpu, 'H100-SXM-96GB');
  assert.equal(byId.get('TS6-22')!.gpu, 'H800-SXM-80GB');
  for (const id of ['TS6-10', 'TS6-13', 'TS6-16', 'TS6-18', 'TS6-19']) assert.equal(byId.get(id)!.precision, 'fp8-mixed', id);
  // Architectures from the rows' architecture_notes where the catalog lacks the model.
  for (const id of ['TS6-06', 'TS6-09', 'TS6-10', 'TS6-11']) assert.ok('architecture' in byId.get(id)!.model, id);
});

test('throughput reserve 3: every matched row validates (schema and rules) with no errors', () => {
  const failures: string[] = [];
  for (const r of matched) {
    const { job, cluster } = docs(r);
    const text = `${stringify(cluster)}---\n${stringify(job)}`;
    const errors = check(text, { fileName: `${r.id}.gantry.yaml` }).problems.filter((p) => p.severity === 'error');
    const stages = (r.parallelism?.pipeline ?? 1) * (r.parallelism?.virtualPipelineStages ?? 1);
    const layers = 'preset' in r.model ? findModel(r.model.preset)?.architecture.layers : r.model.architecture.layers;
    const allowed = (code: string) => code === 'layers-divisible' && UNEVEN_PIPELINE.has(r.id) && layers !== undefined && layers % stages !== 0;
    for (const p of errors) if (!allowed(p.code)) failures.push(`${r.id}: ${p.code}: ${p.message}`);
  }
  assert.deepEqual(failures, []);
});

test('throughput reserve 3: every matched row resolves its model, its GPU and its parallel layout', () => {
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
