// Re-parsing after an edit: the scalar patch (core/spec/reparse.ts), the per-file DocumentCache and
// splitDocuments, each checked against a fresh full parse, on minimal inline YAML and on random
// edits of the example and fixture specs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { isAlias, isCollection, isDocument, isPair, isScalar, visit, type Document } from 'yaml';
import { DocumentCache, parseSpecFile, splitDocuments, type ParsedDoc } from '../../../core/spec/parse';
import { reparseScalarEdit } from '../../../core/spec/reparse';
import { validateFile } from '../../../core/validate/validate';
import { repo } from '../helpers';

// ---------------------------------------------------------------- helpers

/** Everything a node tree holds, as plain data: each node's own properties, its class and kind, recursively. */
function snapshot(node: unknown): unknown {
  if (isDocument(node)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === 'contents') out[k] = snapshot(v);
      else if (k === 'schema') out[k] = { name: node.schema.name, tags: node.schema.tags.length };
      else out[k] = k === 'directives' ? { ...(v as object) } : v;
    }
    return { ...out, text: stringify(node) };
  }
  if (isPair(node)) return { pair: true, key: snapshot(node.key), value: snapshot(node.value) };
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = { class: node.constructor.name, scalar: isScalar(node), alias: isAlias(node), collection: isCollection(node) };
  for (const [k, v] of Object.entries(node)) out[k] = k === 'items' ? (v as unknown[]).map(snapshot) : v;
  return out;
}

function stringify(doc: Document): string {
  try {
    return String(doc);
  } catch (err) {
    return `cannot be stringified: ${(err as Error).message}`;
  }
}

/** (range, type, value) of every node, in visiting order. */
function nodeList(doc: Document): unknown[] {
  const out: unknown[] = [];
  visit(doc, {
    Node: (_key, node) => void out.push([node.range, (node as { type?: string }).type, isScalar(node) ? node.value : isAlias(node) ? node.source : node.constructor.name]),
  });
  return out;
}

/** Asserts that `docs` are what a fresh full parse of `text` gives. */
function assertSameAsFullParse(docs: ParsedDoc[], text: string, context: string): void {
  const full = parseSpecFile(text);
  assert.equal(docs.length, full.length, `${context}: document count`);
  for (let i = 0; i < full.length; i++) {
    const [a, b] = [docs[i], full[i]];
    const where = `${context}: document ${i}`;
    assert.deepEqual([a.start, a.end, a.index, a.empty, a.text], [b.start, b.end, b.index, b.empty, b.text], where);
    assert.deepEqual(a.problems, b.problems, where);
    assert.deepEqual(a.value, b.value, where);
    assert.deepEqual(nodeList(a.yaml), nodeList(b.yaml), where);
    assert.deepEqual(snapshot(a.yaml), snapshot(b.yaml), where);
  }
}

/** Parses `before` then `after` with one cache; returns the second result and how it was obtained. */
function reparse(before: string, after: string): { first: ParsedDoc[]; docs: ParsedDoc[]; patched: number; parsed: number; reused: number } {
  const cache = new DocumentCache();
  const first = cache.parse(before);
  const s0 = { ...cache.stats };
  const docs = cache.parse(after);
  assertSameAsFullParse(docs, after, JSON.stringify(after));
  return { first, docs, patched: cache.stats.patched - s0.patched, parsed: cache.stats.parsed - s0.parsed, reused: cache.stats.reused - s0.reused };
}

const patches = (before: string, after: string) => reparse(before, after).patched === 1;

/** mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------- the scalar patch

test('reparse: typing in a plain value patches the document', () => {
  const before = 'apiVersion: gantry/v1\nkind: TrainingJob\nmetadata:\n  name: job # the name\nspec:\n  precision: bf16-mixed\n';
  const after = before.replace('name: job', 'name: jobs');
  const r = reparse(before, after);
  assert.equal(r.patched, 1);
  assert.deepEqual(r.docs[0].value, { apiVersion: 'gantry/v1', kind: 'TrainingJob', metadata: { name: 'jobs' }, spec: { precision: 'bf16-mixed' } });
  const name = r.docs[0].yaml.getIn(['metadata', 'name'], true) as { range: number[]; comment: string };
  assert.deepEqual([name.range, name.comment], [[after.indexOf('jobs'), after.indexOf('jobs') + 4, after.indexOf('spec:')], ' the name']);
  assert.deepEqual((r.docs[0].yaml.getIn(['spec', 'precision'], true) as { range: number[] }).range, [after.indexOf('bf16'), after.indexOf('bf16') + 10, after.length]);
});

test('reparse: the old document is left as it was and the new one is a new object', () => {
  const before = 'a: 1\nb: [x, y]\nc: end\n';
  const cache = new DocumentCache();
  const [old] = cache.parse(before);
  const was = snapshot(old.yaml);
  const [next] = cache.parse('a: 123\nb: [x, y]\nc: end\n');
  assert.equal(cache.stats.patched, 1);
  assert.notEqual(next.yaml, old.yaml);
  assert.notEqual(next.yaml.contents, old.yaml.contents);
  assert.deepEqual(snapshot(old.yaml), was);
  assert.deepEqual(old.value, { a: 1, b: ['x', 'y'], c: 'end' });
  assert.deepEqual(next.value, { a: 123, b: ['x', 'y'], c: 'end' });
});

test('reparse: a document ended by `...` keeps its end marker', () => {
  const r = reparse('a: 1\n...\n', 'a: 12\n...\n');
  assert.equal(r.patched, 1);
  assert.equal(String(r.docs[0].yaml), 'a: 12\n...\n');
});

test('reparse: numbers, booleans and nulls get their types', () => {
  const cases: [string, string, unknown][] = [
    ['x: 1\n', 'x: 1.5\n', 1.5],
    ['x: 1\n', 'x: 1e3\n', 1000],
    ['x: 1\n', 'x: 0x1F\n', 31],
    ['x: 1\n', 'x: -12\n', -12],
    ['x: 1\n', 'x: .inf\n', Infinity],
    ['x: tru\n', 'x: true\n', true],
    ['x: true\n', 'x: True\n', true],
    ['x: fals\n', 'x: false\n', false],
    ['x: nul\n', 'x: null\n', null],
    ['x: a\n', 'x: ~\n', null],
    ['x: 8\n', 'x: 8Gi\n', '8Gi'],
    ['x: 10\n', 'x: 1_0\n', '1_0'],
    ['x: yes\n', 'x: no\n', 'no'],
  ];
  for (const [before, after, want] of cases) {
    const r = reparse(before, after);
    assert.equal(r.patched, 1, after);
    assert.deepEqual(r.docs[0].value, { x: want }, after);
  }
  const hex = reparse('x: 1\n', 'x: 0x1F\n').docs[0].yaml.get('x', true) as { format?: string; source?: string };
  assert.deepEqual([hex.format, hex.source], ['HEX', '0x1F']);
  const float = reparse('x: 1\n', 'x: 1.50\n').docs[0].yaml.get('x', true) as { minFractionDigits?: number };
  assert.equal(float.minFractionDigits, 2);
});

test('reparse: quoted and plain scalars turn into each other between blanks', () => {
  assert.ok(patches('image: "abc"\n', 'image: abc\n'));
  assert.ok(patches('image: abc\n', "image: 'abc'\n"));
  assert.ok(patches('image: "a"\n', 'image: "a\\tb"\n'));
  const r = reparse("n: '1'\n", 'n: 1\n');
  assert.deepEqual([r.patched, r.docs[0].value], [1, { n: 1 }]);
  assert.ok(patches('"k": v\n', 'k: v\n'));
  // Next to a flow indicator the two end differently: parsed in full.
  assert.ok(!patches('{"k":v}\n', '{k:v}\n'));
  assert.ok(!patches('["a",b]\n', '[a,b]\n'));
});

test('reparse: editing a key patches the mapping, unless the key is now a duplicate', () => {
  const r = reparse('spec:\n  tensr: 2\n  data: 4\n', 'spec:\n  tensor: 2\n  data: 4\n');
  assert.equal(r.patched, 1);
  assert.deepEqual(r.docs[0].value, { spec: { tensor: 2, data: 4 } });
  const dup = reparse('spec:\n  dat: 2\n  data: 4\n', 'spec:\n  data: 2\n  data: 4\n');
  assert.equal(dup.patched, 0);
  assert.deepEqual(
    dup.docs[0].problems.map((p) => p.message.split(' (')[0]),
    ['This key appears twice in the same mapping; YAML keeps only one of them.'],
  );
  // 1 and "1" are different keys to YAML.
  assert.ok(patches('1: a\n"2": b\n', '1: a\n"1": b\n'));
  assert.ok(patches('{ a: 1, b: 2 }\n', '{ a: 1, bc: 2 }\n'));
  assert.ok(!patches('{ a: 1, b: 2 }\n', '{ a: 1, a: 2 }\n'));
});

test('reparse: text that would change the structure falls back to a full parse', () => {
  const base = 'spec:\n  precision: bf16\n  list: [a, b]\n  n: 1\n';
  for (const after of [
    base.replace('bf16', 'fp7: x'), // a nested mapping
    base.replace('bf16', 'fp7:'),
    base.replace('bf16', 'bf16 #x'), // a comment
    base.replace('bf16', 'bf16 '),
    base.replace('bf16', 'bf[16'), // flow indicators
    base.replace('bf16', 'bf,16'),
    base.replace('bf16', 'b{f}16'),
    base.replace('bf16', '- bf16'), // indicators at the start
    base.replace('bf16', '&a bf16'),
    base.replace('bf16', '*a'),
    base.replace('bf16', '!t bf16'),
    base.replace('bf16', '"bf16'), // an open quote
    base.replace('bf16', 'bf\n16'), // a new line
    base.replace('bf16', 'bf\t16'),
    base.replace('[a, b]', '[a:b, b]'), // a colon inside a flow collection
    base.replace('  n: 1', '  n:\t1'),
  ]) {
    const r = reparse(base, after);
    assert.equal(r.patched, 0, after);
  }
  // A quote left open by an escaped quote (the parser accepts `'a''` alone, at the end of its input).
  assert.ok(!patches("x: 'a'\n", "x: 'a''\n"));
  assert.ok(!patches("x: { a: 'b', c: d }\n", "x: { a: 'b'', c: d }\n"));
  assert.ok(!patches('x: "a"\n', 'x: "a\\"\n'));
  assert.ok(patches("x: 'a'\n", "x: 'a'''\n"));
});

test('reparse: tags, anchors, aliases, block and multi-line scalars, and documents with problems are parsed in full', () => {
  const cases: [string, string][] = [
    ['x: !!str 1\n', 'x: !!str 12\n'],
    ['x: &a 1\ny: *a\n', 'x: &a 12\ny: *a\n'],
    ['x: &a 1\ny: *a\n', 'x: &a 1\ny: *ab\n'],
    ['x: |\n  one\n', 'x: |\n  ones\n'],
    ['x: >-\n  one\n', 'x: >-\n  ones\n'],
    ['x: one\n  two\n', 'x: ones\n  two\n'],
    ['x: "one\n  two"\n', 'x: "ones\n  two"\n'],
    ['x: 1\nx: 2\n', 'x: 1\nx: 23\n'],
    ['x: [1\n', 'x: [12\n'],
    ['x: 1\n', 'x: \n'], // nothing left of the scalar
    ['x:\n', 'x: 1\n'], // an empty value
  ];
  for (const [before, after] of cases) assert.equal(reparse(before, after).patched, 0, after);
  // Anchored and aliased neighbours are fine: the alias still resolves in the new document.
  const r = reparse('a: &x [1, 2]\nb: *x\nc: one\n', 'a: &x [1, 2]\nb: *x\nc: ones\n');
  assert.equal(r.patched, 1);
  assert.deepEqual(r.docs[0].value, { a: [1, 2], b: [1, 2], c: 'ones' });
});

test('reparse: a key whose `:` would end up more than 1024 characters after its start is parsed in full', () => {
  const key = 'k'.repeat(990);
  assert.ok(patches(`${key}: 1\n`, `${key}x: 1\n`));
  assert.ok(!patches(`${key}: 1\n`, `${key}${'x'.repeat(40)}: 1\n`));
});

test('reparse: the validator sees the patched value (its cache is keyed by the YAML document)', () => {
  const before = 'apiVersion: gantry/v1\nkind: TrainingJob\nmetadata:\n  name: j\nspec:\n  precision: bf16-mixed\n';
  const after = before.replace('bf16-mixed', 'fp7');
  const cache = new DocumentCache();
  const first = validateFile(before, cache.parse(before), { fileName: 'x.gantry.yaml' }).filter((p) => p.code === 'schema-enum');
  const docs = cache.parse(after);
  assert.equal(cache.stats.patched, 1);
  const second = validateFile(after, docs, { fileName: 'x.gantry.yaml' }).filter((p) => p.code === 'schema-enum');
  assert.deepEqual([first.length, second.map((p) => after.slice(p.offset, p.offset + p.length))], [0, ['fp7']]);
});

test('reparseScalarEdit: no change, or a change outside every scalar, gives undefined', () => {
  const text = 'a: 1\nb: two\n';
  const [doc] = parseSpecFile(text);
  assert.equal(reparseScalarEdit(doc.yaml, text, text), undefined);
  assert.equal(reparseScalarEdit(doc.yaml, text, 'a:  1\nb: two\n'), undefined);
  assert.equal(reparseScalarEdit(doc.yaml, text, 'a: 1\n\nb: two\n'), undefined);
  assert.ok(reparseScalarEdit(doc.yaml, text, 'a: 1\nb: three\n'));
});

// ---------------------------------------------------------------- the cache over many documents

const JOB = (i: number) => `apiVersion: gantry/v1\nkind: TrainingJob\nmetadata:\n  name: job-${i}\nspec:\n  precision: bf16-mixed\n  batch: { micro: ${i} }\n`;
const many = (n: number) => Array.from({ length: n }, (_, i) => JOB(i)).join('---\n');

test('cache: documents around an edit are reused by position, before and after it', () => {
  const text = many(20);
  const edited = text.replace('name: job-7\n', 'name: job-7x\n');
  const r = reparse(text, edited);
  assert.deepEqual([r.reused, r.patched, r.parsed], [19, 1, 0]);
  assert.equal(r.docs.filter((d, i) => d.yaml === r.first[i].yaml).length, 19);
  assert.equal(r.docs[8].start, r.first[8].start + 1);
});

test('cache: adding, removing, moving and pasting documents reuses the unchanged ones', () => {
  const docs = Array.from({ length: 6 }, (_, i) => JOB(i));
  const text = docs.join('---\n');
  const inserted = [...docs.slice(0, 3), JOB(99), ...docs.slice(3)].join('---\n');
  let r = reparse(text, inserted);
  assert.deepEqual([r.reused, r.parsed], [6, 1]);
  assert.equal(r.docs[5].yaml, r.first[4].yaml);
  r = reparse(inserted, text);
  assert.deepEqual([r.reused, r.parsed], [6, 0]);
  const swapped = [docs[0], docs[1], docs[4], docs[3], docs[2], docs[5]].join('---\n');
  r = reparse(text, swapped);
  assert.deepEqual([r.reused, r.parsed, r.patched], [6, 0, 0]);
  assert.deepEqual([r.docs[2].yaml === r.first[4].yaml, r.docs[4].yaml === r.first[2].yaml], [true, true]);
  // The first document has no `---` of its own: moved away from there, its text changes.
  const moved = [docs[5], ...docs.slice(0, 5)].join('---\n');
  r = reparse(text, moved);
  assert.deepEqual([r.reused, r.parsed, r.patched], [4, 2, 0]);
  assert.equal(r.docs[2].yaml, r.first[1].yaml);
  const pasted = [...docs, docs[2]].join('---\n');
  r = reparse(text, pasted);
  assert.deepEqual([r.reused, r.parsed], [7, 0]);
  // Typing a marker splits a document in two.
  const split = text.replace('spec:\n  precision: bf16-mixed\n  batch: { micro: 2 }', '---\nspec:\n  precision: bf16-mixed\n  batch: { micro: 2 }');
  r = reparse(text, split);
  assert.equal(r.docs.length, 7);
});

// ---------------------------------------------------------------- splitDocuments

/** splitDocuments as it was written first, visiting every line: the reference for the faster one. */
function splitReference(text: string): { start: number; end: number }[] {
  const MARKER = /^(---|\.\.\.)(?=[ \t]|\r?$)/;
  const chunks: { start: number; end: number }[] = [];
  let start = 0;
  let pos = 0;
  const n = text.length;
  while (pos <= n) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = n;
    const c = text.charCodeAt(pos);
    if ((c === 45 || c === 46) && MARKER.test(text.slice(pos, Math.min(eol, pos + 5)))) {
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

test('splitDocuments: the same chunks as a line-by-line scan, on random texts made of marker-like pieces', () => {
  const seed = Number(process.env.REPARSE_SEED ?? 0x5eed);
  const rand = prng(seed);
  const pieces = ['---', '...', '--', '..', '-', '.', '\n', '\r', '\r\n', ' ', '\t', 'a', 'key: v', '# c', '----', '....', '--- x', '... #'];
  for (let k = 0; k < 4000; k++) {
    const len = Math.floor(rand() * 14);
    const text = Array.from({ length: len }, () => pieces[Math.floor(rand() * pieces.length)]).join('');
    assert.deepEqual(splitDocuments(text), splitReference(text), `seed ${seed}, text ${JSON.stringify(text)}`);
  }
  for (const text of ['', '---', '...', '---\n', '...\n', 'a\n---', 'a\n...\n---\nb', '---\r', '---\r\n', '...\r\nx', '--- \n...\t\n']) {
    assert.deepEqual(splitDocuments(text), splitReference(text), JSON.stringify(text));
  }
});

// ---------------------------------------------------------------- random edits against a full parse

/** YAML that exercises what the patch must leave alone or get right. */
const ODDITIES = `# leading comment
apiVersion: gantry/v1
kind: TrainingJob
metadata: { name: "flow-job", labels: { team: 'a b', n: 3 } }
spec:
  list: [a, "b", 'c', 1, 2.50, 0x1F, -3, .inf, null, true]
  anchors:
    base: &base { x: 1, y: two }
    copy: *base
    scalar: &s one
    again: *s
  tagged: !!str 42
  block: |
    line one
    line two
  folded: >-
    folded text
  "quoted key": value # trailing comment
  'single key': "double \\"escaped\\" value"
  empty:
  nulls: ~

  # a comment before a key
  seq:
    - one
    - two: 2
      three: 3
    - - nested
      - [x, y]
  long: the quick brown fox
  url: http://example.com:8080/path
  image: nvcr.io/nvidia/pytorch:24.05-py3
  multi: first
    continued
...
`;

/** More of it, in a stream of documents, one of them a bare scalar. */
const ODDITIES_STREAM = `--- # a comment on the marker
top level plain scalar
---
- [a: 1, b: 2]
- { k1: v1, "k2": v2, 'k3': v3, k4 }
- ? explicit key
  : explicit value
- key with spaces : value
- { "json":1, 'single':2 }
- plain with: colon
- 'it''s'
- "tab\\there \\u00e9"
- -1
- -.5
- 1_000
- 12:30
- &anc anchored
- *anc
- a: 1 # comment
  b: 2

  c: 3
...
text after the end
--- |
  a block document
---
"quoted document"
`;

function specFiles(): string[] {
  const dirs = ['examples', 'test/fixtures/specs'];
  const texts: string[] = [];
  for (const d of dirs) {
    for (const f of readdirSync(repo(d))
      .filter((n) => /\.ya?ml$/.test(n))
      .sort()) {
      const text = readFileSync(repo(d, f), 'utf8');
      if (text.includes('\u0000') || text.length > 100_000) continue;
      if (parseSpecFile(text).some((doc) => doc.problems.length)) continue;
      texts.push(text);
    }
  }
  return texts;
}

const ALPHABET = 'abcxyz019 .:-#,[]{}"\'\\!&*?|>%@_/';
const WORDS = ['1', '0', '-1', '1.5', '2.50', '0x1F', '0o17', '1e3', '.inf', '.nan', 'true', 'false', 'True', 'null', '~', 'yes', 'bf16-mixed', 'fp7', '"q"', "'s'", '"', "'", 'a: b', 'a:b', 'a #b', 'a#b', '- x', '[x]', '{a: 1}', '&a x', '*a', '!!str 1', '<<', '...', '---', ''];

interface Scalars {
  /** Absolute [start, end] of each single-line scalar's value text. */
  spans: [number, number][];
}

function scalarSpans(docs: ParsedDoc[]): Scalars {
  const spans: [number, number][] = [];
  for (const d of docs) {
    visit(d.yaml, {
      Scalar: (_k, node) => {
        if (node.range) spans.push([d.start + node.range[0], d.start + node.range[1]]);
      },
    });
  }
  return { spans };
}

function randomEdit(text: string, docs: ParsedDoc[], rand: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const chars = (n: number) => Array.from({ length: n }, () => pick([...ALPHABET])).join('');
  const { spans } = scalarSpans(docs);
  let at: number;
  let end: number;
  if (spans.length && rand() < 0.85) {
    // Inside a scalar's value (ends included).
    const [s, e] = pick(spans);
    at = s + Math.floor(rand() * (e - s + 1));
    end = rand() < 0.2 ? e : Math.min(e, at + Math.floor(rand() * 4));
  } else {
    at = Math.floor(rand() * (text.length + 1));
    end = Math.min(text.length, at + Math.floor(rand() * 3));
  }
  const r = rand();
  let insert: string;
  if (r < 0.35) insert = chars(1 + Math.floor(rand() * 3));
  else if (r < 0.55) insert = '';
  else if (r < 0.75) insert = pick(WORDS);
  else if (r < 0.85) insert = pick(['\n', '\n  ', '\n---\n', ' #', ': ', '\t']);
  else insert = chars(1);
  if (r >= 0.85) end = at; // a pure insertion
  return text.slice(0, at) + insert + text.slice(end);
}

function randomWalk(name: string, original: string, steps: number, seed: number): { steps: number; patched: number; parsed: number } {
  const rand = prng(seed);
  const cache = new DocumentCache();
  let text = original;
  let docs = cache.parse(text);
  const s0 = { ...cache.stats };
  for (let k = 0; k < steps; k++) {
    const hasProblems = docs.some((d) => d.problems.length);
    if ((hasProblems && rand() < 0.5) || rand() < 0.02) text = original;
    else text = randomEdit(text, docs, rand);
    const keep = k % 25 === 0 ? docs.map((d) => snapshot(d.yaml)) : undefined;
    const before = docs;
    try {
      docs = cache.parse(text);
      assertSameAsFullParse(docs, text, `${name}, step ${k}`);
      if (keep)
        assert.deepEqual(
          before.map((d) => snapshot(d.yaml)),
          keep,
          `${name}, step ${k}: the previous documents changed`,
        );
    } catch (err) {
      (err as Error).message = `seed ${seed} (REPARSE_SEED=${seed}), ${name}, step ${k}, text ${JSON.stringify(text)}: ${(err as Error).message}`;
      throw err;
    }
  }
  return { steps, patched: cache.stats.patched - s0.patched, parsed: cache.stats.parsed - s0.parsed };
}

test('random edits inside scalars: the cache gives what a full parse gives, and mostly without parsing', (t) => {
  // Edits that make a flow collection a key have yaml warn on the console; they are expected here.
  const emitWarning = process.emitWarning;
  process.emitWarning = ((w: string | Error, ...rest: never[]) => (/Keys with collection values/.test(String(w)) ? undefined : emitWarning.call(process, w, ...rest))) as typeof process.emitWarning;
  t.after(() => void (process.emitWarning = emitWarning));
  const seed = Number(process.env.REPARSE_SEED ?? 20260601);
  const files = specFiles();
  assert.ok(files.length >= 10, `only ${files.length} spec files`);
  const jobs = files.filter((t) => /kind: (TrainingJob|InferenceService)/.test(t)).slice(0, 3);
  const multi = [...jobs, ODDITIES.replace(/\.\.\.\n$/, ''), ...jobs].join('---\n') + '...\n# after the end\n';
  const total = { steps: 0, patched: 0, parsed: 0 };
  const add = (r: { steps: number; patched: number; parsed: number }) => {
    total.steps += r.steps;
    total.patched += r.patched;
    total.parsed += r.parsed;
  };
  for (const text of [ODDITIES, ODDITIES_STREAM])
    assert.deepEqual(
      parseSpecFile(text).flatMap((d) => d.problems),
      [],
    );
  // REPARSE_SCALE=10 makes every walk ten times longer (a soak run); REPARSE_SEED picks another walk.
  const scale = Number(process.env.REPARSE_SCALE ?? 1);
  files.forEach((text, i) => add(randomWalk(`file ${i}`, text, 100 * scale, seed + i)));
  add(randomWalk('oddities', ODDITIES, 700 * scale, seed + 1000));
  add(randomWalk('oddities, CRLF', ODDITIES.replace(/\n/g, '\r\n'), 300 * scale, seed + 1001));
  add(randomWalk('a stream of oddities', ODDITIES_STREAM, 500 * scale, seed + 1002));
  const m = randomWalk('multi-document', multi, 250 * scale, seed + 2000);
  add(m);
  // Most edits inside a scalar keep the document valid and take the fast path.
  assert.ok(total.patched > total.steps * 0.3, `patched ${total.patched} of ${total.steps} (parsed ${total.parsed}), seed ${seed}`);
  assert.ok(m.patched > m.steps * 0.3, `multi-document: patched ${m.patched} of ${m.steps}, seed ${seed}`);
});
