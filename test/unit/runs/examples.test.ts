// Every job in examples/ renders through every backend it can: the plan for its own cluster, and the
// Slurm batch script when that cluster is Slurm (issue 15 item 3).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { parseSpecFile } from '../../../core/spec/parse';
import { planLaunch } from '../../../core/runs/plan';
import { renderBatchScript } from '../../../core/runs/slurm/batchScript';
import type { ClusterDoc, InferenceServiceDoc, TrainingJobDoc } from '../../../core/spec/types';
import { repo } from '../helpers';

const files = readdirSync(repo('examples')).filter((f) => f.endsWith('.gantry.yaml'));
const docs = files.flatMap((file) => parseSpecFile(readFileSync(repo('examples', file), 'utf8')).map((d) => ({ file, index: d.index, value: d.value as { kind?: string; metadata?: { name?: string }; spec?: { cluster?: string } } })));
const clusters = docs.filter((d) => d.value?.kind === 'Cluster').map((d) => d.value as unknown as ClusterDoc);

for (const d of docs.filter((x) => x.value?.kind === 'TrainingJob' || x.value?.kind === 'InferenceService')) {
  test(`examples/${d.file} ${d.value.metadata?.name} renders through its cluster's backend`, () => {
    const doc = d.value as unknown as TrainingJobDoc | InferenceServiceDoc;
    const r = planLaunch({ doc, docIndex: d.index, specFile: repo('examples', d.file), clusters });
    assert.ok(r.ok, JSON.stringify(r));
    const cluster = clusters.find((c) => c.metadata.name === doc.spec.cluster);
    if (cluster?.spec.scheduler?.type === 'slurm') {
      const script = renderBatchScript(doc, cluster).text;
      assert.match(script, /^srun /m);
    }
  });
}
