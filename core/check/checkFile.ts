// The one check of a spec file, as `gantry check`, `gantry estimate` and the tests see it: the
// validator's problems plus the estimator's findings, where a document with an error gets no
// estimate (the rule lives here, once). The server's per-keystroke path caches the same two steps
// per document (server/handlers/diagnostics.ts) over the same core calls.
import { parseSpecFile, type ParsedDoc } from '../spec/parse';
import { isGantryFile, validateFile, MAX_FILE_BYTES } from '../validate/validate';
import { estimateDoc, type DocEstimate } from '../validate/estimates';
import type { Problem } from '../validate/problem';
import type { ClusterLookup } from '../validate/rules';

export interface CheckFileOptions {
  /** The file's name as the cluster index knows it (path or URI). */
  fileName: string;
  /** The cluster lookup scoped to this file (ClusterIndex.scopedTo(fileName)). */
  clusters?: ClusterLookup;
  readFile?: (rel: string) => string | undefined;
}

export interface FileCheck {
  /** False for a file with no Gantry document ("not a Gantry spec"): nothing was checked. */
  gantry: boolean;
  docs: ParsedDoc[];
  /** Every problem, validation and estimate findings together, by offset. */
  problems: Problem[];
  /** The estimates of the jobs and services that have no error. */
  estimates: DocEstimate[];
  /** Indices of the documents with an error. */
  invalid: Set<number | undefined>;
}

export function checkFile(text: string, opts: CheckFileOptions): FileCheck {
  if (!isGantryFile(text, opts.fileName)) return { gantry: false, docs: [], problems: [], estimates: [], invalid: new Set<number | undefined>() };
  const docs = text.length > MAX_FILE_BYTES ? [] : parseSpecFile(text);
  const problems: Problem[] = validateFile(text, docs, { fileName: opts.fileName, clusters: opts.clusters, readFile: opts.readFile });
  const invalid = new Set(problems.filter((p) => p.severity === 'error').map((p) => p.docIndex));
  const estimates: DocEstimate[] = [];
  for (const d of docs) {
    if (invalid.has(d.index)) continue;
    const e = estimateDoc(text, d, opts.clusters, opts.readFile);
    if (!e) continue;
    estimates.push(e);
    problems.push(...e.problems);
    if (e.problems.some((p) => p.severity === 'error')) invalid.add(d.index);
  }
  problems.sort((a, b) => a.offset - b.offset);
  return { gantry: true, docs, problems, estimates, invalid };
}

/** "2 errors, 3 warnings": the one summary line. */
export function summarize(problems: { severity: string }[]): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.filter((p) => p.severity === 'warning').length;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}
