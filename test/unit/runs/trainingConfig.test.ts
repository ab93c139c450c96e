// A TrainingJob that points at its tool's own config and gives no command runs that tool's launcher:
// the argv (one function: core/runs/engineCommand.ts trainingLauncherArgv), the plan, the Slurm
// batch script, and a real local run with a stub `torchrun` on PATH.
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { trainingLauncherArgv } from '../../../core/runs/engineCommand';
import { planFile } from '../../../core/runs/planFile';
import { batchScriptFor } from '../../../core/runs/slurm/planScript';
import { LocalBackend } from '../../../core/runs/local';
import type { SlurmJobDoc } from '../../../core/runs/slurm/batchScript';
import type { ClusterDoc } from '../../../core/spec/types';
import { repo } from '../helpers';
import { ctxFor, local, newStore, SUPERVISOR, tempDir, waitForEnd } from './helpers';

const one = { nodes: 1, gpusPerNode: 8 };

test("the argv of each tool's own launcher, world size from the job", () => {
  assert.deepEqual(trainingLauncherArgv({ tool: 'torchtitan', config: 'train.toml', ...one }), { ok: true, argv: ['torchrun', '--nnodes=1', '--nproc-per-node=8', '--standalone', '-m', 'torchtitan.train', '--job.config_file', 'train.toml'] });
  assert.deepEqual(trainingLauncherArgv({ tool: 'torchtitan', config: 'train.toml', nodes: 2, gpusPerNode: 8 }), { ok: true, argv: ['torchrun', '--nnodes=2', '--nproc-per-node=8', '-m', 'torchtitan.train', '--job.config_file', 'train.toml'] });
  assert.deepEqual(trainingLauncherArgv({ tool: 'axolotl', config: 'lora.yml', nodes: 1, gpusPerNode: 2 }), { ok: true, argv: ['torchrun', '--nnodes=1', '--nproc-per-node=2', '--standalone', '-m', 'axolotl.cli.train', 'lora.yml'] });
  assert.deepEqual(trainingLauncherArgv({ tool: 'accelerate', config: 'fsdp.yaml', script: 'train.py', ...one }), { ok: true, argv: ['accelerate', 'launch', '--config_file', 'fsdp.yaml', '--num_machines', '1', '--num_processes', '8', 'train.py'] });
  assert.deepEqual(trainingLauncherArgv({ tool: 'deepspeed', config: 'ds.json', script: 'train.py', ...one }), { ok: true, argv: ['deepspeed', '--num_gpus', '8', 'train.py', '--deepspeed', 'ds.json'] });
  // A value with spaces or shell characters stays one argument: no shell string is built.
  const odd = trainingLauncherArgv({ tool: 'torchtitan', config: 'my cfg; rm -rf ~.toml', ...one });
  assert.ok(odd.ok && odd.argv.at(-1) === 'my cfg; rm -rf ~.toml');
  const noScript = trainingLauncherArgv({ tool: 'accelerate', config: 'fsdp.yaml', ...one });
  assert.ok(!noScript.ok && noScript.path.join('.') === 'spec.script');
  const twoNodes = trainingLauncherArgv({ tool: 'deepspeed', config: 'ds.json', script: 't.py', nodes: 2, gpusPerNode: 8 });
  assert.ok(!twoNodes.ok && twoNodes.path.join('.') === 'spec.resources.nodes');
});

/** A workspace with a TrainingJob (`config: train.toml`), the torchtitan fixture as train.toml, and a Cluster. */
function workspace(scheduler: 'local' | 'slurm', extra = ''): string {
  const dir = tempDir('gantry-config-job-');
  fs.copyFileSync(repo('test/fixtures/foreign/training/torchtitan/llama3_8b.toml'), path.join(dir, 'train.toml'));
  fs.writeFileSync(
    path.join(dir, 'job.gantry.yaml'),
    `apiVersion: gantry/v1\nkind: Cluster\nmetadata: { name: c }\nspec:\n  scheduler: { type: ${scheduler} }\n  nodes: { count: 2, gpu: { model: H100-SXM-80GB, count: 8 } }\n---\napiVersion: gantry/v1\nkind: TrainingJob\nmetadata: { name: titan }\nspec:\n  cluster: c\n  config: train.toml\n  resources: { nodes: 1, gpusPerNode: 2 }\n${extra}`,
  );
  return dir;
}

