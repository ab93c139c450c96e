// Telling a job's output file from the one an earlier job with the same id left (Slurm reuses job
// ids): the `stat` reader and the rule. The backend's use of them runs against the real test
// Slurm in test/slurm/jobs.test.ts.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createSlurmCommands, parseStat } from '../../../core/runs/slurm/commands';
import { CLOCK_SLACK_S, isStaleOutput } from '../../../core/runs/slurm/follow';
import type { CommandTransport, ExecResult } from '../../../core/runs/slurm/transport';

test('stat lines: stamps by path, only for the paths asked; a missing path is absent', () => {
  const out = '1796533000 412 /home/a/.gantry/slurm/slurm-7.out\n1796533100 0 /logs/with space/slurm-7.out\n17 x /bad\n1 2 /not-asked\n';
  const m = parseStat(out, ['/home/a/.gantry/slurm/slurm-7.out', '/logs/with space/slurm-7.out', '/missing', '/bad']);
  assert.deepEqual(
    [...m],
    [
      ['/home/a/.gantry/slurm/slurm-7.out', { mtimeS: 1796533000, size: 412 }],
      ['/logs/with space/slurm-7.out', { mtimeS: 1796533100, size: 0 }],
    ],
  );
});

function answering(result: ExecResult, seen: string[][]): CommandTransport {
  return {
    kind: 'local',
    where: 'this machine',
    exec: async (argv) => {
      seen.push(argv);
      return result;
    },
    spawnStream: () => {
      throw new Error('not used');
    },
    dispose: async () => {},
  };
}

test('stat runs once for all paths as argv; exit 1 (a path missing) still gives the rest; worse is an error', async () => {
  const seen: string[][] = [];
  const some = createSlurmCommands(answering({ code: 1, stdout: '5 6 /a\n', stderr: "stat: cannot statx '/b': No such file or directory\n" }, seen));
  assert.deepEqual([...(await some.stat(['/a', '/b']))], [['/a', { mtimeS: 5, size: 6 }]]);
  assert.deepEqual(seen, [['stat', '-c', '%Y %s %n', '--', '/a', '/b']]);
  const broken = createSlurmCommands(answering({ code: 2, stdout: '', stderr: 'stat: invalid option\n' }, []));
  await assert.rejects(broken.stat(['/a']), /`stat` failed on this machine: stat: invalid option/);
  assert.equal((await some.stat([])).size, 0);
});

test('date +%s is the Slurm side clock; anything else is an error, not NaN', async () => {
  assert.equal(await createSlurmCommands(answering({ code: 0, stdout: '1796533123\n', stderr: '' }, [])).now(), 1796533123);
  await assert.rejects(createSlurmCommands(answering({ code: 0, stdout: 'Sun Dec  6\n', stderr: '' }, [])).now(), /`date` failed/);
});

test('stale: written before the submission (beyond the clock slack) and unchanged since first seen', () => {
  const at = 1_796_533_123;
  const old = { mtimeS: at - 3600, size: 812 };
  assert.equal(isStaleOutput(undefined, at, undefined), false, 'no file yet: it will be this job’s');
  assert.equal(isStaleOutput(old, at, undefined), true);
  assert.equal(isStaleOutput(old, at, old), true, 'still the same');
  assert.equal(isStaleOutput({ mtimeS: at + 2, size: 0 }, at, old), false, 'Slurm truncated it to start the job');
  assert.equal(isStaleOutput({ mtimeS: at - 3600, size: 40 }, at, old), false, 'changed, though its clock lags');
  assert.equal(isStaleOutput({ mtimeS: at - CLOCK_SLACK_S, size: 5 }, at, undefined), false, 'within the clock slack: this job’s');
  assert.equal(isStaleOutput({ mtimeS: at - CLOCK_SLACK_S - 1, size: 5 }, at, undefined), true);
});
