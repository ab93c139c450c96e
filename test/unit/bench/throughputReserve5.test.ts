// The fifth throughput reserve loader (readThroughputReserve5 in bench/estimatorThroughputReserve2.ts): 24 rows TS8-*,
// unique ids, all held out, and every row that has a configuration becomes a spec that validates (schema and rules)
// and whose model, GPU and layout resolve. The set is held out: this test never runs the estimator and says nothing
// about predicted throughput, step time or MFU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readThroughputReserve5 } from '../../../bench/estimatorThroughputReserve2';
import type { ReserveThroughputRow } from '../../../bench/estimatorThroughputReserve';
import { findModel } from '../../../core/catalog/models';
import { repo } from '../helpers';
import { shapeTests, specTests } from './reserveChecks';

const rows = readThroughputReserve5(repo());
const matched = rows.filter((r) => !r.unmatched);

const IDS = Array.from({ length: 24 }, (_, i) => `TS8-${String(i + 1).padStart(2, '0')}`);
/** LLaMA-65B's whole-run figure: no micro batch or parallel degrees. */
const UNMATCHED = ['TS8-24'];

shapeTests('throughput reserve 5', rows, IDS, UNMATCHED);

test('throughput reserve 5: three MoE rows (two KempnerForge MoEs, Mixtral 8x22B), the rest dense', () => {
  const moe = (r: ReserveThroughputRow) => ('preset' in r.model ? findModel(r.model.preset)?.architecture.moe : r.model.architecture.moe) !== undefined;
  assert.deepEqual(
    rows.filter(moe).map((r) => r.id),
    ['TS8-13', 'TS8-14', 'TS8-23'],
  );
});

test('throughput reserve 5: the frameworks, GPUs, precisions and attention map as the loader header says', () => {
  const byId = new Map(rows.map((r) => [r.id, r]));
  // flash-attention's trainer and Lambda's fork: the row's ZeRO 1, no FSDP, flash attention; Lambda's fp16 AMP.
  for (const id of ['TS8-01', 'TS8-02', 'TS8-03', 'TS8-04', 'TS8-05', 'TS8-06']) {
    const r = byId.get(id)!;
    assert.equal(r.parallelism?.zero, 1, id);
    assert.equal(r.parallelism?.fsdp, undefined, id);
    assert.equal(r.extra?.attention, undefined, id);
    assert.equal(r.precision, /^TS8-0[456]$/.test(id) ? 'fp16-mixed' : 'bf16-mixed', id);
    assert.ok('architecture' in r.model && r.model.architecture.gatedMlp === false && r.model.architecture.tiedEmbeddings === true, id);
  }
  // KempnerForge: the FSDP family (none on one GPU), sequence parallel under TP, SDPA.
  for (const id of ['TS8-07', 'TS8-08', 'TS8-09', 'TS8-10', 'TS8-11', 'TS8-12', 'TS8-13', 'TS8-14']) {
    const r = byId.get(id)!;
    assert.equal(r.gpu, 'H200-SXM-141GB', id);
    assert.equal(r.parallelism?.fsdp, id === 'TS8-07' ? 'none' : 'full', id);
    assert.equal(r.parallelism?.sequenceParallel, (r.parallelism?.tensor ?? 1) > 1 ? true : undefined, id);
    assert.equal(r.extra?.attention, 'sdpa', id);
    assert.equal(r.checkpointing, 'full', id);
  }
  assert.equal(byId.get('TS8-10')!.extra?.compile, undefined, 'the one eager run');
  assert.equal(byId.get('TS8-11')!.extra?.compile, true);
  // Paxml: FSDP inside a node × data parallel across nodes, Transformer Engine's fused attention.
  for (const id of ['TS8-15', 'TS8-16', 'TS8-17']) {
    const r = byId.get(id)!;
    assert.equal(r.parallelism?.fsdp, 'hybrid', id);
    assert.equal(r.extra?.attention, 'cudnn', id);
    assert.equal(r.precision, id === 'TS8-17' ? 'fp8-mixed' : 'bf16-mixed', id);
  }
  // NeMo (dgxc-benchmarking): the Megatron family.
  for (const id of ['TS8-18', 'TS8-19', 'TS8-20']) {
    const r = byId.get(id)!;
    assert.equal(r.parallelism?.zero, 1, id);
    assert.equal(r.parallelism?.sequenceParallel, true, id);
    assert.equal(r.extra?.attention, 'cudnn', id);
  }
  assert.equal(byId.get('TS8-18')!.checkpointing, 'selective');
  // AMD's quoted figures: DDP, FSDP, and the Megatron family's layout for Mixtral on MI355X (no cuDNN on ROCm).
  assert.equal(byId.get('TS8-21')!.gpu, 'MI325X-256GB');
  assert.equal(byId.get('TS8-21')!.parallelism?.fsdp, undefined);
  assert.equal(byId.get('TS8-21')!.precision, 'fp8-mixed');
  assert.equal(byId.get('TS8-22')!.parallelism?.fsdp, 'full');
  assert.equal(byId.get('TS8-23')!.gpu, 'MI355X-288GB');
  assert.equal(byId.get('TS8-23')!.parallelism?.expert, 8);
  assert.equal(byId.get('TS8-23')!.extra?.attention, undefined);
  assert.equal(byId.get('TS8-01')!.gpu, 'A100-SXM-80GB');
  assert.equal(byId.get('TS8-04')!.gpu, 'H100-SXM-80GB');
});

specTests('throughput reserve 5', matched);
