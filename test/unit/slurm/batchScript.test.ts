import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ClusterDoc, InferenceServiceDoc, TrainingJobDoc } from '../../../core/spec/types';
import { BatchScriptError, gresTypeFor, renderBatchScript, slurmMemoryMiB, slurmTimeLimit } from '../../../core/runs/slurm/batchScript';
import { HOSTILE } from './hostile';
import { tempDir } from '../helpers';

const cluster = (scheduler: Partial<ClusterDoc['spec']['scheduler']> = {}): ClusterDoc => ({
  apiVersion: 'gantry/v1',
  kind: 'Cluster',
  metadata: { name: 'pod' },
  spec: { scheduler: { type: 'slurm', ...scheduler }, nodes: { count: 2, gpu: { model: 'H100-SXM-80GB', count: 8 } } },
});
const job = (spec: Partial<TrainingJobDoc['spec']> = {}, name = 'train'): TrainingJobDoc => ({
  apiVersion: 'gantry/v1',
  kind: 'TrainingJob',
  metadata: { name },
  spec: { cluster: 'pod', resources: { nodes: 2, gpusPerNode: 8 }, model: { preset: 'llama-3-8b' }, batch: { micro: 1, sequenceLength: 2048 }, command: ['torchrun', 'train.py'], ...spec },
});
const directives = (text: string) => text.split('\n').filter((l) => l.startsWith('#SBATCH'));

test('directives: shape, gres type from the GPU model, limits, placement', () => {
  const s = renderBatchScript(job({ resources: { nodes: 2, gpusPerNode: 8, cpusPerTask: 4, memory: '512GiB' }, timeLimit: '2d12h' }), cluster({ partition: 'gpu', account: 'ml', qos: 'high', reservation: 'r1', constraint: 'ib', exclusive: true }));
  assert.deepEqual(directives(s.text), [
    '#SBATCH --job-name="train"',
    '#SBATCH --nodes=2',
    '#SBATCH --ntasks-per-node=1',
    '#SBATCH --gpus-per-node="h100:8"',
    '#SBATCH --cpus-per-task=32',
    '#SBATCH --mem="524288M"',
    '#SBATCH --time="2-12:00:00"',
    '#SBATCH --partition="gpu"',
    '#SBATCH --account="ml"',
    '#SBATCH --qos="high"',
    '#SBATCH --reservation="r1"',
    '#SBATCH --constraint="ib"',
    '#SBATCH --exclusive',
    '#SBATCH --output=".gantry/slurm/slurm-%j.out"',
    '#SBATCH --error=".gantry/slurm/slurm-%j.out"',
  ]);
  assert.equal(s.launcher, 'torchrun');
  assert.equal(s.ranks, 2);
  assert.match(s.text, /^export PYTHONUNBUFFERED=1$/m);
  assert.match(s.text, /srun --ntasks-per-node=1 --label torchrun --nnodes=2 --nproc-per-node=8 --rdzv-backend=c10d "--rdzv-endpoint=\$MASTER_ADDR:\$MASTER_PORT" "--rdzv-id=\$SLURM_JOB_ID" train.py$/m);
});

test('torchrun flags the spec gives are kept, not doubled', () => {
  const s = renderBatchScript(job({ command: ['torchrun', '--nnodes=2', '--nproc-per-node=8', 'train.py'] }), cluster());
  assert.match(s.text, /torchrun --rdzv-backend=c10d "--rdzv-endpoint=\$MASTER_ADDR:\$MASTER_PORT" "--rdzv-id=\$SLURM_JOB_ID" '--nnodes=2' '--nproc-per-node=8' train.py/);
});

