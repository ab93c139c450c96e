// Run history written before the run types became a union keyed on the backend still loads: the
// JSON on disk did not change, and the typed accessors (isLocalRun, isSlurmRun) read old records.
// The local record below is a run.json as the previous version (`gantry run`, main at 04747f7)
// wrote it; the Slurm one follows that version's SlurmHandle and plan.backendOptions.
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunStore } from '../../../core/runs/store';
import { LocalBackend } from '../../../core/runs/local';
import { isLocalRun, isSlurmRun } from '../../../core/runs/types';
import { ctxFor, local, nodePlan, SUPERVISOR, tempDir, waitForEnd } from './helpers';

const oldLocal = (dir: string, id: string, state: string, pid: number) => ({
  id,
  plan: { name: 'old-run', kind: 'TrainingJob', specFile: '/tmp/h16old/job.gantry.yaml', docIndex: 0, backend: 'local', command: ['node', '-e', "console.log('hi')"], env: { PYTHONUNBUFFERED: '1' }, cwd: '/tmp/h16old', nodes: 1, gpusPerNode: 0 },
  state,
  submittedAt: 1796364050674,
  logs: [
    { path: path.join(dir, id, 'stdout.log'), stream: 'stdout' },
    { path: path.join(dir, id, 'stderr.log'), stream: 'stderr' },
  ],
  handle: { pid, pgid: pid, startTime: '1178364', host: 'vm' },
  startedAt: 1796364050719,
  ...(state === 'succeeded' ? { reason: 'exit code 0', exitCode: 0, endedAt: 1796364051471 } : {}),
});

const oldSlurm = {
  id: '20261204-060100-big-job-0a1b',
  plan: {
    name: 'big-job',
    kind: 'TrainingJob',
    specFile: '/work/jobs/big.gantry.yaml',
    docIndex: 1,
    backend: 'slurm',
    command: ['torchrun', '--nproc-per-node', '8', 'train.py'],
    env: { PYTHONUNBUFFERED: '1' },
    cwd: '~',
    nodes: 2,
    gpusPerNode: 8,
    backendOptions: {
      cluster: 'pod',
      scheduler: { type: 'slurm', partition: 'gpu', login: { host: 'login.example', user: 'me' } },
      batchScript: { text: '#!/bin/bash\n#SBATCH --partition=gpu\n', jobName: 'big-job', nodes: 2, tasksPerNode: 1, gpusPerNode: 8, launcher: 'torchrun', ranks: 2, perRankLogs: false, logDir: '.gantry/slurm' },
    },
  },
  state: 'failed',
  reason: 'exit code 3',
  exitCode: 3,
  submittedAt: 1796364060000,
  startedAt: 1796364061000,
  endedAt: 1796364062000,
  logs: [{ path: '/tmp/mirror/1234.out', stream: 'combined' }],
  handle: { jobId: '1234', where: 'me@login.example:22', stdout: '/home/me/.gantry/slurm/1234.out', stderr: '/home/me/.gantry/slurm/1234.out', outputHint: 'output looks block-buffered' },
};

const backends: LocalBackend[] = [];
after(() => backends.forEach((b) => b.dispose()));

test('run.json written by the previous version loads, lists and narrows by backend', () => {
  const root = path.join(tempDir(), '.gantry');
  const runs = path.join(root, 'runs');
  const done = oldLocal(runs, '20261204-060050-old-run-d4c5', 'succeeded', 30222);
  for (const r of [done, oldSlurm]) {
    fs.mkdirSync(path.join(runs, r.id), { recursive: true });
    fs.writeFileSync(path.join(runs, r.id, 'run.json'), JSON.stringify(r, null, 2));
  }
  const store = new RunStore(root);
  // No index.json (as after a crash): it is rebuilt from the records.
  assert.deepEqual(
    store.list().map((s) => [s.id, s.backend, s.state]),
    [
      [oldSlurm.id, 'slurm', 'failed'],
      [done.id, 'local', 'succeeded'],
    ],
  );
  const l = store.get(done.id)!;
  assert.ok(isLocalRun(l) && !isSlurmRun(l));
  assert.equal(l.handle.pgid, 30222);
  assert.deepEqual(l, done, 'read back as written');
  const s = store.resolve('big-job')!;
  assert.ok(isSlurmRun(s));
  assert.equal(s.handle.jobId, '1234');
  assert.equal(s.plan.backendOptions.batchScript?.launcher, 'torchrun');
  assert.equal(s.plan.backendOptions.scheduler.login?.host, 'login.example');
  // A new run beside them, and an update to an old one, keep the file format.
  const fresh = store.create(nodePlan('1', { name: 'fresh' }));
  assert.equal(store.list().length, 3);
  const updated = store.update({ id: s.id, handle: { outputHint: 'seen again' } })!;
  assert.ok(isSlurmRun(updated));
  assert.equal(updated.handle.jobId, '1234', 'an update merges into the old handle');
  assert.equal(store.get(fresh.id)?.plan.backend, 'local');
});

test('an old record of a run that was live when the previous version exited: the local backend reattaches and finds it lost', async () => {
  const root = path.join(tempDir(), '.gantry');
  const runs = path.join(root, 'runs');
  // pid 2^22 + 1 is above Linux's pid_max limit: no such process.
  const live = oldLocal(runs, '20261204-060050-old-run-e5f6', 'running', 4194305);
  fs.mkdirSync(path.join(runs, live.id), { recursive: true });
  fs.writeFileSync(path.join(runs, live.id, 'run.json'), JSON.stringify(live, null, 2));
  const store = new RunStore(root);
  const b = new LocalBackend({ pollMs: 50, supervisorPath: SUPERVISOR });
  backends.push(b);
  await b.reattach([local(store.get(live.id))], ctxFor(store));
  const end = await waitForEnd(store, live.id);
  assert.equal(end.state, 'lost');
  assert.match(end.reason ?? '', /without recording an exit status/);
});
