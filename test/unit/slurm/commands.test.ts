import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createSlurmCommands, SlurmSubmitError, SlurmUnavailableError } from '../../../core/runs/slurm/commands';
import type { CommandTransport, ExecResult } from '../../../core/runs/slurm/transport';

/** A transport whose every command answers `result`. */
function answering(result: ExecResult): CommandTransport {
  return {
    kind: 'local',
    where: 'this machine',
    exec: async () => result,
    spawnStream: () => {
      throw new Error('not used');
    },
    dispose: async () => {},
  };
}

for (const stderr of ['sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)\n', 'sbatch: error: Batch job submission failed: Socket timed out on send/recv operation\n']) {
  test(`sbatch that cannot reach slurmctld is "could not reach the Slurm controller", not a rejection: ${stderr.trim()}`, async () => {
    const slurm = createSlurmCommands(answering({ code: 1, stdout: '', stderr }));
    await assert.rejects(slurm.submit('#!/bin/bash\n'), (e: unknown) => {
      assert.ok(e instanceof SlurmUnavailableError, String(e));
      assert.match((e as Error).message, /^could not reach the Slurm controller from this machine: Batch job submission failed: /);
      return true;
    });
  });
}

test('sbatch refusing the job is still a SlurmSubmitError at the field', async () => {
  const slurm = createSlurmCommands(answering({ code: 1, stdout: '', stderr: 'sbatch: error: Batch job submission failed: Invalid partition name specified\n' }));
  await assert.rejects(slurm.submit('#!/bin/bash\n'), (e: unknown) => {
    assert.ok(e instanceof SlurmSubmitError);
    assert.deepEqual(e.specPath, { doc: 'cluster', path: ['spec', 'scheduler', 'partition'] });
    return true;
  });
});
