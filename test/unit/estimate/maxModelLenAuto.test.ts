// maxModelLen auto: vLLM's `--max-model-len auto` / -1 (PR #29431, taken from 0.13): the longest length whose KV
// cache for one request fits, up to the model's context. Read from a launch line, written in a Gantry spec, refused
// (max-model-len) by older vLLM releases and by the other engines.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { VLLM_MAX_MODEL_LEN_AUTO, vllmAcceptsAutoMaxModelLen } from '../../../core/estimate/engineVersion';
import { estimateInferenceService } from '../../../core/estimate/index';
import { isAutoLength } from '../../../core/formats/vllmArgs';
import type { ServingEstimate } from '../../../core/estimate/types';
import { checkText } from '../formats/helpers';
import { at, check } from '../helpers';
import { cluster, service } from './helpers';

const servingOf = (c: ReturnType<typeof checkText>): ServingEstimate => {
  assert.equal(c.estimates.length, 1, c.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
  return c.estimates[0].estimate as ServingEstimate;
};

test('auto and -1 are the words vLLM reads as "fit to memory" (any case, stripped); other words and numbers are not', () => {
  for (const w of ['auto', 'AUTO', 'Auto', ' auto', '-1']) assert.equal(isAutoLength(w), true, w);
  for (const w of ['-2', '0', 'autox', 'auto1', '', 'a'.repeat(40), '-1k', 'max']) assert.equal(isAutoLength(w), false, w);
  assert.deepEqual(VLLM_MAX_MODEL_LEN_AUTO, [0, 13, 0]);
  assert.equal(vllmAcceptsAutoMaxModelLen([0, 12, 9]), false);
  assert.equal(vllmAcceptsAutoMaxModelLen([0, 13, 0]), true);
  assert.equal(vllmAcceptsAutoMaxModelLen(undefined), true, 'an unknown version is the current release');
});

test('--max-model-len auto / -1 on a release that takes it: no error, and the estimate serves min(context, the longest request the pool holds)', () => {
  const l4 = '#!/bin/bash\n#SBATCH --gres=gpu:l4:1\npip install vllm==0.14.0\nvllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len -1\n';
  const c = checkText(l4, '/w/auto-l4.sh');
  assert.deepEqual(
    c.problems.filter((p) => p.severity === 'error'),
    [],
  );
  const e = servingOf(c).serving!;
  // The context (131,072) does not fit an L4 after 15 GiB of weights: vLLM fits one request's blocks.
  assert.ok(e.maxModelLen < 131072 && e.maxModelLen > 16384, String(e.maxModelLen));
  assert.equal(e.maxModelLen % 16, 0, 'whole blocks');
  assert.ok(Math.abs(e.maxConcurrency - 1) < 1e-9, String(e.maxConcurrency));
  const note = servingOf(c).assumptions.find((a) => a.startsWith('max-model-len auto:'));
  assert.ok(note?.includes(`${e.maxModelLen.toLocaleString('en-US')} tokens fit`), note);
  assert.ok(note?.includes("the model's context is 131,072"), note);
  // The same length written out gives the same pool: the second pass is an ordinary estimate at L.
  const fixed = servingOf(checkText(l4.replace('--max-model-len -1', `--max-model-len ${e.maxModelLen}`), '/w/fixed-l4.sh')).serving!;
  assert.equal(fixed.kvCacheTokens, e.kvCacheTokens);
  // One token more than fits is vLLM's refusal, as before.
  const over = checkText(l4.replace('--max-model-len -1', `--max-model-len ${e.maxModelLen + 16}`), '/w/over-l4.sh');
  assert.ok(over.problems.some((p) => p.code === 'kv-cache-too-small'));

  // Where the context fits, auto is the context, said so.
  const big = checkText('vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len=AUTO\n', '/w/auto-h100.sh');
  assert.deepEqual(
    big.problems.filter((p) => p.severity === 'error'),
    [],
  );
  const b = servingOf(big);
  assert.equal(b.serving!.maxModelLen, 131072);
  assert.ok(b.assumptions.some((a) => a.startsWith("max-model-len auto: 131,072 tokens fit, the model's whole context")));
});

test('--max-model-len auto on a vLLM older than 0.13 is the max-model-len error at the value; SGLang --context-length auto stays an argparse error', () => {
  const old = 'pip install vllm==0.11.0\nvllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len auto\n';
  const c = checkText(old, '/w/old.sh');
  const errs = c.problems.filter((p) => p.severity === 'error');
  assert.deepEqual(
    errs.map((p) => [p.code, at(old, p)]),
    [['max-model-len', 'auto']],
  );
  assert.match(errs[0].message, /from vLLM 0\.13 \(PR #29431\)/);
  assert.match(errs[0].message, /'0\.11\.0'/);
  assert.match(errs[0].message, /refuses the word auto/);
  // An image tag names the version too.
  const k8s = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: v\n      image: vllm/vllm-openai:v0.12.0\n      args: ["--model", "meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "-1"]\n      resources:\n        limits:\n          nvidia.com/gpu: 1\n';
  const kc = checkText(k8s, '/w/pod.yaml');
  assert.deepEqual(
    kc.problems.filter((p) => p.severity === 'error').map((p) => [p.code, at(k8s, p)]),
    [['max-model-len', '-1']],
  );
  // Bad input stays an error at the value: a negative length other than -1 (a number, as Python's int() reads it, out of
  // range), a word other than auto and SGLang's auto (its argument parser refuses them).
  for (const [text, word, code] of [
    ['vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len -2\n', '-2', 'schema-range'],
    ['vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len automatic\n', 'automatic', 'foreign-flag-value'],
    ['python -m sglang.launch_server --model-path meta-llama/Llama-3.1-8B-Instruct --context-length auto\n', 'auto', 'foreign-flag-value'],
  ]) {
    const p = checkText(text, '/w/bad.sh').problems.filter((x) => x.severity === 'error');
    assert.deepEqual(
      p.map((x) => [x.code, at(text, x)]),
      [[code, word]],
      text,
    );
  }
});

test('maxModelLen: auto in a Gantry spec: valid for vLLM (estimated as fitted), the max-model-len error for an old engineVersion or another engine, a schema error for other words', () => {
  const spec = (extra: string) => `apiVersion: gantry/v1\nkind: InferenceService\nmetadata:\n  name: s\nspec:\n  model:\n    preset: llama-3.1-8b\n${extra}`;
  assert.deepEqual(
    check(spec('  engine: vllm\n  maxModelLen: auto\n')).problems.map((p) => p.code),
    [],
  );
  const old = spec('  engine: vllm\n  engineVersion: 0.12.0\n  maxModelLen: auto\n');
  const po = check(old).problems;
  assert.deepEqual(
    po.map((p) => [p.code, at(old, p)]),
    [['max-model-len', 'auto']],
  );
  const sg = spec('  engine: sglang\n  maxModelLen: auto\n');
  const ps = check(sg).problems;
  assert.deepEqual(
    ps.map((p) => p.code),
    ['max-model-len'],
  );
  assert.match(ps[0].message, /SGLang's --context-length takes a whole number/);
  const word = spec('  engine: vllm\n  maxModelLen: lots\n');
  const pw = check(word).problems;
  assert.deepEqual(
    pw.map((p) => [p.code, at(word, p)]),
    [['schema-format', 'lots']],
  );
  assert.match(pw[0].message, /or auto/);
  assert.deepEqual(
    check(spec('  engine: vllm\n  maxModelLen: 0\n')).problems.map((p) => p.code),
    ['schema-range'],
  );

  // The estimator on the document: an L4 fits less than the context, an H100 the whole context.
  const l4 = estimateInferenceService(service({ model: { preset: 'llama-3.1-8b' }, maxModelLen: 'auto', engineVersion: '0.14.0' }), cluster('L4-24GB', 1));
  assert.ok(l4.ok && l4.serving!.maxModelLen < 131072, String(l4.serving?.maxModelLen));
  assert.ok(!l4.findings.some((f) => f.code === 'kv-cache-too-small'));
  const h100 = estimateInferenceService(service({ model: { preset: 'llama-3.1-8b' }, maxModelLen: 'auto' }), cluster('H100-SXM-80GB', 1));
  assert.equal(h100.serving!.maxModelLen, 131072);
  // Nothing fits: the estimator's own error, not a length of 0.
  const tiny = estimateInferenceService(service({ model: { preset: 'llama-3.1-70b' }, maxModelLen: 'auto' }), cluster('L4-24GB', 1));
  assert.equal(tiny.ok, false);
  assert.ok(tiny.findings.some((f) => f.code === 'memory-exceeds-capacity'));
});

test("a length past the model's context is an error, and a warning where env lets the engine start (VLLM_ALLOW_LONG_MAX_MODEL_LEN, SGLang's override)", () => {
  const spec = (extra: string) => `apiVersion: gantry/v1\nkind: InferenceService\nmetadata:\n  name: s\nspec:\n  model:\n    preset: llama-3.1-8b\n  maxModelLen: 200000\n${extra}`;
  const plain = check(spec('  engine: vllm\n')).problems.filter((p) => p.code === 'max-model-len');
  assert.deepEqual(
    plain.map((p) => p.severity),
    ['error'],
  );
  assert.match(plain[0].message, /vLLM refuses to start \(unless VLLM_ALLOW_LONG_MAX_MODEL_LEN=1\)/);
  const allowed = check(spec("  engine: vllm\n  env:\n    VLLM_ALLOW_LONG_MAX_MODEL_LEN: '1'\n")).problems.filter((p) => p.code === 'max-model-len');
  assert.deepEqual(
    allowed.map((p) => p.severity),
    ['warning'],
  );
  assert.match(allowed[0].message, /VLLM_ALLOW_LONG_MAX_MODEL_LEN lets vLLM start, but beyond the context it was trained for/);
  // The other engine's variable does not count; SGLang's own does.
  const wrong = check(spec("  engine: sglang\n  env:\n    VLLM_ALLOW_LONG_MAX_MODEL_LEN: '1'\n")).problems.filter((p) => p.code === 'max-model-len');
  assert.equal(wrong[0].severity, 'error');
  const sg = check(spec("  engine: sglang\n  env:\n    SGLANG_ALLOW_OVERWRITE_LONGER_CONTEXT_LEN: '1'\n")).problems.filter((p) => p.code === 'max-model-len');
  assert.equal(sg[0].severity, 'warning');
  // '0' keeps the refusal.
  assert.equal(check(spec("  engine: vllm\n  env:\n    VLLM_ALLOW_LONG_MAX_MODEL_LEN: '0'\n")).problems.find((p) => p.code === 'max-model-len')!.severity, 'error');
});
