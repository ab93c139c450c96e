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

test('a does-not-fit error on a GPU the file never names says the GPU was assumed, and how to name it; with the GPU named it does not', () => {
  const text = 'python3 -m sglang.launch_server --model-path deepseek-ai/DeepSeek-V3 --tp-size 8\n';
  const assumed = checkText(text, 'serve.sh').problems.find((p) => p.code === 'memory-exceeds-capacity');
  assert.ok(assumed?.message.includes('On the NVIDIA H100 SXM 80GB, which Gantry assumed'), assumed?.message);
  const named = checkText(text, 'serve.sh', { gpu: 'H100-SXM-80GB' }).problems.find((p) => p.code === 'memory-exceeds-capacity');
  assert.ok(named && !named.message.includes('assumed'), named?.message);
});

test('a script or compose service whose vllm serve takes --config FILE reads the model from the file beside it', () => {
  const files: Record<string, string> = { 'cfg.yaml': 'model: Qwen/Qwen3-8B\nmax-model-len: 8192\n' };
  const read = Object.assign((p: string): string | undefined => files[p], { why: () => undefined });
  const script = checkText('vllm serve --config cfg.yaml\n', 'serve.sh', { gpu: 'H100-SXM-80GB' }, read);
  assert.ok(!script.problems.some((p) => p.code === 'foreign-no-model'), script.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
  assert.equal(script.estimates.length, 1);
  const compose = checkText('services:\n  vllm:\n    image: vllm/vllm-openai:v0.11.0\n    entrypoint: ["vllm", "serve"]\n    command: ["--config", "cfg.yaml"]\n', 'compose.yaml', { gpu: 'H100-SXM-80GB' }, read);
  assert.ok(!compose.problems.some((p) => p.code === 'foreign-no-model'), compose.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
});
