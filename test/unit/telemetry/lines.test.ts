import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LineSplitter } from '../../../core/text/lines';
import { valueAt } from '../../../core/spec/valueAt';

test('LineSplitter returns complete lines and keeps a partial one for the next chunk', () => {
  const s = new LineSplitter();
  assert.deepEqual(s.push('a,1\nb,'), ['a,1']);
  assert.deepEqual(s.push('2'), []);
  assert.deepEqual(s.push('\n\nc\n'), ['b,2', '', 'c']);
  assert.deepEqual(s.push(''), []);
});

test('valueAt walks objects and arrays, undefined where the path leaves the tree', () => {
  const v = { spec: { nodes: [{ gpu: 'H100' }], n: null } };
  assert.equal(valueAt(v, ['spec', 'nodes', 0, 'gpu']), 'H100');
  assert.equal(valueAt(v, ['spec', 'n', 'x']), undefined);
  assert.equal(valueAt(v, ['spec', 'missing', 'x']), undefined);
  assert.deepEqual(valueAt(v, []), v);
});
