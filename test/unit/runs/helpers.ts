// Shared helpers for the run tests: a fresh store in a temp dir (removed when the test process exits), a backend
// context over it, and waiting on store events with a timeout (never a fixed sleep).
import * as os from 'node:os';
import * as path from 'node:path';
import { RunStore } from '../../../core/runs/store';
import type { BackendContext, LocalLaunchPlan, LocalRun, RunRecord, RunState } from '../../../core/runs/types';
import { isLocalRun, isTerminal } from '../../../core/runs/types';
import { repo, tempDir as sharedTempDir } from '../helpers';

/** The run supervisor as the build bundles it (the test bundles live under out/, not beside it). */
export const SUPERVISOR = repo('dist/supervisor.js');

export function tempDir(prefix = 'gantry-runs-'): string {
  return sharedTempDir(prefix);
}

/** A run read back from the store, as the local backend takes it (fails the test if it is another backend's). */
export function local(run: RunRecord | undefined): LocalRun {
  if (!run || !isLocalRun(run)) throw new Error(`not a local run: ${JSON.stringify(run?.plan.backend)}`);
  return run;
}

export function newStore(): RunStore {
  return new RunStore(path.join(tempDir(), '.gantry'));
}

export function ctxFor(store: RunStore) {
  return (run: RunRecord): BackendContext => ({ runDir: store.runDir(run.id), update: (u) => void store.update(u) });
}

export function nodePlan(script: string, extra: Partial<LocalLaunchPlan> = {}): LocalLaunchPlan {
  return {
    name: 'test-run',
    kind: 'TrainingJob',
    specFile: '/dev/null',
    docIndex: 0,
    backend: 'local',
    command: [process.execPath, '-e', script],
    env: {},
    cwd: os.tmpdir(),
    nodes: 1,
    gpusPerNode: 0,
    ...extra,
  };
}

/** Resolves with the run once `pred` holds for it; rejects after `timeoutMs`. */
export function waitForRun(store: RunStore, id: string, pred: (r: RunRecord) => boolean, timeoutMs = 60_000): Promise<RunRecord> {
  return new Promise((resolve, reject) => {
    const now = store.get(id);
    if (now && pred(now)) return resolve(now);
    const timer = setTimeout(() => {
      store.off('change', on);
      reject(new Error(`timed out waiting on run ${id}; last: ${JSON.stringify(store.get(id)?.state)} ${store.get(id)?.reason ?? ''}`));
    }, timeoutMs);
    const on = (r: RunRecord) => {
      if (r.id !== id || !pred(r)) return;
      clearTimeout(timer);
      store.off('change', on);
      resolve(r);
    };
    store.on('change', on);
  });
}

export const waitForState = (store: RunStore, id: string, state: RunState, timeoutMs?: number) => waitForRun(store, id, (r) => r.state === state, timeoutMs);
export const waitForEnd = (store: RunStore, id: string, timeoutMs?: number) => waitForRun(store, id, (r) => isTerminal(r.state), timeoutMs);

/** Polls `pred` until true or the timeout; for conditions that have no event (a pid going away). */
export function waitUntil(pred: () => boolean, timeoutMs = 60_000, what = 'condition'): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const tick = () => {
      if (pred()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
