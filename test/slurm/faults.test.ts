// Faults: an unreachable or silent login host, refused authentication, and slurmctld going down
// and coming back while a run is live. Each must end in a clear message within a deadline, and no
// run may be lost. This file stops and restarts the test cluster's slurmctld (by PID, through
// test/slurm/stop.sh and start.sh), so scripts/test-slurm.sh runs the test files one at a time.
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { createSlurmBackend, type SlurmBackend } from '../../core/runs/slurm/backend';
import { SlurmUnavailableError } from '../../core/runs/slurm/commands';
import type { SlurmRun as RunRecord } from '../../core/runs/types';
import { env, HANG_MS, makeRun, runScript, scheduler, scontrolField, scripts, skipReason, sshOptions, trainingJob } from './harness';

const backends: SlurmBackend[] = [];
const servers: net.Server[] = [];
after(() => {
  for (const b of backends) b.dispose();
  for (const s of servers) s.close();
});
function backend(extra: Parameters<typeof createSlurmBackend>[1] = {}): SlurmBackend {
  const b = createSlurmBackend(undefined, { ssh: sshOptions(), commandTimeoutMs: 60_000, ...extra });
  backends.push(b);
  return b;
}
const ended = (r: RunRecord) => ['succeeded', 'failed', 'cancelled', 'timeout', 'lost'].includes(r.state);

async function listen(onConnection: (s: net.Socket) => void): Promise<number> {
  const server = net.createServer(onConnection);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as net.AddressInfo).port;
}

/** Submit must reject with a clear message; a hang is caught by HANG_MS, slowness is only printed. */
async function expectUnavailable(b: SlurmBackend, port: number, key: string, pattern: RegExp) {
  const sched = scheduler('ssh');
  sched.login = { ...sched.login!, port, identityFile: key };
  const r = makeRun(trainingJob('unreachable', ['true']), sched);
  const t0 = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`submit did not end within ${HANG_MS} ms`)), HANG_MS);
  });
  try {
    await assert.rejects(Promise.race([b.submit(r.run, r.ctx), hang]), (e: Error) => {
      assert.ok(e instanceof SlurmUnavailableError, `${e.name}: ${e.message}`);
      assert.match(e.message, pattern);
      return true;
    });
  } finally {
    clearTimeout(timer);
  }
  return Date.now() - t0;
}

describe('faults', { skip: skipReason }, () => {
  test('a closed port: "refused the connection", at once', async () => {
    const port = await listen(() => {});
    servers.pop()!.close();
    const ms = await expectUnavailable(backend(), port, env.sshKey, /refused the connection/);
    console.log(`[figures] closed port reported in ${ms} ms`);
  });

  test('a host that accepts and never speaks: a timeout message, no hang', async () => {
    const port = await listen(() => {}); // holds the socket open, sends nothing
    const ms = await expectUnavailable(backend(), port, env.sshKey, /did not answer|timed out/);
    console.log(`[figures] silent host reported in ${ms} ms (ConnectTimeout 3 s)`);
  });

  test('a key the host does not accept: "authentication failed", never a prompt', async () => {
    await expectUnavailable(backend(), env.sshPort, env.sshWrongKey, /authentication to .* failed/);
  });

  test('slurmctld stalls (SIGSTOP): polls time out with a clear reason, never hang, and recover on SIGCONT', async () => {
    const b = backend({ commandTimeoutMs: 2000 });
    const r = makeRun(trainingJob('survives-stall', ['bash', '-c', 'for i in $(seq 1 20); do echo "line $i"; sleep 0.5; done']), scheduler('local'));
    r.ctx.update(await b.submit(r.run, r.ctx));
    await r.until((x) => x.state === 'running', HANG_MS, 'running');
    const pid = Number(fs.readFileSync(path.join(env.dir, 'run/slurmctld.pid'), 'utf8'));
    process.kill(pid, 'SIGSTOP');
    try {
      const stale = await r.until((x) => /did not answer within 2 s/.test(x.reason ?? ''), HANG_MS, 'the stall to be reported');
      assert.equal(stale.state, 'running');
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    const done = await r.until(ended, HANG_MS, 'the end');
    assert.equal(done.state, 'succeeded', done.reason);
  });

  test('slurmctld stops mid-run: the run keeps its state with a clear reason, submit says so, and the run is picked up after the restart', async () => {
    const b = backend({ commandTimeoutMs: 5000 });
    const r = makeRun(trainingJob('survives-ctld', ['bash', '-c', 'for i in $(seq 1 60); do echo "line $i"; sleep 0.5; done']), scheduler('local'));
    const u = await b.submit(r.run, r.ctx);
    r.ctx.update(u);
    await r.until((x) => x.state === 'running', HANG_MS, 'running');
    let restarted = false;
    try {
      assert.equal(runScript(scripts.stop, ['slurmctld']).code, 0);
      const stale = await r.until((x) => /slurmctld is not answering|did not answer/.test(x.reason ?? ''), HANG_MS, 'the stale reason');
      assert.equal(stale.state, 'running', 'the run keeps its last known state');
      const late = makeRun(trainingJob('while-down', ['true']), scheduler('local'));
      const t0 = Date.now();
      await assert.rejects(b.submit(late.run, late.ctx), (e: Error) => e instanceof SlurmUnavailableError && /slurmctld|did not answer/.test(e.message));
      console.log(`[figures] submit with slurmctld down rejected in ${Date.now() - t0} ms: ${late.run.state}`);
      assert.equal(runScript(scripts.start).code, 0);
      restarted = true;
      // Picked up again: polls answer (the stale reason is gone) with the job still running, or, on a
      // slow machine where the restart outlasted the job, with the job's real end.
      const back = await r.until((x) => (x.state === 'running' || ended(x)) && !/not answering|did not answer/.test(x.reason ?? ''), HANG_MS, 'recovery');
      const done = await r.until(ended, HANG_MS, 'the end');
      // The end is Slurm's own. With slurmctld down long enough (a loaded machine), the job's srun step
      // can give up on the controller and the job end FAILED with exit code 1 (a loaded CI run did); a
      // job that ran through ends COMPLETED. Either way the run says what Slurm says.
      const slurmState = scontrolField(String(r.run.handle.jobId), 'JobState');
      const slurmExit = scontrolField(String(r.run.handle.jobId), 'ExitCode');
      console.log(`[figures] after the restart (${back.state}): the run ${done.state} (${done.reason}); scontrol ${slurmState} ${slurmExit}`);
      if (slurmState === 'COMPLETED' || slurmState === undefined) assert.equal(done.state, 'succeeded', done.reason);
      else {
        assert.equal(slurmState, 'FAILED', `scontrol says ${slurmState}`);
        assert.equal(done.state, 'failed');
        assert.match(done.reason ?? '', new RegExp(`exit code ${(slurmExit ?? '').split(':')[0]}`));
      }
    } finally {
      if (!restarted) runScript(scripts.start);
    }
  });
});
