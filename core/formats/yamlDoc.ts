// A YAML config (axolotl's, accelerate's) as the training readers see it: values by key path with
// their places, and the edits that rewrite a value or add a key, in YAML. Parsed by the `yaml`
// package with the options Gantry's own reader uses (core/spec/reparse.ts YAML_OPTIONS).
import { isMap, isScalar, isSeq, type Document, type Node as YamlNode } from 'yaml';
import { duplicateKeys, parseYamlSteps, type Span } from '../spec/parse';
import { YAML_OPTIONS } from '../spec/reparse';
import type { TextEditAt } from '../validate/problem';
import type { SourceEntry } from './types';

export interface YamlDoc {
  text: string;
  doc?: Document.Parsed;
  error?: { offset: number; length: number; message: string };
  /** With `lastKeyWins`: each later occurrence of a key written twice in one mapping, at its key (the first 20). */
  duplicates?: { key: string; span: Span }[];
}

export interface YamlReadOptions {
  /**
   * Read a key written twice in one mapping as PyYAML's `yaml.safe_load` does (axolotl loads its
   * config so): the last value is kept, silently, and `duplicates` says where. Otherwise a key
   * written twice is an error, as in a Gantry spec.
   */
  lastKeyWins?: boolean;
}

/**
 * Duplicate keys are found in one pass (core/spec/parse.ts duplicateKeys), not by the parser's
 * `uniqueKeys`, which compares each key with every earlier one of its mapping: a 64 KB config of
 * 6,000 keys took over a second, in one step of the language server.
 */
export function parseYaml(text: string, opts: YamlReadOptions = {}): YamlDoc {
  const steps = parseYamlDocSteps(text, opts);
  for (let r = steps.next(); ; r = steps.next()) if (r.done) return r.value;
}

/** `parseYaml` in steps (parseYamlSteps), for a reader's `readSteps`. */
export function* parseYamlDocSteps(text: string, opts: YamlReadOptions = {}): Generator<void, YamlDoc> {
  let doc: Document.Parsed;
  try {
    doc = yield* parseYamlSteps(text, { ...YAML_OPTIONS, uniqueKeys: false, strict: false });
  } catch (e) {
    // The parser recurses once per level of nesting: some thousands exhaust the stack (not the user's syntax error as such).
    const message = e instanceof RangeError ? 'nested too deeply to read (lists or mappings some thousands of levels deep)' : ((e as Error).message?.slice(0, 200) ?? 'not valid YAML');
    return { text, error: { offset: 0, length: 1, message } };
  }
  const err = doc.errors[0];
  if (err) return { text, error: { offset: Math.min(err.pos[0], text.length), length: Math.max(1, err.pos[1] - err.pos[0]), message: err.message.split('\n')[0].slice(0, 200) } };
  if (!opts.lastKeyWins) {
    const dup = duplicateKeys(doc)[0];
    if (dup !== undefined) return { text, error: { offset: Math.min(dup, text.length), length: 1, message: 'Map keys must be unique' } };
  }
  if (!isMap(doc.contents)) return { text, error: { offset: 0, length: 1, message: 'not a mapping of keys' } };
  if (!opts.lastKeyWins) return { text, doc };
  const duplicates = keepLastKeys(doc);
  return { text, doc, ...(duplicates.length ? { duplicates } : {}) };
}

/**
 * Drops, in every mapping, each pair whose key is written again later in it, so that lookups
 * (`getIn`, which takes the first) find the last value, as PyYAML's constructor keeps it; returns
 * the later occurrences. One pass per mapping with a map of last places, not a comparison of every
 * pair of keys (a long config of thousands of keys stays linear).
 */
function keepLastKeys(doc: Document.Parsed, max = 20): { key: string; span: Span }[] {
  const out: { key: string; span: Span }[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const node = stack.pop();
    if (isMap(node)) {
      const last = new Map<unknown, number>();
      node.items.forEach((pair, i) => {
        if (isScalar(pair.key)) last.set(pair.key.value, i);
      });
      if (last.size < node.items.length) {
        const seen = new Set<unknown>();
        const kept = node.items.filter((pair, i) => {
          if (!isScalar(pair.key)) return true;
          const k = pair.key.value;
          if (seen.has(k) && out.length < max) out.push({ key: String(k), span: { offset: pair.key.range?.[0] ?? 0, length: Math.max(1, (pair.key.range?.[1] ?? 1) - (pair.key.range?.[0] ?? 0)) } });
          seen.add(k);
          return last.get(k) === i;
        });
        node.items = kept;
      }
      for (const pair of node.items) stack.push(pair.value);
    } else if (isSeq(node)) for (const item of node.items) stack.push(item);
  }
  return out.sort((a, b) => a.span.offset - b.span.offset);
}

export interface YamlValue {
  value: unknown;
  /** The value's characters (inside its quotes for a quoted string). */
  span: Span;
  /** The whole value, quotes included: what a rewrite replaces. */
  token: Span;
  node: YamlNode;
  label: string;
}

export function yamlAt(y: YamlDoc, path: string[]): YamlValue | undefined {
  if (!y.doc) return undefined;
  const node = y.doc.getIn(path, true) as YamlNode | undefined;
  if (!node || typeof node !== 'object' || !node.range) return undefined;
  const [start, end] = node.range;
  const token = { offset: start, length: end - start };
  const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
  const span = quoted ? { offset: start + 1, length: Math.max(0, end - start - 2) } : token;
  return { value: isScalar(node) ? node.value : node.toJSON(), span, token, node, label: path.join('.') };
}

