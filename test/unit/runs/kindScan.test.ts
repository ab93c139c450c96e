// The ▶ Run lens's cheap test for runnable specs: the same answers as the regular expression it
// replaced, and an input on which that expression (`^\s*kind:…` with the m flag) is quadratic.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mayHoldRunnable } from '../../../core/runs/kindScan';

test('kindScan: finds a runnable kind, quoted or not, indented, after other documents', () => {
  assert.ok(mayHoldRunnable('apiVersion: gantry/v1\nkind: TrainingJob\n'));
  assert.ok(mayHoldRunnable('kind: "InferenceService"\n'));
  assert.ok(mayHoldRunnable("kind: 'TrainingJob'"));
  assert.ok(mayHoldRunnable('  kind:\tTrainingJob # a job\n'));
  assert.ok(mayHoldRunnable('kind: Cluster\n---\nkind: InferenceService\n'));
  assert.ok(mayHoldRunnable('kind:\n  TrainingJob\n'), 'the value on the next line');
  assert.ok(mayHoldRunnable('kind:\nkind: TrainingJob\n'), 'a line reached after a bare `kind:` is looked at too');
  assert.ok(mayHoldRunnable('x: 1\r\nkind: TrainingJob\r\n'));
});

test('kindScan: rejects what is not a runnable kind', () => {
  assert.ok(!mayHoldRunnable(''));
  assert.ok(!mayHoldRunnable('kind: Cluster\n'));
  assert.ok(!mayHoldRunnable('kind: TrainingJobs\n'));
  assert.ok(!mayHoldRunnable('kind: TrainingJob_v2\n'));
  assert.ok(!mayHoldRunnable('# kind: TrainingJob\n'));
  assert.ok(!mayHoldRunnable('metadata: { kind: TrainingJob }\n'));
  assert.ok(!mayHoldRunnable('apiVersion: v1\nkind: Deployment\n'));
});

test('kindScan: long runs of blank lines (quadratic for the old expression) are one pass', () => {
  // 400,000 line starts each followed by the rest of the run: ~8·10^10 steps for `^\s*kind` with m.
  const blanks = '\n'.repeat(400_000);
  assert.ok(!mayHoldRunnable(blanks));
  assert.ok(!mayHoldRunnable(` \n${blanks}kind: Cluster`));
  assert.ok(mayHoldRunnable(`${blanks}kind: TrainingJob\n`));
  assert.ok(mayHoldRunnable(`kind:${blanks} InferenceService`));
  assert.ok(!mayHoldRunnable(`kind:${' \n'.repeat(200_000)}`));
  assert.ok(!mayHoldRunnable(`${'kind:\n'.repeat(200_000)}`));
});
