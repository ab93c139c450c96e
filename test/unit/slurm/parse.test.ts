import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeExitCode, expandHostList, mapSlurmState, parseSacct, parseScontrolJob, parseSqueue } from '../../../core/runs/slurm/parse';
import { slurmErrorText } from '../../../core/runs/slurm/commands';
import { classifySshFailure } from '../../../core/runs/slurm/transport';

// Recorded from slurm-wlm 22.05.8 started by test/slurm/start.sh (paths rewritten to /home/alice).
const fixture = (name: string) => fs.readFileSync(path.resolve(__dirname, '../../../../test/unit/slurm/fixtures', name), 'utf8');

test('squeue rows: every state with its reason, pending without nodes', () => {
  const rows = parseSqueue(fixture('squeue.txt'));
  const byId = new Map(rows.map((r) => [r.jobId, r]));
  assert.deepEqual(byId.get('5'), { jobId: '5', state: 'PENDING', batchHost: undefined, nodeList: undefined, reason: 'PartitionNodeLimit' });
  assert.deepEqual(byId.get('13'), { jobId: '13', state: 'RUNNING', batchHost: 'node1', nodeList: 'node[1-2]', reason: 'None' });
  assert.equal(byId.get('2')?.reason, 'NonZeroExitCode');
  assert.equal(rows.length, 13);
});

test('scontrol show job -o: fields, exit codes, expanded output paths', () => {
  const failed = parseScontrolJob(fixture('scontrol-failed-exit3.txt'));
  assert.equal(failed.JobState, 'FAILED');
  assert.equal(failed.ExitCode, '3:0');
  assert.equal(failed.StdOut, '/home/alice/.gantry/slurm/b-2.out');
  assert.deepEqual(mapSlurmState(failed.JobState, failed.Reason, failed.ExitCode), { state: 'failed', exitCode: 3, reason: 'exit code 3' });
  const killed = parseScontrolJob(fixture('scontrol-failed-signal9.txt'));
  assert.deepEqual(mapSlurmState(killed.JobState, killed.Reason, killed.ExitCode), { state: 'failed', exitCode: undefined, reason: 'killed by signal 9 (SIGKILL)' });
  const pending = parseScontrolJob(fixture('scontrol-pending.txt'));
  assert.deepEqual(mapSlurmState(pending.JobState, pending.Reason), { state: 'pending', reason: 'asks for more nodes than the partition allows (PartitionNodeLimit)' });
  assert.equal(parseScontrolJob(fixture('scontrol-running-2node.txt')).NodeList, 'node[1-2]');
  assert.equal(mapSlurmState(parseScontrolJob(fixture('scontrol-cancelled.txt')).JobState).state, 'cancelled');
  assert.equal(mapSlurmState(parseScontrolJob(fixture('scontrol-completed.txt')).JobState).state, 'succeeded');
});

test('a job name that imitates fields does not fool the parser', () => {
  const j = parseScontrolJob(fixture('scontrol-evil-name.txt'));
  assert.equal(j.JobState, 'COMPLETED');
  assert.equal(j.Reason, 'None');
  assert.equal(j.ExitCode, '0:0');
  assert.equal(j.StdOut, '/home/alice/.gantry/slurm/sp ace-15.out');
});

test('state mapping covers Slurm end states', () => {
  assert.equal(mapSlurmState('TIMEOUT', 'TimeLimit', '0:15').state, 'timeout');
  assert.equal(mapSlurmState('NODE_FAIL').state, 'failed');
  assert.match(mapSlurmState('OUT_OF_MEMORY', undefined, '0:125').reason!, /out of memory/);
  assert.equal(mapSlurmState('CANCELLED by 1000').reason, 'cancelled by 1000');
  assert.equal(mapSlurmState('CANCELLED+').state, 'cancelled');
  assert.equal(mapSlurmState('COMPLETING').state, 'running');
  assert.equal(mapSlurmState('PENDING', 'Priority').reason, 'other jobs have priority (Priority)');
  assert.equal(mapSlurmState('PENDING', 'None').reason, undefined);
  assert.equal(mapSlurmState('WEIRD').state, 'lost');
  assert.deepEqual(decodeExitCode('1:0'), { exitCode: 1, text: 'exit code 1' });
  assert.deepEqual(decodeExitCode('0:15'), { signal: 15, text: 'killed by signal 15 (SIGTERM)' });
});

test('sacct parsable rows', () => {
  assert.deepEqual(parseSacct('7|FAILED|3:0|2026-11-22T16:06:35|2026-11-22T16:06:35\n8|CANCELLED by 0|0:0|2026-11-22T16:06:36|Unknown\n'), [
    { jobId: '7', state: 'FAILED', exitCode: '3:0', start: '2026-11-22T16:06:35', end: '2026-11-22T16:06:35' },
    { jobId: '8', state: 'CANCELLED by 0', exitCode: '0:0', start: '2026-11-22T16:06:36', end: 'Unknown' },
  ]);
});

test("sbatch rejections keep Slurm's own words", () => {
  assert.equal(slurmErrorText(fixture('sbatch-unknown-partition.txt')), 'invalid partition specified: nope\nBatch job submission failed: Invalid partition name specified');
  assert.equal(slurmErrorText(fixture('sbatch-too-many-gpus.txt')), 'Batch job submission failed: Requested node configuration is not available');
});

test('host lists', () => {
  assert.deepEqual(expandHostList('node[1-2]'), ['node1', 'node2']);
  assert.deepEqual(expandHostList('gpu[01-03,7],login'), ['gpu01', 'gpu02', 'gpu03', 'gpu7', 'login']);
  assert.deepEqual(expandHostList(undefined), []);
});

test('ssh failures read as what to do', () => {
  assert.equal(classifySshFailure('h', 'root@127.0.0.1: Permission denied (publickey).').kind, 'auth');
  assert.equal(classifySshFailure('h', 'ssh: connect to host 127.0.0.1 port 1: Connection refused').kind, 'unreachable');
  assert.equal(classifySshFailure('h', 'Host key verification failed.').kind, 'host-key');
  assert.equal(classifySshFailure('h', 'ssh: Could not resolve hostname nope: Name or service not known').kind, 'unreachable');
});

test('buffering hints: a silent running job, or a burst of whole stdio buffers after silence', async () => {
  const { BufferingDetector } = await import('../../../core/runs/slurm/follow');
  const silent = new BufferingDetector(60_000, 10_000);
  assert.equal(silent.onTick(0, 59_000), undefined);
  assert.match(silent.onTick(0, 60_000)!, /python -u/);
  assert.equal(silent.onTick(0, 90_000), undefined, 'said once');
  const burst = new BufferingDetector(60_000, 10_000);
  assert.equal(burst.onData(20, 1000), undefined);
  assert.equal(burst.onData(100, 2000), undefined);
  assert.match(burst.onData(8192, 30_000)!, /8192-byte burst after 28 s/);
  const chatty = new BufferingDetector(60_000, 10_000);
  for (let t = 0; t < 100_000; t += 500) assert.equal(chatty.onData(4096, t), undefined);
});
