// The broken-spec fixtures break what their names say: schema-* fail the schemas with the listed
// root cause, semantic-* pass the schemas (so they test one rule each), yaml-* fail to parse.
// expected.json and README.md list every fixture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, readJson, validateYaml } from './helpers';

const DIR = 'test/fixtures/specs';
const expected = readJson(`${DIR}/expected.json`) as Record<string, { expect: string; ajv?: { instancePath: string; keyword: string }; yamlError?: string; document?: number }>;
const files = readdirSync(join(ROOT, DIR)).filter((f) => f.endsWith('.yaml'));
const text = (f: string): string => readFileSync(join(ROOT, DIR, f), 'utf8');

test('expected.json and README.md cover exactly the fixture files', () => {
  assert.deepEqual(Object.keys(expected).sort(), files.sort());
  const readme = text('README.md');
  for (const f of files) assert.ok(readme.includes(`\`${f}\``), `README lists ${f}`);
});

test('file names say what kind of mistake they hold', () => {
  for (const [f, e] of Object.entries(expected)) {
    const prefix = f.split('-')[0];
    const allowed: Record<string, string[]> = { schema: ['schema'], semantic: ['semantic'], yaml: ['yaml', 'schema', 'none'], input: ['input', 'yaml'], foreign: ['foreign'], 'cluster.gantry.yaml': ['valid'] };
    assert.ok((allowed[prefix] ?? allowed[f] ?? []).includes(e.expect), `${f}: ${e.expect}`);
  }
});

test('schema-* fixtures fail the schemas with the listed root cause', () => {
  for (const [f, e] of Object.entries(expected)) {
    if (e.expect !== 'schema') continue;
    const docs = validateYaml(text(f));
    const doc = docs[e.document ?? 0];
    assert.deepEqual(doc.yamlErrors, [], f);
    assert.equal(doc.valid, false, f);
    assert.ok(
      doc.errors.some((x) => x.instancePath === e.ajv!.instancePath && x.keyword === e.ajv!.keyword),
      `${f}: ${JSON.stringify(doc.errors)}`,
    );
    docs.forEach((other, i) => i !== (e.document ?? 0) && assert.ok(other.valid, `${f}: document ${i} should be valid`));
  }
});

test('semantic-* fixtures and the fixture cluster pass the schemas', () => {
  for (const [f, e] of Object.entries(expected)) {
    if (e.expect !== 'semantic' && e.expect !== 'valid') continue;
    for (const doc of validateYaml(text(f))) assert.ok(doc.valid, `${f}: ${JSON.stringify(doc.errors)} ${doc.yamlErrors}`);
  }
});

test('yaml-* fixtures fail to parse as listed', () => {
  for (const [f, e] of Object.entries(expected)) {
    if (e.expect !== 'yaml' || !e.yamlError) continue;
    if (e.yamlError.startsWith('toJS:')) {
      assert.throws(() => validateYaml(text(f)), new RegExp(e.yamlError.slice('toJS: '.length)), f);
    } else {
      const docs = validateYaml(text(f));
      assert.ok(
        docs.some((d) => d.yamlErrors.includes(e.yamlError!)),
        `${f}: ${JSON.stringify(docs.map((d) => d.yamlErrors))}`,
      );
    }
  }
  assert.equal(validateYaml(text('yaml-empty.gantry.yaml')).length, 0);
});
