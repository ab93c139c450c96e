// Plans a run from a spec file on disk (or its open text): finds the document with the one reader,
// then the Cluster it names with the one resolver (nearest definition in the workspace).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findSpecDocs, isRunnable, isRunnableKind, type FoundDoc, type RunnableDoc } from './specDocs';
import { resolveCluster, scanClustersSync } from '../workspace/workspace';
import { planLaunch, type PlanResult } from './plan';

export interface PlanFileOptions {
  /** Which runnable document: its index in the file, or its metadata.name. Default: the only one. */
  docIndex?: number;
  name?: string;
  /** The file's text when it is open with unsaved changes. */
  text?: string;
  estimatedDeviceBytesPerGpu?: number;
  /** The workspace root clusters are resolved under; default: the current folder when the file is in it, else the file's folder. */
  root?: string;
  /** An editor's unsaved text for other files. */
  openText?: (p: string) => string | undefined;
}

export function pickRunnable(text: string, opts: PlanFileOptions): { doc?: RunnableDoc; error?: string; all: RunnableDoc[] } {
  const found = findSpecDocs(text);
  const all = found.filter(isRunnable);
  const broken = found.filter((d) => isRunnableKind(d) && !isRunnable(d));
  const brokenNote = (d: FoundDoc) => `document ${d.docIndex}${d.name ? ` (${d.name})` : ''} has errors and cannot run: ${d.errors[0] ?? 'it cannot be read'}`;
  if (opts.docIndex !== undefined) {
    const bad = broken.find((d) => d.docIndex === opts.docIndex);
    if (bad) return { all, error: brokenNote(bad) };
    const doc = all.find((d) => d.docIndex === opts.docIndex);
    return doc ? { doc, all } : { all, error: `document ${opts.docIndex} is not a TrainingJob or InferenceService` };
  }
  if (!all.length) return { all, error: broken.length ? brokenNote(broken[0]) : 'no TrainingJob or InferenceService in this file' };
  if (opts.name !== undefined) {
    const doc = all.find((d) => d.name === opts.name);
    return doc ? { doc, all } : { all, error: `no runnable document named '${opts.name}' (have: ${all.map((d) => d.name).join(', ')})` };
  }
  if (all.length > 1) return { all, error: `the file has ${all.length} runnable documents (${all.map((d) => d.name).join(', ')}); pick one by name` };
  return { doc: all[0], all };
}

export function planFile(specFile: string, opts: PlanFileOptions = {}): PlanResult {
  const file = path.resolve(specFile);
  let text = opts.text;
  if (text === undefined) {
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      return { ok: false, errors: [`cannot read ${file}: ${(err as Error).message}`] };
    }
  }
  const picked = pickRunnable(text, opts);
  if (!picked.doc) return { ok: false, errors: [picked.error!] };
  const own = text;
  const index = scanClustersSync(file, { root: opts.root, openText: (p) => (p === file ? own : opts.openText?.(p)) });
  const cluster = resolveCluster(index, file, picked.doc.value.spec);
  return planLaunch({ doc: picked.doc.value, docIndex: picked.doc.docIndex, specFile: file, clusters: cluster ? [cluster] : [], estimatedDeviceBytesPerGpu: opts.estimatedDeviceBytesPerGpu });
}
