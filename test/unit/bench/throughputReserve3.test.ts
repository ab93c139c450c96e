// The third throughput reserve loader (readThroughputReserve3 in bench/estimatorThroughputReserve2.ts): 23 rows TS6-*,
// unique ids, all held out, and every row that has a configuration becomes a spec that validates (schema and rules)
// and whose model, GPU and layout resolve. The set is held out for the next step-time change: this test never runs
// the estimator and says nothing about predicted throughput, step time or MFU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readThroughputReserve3 } from '../../../bench/estimatorThroughputReserve2';
import { repo } from '../helpers';
import { shapeTests, specTests } from './reserveChecks';

const rows = readThroughputReserve3(repo());
const matched = rows.filter((r) => !r.unmatched);

/** The ids in the file: TS6-01..TS6-23 (TS6-01..11 MoE, TS6-12..23 dense). */
const IDS = Array.from({ length: 23 }, (_, i) => `TS6-${String(i + 1).padStart(2, '0')}`);
/** Rows with no configuration to express: none (every TS6 row names its GPU, model and layout). */
const UNMATCHED: string[] = [];
/** Rows whose published pipeline splits the layers unevenly (torchtitan's and NeMo's uneven stages); the spec's layers-divisible rule wants even stages. */
const UNEVEN_PIPELINE = new Set(['TS6-01', 'TS6-02', 'TS6-06', 'TS6-07', 'TS6-08', 'TS6-20', 'TS6-21']);

shapeTests('throughput reserve 3', rows, IDS, UNMATCHED);

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

specTests('throughput reserve 3', matched, UNEVEN_PIPELINE);
