// The Slurm backend against a real slurmctld with two nodes × 8 fake H100 (test/slurm/start.sh):
// the job lifecycle over both transports, every end state, pending reasons, sbatch rejections,
// injection attempts, polling cost, log and state latency, GPU metrics, reattach.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createSlurmBackend, type SlurmBackend } from '../../core/runs/slurm/backend';
import { SlurmSubmitError } from '../../core/runs/slurm/commands';
import { createLocalTransport, createSshTransport, type CommandTransport } from '../../core/runs/slurm/transport';
import type { SlurmRun as RunRecord } from '../../core/runs/types';
import { HOSTILE } from '../unit/slurm/hostile';
import { env, HANG_MS, makeRun, median, poll, record, scheduler, skipReason, sshOptions, tmpDir, trainingJob, type Recorded, type Via } from './harness';

const skip = skipReason;
const backends: SlurmBackend[] = [];
function backend(extra: Parameters<typeof createSlurmBackend>[1] = {}): SlurmBackend {
  const b = createSlurmBackend(undefined, { ssh: sshOptions(), ...extra });
  backends.push(b);
  return b;
}
after(() => {
  for (const b of backends) b.dispose();
});

async function submit(b: SlurmBackend, r: Recorded): Promise<string> {
  const u = await b.submit(r.run, r.ctx);
  r.ctx.update(u);
  return String(r.run.handle.jobId);
}
const logText = (run: RunRecord) => run.logs.map((l) => (fs.existsSync(l.path) ? fs.readFileSync(l.path, 'utf8') : '')).join('');
/**
 * Files for the next 50 job ids in `logDir`, as an earlier job with each id would have left them
 * an hour ago; returns the ids. The test's job takes one of them (this file's tests run one at a
 * time; only the TIMEOUT job overlaps, and it was submitted first).
 */
function plantStaleOutputs(logDir: string): number[] {
  const config = spawnSync('scontrol', ['show', 'config'], { encoding: 'utf8' }).stdout;
  const next = Number(/^NEXT_JOB_ID\s*=\s*(\d+)/m.exec(config)?.[1]);
  assert.ok(Number.isSafeInteger(next), 'scontrol show config printed no NEXT_JOB_ID');
  const ids = Array.from({ length: 50 }, (_, i) => next + i);
  const hourAgo = Date.now() / 1000 - 3600;
  for (const id of ids) {
    const file = path.join(logDir, `slurm-${id}.out`);
    fs.writeFileSync(file, `0: a line of an earlier job ${id}\n`.repeat(20));
    fs.utimesSync(file, hourAgo, hourAgo);
  }
  return ids;
}
const ended = (r: RunRecord) => ['succeeded', 'failed', 'cancelled', 'timeout', 'lost'].includes(r.state);

// The TIMEOUT case needs Slurm's 1-minute minimum plus its ~30 s check period: start it first and
// collect it at the end, so it overlaps the other tests.
let timeoutRun: Recorded | undefined;
let timeoutBackend: SlurmBackend | undefined;
before(async () => {
  if (skip) return;
  timeoutBackend = backend();
  timeoutRun = makeRun(trainingJob('times-out', ['bash', '-c', 'echo started; sleep 600'], { timeLimit: '1m' }), scheduler('local'));
  await submit(timeoutBackend, timeoutRun);
});

