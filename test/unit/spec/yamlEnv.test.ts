// The bundles give the `yaml` package a `process` with an empty env of its own (scripts/esbuild-plugins.mjs
// yamlEnv): its parser would otherwise read process.env, a call into the C++ environment, once per token.
// This test is bundled the same way, so parsing here must not read process.env at all.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseSpecFile } from '../../../core/spec/parse';

test("parsing a spec never reads process.env (yaml's per-token debugging switches are off in the bundles)", () => {
  const real = process.env;
  const read: string[] = [];
  process.env = new Proxy(real, {
    get(target, key) {
      if (typeof key === 'string') read.push(key);
      return Reflect.get(target, key);
    },
  });
  try {
    const docs = parseSpecFile('apiVersion: gantry/v1\nkind: TrainingJob\nmetadata: { name: a }\nspec:\n  model: { preset: llama-3.1-8b }\n---\nkind: Cluster\n');
    assert.equal(docs.length, 2);
  } finally {
    process.env = real;
  }
  assert.deepEqual(read, []);
});
