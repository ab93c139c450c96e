// Foreign files checked in steps (core/check/foreign.ts checkForeignSteps): the language server runs a
// check a few milliseconds at a time, so a long manifest or config must not be one step. What these
// tests count is steps (yields), never time: a reader whose parse is one step shows up as a few steps
// for the whole 60 KB file.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { checkForeignSteps } from '../../../core/check/foreign';
import { claimingReaders } from '../../../core/formats/index';
import { parseSpecFile, parseSpecFileSteps, parseYamlSteps, STEP_CHARS } from '../../../core/spec/parse';
import { MAX_FOREIGN_CHARS } from '../../../core/formats/types';
import { repo } from '../helpers';
import { checkText } from './helpers';

/** Runs a generator to its end; returns its value and how many times it yielded. */
function run<T>(g: Generator<void, T>): { value: T; steps: number } {
  let steps = 0;
  for (let r = g.next(); ; r = g.next(), steps++) if (r.done) return { value: r.value, steps };
}

const fill = (head: string, line: (i: number) => string, size = 60_000): string => {
  let s = head;
  for (let i = 0; s.length < size; i++) s += line(i);
  return s;
};

const LONG = {
  'deployment.yaml': fill('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: v\nspec:\n  template:\n    spec:\n      containers:\n      - name: v\n        image: vllm/vllm-openai:v0.8.0\n        args:\n        - --model\n        - meta-llama/Llama-3.1-8B-Instruct\n', (i) => `        - --x${i}\n`),
  'axolotl.yaml': fill('base_model: meta-llama/Llama-3.1-8B\nsequence_len: 4096\nmicro_batch_size: 2\nadapter: lora\n', (i) => `k${i}: ${i}\n`),
  'accelerate.yaml': fill('compute_environment: LOCAL_MACHINE\ndistributed_type: FSDP\nnum_processes: 8\nmixed_precision: bf16\n', (i) => `k${i}: ${i}\n`),
  'docker-compose.yaml': fill('services:\n  vllm:\n    image: vllm/vllm-openai:v0.8.0\n    command:\n      - --model\n      - meta-llama/Llama-3.1-8B-Instruct\n', (i) => `      - --x${i}\n`),
  'sky.yaml': fill('resources:\n  accelerators: H100:8\nrun: |\n  vllm serve meta-llama/Llama-3.1-8B-Instruct \\\n', (i) => `    --x${i} \\\n`),
};

test('a 60 KB manifest or YAML config of thousands of entries is checked in many steps, each reader parsing in steps', () => {
  for (const [name, text] of Object.entries(LONG)) {
    assert.ok(text.length < MAX_FOREIGN_CHARS, name);
    const { value, steps } = run(checkForeignSteps(text, { fileName: `/w/${name}`, defaults: { gpu: 'H100-SXM-80GB' } }));
    assert.equal(value.gantry, true, name);
    assert.ok(!value.problems.some((p) => p.code === 'foreign-file-too-large'), name);
    // One step per 512 tokens of the lexer at least: thousands of tokens make dozens of steps.
    assert.ok(steps >= 20, `${name}: ${steps} steps`);
  }
});

test('read in steps or in one go, every foreign fixture and long file reads the same (each reader with readSteps)', () => {
  const dirs = [repo('test/fixtures/foreign/serving'), ...readdirSync(repo('test/fixtures/foreign/training')).map((d) => repo('test/fixtures/foreign/training', d))];
  const files: [string, string][] = dirs.flatMap((dir) => readdirSync(dir).map((f): [string, string] => [path.join(dir, f), readFileSync(path.join(dir, f), 'utf8')]));
  for (const [name, text] of Object.entries(LONG)) files.push([`/w/${name}`, text]);
  let n = 0;
  for (const [fileName, text] of files) {
    for (const r of claimingReaders(fileName, text)) {
      if (!r.readSteps) continue;
      const ctx = { fileName, defaults: { gpu: 'H100-SXM-80GB' } };
      // Functions (a source's writer) are left out by JSON: the values, places and problems are compared.
      assert.equal(JSON.stringify(run(r.readSteps(text, ctx)).value), JSON.stringify(r.read(text, ctx)), `${r.id}: ${fileName}`);
      n++;
    }
  }
  assert.ok(n >= 15, `${n} files read both ways`);
});

test('the stepped YAML parse gives what yaml.parseDocument gives, errors included', () => {
  const texts = [LONG['deployment.yaml'], `${LONG['axolotl.yaml']}\nbad: [unclosed\n`, `${LONG['sky.yaml']}\n---\nsecond: doc\n`, 'short: 1\n'];
  const options = { uniqueKeys: false, prettyErrors: false } as const;
  for (const text of texts) {
    const direct = parseDocument(text, options);
    const { value, steps } = run(parseYamlSteps(text, options));
    assert.deepEqual(value.toJS(), direct.toJS());
    assert.deepEqual(
      value.errors.map((e) => [e.code, e.pos]),
      direct.errors.map((e) => [e.code, e.pos]),
    );
    assert.ok(text.length <= STEP_CHARS ? steps === 0 : steps > 0);
  }
  const spec = `${readFileSync(repo('examples/llama3-8b-pretrain.gantry.yaml'), 'utf8')}---\n${LONG['deployment.yaml']}`;
  const docs = run(parseSpecFileSteps(spec)).value;
  assert.deepEqual(
    docs.map((d) => [d.start, d.end, d.problems, d.value]),
    parseSpecFile(spec).map((d) => [d.start, d.end, d.problems, d.value]),
  );
});

test('a YAML training config with a key written twice: one warning at the second (PyYAML keeps the last), found without comparing every pair of keys', () => {
  const text = 'base_model: meta-llama/Llama-3.1-8B\nsequence_len: 4096\nmicro_batch_size: 2\nsequence_len: 2048\n';
  const c = checkText(text, '/w/axolotl.yaml', { model: 'llama-3.1-8b' });
  const dup = c.problems.filter((p) => p.code === 'yaml-duplicate-key');
  assert.equal(dup.length, 1);
  assert.equal(dup[0].severity, 'warning');
  assert.equal(dup[0].offset, text.lastIndexOf('sequence_len'));
  assert.equal((c.foreign![0].job.spec as { batch?: { sequenceLength?: number } }).batch?.sequenceLength, 2048);
});
