// YAML text → documents with offsets. A file is split at its document markers first, and each YAML
// document is parsed on its own and cached, so an edit inside a 200-document file re-parses only the
// document that changed, and an edit inside one scalar of it not even that (reparse.ts). Every
// offset the core returns is absolute in the file.
import { Composer, Lexer, Parser, YAMLParseError, parseDocument, visit, isAlias, isMap, isSeq, isScalar, isPair, type Document, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import { reparseScalarEdit, YAML_OPTIONS } from './reparse';
import { quote, sizeText } from '../validate/problem';

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

/**
 * Splits a file at its `---` document markers. `...` ends a document; the text after it up to the next `---` belongs to nobody.
 * A marker is `---` or `...` at the start of a line, followed by a space, a tab or the end of the line.
 */
export function splitDocuments(text: string): DocChunk[] {
  const chunks: DocChunk[] = [];
  const n = text.length;
  let start = 0;
  // Jump from one `---` or `...` to the next (rare in YAML, unlike line starts) instead of visiting every line.
  let dash = nextMarker(text, 0, '---');
  let dot = nextMarker(text, 0, '...');
  while (dash >= 0 || dot >= 0) {
    const pos = dot < 0 || (dash >= 0 && dash < dot) ? dash : dot;
    if (pos === dash) {
      if (pos > start) chunks.push({ start, end: pos });
      start = pos;
      dash = nextMarker(text, pos + 3, '---');
    } else {
      let eol = text.indexOf('\n', pos);
      if (eol < 0) eol = n;
      chunks.push({ start, end: eol });
      start = eol + 1;
      dot = nextMarker(text, pos + 3, '...');
    }
  }
  if (start < n || chunks.length === 0) chunks.push({ start, end: n });
  return chunks;
}

/** Whether a `---` or `...` marker (`needle`) starts at `pos`, the start of a line: followed by a space, a tab or the line's end. */
function isMarker(text: string, pos: number, needle: string): boolean {
  if (pos > 0 && text.charCodeAt(pos - 1) !== 10) return false;
  if (!text.startsWith(needle, pos)) return false;
  const after = text.charCodeAt(pos + 3);
  if (pos + 3 >= text.length || after === 10 || after === 32 || after === 9) return true;
  return after === 13 && (pos + 4 >= text.length || text.charCodeAt(pos + 4) === 10);
}

/** The offset of the next marker (`needle` is '---' or '...') at or after `from`, or -1. */
function nextMarker(text: string, from: number, needle: string): number {
  for (let at = text.indexOf(needle, from); at >= 0; at = text.indexOf(needle, at + 1)) {
    if (isMarker(text, at, needle)) return at;
  }
  return -1;
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
  // The yaml package's messages may quote the source (a tag, a key): keep the first line, and at most 160 characters of it.
  const line = e.message.slice(0, e.message.indexOf('\n') >>> 0).replace(/ at line \d+, column \d+:?$/, '');
  const first = line.length > 160 ? `${line.slice(0, 160)}…` : line;
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

/**
 * Whether a document's text holds nothing but comments and blank lines (after its `---` line, before
 * a final `...`). A linear scan: the regex it replaces backtracked exponentially over blank lines.
 */
export function isBlank(text: string): boolean {
  const n = text.length;
  let i = 0;
  if (text.startsWith('---')) {
    i = text.indexOf('\n');
    if (i < 0) return true;
  }
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 35 /* # */) {
      const eol = text.indexOf('\n', i);
      if (eol < 0) return true;
      i = eol + 1;
    } else if (isSpace(c)) {
      i++;
    } else if (c === 46 /* . */ && text.startsWith('...', i)) {
      for (let j = i + 3; j < n; j++) if (!isSpace(text.charCodeAt(j))) return false;
      return true;
    } else {
      return false;
    }
  }
  return true;
}

/** The characters JavaScript's `\s` matches that can occur in YAML text. */
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029 || c === 0x3000 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f;
}

