// One huge YAML document (issue 14): duplicate keys are found in one pass (the parser's own test was
// quadratic in the keys of a mapping), and a document past MAX_DOC_BYTES is not parsed at all but
// gets one `document-too-large` notice, in the core check the server and `gantry check` share.
// Nothing here is timed; on the old code the 3,000-key mapping alone took seconds.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { MAX_DOC_BYTES, parseChunk, parseSpecFile } from '../../../core/spec/parse';
import { checkFile } from '../../../core/check/checkFile';
import { MAX_SCHEMA_PROBLEMS } from '../../../core/validate/schema';

const HEAD = 'apiVersion: gantry/v1\nkind: Cluster\nmetadata: { name: c }\n';

test('duplicate keys: the same problems at the same places as the parser with uniqueKeys', () => {
  const inputs = ['a: 1\nb: 2\na: 3\n', 'a: 1\nb:\n  x: 1\n  x: 2\n', '{ a: 1, a: 2 }\n', '- { k: 1, k: 2 }\n- k: 1\n  j: 2\n  k: 3\n', '1: a\n"1": b\n1: c\n', ': 1\n: 2\n', 'a: &x 1\nb: *x\na: 2\n', '.nan: 1\n.nan: 2\n', '- [a: 1, a: 2]\n'];
  for (const text of inputs) {
    const theirs = parseDocument(text, { uniqueKeys: true, strict: true, prettyErrors: false })
      .errors.filter((e) => e.code === 'DUPLICATE_KEY')
      .map((e) => e.pos[0]);
    const ours = parseChunk(text, 0, 0)
      .problems.filter((p) => p.message.startsWith('This key appears twice'))
      .map((p) => p.offset);
    // Ours keeps the first of each message (tidy), as it did with the parser's errors.
    assert.deepEqual(ours, theirs.slice(0, 1), JSON.stringify(text));
  }
});

test('a 3,000-key mapping with one repeated key: one problem, on the repeat', () => {
  const keys = Array.from({ length: 3000 }, (_, i) => `  key${i}: ${i}`);
  keys.push('  key17: again');
  const text = `${HEAD}spec:\n${keys.join('\n')}\n`;
  assert.ok(text.length < MAX_DOC_BYTES);
  const [doc] = parseSpecFile(text);
  const dup = doc.problems.filter((p) => p.code === 'yaml-syntax');
  assert.equal(dup.length, 1);
  assert.equal(dup[0].offset, text.lastIndexOf('key17:'));
});

test('one document past the limit (a flow sequence of 200,000 items) is not parsed: one notice, the other documents checked', () => {
  const huge = `${HEAD}spec: [${Array.from({ length: 200000 }, (_, i) => i).join(', ')}]\n`;
  const text = `${huge}---\napiVersion: gantry/v1\nkind: Cluster\nmetadata: { name: Bad_Name }\nspec: {}\n`;
  const docs = parseSpecFile(text);
  assert.equal(docs.length, 2);
  assert.equal(docs[0].value, undefined);
  assert.deepEqual(
    docs[0].problems.map((p) => p.code),
    ['document-too-large'],
  );
  assert.match(docs[0].problems[0].message, /too large for full checks: 1\.\d MB \(limit 64 KB/);
  const c = checkFile(text, { fileName: 'big.gantry.yaml' });
  const first = c.problems.filter((p) => p.docIndex === 0 || p.offset < docs[1].start);
  assert.deepEqual(
    first.map((p) => p.code),
    ['document-too-large'],
    'nothing else is said about the huge document',
  );
  assert.ok(
    c.problems.some((p) => p.offset >= docs[1].start && p.severity === 'error'),
    'the next document is still checked',
  );
});

test('a Cluster with 10,000 keys is past the limit too', () => {
  const text = `${HEAD}spec:\n${Array.from({ length: 10000 }, (_, i) => `  unknownKey${i}: ${i}`).join('\n')}\n`;
  assert.deepEqual(
    parseSpecFile(text)[0].problems.map((p) => p.code),
    ['document-too-large'],
  );
});

// Thousands of schema problems in one document: the first MAX_SCHEMA_PROBLEMS described, the rest
// counted in one notice, and the rules not run. Comparing every error with every type error made
// 1,700 list items with three mistakes each take 0.7 s in one step of the editor's check.
test('a document of thousands of schema problems: the first 200 described, one notice for the rest, no rules', () => {
  const head = 'apiVersion: gantry/v1\nkind: InferenceService\nmetadata:\n  name: s\nspec:\n  cluster: nowhere\n  engine: vllm\n  model:\n    preset: llama-3-8b\n  lora:\n    adapters:\n';
  const items = Array.from({ length: 1500 }, (_, i) => `      - {name: 1, path: [], x${i}: 1}`);
  const text = `${head}${items.join('\n')}\n`;
  assert.ok(text.length < MAX_DOC_BYTES);
  const c = checkFile(text, { fileName: 'file:///w/s.gantry.yaml', clusters: { get: () => undefined, all: () => [], names: () => [] }, readFile: () => undefined });
  assert.equal(c.problems.length, MAX_SCHEMA_PROBLEMS + 1, c.problems.map((p) => p.code).join(' '));
  const notice = c.problems.filter((p) => p.code === 'schema-problems-limited');
  assert.equal(notice.length, 1);
  // 1,500 items × 3 mistakes, 200 described: the notice counts the other 4,300 and sits on the first of them.
  assert.match(notice[0].message, /^4300 more schema problems in this document/);
  // Three problems an item: the 201st is in the 67th item.
  assert.ok(notice[0].offset > text.indexOf('x65:') && notice[0].offset < text.indexOf('x67:'), String(notice[0].offset));
  assert.ok(!c.problems.some((p) => p.code === 'unknown-cluster'), 'the rules wait');
  // Missing fields count too: 1,500 items of one unknown key each lack both required fields.
  const bare = `${head}${Array.from({ length: 1500 }, (_, i) => `      - {x${i}: 1}`).join('\n')}\n`;
  const b = checkFile(bare, { fileName: 'file:///w/s.gantry.yaml', clusters: { get: () => undefined, all: () => [], names: () => [] }, readFile: () => undefined });
  assert.equal(b.problems.length, MAX_SCHEMA_PROBLEMS + 1);
  assert.match(b.problems.find((p) => p.code === 'schema-problems-limited')?.message ?? '', /^2800 more schema problems/);
  // Under the limit, nothing is counted and the rules run.
  const few = `${head}${items.slice(0, 10).join('\n')}\n`;
  const f = checkFile(few, { fileName: 'file:///w/s.gantry.yaml', clusters: { get: () => undefined, all: () => [], names: () => [] }, readFile: () => undefined });
  assert.equal(f.problems.filter((p) => p.code.startsWith('schema')).length, 30);
  assert.ok(!f.problems.some((p) => p.code === 'schema-problems-limited'));
});
