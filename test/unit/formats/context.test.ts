// What a user states about foreign files outside them (core/formats/context.ts): the nearest
// gantry.context.yaml over the settings; bad values give nothing, never a throw.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { contextCandidates, contextCompletion, contextHover, defaultsFromSettings, foreignDefaults, MAX_CONTEXT_CHARS } from '../../../core/formats/context';
import { checkFile } from '../../../core/check/checkFile';
import { applyEdits, at } from '../helpers';

test('the nearest context file wins over the settings, key by key', () => {
  const files: Record<string, string> = { '../gantry.context.yaml': 'gpu: L40S\ngpusPerNode: 4\n', '../../gantry.context.yaml': 'gpu: H100-SXM-80GB\n' };
  const d = foreignDefaults((rel) => files[rel], { gpu: 'A10', engineVersion: '0.8.5' });
  assert.deepEqual(d, { gpu: 'L40S', gpusPerNode: 4, worldFrom: '../gantry.context.yaml', engineVersion: '0.8.5' });
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

// The check of a gantry.context.yaml itself: what foreignDefaults drops is said, at the key or value.
test('a context file is checked where it is written: an unknown GPU with its near miss, a slipped key, values of the wrong type', () => {
  const text = 'gpu: H100-SXM-80GBB\ngpusPerNod: 4\nengineVersion: latest\nmodel: 7\n';
  const c = checkFile(text, { fileName: '/w/gantry.context.yaml' });
  assert.equal(c.gantry, true);
  const by = (code: string) => c.problems.filter((p) => p.code === code);
  const gpu = by('unknown-gpu')[0];
  assert.equal(at(text, gpu), 'H100-SXM-80GBB');
  assert.equal(gpu.severity, 'error');
  assert.equal(applyEdits(text, gpu.fixes![0].edits).split('\n')[0], 'gpu: H100-SXM-80GB');
  const [slip, version, model] = by('context-file');
  assert.equal(at(text, slip), 'gpusPerNod');
  assert.equal(slip.severity, 'warning');
  assert.ok(slip.fixes?.[0].preferred);
  assert.equal(applyEdits(text, slip.fixes![0].edits).split('\n')[1], 'gpusPerNode: 4');
  assert.equal(at(text, version), 'latest');
  assert.equal(at(text, model), '7');
  // What the check passes, foreignDefaults reads: a clean file has no problem.
  assert.deepEqual(checkFile('gpu: L40S\ngpusPerNode: 4\nengineVersion: 0.8.5\nmodel: meta-llama/Llama-3.1-8B\n', { fileName: 'gantry.context.yaml' }).problems, []);
});

test('a context file that does not parse, is not a mapping, or is too large says that none of it applies; a named Cluster must be in scope', () => {
  const broken = checkFile('gpu: [unclosed\n', { fileName: 'gantry.context.yaml' }).problems;
  assert.equal(broken[0].code, 'yaml-syntax');
  assert.ok(broken[0].message.includes('none of gantry.context.yaml applies'));
  assert.equal(checkFile('- gpu: L40S\n', { fileName: 'gantry.context.yaml' }).problems[0].code, 'context-file');
  const big = checkFile(`# ${'x'.repeat(MAX_CONTEXT_CHARS)}\n`, { fileName: 'gantry.context.yaml' }).problems;
  assert.equal(big.length, 1);
  assert.ok(big[0].message.includes('none of it applies'));
  const clusters = { get: (n: string) => (n === 'dgx' ? ({} as never) : undefined), names: () => ['dgx'], all: () => [] };
  const text = 'cluster: dgz\n';
  const p = checkFile(text, { fileName: 'gantry.context.yaml', clusters }).problems;
  assert.equal(p[0].code, 'unknown-cluster');
  assert.equal(at(text, p[0]), 'dgz');
  assert.ok(p[0].message.includes("did you mean 'dgx'"));
  assert.deepEqual(checkFile('cluster: dgx\n', { fileName: 'gantry.context.yaml', clusters }).problems, []);
});

test('a serving command under a context GPU the catalog lacks is not estimated on another GPU: the unknown GPU is an error', () => {
  const text = 'vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192\n';
  const c = checkFile(text, { fileName: '/w/serve.sh', defaults: { gpu: 'H999-NOPE' } });
  const gpu = c.problems.find((p) => p.code === 'unknown-gpu');
  assert.equal(gpu?.severity, 'error', JSON.stringify(c.problems));
  assert.ok(gpu.message.includes("'H999-NOPE' that gantry.context.yaml, --gpu or the gantry.foreign.gpu setting gives this file"), gpu.message);
  // A training config: the same one error, not a second "cannot estimate" at the same place.
  const ds = '{"train_micro_batch_size_per_gpu": 4, "gradient_accumulation_steps": 1, "bf16": {"enabled": true}}';
  const t = checkFile(ds, { fileName: '/w/ds_config.json', defaults: { gpu: 'H100-SXM-80GBX', model: 'meta-llama/Llama-3.1-8B' } });
  assert.deepEqual(
    t.problems.map((p) => p.code),
    ['unknown-gpu'],
  );
  assert.ok(t.problems[0].message.includes("did you mean 'H100-SXM-80GB'"));
  assert.ok(
    c.estimates.every((e) => !e.estimate.ok && !('serving' in e.estimate && e.estimate.serving)),
    'no figures on another GPU',
  );
  const known = checkFile(text, { fileName: '/w/serve.sh', defaults: { gpu: 'L40S' } });
  assert.equal(known.estimates[0].estimate.gpu?.id, 'L40S-48GB');
});

test('completion in a context file: the keys it does not hold yet, then catalog GPUs, models and cluster names as values', () => {
  const text = 'gpu: H100-SXM-80GB\ngpus\n';
  const keys = contextCompletion(text, text.indexOf('gpus') + 4).map((c) => c.label);
  assert.deepEqual(keys, ['cluster', 'gpusPerNode', 'engineVersion', 'model'], 'gpu is there already');
  const k = contextCompletion(text, text.indexOf('gpus') + 4).find((c) => c.label === 'gpusPerNode')!;
  assert.equal(k.insertText, 'gpusPerNode: ');
  assert.deepEqual(k.replace, { offset: text.indexOf('gpus'), length: 4 }, 'the typed word is replaced');
  const gpus = contextCompletion(text, 6);
  assert.ok(gpus.some((c) => c.label === 'H100-SXM-80GB' && /GiB/.test(c.detail ?? '')));
  assert.deepEqual(gpus[0].replace, { offset: 5, length: 'H100-SXM-80GB'.length }, 'the written value is replaced');
  const models = contextCompletion('model: \n', 7);
  assert.ok(models.some((c) => c.label === 'llama-3.1-8b'));
  assert.deepEqual(
    contextCompletion('cluster: \n', 9, () => ['a100-pod', 'h100-pod']).map((c) => c.label),
    ['a100-pod', 'h100-pod'],
  );
  // On a key that has its colon: the key alone (not 'gpu: : H1').
  const onKey = contextCompletion('gpu: H1\n', 1);
  assert.equal(onKey.find((c) => c.label === 'gpu')?.insertText, 'gpu');
  assert.deepEqual(onKey[0].replace, { offset: 0, length: 3 });
  // In a comment, an indented line or a list: nothing.
  for (const [t, o] of [
    ['# gpu: \n', 7],
    ['gpu:\n  x\n', 8],
    ['- gpu\n', 5],
  ] as const)
    assert.deepEqual(contextCompletion(t, o), [], t);
  // Past the size limit or out of range: nothing, no throw.
  assert.deepEqual(contextCompletion('x'.repeat(MAX_CONTEXT_CHARS + 1), 3), []);
  assert.deepEqual(contextCompletion('gpu: A10\n', 999), []);
});

test("hover in a context file: what a key says, a GPU or model value's catalog entry", () => {
  const text = 'gpu: "L40S"  # the lab\nmodel: meta-llama/Llama-3.1-8B-Instruct\ngpusPerNode: 4\n';
  assert.match(contextHover(text, 1)?.markdown ?? '', /^\*\*gpu\*\* \(gantry\.context\.yaml\)/);
  const g = contextHover(text, text.indexOf('L40S'));
  assert.match(g?.markdown ?? '', /L40S.*GiB usable/);
  assert.equal(text.slice(g!.offset, g!.offset + g!.length), '"L40S"', 'the value, without the comment');
  assert.match(contextHover(text, text.indexOf('meta-llama') + 3)?.markdown ?? '', /^Llama 3\.1 8B: /);
  assert.equal(contextHover(text, text.indexOf(' 4') + 1), undefined, 'a number has no catalog entry');
  assert.equal(contextHover('gpu: NOPE\n', 6), undefined);
});

test("an unknown key's 'did you mean' is a key the file lacks, preferring one the slip begins (gpus → gpusPerNode, not gpu written twice); an unknown GPU's message ends its sentence", () => {
  const c = checkFile('gpu: H100-SXM-80GB\ngpus: 8\n', { fileName: '/w/gantry.context.yaml' });
  const p = c.problems.find((x) => x.message.includes("'gpus'"));
  assert.match(p?.message ?? '', /did you mean gpusPerNode\?/);
  assert.match(checkFile('gpu: H1\n', { fileName: '/w/gantry.context.yaml' }).problems.find((x) => x.code === 'unknown-gpu')?.message ?? '', /^Unknown GPU 'H1'[.;]/);
  // A GPU count past one node's maximum is the context file's own error, and not used.
  const big = checkFile('gpusPerNode: 99999999999\n', { fileName: '/w/gantry.context.yaml' });
  assert.match(big.problems.find((x) => x.code === 'context-file')?.message ?? '', /1 to 72/);
  assert.equal(foreignDefaults((rel) => (rel === 'gantry.context.yaml' ? 'gpusPerNode: 99999999999\n' : undefined)).gpusPerNode, undefined);
});