/**
 * The largest single YAML document that is parsed (64 KB, some 2,000 lines; a spec is 1 to 3 KB). The
 * parser cannot stop part-way through a document, so one larger document (a flow sequence of 200,000
 * items, a Cluster with 10,000 keys) would hold the language server for seconds; it gets one
 * `document-too-large` notice instead, in the editor and in `gantry check` alike.
 */
export const MAX_DOC_BYTES = 64 * 1024;

/**
 * The parser's options. Duplicate keys are found by `duplicateKeys` in one pass: the parser's own
 * `uniqueKeys` compares each key with every earlier key of its mapping, quadratic in the keys (a
 * 10,000-key mapping took 20 s), though it reports the same problem at the same place.
 */
const PARSE_OPTIONS = { ...YAML_OPTIONS, uniqueKeys: false } as const;

/** Parses one YAML document whose text starts at `start` in the file. */
export function parseChunk(text: string, start: number, index: number): ParsedDoc {
  const steps = parseChunkSteps(text, start, index);
  for (let r = steps.next(); ; r = steps.next()) if (r.done) return r.value;
}

/** Past this many characters a document is parsed in steps (some 1 ms each, interpreted). */
export const STEP_CHARS = 8 * 1024;
const LEXEMES_PER_STEP = 512;

/**
 * `parseChunk`, yielding now and then so that a caller can spread a large document over several
 * turns of the event loop (server/handlers/publish.ts). The lexer and the CST parser, most of a
 * parse, run in steps of LEXEMES_PER_STEP tokens; composing the document and the checks after it
 * yield between them. The result is the same as parseChunk's, which runs these steps in one go.
 */
