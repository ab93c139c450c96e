// Submitting, cancelling and reattaching runs through the store and the registered backends: the
// steps the extension and the CLI share.
import type { RunStore } from './store';
import { isTerminal, type BackendContext, type BackendId, type LaunchPlan, type RunRecord } from './types';
import { getBackend } from './backends';

/** Where store write failures go (a full disk, a read-only mount); the extension shows them. */
let reportStoreError: (err: Error, runId: string) => void = (err, runId) => process.stderr.write(`gantry: could not record run ${runId}: ${err.message}\n`);
export function onStoreError(fn: (err: Error, runId: string) => void): void {
  reportStoreError = fn;
}

export function contextFor(store: RunStore, run: RunRecord): BackendContext {
  return {
    runDir: store.runDir(run.id),
    // Called from process callbacks: a failed write (ENOSPC…) is reported, never thrown into them.
    update: (u) => {
      try {
        store.update(u);
      } catch (err) {
        reportStoreError(err as Error, u.id);
      }
    },
  };
}

/** Creates the run and hands it to its backend; a refusal becomes a failed run with the reason. */
export async function submitRun(store: RunStore, plan: LaunchPlan, extra: { rerunOf?: string /** The backend's error when it refused the run (e.g. SlurmSubmitError, to show at the spec). */; onRejected?: (err: unknown) => void } = {}): Promise<RunRecord> {
  const { onRejected, ...recorded } = extra;
  const run = store.create(plan, recorded);
  const backend = getBackend(plan.backend);
  if (!backend) {
    return store.update({ id: run.id, state: 'failed', reason: `no '${plan.backend}' backend is available in this build`, endedAt: Date.now() }) ?? run;
  }
  try {
    const u = await backend.submit(run, contextFor(store, run));
    return store.update(u) ?? run;
  } catch (err) {
    onRejected?.(err);
    return store.update({ id: run.id, state: 'failed', reason: err instanceof Error ? err.message : String(err), endedAt: Date.now() }) ?? run;
  }
}

export async function cancelRun(store: RunStore, run: RunRecord): Promise<RunRecord | undefined> {
  if (isTerminal(run.state)) return run;
  const backend = getBackend(run.plan.backend);
  if (!backend) throw new Error(`no '${run.plan.backend}' backend is available to cancel ${run.id}`);
  await backend.cancel(run, contextFor(store, run));
  return store.get(run.id);
}

/** Hands every unfinished run to its backend to watch again (after a reload, or from the CLI). */
export async function reattachRuns(store: RunStore): Promise<void> {
  const live = store.list().filter((s) => !isTerminal(s.state));
  const byBackend = new Map<BackendId, RunRecord[]>();
  for (const s of live) {
    const run = store.get(s.id);
    if (!run) continue;
    byBackend.set(run.plan.backend, [...(byBackend.get(run.plan.backend) ?? []), run]);
  }
  for (const [id, runs] of byBackend) {
    const backend = getBackend(id);
    if (backend) await backend.reattach(runs, (r) => contextFor(store, r));
  }
}
