// Hover on one value of a foreign config (a `--max-model-len 32768` in a Deployment, a TOML
// `seq_len`, a DeepSpeed `train_micro_batch_size_per_gpu`): what Gantry reads it as — the spec
// field, its description from the schema, the value the checks and the estimate use — and, for a
// model or a GPU, what the catalog resolves it to. It comes from the reader's source map, so every
// format gets it without learning any. In file offsets; the server turns them into ranges.
import type { ForeignSpec, PlainDoc, SourceEntry } from '../formats/types';
import { catalogEntry, fieldSummary, type HoverResult } from '../spec/complete';
import type { SchemaIndex } from '../spec/schemaNav';
import { typeWords } from '../spec/schemaNav';
import { valueAt } from '../spec/valueAt';

/** The longest value shown in a hover's first line; a longer one is cut, with an ellipsis. */
const MAX_SHOWN = 80;

interface Hit {
  spec: number;
  doc: PlainDoc;
  key: string;
  entry: SourceEntry;
}

/**
 * The hover for the value at `offset` in a foreign file whose specs are `specs`, or undefined when
 * no value the readers took is there. `estimateOf(i)` gives spec i's one-line estimate, shown last.
 */
export function foreignValueHover(specs: readonly ForeignSpec[], offset: number, schemas: SchemaIndex, estimateOf?: (spec: number) => string | undefined): HoverResult | undefined {
  const hit = valueAtOffset(specs, offset);
  if (!hit) return undefined;
  const { doc, key, entry } = hit;
  const path = key.split('.');
  const field = path[0] === 'spec' ? path.slice(1).join('.') : key;
  const s = schemas.at(doc.kind, path);
  const value = valueAt(doc, path);
  const parts: string[] = [];
  const shown = value === undefined || (typeof value === 'object' && value !== null) ? '' : ` = \`${cut(String(value))}\``;
  const whose = doc.kind === 'Cluster' ? ' of the GPUs it runs on' : '';
  parts.push(`**${cut(entry.label)}** · read by Gantry as \`${field}\`${shown}${s ? ` (${typeWords(s).join(' | ')})` : ''}${whose}`);
  const d = fieldSummary(s);
  if (d) parts.push(d);
  const catalog = catalogEntry(key, value);
  if (catalog) parts.push(catalog);
  const est = estimateOf?.(hit.spec);
  if (est) parts.push(`---\n\n${est}`);
  return { markdown: parts.join('\n\n'), offset: entry.span.offset, length: entry.span.length };
}

/**
 * The source-map entry whose value holds `offset` (ends included, as the editor's word hover is):
 * of several on one span (`spec.model` and `spec.model.preset` share the model word), the deepest
 * path; the job's before its Cluster's.
 */
function valueAtOffset(specs: readonly ForeignSpec[], offset: number): Hit | undefined {
  let best: Hit | undefined;
  const consider = (spec: number, doc: PlainDoc, sources: Map<string, SourceEntry> | undefined) => {
    if (!sources) return;
    for (const [key, entry] of sources) {
      const { offset: a, length } = entry.span;
      if (offset < a || offset > a + length) continue;
      if (!best || length < best.entry.span.length || (length === best.entry.span.length && key.split('.').length > best.key.split('.').length)) best = { spec, doc, key, entry };
    }
  };
  specs.forEach((s, i) => {
    consider(i, s.job, s.sources);
    if (s.cluster) consider(i, s.cluster, s.clusterSources);
  });
  return best;
}

function cut(s: string): string {
  const one = s.replace(/[\r\n`]+/g, ' ');
  return one.length > MAX_SHOWN ? `${one.slice(0, MAX_SHOWN)}…` : one;
}
