// What the user states about foreign files outside them: the GPUs, their count, a Gantry Cluster,
// the engine version. Two places, nearest first: a `gantry.context.yaml` in the file's folder or
// one of its parents (kept beside the manifests, scripts or configs it is about), then the
// editor settings `gantry.foreign.*` (or the CLI's flags). The file itself wins over both where it
// says (a pod's GPU limit, `#SBATCH --gres`); these fill in what it does not.
import { parse } from 'yaml';
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
