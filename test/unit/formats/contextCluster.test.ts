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

const TITAN = (parallelism: string) => `[job]\ndescription = "x"\n[model]\nname = "llama3"\nflavor = "70B"\n[training]\nlocal_batch_size = 1\nseq_len = 8192\n[parallelism]\n${parallelism}`;

test('a torchtitan config whose degrees are all written runs on their product (torchtitan requires it to be the world size), said as such', () => {
  const fileName = path.join(FIXTURES, 'torchtitan', 'n64.toml');
  const c = checkFile(TITAN('data_parallel_replicate_degree = 2\ndata_parallel_shard_degree = 32\ntensor_parallel_degree = 8\n'), { fileName, readFile: reader(fileName) });
  assert.ok(!c.problems.some((p) => p.code === 'parallelism-product' || p.severity === 'error'), c.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
  const e = c.estimates[0]?.estimate as TrainingEstimate | undefined;
  assert.equal(e?.layout?.gpus, 512);
  assert.ok(c.foreign?.[0].assumptions.some((a) => a.startsWith('World size: 512 GPUs (64 nodes × 8), the product of the degrees')));
  // torchtitan's HSDP shards over 32 ranks across nodes, which Gantry's within-a-node hybrid sharding is not: FSDP over all 64, said.
  assert.equal((c.foreign?.[0].job.spec as { parallelism?: { fsdp?: string } } | undefined)?.parallelism?.fsdp, 'full');
  assert.ok(c.foreign?.[0].assumptions.some((a) => a.startsWith('HSDP (replicate 2 × shard 32)')));
});

test('a does-not-fit error on an assumed world and GPU says both were assumed and how to name them', () => {
  const fileName = path.join(FIXTURES, 'torchtitan', 'big.toml');
  const c = checkFile(TITAN('data_parallel_shard_degree = -1\n'), { fileName, readFile: reader(fileName) });
  const oom = c.problems.find((p) => p.code === 'memory-exceeds-capacity');
  assert.ok(oom?.message.includes('On the NVIDIA H100 SXM 80GB and a world of one node of 8 GPUs, which Gantry assumed'), oom?.message);
  const named = checkFile(TITAN('data_parallel_shard_degree = -1\n'), { fileName, readFile: reader(fileName), defaults: { gpu: 'H100-SXM-80GB', gpusPerNode: 8, nodes: 1, worldFrom: 'gantry.context.yaml' } });
  const said = named.problems.find((p) => p.code === 'memory-exceeds-capacity');
  assert.ok(said && !said.message.includes('assumed'), said?.message);
});

test('axolotl under FSDP on the one node of 8 Gantry assumes: a does-not-fit error says the world size was assumed', () => {
  const fileName = path.join(FIXTURES, 'axolotl', 'big.yml');
  const text = 'base_model: meta-llama/Llama-3.1-70B\nsequence_len: 8192\nmicro_batch_size: 8\nbf16: true\nfsdp_config:\n  fsdp_version: 2\n  reshard_after_forward: true\n';
  const c = checkFile(text, { fileName, readFile: reader(fileName), defaults: { gpu: 'H100-SXM-80GB' } });
  const oom = c.problems.find((p) => p.code === 'memory-exceeds-capacity');
  assert.ok(oom?.message.includes('On a world of one node of 8 GPUs, which Gantry assumed'), oom?.message ?? c.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
  assert.ok(oom && !oom.message.includes('H100 SXM 80GB and'), 'the GPU was named (--gpu), only the world assumed');
});
