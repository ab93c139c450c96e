// Plans a run from a spec file on disk (or its open text): finds the document, then the Cluster it
// names in the same file or in the *.yaml files beside it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findClusters, findSpecDocs, isRunnable, neighbourSpecTexts, type RunnableDoc } from './specDocs';
import { planLaunch, type PlanResult } from './plan';

export interface PlanFileOptions {
  /** Which runnable document: its index in the file, or its metadata.name. Default: the only one. */
  docIndex?: number;
  name?: string;
  /** The file's text when it is open with unsaved changes. */
  text?: string;
  estimatedDeviceBytesPerGpu?: number;
}

export function pickRunnable(text: string, opts: PlanFileOptions): { doc?: RunnableDoc; error?: string; all: RunnableDoc[] } {
  const all = findSpecDocs(text).filter(isRunnable);
  if (!all.length) return { all, error: 'no TrainingJob or InferenceService in this file' };
  if (opts.docIndex !== undefined) {
    const doc = all.find((d) => d.docIndex === opts.docIndex);
    return doc ? { doc, all } : { all, error: `document ${opts.docIndex} is not a TrainingJob or InferenceService` };
  }
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
  const files = [{ path: file, text }, ...neighbourSpecTexts(file)];
  const clusters = findClusters(files).map((c) => c.doc);
  return planLaunch({ doc: picked.doc.value, docIndex: picked.doc.docIndex, specFile: file, clusters, estimatedDeviceBytesPerGpu: opts.estimatedDeviceBytesPerGpu });
}

