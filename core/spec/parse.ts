// YAML text → documents with offsets. A file is split at its document markers first, and each YAML
// document is parsed on its own and cached by its text, so an edit inside a 200-document file
// re-parses only the document that changed. Every offset the core returns is absolute in the file.
import { parseDocument, isMap, isSeq, isScalar, isPair, type Document, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';

export type SpecPath = readonly (string | number)[];

export interface Span {
  offset: number;
  length: number;
}

export interface YamlProblem {
  code: string;
  message: string;
  offset: number;
  length: number;
  severity: 'error' | 'warning';
}

/** One YAML document of a file. `value` is the plain JS value, or undefined when it could not be built. */
export interface ParsedDoc {
  /** Absolute offset of the document's first character in the file. */
  start: number;
  end: number;
  text: string;
  index: number;
  yaml: Document.Parsed;
  value: unknown;
  problems: YamlProblem[];
  /** True when the document holds nothing but comments and blank lines. */
  empty: boolean;
}

export interface DocChunk {
  start: number;
  end: number;
}

const MARKER = /^(---|\.\.\.)(?=[ \t]|\r?$)/;

/** Splits a file at its `---` document markers. `...` ends a document; the text after it up to the next `---` belongs to nobody. */
export function splitDocuments(text: string): DocChunk[] {
  const chunks: DocChunk[] = [];
  let start = 0;
  let pos = 0;
  const n = text.length;
  while (pos <= n) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = n;
    const c = text.charCodeAt(pos);
    if ((c === 45 /* - */ || c === 46) /* . */ && MARKER.test(text.slice(pos, Math.min(eol, pos + 5)))) {
      if (c === 45) {
        if (pos > start) chunks.push({ start, end: pos });
        start = pos;
      } else {
        chunks.push({ start, end: eol });
        start = eol + 1;
      }
    }
    pos = eol + 1;
  }
  if (start < n || chunks.length === 0) chunks.push({ start, end: n });
  return chunks;
}

/** Builds JS values with a bound on aliases, so an alias bomb costs a diagnostic, not the heap. */
const TO_JS = { maxAliasCount: 50 } as const;

const FRIENDLY: Record<string, string> = {
  DUPLICATE_KEY: 'This key appears twice in the same mapping; YAML keeps only one of them.',
  TAB_AS_INDENT: 'YAML does not allow tabs for indentation; use spaces.',
  BAD_INDENT: 'The indentation here does not line up with the keys around it.',
  MULTILINE_IMPLICIT_KEY: 'A key must fit on one line; is a colon or a quote missing on the line above?',
  MISSING_CHAR: 'Something is missing here (a closing quote or bracket?).',
  UNEXPECTED_TOKEN: 'Unexpected text here.',
  BLOCK_AS_IMPLICIT_KEY: 'A nested block cannot be used as a key; is the indentation off?',
  BAD_SCALAR_START: 'A plain value cannot start with this character; quote the value.',
  ALIAS_PROPS: 'An alias cannot have a tag or an anchor.',
  BAD_ALIAS: 'This alias refers to an anchor that is not defined above it.',
};

function yamlProblem(e: { code: string; message: string; pos: [number, number] }, base: number, severity: 'error' | 'warning'): YamlProblem {
  const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  if (/call stack/i.test(first)) return { code: 'yaml-too-deep', message: 'This document is nested too deeply to check.', offset: base + e.pos[0], length: 1, severity };
  const friendly = FRIENDLY[e.code];
  const message = friendly ? `${friendly} (${first})` : first;
  const [a, b] = e.pos;
  return { code: 'yaml-syntax', message, offset: base + a, length: Math.max(1, b - a), severity };
}

/** One syntax mistake tends to be reported at every level it unwinds: keep the first of each message, at most 20. */
function tidy(problems: YamlProblem[]): void {
  const deep = problems.find((p) => p.code === 'yaml-too-deep');
  const seen = new Set<string>();
  const kept = deep ? [deep] : problems.filter((p) => !seen.has(p.message) && (seen.add(p.message), true)).slice(0, 20);
  problems.splice(0, problems.length, ...kept);
}

