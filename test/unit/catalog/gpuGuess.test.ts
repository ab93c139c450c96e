// A loose GPU name matching several cards is a stated guess (issue 15 item 6).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { gpuGuess } from '../../../core/catalog/gpus';
import { at, check } from '../helpers';

test('A100 assumes the SXM 80GB card and names the 40GB ones', () => {
  const g = gpuGuess('A100');
  assert.ok(g);
  assert.equal(g.assumed.id, 'A100-SXM-80GB');
  assert.ok(g.alternatives.some((x) => x.id === 'A100-SXM-40GB'));
  assert.deepEqual(
    gpuGuess('H100 SXM')?.alternatives.map((x) => x.id),
    ['H100-SXM-96GB'],
  );
  assert.equal(gpuGuess('A100-SXM-80GB'), undefined);
  assert.equal(gpuGuess('l40s'), undefined);
});

test("the guess is a warning on the Cluster's gpu.model", () => {
  const text = 'apiVersion: gantry/v1\nkind: Cluster\nmetadata: { name: c }\nspec:\n  nodes: { count: 1, gpu: { model: A100, count: 8 } }\n';
  const p = check(text).problems.find((x) => x.code === 'gpu-guessed');
  assert.ok(p);
  assert.equal(p.severity, 'warning');
  assert.equal(at(text, p), 'A100');
  assert.match(p.message, /assumes A100-SXM-80GB \(.*GiB\)\. Also possible: .*A100-SXM-40GB/);
});
