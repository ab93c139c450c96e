// `gantry import FILE` (cli/commands/import.ts): a Deployment's vllm serve command becomes a Cluster
// and an InferenceService that check clean and estimate the same as the Deployment; a torchtitan TOML
// becomes a TrainingJob; a file with nothing Gantry recognises exits 1.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repo, tempDir } from '../helpers';

const gantry = (argv: string[], input?: string) => spawnSync(process.execPath, [repo('dist/cli.js'), ...argv], { encoding: 'utf8', input, timeout: 120_000 });
const kvTokens = (out: string) => (JSON.parse(out) as { serving: { kvCacheTokens: number } }[])[0].serving.kvCacheTokens;

test('a Deployment imports to a Cluster and an InferenceService with the same estimate', () => {
  const file = repo('test/fixtures/foreign/serving/deployment.yaml');
  const r = gantry(['import', file]);
  assert.equal(r.status, 0, r.stderr);
  const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as { kind: string; spec: Record<string, unknown> });
  assert.deepEqual(
    docs.map((d) => d.kind),
    ['Cluster', 'InferenceService'],
  );
  assert.equal(docs[1].spec.maxModelLen, 8192);
  assert.match(r.stdout, /^# Imported by gantry .* vllm serve in Deployment/m);
  const fromImport = gantry(['estimate', '-', '--format', 'json', '--stdin-name', 'imported.gantry.yaml'], r.stdout);
  const fromFile = gantry(['estimate', file, '--format', 'json']);
  assert.equal(fromImport.status, 0, fromImport.stderr);
  assert.equal(kvTokens(fromImport.stdout), kvTokens(fromFile.stdout));
});

test('a torchtitan TOML imports to a TrainingJob; a plain file exits 1', () => {
  const r = gantry(['import', repo('test/fixtures/foreign/training/torchtitan/llama3_8b.toml')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /kind: TrainingJob/);
  const none = gantry(['import', '-', '--stdin-name', 'x.yaml'], 'a: 1\n');
  assert.equal(none.status, 1);
  assert.match(none.stderr, /nothing Gantry recognises/);
});

test('two serving Deployments in one manifest import to two Clusters named after their workloads, and the result checks without errors', () => {
  const dep = (name: string, model: string, tp: number) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec:\n  template:\n    spec:\n      containers:\n      - name: vllm\n        image: vllm/vllm-openai:v0.19.0\n        args: ["--model", "${model}", "--tensor-parallel-size", "${tp}"]\n        resources: {limits: {nvidia.com/gpu: ${tp}}}\n`;
  const manifest = `${dep('small', 'Qwen/Qwen2.5-1.5B-Instruct', 1)}---\n${dep('big', 'Qwen/Qwen2.5-32B-Instruct', 2)}`;
  const r = gantry(['import', '-', '--stdin-name', 'two.yaml'], manifest);
  assert.equal(r.status, 0, r.stderr);
  const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as { kind: string; metadata: { name: string }; spec: { cluster?: string } });
  const clusters = docs.filter((d) => d.kind === 'Cluster').map((d) => d.metadata.name);
  assert.equal(new Set(clusters).size, 2, clusters.join(', '));
  assert.deepEqual(
    docs.filter((d) => d.kind === 'InferenceService').map((d) => d.spec.cluster),
    clusters,
  );
  const check = gantry(['check', '-q', '-', '--stdin-name', 'imported.gantry.yaml'], r.stdout);
  assert.equal(check.status, 0, check.stdout + check.stderr);
});

test('--gpu names a catalog GPU in check, estimate and import: an unknown one is bad usage with its near miss; import notes the errors its documents keep', () => {
  for (const cmd of ['check', 'estimate', 'import']) {
    const r = gantry([cmd, '--gpu', 'a100x', '-', '--stdin-name', 'serve.sh'], 'vllm serve meta-llama/Llama-3.1-8B-Instruct\n');
    assert.equal(r.status, 2, `${cmd}: ${r.stderr}`);
    assert.match(r.stderr, /unknown GPU 'a100x'; did you mean 'A100-SXM-80GB'\?/);
  }
  const r = gantry(['import', '-', '--stdin-name', 'serve.sh'], 'vllm serve meta-llama/Llama-3.1-70B-Instruct --max-model-len 300000\n');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /maxModelLen: 300000/);
  assert.match(r.stderr, /has 1 error as written, and the documents above keep its values \(first: max-model-len: /);
  const clean = gantry(['import', '-', '--stdin-name', 'serve.sh'], 'vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192\n');
  assert.equal(clean.stderr, '');
});

test("a training config under a context GPU imports with that GPU's Cluster, so the import checks as the file does", () => {
  const dir = tempDir('gantry-import-ctx-');
  fs.writeFileSync(path.join(dir, 'gantry.context.yaml'), 'gpu: L40S\nmodel: meta-llama/Llama-3.1-8B\n');
  fs.writeFileSync(path.join(dir, 'ds_config.json'), '{"train_batch_size": 32, "train_micro_batch_size_per_gpu": 4, "gradient_accumulation_steps": 1, "bf16": {"enabled": true}, "zero_optimization": {"stage": 2}}');
  const r = gantry(['import', path.join(dir, 'ds_config.json')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /kind: Cluster[\s\S]*model: L40S/);
  const fromImport = gantry(['check', '-', '--stdin-name', 'imported.gantry.yaml'], r.stdout);
  const fromFile = gantry(['check', path.join(dir, 'ds_config.json')]);
  assert.match(fromImport.stdout, /the NVIDIA L40S 48GB has 44\.4 GiB/);
  assert.match(fromFile.stdout, /the NVIDIA L40S 48GB has 44\.4 GiB/);
});

test('a training config launched by a script beside it imports with that world size, a Slurm Cluster for its nodes, and estimates as gantry check does', () => {
  const dir = tempDir('gantry-import-launch-');
  fs.writeFileSync(path.join(dir, 'train.toml'), '[model]\nname = "llama3"\nflavor = "70B"\n\n[training]\nlocal_batch_size = 8\nseq_len = 8192\n\n[parallelism]\ndata_parallel_shard_degree = -1\ntensor_parallel_degree = 8\n\n[activation_checkpoint]\nmode = "full"\n');
  fs.writeFileSync(path.join(dir, 'run.sbatch'), '#!/bin/bash\n#SBATCH --nodes=8\n#SBATCH --gres=gpu:h100:8\nsrun torchrun --nnodes 8 --nproc_per_node 8 -m torchtitan.train --job.config_file train.toml\n');
  const r = gantry(['import', path.join(dir, 'train.toml')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /World size: 8 nodes × 8 GPUs, from 'run\.sbatch' line 4/);
  assert.match(r.stdout, /type: slurm/);
  const fromImport = gantry(['estimate', '-', '--format', 'json', '--stdin-name', 'imported.gantry.yaml'], r.stdout);
  const fromFile = gantry(['estimate', path.join(dir, 'train.toml'), '--format', 'json']);
  assert.equal(fromImport.status, 0, fromImport.stderr + fromImport.stdout);
  const gib = (out: string) => (JSON.parse(out) as { memory: { perGpu: { deviceBytes: number } } }[])[0].memory.perGpu.deviceBytes;
  assert.equal(gib(fromImport.stdout), gib(fromFile.stdout));
});
