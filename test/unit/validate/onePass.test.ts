// All problems in one pass: a schema mistake holds back only the rules that read the field it is
// about, so an unknown cluster or a parallelism error is known before a typo elsewhere is fixed.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { check } from '../helpers';

const validateText = (text: string) => check(text).problems;

test('all problems in one pass: a misspelt key does not hide the unknown cluster or the parallelism error', () => {
  const text = [
    'apiVersion: gantry/v1',
    'kind: TrainingJob',
    'metadata: { name: j }',
    'spec:',
    '  cluster: nope',
    '  resources: { nodes: 1, gpusPerNode: 8 }',
    '  model: { preset: llama-3-8b }',
    '  parallelism: { tensor: 2, pipeline: 1, data: 2 }',
    '  batch: { micro: 2, global: 512, sequenceLength: 8192 }',
    '  commnd: [python, train.py]',
    '',
  ].join('\n');
  const codes = validateText(text)
    .map((p) => p.code)
    .sort();
  assert.deepEqual(codes, ['parallelism-product', 'schema-unknown-field', 'unknown-cluster']);
  // A near miss of a field the rules read holds back only those rules: `pipline: 2` is not taken as pipeline 1.
  const near = validateText(text.replace('commnd: [python, train.py]', 'command: [python]').replace('pipeline: 1', 'pipline: 2'));
  assert.ok(!near.some((p) => p.code === 'parallelism-product'), JSON.stringify(near.map((p) => p.code)));
});
