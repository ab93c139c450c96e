// A TOML file as the training readers see it: every key by its dotted path (`training.seq_len`) with
// its value and place, and the edits that rewrite a value or add a key in the right table, in TOML
// syntax. Parsed by toml-eslint-parser (ranges on every node; TOML 1.0); a syntax error is one
// offset and message, never a throw.
import { parseForESLint } from 'toml-eslint-parser';
import type { Span } from '../spec/parse';
import type { TextEditAt } from '../validate/problem';
import type { SourceEntry } from './types';

export interface TomlValue {
  value: unknown;
  /** The value's characters (inside its quotes for a one-line string). */
  span: Span;
  /** The whole value token, quotes included: what a rewrite replaces. */
  token: Span;
  /** `[training] seq_len`, for people. */
  label: string;
}

export interface TomlDoc {
  text: string;
  values: Map<string, TomlValue>;
  /** Standard tables by dotted name: where a new key of that table goes (the end of its last line). */
  tableEnds: Map<string, number>;
  /** Where each table header is written. */
  tableSpans: Map<string, Span>;
  error?: { offset: number; message: string };
}

// Structural type of the parser's nodes (its own .d.mts imports eslint's types, which Gantry does not install).
interface Node {
  type: string;
  range: [number, number];
  kind?: string;
  value?: unknown;
  multiline?: boolean;
  elements?: Node[];
  body?: Node[];
  key?: { keys: { name?: string; value?: string }[] };
  resolvedKey?: (string | number)[];
}

export function parseToml(text: string): TomlDoc {
  const doc: TomlDoc = { text, values: new Map(), tableEnds: new Map(), tableSpans: new Map() };
  let top: Node;
  try {
    top = (parseForESLint(text) as unknown as { ast: { body: Node[] } }).ast.body[0];
  } catch (e) {
    const err = e as { index?: unknown; message?: unknown };
    // The parser recurses once per level of nested arrays and inline tables: some thousands exhaust the stack.
    const message = e instanceof RangeError ? TOO_DEEP : typeof err.message === 'string' ? err.message : 'not valid TOML';
    doc.error = { offset: typeof err.index === 'number' ? Math.min(Math.max(0, err.index), text.length) : 0, message };
    return doc;
  }
  doc.tableEnds.set('', 0);
  try {
    readBody(doc, top, text);
  } catch (e) {
    if (!(e instanceof TooDeep)) throw e;
    return { text, values: new Map(), tableEnds: new Map(), tableSpans: new Map(), error: { offset: e.offset, message: TOO_DEEP } };
  }
  return doc;
}

const TOO_DEEP = 'nested too deeply to read (arrays or inline tables some thousands of levels deep)';
/** Levels of nested arrays and inline tables read; a training setting is a scalar or a short list. */
const MAX_TOML_DEPTH = 64;

class TooDeep {
  constructor(readonly offset: number) {}
}

function readBody(doc: TomlDoc, top: Node, text: string): void {
  for (const item of top.body ?? []) {
    if (item.type === 'TOMLTable') {
      if (item.kind !== 'standard') continue; // [[array tables]]: no training setting lives there
      const name = (item.resolvedKey ?? []).join('.');
      doc.tableSpans.set(name, { offset: item.range[0], length: Math.min(item.range[1], lineEnd(text, item.range[0])) - item.range[0] });
      doc.tableEnds.set(name, lineEnd(text, item.range[1] - 1));
      for (const kv of item.body ?? []) addPair(doc, name, kv);
    } else if (item.type === 'TOMLKeyValue') {
      addPair(doc, '', item);
      doc.tableEnds.set('', lineEnd(text, item.range[1] - 1));
    }
  }
}

function addPair(doc: TomlDoc, table: string, kv: Node, depth = 0): void {
  if (depth > MAX_TOML_DEPTH) throw new TooDeep(kv.range[0]);
  const path = (kv.key?.keys ?? []).map((k) => k.name ?? k.value ?? '');
  const full = [table, ...path].filter((x) => x !== '').join('.');
  const v = kv.value as unknown as Node;
  if (!v) return;
  if (v.type === 'TOMLInlineTable') {
    for (const inner of v.body ?? []) addPair(doc, full, inner, depth + 1);
    return;
  }
  const label = table ? `[${table}] ${path.join('.')}` : path.join('.');
  const token = { offset: v.range[0], length: v.range[1] - v.range[0] };
  const quoted = v.type === 'TOMLValue' && v.kind === 'string' && !v.multiline;
  const span = quoted ? { offset: token.offset + 1, length: Math.max(0, token.length - 2) } : token;
  doc.values.set(full, { value: plain(v), span, token, label });
}

function plain(v: Node, depth = 0): unknown {
  if (depth > MAX_TOML_DEPTH) throw new TooDeep(v.range[0]);
  if (v.type === 'TOMLArray') return (v.elements ?? []).map((x) => plain(x, depth + 1));
  if (v.type === 'TOMLValue') return v.kind === 'integer' || v.kind === 'float' || v.kind === 'string' || v.kind === 'boolean' ? v.value : String(v.value);
  return undefined;
}

function lineEnd(text: string, at: number): number {
  const nl = text.indexOf('\n', Math.max(0, at));
  return nl < 0 ? text.length : nl;
}

/** A value in TOML syntax: `true`, `4`, `"full"`; undefined for what TOML cannot say here. */
export function tomlLiteral(value: unknown): string | undefined {
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'string') return JSON.stringify(value); // a TOML basic string: the same escapes as JSON for these
  if (Array.isArray(value) && value.every((x) => typeof x === 'string' || typeof x === 'number')) return `[${value.map((x) => tomlLiteral(x)).join(', ')}]`;
  return undefined;
}

/** The source entry of a TOML value; `convert` turns a Gantry value into the file's (undefined: cannot). */
export function tomlEntry(v: TomlValue, convert: (value: unknown) => unknown = (x) => x): SourceEntry {
  return {
    span: v.span,
    label: v.label,
    write(value) {
      const lit = tomlLiteral(convert(value));
      return lit === undefined ? undefined : { offset: v.token.offset, length: v.token.length, newText: lit };
    },
  };
}

/** The edit that adds `key = value` to `table` (creating the table at the end of the file when it is not there). */
export function tomlInsert(doc: TomlDoc, table: string, key: string, value: unknown): TextEditAt | undefined {
  const lit = tomlLiteral(value);
  if (lit === undefined || doc.error) return undefined;
  const end = doc.tableEnds.get(table);
  if (end !== undefined && (table !== '' || doc.values.size > 0)) return { offset: end, length: 0, newText: `\n${key} = ${lit}` };
  if (table === '') return { offset: 0, length: 0, newText: `${key} = ${lit}\n` };
  const sep = doc.text.length === 0 || doc.text.endsWith('\n\n') ? '' : doc.text.endsWith('\n') ? '\n' : '\n\n';
  return { offset: doc.text.length, length: 0, newText: `${sep}[${table}]\n${key} = ${lit}\n` };
}
