// The local backend's state machine against real child processes.
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LocalBackend } from '../../../core/runs/local';
import { RunStore } from '../../../core/runs/store';
import { groupMembers } from '../../../core/runs/procInfo';
import { alive, ctxFor, newStore, nodePlan, tempDir, waitForEnd, waitForState, waitUntil, SUPERVISOR, local } from './helpers';

const backends: LocalBackend[] = [];
function backend(graceMs = 2000): LocalBackend {
  const b = new LocalBackend({ graceMs, pollMs: 50, supervisorPath: SUPERVISOR });
  backends.push(b);
  return b;
}
after(() => backends.forEach((b) => b.dispose()));

async function runToEnd(script: string, extra = {}, graceMs?: number) {
  const store = newStore();
  const run = store.create(nodePlan(script, extra));
  await backend(graceMs).submit(run, ctxFor(store)(run));
  const end = await waitForEnd(store, run.id);
  const dir = store.runDir(run.id);
  return { store, end, dir, out: fs.readFileSync(path.join(dir, 'stdout.log'), 'utf8'), err: fs.readFileSync(path.join(dir, 'stderr.log'), 'utf8') };
}

test('exit 0 → succeeded, with the spec env, cwd and output in log files', async () => {
  const cwd = tempDir('gantry-cwd-');
  const { end, out, err } = await runToEnd(`console.log('hello', process.env.GANTRY_T, process.env.CUDA_VISIBLE_DEVICES, process.cwd()); console.error('to stderr')`, { env: { GANTRY_T: 'a b $(x) `y`', CUDA_VISIBLE_DEVICES: '0,1' }, cwd });
  assert.equal(end.state, 'succeeded');
  assert.equal(end.exitCode, 0);
  assert.equal(out, `hello a b $(x) \`y\` 0,1 ${fs.realpathSync(cwd)}\n`);
  assert.equal(err, 'to stderr\n');
  assert.ok(end.startedAt && end.endedAt && end.endedAt >= end.startedAt);
});

test('exit 1 → failed with the exit code', async () => {
  const { end, err } = await runToEnd(`console.error('boom'); process.exit(3)`);
  assert.equal(end.state, 'failed');
  assert.equal(end.exitCode, 3);
  assert.equal(end.reason, 'exit code 3');
  assert.equal(err, 'boom\n');
});

test('a command that does not exist → failed, "command not found", said in the log too', async () => {
  const store = newStore();
  const run = store.create(nodePlan('', { command: ['gantry-no-such-command-xyz', '--flag'] }));
  await backend().submit(run, ctxFor(store)(run));
  const end = await waitForEnd(store, run.id);
  assert.equal(end.state, 'failed');
  assert.equal(end.reason, 'command not found: gantry-no-such-command-xyz');
  assert.match(fs.readFileSync(path.join(store.runDir(run.id), 'stderr.log'), 'utf8'), /command not found/);
});

test('a working directory that does not exist → failed with that reason', async () => {
  const { end } = await runToEnd(`1`, { cwd: '/nonexistent/gantry/dir' });
  assert.equal(end.state, 'failed');
  assert.match(end.reason ?? '', /working directory does not exist/);
});

test('a spec value is one argv element: no shell sees it', async () => {
  const marker = path.join(tempDir(), 'pwned');
  const { end, out } = await runToEnd(`console.log(JSON.stringify(process.argv.slice(1)))`, {
    command: [process.execPath, '-e', `console.log(JSON.stringify(process.argv.slice(1)))`, `; touch ${marker}`, '$(touch x)', '\'"\n'],
  });
  assert.equal(end.state, 'succeeded');
  assert.deepEqual(JSON.parse(out), [`; touch ${marker}`, '$(touch x)', '\'"\n']);
  assert.equal(fs.existsSync(marker), false);
});

test('binary output and a 10 MB line are written whole to the log', async () => {
  const { end, out } = await runToEnd(`process.stdout.write(Buffer.from([0,1,2,255,254,10])); process.stdout.write('x'.repeat(10*1024*1024) + '\\nafter\\n')`);
  assert.equal(end.state, 'succeeded');
  assert.equal(Buffer.byteLength(out, 'latin1'), 6 + 10 * 1024 * 1024 + 7);
  assert.ok(out.endsWith('\nafter\n'));
});

test('a flood of 300,000 lines is all on disk', async () => {
  const { end, out } = await runToEnd(`let s=''; for (let i=0;i<300000;i++) s+='line '+i+'\\n'; process.stdout.write(s)`);
  assert.equal(end.state, 'succeeded');
  const lines = out.split('\n');
  assert.equal(lines.length, 300001);
  assert.equal(lines[299999], 'line 299999');
});