/** The key of a top-level or nested entry, for problems about the key itself. */
export function yamlKeySpan(y: YamlDoc, path: string[]): Span | undefined {
  if (!y.doc) return undefined;
  const parent = path.length > 1 ? y.doc.getIn(path.slice(0, -1), true) : y.doc.contents;
  if (!isMap(parent)) return undefined;
  for (const pair of parent.items) {
    const k = pair.key as YamlNode | null;
    if (isScalar(k) && k.value === path[path.length - 1] && k.range) return { offset: k.range[0], length: k.range[1] - k.range[0] };
  }
  return undefined;
}

const PLAIN_OK = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
const YAML_WORDS = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'null', 'y', 'n', '~']);

/** A value in YAML syntax (a plain word where that reads back as the same string, else double-quoted). */
export function yamlLiteral(value: unknown): string | undefined {
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'string') return PLAIN_OK.test(value) && !YAML_WORDS.has(value.toLowerCase()) ? value : JSON.stringify(value);
  return undefined;
}

export function yamlEntry(v: YamlValue, convert: (value: unknown) => unknown = (x) => x): SourceEntry {
  return {
    span: v.span,
    label: v.label,
    write(value) {
      if (!isScalar(v.node)) return undefined;
      const lit = yamlLiteral(convert(value));
      return lit === undefined ? undefined : { offset: v.token.offset, length: v.token.length, newText: lit };
    },
  };
}

/**
 * The edit that adds lines of YAML (`key: value` or a block) at the top level, at the end of the file.
 * `lines` are written without indentation.
 */
export function yamlAppend(y: YamlDoc, lines: string[]): TextEditAt | undefined {
  if (!y.doc || y.error) return undefined;
  const t = y.text;
  // Before a trailing `...` or `---`? Configs of these tools are one document; append at the end.
  const sep = t.length === 0 || t.endsWith('\n') ? '' : '\n';
  return { offset: t.length, length: 0, newText: `${sep}${lines.join('\n')}\n` };
}

/** The edit that adds `key: value` inside the block mapping at `parent` (top-level block appended when it is not there). */
export function yamlInsertIn(y: YamlDoc, parent: string, key: string, value: unknown): TextEditAt | undefined {
  const lit = yamlLiteral(value);
  if (lit === undefined || !y.doc) return undefined;
  const map = y.doc.get(parent, true);
  if (map === undefined || map === null) return yamlAppend(y, [`${parent}:`, `  ${key}: ${lit}`]);
  if (!isMap(map) || map.flow || !map.items.length) return undefined;
  const first = map.items[0].key as YamlNode;
  const last = map.items[map.items.length - 1];
  const lastEnd = ((last.value as YamlNode | null)?.range ?? (last.key as YamlNode).range)?.[1];
  if (!first.range || lastEnd === undefined) return undefined;
  const lineStart = y.text.lastIndexOf('\n', first.range[0] - 1) + 1;
  const indent = y.text.slice(lineStart, first.range[0]);
  if (indent.trim() !== '') return undefined;
  const at = lineEndOf(y.text, lastEnd);
  return { offset: at, length: 0, newText: `\n${indent}${key}: ${lit}` };
}

export function lineEndOf(text: string, at: number): number {
  // `at` may already sit after the line break (the yaml package's ranges include it for block scalars).
  const from = at > 0 && text[at - 1] === '\n' ? at - 1 : at;
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

export function isYamlSeq(n: YamlNode): boolean {
  return isSeq(n);
}

const DIGITS = '0123456789';
const HEX = '0123456789abcdefABCDEF';

/**
 * A plain scalar as PyYAML resolves an int (YAML 1.1: `[-+]?(0b[01_]+ | 0[0-7_]+ | 0 | [1-9][0-9_]* |
 * 0x[0-9a-fA-F_]+ | [1-9][0-9_]*(:[0-5]?[0-9])+)`) where the `yaml` package (YAML 1.2) reads it
 * otherwise — `500_000` is 500000, `017` is 15, `1:30` is 90; axolotl and accelerate load their files
 * with PyYAML. Anything else (a quoted string, a float, a word) is the value as parsed. A scan, no regex.
 */
export function pyYamlInt(y: YamlDoc, v: YamlValue): unknown {
  if (!isScalar(v.node) || v.node.type !== 'PLAIN' || v.token.length === 0 || v.token.length > 40) return v.value;
  const raw = y.text.slice(v.token.offset, v.token.offset + v.token.length);
  const sign = raw[0] === '-' ? -1 : 1;
  const s = raw[0] === '-' || raw[0] === '+' ? raw.slice(1) : raw;
  const only = (t: string, allowed: string) => t.length > 0 && [...t].every((c) => c === '_' || allowed.includes(c)) && [...t].some((c) => c !== '_');
  const digits = (t: string) => t.split('_').join('');
  let n: number | undefined;
  if (s.startsWith('0b')) n = only(s.slice(2), '01') ? parseInt(digits(s.slice(2)), 2) : undefined;
  else if (s.startsWith('0x')) n = only(s.slice(2), HEX) ? parseInt(digits(s.slice(2)), 16) : undefined;
  else if (s === '0') n = 0;
  else if (s[0] === '0') n = only(s.slice(1), '01234567') ? parseInt(digits(s.slice(1)) || '0', 8) : undefined;
  else if (s.length && s[0] !== '_' && DIGITS.includes(s[0])) {
    const parts = s.split(':');
    if (!only(parts[0], DIGITS)) n = undefined;
    else if (parts.length === 1) n = parseInt(digits(s), 10);
    else if (parts.slice(1).every((p) => (p.length === 1 && DIGITS.includes(p)) || (p.length === 2 && '012345'.includes(p[0]) && DIGITS.includes(p[1])))) n = parts.reduce((acc, p) => acc * 60 + parseInt(digits(p), 10), 0);
  }
  return n !== undefined && Number.isSafeInteger(n) ? sign * n : v.value;
}
