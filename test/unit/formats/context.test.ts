// What a user states about foreign files outside them (core/formats/context.ts): the nearest
// gantry.context.yaml over the settings; bad values give nothing, never a throw.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { contextCandidates, defaultsFromSettings, foreignDefaults } from '../../../core/formats/context';

test('the nearest context file wins over the settings, key by key', () => {
  const files: Record<string, string> = { '../gantry.context.yaml': 'gpu: L40S\ngpusPerNode: 4\n', '../../gantry.context.yaml': 'gpu: H100-SXM-80GB\n' };
  const d = foreignDefaults((rel) => files[rel], { gpu: 'A10', engineVersion: '0.8.5' });
  assert.deepEqual(d, { gpu: 'L40S', gpusPerNode: 4, engineVersion: '0.8.5' });
});

test('candidates go up a bounded number of folders', () => {
  const c = contextCandidates();
  assert.equal(c[0], 'gantry.context.yaml');
  assert.ok(c.length <= 5);
});

test('bad context files and settings give nothing for their bad values', () => {
  assert.deepEqual(
    foreignDefaults(() => 'gpu: [unclosed', { gpu: 'A10' }),
    { gpu: 'A10' },
  );
  assert.deepEqual(
    foreignDefaults(() => 'gpusPerNode: -3\ncluster: 7\n', {}),
    {},
  );
  assert.deepEqual(
    foreignDefaults(() => 'a: &a [*a]\n', {}),
    {},
  );
  assert.deepEqual(defaultsFromSettings({ gpu: '', gpusPerNode: 0, cluster: 'pod', engineVersion: 3 }), { cluster: 'pod' });
  assert.deepEqual(defaultsFromSettings(undefined), {});
});

test('a context file names the model a DeepSpeed or accelerate config trains; a non-string or absurdly long one gives nothing', () => {
  assert.deepEqual(
    foreignDefaults(() => 'gpu: H100-SXM-80GB\nmodel: meta-llama/Llama-3.1-8B\n'),
    { gpu: 'H100-SXM-80GB', model: 'meta-llama/Llama-3.1-8B' },
  );
  assert.deepEqual(
    foreignDefaults(() => `model: [a]\n`),
    {},
  );
  assert.deepEqual(
    foreignDefaults(() => `model: ${'x'.repeat(300)}\n`),
    {},
  );
});