export function* parseChunkSteps(text: string, start: number, index: number): Generator<void, ParsedDoc> {
  const problems: YamlProblem[] = [];
  if (text.length > MAX_DOC_BYTES) return tooLarge(text, start, index);
  let yaml: Document.Parsed;
  try {
    yaml = yield* parseYamlSteps(text, PARSE_OPTIONS);
  } catch (err) {
    // The parser recurses on nesting; absurd nesting ends here rather than in a crash.
    yaml = parseDocument('');
    problems.push({ code: 'yaml-too-deep', message: `This document cannot be read: ${describeError(err)}`, offset: start, length: Math.min(text.length, 3) || 1, severity: 'error' });
  }
  if (text.length > STEP_CHARS) yield;
  for (const e of yaml.errors) {
    const p = yamlProblem(e, start, 'error');
    // One nesting problem is enough; the parser reports it once per level it unwinds.
    if (p.code === 'yaml-too-deep' && problems.some((q) => q.code === p.code)) continue;
    problems.push(p);
  }
  for (const w of yaml.warnings) problems.push(yamlProblem(w, start, 'warning'));
  for (const at of duplicateKeys(yaml)) problems.push(yamlProblem({ code: 'DUPLICATE_KEY', message: 'Map keys must be unique', pos: [at, at + 1] }, start, 'error'));
  tidy(problems);
  if (text.length > STEP_CHARS) yield;
  const cycles = problems.some((p) => p.severity === 'error') ? false : checkAliases(yaml, text, start, problems);
  if (text.length > STEP_CHARS) yield;
  let value: unknown;
  if (!problems.some((p) => p.severity === 'error' && p.code !== 'yaml-alias-cycle')) {
    try {
      value = yaml.toJS(TO_JS);
      if (cycles) value = breakCycles(value);
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

type YamlParseOptions = Parameters<typeof parseDocument>[1];

/**
 * yaml's parseDocument(text, options), in steps past STEP_CHARS: the same Lexer, Parser and
 * Composer, and the same error for a second document, with a yield every LEXEMES_PER_STEP tokens of
 * the lexer (errors are never prettified: callers pass prettyErrors: false). Throws what
 * parseDocument throws. For Gantry's own documents (parseChunkSteps) and the
 * foreign readers that read YAML (a Kubernetes manifest: core/formats/kubernetes.ts).
 */
export function* parseYamlSteps(text: string, options: YamlParseOptions): Generator<void, Document.Parsed> {
  if (text.length <= STEP_CHARS) return parseDocument(text, options);
  return yield* parseDocumentSteps(text, options);
}

function* parseDocumentSteps(text: string, options: YamlParseOptions): Generator<void, Document.Parsed> {
  const parser = new Parser();
  const tokens: ReturnType<Parser['end']> extends Generator<infer T> ? T[] : never = [];
  let n = 0;
  for (const lexeme of new Lexer().lex(text, false)) {
    for (const t of parser.next(lexeme)) tokens.push(t);
    if (++n % LEXEMES_PER_STEP === 0) yield;
  }
  for (const t of parser.end()) tokens.push(t);
  yield;
  let doc: Document.Parsed | undefined;
  for (const d of new Composer(options).compose(tokens, true, text.length)) {
    if (!doc) doc = d;
    else {
      doc.errors.push(new YAMLParseError([d.range[0], d.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
      break;
    }
  }
  return doc ?? parseDocument('', options);
}

/** A document past MAX_DOC_BYTES: not parsed, one notice on its first character. */
function tooLarge(text: string, start: number, index: number): ParsedDoc {
  const size = sizeText(text.length);
  const problems: YamlProblem[] = [
    {
      code: 'document-too-large',
      message: `This YAML document is too large for full checks: ${size} (limit ${MAX_DOC_BYTES / 1024} KB for one document). Gantry does not read it; split it into smaller documents.`,
      offset: start,
      length: 1,
      severity: 'warning',
    },
  ];
  return { start, end: start + text.length, text, index, yaml: parseDocument(''), value: undefined, problems, empty: false };
}

/**
 * Where a key repeats an earlier scalar key of its mapping (the parser's `uniqueKeys` test: the same
 * node, or scalars of the same value), each at the repeated key's start: one walk, a set per mapping.
 */
export function duplicateKeys(yaml: Document.Parsed): number[] {
  const out: number[] = [];
  const stack: unknown[] = [yaml.contents];
  while (stack.length) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key)) {
          if (seen.has(key.value) && !Number.isNaN(key.value)) out.push(key.range?.[0] ?? 0);
          else seen.add(key.value);
        }
        stack.push(key, pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    } else if (isPair(node)) {
      stack.push(node.key, node.value);
    }
  }
  return out.sort((a, b) => a - b);
}

/**
 * Checks every alias against the anchors written before it in this document (anchors do not cross
 * `---`: each document is parsed on its own). An alias to no anchor is an error; an alias inside the
 * node its anchor names (`a: &a [*a]`) makes a cycle, reported on the alias. One walk, with the
 * anchors in a map: the yaml package's own `resolve` walks the document once per alias. Returns
 * whether a cycle was found.
 */
function checkAliases(yaml: Document.Parsed, text: string, base: number, problems: YamlProblem[]): boolean {
  if (!yaml.contents || !text.includes('*')) return false;
  const anchors = new Map<string, unknown>();
  let cycle = false;
  let reported = 0;
  visit(yaml, (_key, node, path) => {
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      const [a, b] = node.range ?? [0, 1];
      if (target === undefined) {
        if (reported++ < 20) problems.push({ code: 'yaml-unknown-alias', message: `Unknown alias ${quote('*' + node.source)}: no anchor ${quote('&' + node.source)} is written above it in this document (anchors do not reach across \`---\`).`, offset: base + a, length: Math.max(1, b - a), severity: 'error' });
      } else if (path.includes(target as never)) {
        cycle = true;
        if (reported++ < 20) problems.push({ code: 'yaml-alias-cycle', message: `The alias ${quote('*' + node.source)} is inside the node its anchor names, so its value would contain itself; Gantry reads it as null.`, offset: base + a, length: Math.max(1, b - a), severity: 'error' });
      }
    } else if ((isMap(node) || isSeq(node) || isScalar(node)) && node.anchor) {
      anchors.set(node.anchor, node);
    }
  });
  return cycle;
}

/** The same value with every reference back to an enclosing object replaced by null (a depth-first walk; shared, acyclic parts are visited once). */
function breakCycles(value: unknown): unknown {
  const open = new Set<object>();
  const done = new Set<object>();
  const walk = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (open.has(v)) return null;
    if (done.has(v)) return v;
    open.add(v);
    if (v instanceof Map) {
      for (const [k, x] of v) v.set(k, walk(x));
    } else {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) o[k] = walk(o[k]);
    }
    open.delete(v);
    done.add(v);
    return v;
  };
  return walk(value);
}

