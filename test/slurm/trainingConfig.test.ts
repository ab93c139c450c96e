// A TrainingJob that points at its tool's config (`config: train.toml`, no command) on the real test
// Slurm: `gantry script` carries the tool's own launcher line (torchrun … -m torchtitan.train
// --job.config_file train.toml, world size from resources), and `gantry run` runs exactly it. On the
// test nodes `torchrun` is a stub, named as such, that prints the arguments it was given.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { HANG_MS, repoRoot, skipReason, tmpDir } from './harness';

const CLI = path.join(repoRoot, 'dist/cli.js');

function gantry(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: HANG_MS, encoding: 'utf8', maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('TrainingJob config: on Slurm', { skip: skipReason }, () => {
  test("the batch script runs the tool's launcher with the file; gantry run runs it (a stub torchrun)", async () => {
    const dir = tmpDir('config-job');
    fs.mkdirSync(path.join(dir, '.gantry'));
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.writeFileSync(path.join(dir, 'bin', 'torchrun'), '#!/bin/sh\necho "stub torchrun, argv: $*"\n', { mode: 0o755 });
    // torchtitan's llama3 8B config with its debug model, so that two GPUs of the test Cluster hold it
    // (the 8B flavor does not fit two 80 GB GPUs, and gantry run refuses a job that will not fit).
    const toml = fs.readFileSync(path.join(repoRoot, 'test/fixtures/foreign/training/torchtitan/llama3_8b.toml'), 'utf8');
    assert.ok(toml.includes('flavor = "8B"'));
    fs.writeFileSync(path.join(dir, 'train.toml'), toml.replace('flavor = "8B"', 'flavor = "debugmodel"'));
    const spec = path.join(dir, 'job.gantry.yaml');
    fs.writeFileSync(
      spec,
      `apiVersion: gantry/v1
kind: Cluster
metadata: { name: testpod }
spec:
  scheduler: { type: slurm, partition: gpu }
  nodes: { count: 2, gpu: { model: H100-SXM-80GB, count: 8 } }
---
apiVersion: gantry/v1
kind: TrainingJob
metadata: { name: titan }
spec:
  cluster: testpod
  config: train.toml
  resources: { nodes: 1, gpusPerNode: 2 }
  workingDir: ${dir}
  env: { PATH: "${dir}/bin:/usr/local/bin:/usr/bin:/bin" }
`,
    );
    const script = await gantry(['script', spec]);
    assert.equal(script.code, 0, script.stderr);
    assert.match(script.stdout, /^srun --ntasks-per-node=1 --label torchrun '--nnodes=1' '--nproc-per-node=2' --standalone -m torchtitan\.train --job\.config_file train\.toml$/m);
    const run = await gantry(['run', '--workspace', dir, spec]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^0: stub torchrun, argv: --nnodes=1 --nproc-per-node=2 --standalone -m torchtitan\.train --job\.config_file train\.toml$/m);
    assert.match(run.stderr, /: succeeded/);
  });
});
