// The run features' view of a spec file: its runnable documents (TrainingJob, InferenceService)
// and Clusters, with the offset of each document's `kind:` key for the ▶ Run code lens. This is a
// view over the one reader, core/spec/parse.ts `parseSpecFile`: the same document indices, YAML
// options and errors as the editor and `gantry check`. A document with YAML errors (a duplicated
// key, a syntax error) is found but not runnable.
import { isMap, isScalar } from 'yaml';
import { parseSpecFile, type ParsedDoc } from '../spec/parse';
import type { AnySpecDoc, InferenceServiceDoc, TrainingJobDoc } from '../spec/types';

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
  /** The reader's errors for this document (YAML syntax, duplicate keys); non-empty means not runnable. */
  errors: string[];
}

export type RunnableDoc = FoundDoc & { value: TrainingJobDoc | InferenceServiceDoc };

/** The documents of a file that have a `kind:`, from the reader's parse (`docs`, or a fresh parse of `text`). */
export function findSpecDocs(text: string, docs: ParsedDoc[] = parseSpecFile(text)): FoundDoc[] {
  const out: FoundDoc[] = [];
  for (const d of docs) {
    const contents = d.yaml.contents;
    if (!isMap(contents)) continue;
    const kindPair = contents.items.find((p) => isScalar(p.key) && p.key.value === 'kind');
    if (!kindPair || !isScalar(kindPair.value) || typeof kindPair.value.value !== 'string') continue;
    const v = d.value as { metadata?: { name?: unknown } } | undefined;
    const keyRange = isScalar(kindPair.key) ? kindPair.key.range : undefined;
    // The reader parses each document on its own: its node offsets are relative to the document.
    const offset = d.start + (keyRange ? keyRange[0] : (contents.range?.[0] ?? 0));
    const errors = d.problems.filter((p) => p.severity === 'error').map((p) => p.message);
    out.push({ docIndex: d.index, kind: kindPair.value.value, name: typeof v?.metadata?.name === 'string' ? v.metadata.name : '', offset, start: d.start, end: d.end, value: d.value as AnySpecDoc, errors });
  }
  return out;
}

export const isRunnableKind = (d: FoundDoc): boolean => d.kind === 'TrainingJob' || d.kind === 'InferenceService';
export const isRunnable = (d: FoundDoc): d is RunnableDoc => isRunnableKind(d) && !d.errors.length && d.value !== undefined;
