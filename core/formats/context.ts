// What the user states about foreign files outside them: the GPUs, their count, a Gantry Cluster,
// the engine version. Two places, nearest first: a `gantry.context.yaml` in the file's folder or
// one of its parents (kept beside the manifests, scripts or configs it is about), then the
// editor settings `gantry.foreign.*` (or the CLI's flags). The file itself wins over both where it
// says (a pod's GPU limit, `#SBATCH --gres`); these fill in what it does not.
import { isMap, isScalar, parse, parseDocument } from 'yaml';
import { findGpu, GPUS, nearestGpu } from '../catalog/gpus';
import { modelChoices, resolveModelName } from '../catalog/models';
import type { CompletionEntry } from '../spec/complete';
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

/** The most GPUs one node holds (the Cluster schema's nodes.gpu.count maximum: a GB200 NVL72 rack). More is not used, and is the context file's error. */
export const MAX_GPUS_PER_NODE = 72;

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
    if (typeof o.gpusPerNode === 'number' && Number.isInteger(o.gpusPerNode) && o.gpusPerNode > 0 && o.gpusPerNode <= MAX_GPUS_PER_NODE) {
      out.gpusPerNode = o.gpusPerNode;
      out.worldFrom = rel;
    }
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
  if (typeof o.gpusPerNode === 'number' && Number.isInteger(o.gpusPerNode) && o.gpusPerNode > 0 && o.gpusPerNode <= MAX_GPUS_PER_NODE) {
    out.gpusPerNode = o.gpusPerNode;
    out.worldFrom = 'the gantry.foreign.gpusPerNode setting';
  }
  if (typeof o.engineVersion === 'string' && o.engineVersion) out.engineVersion = o.engineVersion;
  return out;
}

