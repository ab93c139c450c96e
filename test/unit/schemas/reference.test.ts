// docs/spec-reference.md is generated from the schemas; this fails when someone changes a schema
// without regenerating it (fix: node scripts/gen-spec-reference.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, loadSchemas } from './helpers';

test('docs/spec-reference.md is in sync with the schemas', () => {
  const r = spawnSync(process.execPath, ['scripts/gen-spec-reference.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr || r.stdout);
});

test('the reference lists every field of every kind', () => {
  const doc = readFileSync(join(ROOT, 'docs/spec-reference.md'), 'utf8');
  const schemas = loadSchemas();
  for (const [file, def] of [
    ['cluster.schema.json', 'clusterSpec'],
    ['trainingjob.schema.json', 'trainingJobSpec'],
    ['inferenceservice.schema.json', 'inferenceServiceSpec'],
  ]) {
    for (const key of Object.keys(schemas.get(file)!.definitions[def].properties)) assert.ok(doc.includes(`| \`spec.${key}\` |`), `${file}: spec.${key}`);
  }
});
