// The run store: records and index on disk, terminal states final, two processes writing at once.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fork } from 'node:child_process';
import { RunStore, findStoreRoot, makeRunId } from '../../../core/runs/store';
import { withLock } from '../../../core/runs/fsAtomic';
import { newStore, nodePlan, tempDir, waitForState } from './helpers';

// Worker mode: this same file, forked, hammers a shared store (see the concurrency test).
if (process.env.GANTRY_STORE_WORKER) {
  const store = new RunStore(process.env.GANTRY_STORE_WORKER);
  const ids: string[] = [];
  for (let i = 0; i < 40; i++) {
    const r = store.create(nodePlan('1', { name: `w${process.pid}-${i}` }));
    store.update({ id: r.id, state: 'running', startedAt: Date.now() });
    ids.push(r.id);
  }
  process.send!(ids, undefined, undefined, () => process.exit(0));
} else {
  test('create writes run.json and an index entry; get and list read them back', () => {
    const store = newStore();
    const run = store.create(nodePlan('1', { name: 'Llama 3 8B!' }));
    assert.match(run.id, /^\d{8}-\d{6}-llama-3-8b-[0-9a-f]{4}$/);
    assert.equal(run.state, 'queued');
    assert.deepEqual(store.get(run.id), run);
    const list = store.list();
    assert.equal(list.length, 1);
    assert.equal(list[0].name, 'Llama 3 8B!');
  });

  test('a terminal state is final; later updates only add detail', () => {
    const store = newStore();
    const run = store.create(nodePlan('1'));
    store.update({ id: run.id, state: 'succeeded', exitCode: 0, endedAt: 5 });
    const after = store.update({ id: run.id, state: 'lost', reason: 'late watcher', handle: { outputHint: 'x' } })!;
    assert.equal(after.state, 'succeeded');
    assert.equal(after.reason, undefined);
    assert.equal(after.handle.outputHint, 'x');
  });

  test('the index is rebuilt from run directories when it is lost or corrupt', () => {
    const store = newStore();
    const a = store.create(nodePlan('1', { name: 'a' }));
    const b = store.create(nodePlan('1', { name: 'b' }));
    fs.writeFileSync(path.join(store.runsDir, 'index.json'), '{not json');
    assert.deepEqual(
      store
        .list()
        .map((r) => r.id)
        .sort(),
      [a.id, b.id].sort(),
    );
  });

  test('resolve finds a run by id, unique prefix or name', () => {
    const store = newStore();
    const a = store.create(nodePlan('1', { name: 'alpha' }));
    assert.equal(store.resolve(a.id)?.id, a.id);
    assert.equal(store.resolve('alpha')?.id, a.id);
    assert.equal(store.resolve(a.id.slice(0, 18))?.id, a.id);
    assert.equal(store.resolve('nope'), undefined);
  });

  test('another process’s change is seen through watch()', async () => {
    const store = newStore();
    const other = new RunStore(store.root);
    store.watch(50);
    try {
      const run = other.create(nodePlan('1'));
      other.update({ id: run.id, state: 'running' });
      const seen = await waitForState(store, run.id, 'running', 5000);
      assert.equal(seen.id, run.id);
    } finally {
      store.unwatch();
    }
  });

  test('two processes writing one store at once lose nothing', async () => {
    const root = path.join(tempDir(), '.gantry');
    const worker = () =>
      new Promise<string[]>((resolve, reject) => {
        const child = fork(__filename, [], { env: { ...process.env, GANTRY_STORE_WORKER: root }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        child.once('message', (ids) => resolve(ids as string[]));
        child.once('exit', (code) => code && reject(new Error(`worker exit ${code}`)));
      });
    const [a, b] = await Promise.all([worker(), worker()]);
    const store = new RunStore(root);
    const listed = store.list();
    assert.equal(listed.length, 80);
    for (const id of [...a, ...b]) {
      assert.equal(store.get(id)?.state, 'running');
      assert.equal(listed.find((r) => r.id === id)?.state, 'running');
    }
    assert.deepEqual(
      fs.readdirSync(store.runsDir).filter((n) => n.includes('.tmp-') || n.startsWith('.lock')),
      [],
    );
  });

  test('a lock left by a dead process is broken', () => {
    const dir = tempDir();
    const lock = path.join(dir, '.lock');
    fs.mkdirSync(lock);
    fs.writeFileSync(path.join(lock, 'owner'), `999999999\n${Date.now()}\n`);
    assert.equal(
      withLock(lock, () => 42, { timeoutMs: 60_000 }),
      42,
    );
    assert.equal(fs.existsSync(lock), false);
  });

  test('findStoreRoot prefers an existing .gantry, then a .git/.vscode folder', () => {
    const ws = tempDir();
    fs.mkdirSync(path.join(ws, '.git'));
    fs.mkdirSync(path.join(ws, 'a', 'b'), { recursive: true });
    assert.equal(findStoreRoot(path.join(ws, 'a', 'b')), path.join(ws, '.gantry'));
    fs.mkdirSync(path.join(ws, 'a', '.gantry'));
    assert.equal(findStoreRoot(path.join(ws, 'a', 'b')), path.join(ws, 'a', '.gantry'));
  });

  test('run ids sort by time', () => {
    assert.ok(makeRunId('x', new Date(Date.UTC(2026, 0, 2))) < makeRunId('x', new Date(Date.UTC(2026, 0, 10))));
  });
}
