// Comparing two runs of a spec: the configurations key by key (pure), the spec document kept beside
// a run at submission and read back (the plan when there is none), and which runs are of one spec.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { diffConfig, flattenDoc, keepSpecSnapshot, planConfig, runConfig, runsOfSameSpec } from '../../../core/runs/compare';
import { newStore, nodePlan } from './helpers';

test('flatten: dotted paths to leaves, list indices, empty containers as leaves', () => {
  assert.deepEqual(
    [...flattenDoc({ spec: { resources: { gpus: 8 }, args: ['a', 'b'], env: {}, tags: [] }, kind: 'TrainingJob' })],
    [
      ['spec.resources.gpus', 8],
      ['spec.args[0]', 'a'],
      ['spec.args[1]', 'b'],
      ['spec.env', {}],
      ['spec.tags', []],
      ['kind', 'TrainingJob'],
    ],
  );
});

test('diff: same, changed, only in A, only in B; changes first; strings quoted, numbers as written, long values cut', () => {
  const a = { kind: 'TrainingJob', spec: { parallelism: { tensor: 8 }, batch: { micro: 1 }, note: 'x'.repeat(500) } };
  const b = { kind: 'TrainingJob', spec: { parallelism: { tensor: 4 }, batch: { micro: 1, accumulate: 2 } } };
  const rows = diffConfig(a, b, { changedFirst: true });
  assert.deepEqual(
    rows.map((r) => [r.path, r.change, r.a, r.b]),
    [
      ['spec.parallelism.tensor', 'changed', '8', '4'],
      ['spec.note', 'removed', rows[1].a, undefined],
      ['spec.batch.accumulate', 'added', undefined, '2'],
      ['kind', 'same', "'TrainingJob'", "'TrainingJob'"],
      ['spec.batch.micro', 'same', '1', '1'],
    ],
  );
  assert.ok((rows[1].a ?? '').length < 250, 'a long value is cut');
  assert.deepEqual(
    diffConfig(a, a).filter((r) => r.change !== 'same'),
    [],
  );
  assert.equal(diffConfig({ x: [1, 2] }, { x: [1] }).find((r) => r.path === 'x[1]')?.change, 'removed');
});

test('a run keeps its spec document at submission; without one, its plan is compared', () => {
  const store = newStore();
  const text = 'kind: Cluster\nmetadata: {name: c}\n---\nkind: TrainingJob\nmetadata:\n  name: test-run\nspec:\n  parallelism: {tensor: 8}\n';
  const a = store.create(nodePlan('', { docIndex: 1, specFile: '/w/train.gantry.yaml' }));
  assert.equal(keepSpecSnapshot(store, a, text), true);
  assert.deepEqual(runConfig(store, a), { doc: { kind: 'TrainingJob', metadata: { name: 'test-run' }, spec: { parallelism: { tensor: 8 } } }, from: 'spec' });
  const b = store.create(nodePlan('', { docIndex: 1, specFile: '/w/train.gantry.yaml', gpusPerNode: 4 }));
  assert.equal(keepSpecSnapshot(store, b, 'kind: [unclosed'), false, 'a document with YAML errors is not kept');
  const cb = runConfig(store, b);
  assert.equal(cb.from, 'plan');
  assert.deepEqual(cb.doc, planConfig(store.get(b.id)!));
  assert.equal((cb.doc as { gpusPerNode: number }).gpusPerNode, 4);
  const other = store.create(nodePlan('', { name: 'other', specFile: '/w/train.gantry.yaml' }));
  const runs = [a, b, other].map((r) => store.get(r.id)!);
  assert.deepEqual(
    runsOfSameSpec(runs, runs[0]).map((r) => r.id),
    [b.id],
  );
});
