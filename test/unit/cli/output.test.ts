// What `gantry check` and `gantry estimate` print for foreign files (the built CLI, as a user runs
// it): an information finding is printed as one (not as "skipped"), and an estimate's findings on a
// foreign file are where `gantry check` puts them, in the file's terms.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { repo } from '../helpers';

const gantry = (input: string, ...argv: string[]) => spawnSync(process.execPath, [repo('dist/cli.js'), ...argv], { encoding: 'utf8', input, timeout: 120_000 });

const DS_AUTO = JSON.stringify({ bf16: { enabled: 'auto' }, train_micro_batch_size_per_gpu: 'auto', gradient_accumulation_steps: 'auto', train_batch_size: 'auto', zero_optimization: { stage: 3 } }, null, 2);

test('check: an information finding on a DeepSpeed config is printed as a finding, not as "skipped"; -q leaves it out', () => {
  const r = gantry(DS_AUTO, 'check', '-', '--stdin-name', 'ds_config.json');
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^ds_config\.json:1:1: info deepspeed-auto: The batch sizes are "auto"/m);
  assert.doesNotMatch(r.stderr, /skipped/);
  const q = gantry(DS_AUTO, 'check', '-q', '-', '--stdin-name', 'ds_config.json');
  assert.equal(q.stdout, '');
  assert.doesNotMatch(q.stderr, /skipped/);
  // A file named explicitly that no reader claims is still said to be skipped.
  const other = gantry('{"name": "x"}', 'check', '-', '--stdin-name', 'package.json');
  assert.match(other.stderr, /package\.json: skipped: not a Gantry spec/);
});

test("estimate on a foreign file: each finding at its line:column, in the file's terms, with the fixes check offers", () => {
  const script = 'vllm serve meta-llama/Llama-3.1-70B-Instruct --max-model-len 8192\n';
  const r = gantry(script, 'estimate', '-', '--stdin-name', 'serve.sh', '--gpu', 'L4-24GB');
  assert.equal(r.status, 1, r.stdout + r.stderr);
  const line = r.stdout.split('\n').find((l) => l.includes('error memory-exceeds-capacity'));
  assert.ok(line, r.stdout);
  assert.match(line, /error memory-exceeds-capacity \(1:\d+\): /);
  const fixes = r.stdout.split('\n').filter((l) => l.startsWith('    fix: '));
  assert.ok(fixes.length > 0, r.stdout);
  for (const f of fixes) assert.doesNotMatch(f, /tensorParallel|maxModelLen|spec\./, f);
  const c = gantry(script, 'check', '-', '--stdin-name', 'serve.sh', '--gpu', 'L4-24GB');
  const checkFixes = c.stdout.split('\n').filter((l) => l.startsWith('    fix: '));
  assert.deepEqual(fixes.slice(0, checkFixes.length), checkFixes);
});