test("the local plan runs torchrun with the file; the estimate at submit is the file's", () => {
  const dir = workspace('local');
  const r = planFile(path.join(dir, 'job.gantry.yaml'), { root: dir, name: 'titan' });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  assert.deepEqual(r.plan.command, ['torchrun', '--nnodes=1', '--nproc-per-node=2', '--standalone', '-m', 'torchtitan.train', '--job.config_file', 'train.toml']);
  assert.equal(r.plan.env.CUDA_VISIBLE_DEVICES, '0,1');
  assert.ok((r.plan.estimatedDeviceBytesPerGpu ?? 0) > 20 * 1024 ** 3, 'the estimate of Llama 3.1 8B at batch 2 × 8192');
});

test('a config no reader reads, or a missing one, cannot be planned, and says why', () => {
  const dir = workspace('local');
  fs.writeFileSync(path.join(dir, 'job.gantry.yaml'), fs.readFileSync(path.join(dir, 'job.gantry.yaml'), 'utf8').replace('config: train.toml', 'config: gone.toml'));
  const r = planFile(path.join(dir, 'job.gantry.yaml'), { root: dir, name: 'titan' });
  assert.ok(!r.ok && /spec\.config: cannot read 'gone\.toml' \(no such file\)/.test(r.errors.join('\n')), JSON.stringify(r));
});

test("on Slurm the batch script carries the tool's launcher line, with the rendezvous for two nodes", () => {
  const dir = workspace('slurm', '  workingDir: /lustre/titan\n');
  const file = path.join(dir, 'job.gantry.yaml');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('nodes: 1, gpusPerNode: 2', 'nodes: 2, gpusPerNode: 8'));
  const r = planFile(file, { root: dir, name: 'titan' });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  const job = { apiVersion: 'gantry/v1', kind: 'TrainingJob', metadata: { name: 'titan' }, spec: { cluster: 'c', config: 'train.toml', workingDir: '/lustre/titan', resources: { nodes: 2, gpusPerNode: 8 } } } as unknown as SlurmJobDoc;
  const cluster: ClusterDoc = { apiVersion: 'gantry/v1', kind: 'Cluster', metadata: { name: 'c' }, spec: { scheduler: { type: 'slurm' }, nodes: { count: 2, gpu: { model: 'H100-SXM-80GB', count: 8 } } } };
  const script = batchScriptFor(r.plan, job, [cluster]).text;
  assert.match(script, /^srun --ntasks-per-node=1 --label torchrun --rdzv-backend=c10d "--rdzv-endpoint=\$MASTER_ADDR:\$MASTER_PORT" "--rdzv-id=\$SLURM_JOB_ID" '--nnodes=2' '--nproc-per-node=8' -m torchtitan\.train --job\.config_file train\.toml$/m);
  assert.match(script, /^#SBATCH --nodes=2$/m);
});

const backends: LocalBackend[] = [];
after(() => backends.forEach((b) => b.dispose()));

test('a local run: the launcher the plan made is what starts (a stub torchrun that prints its argv)', async () => {
  const dir = workspace('local');
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  // The stub, named as such: prints each argument it was given on its own line, and exits 0.
  fs.writeFileSync(path.join(bin, 'torchrun'), '#!/bin/sh\necho "stub torchrun, argv:"\nfor a in "$@"; do echo "$a"; done\n', { mode: 0o755 });
  const file = path.join(dir, 'job.gantry.yaml');
  fs.appendFileSync(file, `  env: { PATH: "${bin}:${process.env.PATH}" }\n`);
  const r = planFile(file, { root: dir, name: 'titan' });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  const store = newStore();
  const run = local(store.create(r.plan));
  const b = new LocalBackend({ graceMs: 2000, pollMs: 50, supervisorPath: SUPERVISOR });
  backends.push(b);
  await b.submit(run, ctxFor(store)(run));
  const end = await waitForEnd(store, run.id);
  assert.equal(end.state, 'succeeded', end.reason);
  const out = fs.readFileSync(path.join(store.runDir(run.id), 'stdout.log'), 'utf8');
  assert.equal(out, ['stub torchrun, argv:', '--nnodes=1', '--nproc-per-node=2', '--standalone', '-m', 'torchtitan.train', '--job.config_file', 'train.toml', ''].join('\n'));
});
