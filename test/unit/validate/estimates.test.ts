// Estimates in editor form: findings anchored at their spec path, each quick fix a text edit whose
// result the estimator judges as fitting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseSpecFile } from '../../../core/spec/parse';
import { ClusterIndex, extractClusters } from '../../../core/spec/clusters';
import { estimateDoc } from '../../../core/validate/estimates';
import { applyEdits, at, repo } from '../helpers';

const clusters = new ClusterIndex();
clusters.set('cluster', extractClusters('cluster', parseSpecFile(readFileSync(repo('examples/cluster.gantry.yaml'), 'utf8'))));
const job = readFileSync(repo('examples/llama3-8b-pretrain.gantry.yaml'), 'utf8');

test('a job that fits gets a summary and no error', () => {
  const e = estimateDoc(job, parseSpecFile(job)[0], clusters)!;
  assert.match(e.estimate.summary, /GiB \/ .* GiB per GPU/);
  assert.equal(at(job, e.anchor), 'kind');
  assert.deepEqual(
    e.problems.filter((p) => p.severity === 'error'),
    [],
  );
});

test('a job that will not fit: an error with fixes; applying a fix lowers the estimate', () => {
  const text = job
    .replace(/micro: \d+/, 'micro: 16')
    .replace(/gradientAccumulation: \d+/, 'gradientAccumulation: 4')
    .replace(/activationCheckpointing: \w+/, 'activationCheckpointing: none');
  const e = estimateDoc(text, parseSpecFile(text)[0], clusters)!;
  const err = e.problems.find((p) => p.code === 'memory-exceeds-capacity');
  assert.ok(err, JSON.stringify(e.problems.map((p) => p.code)));
  assert.ok(err.fixes && err.fixes.length > 0, 'no fixes offered');
  const before = e.estimate.memory!.perGpu.deviceBytes;
  for (const fix of err.fixes) {
    const fixed = applyEdits(text, fix.edits);
    const after = estimateDoc(fixed, parseSpecFile(fixed)[0], clusters)!;
    assert.ok(after.estimate.memory!.perGpu.deviceBytes < before, `fix '${fix.title}' did not lower the estimate`);
  }
});
