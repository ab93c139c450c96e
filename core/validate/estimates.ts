// Estimates of a spec file's jobs and services, as editor-ready pieces in file offsets: the
// estimator's findings as problems (with their quick fixes turned into text edits), the one-line
// summary, and where to show it. Cached per document text and cluster generation.
import { estimateTrainingJob, estimateInferenceService } from '../estimate/index';
import type { ServingEstimate, TrainingEstimate } from '../estimate/types';
import { anchorOf, locate, type ParsedDoc } from '../spec/parse';
import { setValueEdit } from '../spec/edit';
import type { ClusterDoc, InferenceServiceDoc, TrainingJobDoc } from '../spec/types';
import type { ClusterLookup } from './rules';
import { moveProblem, type Fix, type Problem } from './problem';
import { configAssumptions, configuredJob, placeOnJob } from '../formats/trainingConfig';

export interface DocEstimate {
  docIndex: number;
  estimate: TrainingEstimate | ServingEstimate;
  /** Where the summary is shown: the `kind` key of the document. */
  anchor: { offset: number; length: number };
  problems: Problem[];
}

/** One document's estimate as cached: offsets are those of the text it was computed on, where the document started at `start`. */
export interface CachedEstimate {
  readonly start: number;
  /** Undefined for documents that are not jobs or services. */
  readonly result: DocEstimate | undefined;
}

const cache = new WeakMap<ParsedDoc['yaml'], CachedEstimate & { generation: number }>();

export function estimateDoc(text: string, doc: ParsedDoc, clusters: ClusterLookup | undefined, readFile?: (rel: string) => string | undefined, generation = 0): DocEstimate | undefined {
  return estimateAt(estimateDocCached(text, doc, clusters, readFile, generation), doc);
}

/** A cached estimate in the offsets and document index of `doc` where it is now. */
export function estimateAt({ start, result }: CachedEstimate, doc: ParsedDoc): DocEstimate | undefined {
  // Documents after an edit only move: reuse their estimate, shifted (an edit re-estimates one document).
  return !result || (start === doc.start && result.docIndex === doc.index) ? result : shift(result, doc.start - start, doc.index);
}

/**
 * The estimate of one document, cached per document text (its `yaml`) and cluster generation, as
 * cached: a caller shifts by `doc.start - entry.start`, or keeps its own results per entry.
 */
export function estimateDocCached(text: string, doc: ParsedDoc, clusters: ClusterLookup | undefined, readFile?: (rel: string) => string | undefined, generation = 0): CachedEstimate {
  const hit = cache.get(doc.yaml);
  if (hit && hit.generation === generation) return hit;
  const entry = { generation, start: doc.start, result: compute(text, doc, clusters, readFile) };
  cache.set(doc.yaml, entry);
  return entry;
}

function shift(e: DocEstimate, delta: number, docIndex: number): DocEstimate {
  return {
    ...e,
    docIndex,
    anchor: { offset: e.anchor.offset + delta, length: e.anchor.length },
    problems: e.problems.map((p) => moveProblem(p, delta, docIndex)),
  };
}

/**
 * The Cluster a job or service is estimated on: the one its `spec.cluster` names, or the only one
 * there is when it names none. The editor, `gantry check` and `gantry estimate` all use this.
 */
export function clusterFor(spec: unknown, clusters: ClusterLookup | undefined): ClusterDoc | undefined {
  if (!clusters) return undefined;
  const name = (spec as { cluster?: unknown } | undefined)?.cluster;
  if (typeof name === 'string') return clusters.get(name)?.doc;
  const names = clusters.names();
  return names.length === 1 ? clusters.get(names[0])?.doc : undefined;
}

function compute(text: string, doc: ParsedDoc, clusters: ClusterLookup | undefined, readFile?: (rel: string) => string | undefined): DocEstimate | undefined {
  const v = doc.value as Record<string, unknown> | undefined;
  if (!v || typeof v !== 'object' || typeof v.apiVersion !== 'string' || !v.apiVersion.startsWith('gantry/')) return undefined;
  if (v.kind !== 'TrainingJob' && v.kind !== 'InferenceService') return undefined;
  const cluster = clusterFor(v.spec, clusters);
  const opts = { resolveConfig: readFile };
  // A TrainingJob with `config:` is estimated from its config file's values (core/formats/trainingConfig.ts).
  const configured = v.kind === 'TrainingJob' ? configuredJob(v, readFile) : undefined;
  if (configured && !configured.foreign) return undefined;
  const computed = v.kind === 'TrainingJob' ? estimateTrainingJob((configured?.value ?? v) as unknown as TrainingJobDoc, cluster, opts) : estimateInferenceService(v as unknown as InferenceServiceDoc, cluster, opts);
  // The hover says what was read from the config file, and what its reader assumed.
  const estimate = configured?.foreign ? { ...computed, assumptions: [...configAssumptions(configured), ...computed.assumptions] } : computed;
  const kindKey = locate(doc, ['kind']);
  const anchor = kindKey.key ?? kindKey.value;
  const problems: Problem[] = estimate.findings.map((f) => {
    const fixes: Fix[] = [];
    for (const fix of f.fixes ?? []) {
      const edits = fix.edits.map((e) => setValueEdit(text, doc, e.path, e.value));
      if (edits.every((e) => e)) fixes.push({ title: fix.title, edits: edits as NonNullable<(typeof edits)[number]>[], sets: fix.edits.map((e) => ({ path: e.path, value: e.value })) });
    }
    const p: Problem = { code: f.code, severity: f.severity, message: f.message, path: f.path, fixes, docIndex: doc.index, ...anchorOf(doc, f.path), ...(f.reason ? { reason: f.reason } : {}) };
    return configured ? placeOnJob(p, doc, configured) : p;
  });
  return { docIndex: doc.index, estimate, anchor, problems };
}
