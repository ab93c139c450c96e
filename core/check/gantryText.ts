// The check of a Gantry YAML text (gantry/v1 documents): the validator's problems plus the
// estimator's findings, where a document with an error gets no estimate (the rule lives here,
// once). The server's per-keystroke path caches the same two steps per document
// (server/handlers/diagnostics.ts) over the same core calls; foreign formats are checked through
// this too (core/check/foreign.ts), on the Gantry documents their readers produce.
import { parseSpecFile, type ParsedDoc } from '../spec/parse';
import { validateFile, MAX_FILE_BYTES } from '../validate/validate';
import { estimateDoc, type DocEstimate } from '../validate/estimates';
import type { Problem } from '../validate/problem';
import type { ClusterLookup } from '../validate/rules';
import type { ForeignSpec } from '../formats/types';

export interface CheckFileOptions {
  /** The file's name as the cluster index knows it (path or URI). */
  fileName: string;
  /** The cluster lookup scoped to this file (ClusterIndex.scopedTo(fileName)). */
  clusters?: ClusterLookup;
  readFile?: (rel: string) => string | undefined;
}

export interface FileCheck {
  /** False for a file that is neither Gantry's nor a config a foreign reader recognises: nothing was checked. */
  gantry: boolean;
  docs: ParsedDoc[];
  /** Every problem, validation and estimate findings together, by offset. */
  problems: Problem[];
  /** The estimates of the jobs and services that have no error (for a foreign file: docIndex is the index in `foreign`). */
  estimates: DocEstimate[];
  /** Indices of the documents with an error. */
  invalid: Set<number | undefined>;
  /** A foreign file: the jobs and services its readers found, in file order. */
  foreign?: ForeignSpec[];
}

export function checkGantryText(text: string, opts: CheckFileOptions): FileCheck {
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
