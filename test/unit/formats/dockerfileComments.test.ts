// Dockerfile comment lines inside a continued instruction: Docker removes them before it joins the
// lines ("Comment lines are removed before the Dockerfile instructions are executed", the Dockerfile
// reference's "Format"; empty continuation lines are skipped too), so they neither end the
// instruction nor add words to it. Places in the file stay right for the lines after them.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyEdits, checkText, under } from './servingHelpers';

test('exec form: a comment line inside ENTRYPOINT [...] does not end it (the model after it is read)', () => {
  const text = `FROM vllm/vllm-openai:v0.11.0
ENTRYPOINT ["vllm", "serve", \\
    # the model: "not/a-model", then ]
    "Qwen/Qwen2.5-7B-Instruct", \\

    "--max-model-len", "4096"]
`;
  const c = checkText(text, 'Dockerfile');
  assert.ok(!c.problems.some((p) => p.code === 'foreign-no-model'), c.problems.map((p) => p.message).join('\n'));
  const spec = c.foreign?.[0].job.spec;
  assert.equal(spec?.maxModelLen, 4096);
  assert.equal((spec?.model as { weights?: string } | undefined)?.weights, 'Qwen/Qwen2.5-7B-Instruct');
});

test('shell form: a comment line inside a continued CMD keeps the flags after it, and a fix edits them in place', () => {
  const text = `FROM vllm/vllm-openai:v0.11.0
CMD vllm serve meta-llama/Llama-3.1-8B-Instruct \\
  # a comment \\
  --max-model-len 300000 \\
  # another
  --port 8000
`;
  const c = checkText(text, 'Dockerfile');
  assert.equal(c.foreign?.[0].job.spec.port, 8000);
  const p = c.problems.find((x) => x.code === 'max-model-len');
  assert.ok(p, c.problems.map((x) => x.code).join());
  assert.equal(under(text, p), '300000');
  const fix = p.fixes?.[0];
  assert.ok(fix);
  const fixed = applyEdits(text, fix.edits);
  assert.ok(!checkText(fixed, 'Dockerfile').problems.some((x) => x.code === 'max-model-len'), fixed);
  assert.ok(fixed.includes('  # a comment \\\n  --max-model-len '), fixed);
});

test('exec form: a new flag goes after the last item, past the comment lines', () => {
  const text = `FROM vllm/vllm-openai:v0.11.0
ENTRYPOINT ["vllm", "serve", \\
  # comment
  "meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "131072"]
`;
  const c = checkText(text, 'Dockerfile', { gpu: 'L4-24GB' });
  const p = c.problems.find((x) => x.code === 'kv-cache-too-small');
  assert.ok(p, c.problems.map((x) => x.code).join());
  const kv = p.fixes?.find((f) => f.title.includes('fp8'));
  assert.ok(kv, (p.fixes ?? []).map((f) => f.title).join(' | '));
  assert.ok(applyEdits(text, kv.edits).includes('"--max-model-len", "131072", "--kv-cache-dtype", "fp8"]'), applyEdits(text, kv.edits));
});

test('a comment line after an instruction that does not continue is not part of it', () => {
  const text = `FROM vllm/vllm-openai:v0.11.0
CMD vllm serve meta-llama/Llama-3.1-8B-Instruct --port 8000
# --max-model-len 4096
`;
  const c = checkText(text, 'Dockerfile');
  assert.equal(c.foreign?.[0].job.spec.port, 8000);
  assert.equal(c.foreign?.[0].job.spec.maxModelLen, undefined);
});
