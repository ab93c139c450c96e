// What every throughput-reserve loader test checks (throughputReserve*.test.ts): the rows' shape, and that each row
// with a configuration becomes a spec that validates and resolves. None of it runs the estimator: a reserve set is
// held out, and these tests say nothing about predicted throughput, step time or MFU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import type { ReserveThroughputRow } from '../../../bench/estimatorThroughputReserve';
import { throughputDocs } from '../../../bench/estimatorRows';
import { resolveCluster, resolveModel } from '../../../core/estimate/resolve';
import { resolveLayout } from '../../../core/estimate/layout';
import { findModel } from '../../../core/catalog/models';
import type { ClusterDoc, TrainingJobDoc } from '../../../core/spec/types';
import { check } from '../helpers';

/** The documents bench/estimatorRows.ts builds for a throughput row (throughputDocs), with a Slurm scheduler and a cluster reference so the rules check the job against its cluster. */
export function reserveDocs(t: ReserveThroughputRow): { job: TrainingJobDoc; cluster: ClusterDoc } {
  const { doc, cluster } = throughputDocs(t);
  return { job: { ...doc, metadata: { name: t.id.toLowerCase() }, spec: { ...doc.spec, cluster: 'bench' } }, cluster: { ...cluster, spec: { ...cluster.spec, scheduler: { type: 'slurm' } } } };
}

/** The ids in order, unique, all held out; an unmatched row says why; a matched row has GPUs, a batch, a measured figure and a note. */
export function shapeTests(name: string, rows: readonly ReserveThroughputRow[], ids: readonly string[], unmatched: readonly string[]): void {
  test(`${name}: ${ids.length} rows ${ids[0]}..${ids[ids.length - 1]}, unique ids, all held out`, () => {
    assert.equal(rows.length, ids.length);
    const got = rows.map((r) => r.id);
    assert.equal(new Set(got).size, ids.length, 'ids are unique');
    assert.deepEqual(got, ids);
    for (const r of rows) assert.equal(r.part, 'held-out', r.id);
  });
  test(`${name}: an unmatched row says why; a matched row has GPUs, a batch, a measured figure and a note`, () => {
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
      unmatched,
    );
  });
}

/**
 * Every matched row validates (schema and rules) with no errors — but the layers-divisible rule for the rows whose
 * published pipeline splits the layers unevenly (`unevenPipeline`), and only where they really do not divide — and
 * resolves its model, its catalog GPU and its parallel layout.
 */
export function specTests(name: string, matched: readonly ReserveThroughputRow[], unevenPipeline: ReadonlySet<string> = new Set()): void {
  test(`${name}: every matched row validates (schema and rules) with no errors`, () => {
    const failures: string[] = [];
    for (const r of matched) {
      const { job, cluster } = reserveDocs(r);
      const text = `${stringify(cluster)}---\n${stringify(job)}`;
      const errors = check(text, { fileName: `${r.id}.gantry.yaml` }).problems.filter((p) => p.severity === 'error');
      const stages = (r.parallelism?.pipeline ?? 1) * (r.parallelism?.virtualPipelineStages ?? 1);
      const layers = 'preset' in r.model ? findModel(r.model.preset)?.architecture.layers : r.model.architecture.layers;
      const allowed = (code: string) => code === 'layers-divisible' && unevenPipeline.has(r.id) && layers !== undefined && layers % stages !== 0;
      for (const p of errors) if (!allowed(p.code)) failures.push(`${r.id}: ${p.code}: ${p.message}`);
    }
    assert.deepEqual(failures, []);
  });
  test(`${name}: every matched row resolves its model, its GPU and its parallel layout`, () => {
    const failures: string[] = [];
    for (const r of matched) {
      const { job, cluster } = reserveDocs(r);
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
}