function describeError(err: unknown): string {
  if (err instanceof RangeError) return 'it is nested too deeply';
  return err instanceof Error ? err.message : String(err);
}

/**
 * Parses `text`, the new text of `prev` (a document with no problems), by patching `prev`'s YAML
 * when the edit stays inside one scalar (reparse.ts); undefined when it does not.
 */
export function patchChunk(prev: ParsedDoc, text: string, start: number, index: number): ParsedDoc | undefined {
  if (prev.problems.length) return undefined;
  const yaml = reparseScalarEdit(prev.yaml, prev.text, text);
  if (!yaml) return undefined;
  let value: unknown;
  try {
    value = yaml.toJS(TO_JS);
  } catch {
    return undefined; // parseChunk reports it
  }
  return { start, end: start + text.length, text, index, yaml, value, problems: [], empty: isBlank(text) };
}

/**
 * A per-file cache of parsed documents. `parse` returns documents whose start offsets are those of
 * the new text. A document whose text did not change is reused (shifted if needed): it is looked for
 * at the same index, then at the same index from the end (after a document was added or removed
 * before it), comparing equal-length strings. A changed document is patched from the previous one at
 * its index when the edit stays inside one scalar; failing that, it is looked for by its text among
 * all the previous documents (moved or pasted documents), and parsed again when not found.
 */
/**
 * A document's own copy of its text. V8 makes a long substring a view into its parent, so a document
 * kept across edits would keep alive the whole file as it was when that document last changed: up
 * to one old copy of the file per document. Concatenating forces a flat copy; slicing that one
 * keeps only the document's own characters.
 */
function detach(chunk: string, file: string): string {
  return chunk.length < file.length >> 1 ? (chunk + ' ').slice(0, -1) : chunk;
}

export class DocumentCache {
  private docs: ParsedDoc[] = [];
  /** How the documents returned so far were obtained (for tests and benchmarks). */
  readonly stats = { reused: 0, patched: 0, parsed: 0 };

  parse(text: string): ParsedDoc[] {
    const steps = this.parseSteps(text);
    for (let r = steps.next(); ; r = steps.next()) if (r.done) return r.value;
  }

  /**
   * `parse` one document at a time: the generator yields after each document that was parsed or
   * patched (not after reused ones), so a caller can spread a huge file over several turns of the
   * event loop. The cache changes only when the generator finishes; dropping it part-way leaves the
   * cache as it was.
   */
  *parseSteps(text: string): Generator<void, ParsedDoc[]> {
    const chunks = splitDocuments(text);
    const prev = this.docs;
    const n = chunks.length;
    const m = prev.length;
    const docs: ParsedDoc[] = new Array(n);
    let byText: Map<string, ParsedDoc> | undefined;
    for (let index = 0; index < n; index++) {
      const c = chunks[index];
      const len = c.end - c.start;
      const front = index < m ? prev[index] : undefined;
      const back = n !== m && index + m - n >= 0 ? prev[index + m - n] : undefined;
      let chunk: string | undefined;
      let doc: ParsedDoc | undefined;
      if (front && front.text.length === len && (chunk = text.slice(c.start, c.end)) === front.text) doc = front;
      else if (back && back.text.length === len && (chunk ??= text.slice(c.start, c.end)) === back.text) doc = back;
      else {
        chunk = detach(chunk ?? text.slice(c.start, c.end), text);
        const patched = front && patchChunk(front, chunk, c.start, index);
        if (patched) {
          this.stats.patched++;
          docs[index] = patched;
          yield;
          continue;
        }
        // Strings keep their hash once computed, so the map of the previous documents' texts is cheap to rebuild.
        if (!byText) {
          byText = new Map();
          for (const d of prev) byText.set(d.text, d);
        }
        doc = byText.get(chunk);
        if (!doc) {
          this.stats.parsed++;
          docs[index] = yield* parseChunkSteps(chunk, c.start, index);
          yield;
          continue;
        }
      }
      this.stats.reused++;
      docs[index] = doc.start !== c.start || doc.index !== index ? shift(doc, c.start, index) : doc;
    }
    this.docs = docs;
    return docs;
  }

