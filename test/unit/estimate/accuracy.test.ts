// The bar, asserted on the published measurements when ../shared/estimator-data is
// present (GANTRY_ESTIMATOR_DATA overrides): median |error| ≤ 8 % and max ≤ 20 % on
// high-confidence training rows; vLLM KV tokens within 2 % on rows whose figure is
// pool / bytes-per-token; every out-of-memory row predicted over capacity. Time per estimate is
// measured by `npm run bench:estimator`, never asserted here.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { evaluateAll, stats } from '../../../bench/estimatorRows';
import { estimateInferenceService, estimateTrainingJob } from '../../../core/estimate/index';
import { job, service } from './helpers';

const root = process.cwd();
const dataDir = process.env.GANTRY_ESTIMATOR_DATA ?? path.resolve(root, '../shared/estimator-data');
const present = existsSync(path.join(dataDir, 'training_memory.csv'));
const rows = present ? (evaluateAll(dataDir, root) ?? []) : [];
const skip = present ? false : `no estimator data at ${dataDir} (set GANTRY_ESTIMATOR_DATA)`;

test('training memory: median |error| ≤ 8 % and max ≤ 20 % on high-confidence rows', { skip }, () => {
  const high = rows.filter((r) => r.kind === 'training' && r.confidence === 'high' && !r.unmatched && !r.oom);
  assert.ok(high.length >= 10, `${high.length} rows`);
  const s = stats(high, (r) => r.errorPct);
  assert.ok(s.medianAbs <= 8, `median ${s.medianAbs}`);
  assert.ok(s.maxAbs <= 20, `max ${s.maxAbs} (${s.worst})`);
});

test('every out-of-memory row is predicted over capacity', { skip }, () => {
  for (const r of rows.filter((x) => x.oom && !x.unmatched)) assert.ok(r.predictedOverCapacity, r.id);
});

test('vLLM KV tokens within 2 % where vLLM reports pool / bytes-per-token (full-attention models)', { skip }, () => {
  const kv = rows.filter((r) => r.kind === 'serving' && !r.unmatched && !r.note);
  assert.ok(kv.length >= 10);
  for (const r of kv) assert.ok(Math.abs(r.errorPct!) <= 2, `${r.id}: ${r.errorPct}`);
});

test('estimates run repeatedly on a large job and service without error (time per estimate: npm run bench:estimator)', () => {
  const t = job({ resources: { nodes: 4, gpusPerNode: 8 }, model: { preset: 'llama-3.1-70b' }, parallelism: { tensor: 8, pipeline: 2, fsdp: 'full' }, batch: { micro: 2, global: 64, sequenceLength: 8192 }, activationCheckpointing: 'selective' });
  const s = service({ model: { preset: 'llama-3.1-70b' }, tensorParallel: 4 });
  const first = JSON.stringify([estimateTrainingJob(t, undefined), estimateInferenceService(s, undefined)]);
  for (let i = 0; i < 50; i++) assert.equal(JSON.stringify([estimateTrainingJob(t, undefined), estimateInferenceService(s, undefined)]), first, 'estimates are deterministic');
});
