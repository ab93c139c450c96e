// Finds the runnable documents (TrainingJob, InferenceService) and the Clusters in a spec file's
// text, with the offset of each document's `kind:` key for the ▶ Run code lens. This is a light
// scan for the run features; validation lives in core/validate.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments, isMap, isScalar } from 'yaml';
import type { AnySpecDoc, ClusterDoc, InferenceServiceDoc, TrainingJobDoc } from '../spec/types';

export interface FoundDoc {
  docIndex: number;
  kind: string;
  name: string;
  /** Offset of the `kind` key in the file (where the code lens goes). */
  offset: number;
  /** The document's extent in the file, to match diagnostics to it. */
  start: number;
  end: number;
  value: AnySpecDoc;
}

export type RunnableDoc = FoundDoc & { value: TrainingJobDoc | InferenceServiceDoc };

export function findSpecDocs(text: string): FoundDoc[] {
  const out: FoundDoc[] = [];
  let docs;
  try {
    docs = parseAllDocuments(text, { maxAliasCount: 50 } as never);
  } catch {
    return out;
  }
  if (!Array.isArray(docs)) return out;
  docs.forEach((doc, docIndex) => {
    const contents = doc.contents;
    if (!isMap(contents)) return;
    const kindPair = contents.items.find((p) => isScalar(p.key) && p.key.value === 'kind');
    if (!kindPair || !isScalar(kindPair.value) || typeof kindPair.value.value !== 'string') return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 50 });
    } catch {
      return;
    }
    const v = value as { metadata?: { name?: unknown } };
    const offset = isScalar(kindPair.key) && kindPair.key.range ? kindPair.key.range[0] : (contents.range?.[0] ?? 0);
    const [start, , end] = doc.range;
    out.push({ docIndex, kind: kindPair.value.value, name: typeof v?.metadata?.name === 'string' ? v.metadata.name : '', offset, start, end, value: value as AnySpecDoc });
  });
  return out;
}

export const isRunnable = (d: FoundDoc): d is RunnableDoc => d.kind === 'TrainingJob' || d.kind === 'InferenceService';

export function findClusters(files: { path: string; text: string }[]): { path: string; doc: ClusterDoc }[] {
  const out: { path: string; doc: ClusterDoc }[] = [];
  for (const f of files) {
    if (!/^\s*kind:\s*Cluster\b/m.test(f.text)) continue;
    for (const d of findSpecDocs(f.text)) if (d.kind === 'Cluster') out.push({ path: f.path, doc: d.value as ClusterDoc });
  }
  return out;
}

/**
 * The *.yaml / *.yml files beside `file` (where its Cluster is looked for), each at most 2 MB.
 * `openText` supplies an editor's unsaved text for a path; unreadable folders and files are skipped.
 */
export function neighbourSpecTexts(file: string, openText?: (p: string) => string | undefined): { path: string; text: string }[] {
  let names: string[];
  try {
    names = fs.readdirSync(path.dirname(file));
  } catch {
    return [];
  }
  const out: { path: string; text: string }[] = [];
  for (const n of names) {
    const p = path.join(path.dirname(file), n);
    if (p === file || !/\.ya?ml$/i.test(n)) continue;
    try {
      const open = openText?.(p);
      if (open !== undefined) out.push({ path: p, text: open });
      else if (fs.statSync(p).size <= 2 * 1024 * 1024) out.push({ path: p, text: fs.readFileSync(p, 'utf8') });
    } catch {
      /* unreadable neighbour: skip */
    }
  }
  return out;
}
