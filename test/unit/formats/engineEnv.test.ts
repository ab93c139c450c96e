// The engine's environment in foreign files: the variables a file sets for the serving command (a container's
// env, compose environment:, a script's exports or `A=b vllm serve`, SkyPilot envs:, Dockerfile ENV) that the
// checks and the estimate read (ENGINE_ENV_VARS) become spec.env, as in a Gantry spec. A length past the model's
// context is then a warning where VLLM_ALLOW_LONG_MAX_MODEL_LEN=1 lets vLLM start, and VLLM_USE_V1=0 forces V0
// on releases that still have it. Compose list commands are interpolated from .env as its string commands are.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { envTrue } from '../../../core/estimate/engineVersion';
import type { ServingEstimate } from '../../../core/estimate/types';
import { checkText } from './helpers';

const ARGS = 'google/gemma-4-31B-it --tensor-parallel-size 2 --max-model-len 524288';
const lenProblem = (text: string, name: string, readFile?: (rel: string) => string | undefined) => {
  const c = readFile ? checkText(text, name, undefined, Object.assign(readFile, { why: () => undefined })) : checkText(text, name);
  const p = c.problems.filter((x) => x.code === 'max-model-len');
  assert.equal(p.length, 1, `${name}: ${c.problems.map((x) => `${x.code}: ${x.message}`).join('\n')}`);
  return { severity: p[0].severity, at: text.slice(p[0].offset, p[0].offset + p[0].length), check: c };
};

const k8s = (env: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: g
spec:
  template:
    spec:
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.20.1
          command: ["vllm", "serve"]
          args: ["google/gemma-4-31B-it", "--tensor-parallel-size", "2", "--max-model-len", "524288"]
${env}          resources:
            limits:
              nvidia.com/gpu: 2
`;

test('Kubernetes: a container env that lets vLLM start past the context makes it a warning; absent, 0, the other engine or valueFrom keep the error', () => {
  const on = lenProblem(k8s('          env:\n            - name: VLLM_ALLOW_LONG_MAX_MODEL_LEN\n              value: "1"\n'), '/w/k8s.yaml');
  assert.equal(on.severity, 'warning');
  assert.equal(on.at, '524288');
  assert.equal(lenProblem(k8s('          env:\n            - name: VLLM_ALLOW_LONG_MAX_MODEL_LEN\n              value: " TRUE "\n'), '/w/k8s.yaml').severity, 'warning');
  for (const env of [
    '',
    '          env:\n            - name: VLLM_ALLOW_LONG_MAX_MODEL_LEN\n              value: "0"\n',
    '          env:\n            - name: SGLANG_ALLOW_OVERWRITE_LONGER_CONTEXT_LEN\n              value: "1"\n',
    '          env:\n            - name: VLLM_ALLOW_LONG_MAX_MODEL_LEN\n              valueFrom: {configMapKeyRef: {name: c, key: k}}\n',
  ]) {
    assert.equal(lenProblem(k8s(env), '/w/k8s.yaml').severity, 'error', env);
  }
});

test('compose environment: (map and list), a script export, a command prefix and SkyPilot envs: all reach the engine', () => {
  const map = `services:\n  llm:\n    image: vllm/vllm-openai:v0.20.1\n    command: ["--model", "google/gemma-4-31B-it", "--tensor-parallel-size", "2", "--max-model-len", "524288"]\n    environment:\n      VLLM_ALLOW_LONG_MAX_MODEL_LEN: 1\n`;
  assert.equal(lenProblem(map, '/w/compose.yaml').severity, 'warning');
  const list = map.replace('      VLLM_ALLOW_LONG_MAX_MODEL_LEN: 1\n', '      - VLLM_ALLOW_LONG_MAX_MODEL_LEN=1\n');
  assert.equal(lenProblem(list, '/w/compose.yaml').severity, 'warning');
  assert.equal(lenProblem(`#!/bin/bash\nexport VLLM_ALLOW_LONG_MAX_MODEL_LEN=1\nvllm serve ${ARGS}\n`, '/w/serve.sh').severity, 'warning');
  assert.equal(lenProblem(`#!/bin/bash\nVLLM_ALLOW_LONG_MAX_MODEL_LEN=1 vllm serve ${ARGS}\n`, '/w/serve.sh').severity, 'warning');
  assert.equal(lenProblem(`#!/bin/bash\nenv VLLM_ALLOW_LONG_MAX_MODEL_LEN=1 vllm serve ${ARGS}\n`, '/w/serve.sh').severity, 'warning');
  // Set but not exported: the shell keeps it to itself.
  assert.equal(lenProblem(`#!/bin/bash\nVLLM_ALLOW_LONG_MAX_MODEL_LEN=1\nvllm serve ${ARGS}\n`, '/w/serve.sh').severity, 'error');
  const sky = `resources:\n  accelerators: H100:2\nenvs:\n  VLLM_ALLOW_LONG_MAX_MODEL_LEN: 1\nrun: |\n  vllm serve ${ARGS}\n`;
  assert.equal(lenProblem(sky, '/w/task.yaml').severity, 'warning');
  const docker = `FROM vllm/vllm-openai:v0.20.1\nENV VLLM_ALLOW_LONG_MAX_MODEL_LEN=1\nENTRYPOINT ["vllm", "serve"]\nCMD ["google/gemma-4-31B-it", "--tensor-parallel-size", "2", "--max-model-len", "524288"]\n`;
  assert.equal(lenProblem(docker, '/w/Dockerfile').severity, 'warning');
  const arg = docker.replace('ENV VLLM', 'ARG VLLM');
  assert.equal(lenProblem(arg, '/w/Dockerfile').severity, 'error');
  // SGLang's own variable for its --context-length.
  const sgl = `#!/bin/bash\nSGLANG_ALLOW_OVERWRITE_LONGER_CONTEXT_LEN=1 python -m sglang.launch_server --model-path google/gemma-4-31B-it --tp 2 --context-length 300000\n`;
  assert.equal(lenProblem(sgl, '/w/sgl.sh').severity, 'warning');
});

