// A serving command's model given as a folder (`vllm serve /models/x`), as a real sweep of public scripts, compose files
// and manifests found it six times in thirty: a warning that nothing is estimated, in the file's own terms, never the
// Gantry spec's `unknown-model` error; a folder named after a catalog model (trailing slash or not) is that model. And
// the Qwen2.5 Instruct releases take their own published context (32768), not their base models' 131072.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { resolveModelName } from '../../../core/catalog/models';
import type { ServingEstimate } from '../../../core/estimate/index';
import { checkText } from './helpers';

test('a model in an absolute, relative or home folder is a warning on the model word, with no estimate and no exit-1 error', () => {
  for (const model of ['/models/my-finetune', './ckpt/final', '~/models/merged', 'mymodel']) {
    const text = `vllm serve ${model} --max-model-len 4096\n`;
    const c = checkText(text, 'serve.sh');
    const errors = c.problems.filter((p) => p.severity === 'error');
    assert.deepEqual(
      errors.map((p) => p.code),
      [],
      `${model}: ${c.problems.map((p) => p.message).join('; ')}`,
    );
    const w = c.problems.find((p) => p.code === 'unknown-model');
    assert.ok(w && w.severity === 'warning', model);
    assert.equal(text.slice(w.offset, w.offset + w.length), model);
    // Words of the file, not of a Gantry spec.
    assert.ok(!/preset|inline architecture|config: \.\/config\.json/.test(w.message), w.message);
    if (model.includes('/')) assert.ok(w.message.includes('folder'), w.message);
  }
});

test('a folder named after a catalog model is that model, with or without a trailing slash', () => {
  assert.equal(resolveModelName('/models/Qwen3-8B/')?.model.id, 'qwen3-8b');
  assert.equal(resolveModelName('/data/ckpt/Qwen3-30B-A3B-Instruct-2507/')?.model.id, 'qwen3-30b-a3b-2507');
  const c = checkText('vllm serve /models/Qwen3-8B/ --max-model-len 4096\n', 'serve.sh', { gpu: 'H100-SXM-80GB' });
  assert.deepEqual(
    c.problems.filter((p) => p.severity !== 'info').map((p) => p.code),
    [],
  );
  assert.equal(c.estimates.length, 1);
});

test('Qwen2.5 Instruct models default to their published context of 32768 (the base models publish 131072)', () => {
  for (const [name, id, context] of [
    ['Qwen/Qwen2.5-7B-Instruct', 'qwen2.5-7b-instruct', 32768],
    ['Qwen/Qwen2.5-1.5B-Instruct-AWQ', 'qwen2.5-1.5b-instruct', 32768],
    ['Qwen/Qwen2.5-72B-Instruct', 'qwen2.5-72b-instruct', 32768],
    ['Qwen/Qwen2.5-7B', 'qwen2.5-7b', 131072],
    ['Qwen/Qwen2.5-72B', 'qwen2.5-72b', 131072],
  ] as const) {
    const r = resolveModelName(name);
    assert.equal(r?.model.id, id, name);
    assert.equal(r?.model.architecture.maxContext, context, name);
  }
  // The sweep's case: no --max-model-len on an L4. vLLM derives 32768, whose KV cache fits; not a kv-cache-too-small error.
  const c = checkText('vllm serve Qwen/Qwen2.5-7B-Instruct\n', 'serve.sh', { gpu: 'L4-24GB' });
  assert.ok(!c.problems.some((p) => p.code === 'kv-cache-too-small'), c.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
  assert.equal((c.estimates[0]?.estimate as ServingEstimate | undefined)?.serving?.maxModelLen, 32768);
});
