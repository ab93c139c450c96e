// Text edits on a spec, in file offsets: set a value at a path (replacing it, or inserting the key
// under the nearest existing parent with the parent's indentation), rename a key. Quick fixes from
// the validator and the estimator both go through here.
import { stringify, isMap } from 'yaml';
import { locate, type ParsedDoc, type SpecPath } from './parse';
import type { TextEditAt } from '../validate/problem';

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function indentAt(text: string, offset: number): number {
  const ls = lineStart(text, offset);
  let i = ls;
  while (text[i] === ' ') i++;
  return i - ls;
}

/** A scalar written inline (`true`, `4`, `fp8`, `"a b"`), or a flow value for small collections. */
export function yamlScalar(value: unknown): string {
  return stringify(value, { flowCollectionPadding: true, lineWidth: 0, collectionStyle: 'flow' }).trimEnd();
}

/** `key: value` lines indented by `indent`, block style for objects. */
function yamlEntry(key: string, value: unknown, indent: number): string {
  const body = value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0 ? stringify({ [key]: value }, { lineWidth: 0, indent: 2 }) : `${key}: ${yamlScalar(value)}\n`;
  const pad = ' '.repeat(indent);
  return body
    .trimEnd()
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

/**
 * Sets the value at `path` in the document. Existing scalar values are replaced in place; a missing
 * key is inserted after the last entry of its deepest existing parent mapping (in a flow mapping,
 * `, key: value` before its closing brace, the value in flow style). Returns undefined where no safe
 * edit exists (sequences on the way, a flow mapping whose closing brace is not where the parser says).
 */
export function setValueEdit(fileText: string, doc: ParsedDoc, path: SpecPath, value: unknown): TextEditAt | undefined {
  const l = locate(doc, path);
  if (l.exact) {
    if (l.node && (isMap(l.node) || Array.isArray((l.node as { items?: unknown }).items)) && typeof value !== 'object') return undefined;
    return { offset: l.value.offset, length: l.value.length, newText: yamlScalar(value) };
  }
  // Find the deepest existing ancestor and insert the remainder of the path under it.
  let depth = path.length - 1;
  while (depth >= 0 && !locate(doc, path.slice(0, depth)).exact) depth--;
  if (depth < 0) return undefined;
  const parent = locate(doc, path.slice(0, depth));
  const rest = path.slice(depth);
  if (rest.some((s) => typeof s === 'number')) return undefined;
  let nested: unknown = value;
  for (let i = rest.length - 1; i >= 1; i--) nested = { [rest[i] as string]: nested };
  return insertUnder(fileText, doc, parent, String(rest[0]), nested);
}

export function insertKeyEdit(fileText: string, doc: ParsedDoc, parentPath: SpecPath, key: string, value: unknown): TextEditAt | undefined {
  const parent = locate(doc, parentPath);
  if (!parent.exact) return undefined;
  return insertUnder(fileText, doc, parent, key, value);
}

function insertUnder(fileText: string, doc: ParsedDoc, parent: ReturnType<typeof locate>, key: string, value: unknown): TextEditAt | undefined {
  const node = parent.node;
  if (node && !isMap(node)) return undefined;
  if (node && isMap(node) && node.flow) return insertInFlow(fileText, doc, node, key, value);
  const items = node && isMap(node) ? node.items : [];
  let indent: number;
  let at: number;
  if (items.length > 0) {
    const firstKey = items[0].key as { range?: [number, number, number] };
    indent = indentAt(fileText, doc.start + (firstKey.range?.[0] ?? 0));
    const last = items[items.length - 1];
    const lastEnd = doc.start + ((last.value as { range?: [number, number, number] } | null)?.range?.[1] ?? (last.key as { range?: [number, number, number] }).range?.[1] ?? 0);
    // Insert after the line on which the last entry ends.
    const nl = fileText.indexOf('\n', Math.max(lastEnd - 1, 0));
    at = nl < 0 ? fileText.length : nl + 1;
    if (fileText[lastEnd - 1] === '\n') at = lastEnd;
  } else if (parent.key) {
    // `parent:` with an empty value: nest under it.
    indent = indentAt(fileText, parent.key.offset) + 2;
    const nl = fileText.indexOf('\n', parent.key.offset);
    at = nl < 0 ? fileText.length : nl + 1;
  } else {
    return undefined;
  }
  const needsNl = at === fileText.length && at > 0 && fileText[at - 1] !== '\n';
  return { offset: at, length: 0, newText: (needsNl ? '\n' : '') + yamlEntry(key, value, indent) + '\n' };
}

/** `key: value` into a flow mapping (`{ a: 1 }` → `{ a: 1, key: value }`), right after its last entry, by a plain scan back from its `}`. */
function insertInFlow(fileText: string, doc: ParsedDoc, node: { range?: [number, number, number] | null; items: unknown[] }, key: string, value: unknown): TextEditAt | undefined {
  const r = node.range;
  if (!r) return undefined;
  const start = doc.start + r[0];
  let close = doc.start + r[1] - 1;
  // The parser's range ends after the `}` (or after trailing spaces inside a line): find the brace, not past the start.
  while (close > start && fileText[close] !== '}') close--;
  if (fileText[start] !== '{' || fileText[close] !== '}') return undefined;
  let at = close;
  while (at > start + 1 && (fileText[at - 1] === ' ' || fileText[at - 1] === '\t')) at--;
  // A comment or a line break before the brace: not a place for an inline insert.
  if (fileText[at - 1] === '\n' || fileText.slice(start, close).includes('#')) return undefined;
  const sep = fileText[at - 1] === ',' ? ' ' : node.items.length === 0 ? '' : ', ';
  return { offset: at, length: 0, newText: `${sep}${key}: ${yamlScalar(value)}` };
}

export function renameKeyEdit(doc: ParsedDoc, path: SpecPath, newKey: string): TextEditAt | undefined {
  const l = locate(doc, path);
  if (!l.exact || !l.key) return undefined;
  return { offset: l.key.offset, length: l.key.length, newText: newKey };
}
