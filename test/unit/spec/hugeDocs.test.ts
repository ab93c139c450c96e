// One huge YAML document (issue 14): duplicate keys are found in one pass (the parser's own test was
// quadratic in the keys of a mapping), and a document past MAX_DOC_BYTES is not parsed at all but
// gets one `document-too-large` notice, in the core check the server and `gantry check` share.
// Nothing here is timed; on the old code the 3,000-key mapping alone took seconds.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { MAX_DOC_BYTES, parseChunk, parseSpecFile } from '../../../core/spec/parse';
import { checkFile } from '../../../core/check/checkFile';

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
