// A training config whose folder's gantry.context.yaml names a Cluster (`cluster: pod`) runs on that Cluster's nodes
// and GPUs: the world size is the Cluster's, said as such, where nothing nearer (a launcher line, gpusPerNode) gives
// one. A public sweep found torchtitan configs told they "ask for 8 GPUs per node" by a Cluster of 2 × 4 they never
// contradicted: the reader had assumed one node of 8.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { checkFile } from '../../../core/check/checkFile';
import { ClusterIndex, extractClusters } from '../../../core/spec/clusters';
import { parseSpecFile } from '../../../core/spec/parse';
import type { TrainingEstimate } from '../../../core/estimate/types';
import { FIXTURES, reader } from './helpers';

const POD = 'apiVersion: gantry/v1\nkind: Cluster\nmetadata: { name: pod }\nspec:\n  nodes: { count: 2, gpu: { model: H100-SXM-80GB, count: 4 } }\n  interconnect: { interNode: { type: infiniband-ndr } }\n';

test('a Cluster named by the context gives a torchtitan config its world size: 2 nodes x 4 GPUs, said, and no per-node disagreement', () => {
  const fileName = path.join(FIXTURES, 'torchtitan', 'llama3_8b.toml');
  const read = reader(fileName);
  const clusters = new ClusterIndex();
  clusters.set('clusters.gantry.yaml', extractClusters('clusters.gantry.yaml', parseSpecFile(POD)));
  const c = checkFile(read('llama3_8b.toml')!, { fileName, readFile: read, clusters: clusters.scopedTo(fileName), defaults: { cluster: 'pod' } });
  assert.ok(!c.problems.some((p) => p.code.startsWith('cluster-')), c.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
  const e = c.estimates[0]?.estimate as TrainingEstimate | undefined;
  assert.ok(e?.layout, c.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
  assert.equal(e.layout.gpus, 8);
  assert.equal(e.layout.nodes, 2);
  assert.ok(
    c.foreign?.[0].assumptions.some((a) => a.includes("the associated Cluster 'pod'")),
    c.foreign?.[0].assumptions.join('\n'),
  );
  // gpusPerNode in the context is nearer than the Cluster, and wins as before.
  const near = checkFile(read('llama3_8b.toml')!, { fileName, readFile: read, clusters: clusters.scopedTo(fileName), defaults: { cluster: 'pod', gpusPerNode: 4, nodes: 1, worldFrom: 'gantry.context.yaml' } });
  assert.equal((near.estimates[0]?.estimate as TrainingEstimate | undefined)?.layout?.nodes, 1);
});
