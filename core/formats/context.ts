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
    let v: unknown;
    try {
      v = parse(text, { maxAliasCount: 10 });
    } catch {
      return out;
    }
    if (!v || typeof v !== 'object') return out;
    const o = v as Record<string, unknown>;
    if (typeof o.cluster === 'string') out.cluster = o.cluster;
    if (typeof o.gpu === 'string') out.gpu = o.gpu;
    if (typeof o.gpusPerNode === 'number' && Number.isInteger(o.gpusPerNode) && o.gpusPerNode > 0) out.gpusPerNode = o.gpusPerNode;
    if (typeof o.engineVersion === 'string') out.engineVersion = o.engineVersion;
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