test('children that outlive the command are stopped and named in the reason', async () => {
  const store = newStore();
  const script = `const c=require('child_process').spawn(process.execPath,['-e','setInterval(()=>{},1000)'],{stdio:'ignore'}); c.unref(); console.log(c.pid)`;
  const run = store.create(nodePlan(script));
  await backend(500).submit(run, ctxFor(store)(run));
  const end = await waitForEnd(store, run.id);
  assert.equal(end.state, 'succeeded');
  assert.match(end.reason ?? '', /1 process\(es\) it left running were stopped/);
  const orphan = Number(fs.readFileSync(path.join(store.runDir(run.id), 'stdout.log'), 'utf8').trim());
  await waitUntil(() => !alive(orphan), 5000, 'the orphan to be stopped');
});

test('cancel sends SIGTERM to the group → cancelled', async () => {
  const store = newStore();
  const run = store.create(nodePlan(`console.log('up'); setInterval(()=>{},1000)`));
  const b = backend();
  const ctx = ctxFor(store)(run);
  await b.submit(run, ctx);
  const running = local(await waitForState(store, run.id, 'running'));
  await waitUntil(() => fs.readFileSync(path.join(ctx.runDir, 'stdout.log'), 'utf8').includes('up'), 5000, 'output');
  await b.cancel(running, ctx);
  const end = await waitForEnd(store, run.id);
  assert.equal(end.state, 'cancelled');
  assert.match(end.reason ?? '', /^ended by SIGTERM after a cancel$/);
  assert.deepEqual(groupMembers(running.handle.pgid!), []);
});

test('cancel escalates to SIGKILL when the command ignores SIGTERM', async () => {
  const store = newStore();
  const run = store.create(nodePlan(`process.on('SIGTERM',()=>console.log('ignoring')); console.log('up'); setInterval(()=>{},1000)`));
  const b = backend(300);
  const ctx = ctxFor(store)(run);
  await b.submit(run, ctx);
  const running = local(await waitForState(store, run.id, 'running'));
  await waitUntil(() => fs.readFileSync(path.join(ctx.runDir, 'stdout.log'), 'utf8').includes('up'), 5000, 'output');
  await b.cancel(running, ctx);
  const end = await waitForEnd(store, run.id);
  assert.equal(end.state, 'cancelled');
  assert.equal(end.reason, 'killed by SIGKILL after the grace period');
  assert.deepEqual(groupMembers(running.handle.pgid!), []);
  assert.match(fs.readFileSync(path.join(ctx.runDir, 'stdout.log'), 'utf8'), /ignoring/);
});

test('several ranks: one process each with RANK/WORLD_SIZE and rank-tagged logs', async () => {
  const store = newStore();
  const run = store.create(nodePlan(`console.log('rank', process.env.RANK, 'of', process.env.WORLD_SIZE, process.env.MASTER_ADDR)`, { ranks: 2 }));
  await backend().submit(run, ctxFor(store)(run));
  const end = await waitForEnd(store, run.id);
  assert.equal(end.state, 'succeeded');
  assert.deepEqual(
    end.logs.map((l) => [path.basename(l.path), l.stream, l.rank]),
    [
      ['rank0.stdout.log', 'stdout', 0],
      ['rank0.stderr.log', 'stderr', 0],
      ['rank1.stdout.log', 'stdout', 1],
      ['rank1.stderr.log', 'stderr', 1],
    ],
  );
  assert.equal(fs.readFileSync(end.logs[2].path, 'utf8'), 'rank 1 of 2 127.0.0.1\n');
});

test('one rank failing ends the others and fails the run', async () => {
  const store = newStore();
  const run = store.create(nodePlan(`if (process.env.RANK==='1') process.exit(2); setInterval(()=>{},1000)`, { ranks: 2 }));
  await backend().submit(run, ctxFor(store)(run));
  const end = await waitForEnd(store, run.id);
  assert.equal(end.state, 'failed');
  assert.equal(end.reason, 'rank 1 exit code 2');
});

test('reattach after a "reload": a new store and backend pick the run up and see it end', async () => {
  const store = newStore();
  const run = store.create(nodePlan(`process.stdin; setTimeout(()=>{console.log('late line'); process.exit(0)}, 700)`));
  const first = backend();
  await first.submit(run, ctxFor(store)(run));
  await waitForState(store, run.id, 'running');
  first.dispose();
  // A second window (or the same one reloaded): a fresh store object over the same directory.
  const store2 = new RunStore(store.root);
  const second = backend();
  const live = store2.get(run.id)!;
  await second.reattach([local(live)], ctxFor(store2));
  const end = await waitForEnd(store2, run.id);
  assert.equal(end.state, 'succeeded');
  assert.equal(fs.readFileSync(path.join(store.runDir(run.id), 'stdout.log'), 'utf8'), 'late line\n');
});