function isBlank(text: string): boolean {
  return /^(?:\s*(?:#[^\n]*)?(?:\n|$))*$/.test(text.replace(/^---[^\n]*/, '').replace(/\.\.\.\s*$/, ''));
}

/** Parses one YAML document whose text starts at `start` in the file. */
export function parseChunk(text: string, start: number, index: number): ParsedDoc {
  const problems: YamlProblem[] = [];
  let yaml: Document.Parsed;
  try {
    yaml = parseDocument(text, { uniqueKeys: true, prettyErrors: false, strict: true, stringKeys: false });
  } catch (err) {
    // The parser recurses on nesting; absurd nesting ends here rather than in a crash.
    yaml = parseDocument('');
    problems.push({ code: 'yaml-too-deep', message: `This document cannot be read: ${describeError(err)}`, offset: start, length: Math.min(text.length, 3) || 1, severity: 'error' });
  }
  for (const e of yaml.errors) {
    const p = yamlProblem(e, start, 'error');
    // One nesting problem is enough; the parser reports it once per level it unwinds.
    if (p.code === 'yaml-too-deep' && problems.some((q) => q.code === p.code)) continue;
    problems.push(p);
  }
  for (const w of yaml.warnings) problems.push(yamlProblem(w, start, 'warning'));
  tidy(problems);
  let value: unknown;
  if (!problems.some((p) => p.severity === 'error')) {
    try {
      value = yaml.toJS(TO_JS);
    } catch (err) {
      const msg = describeError(err);
      const bomb = /alias/i.test(msg);
      problems.push({
        code: bomb ? 'yaml-alias-limit' : 'yaml-too-deep',
        message: bomb ? 'Too many alias expansions in this document (possible alias bomb); Gantry does not expand it.' : `This document cannot be read: ${msg}`,
        offset: start,
        length: Math.min(text.length, 3) || 1,
        severity: 'error',
      });
    }
  }
  return { start, end: start + text.length, text, index, yaml, value, problems, empty: isBlank(text) };
}

function describeError(err: unknown): string {
  if (err instanceof RangeError) return 'it is nested too deeply';
  return err instanceof Error ? err.message : String(err);
}

/**
 * A per-file cache of parsed documents keyed by their text. `parse` returns documents whose start
 * offsets are those of the new text; unchanged documents are reused (shifted if needed).
 */
export class DocumentCache {
  private byText = new Map<string, ParsedDoc>();

  parse(text: string): ParsedDoc[] {
    const next = new Map<string, ParsedDoc>();
    const docs = splitDocuments(text).map((c, index) => {
      const chunk = text.slice(c.start, c.end);
      let doc = this.byText.get(chunk) ?? next.get(chunk);
      if (!doc) doc = parseChunk(chunk, c.start, index);
      else if (doc.start !== c.start || doc.index !== index) doc = shift(doc, c.start, index);
      next.set(chunk, doc);
      return doc;
    });
    this.byText = next;
    return docs;
  }
}

function shift(doc: ParsedDoc, start: number, index: number): ParsedDoc {
  const delta = start - doc.start;
  return { ...doc, start, end: doc.end + delta, index, problems: doc.problems.map((p) => ({ ...p, offset: p.offset + delta })) };
}

export function parseSpecFile(text: string): ParsedDoc[] {
  return splitDocuments(text).map((c, i) => parseChunk(text.slice(c.start, c.end), c.start, i));
}

// ---------------------------------------------------------------- locating paths

export interface Located {
  /** The key's span, when the path ends at a mapping entry. */
  key?: Span;
  /** The value's span (or the key's when the value is empty). */
  value: Span;
  node?: YamlNode;
}

function spanOf(node: YamlNode | null | undefined, base: number): Span | undefined {
  const r = node?.range;
  if (!r) return undefined;
  return { offset: base + r[0], length: Math.max(1, r[1] - r[0]) };
}

function findPair(map: YAMLMap, key: string | number): Pair | undefined {
  for (const item of map.items) {
    const k = isScalar(item.key) ? item.key.value : item.key;
    if (k === key || (typeof key === 'number' && k === String(key)) || String(k) === String(key)) return item as Pair;
  }
  return undefined;
}

/**
 * Finds where a path is written: the deepest existing node along the path, so a missing leaf is
 * reported on its parent. `exact` tells whether the whole path exists.
 */
export function locate(doc: ParsedDoc, path: SpecPath): Located & { exact: boolean } {
  const base = doc.start;
  let node: unknown = doc.yaml.contents;
  let located: Located = { value: spanOf(doc.yaml.contents as YamlNode, base) ?? { offset: base, length: 1 }, node: node as YamlNode };
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isMap(node)) {
      const pair = findPair(node, seg);
      if (!pair) return { ...located, exact: false };
      const key = spanOf(pair.key as YamlNode, base);
      const value = spanOf(pair.value as YamlNode, base) ?? key ?? located.value;
      located = { key, value, node: (pair.value ?? undefined) as YamlNode | undefined };
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      const item = node.items[seg] as YamlNode;
      located = { value: spanOf(item, base) ?? located.value, node: item };
      node = item;
    } else {
      return { ...located, exact: false };
    }
  }
  return { ...located, exact: true };
}

/** The span a person looks at for a path: the key for an object-valued entry, else the value. */
export function anchorOf(doc: ParsedDoc, path: SpecPath, prefer: 'key' | 'value' = 'value'): Span {
  const l = locate(doc, path);
  if (!l.exact) return l.key ?? l.value;
  if (prefer === 'key' || isMap(l.node) || isSeq(l.node)) return l.key ?? l.value;
  return l.value;
}

/** The first key of a document (where a problem about the whole document is shown). */
export function firstKey(doc: ParsedDoc): { offset: number; length: number } {
  const m = /^(?!#|---|%)([^\s:#][^:\n]*):/m.exec(doc.text);
  return m ? { offset: doc.start + m.index, length: m[1].length } : { offset: doc.start, length: 1 };
}

export { isMap, isSeq, isScalar, isPair };
