// What the user states about foreign files outside them: the GPUs, their count, a Gantry Cluster,
// the engine version. Two places, nearest first: a `gantry.context.yaml` in the file's folder or
// one of its parents (kept beside the manifests, scripts or configs it is about), then the
// editor settings `gantry.foreign.*` (or the CLI's flags). The file itself wins over both where it
// says (a pod's GPU limit, `#SBATCH --gres`); these fill in what it does not.
import { isMap, isScalar, parse, parseDocument } from 'yaml';
import { findGpu, nearestGpu } from '../catalog/gpus';
import { parseVersion } from '../estimate/engineVersion';
import { nearest } from '../spec/suggest';
import { quote, sizeText, type Problem } from '../validate/problem';
import type { ClusterLookup } from '../validate/rules';
import type { ForeignDefaults } from './types';

export const CONTEXT_FILE = 'gantry.context.yaml';
/** How many folders up a context file is looked for (the file's own folder is 0). */
export const CONTEXT_DEPTH = 4;

/** The relative names to look for, nearest first: `gantry.context.yaml`, `../gantry.context.yaml`, … */
export function contextCandidates(): string[] {
  const out: string[] = [];
  for (let up = 0; up <= CONTEXT_DEPTH; up++) out.push(`${'../'.repeat(up)}${CONTEXT_FILE}`);
  return out;
}

/** The most of a context file that is read: it holds a handful of keys. */
export const MAX_CONTEXT_CHARS = 16 * 1024;
let lastContext: { text: string; value: unknown } | undefined;

/**
 * A context file's value; undefined when it does not parse or is past MAX_CONTEXT_CHARS. Every check
 * of a foreign file reads it, so the last text's value is kept; duplicate keys are not looked for
 * (the parser's own test compares every pair of keys).
 */
function parseContext(text: string): unknown {
  if (lastContext?.text === text) return lastContext.value;
  let value: unknown;
  try {
    value = text.length > MAX_CONTEXT_CHARS ? undefined : parse(text, { maxAliasCount: 10, uniqueKeys: false });
  } catch {
    value = undefined;
  }
  lastContext = { text, value };
  return value;
}

/**
 * The defaults for a foreign file: the nearest context file's keys over the settings. `read` reads
 * a path relative to the foreign file (undefined when there is none, or it cannot be read yet).
 * A context file that does not parse, or holds values of the wrong type, gives nothing for them.
 */
export function foreignDefaults(read: ((rel: string) => string | undefined) | undefined, settings: ForeignDefaults = {}): ForeignDefaults {
  const out: ForeignDefaults = { ...settings };
  if (!read) return out;
  for (const rel of contextCandidates()) {
    const text = read(rel);
    if (text === undefined) continue;
    const v = parseContext(text);
    if (!v || typeof v !== 'object') return out;
    const o = v as Record<string, unknown>;
    if (typeof o.cluster === 'string') out.cluster = o.cluster;
    if (typeof o.gpu === 'string') out.gpu = o.gpu;
    if (typeof o.gpusPerNode === 'number' && Number.isInteger(o.gpusPerNode) && o.gpusPerNode > 0) out.gpusPerNode = o.gpusPerNode;
    if (typeof o.engineVersion === 'string') out.engineVersion = o.engineVersion;
    // The model a config that names none trains (a DeepSpeed JSON, an accelerate YAML): catalog or Hugging Face id.
    if (typeof o.model === 'string' && o.model && o.model.length <= 200) out.model = o.model;
    return out;
  }
  return out;
}

/** Settings as the editor or the CLI give them: only the well-typed keys. */
export function defaultsFromSettings(v: unknown): ForeignDefaults {
  const o = v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  const out: ForeignDefaults = {};
  if (typeof o.cluster === 'string' && o.cluster) out.cluster = o.cluster;
  if (typeof o.gpu === 'string' && o.gpu) out.gpu = o.gpu;
  if (typeof o.gpusPerNode === 'number' && Number.isInteger(o.gpusPerNode) && o.gpusPerNode > 0) out.gpusPerNode = o.gpusPerNode;
  if (typeof o.engineVersion === 'string' && o.engineVersion) out.engineVersion = o.engineVersion;
  return out;
}

/** The keys a context file holds (foreignDefaults reads them). */
const CONTEXT_KEYS = ['cluster', 'gpu', 'gpusPerNode', 'engineVersion', 'model'] as const;

