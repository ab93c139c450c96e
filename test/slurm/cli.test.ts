// The CLI on a Slurm spec against the real test Slurm: `gantry script` prints the script that
// `gantry run` then submits (byte for byte), `gantry run` follows the job's log to its end,
// `gantry cancel` scancels and waits for the end, and an sbatch refusal is printed at the spec
// field (file:line:col) with Slurm's own words. The CLI is the built dist/cli.js, run as a user would.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFile, spawnSync } from 'node:child_process';
import { HANG_MS, poll, repoRoot, skipReason, tmpDir } from './harness';

const CLI = path.join(repoRoot, 'dist/cli.js');

function gantry(args: string[], timeoutMs = HANG_MS): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: timeoutMs, encoding: 'utf8', maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A workspace with a Slurm Cluster (partition `partition`) and one TrainingJob running `command`. */
function workspace(name: string, command: string[], partition = 'gpu'): { dir: string; spec: string; cluster: string } {
  const dir = tmpDir(`cli-${name}`);
  fs.mkdirSync(path.join(dir, '.gantry'));
  const cluster = path.join(dir, 'cluster.gantry.yaml');
  fs.writeFileSync(
    cluster,
    `apiVersion: gantry/v1
kind: Cluster
metadata:
  name: testpod
spec:
  scheduler:
    type: slurm
    partition: ${partition}
  nodes:
    count: 2
    gpu: { model: H100-SXM-80GB, count: 8 }
`,
  );
  const spec = path.join(dir, 'job.gantry.yaml');
  fs.writeFileSync(
    spec,
    `apiVersion: gantry/v1
kind: TrainingJob
metadata:
  name: ${name}
spec:
  cluster: testpod
  resources: { nodes: 1, gpusPerNode: 1 }
  model:
    architecture: { layers: 2, hidden: 128, heads: 4, ffn: 512, vocab: 1000, maxContext: 256 }
  batch: { micro: 1, sequenceLength: 128 }
  command: ${JSON.stringify(command)}
`,
  );
  return { dir, spec, cluster };
}

const runDirOf = (dir: string, stderr: string) => {
  const id = /run (\S+): /.exec(stderr)?.[1];
  assert.ok(id, `no run id in: ${stderr}`);
  return { id, runDir: path.join(dir, '.gantry', 'runs', id) };
};

describe('gantry CLI on a Slurm spec', { skip: skipReason }, () => {
  test('gantry script prints what gantry run submits; run follows the log to succeeded', async () => {
    const w = workspace('cli-ok', ['bash', '-c', 'for i in 1 2 3; do echo "line $i"; sleep 0.1; done']);
    const script = await gantry(['script', w.spec]);
    assert.equal(script.code, 0, script.stderr);
    assert.match(script.stdout, /^#SBATCH --partition="gpu"$/m);
    const dry = await gantry(['run', '--dry-run', w.spec]);
    assert.equal(dry.stdout, script.stdout, 'run --dry-run prints the same script');
    const run = await gantry(['run', '--workspace', w.dir, w.spec]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^0: line 1\n0: line 2\n0: line 3$/m);
    assert.match(run.stderr, /: succeeded/);
    const { runDir } = runDirOf(w.dir, run.stderr);
    assert.equal(fs.readFileSync(path.join(runDir, 'job.sbatch'), 'utf8'), script.stdout, 'the submitted script is the printed one');
  });

  test('gantry cancel scancels a running job and reports it cancelled; the job leaves the queue', async () => {
    const w = workspace('cli-long', ['bash', '-c', 'while true; do echo tick; sleep 0.2; done']);
    const started = await gantry(['run', '--detach', '--workspace', w.dir, w.spec]);
    assert.equal(started.code, 0, started.stderr);
    const { id, runDir } = runDirOf(w.dir, started.stderr);
    const jobId = String(JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')).handle.jobId);
    assert.match(jobId, /^\d+$/);
    await poll(() => spawnSync('squeue', ['-h', '-j', jobId, '-o', '%T'], { encoding: 'utf8' }).stdout.trim() === 'RUNNING' || undefined, HANG_MS, `job ${jobId} to run`);
    const cancel = await gantry(['cancel', '--workspace', w.dir, id]);
    assert.equal(cancel.code, 0, cancel.stderr);
    assert.match(cancel.stderr, /: cancelled/);
    const live = spawnSync('squeue', ['-h', '-j', jobId, '-t', 'PD,R,CG,S', '-o', '%T'], { encoding: 'utf8' }).stdout.trim();
    assert.equal(live, '', `job ${jobId} still in the queue: ${live}`);
  });

  test("an unknown partition: not run, Slurm's message at the partition value of the Cluster file", async () => {
    const w = workspace('cli-badpart', ['true'], 'nosuch');
    const run = await gantry(['run', '--workspace', w.dir, w.spec]);
    assert.equal(run.code, 1, run.stderr);
    // cluster.gantry.yaml line 8 is "    partition: nosuch"; the value starts at column 16.
    assert.match(run.stderr, new RegExp(`${w.cluster.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:8:16: error: Slurm rejected the job: .*invalid partition`, 'i'));
    assert.match(run.stderr, /: failed/);
  });

  test('gantry script on a local spec says there is no batch script (exit 1)', async () => {
    const w = workspace('cli-local', ['true']);
    fs.writeFileSync(
      w.cluster,
      fs
        .readFileSync(w.cluster, 'utf8')
        .replace('type: slurm', 'type: local')
        .replace(/\n    partition: .*\n/, '\n'),
    );
    const r = await gantry(['script', w.spec]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /local backend, which uses no batch script/);
  });
});