test('another command runs once per GPU with RANK/LOCAL_RANK/WORLD_SIZE from Slurm', () => {
  const s = renderBatchScript(job({ command: ['python', 'train.py'], resources: { nodes: 1, gpusPerNode: 4 } }), cluster());
  assert.equal(s.tasksPerNode, 4);
  assert.match(s.text, /srun --ntasks-per-node=4 --label bash -c 'export RANK="\$SLURM_PROCID"/);
});

test('container: pyxis flags; per-rank logs', () => {
  const s = renderBatchScript(job({ container: { image: 'nvcr.io/nvidia/pytorch:24.05-py3', mounts: [{ source: '/data', target: '/d', readOnly: true }], workdir: '/w' } }), cluster(), { perRankLogs: true });
  assert.match(s.text, /srun --ntasks-per-node=1 --output="\$GANTRY_LOG_DIR\/%j-rank-%t.log" --container-image=nvcr.io\/nvidia\/pytorch:24.05-py3 --container-mounts=\/data:\/d:ro --container-workdir=\/w torchrun/);
});

test('InferenceService: one task on one node; the engine command by default', () => {
  const svc: InferenceServiceDoc = { apiVersion: 'gantry/v1', kind: 'InferenceService', metadata: { name: 'chat' }, spec: { engine: 'vllm', model: { weights: 'meta-llama/Llama-3.1-8B' }, tensorParallel: 2 } };
  const s = renderBatchScript(svc, cluster());
  assert.equal(s.nodes, 1);
  assert.match(s.text, /#SBATCH --gpus-per-node="h100:2"/);
  assert.match(s.text, /srun --ntasks-per-node=1 --label vllm serve meta-llama\/Llama-3.1-8B --tensor-parallel-size 2 --host 0\.0\.0\.0 --port 8000$/m);
  assert.throws(
    () => renderBatchScript({ ...svc, spec: { ...svc.spec, replicas: 2 } }, cluster()),
    (e: BatchScriptError) => e.path.join('.') === 'spec.replicas',
  );
});

test('units: Gantry durations and Slurm times → D-HH:MM:SS; quantities → MiB', () => {
  const cases: [string, string][] = [
    ['24h', '1-00:00:00'],
    ['90m', '0-01:30:00'],
    ['2d12h', '2-12:00:00'],
    ['45s', '0-00:00:45'],
    ['1-00:00:00', '1-00:00:00'],
    ['30:00', '0-00:30:00'],
    ['60', '0-01:00:00'],
    ['2-6', '2-06:00:00'],
    ['unlimited', 'UNLIMITED'],
  ];
  for (const [input, out] of cases) assert.equal(slurmTimeLimit(input), out, input);
  for (const bad of ['', '1x', 'h', '0m']) assert.throws(() => slurmTimeLimit(bad, ['spec', 'timeLimit']), BatchScriptError, bad);
  assert.equal(slurmMemoryMiB('512GiB'), 524288);
  assert.equal(slurmMemoryMiB('2TiB'), 2097152);
  assert.equal(slurmMemoryMiB('1GB'), 954);
  assert.equal(slurmMemoryMiB('64G'), 65536);
  assert.throws(() => slurmMemoryMiB('lots'), BatchScriptError);
  assert.equal(gresTypeFor('H100-SXM-80GB'), 'h100');
  assert.equal(gresTypeFor('L40S-48GB'), 'l40s');
});

test('bad input is refused at its spec path', () => {
  assert.throws(
    () => renderBatchScript(job({ env: { 'BAD NAME': 'x' } }), cluster()),
    (e: BatchScriptError) => e.path.join('.') === 'spec.env.BAD NAME',
  );
  assert.throws(
    () => renderBatchScript(job(), cluster({ partition: 'gpu\n#SBATCH --wrap=x' })),
    (e: BatchScriptError) => e.path.join('.') === 'spec.scheduler.partition',
  );
  assert.throws(() => renderBatchScript(job({ command: ['-x'] }), cluster()), BatchScriptError);
  assert.throws(
    () => renderBatchScript(job({ command: undefined }), cluster()),
    (e: BatchScriptError) => e.path.join('.') === 'spec.command',
  );
});

test('a line break in the job name cannot add a directive', () => {
  const s = renderBatchScript(job({}, 'x\n#SBATCH --partition=evil'), cluster());
  assert.deepEqual(
    directives(s.text).filter((d) => d.startsWith('#SBATCH --partition')),
    [],
  );
  assert.match(s.text, /#SBATCH --job-name="x #SBATCH --partition=evil"/);
});

/**
 * Executes a rendered script with stand-ins for srun and scontrol: srun drops its own options and
 * runs the rest, as the real one does on each node. What the command receives must be exactly the
 * spec's words, in the spec's working directory, with the spec's environment, and nothing else ran.
 */
test('executing the script: hostile command words, env values and working dir arrive intact, nothing injected', () => {
  const root = tempDir('gantry-script-');
  const bin = path.join(root, 'bin');
  const out = path.join(root, 'out');
  fs.mkdirSync(bin);
  fs.mkdirSync(out);
  const workdir = path.join(root, "wd $(touch PWNED) 'q' `touch PWNED`\nx");
  fs.mkdirSync(workdir);
  fs.writeFileSync(path.join(bin, 'srun'), '#!/bin/bash\nwhile [[ "$1" == --* ]]; do shift; done\nSLURM_PROCID=0 SLURM_LOCALID=0 SLURM_NTASKS=1 SLURM_NTASKS_PER_NODE=1 exec "$@"\n', { mode: 0o755 });
  fs.writeFileSync(path.join(bin, 'scontrol'), '#!/bin/bash\necho node1\n', { mode: 0o755 });
  const env: Record<string, string> = {};
  HOSTILE.forEach((v, i) => (env[`V${i}`] = v));
  const s = renderBatchScript(job({ command: ['bash', '-c', 'printf "%s\\0" "$@" > "$OUT/argv"; printf "%s\\0" "$PWD" > "$OUT/cwd"; env -0 > "$OUT/env"', 'arg0', ...HOSTILE], resources: { nodes: 1, gpusPerNode: 1 }, workingDir: workdir, env }, HOSTILE.join(' ')), cluster());
  const scriptFile = path.join(root, 'job.sbatch');
  fs.writeFileSync(scriptFile, s.text);
  const r = spawnSync('bash', [scriptFile], { cwd: root, encoding: 'utf8', env: { PATH: `${bin}:${process.env.PATH}`, OUT: out, SLURM_JOB_ID: '42', SLURM_JOB_NODELIST: 'node1', SLURM_SUBMIT_DIR: root } });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(fs.readFileSync(path.join(out, 'argv'), 'utf8').split('\0').slice(0, -1), HOSTILE);
  assert.equal(fs.readFileSync(path.join(out, 'cwd'), 'utf8').split('\0')[0], workdir);
  const got = new Map(
    fs
      .readFileSync(path.join(out, 'env'), 'utf8')
      .split('\0')
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  HOSTILE.forEach((v, i) => assert.equal(got.get(`V${i}`), v, `V${i}`));
  assert.equal(got.get('MASTER_ADDR'), 'node1');
  assert.equal(got.get('MASTER_PORT'), String(20000 + 42));
  assert.equal(got.get('PYTHONUNBUFFERED'), '1');
  const pwned = spawnSync('find', [root, '-name', 'PWNED'], { encoding: 'utf8' }).stdout.trim();
  assert.equal(pwned, '', 'a value ran as a command');
});