/**
 * The check of a `gantry.context.yaml` itself (the editor and `gantry check` show it like any file):
 * YAML errors, keys foreignDefaults does not read (a near miss gets a "did you mean" fix), values of
 * the wrong type (foreignDefaults drops them), a GPU the catalog lacks, an engine version that is not
 * one, and a Cluster name no Cluster in scope has (`clusters`, when the caller has the index).
 */
export function contextProblems(text: string, clusters?: Pick<ClusterLookup, 'get' | 'names'>): Problem[] {
  const out: Problem[] = [];
  const at = (node: { range?: [number, number, number?] | null } | null | undefined): { offset: number; length: number } => {
    const [a, b] = node?.range ?? [0, 1];
    return { offset: a, length: Math.max(1, b - a) };
  };
  if (text.length > MAX_CONTEXT_CHARS) {
    return [{ code: 'context-file', severity: 'error', message: `${CONTEXT_FILE} is ${sizeText(text.length)}: Gantry reads at most ${MAX_CONTEXT_CHARS / 1024} KB of it (it holds a handful of keys), so none of it applies.`, offset: 0, length: 1 }];
  }
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  for (const e of doc.errors.slice(0, 5)) {
    const [a, b] = e.pos;
    out.push({ code: 'yaml-syntax', severity: 'error', message: `${e.message.split('\n')[0]} (none of ${CONTEXT_FILE} applies until it parses)`, offset: a, length: Math.max(1, b - a) });
  }
  if (doc.errors.length) return out;
  const root = doc.contents;
  if (root === null || root === undefined) return out;
  if (!isMap(root)) {
    out.push({ code: 'context-file', severity: 'error', message: `${CONTEXT_FILE} must be a mapping of keys (${CONTEXT_KEYS.join(', ')}); none of it applies.`, ...at(root as never) });
    return out;
  }
  const wrong = (node: unknown, key: string, what: string) => out.push({ code: 'context-file', severity: 'error', message: `${key} must be ${what} (got ${quote(isScalar(node) ? node.value : String(node))}); foreign configs here ignore it.`, ...at(node as never) });
  for (const pair of root.items) {
    const k = isScalar(pair.key) ? pair.key.value : undefined;
    const key = typeof k === 'string' ? k : String(k);
    if (!(CONTEXT_KEYS as readonly string[]).includes(key)) {
      const meant = nearest(key, CONTEXT_KEYS);
      const span = at(pair.key as never);
      out.push({
        code: 'context-file',
        severity: 'warning',
        message: `${quote(key)} is not a key of ${CONTEXT_FILE}${meant ? `; did you mean ${meant}?` : ''} (it reads ${CONTEXT_KEYS.join(', ')}).`,
        ...span,
        ...(meant ? { fixes: [{ title: `Change to ${meant}`, preferred: true, edits: [{ ...span, newText: meant }] }] } : {}),
      });
      continue;
    }
    const node = pair.value;
    const v = isScalar(node) ? node.value : undefined;
    if (key === 'gpusPerNode') {
      if (!(typeof v === 'number' && Number.isInteger(v) && v > 0)) wrong(node, key, 'a whole number of GPUs, 1 or more');
    } else if (typeof v !== 'string' || !v) wrong(node, key, 'a non-empty string');
    else if (key === 'gpu' && !findGpu(v)) {
      const meant = nearestGpu(v);
      const span = at(node as never);
      out.push({
        code: 'unknown-gpu',
        severity: 'error',
        message: `Unknown GPU ${quote(v)}${meant ? `; did you mean '${meant.id}'?` : ''} Foreign configs here are not estimated until it names a catalog GPU (docs/catalog.md); a GPU the catalog lacks can be described in a Cluster (nodes.gpu.memoryGiB) named by cluster:.`,
        ...span,
        ...(meant ? { fixes: [{ title: `Change to '${meant.id}'`, edits: [{ ...span, newText: meant.id }] }] } : {}),
      });
    } else if (key === 'engineVersion' && !parseVersion(v)) wrong(node, key, 'a version such as 0.8.5');
    else if (key === 'model' && v.length > 200) wrong(node, key, 'a catalog model or Hugging Face id of at most 200 characters');
    else if (key === 'cluster' && clusters && !clusters.get(v)) {
      const meant = nearest(v, clusters.names());
      out.push({ code: 'unknown-cluster', severity: 'error', message: `No Cluster named ${quote(v)} in this workspace's scope${meant ? `; did you mean '${meant}'?` : ''} Foreign configs here get no Cluster until it names one.`, ...at(node as never) });
    }
  }
  return out;
}
