// docs/catalog.md is generated from the catalog; this fails when someone changes a GPU or a model
// without regenerating it (fix: node scripts/gen-catalog-doc.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../schemas/helpers';
import { renderCatalogDoc } from '../../../core/catalog/catalogDoc';
import { GPUS } from '../../../core/catalog/gpus';
import { MODELS } from '../../../core/catalog/models';

test('docs/catalog.md is in sync with core/catalog', () => {
  assert.equal(readFileSync(join(ROOT, 'docs/catalog.md'), 'utf8'), renderCatalogDoc(), 'run node scripts/gen-catalog-doc.mjs');
});

test('docs/catalog.md lists every GPU and every model preset with its source', () => {
  const doc = renderCatalogDoc();
  for (const g of GPUS) assert.ok(doc.includes(`| \`${g.id}\` |`), g.id);
  for (const m of MODELS) assert.ok(doc.includes(`| \`${m.id}\` |`), m.id);
  assert.ok(doc.includes('| `llama-3.1-70b` |') && doc.includes('meta-llama/Llama-3.1-70B'));
});