/** The keys a context file holds (foreignDefaults reads them), with what each says, for completion and hover. */
const CONTEXT_KEY_DOCS = {
  cluster: "A Gantry Cluster, by name (in this workspace's scope), that the foreign configs here run on: its GPU, the GPUs per node, the nodes and the interconnect.",
  gpu: "The GPU the foreign configs here run on where a file does not name one: a catalog id such as `H100-SXM-80GB` (docs/catalog.md). A pod's node selector or `#SBATCH --gres=gpu:h100:8` wins.",
  gpusPerNode: "GPUs per node where a file does not say. A pod's GPU limit, `#SBATCH --gres` or a launcher's `--nproc_per_node` wins.",
  engineVersion: "The serving engine's version (vLLM, SGLang) where neither the image tag nor a pip pin says, such as `0.8.5`: defaults and the memory profile differ by version.",
  model: "The model that a training config naming none trains (a DeepSpeed JSON, an accelerate YAML): a catalog id or a Hugging Face id. A launch line's `--model_name_or_path` wins.",
} as const;
const CONTEXT_KEYS = Object.keys(CONTEXT_KEY_DOCS) as (keyof typeof CONTEXT_KEY_DOCS)[];

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
  const written = new Set(root.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')));
  for (const pair of root.items) {
    const k = isScalar(pair.key) ? pair.key.value : undefined;
    const key = typeof k === 'string' ? k : String(k);
    if (!(CONTEXT_KEYS as readonly string[]).includes(key)) {
      // A key the file holds already is not what was meant (its fix would write it twice); a key the slip begins (gpus → gpusPerNode) is.
      const free = CONTEXT_KEYS.filter((k) => !written.has(k));
      const meant = (key.length >= 3 ? free.find((k) => k.toLowerCase().startsWith(key.toLowerCase())) : undefined) ?? nearest(key, free);
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
      if (!(typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= MAX_GPUS_PER_NODE)) wrong(node, key, `a whole number of GPUs, 1 to ${MAX_GPUS_PER_NODE}`);
    } else if (typeof v !== 'string' || !v) wrong(node, key, 'a non-empty string');
    else if (key === 'gpu' && !findGpu(v)) {
      const meant = nearestGpu(v);
      const span = at(node as never);
      out.push({
        code: 'unknown-gpu',
        severity: 'error',
        message: `Unknown GPU ${quote(v)}${meant ? `; did you mean '${meant.id}'?` : '.'} Foreign configs here are not estimated until it names a catalog GPU (docs/catalog.md); a GPU the catalog lacks can be described in a Cluster (nodes.gpu.memoryGiB) named by cluster:.`,
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

// ---------------------------------------------------------------- completion and hover

/** Where the cursor is in a context file: on a top-level key, or on the value of one (flat file, one key per line). */
function contextCursor(text: string, offset: number): { key?: string; word: { offset: number; length: number }; present: Set<string>; colon?: boolean } | undefined {
  if (text.length > MAX_CONTEXT_CHARS || offset < 0 || offset > text.length) return undefined;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = text.length;
  const line = text.slice(lineStart, lineEnd);
  const at = offset - lineStart;
  const hash = line.indexOf('#');
  if ((hash >= 0 && hash < at) || line.startsWith(' ') || line.startsWith('\t') || line.startsWith('-')) return undefined;
  const present = new Set<string>();
  for (const l of text.split('\n')) {
    const c = l.indexOf(':');
    if (c > 0 && !l.startsWith(' ') && !l.startsWith('#')) present.add(l.slice(0, c).trim());
  }
  const colon = line.indexOf(':');
  if (colon < 0 || at <= colon) {
    // The key: the word around the cursor, up to the colon.
    const end = colon < 0 ? (hash < 0 ? line.length : hash) : colon;
    const word = line.slice(0, end).trimEnd();
    return { word: { offset: lineStart, length: word.length }, present, colon: colon >= 0 };
  }
  const key = line.slice(0, colon).trim();
  let a = colon + 1;
  while (a < line.length && (line[a] === ' ' || line[a] === '\t')) a++;
  let b = hash < 0 ? line.length : hash;
  while (b > a && (line[b - 1] === ' ' || line[b - 1] === '\t' || line[b - 1] === '\r')) b--;
  return { key, word: { offset: lineStart + a, length: Math.max(0, b - a) }, present };
}

/** Completion in a gantry.context.yaml: the keys it does not hold yet, and values for gpu, cluster, model and gpusPerNode. */
export function contextCompletion(text: string, offset: number, clusterNames: () => string[] = () => [], localModels?: () => readonly string[]): CompletionEntry[] {
  const cur = contextCursor(text, offset);
  if (!cur) return [];
  const replace = cur.word;
  if (cur.key === undefined) {
    const typed = text.slice(replace.offset, replace.offset + replace.length);
    // On a key that has its colon already, the key alone is replaced.
    return CONTEXT_KEYS.filter((k) => k === typed || !cur.present.has(k)).map((k) => ({ label: k, kind: 'property' as const, documentation: CONTEXT_KEY_DOCS[k], insertText: cur.colon ? k : `${k}: `, replace }));
  }
  if (cur.key === 'gpu') return GPUS.map((g) => ({ label: g.id, kind: 'value' as const, detail: `${g.memoryGiB} GiB`, documentation: g.summary, insertText: g.id, replace }));
  if (cur.key === 'model') return modelChoices(localModels).map((m) => ({ label: m.label, kind: 'value' as const, detail: m.detail, documentation: m.doc, insertText: m.label, replace }));
  if (cur.key === 'cluster') return clusterNames().map((n) => ({ label: n, kind: 'reference' as const, insertText: n, replace }));
  if (cur.key === 'gpusPerNode') return [1, 2, 4, 8].map((n) => ({ label: String(n), kind: 'value' as const, insertText: String(n), replace, sortText: String(n) }));
  return [];
}

/** Hover in a gantry.context.yaml: what a key says; on a gpu or model value, the catalog entry. */
export function contextHover(text: string, offset: number): { markdown: string; offset: number; length: number } | undefined {
  const cur = contextCursor(text, offset);
  if (!cur || !cur.word.length) return undefined;
  const word = text.slice(cur.word.offset, cur.word.offset + cur.word.length);
  if (cur.key === undefined) {
    const doc = (CONTEXT_KEY_DOCS as Record<string, string>)[word];
    return doc ? { markdown: `**${word}** (${CONTEXT_FILE})\n\n${doc}`, ...cur.word } : undefined;
  }
  const v = word.length > 1 && (word[0] === '"' || word[0] === "'") && word[word.length - 1] === word[0] ? word.slice(1, -1) : word;
  if (cur.key === 'gpu') {
    const g = findGpu(v);
    return g ? { markdown: `${g.summary}\n\n_Source: ${g.source}_`, ...cur.word } : undefined;
  }
  if (cur.key === 'model') {
    const r = resolveModelName(v);
    return r ? { markdown: `${r.model.summary}${r.derivedFrom ? `\n\n${r.derivedFrom}` : ''}\n\n_Source: ${r.model.source}_`, ...cur.word } : undefined;
  }
  return undefined;
}
