// Hostile documents: inputs that once made a check backtrack for seconds or throw. These tests
// assert no time; on the old code they would not finish (or would throw), which fails the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBlank, parseSpecFile } from '../../../core/spec/parse';
import { cursorAt } from '../../../core/spec/cursor';
import { readFileSync } from 'node:fs';
import { quote } from '../../../core/validate/problem';
import { at, check, repo } from '../helpers';

const CLUSTER = 'apiVersion: gantry/v1\nkind: Cluster\nmetadata: { name: a }\nspec: { nodes: 1, gpusPerNode: 8, gpu: H100-80GB }\n';

test('5,000 blank lines between documents are read in one pass', () => {
  const text = `${CLUSTER}---${'\n'.repeat(5000)}apiVersion: gantry/v1\nkind: Cluster\nmetadata: { name: b }\n`;
  const docs = parseSpecFile(text);
  assert.equal(docs.length, 2);
  assert.equal(docs[1].empty, false);
  assert.ok(check(text).docs.length === 2);
});

test('a document of only comments and blank lines is empty', () => {
  assert.equal(isBlank(`---\n${'  \n# c\n'.repeat(5000)}...  \n`), true);
  assert.equal(isBlank('---\n\n\n   # x\nkey: 1\n'), false);
  assert.equal(isBlank('--- # note\n\n'), true);
  assert.equal(isBlank(''), true);
  assert.equal(isBlank('a...'), false);
});

test('an unknown kind followed by a long run of spaces is located in one pass', () => {
  // (60,000 spaces: one document stays under parse.ts MAX_DOC_BYTES, past which it is not parsed.)
  const text = `apiVersion: gantry/v1\nkind: Clustr${' '.repeat(60_000)}x\n`;
  const { problems } = check(text);
  assert.ok(problems.some((p) => p.code === 'schema-enum'));
});

test('the cursor on a line of long runs of spaces is found in one pass', () => {
  const line = `a${' '.repeat(30_000)}b`;
  const text = `apiVersion: gantry/v1\nkind: Cluster\n${line}\nspec:\n  gpu: x${' '.repeat(30_000)}y\n`;
  cursorAt(text, parseSpecFile(text), text.indexOf('b'));
  cursorAt(text, parseSpecFile(text), text.length - 2);
});

const JOB_HEAD = 'apiVersion: gantry/v1\nkind: Cluster\nmetadata: { name: x }\n';

test('an alias cycle in a sequence gets one diagnostic on the alias, and the other checks still run', () => {
  const text = `${JOB_HEAD}spec:\n  a: &a [*a]\n  nodes: -1\n`;
  const { problems } = check(text);
  const cycle = problems.find((p) => p.code === 'yaml-alias-cycle');
  assert.ok(cycle, JSON.stringify(problems));
  assert.equal(at(text, cycle), '*a');
  assert.ok(
    problems.some((p) => p.code.startsWith('schema-')),
    'schema checks still run',
  );
});

test('an alias cycle in a mapping gets a diagnostic on the alias', () => {
  const text = `${JOB_HEAD}spec: &s\n  nodes: 1\n  gpusPerNode: 8\n  gpu: H100-80GB\n  self: *s\n`;
  const { problems } = check(text);
  const cycle = problems.find((p) => p.code === 'yaml-alias-cycle');
  assert.ok(cycle, JSON.stringify(problems));
  assert.equal(at(text, cycle), '*s');
});

test('an alias to an anchor of another document is unknown, not an alias bomb', () => {
  const text = `x: &a 1\n---\n${JOB_HEAD.replace('{ name: x }', '{ name: *a }')}`;
  const problems = check(text).problems.filter((p) => p.docIndex === 1);
  assert.deepEqual(
    problems.map((p) => p.code),
    ['yaml-unknown-alias'],
  );
  assert.equal(at(text, problems[0]), '*a');
  assert.match(problems[0].message, /---/);
});

test('shared (acyclic) aliases are still expanded', () => {
  const text = `${JOB_HEAD}spec:\n  nodes: &n 1\n  gpusPerNode: *n\n  gpu: H100-80GB\n`;
  const docs = parseSpecFile(text);
  assert.deepEqual(docs[0].problems, []);
  assert.equal((docs[0].value as { spec: { gpusPerNode: number } }).spec.gpusPerNode, 1);
});

test('a 1 MB value is quoted in at most ~40 characters in every message', () => {
  const huge = 'X'.repeat(1024 * 1024);
  const cluster = readFileSync(repo('examples/cluster.gantry.yaml'), 'utf8');
  const texts = [
    cluster.replace(/model: \S+/, `model: ${huge}`),
    cluster.replace(/^kind: Cluster$/m, `kind: ${huge}`),
    cluster.replace(/^spec:$/m, `spec:\n  ${huge}: 1`),
    readFileSync(repo('examples/llama3-8b-pretrain.gantry.yaml'), 'utf8').replace(/cluster: \S+/, `cluster: ${huge}`),
    readFileSync(repo('examples/llama3-8b-pretrain.gantry.yaml'), 'utf8').replace(/preset: \S+/, `preset: ${huge}`),
    readFileSync(repo('examples/llama3-8b-pretrain.gantry.yaml'), 'utf8').replace(/preset: \S+/, `config: ${huge}`),
  ];
  for (const text of texts) {
    const { problems } = check(text, { readFile: () => undefined });
    assert.ok(problems.length > 0);
    for (const p of problems) {
      assert.ok(p.message.length < 400, `${p.code}: ${p.message.length} characters`);
      for (const f of p.fixes ?? []) assert.ok(f.title.length < 200, f.title.slice(0, 80));
    }
  }
});

test('quote keeps 40 characters and escapes line breaks', () => {
  assert.equal(quote('abc'), "'abc'");
  assert.equal(quote('a'.repeat(41)), `'${'a'.repeat(40)}…'`);
  assert.equal(quote('a\nb'), "'a\\nb'");
  // C1 controls, line/paragraph separators and bidi overrides/isolates cannot reorder or break a message.
  assert.equal(quote('a\u0085b\u2028c\u202ed\u2066e'), "'a?b?c?d?e'");
  assert.equal(quote('ünïcödé → ok'), "'ünïcödé → ok'");
  const cyc: unknown[] = [];
  cyc.push(cyc);
  assert.equal(quote(cyc), "'[…]'");
});

test("the yaml package's messages are cut short when they quote a huge source text", () => {
  const text = `apiVersion: gantry/v1\nkind: Cluster\nmetadata: { name: !${'t'.repeat(1024 * 1024)} x }\n`;
  const { problems } = check(text);
  assert.ok(problems.length > 0);
  for (const p of problems) assert.ok(p.message.length < 400, `${p.code}: ${p.message.length} characters`);
});
