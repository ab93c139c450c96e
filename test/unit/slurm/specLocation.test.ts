// Where a Slurm refusal is shown: SlurmSubmitError / BatchScriptError spec paths → offsets in the
// job's file or its Cluster's, and the plan carrying exactly the rendered script.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { locateSpecTarget, targetOfScriptPath } from '../../../core/runs/slurm/specLocation';
import { batchScriptFor, loadPlanDocs, withBatchScript } from '../../../core/runs/slurm/planScript';
import { renderBatchScript } from '../../../core/runs/slurm/batchScript';
import { planFile } from '../../../core/runs/planFile';
import type { LaunchPlan } from '../../../core/runs/types';

const CLUSTER = `apiVersion: gantry/v1
kind: Cluster
metadata:
  name: pod
spec:
  scheduler:
    type: slurm
    partition: nosuch
  nodes: { count: 2, gpu: { model: H100-SXM-80GB, count: 8 } }
`;
const JOB = `apiVersion: gantry/v1
kind: TrainingJob
metadata:
  name: train
spec:
  cluster: pod
  timeLimit: 2h
  resources: { nodes: 1, gpusPerNode: 8 }
  model: { preset: llama-3-8b }
  batch: { micro: 1, sequenceLength: 128 }
  command: [python, train.py]
`;

const plan = (specFile: string, docIndex = 0): LaunchPlan => ({
  name: 'train',
  kind: 'TrainingJob',
  specFile,
  docIndex,
  backend: 'slurm',
  command: ['python', 'train.py'],
  env: {},
  cwd: '/',
  nodes: 1,
  gpusPerNode: 8,
  backendOptions: { cluster: 'pod', scheduler: { type: 'slurm', partition: 'nosuch' } },
});

/** The text at a location, for one-line assertions. */
const textAt = (files: { path: string; text: string }[], at: { file: string; offset: number; length: number } | undefined) => at && files.find((f) => f.path === at.file)!.text.slice(at.offset, at.offset + at.length);

test('a partition refusal lands on the partition value in the Cluster, in another file', () => {
  const files = [
    { path: '/w/job.yaml', text: JOB },
    { path: '/w/cluster.yaml', text: CLUSTER },
  ];
  const at = locateSpecTarget(plan('/w/job.yaml'), files, { doc: 'cluster', path: ['spec', 'scheduler', 'partition'] });
  assert.equal(at?.file, '/w/cluster.yaml');
  assert.equal(textAt(files, at), 'nosuch');
  assert.equal(at?.exact, true);
});

test('the Cluster in the same file as the job, after it: the right document', () => {
  const text = `${JOB}---\n${CLUSTER}`;
  const files = [{ path: '/w/all.yaml', text }];
  const at = locateSpecTarget(plan('/w/all.yaml'), files, { doc: 'cluster', path: ['spec', 'scheduler', 'partition'] });
  assert.equal(textAt(files, at), 'nosuch');
  assert.ok(at!.offset > JOB.length);
});

test('a field that is not written: the nearest written parent, marked inexact', () => {
  const files = [
    { path: '/w/job.yaml', text: JOB },
    { path: '/w/cluster.yaml', text: CLUSTER },
  ];
  const at = locateSpecTarget(plan('/w/job.yaml'), files, { doc: 'cluster', path: ['spec', 'scheduler', 'account'] });
  assert.equal(textAt(files, at), 'scheduler');
  assert.equal(at?.exact, false);
});

test('job fields: the time limit value; the job document picked by index', () => {
  const other = JOB.replace('name: train', 'name: other').replace('2h', '9h');
  const files = [{ path: '/w/job.yaml', text: `${other}---\n${JOB}` }];
  const at = locateSpecTarget(plan('/w/job.yaml', 1), files, { doc: 'job', path: ['spec', 'timeLimit'] });
  assert.equal(textAt(files, at), '2h');
});

test("no target, or a Cluster that is not among the files: the job's spec.cluster value", () => {
  const files = [{ path: '/w/job.yaml', text: JOB }];
  assert.equal(textAt(files, locateSpecTarget(plan('/w/job.yaml'), files, undefined)), 'pod');
  assert.equal(textAt(files, locateSpecTarget(plan('/w/job.yaml'), files, { doc: 'cluster', path: ['spec', 'scheduler', 'partition'] })), 'pod');
  assert.equal(locateSpecTarget(plan('/w/missing.yaml'), files, undefined), undefined);
});

test('BatchScriptError paths: spec.scheduler.* belongs to the Cluster, the rest to the job', () => {
  assert.deepEqual(targetOfScriptPath(['spec', 'scheduler', 'partition']), { doc: 'cluster', path: ['spec', 'scheduler', 'partition'] });
  assert.deepEqual(targetOfScriptPath(['spec', 'env', 'A B']), { doc: 'job', path: ['spec', 'env', 'A B'] });
});

test('the plan carries exactly the script the preview renders, read from the files on disk', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gantry-plan-script-'));
  try {
    fs.writeFileSync(path.join(dir, 'job.gantry.yaml'), JOB);
    fs.writeFileSync(path.join(dir, 'cluster.gantry.yaml'), CLUSTER);
    const planned = planFile(path.join(dir, 'job.gantry.yaml'));
    assert.ok(planned.ok && planned.plan.backend === 'slurm', JSON.stringify(planned));
    const { doc, clusters } = loadPlanDocs(planned.plan);
    const script = batchScriptFor(planned.plan, doc, clusters);
    const withScript = withBatchScript(planned.plan, script);
    assert.equal(withScript.backendOptions.batchScript?.text, renderBatchScript(doc, clusters[0]).text);
    assert.equal(withScript.backendOptions.cluster, 'pod', 'the other backend options are kept');
    assert.match(script.text, /^#SBATCH --partition="nosuch"$/m);
    const gone = { ...planned.plan, backendOptions: { ...planned.plan.backendOptions, cluster: 'gone' } };
    assert.throws(() => batchScriptFor(gone, doc, clusters), /no Cluster named 'gone'/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
