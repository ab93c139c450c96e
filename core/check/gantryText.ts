// The check of a Gantry YAML text (gantry/v1 documents): the validator's problems plus the
// estimator's findings, where a document with an error gets no estimate. The rule lives here, once,
// in checkDocCached, which the server's per-keystroke path (server/handlers/diagnostics.ts) calls
// per document too, keeping its own converted results; foreign formats are checked through
// this too (core/check/foreign.ts), on the Gantry documents their readers produce.
import { parseSpecFile, type ParsedDoc } from '../spec/parse';
import { fileProblem, limitProblem, MAX_FILE_BYTES, validateDocCached, type DocProblems, type ValidateOptions } from '../validate/validate';
import { estimateAt, estimateDocCached, type CachedEstimate, type DocEstimate } from '../validate/estimates';
import { moveProblem, type Problem } from '../validate/problem';
import type { ClusterLookup } from '../validate/rules';
import type { ForeignSpec } from '../formats/types';

export interface CheckFileOptions {
  /** The file's name as the cluster index knows it (path or URI). */
  fileName: string;
  /** The cluster lookup scoped to this file (ClusterIndex.scopedTo(fileName)). */
  clusters?: ClusterLookup;
  readFile?: (rel: string) => string | undefined;
  /** The documents of this very text, when the caller has parsed it already (parseSpecFile): not parsed again. */
  docs?: ParsedDoc[];
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
  const docs = text.length > MAX_FILE_BYTES ? [] : (opts.docs ?? parseSpecFile(text));
  const problems: Problem[] = [];
  const stop = fileProblem(text);
  const limited = stop ? undefined : limitProblem(text, docs.length);
  for (const p of [stop, limited]) if (p) problems.push(p);
  const docOpts: ValidateOptions = { fileName: opts.fileName, clusters: opts.clusters, readFile: opts.readFile, yamlOnly: !!limited };
  const estimates: DocEstimate[] = [];
  for (const d of docs) {
    const c = checkDocCached(text, d, docOpts, !!stop);
    if (c.validation) for (const p of c.validation.problems) problems.push(moveProblem(p, d.start - c.validation.start, d.index));
    const e = c.estimate && estimateAt(c.estimate, d);
    if (!e) continue;
    estimates.push(e);
    problems.push(...e.problems);
  }
  const invalid = new Set(problems.filter((p) => p.severity === 'error').map((p) => p.docIndex));
  problems.sort((a, b) => a.offset - b.offset);
  return { gantry: true, docs, problems, estimates, invalid };
}

/** One document's check: its problems and, when the rule below allows, its estimate, each as cached. */
export interface DocCheck {
  /** Absent when the file is not checked per document (too large, binary: `fileStopped`). */
  validation?: DocProblems;
  estimate?: CachedEstimate;
}

/**
 * One document's two steps, each cached per document text (in the offsets of the text it was
 * computed on: a caller shifts by `doc.start - entry.start`, or keeps its own results per entry, as
 * the server does). The one rule: a document with an error gets no estimate (its findings would
 * only repeat the error), nor does one checked YAML-only past the full-check limits; the documents
 * of a file that is not checked per document (`fileStopped`: binary) are estimated as they are.
 */
export function checkDocCached(text: string, doc: ParsedDoc, opts: ValidateOptions, fileStopped: boolean): DocCheck {
  let validation: DocProblems | undefined;
  if (!fileStopped) {
    validation = validateDocCached(text, doc, opts);
    if (opts.yamlOnly || validation.problems.some((p) => p.severity === 'error')) return { validation };
  }
  return { validation, estimate: estimateDocCached(text, doc, opts.clusters, opts.readFile, opts.generation) };
}
