import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { servedModel } from '../../../core/runs/servedModel';
import { describeGpus, planLaunch } from '../../../core/runs/plan';
import { renderBatchScript } from '../../../core/runs/slurm/batchScript';
import { formatTable } from '../../../cli/commands/ps';
import type { ClusterDoc, InferenceServiceDoc } from '../../../core/spec/types';

test("a preset is served as the catalog's Hugging Face repo id, not Gantry's preset id", () => {
  assert.deepEqual(servedModel({ preset: 'llama-3.1-70b' }), { ok: true, model: 'meta-llama/Llama-3.1-70B' });
  assert.deepEqual(servedModel({ preset: 'llama-3.1-70b', weights: '/models/llama' }), { ok: true, model: '/models/llama' });
  assert.deepEqual(servedModel({ weights: './ckpt/final' }), { ok: true, model: './ckpt/final' });
  assert.equal(servedModel({ preset: 'no-such-model' }).ok, false);
});

test('the local plan and the Slurm script both load the repo id for a preset', () => {
  const svc: InferenceServiceDoc = { apiVersion: 'gantry/v1', kind: 'InferenceService', metadata: { name: 's' }, spec: { engine: 'vllm', model: { preset: 'llama-3.1-70b' }, tensorParallel: 2 } };
  const r = planLaunch({ doc: svc, docIndex: 0, specFile: '/w/s.yaml' });
  assert.ok(r.ok);
  assert.equal(r.plan.command[2], 'meta-llama/Llama-3.1-70B');
  const cluster: ClusterDoc = { apiVersion: 'gantry/v1', kind: 'Cluster', metadata: { name: 'pod' }, spec: { scheduler: { type: 'slurm' }, nodes: { count: 1, gpu: { model: 'H100-SXM-80GB', count: 8 } } } };
  const script = renderBatchScript({ ...svc, spec: { ...svc.spec, cluster: 'pod' } }, cluster).text;
  assert.match(script, /vllm serve meta-llama\/Llama-3\.1-70B /);
  assert.doesNotMatch(script, /vllm serve llama-3\.1-70b/);
});

test('GPU lines say GPU 0 / GPUs 0,1 / none, never "GPUs: 0" for index 0', () => {
  assert.equal(describeGpus({ gpuIndices: [0], gpusPerNode: 1, nodes: 1 }), 'GPU 0');
  assert.equal(describeGpus({ gpuIndices: [0, 1], gpusPerNode: 2, nodes: 1 }), 'GPUs 0,1');
  assert.equal(describeGpus({ gpuIndices: [], gpusPerNode: 0, nodes: 1 }), 'GPUs: none');
  assert.equal(describeGpus({ gpusPerNode: 0, nodes: 1 }), 'GPUs: none');
  assert.equal(describeGpus({ gpusPerNode: 8, nodes: 2 }), 'GPUs: 2 × 8');
});

test('gantry ps keeps a multi-line reason on one line', () => {
  const table = formatTable([{ id: 'r1', name: 'n', kind: 'TrainingJob', backend: 'slurm', state: 'failed', reason: 'exit code 1\n  Traceback: boom', specFile: '/w/a.yaml', submittedAt: 0, endedAt: 1000 }], 1000);
  assert.equal(table.split('\n').length, 2);
  assert.match(table, /exit code 1 Traceback: boom$/);
});