test('reattach to a pid that was reused by another process → lost, not attached to a stranger', async () => {
  const store = newStore();
  const run = store.create(nodePlan('1'));
  store.update({ id: run.id, state: 'running', handle: { pid: process.pid, pgid: process.pid, startTime: 'not-our-start-time', host: require('node:os').hostname() } });
  await backend().reattach([local(store.get(run.id))], ctxFor(store));
  const end = await waitForEnd(store, run.id);
  assert.equal(end.state, 'lost');
  assert.match(end.reason ?? '', /without recording an exit status/);
});

test('the time limit ends the group with SIGTERM → timeout, with the limit as written in the reason', async () => {
  const store = newStore();
  const run = store.create(nodePlan(`let i=0; setInterval(()=>console.log('tick', i++), 50)`, { timeLimit: '1s', timeLimitSeconds: 1 }));
  const ctx = ctxFor(store)(run);
  const startedAt = Date.now();
  await backend().submit(run, ctx);
  const running = local(await waitForState(store, run.id, 'running'));
  const end = await waitForEnd(store, run.id);
  assert.equal(end.state, 'timeout');
  assert.equal(end.reason, 'time limit 1s reached');
  assert.ok(end.endedAt! - startedAt >= 1000, `ended ${end.endedAt! - startedAt} ms after the start, before its limit`);
  assert.deepEqual(groupMembers(running.handle.pgid!), []);
  assert.match(fs.readFileSync(path.join(ctx.runDir, 'stdout.log'), 'utf8'), /^tick 0$/m);
});

test('a command that ignores SIGTERM at its time limit is killed after the grace period', async () => {
  const store = newStore();
  const run = store.create(nodePlan(`process.on('SIGTERM',()=>console.log('ignoring')); console.log('up'); setInterval(()=>{},1000)`, { timeLimit: '1s', timeLimitSeconds: 1 }));
  const ctx = ctxFor(store)(run);
  await backend(300).submit(run, ctx);
  const running = local(await waitForState(store, run.id, 'running'));
  const end = await waitForEnd(store, run.id);
  assert.equal(end.state, 'timeout');
  assert.equal(end.reason, 'time limit 1s reached; killed by SIGKILL after the grace period');
  assert.deepEqual(groupMembers(running.handle.pgid!), []);
  assert.match(fs.readFileSync(path.join(ctx.runDir, 'stdout.log'), 'utf8'), /ignoring/);
});

test('the supervisor keeps the time limit across a "reload" (no window is needed to enforce it)', async () => {
  const store = newStore();
  const run = store.create(nodePlan(`setInterval(()=>{},1000)`, { timeLimit: '0:01', timeLimitSeconds: 1 }));
  const first = backend();
  await first.submit(run, ctxFor(store)(run));
  await waitForState(store, run.id, 'running');
  first.dispose();
  const store2 = new RunStore(store.root);
  await backend().reattach([local(store2.get(run.id))], ctxFor(store2));
  const end = await waitForEnd(store2, run.id);
  assert.equal(end.state, 'timeout');
  assert.equal(end.reason, 'time limit 0:01 reached');
});

test('a command that ends before its time limit is not touched by it', async () => {
  const { end } = await runToEnd(`console.log('quick')`, { timeLimit: '2s', timeLimitSeconds: 2 });
  assert.equal(end.state, 'succeeded');
});

test('reattach leaves alone a run another window is submitting right now (queued, no pid yet)', async () => {
  const store = newStore();
  const run = store.create(nodePlan('1'));
  await backend().reattach([local(store.get(run.id))], ctxFor(store));
  assert.equal(store.get(run.id)!.state, 'queued', 'not marked lost while its submitter starts it');
  const stale = store.create(nodePlan('1'));
  const old = { ...local(store.get(stale.id)), submittedAt: Date.now() - 10 * 60_000 };
  await backend().reattach([old], ctxFor(store));
  const end = await waitForEnd(store, stale.id);
  assert.equal(end.state, 'lost', 'a run queued for minutes with no supervisor was never started');
});

test('the supervisor is its own bundle: a missing one refuses the run in words, starting nothing', async () => {
  const store = newStore();
  const run = store.create(nodePlan('process.exit(0)'));
  const b = new LocalBackend({ supervisorPath: path.join(tempDir(), 'supervisor.js') });
  backends.push(b);
  await assert.rejects(b.submit(run, ctxFor(store)(run)), /the run supervisor is missing: .*supervisor\.js/);
  assert.ok(fs.existsSync(SUPERVISOR), 'the build bundles dist/supervisor.js');
});
