// A serving run's kept outcome carries the KV cache's peak usage from its stats lines, read in the
// same pass as the other figures, and the run panel's summary says it.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildOutcome, loadOutcome, saveOutcome } from '../../../core/runs/outcome';
import { summaryLines } from '../../../core/logs/versus';
import { newStore, nodePlan } from './helpers';
import { repo } from '../helpers';

test('outcome: a vLLM run keeps its KV cache peak usage (with its file), its kind and Cluster', async () => {
  const store = newStore();
  const plan = { ...nodePlan('1', { name: 'chat' }), kind: 'InferenceService' as const, backendOptions: { cluster: 'local', scheduler: { type: 'local' as const } }, nodes: 1, gpusPerNode: 1 };
  const run = store.create(plan);
  const log = path.join(store.runDir(run.id), 'stdout.log');
  fs.writeFileSync(log, fs.readFileSync(repo('test/fixtures/logs/vllm-v1-startup.log'), 'utf8') + fs.readFileSync(repo('test/fixtures/logs/vllm-v1-stats.log'), 'utf8'));
  const ended = store.update({ id: run.id, state: 'cancelled', endedAt: Date.now(), logs: [{ path: log, stream: 'stdout' }] })!;
  saveOutcome(store, await buildOutcome(ended));
  const o = loadOutcome(store, run.id)!;
  assert.equal(o.kind, 'InferenceService');
  assert.equal(o.cluster, 'local');
  assert.equal(o.usage?.peakKvUsagePct.value, 6.1);
  assert.equal(o.usage?.peakKvUsagePct.file, 'stdout.log');
  assert.equal(o.usage?.peakRunning?.value, 14);
  assert.equal(o.log.kvCacheTokens?.value, 448832);
  const line = o.usage!.peakKvUsagePct.line + 1;
  assert.ok(summaryLines(o).includes(`KV cache usage peaked at 6.1 % with 14 requests running over 5 stats lines (stdout.log line ${line})`), summaryLines(o).join('\n'));
});
