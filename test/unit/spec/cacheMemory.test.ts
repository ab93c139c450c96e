import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { DocumentCache } from '../../../core/spec/parse';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

test('DocumentCache: documents kept across edits do not keep old copies of the whole file alive', () => {
  // 20 documents of ~50 KB (a 1 MB file); each is edited once, at a different version of the file.
  const docs = Array.from({ length: 20 }, (_, i) => `apiVersion: gantry/v1\nkind: Cluster\nmetadata: { name: c${i} }\n# ${'x'.repeat(50_000)}\nspec: { nodes: { count: 1 } }\n`);
  const cache = new DocumentCache();
  const file = () => docs.join('---\n');
  cache.parse(file());
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < docs.length; i++) {
    docs[i] = docs[i].replace('count: 1', 'count: 2');
    const parsed = cache.parse(file());
    assert.equal((parsed[i].value as { spec: { nodes: { count: number } } }).spec.nodes.count, 2);
  }
  gc();
  const grown = (process.memoryUsage().heapUsed - before) / 1048576;
  // Without a copy, each edited document's text is a view into that version's 1 MB file: ~20 MB.
  assert.ok(grown < 8, `heap grew by ${grown.toFixed(1)} MB`);
});