test('VLLM_USE_V1=0 in a container env forces the V0 engine on a release that still has it, as in a Gantry spec', () => {
  const text = (env: string) => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: vllm
      image: vllm/vllm-openai:v0.9.2
      args: ["--model", "meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "8192"]
${env}      resources:
        limits:
          nvidia.com/gpu: 1
`;
  const est = (env: string) => {
    const c = checkText(text(env), '/w/pod.yaml');
    assert.equal(c.estimates.length, 1, c.problems.map((p) => p.message).join('\n'));
    return c.estimates[0].estimate as ServingEstimate;
  };
  assert.match(est('').assumptions.join('\n'), /V1 engine/);
  assert.match(est('      env:\n        - {name: VLLM_USE_V1, value: "0"}\n').assumptions.join('\n'), /V0 engine \(VLLM_USE_V1=0\)/);
});

test('compose: a list command is interpolated from .env as a string command is; a variable nowhere set is said, not taken as a model name', () => {
  const text = `services:\n  llm:\n    image: vllm/vllm-openai:v0.20.1\n    command: ["--model", "\${MODEL}", "--max-model-len", "\${MAX_LEN:-8192}"]\n`;
  const withEnv = checkText(
    text,
    '/w/compose.yaml',
    undefined,
    Object.assign((rel: string) => (rel === '.env' ? 'MODEL=google/gemma-4-E4B-it\n' : undefined), { why: () => undefined }),
  );
  assert.equal(withEnv.estimates.length, 1, withEnv.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
  const s = (withEnv.estimates[0].estimate as ServingEstimate).serving!;
  assert.equal(s.maxModelLen, 8192);
  const without = checkText(
    text,
    '/w/compose.yaml',
    undefined,
    Object.assign(() => undefined, { why: () => 'no such file' }),
  );
  assert.deepEqual(
    without.problems.map((p) => p.code),
    ['foreign-unresolved'],
  );
});

test('envTrue reads a switch as vLLM does: 1 or true, any case, stripped', () => {
  for (const v of ['1', 'true', 'TRUE', ' True ', 1, true]) assert.equal(envTrue(v), true, String(v));
  for (const v of ['0', 'yes', 'on', '', 'false', 0, false, undefined, null, 'x'.repeat(40)]) assert.equal(envTrue(v), false, String(v));
});
