// Where in the specs a Slurm refusal belongs: SlurmSubmitError and BatchScriptError name a field of
// the job document or of its Cluster; this finds that field's offsets in the files' text, so the
// editor can put Slurm's own message on it. Offsets only: the editor turns them into ranges.
import { anchorOf, firstKey, parseSpecFile, type SpecPath } from '../../spec/parse';
import type { LaunchPlan } from '../types';

export interface SpecTarget {
  doc: 'cluster' | 'job';
  path: readonly (string | number)[];
}

export interface SpecLocation {
  file: string;
  offset: number;
  length: number;
  /** False when the field is not written and the nearest written parent was taken instead. */
  exact: boolean;
}

/**
 * BatchScriptError paths are paths into the document that holds the value: `spec.scheduler.*`
 * comes from the Cluster, everything else from the job.
 */
export function targetOfScriptPath(path: readonly (string | number)[]): SpecTarget {
  return path[0] === 'spec' && path[1] === 'scheduler' ? { doc: 'cluster', path } : { doc: 'job', path };
}

/**
 * Locates `target` for `plan` in `files` (the spec file and its neighbours, with their current
 * text). Without a target, or when the Cluster is not among the files, the job's `spec.cluster`
 * value (or its first key) is where the message goes: the refusal is still about this spec.
 */
export function locateSpecTarget(plan: LaunchPlan, files: { path: string; text: string }[], target: SpecTarget | undefined): SpecLocation | undefined {
  const jobFile = files.find((f) => f.path === plan.specFile);
  const jobDoc = jobFile ? parseSpecFile(jobFile.text).find((d) => d.index === plan.docIndex) : undefined;
  const inJob = (p: SpecPath): SpecLocation | undefined => {
    if (!jobFile || !jobDoc) return undefined;
    if (!p.length) {
      const k = firstKey(jobDoc);
      return { file: jobFile.path, offset: k.offset, length: k.length, exact: false };
    }
    const span = anchorOf(jobDoc, p);
    return { file: jobFile.path, offset: span.offset, length: span.length, exact: hasPath(jobDoc.value, p) };
  };
  if (target?.doc === 'job') return inJob(target.path);
  if (target?.doc === 'cluster') {
    const name = plan.backendOptions?.cluster;
    for (const f of files) {
      if (!/^\s*kind:\s*Cluster\b/m.test(f.text)) continue;
      for (const d of parseSpecFile(f.text)) {
        const v = d.value as { kind?: unknown; metadata?: { name?: unknown } } | undefined;
        if (v?.kind !== 'Cluster' || v.metadata?.name !== name) continue;
        const span = anchorOf(d, target.path);
        return { file: f.path, offset: span.offset, length: span.length, exact: hasPath(d.value, target.path) };
      }
    }
  }
  return inJob(['spec', 'cluster']) ?? undefined;
}

function hasPath(value: unknown, path: SpecPath): boolean {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== 'object' || !(String(seg) in (v as object))) return false;
    v = (v as Record<string, unknown>)[String(seg)];
  }
  return true;
}
