// Two runs side by side: their configurations key by key, from the spec document each run was
// submitted with (kept beside the run as spec.json when it was submitted), or from what its plan
// recorded when that is all there is. Pure apart from the small read/write of spec.json.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseSpecFile } from '../spec/parse';
import type { RunStore } from './store';
import type { RunRecord } from './types';

export { diffConfig, flattenDoc, type ConfigDiffRow, type DiffChange } from './configDiff';

/** What a run's plan recorded, as a document: the fallback for runs submitted before spec.json was kept. */
export function planConfig(run: RunRecord): Record<string, unknown> {
  const p = run.plan;
  return {
    kind: p.kind,
    name: p.name,
    backend: p.backend,
    ...(p.backendOptions?.cluster ? { cluster: p.backendOptions.cluster } : {}),
    nodes: p.nodes,
    gpusPerNode: p.gpusPerNode,
    ...(p.ranks ? { ranks: p.ranks } : {}),
    command: p.command,
    env: p.env,
    cwd: p.cwd,
    ...(p.timeLimit ? { timeLimit: p.timeLimit } : {}),
  };
}

const SNAPSHOT = 'spec.json';
/** A spec document larger than this is not kept beside the run. */
const MAX_SNAPSHOT_BYTES = 256 * 1024;

/** Keeps the run's spec document (the one it was planned from) beside it; `text` is the spec file's text at submission. */
export function keepSpecSnapshot(store: RunStore, run: RunRecord, text: string): boolean {
  const doc = parseSpecFile(text).find((d) => d.index === run.plan.docIndex);
  if (!doc || doc.problems.length || doc.value === undefined) return false;
  const json = JSON.stringify({ specFile: run.plan.specFile, docIndex: run.plan.docIndex, document: doc.value });
  if (json.length > MAX_SNAPSHOT_BYTES) return false;
  fs.writeFileSync(path.join(store.runDir(run.id), SNAPSHOT), json);
  return true;
}

/** The run's configuration for a comparison: its kept spec document, else what its plan recorded (and says which). */
export function runConfig(store: RunStore, run: RunRecord): { doc: unknown; from: 'spec' | 'plan' } {
  try {
    const file = path.join(store.runDir(run.id), SNAPSHOT);
    const st = fs.statSync(file);
    if (st.isFile() && st.size <= MAX_SNAPSHOT_BYTES) {
      const j = JSON.parse(fs.readFileSync(file, 'utf8')) as { document?: unknown };
      if (j.document !== undefined) return { doc: j.document, from: 'spec' };
    }
  } catch {
    // no snapshot: the plan
  }
  return { doc: planConfig(run), from: 'plan' };
}

/** Runs of the same spec document (file and metadata.name) as `run`, newest first, `run` itself left out. */
export function runsOfSameSpec(runs: RunRecord[], run: RunRecord): RunRecord[] {
  return runs.filter((r) => r.id !== run.id && r.plan.specFile === run.plan.specFile && r.plan.name === run.plan.name).sort((x, y) => y.submittedAt - x.submittedAt);
}
