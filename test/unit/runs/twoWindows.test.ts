// Two windows on one workspace: two processes, each with what a window's RunsController holds (its
// own RunStore over the shared `.gantry`, watching it; the local backend; reattach on start), submit,
// watch and cancel runs at the same time. Each sees the other's runs and their ends through its own
// store, a run cancelled from the window that did not start it ends 'cancelled' once, and the store
// on disk stays whole (index = run records, no temporary files or locks left).
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import { RunStore } from '../../../core/runs/store';
import { cancelRun, reattachRuns, submitRun } from '../../../core/runs/submit';
import { configureLocalBackend, disposeBackends } from '../../../core/runs/backends';
import { isTerminal, type RunRecord, type RunState } from '../../../core/runs/types';
import { nodePlan, tempDir, SUPERVISOR } from './helpers';

type Order = { cmd: 'submit'; name: string; script: string } | { cmd: 'cancel'; id: string } | { cmd: 'reattach' };
type Report = { event: 'change'; id: string; name: string; state: RunState } | { event: 'submitted'; id: string } | { event: 'done' };

/** One window: a store watching the shared directory, the local backend, reattach on start. */
function openWindow(root: string, report: (r: Report) => void) {
  configureLocalBackend({ graceMs: 500, pollMs: 50, supervisorPath: SUPERVISOR });
  const store = new RunStore(root);
  store.on('change', (run) => report({ event: 'change', id: run.id, name: run.plan.name, state: run.state }));
  store.watch(50);
  // What is in the store already when this window opens counts as seen (a window lists the store on
  // start, as the panel does): a slow-starting window may open after the other's runs have ended.
  for (const s of store.list()) report({ event: 'change', id: s.id, name: s.name, state: s.state });
  const ready = reattachRuns(store);
  const obey = async (o: Order) => {
    await ready;
    if (o.cmd === 'submit') report({ event: 'submitted', id: (await submitRun(store, nodePlan(o.script, { name: o.name }))).id });
    else if (o.cmd === 'cancel') await cancelRun(store, store.get(o.id)!);
    else await reattachRuns(store);
    report({ event: 'done' });
  };
  return { store, obey, close: () => (store.unwatch(), disposeBackends()) };
}

if (process.env.GANTRY_WINDOW_WORKER) {
  const win = openWindow(process.env.GANTRY_WINDOW_WORKER, (r) => process.send!(r));
  process.on('message', (o: Order) => void win.obey(o));
  process.on('disconnect', () => {
    win.close();
    process.exit(0);
  });
} else {
  const children: ChildProcess[] = [];
  after(() => children.forEach((c) => c.connected && c.disconnect()));

  /** What one window has seen: the last state of each run by id, and waiting on it with a timeout. */
  class Seen {
    states = new Map<string, RunState[]>();
    names = new Map<string, string>();
    private waiters: (() => void)[] = [];
    note(r: Report): void {
      if (r.event !== 'change') return;
      this.names.set(r.id, r.name);
      const list = this.states.get(r.id) ?? [];
      if (list[list.length - 1] !== r.state) list.push(r.state);
      this.states.set(r.id, list);
      this.waiters.forEach((w) => w());
    }
    last(id: string): RunState | undefined {
      return this.states.get(id)?.at(-1);
    }
    idOf(name: string): string | undefined {
      return [...this.names].find(([, n]) => n === name)?.[0];
    }
    until(what: string, pred: () => boolean, timeoutMs = 60_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!pred()) return;
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve();
        };
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; seen ${JSON.stringify([...this.states])}`)), timeoutMs);
        this.waiters.push(check);
        check();
      });
    }
  }

  test("two windows on one workspace see each other's runs, cancel across windows, and keep the store whole", { timeout: 300_000 }, async () => {
    const root = path.join(tempDir(), '.gantry');
    fs.mkdirSync(path.join(root, 'runs'), { recursive: true });
    const seenA = new Seen();
    const seenB = new Seen();
    const a = openWindow(root, (r) => seenA.note(r));
    const b = fork(__filename, [], { env: { ...process.env, GANTRY_WINDOW_WORKER: root }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(b);
    b.on('message', (r: Report) => seenB.note(r));
    const tellB = (o: Order) => b.send(o);
    try {
      // Both windows submit at the same moment, three runs each.
      const short = `setTimeout(() => { console.log('bye'); }, 300)`;
      for (let i = 0; i < 3; i++) tellB({ cmd: 'submit', name: `b${i}`, script: short });
      await Promise.all([0, 1, 2].map((i) => a.obey({ cmd: 'submit', name: `a${i}`, script: short })));
      const names = ['a0', 'a1', 'a2', 'b0', 'b1', 'b2'];
      const allEnded = (seen: Seen) => () => names.every((n) => seen.idOf(n) && seen.last(seen.idOf(n)!) === 'succeeded');
      await seenA.until("A to see all six runs succeed (B's through the store)", allEnded(seenA));
      await seenB.until("B to see all six runs succeed (A's through the store)", allEnded(seenB));

      // A long run started in A, cancelled from B (which reattached to it).
      await a.obey({ cmd: 'submit', name: 'a-long', script: `console.log('up'); setInterval(() => {}, 1000)` });
      const longId = seenA.idOf('a-long')!;
      await seenB.until('B to see the long run running', () => seenB.last(longId) === 'running');
      tellB({ cmd: 'reattach' });
      tellB({ cmd: 'cancel', id: longId });
      await seenA.until('A to see the long run cancelled', () => seenA.last(longId) === 'cancelled');
      await seenB.until('B to see the long run cancelled', () => seenB.last(longId) === 'cancelled');
      for (const seen of [seenA, seenB]) {
        const states = seen.states.get(longId)!;
        assert.equal(states.filter(isTerminal).length, 1, `one end only: ${states.join(' → ')}`);
      }

      // The store on disk: the index and the run records agree; nothing half-written is left. A
      // window may still be keeping a run's figures (under the store's lock) when both have seen the
      // end, so wait for the lock and temporary files to go; one left behind fails here after 30 s.
      // The windows are still alive and may take the lock again for a moment at any time, so the
      // check is on one snapshot with nothing in it: a lock or temporary file that never goes fails.
      const leftovers = () => fs.readdirSync(new RunStore(root).runsDir).filter((n) => n.includes('.tmp-') || n.startsWith('.lock'));
      let left = leftovers();
      for (const limit = Date.now() + 30_000; left.length && Date.now() < limit; left = leftovers()) await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(left, [], 'no lock or temporary file stays behind');
      const fresh = new RunStore(root);
      const listed = fresh.list();
      assert.equal(listed.length, 7);
      for (const s of listed) {
        const run = fresh.get(s.id) as RunRecord;
        assert.equal(s.state, run.state, `index vs run.json of ${s.name}`);
        assert.equal(run.state, s.name === 'a-long' ? 'cancelled' : 'succeeded');
      }
      assert.deepEqual(
        fresh.rebuildIndex().map((s) => [s.id, s.state]),
        listed.map((s) => [s.id, s.state]),
        'rebuilding the index from the records changes nothing',
      );
    } finally {
      a.close();
      b.disconnect();
    }
  });
}
