// SkyPilot `resources.accelerators` in its set form: `{L4:1, A10G:1}` is a YAML mapping whose keys are
// `L4:1` and `A10G:1` (no space after the colon) with null values, and SkyPilot reads each key as
// `NAME[:COUNT]`, the count 1 when left out (docs/source/compute/gpus.rst, "Set: ask SkyPilot to
// auto-choose"). The first choice is estimated, as in the list form.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyEdits, checkText, under } from './servingHelpers';

const task = (acc: string, args = '--tensor-parallel-size $SKYPILOT_NUM_GPUS_PER_NODE') => `resources:
  accelerators: ${acc}
run: |
  vllm serve meta-llama/Llama-3.1-8B-Instruct ${args}
`;

const clusterGpu = (c: ReturnType<typeof checkText>) => (c.foreign?.[0].cluster?.spec.nodes as { gpu?: { model?: string; count?: number } } | undefined)?.gpu;

test('SkyPilot set {L4:1, A10G:1}: the first key is read as NAME:COUNT, and $SKYPILOT_NUM_GPUS_PER_NODE is its count', () => {
  const text = task('{L4:2, A10G:2}');
  const c = checkText(text, 'sky.yaml');
  assert.ok(!c.problems.some((p) => p.code === 'unknown-gpu' || p.code === 'foreign-unresolved'), c.problems.map((p) => p.message).join('\n'));
  assert.equal(c.foreign?.[0].job.spec.tensorParallel, 2);
  assert.equal(clusterGpu(c)?.count, 2);
  assert.match(String(clusterGpu(c)?.model), /L4/);
  assert.ok(
    c.foreign?.[0].assumptions.some((a) => a.includes('the first (L4) is estimated')),
    c.foreign?.[0].assumptions.join('\n'),
  );
});

test('SkyPilot set {L4:1}: a fix of the count edits the digits inside the key', () => {
  const text = task('{L4:1, A10G:1}', '--tensor-parallel-size $SKYPILOT_NUM_GPUS_PER_NODE --max-model-len 131072');
  const c = checkText(text, 'sky.yaml');
  assert.equal(c.foreign?.[0].job.spec.tensorParallel, 1);
  const p = c.problems.find((x) => x.code === 'kv-cache-too-small');
  assert.ok(p, c.problems.map((x) => x.code).join());
  const tp = p.fixes?.find((f) => f.title.includes('--tensor-parallel-size'));
  assert.ok(tp, (p.fixes ?? []).map((f) => f.title).join(' | '));
  assert.ok(applyEdits(text, tp.edits).includes('accelerators: {L4:2, A10G:1}'), applyEdits(text, tp.edits));
});

test('SkyPilot set {L4, A10g} without counts: one GPU of the first', () => {
  const text = task('{L4, A10g}');
  const c = checkText(text, 'sky.yaml');
  assert.ok(!c.problems.some((p) => p.code === 'unknown-gpu' || p.code === 'foreign-unresolved'), c.problems.map((p) => p.message).join('\n'));
  assert.equal(c.foreign?.[0].job.spec.tensorParallel, 1);
  assert.equal(clusterGpu(c)?.count, 1);
});

test('SkyPilot {H100: 8} (a count as the value) and the string and list forms read as before', () => {
  for (const [acc, count] of [
    ['{H100: 8}', 8],
    ['H100:4', 4],
    ['[H100:2, A100:2]', 2],
    ['H100', 1],
  ] as const) {
    const c = checkText(task(acc), 'sky.yaml');
    assert.equal(c.foreign?.[0].job.spec.tensorParallel, count, acc);
    assert.equal(clusterGpu(c)?.count, count, acc);
    assert.ok(!c.problems.some((p) => p.code === 'unknown-gpu'), acc);
  }
});

test('SkyPilot set with an unknown GPU: the error is on the name inside the key, not the count', () => {
  const text = task('{Z9:1, L4:1}');
  const c = checkText(text, 'sky.yaml');
  const p = c.problems.find((x) => x.code === 'unknown-gpu');
  assert.ok(p, c.problems.map((x) => x.code).join());
  assert.equal(under(text, p), 'Z9');
});
