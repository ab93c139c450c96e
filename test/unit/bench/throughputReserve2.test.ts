// The second throughput reserve loader (bench/estimatorThroughputReserve2.ts): 17 rows TS5-*, unique ids, all held
// out, and every row that has a configuration becomes a spec that validates (schema and rules) and whose model, GPU
// and layout resolve. The set is held out for the next (MoE) step-time change: this test never runs the estimator
// and says nothing about predicted throughput, step time or MFU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readThroughputReserve2 } from '../../../bench/estimatorThroughputReserve2';
import { repo } from '../helpers';
import { shapeTests, specTests } from './reserveChecks';

const rows = readThroughputReserve2(repo());
const matched = rows.filter((r) => !r.unmatched);

/** The ids in the file: TS5-01..TS5-19 less TS5-09/10 (the document MG-01 was read from), TS5-20/21 (TH-01/02) not gathered. */
const IDS = ['01', '02', '03', '04', '05', '06', '07', '08', '11', '12', '13', '14', '15', '16', '17', '18', '19'].map((n) => `TS5-${n}`);
/** Rows with no configuration to express: an unnamed GPU, or a model neither in the catalog nor described by the row. */
const UNMATCHED = ['TS5-13', 'TS5-16', 'TS5-19'];

shapeTests('throughput reserve 2', rows, IDS, UNMATCHED);

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

specTests('throughput reserve 2', matched);
