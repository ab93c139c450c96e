// Spec + cluster → LaunchPlan: backend choice, argv, env, cwd, GPUs, refusals, and the estimate line.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { planLaunch, describePlan } from '../../../core/runs/plan';
import type { ClusterDoc, InferenceServiceDoc, TrainingJobDoc } from '../../../core/spec/types';

const job = (spec: Partial<TrainingJobDoc['spec']> = {}): TrainingJobDoc => ({
  apiVersion: 'gantry/v1',
  kind: 'TrainingJob',
  metadata: { name: 'j' },
  spec: { resources: { nodes: 1, gpusPerNode: 2 }, model: { preset: 'llama-3-8b' }, batch: { micro: 1, sequenceLength: 2048 }, command: ['torchrun', '--nproc-per-node', '2', 'train.py'], ...spec },
});
const cluster = (name: string, type: 'local' | 'slurm', gpus = 8): ClusterDoc => ({ apiVersion: 'gantry/v1', kind: 'Cluster', metadata: { name }, spec: { scheduler: { type }, nodes: { count: 1, gpu: { model: 'H100-SXM-80GB', count: gpus } } } });

test('local by default: argv as given, cwd the spec folder, GPUs 0..n-1, env as strings', () => {
  const r = planLaunch({ doc: job({ env: { A: 1, B: true, C: 'x y' } }), docIndex: 2, specFile: '/w/specs/a.gantry.yaml' });
  assert.ok(r.ok);
  assert.equal(r.plan.backend, 'local');
  assert.deepEqual(r.plan.command, ['torchrun', '--nproc-per-node', '2', 'train.py']);
  assert.equal(r.plan.cwd, '/w/specs');
  assert.deepEqual(r.plan.gpuIndices, [0, 1]);
  assert.deepEqual(r.plan.env, { A: '1', B: 'true', C: 'x y', CUDA_VISIBLE_DEVICES: '0,1', PYTHONUNBUFFERED: '1' });
  assert.equal(r.plan.docIndex, 2);
  assert.ok((r.plan.estimatedDeviceBytesPerGpu ?? 0) > 10 * 2 ** 30, 'an 8B model estimate above 10 GiB per GPU');
});

test("the cluster's scheduler picks the backend; locally workingDir resolves against the spec, on Slurm against the home directory sbatch runs from", () => {
  const r = planLaunch({ doc: job({ cluster: 'big', workingDir: '../src' }), docIndex: 0, specFile: '/w/specs/a.yaml', clusters: [cluster('big', 'slurm')] });
  assert.ok(r.ok);
  assert.equal(r.plan.backend, 'slurm');
  assert.equal(r.plan.cwd, '~/../src');
  assert.match(describePlan(r.plan), /^cwd: ~\/\.\.\/src \(on the cluster: sbatch runs from the home directory on the login node\)$/m);
  assert.equal(r.plan.env.CUDA_VISIBLE_DEVICES, undefined, 'Slurm sets the GPUs itself');
  const abs = planLaunch({ doc: job({ cluster: 'big', workingDir: '/lustre/src' }), docIndex: 0, specFile: '/w/specs/a.yaml', clusters: [cluster('big', 'slurm')] });
  assert.ok(abs.ok);
  assert.equal(abs.plan.cwd, '/lustre/src');
  const none = planLaunch({ doc: job({ cluster: 'big' }), docIndex: 0, specFile: '/w/specs/a.yaml', clusters: [cluster('big', 'slurm')] });
  assert.ok(none.ok);
  assert.equal(none.plan.cwd, '~');
  const local = planLaunch({ doc: job({ workingDir: '../src' }), docIndex: 0, specFile: '/w/specs/a.yaml' });
  assert.ok(local.ok);
  assert.equal(local.plan.cwd, '/w/src');
  assert.match(describePlan(local.plan), /^cwd: \/w\/src$/m);
});

test('a spec CUDA_VISIBLE_DEVICES wins and sets the indices', () => {
  const r = planLaunch({ doc: job({ env: { CUDA_VISIBLE_DEVICES: '4,5' } }), docIndex: 0, specFile: '/w/a.yaml' });
  assert.ok(r.ok);
  assert.deepEqual(r.plan.gpuIndices, [4, 5]);
});

