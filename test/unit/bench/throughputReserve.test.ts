// The throughput reserve loader (bench/estimatorThroughputReserve.ts): 34 rows, unique ids, all held out, and every
// row that has a configuration becomes a spec that validates (schema and rules) and whose model, GPU and layout
// resolve. The set is held out for the next step-time change: this test never runs the estimator and says
// nothing about predicted throughput, step time or MFU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readThroughputReserve } from '../../../bench/estimatorThroughputReserve';
import { repo } from '../helpers';
import { specTests } from './reserveChecks';

const rows = readThroughputReserve(repo());
const matched = rows.filter((r) => !r.unmatched);

/** Rows whose published pipeline splits the layers unevenly (Megatron's and torchtitan's uneven first/last stages); the spec's layers-divisible rule wants even stages. */
const UNEVEN_PIPELINE = new Set(['TS4-05', 'TS4-10', 'TS4-33']);

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

specTests('throughput reserve', matched, UNEVEN_PIPELINE);