  /**
   * Documents of this text parsed elsewhere (the first documents of a file, parsed for a first
   * publish before the rest: server/handlers/publish.ts), kept as the previous documents so the next
   * `parse` reuses them instead of parsing them again. Only for a cache that holds nothing yet.
   */
  seed(docs: ParsedDoc[]): void {
    if (!this.docs.length) this.docs = docs;
  }
}

/**
 * The first documents of a file, parsed one at a time (yielding after each), until they hold at
 * least `chars` characters of it (at least one document). Returns them, the offset where the last
 * of them ends (the rest of the file is not read) and the number of documents in the file.
 */
export function* parseHeadSteps(text: string, chars: number): Generator<void, { docs: ParsedDoc[]; end: number; total: number }> {
  const chunks = splitDocuments(text);
  const docs: ParsedDoc[] = [];
  let end = 0;
  for (let i = 0; i < chunks.length && (i === 0 || end < chars); i++) {
    const c = chunks[i];
    docs.push(yield* parseChunkSteps(detach(text.slice(c.start, c.end), text), c.start, i));
    end = c.end;
    yield;
  }
  return { docs, end, total: chunks.length };
}

function shift(doc: ParsedDoc, start: number, index: number): ParsedDoc {
  const delta = start - doc.start;
  const problems = doc.problems.length ? doc.problems.map((p) => ({ ...p, offset: p.offset + delta })) : doc.problems;
  // Spelled out rather than spread: a spread copy costs about 0.4 µs, for each of 200 documents after an edit.
  return { start, end: doc.end + delta, text: doc.text, index, yaml: doc.yaml, value: doc.value, problems, empty: doc.empty };
}

export function parseSpecFile(text: string): ParsedDoc[] {
  return splitDocuments(text).map((c, i) => parseChunk(text.slice(c.start, c.end), c.start, i));
}

/** `parseSpecFile` in steps (parseChunkSteps): the same documents, for a caller that spreads the work over several turns. */
export function* parseSpecFileSteps(text: string): Generator<void, ParsedDoc[]> {
  const docs: ParsedDoc[] = [];
  for (const [i, c] of splitDocuments(text).entries()) {
    docs.push(yield* parseChunkSteps(text.slice(c.start, c.end), c.start, i));
    yield;
  }
  return docs;
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
  const index = map.items.length > PAIR_INDEX_MIN ? pairIndex(map) : undefined;
  if (index) return index.get(String(key));
  for (const item of map.items) {
    const k = isScalar(item.key) ? item.key.value : item.key;
    if (k === key || (typeof key === 'number' && k === String(key)) || String(k) === String(key)) return item as Pair;
  }
  return undefined;
}

/**
 * A large mapping's first pair per key (as String(key)), built on the first lookup: locating each of
 * a mapping's N keys (one problem per unknown key) scanned the mapping each time, N^2 / 2 key
 * comparisons, seconds for a 60 KB mapping of 5,000 keys. Keyed by the items array, which a
 * re-parse (reparse.ts) copies rather than changes; undefined when a key is not a scalar (the scan
 * then decides, as before).
 */
const PAIR_INDEX_MIN = 32;
const pairIndexes = new WeakMap<unknown[], { length: number; byKey: Map<string, Pair> | undefined }>();
function pairIndex(map: YAMLMap): Map<string, Pair> | undefined {
  const hit = pairIndexes.get(map.items);
  if (hit && hit.length === map.items.length) return hit.byKey;
  let byKey: Map<string, Pair> | undefined = new Map();
  for (const item of map.items) {
    if (!isScalar(item.key)) {
      byKey = undefined;
      break;
    }
    const k = String(item.key.value);
    if (!byKey.has(k)) byKey.set(k, item as Pair);
  }
  pairIndexes.set(map.items, { length: map.items.length, byKey });
  return byKey;
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