test('refusals say why', () => {
  const bad = (r: ReturnType<typeof planLaunch>) => (r.ok ? [] : r.errors).join(' | ');
  assert.match(bad(planLaunch({ doc: job({ command: undefined }), docIndex: 0, specFile: '/a' })), /spec\.command is missing/);
  assert.match(bad(planLaunch({ doc: job({ cluster: 'nope' }), docIndex: 0, specFile: '/a' })), /no Cluster named 'nope'/);
  assert.match(bad(planLaunch({ doc: job({ resources: { nodes: 2, gpusPerNode: 1 } }), docIndex: 0, specFile: '/a' })), /runs on this machine only/);
  assert.match(bad(planLaunch({ doc: job({ container: { image: 'nvcr.io/x' } }), docIndex: 0, specFile: '/a' })), /does not start containers/);
  assert.match(bad(planLaunch({ doc: job({ cluster: 'small' }), docIndex: 0, specFile: '/a', clusters: [cluster('small', 'local', 1)] })), /asks for 2 GPUs and cluster 'small' has 1/);
});

test("an InferenceService without a command gets its engine's launcher, bound to loopback", () => {
  const svc: InferenceServiceDoc = { apiVersion: 'gantry/v1', kind: 'InferenceService', metadata: { name: 's' }, spec: { engine: 'vllm', model: { preset: 'llama-3-8b', weights: 'meta-llama/Meta-Llama-3-8B' }, tensorParallel: 2, maxModelLen: 8192, extraArgs: ['--seed', '1'] } };
  const r = planLaunch({ doc: svc, docIndex: 0, specFile: '/w/s.yaml' });
  assert.ok(r.ok);
  assert.deepEqual(r.plan.command, ['vllm', 'serve', 'meta-llama/Meta-Llama-3-8B', '--tensor-parallel-size', '2', '--host', '127.0.0.1', '--port', '8000', '--max-model-len', '8192', '--seed', '1']);
  assert.equal(r.plan.gpusPerNode, 2);
  // The estimate kept with the run, to be set against vLLM's startup lines when it ends.
  assert.ok((r.plan.estimatedKvCacheTokens ?? 0) > 100_000, String(r.plan.estimatedKvCacheTokens));
  assert.ok((r.plan.estimatedCudaGraphBytesPerGpu ?? 0) > 0);
  assert.ok((r.plan.estimatedAvailableKvBytesPerGpu ?? 0) > 0);
  assert.equal(r.plan.estimatedRefusal, undefined);
  // A service the estimate says vLLM refuses still plans (the editor has said so at the spec): the prediction is kept to
  // be set against the engine's own refusal, with the room it left (negative: none).
  const big: InferenceServiceDoc = { ...svc, spec: { ...svc.spec, model: { preset: 'llama-3.1-70b' }, tensorParallel: 1, maxModelLen: 4096 } };
  const refused = planLaunch({ doc: big, docIndex: 0, specFile: '/w/s.yaml', clusters: [], estimatedDeviceBytesPerGpu: undefined });
  assert.ok(refused.ok);
  assert.equal(refused.plan.estimatedRefusal, 'no-kv-memory');
  assert.ok((refused.plan.estimatedAvailableKvBytesPerGpu ?? 0) < 0);
});

test('describePlan shows argv quoted for reading, env, cwd and GPUs', () => {
  const r = planLaunch({ doc: job({ command: ['python3', '-c', "print('a b')"], env: { X: '$(y)' } }), docIndex: 0, specFile: '/w/a.yaml' });
  assert.ok(r.ok);
  const text = describePlan(r.plan);
  assert.match(text, /^command: python3 -c 'print\('\\''a b'\\''\)'$/m);
  assert.match(text, /^env: X='\$\(y\)' CUDA_VISIBLE_DEVICES=0,1 PYTHONUNBUFFERED=1$/m);
  assert.match(text, /^cwd: \/w$/m);
  assert.match(text, /^GPUs 0,1$/m);
});

test('timeLimit: parsed into the plan for the local backend to enforce, shown in the confirmation, no warning', () => {
  const r = planLaunch({ doc: job({ timeLimit: '90m' }), docIndex: 0, specFile: '/w/a.yaml' });
  assert.ok(r.ok);
  assert.equal(r.plan.timeLimit, '90m');
  assert.equal(r.plan.timeLimitSeconds, 5400);
  assert.equal(r.plan.warnings, undefined);
  assert.match(describePlan(r.plan), /^time limit: 90m$/m);
  const slurmish = planLaunch({ doc: job({ timeLimit: '1-00:00:00' }), docIndex: 0, specFile: '/w/a.yaml' });
  assert.ok(slurmish.ok);
  assert.equal(slurmish.plan.timeLimitSeconds, 86400);
  const unlimited = planLaunch({ doc: job({ timeLimit: 'unlimited' }), docIndex: 0, specFile: '/w/a.yaml' });
  assert.ok(unlimited.ok);
  assert.equal(unlimited.plan.timeLimitSeconds, undefined);
  const bad = planLaunch({ doc: job({ timeLimit: 'soon' }), docIndex: 0, specFile: '/w/a.yaml' });
  assert.ok(!bad.ok);
  assert.match(bad.errors.join(' '), /spec\.timeLimit: "soon" is not a time limit/);
});
