// The fourth throughput reserve loader (readThroughputReserve4 in bench/estimatorThroughputReserve2.ts): 23 rows TS7-*,
// unique ids, all held out, and every row that has a configuration becomes a spec that validates (schema and rules)
// and whose model, GPU and layout resolve. The set is held out for the next step-time change: this test never runs
// the estimator and says nothing about predicted throughput, step time or MFU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readThroughputReserve4 } from '../../../bench/estimatorThroughputReserve2';
import type { ReserveThroughputRow } from '../../../bench/estimatorThroughputReserve';
import { findModel } from '../../../core/catalog/models';
import { repo } from '../helpers';
import { shapeTests, specTests } from './reserveChecks';

const rows = readThroughputReserve4(repo());
const matched = rows.filter((r) => !r.unmatched);

/** The ids in the file: TS7-01..TS7-23 (TS7-01..18 MoE, TS7-19..23 dense). */
const IDS = Array.from({ length: 23 }, (_, i) => `TS7-${String(i + 1).padStart(2, '0')}`);
/** Rows with no configuration to express: none (every TS7 row names its GPU, model and layout). */
const UNMATCHED: string[] = [];
/** Rows whose published pipeline splits the layers unevenly (Pai-Megatron-Patch's 94 layers over PP 32 × VPP 3); the spec's layers-divisible rule wants even stages. */
const UNEVEN_PIPELINE = new Set(['TS7-12', 'TS7-13', 'TS7-14', 'TS7-15']);

shapeTests('throughput reserve 4', rows, IDS, UNMATCHED);

test('throughput reserve 4: eighteen MoE rows and five dense', () => {
  const moe = (r: ReserveThroughputRow) => ('preset' in r.model ? findModel(r.model.preset)?.architecture.moe : r.model.architecture.moe) !== undefined;
  assert.deepEqual(
    rows.filter(moe).map((r) => r.id),
    IDS.slice(0, 18),
  );
});

test('throughput reserve 4: the framework families and GPUs map as the loader header says', () => {
  const byId = new Map(rows.map((r) => [r.id, r]));
  // torchtitan: FSDP over every GPU, sequence parallel only under TP, attention left at the default but where the row names SDPA.
  for (const id of ['TS7-08', 'TS7-09', 'TS7-18', 'TS7-19', 'TS7-20', 'TS7-21', 'TS7-22', 'TS7-23']) {
    const r = byId.get(id)!;
    assert.equal(r.parallelism?.fsdp, 'full', id);
    assert.equal(r.parallelism?.zero, undefined, id);
    assert.equal(r.parallelism?.sequenceParallel, id === 'TS7-22' ? true : undefined, id);
    assert.equal(r.extra?.attention, id === 'TS7-08' ? 'sdpa' : undefined, id);
  }
  assert.equal(byId.get('TS7-08')!.parallelism?.expertTensor, 1);
  assert.equal(byId.get('TS7-19')!.extra?.compile, true);
  // Megatron-Core (ModelZoo scripts), NeMo 2.0, Megatron-Bridge, Pai-Megatron-Patch: distributed optimizer, sequence
  // parallel under TP, cuDNN attention unless the row names another (Pai's flash).
  for (const id of ['TS7-01', 'TS7-02', 'TS7-03', 'TS7-04', 'TS7-05', 'TS7-06', 'TS7-07', 'TS7-10', 'TS7-11', 'TS7-12', 'TS7-13', 'TS7-14', 'TS7-15', 'TS7-16', 'TS7-17']) {
    const r = byId.get(id)!;
    assert.equal(r.parallelism?.zero, 1, id);
    assert.equal(r.parallelism?.fsdp, undefined, id);
    assert.equal(r.parallelism?.sequenceParallel, (r.parallelism?.tensor ?? 1) > 1 ? true : undefined, id);
    assert.equal(r.extra?.attention, /^TS7-1[2-7]$/.test(id) ? undefined : 'cudnn', id);
    assert.equal(r.parallelism?.expertTensor, id === 'TS7-06' || id === 'TS7-07' ? 4 : 1, id);
  }
  // The GPUs and precisions.
  assert.equal(byId.get('TS7-01')!.gpu, 'H100-SXM-80GB');
  assert.equal(byId.get('TS7-04')!.gpu, 'GB200-186GB');
  assert.equal(byId.get('TS7-08')!.gpu, 'H100-SXM-96GB');
  assert.equal(byId.get('TS7-12')!.gpu, 'H800-SXM-80GB');
  assert.equal(byId.get('TS7-18')!.gpu, 'B200-180GB');
  for (const r of rows) assert.equal(r.precision, ['TS7-03', 'TS7-05', 'TS7-07'].includes(r.id) ? 'fp8-mixed' : 'bf16-mixed', r.id);
  // Architectures from the rows' architecture_notes where the catalog lacks the model.
  for (const id of ['TS7-04', 'TS7-05', 'TS7-06', 'TS7-07', 'TS7-08', 'TS7-09', 'TS7-10', 'TS7-11']) assert.ok('architecture' in byId.get(id)!.model, id);
  const maverick = byId.get('TS7-04')!.model;
  assert.ok('architecture' in maverick && maverick.architecture.moe?.denseLayers === 24 && maverick.architecture.moe.experts === 128);
});

specTests('throughput reserve 4', matched, UNEVEN_PIPELINE);