for (const via of ['local', 'ssh'] as Via[]) {
  describe(`lifecycle over ${via}`, { skip }, () => {
    test('single-node job: pending → running → succeeded, logs arrive while the job runs, RUNNING shown while Slurm runs it', async () => {
      // The job writes its lines, then waits for a gate file that the test creates only after it has
      // seen every line and the RUNNING state: "live" is checked by the order of events, not by a
      // clock, so a loaded machine is slower but never fails. Latencies are printed as figures only.
      const latencies: number[] = [];
      let ticks = 0;
      const b = backend({
        onLogData: (_id, _src, chunk, at) => {
          for (const m of chunk.toString('utf8').matchAll(/tick (\d{13})/g)) {
            ticks++;
            latencies.push(at - Number(m[1]));
          }
        },
      });
      const gate = path.join(tmpDir(`gate-${via}`), 'go');
      const r = makeRun(trainingJob(`ok-${via}`, ['bash', '-c', 'for i in $(seq 1 15); do echo "tick $(date +%s%3N)"; sleep 0.2; done; while [ ! -e "$1" ]; do sleep 0.1; done', 'job', gate]), scheduler(via));
      const jobId = await submit(b, r);
      // Slurm's own view, sampled by the test, for the RUNNING lag figure.
      let slurmRunningAt: number | undefined;
      const watcher = poll(
        () => {
          const s = spawnSync('squeue', ['-h', '-j', jobId, '-o', '%T'], { encoding: 'utf8' }).stdout.trim();
          if (s && s !== 'PENDING' && slurmRunningAt === undefined) slurmRunningAt = Date.now();
          return slurmRunningAt;
        },
        HANG_MS,
        'Slurm to report RUNNING',
      ).catch(() => undefined);
      const running = await r.until((x) => x.state === 'running' || ended(x), HANG_MS, 'running');
      assert.equal(running.state, 'running', `${running.state}: ${running.reason}`);
      const shownAt = r.updates.find((x) => x.u.state === 'running')?.at;
      // Every line reaches the backend while the job is still held at the gate.
      await poll(() => (ticks >= 15 ? true : undefined), HANG_MS, 'all 15 lines while the job runs');
      assert.equal(r.run.state, 'running', 'the lines arrived while the job was running');
      assert.equal(spawnSync('squeue', ['-h', '-j', jobId, '-o', '%T'], { encoding: 'utf8' }).stdout.trim(), 'RUNNING');
      await watcher;
      fs.writeFileSync(gate, '');
      const done = await r.until(ended, HANG_MS, 'the end');
      assert.equal(done.state, 'succeeded', done.reason);
      assert.equal(done.exitCode, 0);
      assert.ok(running.startedAt);
      const text = logText(done);
      assert.equal((text.match(/tick \d{13}/g) ?? []).length, 15, text);
      assert.match(text, /^0: tick/m, 'srun --label prefixes');
      if (via === 'ssh') assert.ok(done.logs[0].path.startsWith(r.ctx.runDir), 'mirrored into the run dir');
      assert.equal(fs.readFileSync(path.join(r.ctx.runDir, 'job.sbatch'), 'utf8'), (r.run.plan.backendOptions!.batchScript as { text: string }).text);
      const runningLag = shownAt !== undefined && slurmRunningAt !== undefined ? Math.max(0, shownAt - slurmRunningAt) : 0;
      const p95 = [...latencies].sort((a, b2) => a - b2)[Math.floor(latencies.length * 0.95)];
      console.log(`[figures] ${via}: RUNNING shown ${runningLag} ms after Slurm reported it; log latency median ${median(latencies)} ms, p95 ${p95} ms, max ${Math.max(...latencies)} ms over ${latencies.length} lines`);
    });

    test('FAILED with the exit code decoded', async () => {
      const b = backend();
      const r = makeRun(trainingJob(`fail-${via}`, ['bash', '-c', 'echo bye; exit 3']), scheduler(via));
      await submit(b, r);
      const done = await r.until(ended, HANG_MS, 'the end');
      assert.equal(done.state, 'failed');
      assert.equal(done.exitCode, 3);
      assert.equal(done.reason, 'exit code 3');
      assert.match(logText(done), /bye/);
    });

    test("an earlier job's output file with the same job id is not shown: only this job's lines", async () => {
      // Slurm reuses job ids (a rebuilt cluster, MaxJobId wrapping, clusters sharing a home
      // directory): the file of an earlier job N is in place while the new job N waits.
      const logDir = tmpDir(`stale-${via}`);
      const window = plantStaleOutputs(logDir);
      const b = backend();
      const r = makeRun(trainingJob(`stale-${via}`, ['bash', '-c', 'echo fresh-1; echo fresh-2']), scheduler(via), { logDir });
      // Submitted held, kept in the queue for two polls (where the old follower read the earlier
      // job's file), then let go.
      const script = r.run.plan.backendOptions!.batchScript!;
      script.text = script.text.replace(/^(#!.*\n)/, '$1#SBATCH --hold\n');
      assert.match(script.text, /^#!.*\n#SBATCH --hold\n/);
      const jobId = Number(await submit(b, r));
      assert.ok(window.includes(jobId), `job ${jobId} is outside the planted ids ${window[0]}..${window.at(-1)}: the test proves nothing`);
      await r.until((x) => x.state === 'pending' && /held/i.test(x.reason ?? ''), HANG_MS, 'held');
      const polls = b.squeueCalls();
      await poll(() => (b.squeueCalls() >= polls + 2 ? true : undefined), HANG_MS, 'two more polls');
      assert.doesNotMatch(logText(r.run), /earlier job/);
      spawnSync('scontrol', ['release', String(jobId)]);
      const done = await r.until(ended, HANG_MS, 'the end');
      assert.equal(done.state, 'succeeded', done.reason);
      assert.equal(logText(done), '0: fresh-1\n0: fresh-2\n');
      assert.equal(done.logs.length, 1);
    });

    test("pending behind an earlier job's file, reattached, cancelled while pending: nothing of the earlier job is shown", async () => {
      const logDir = tmpDir(`stale-pending-${via}`);
      const window = plantStaleOutputs(logDir);
      const first = backend();
      const r = makeRun(trainingJob(`stale-pending-${via}`, ['true'], { resources: { nodes: 3, gpusPerNode: 1 } }), scheduler(via), { logDir });
      const jobId = Number(await submit(first, r));
      assert.ok(window.includes(jobId), `job ${jobId} is outside the planted ids`);
      await r.until((x) => x.state === 'pending' && Boolean(x.reason), HANG_MS, 'a pending reason');
      assert.doesNotMatch(logText(r.run), /earlier job/);
      assert.equal(typeof r.run.handle.sbatchAtS, 'number');
      first.dispose(); // the window reloads
      const snapshot: RunRecord = JSON.parse(JSON.stringify(r.run));
      const again = record(snapshot, r.ctx.runDir);
      const second = backend();
      await second.reattach([snapshot], () => again.ctx);
      await second.cancel(snapshot, again.ctx);
      const done = await again.until(ended, HANG_MS, 'cancelled');
      assert.equal(done.state, 'cancelled');
      assert.doesNotMatch(logText(done), /earlier job/);
      // On a login node the job's own file is the source: it is never published.
      if (via === 'local') assert.deepEqual(done.logs, []);
    });

    test('cancel a running job: CANCELLED', async () => {
      const b = backend();
      const r = makeRun(trainingJob(`cancel-${via}`, ['bash', '-c', 'echo up; sleep 300']), scheduler(via));
      await submit(b, r);
      await r.until((x) => x.state === 'running', HANG_MS, 'running');
      await b.cancel(r.run, r.ctx);
      const done = await r.until(ended, HANG_MS, 'cancelled');
      assert.equal(done.state, 'cancelled');
    });

    test('injection: hostile job name, command words, env, working dir and log dir stay data', async () => {
      const b = backend();
      const root = tmpDir(`inject-${via}`);
      const workdir = path.join(root, "wd $(touch PWNED) 'q' `touch PWNED`\nx");
      fs.mkdirSync(workdir);
      const out = path.join(root, 'argv');
      const envs: Record<string, string> = { OUT: out };
      HOSTILE.forEach((v, i) => (envs[`V${i}`] = v));
      const name = `inj ${HOSTILE.join(' ')}`;
      const r = makeRun(trainingJob(name, ['bash', '-c', 'printf "%s\\0" "$@" > "$OUT"; env -0 > "$OUT.env"', 'arg0', ...HOSTILE], { env: envs, workingDir: workdir }), scheduler(via), { logDir: path.join(root, 'logs $(touch PWNED) \'q\' `touch PWNED` "dq" %j') });
      const jobId = await submit(b, r);
      const done = await r.until(ended, HANG_MS, 'the end');
      assert.equal(done.state, 'succeeded', `${done.reason}\n${logText(done)}`);
      assert.deepEqual(fs.readFileSync(out, 'utf8').split('\0').slice(0, -1), HOSTILE);
      const got = new Map(
        fs
          .readFileSync(`${out}.env`, 'utf8')
          .split('\0')
          .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
      );
      HOSTILE.forEach((v, i) => assert.equal(got.get(`V${i}`), v, `V${i}`));
      // Slurm stored the name as given (line breaks turned into spaces) and the log dir literally.
      const jobName = spawnSync('squeue', ['-h', '-t', 'all', '-j', jobId, '-o', '%j'], { encoding: 'utf8' }).stdout.replace(/\n$/, '');
      assert.equal(jobName, name.replace(/[\r\n]+/g, ' '));
      assert.ok(fs.existsSync(path.join(root, 'logs $(touch PWNED) \'q\' `touch PWNED` "dq" %j', `slurm-${jobId}.out`)));
      assert.equal(spawnSync('find', [root, '/root', '-maxdepth', '3', '-name', 'PWNED'], { encoding: 'utf8' }).stdout.trim(), '', 'something ran');
    });
  });
}

describe('transport', { skip }, () => {
  for (const via of ['local', 'ssh'] as Via[]) {
    test(`${via}: argv arrives as given (no shell interpretation)`, async () => {
      const root = tmpDir(`argv-${via}`);
      const t: CommandTransport = via === 'local' ? createLocalTransport({ cwd: root }) : createSshTransport(scheduler('ssh').login!, sshOptions());
      try {
        const r = await t.exec(['bash', '-c', 'cd "$1" && shift && printf "%s\\0" "$@"', 'x', root, ...HOSTILE], { timeoutMs: HANG_MS });
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(r.stdout.split('\0').slice(0, -1), HOSTILE);
        const stdin = await t.exec(['cat'], { stdin: HOSTILE.join('\n'), timeoutMs: HANG_MS });
        assert.equal(stdin.stdout, HOSTILE.join('\n'));
        assert.equal(fs.readdirSync(root).length, 0);
      } finally {
        await t.dispose();
      }
    });
  }

  test('ssh: one shared connection for many calls; streams end remotely when stopped', async () => {
    const t = createSshTransport(scheduler('ssh').login!, sshOptions());
    try {
      const t0 = Date.now();
      await Promise.all(Array.from({ length: 20 }, () => t.exec(['true'], { timeoutMs: HANG_MS })));
      const perCall = (Date.now() - t0) / 20;
      const marker = `gantry-stream-${process.pid}-${Date.now()}`;
      const s = t.spawnStream(['bash', '-c', `exec -a ${marker} sleep 300`]);
      await poll(() => (spawnSync('pgrep', ['-f', marker]).status === 0 ? true : undefined), HANG_MS, 'the remote command');
      s.kill();
      await s.exited;
      await poll(() => (spawnSync('pgrep', ['-f', marker]).status !== 0 ? true : undefined), HANG_MS, 'the remote command to end');
      console.log(`[figures] ssh: 20 parallel calls over one ControlMaster, ${perCall.toFixed(1)} ms per call`);
    } finally {
      await t.dispose();
    }
  });
});

describe('Slurm end states and queue', { skip }, () => {
  test('two-node job: ranks on node1 and node2, rendezvous on the first node', async () => {
    const b = backend();
    const r = makeRun(trainingJob('two-node', ['bash', '-c', 'echo "rank=$RANK world=$WORLD_SIZE node=$SLURMD_NODENAME master=$MASTER_ADDR:$MASTER_PORT gpus=$CUDA_VISIBLE_DEVICES"'], { resources: { nodes: 2, gpusPerNode: 2 } }), scheduler('local'));
    const jobId = await submit(b, r);
    const done = await r.until(ended, HANG_MS, 'the end');
    assert.equal(done.state, 'succeeded', done.reason);
    const text = logText(done);
    for (let rank = 0; rank < 4; rank++) assert.match(text, new RegExp(`^${rank}: rank=${rank} world=4 node=node${rank < 2 ? 1 : 2} master=node1:${20000 + (Number(jobId) % 20000)} gpus=\\d,\\d$`, 'm'), text);
  });

  test('pending with its reason, then cancelled while pending', async () => {
    const b = backend();
    const r = makeRun(trainingJob('pending', ['true'], { resources: { nodes: 3, gpusPerNode: 1 } }), scheduler('local'));
    await submit(b, r);
    const p = await r.until((x) => x.state === 'pending' && /PartitionNodeLimit|PartitionConfig/.test(x.reason ?? ''), HANG_MS, 'a pending reason');
    assert.match(p.reason!, /asks for more nodes than the partition allows \(PartitionNodeLimit\)|PartitionConfig/);
    await b.cancel(r.run, r.ctx);
    assert.equal((await r.until(ended, HANG_MS, 'cancelled')).state, 'cancelled');
  });

  test("sbatch rejections carry Slurm's own message and the spec field", async () => {
    const b = backend();
    const bad = makeRun(trainingJob('bad-partition', ['true']), scheduler('local', { partition: 'nope' }));
    await assert.rejects(b.submit(bad.run, bad.ctx), (e: SlurmSubmitError) => {
      assert.ok(e instanceof SlurmSubmitError);
      assert.match(e.slurmMessage, /Invalid partition name specified/);
      assert.deepEqual(e.specPath, { doc: 'cluster', path: ['spec', 'scheduler', 'partition'] });
      return true;
    });
    const big = makeRun(trainingJob('too-many-gpus', ['true'], { resources: { nodes: 1, gpusPerNode: 9 } }), scheduler('local'));
    await assert.rejects(b.submit(big.run, big.ctx), (e: SlurmSubmitError) => {
      assert.match(e.slurmMessage, /Requested node configuration is not available/);
      assert.deepEqual(e.specPath, { doc: 'job', path: ['spec', 'resources'] });
      return true;
    });
    const viaSsh = makeRun(trainingJob('bad-partition-ssh', ['true']), scheduler('ssh', { partition: 'nope' }));
    await assert.rejects(b.submit(viaSsh.run, viaSsh.ctx), /Invalid partition name specified/);
  });

  test('polling costs one squeue per interval whatever the number of runs', async () => {
    let squeues = 0;
    const b = backend({
      pollIntervalMs: 500,
      transportFor: () => {
        const t = createLocalTransport();
        return { ...t, exec: (argv, o) => ((squeues += argv[0] === 'squeue' ? 1 : 0), t.exec(argv, o)) };
      },
    });
    const runs = Array.from({ length: 8 }, (_, i) => makeRun(trainingJob(`many-${i}`, ['sleep', '300']), scheduler('local')));
    for (const r of runs) await submit(b, r);
    await Promise.all(runs.map((r) => r.until((x) => x.state === 'running', HANG_MS, 'running')));
    const before = squeues;
    const t0 = Date.now();
    await poll(() => (Date.now() - t0 >= 5000 ? true : undefined), HANG_MS, '5 s of polling');
    const calls = squeues - before;
    const intervals = (Date.now() - t0) / 500;
    console.log(`[figures] ${runs.length} runs: ${calls} squeue calls in ${intervals.toFixed(1)} intervals of 500 ms`);
    assert.ok(calls <= Math.ceil(intervals) + 1, `${calls} squeue calls in ${intervals} intervals`);
    for (const r of runs) await b.cancel(r.run, r.ctx);
    await Promise.all(runs.map((r) => r.until(ended, HANG_MS, 'cancelled')));
  });

  test('GPU metrics from every node of the job; stopping them leaves the job running', async () => {
    const b = backend();
    const r = makeRun(trainingJob('metrics', ['sleep', '300'], { resources: { nodes: 2, gpusPerNode: 2 } }), scheduler('ssh'));
    const jobId = await submit(b, r);
    await r.until((x) => x.state === 'running', HANG_MS, 'running');
    await poll(() => spawnSync('squeue', ['-h', '-j', jobId, '-o', '%N'], { encoding: 'utf8' }).stdout.includes('node') || undefined, HANG_MS, 'nodes');
    // The backend learns the job's nodes from its own squeue poll, not from ours: wait until a poll
    // that started after Slurm listed them has completed (polls run one at a time; the count goes up
    // as each starts), or the sampler would be told of no node and sample only the first.
    const polled = b.squeueCalls();
    await poll(() => (b.squeueCalls() >= polled + 2 ? true : undefined), HANG_MS, "the backend's next squeue poll");
    const steps = () =>
      spawnSync('squeue', ['-h', '-s', '-j', jobId, '-o', '%i'], { encoding: 'utf8' })
        .stdout.split('\n')
        .map((x) => x.trim())
        .filter(Boolean)
        .sort()
        .join(' ');
    const jobSteps = await poll(() => (/\.0\b/.test(steps()) ? steps() : undefined), HANG_MS, 'the main step');
    const samples: { host: string; gpu: number }[] = [];
    const states: string[] = [];
    const m = b.startGpuMetrics(r.run, { onSamples: (s) => samples.push(...s), onState: (st, why) => states.push(why ? `${st}: ${why}` : st), nvidiaSmi: [env.fakeNvidiaSmi], intervalMs: 200 });
    await poll(() => (new Set(samples.map((s) => s.host)).size === 2 && samples.length >= 8 ? true : undefined), HANG_MS, 'samples from both nodes').catch((e: Error) => {
      throw new Error(`${e.message}; sampler states: ${states.join(' | ') || 'none'}; samples from: ${[...new Set(samples.map((x) => x.host))].join(', ') || 'none'}`);
    });
    // Two GPUs on each node (which indices depends on what else holds GPUs there).
    for (const host of ['node1', 'node2']) assert.equal(new Set(samples.filter((s) => s.host === host).map((s) => s.gpu)).size, 2, host);
    // The step is gone and the job is not.
    assert.notEqual(steps(), jobSteps, 'the sampling step is listed while it runs');
    m.stop();
    await m.ended;
    await poll(() => (steps() === jobSteps ? true : undefined), HANG_MS, `only the job's own steps (${jobSteps}) to be left`);
    assert.equal(spawnSync('squeue', ['-h', '-j', jobId, '-o', '%T'], { encoding: 'utf8' }).stdout.trim(), 'RUNNING');
    assert.equal(r.run.state, 'running');
    await b.cancel(r.run, r.ctx);
    await r.until(ended, HANG_MS, 'cancelled');
  });

  test('per-rank log files: one LogSource per rank, mirrored over ssh', async () => {
    const b = backend();
    const two = makeRun(trainingJob('per-rank', ['bash', '-c', 'echo "I am rank $RANK on $SLURMD_NODENAME"'], { resources: { nodes: 2, gpusPerNode: 1 } }), scheduler('ssh'), { perRankLogs: true });
    await submit(b, two);
    const done = await two.until(ended, HANG_MS, 'the end');
    assert.equal(done.state, 'succeeded', done.reason);
    const ranks = done.logs.filter((l) => l.rank !== undefined);
    assert.deepEqual(
      ranks.map((l) => l.rank),
      [0, 1],
    );
    assert.equal(fs.readFileSync(ranks[0].path, 'utf8'), 'I am rank 0 on node1\n');
    assert.equal(fs.readFileSync(ranks[1].path, 'utf8'), 'I am rank 1 on node2\n');
  });

  test('block-buffered output is reported with a hint', async () => {
    const b = backend({ bufferingSilenceMs: 2000 });
    const r = makeRun(trainingJob('silent', ['sleep', '300']), scheduler('local'));
    await submit(b, r);
    const hinted = await r.until((x) => typeof x.handle.outputHint === 'string', HANG_MS, 'a buffering hint');
    assert.match(String(hinted.handle.outputHint), /python -u.*PYTHONUNBUFFERED=1/);
    await b.cancel(r.run, r.ctx);
    await r.until(ended, HANG_MS, 'cancelled');
  });

  test('reattach after a restart: a new backend picks the job up, the log mirror resumes without loss or repeat', async () => {
    const first = backend();
    const r = makeRun(trainingJob('reattach', ['bash', '-c', 'for i in $(seq 1 40); do echo "line $i"; sleep 0.1; done']), scheduler('ssh'));
    await submit(first, r);
    await poll(() => (logText(r.run).includes('line 5') ? true : undefined), HANG_MS, 'some output');
    first.dispose(); // the window reloads
    const snapshot: RunRecord = JSON.parse(JSON.stringify(r.run));
    const again = record(snapshot, r.ctx.runDir);
    const second = backend();
    await second.reattach([snapshot], () => again.ctx);
    const done = await again.until(ended, HANG_MS, 'the end');
    assert.equal(done.state, 'succeeded', done.reason);
    const expected = Array.from({ length: 40 }, (_, i) => `0: line ${i + 1}\n`).join('');
    assert.equal(logText(done), expected);
  });

  test('TIMEOUT (started first, collected last)', async () => {
    assert.ok(timeoutRun && timeoutBackend);
    const done = await timeoutRun.until(ended, 300_000, 'TIMEOUT');
    assert.equal(done.state, 'timeout');
    assert.match(done.reason!, /time limit/);
  });
});
