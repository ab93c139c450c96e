// Quick fixes on foreign files, written in the file's own syntax: each fix's edits are applied to
// the text and the file is checked again, and the problem it fixed is gone.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyEdits, checkText, fixture, under } from './servingHelpers';

test('KServe on an L4: every fix of kv-cache-too-small (max-model-len, fp8 KV cache, tensor parallel + GPU limit) re-checks clean, or says it is not enough', () => {
  const text = fixture('kserve.yaml');
  const c = checkText(text, 'kserve.yaml');
  const p = c.problems.find((x) => x.code === 'kv-cache-too-small');
  assert.ok(p);
  assert.equal(under(text, p), '65536', 'the error is on the value inside --max-model-len=65536');
  const titles = (p.fixes ?? []).map((f) => f.title);
  assert.equal(titles.length, 3, titles.join(' | '));
  for (const fix of p.fixes!) {
    const fixed = applyEdits(text, fix.edits);
    const again = checkText(fixed, 'kserve.yaml');
    // The fixes are sized for the first start (a compile inside vLLM's profile): the fp8 cache alone is a little short
    // of it, and says so; the others start the first time.
    const errors = again.problems.filter((x) => x.severity === 'error');
    if (fix.title.includes('still too small'))
      assert.deepEqual(
        errors.map((x) => x.code),
        ['kv-cache-too-small'],
        fix.title,
      );
    else assert.equal(errors.length, 0, `${fix.title}: ${again.problems.map((x) => x.message).join('; ')}`);
  }
  const tp = p.fixes!.find((f) => f.title.includes('--tensor-parallel-size') || f.title.includes('tensorParallel'))!;
  const fixed = applyEdits(text, tp.edits);
  assert.ok(fixed.includes('        - --tensor-parallel-size\n        - "2"'), 'a new flag as list items in the same style');
  const isvc = fixed.slice(0, fixed.indexOf('kind: ServingRuntime'));
  assert.equal(isvc.split('nvidia.com/gpu: "2"').length - 1, 2, 'limits and requests follow the new tensor-parallel size');
  const kv = p.fixes!.find((f) => f.title.includes('fp8'))!;
  assert.ok(applyEdits(text, kv.edits).includes('- --kv-cache-dtype\n        - fp8'));
});

const deployment = (args: string, gpus = 1) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: big
spec:
  template:
    spec:
      nodeSelector:
        nvidia.com/gpu.product: NVIDIA-H100-80GB-HBM3
      containers:
        - name: vllm
          image: vllm/vllm-openai:latest
          command: ["vllm", "serve"]
          args: ${args}
          resources:
            limits:
              nvidia.com/gpu: ${gpus}
`;

test('a 70B model on one H100: the weights do not fit; the tensor-parallel fix writes the list item and the GPU limit', () => {
  const text = deployment('["meta-llama/Llama-3.1-70B-Instruct", "--tensor-parallel-size", "1", "--max-model-len", "8192"]');
  const c = checkText(text, 'big.yaml');
  const p = c.problems.find((x) => x.code === 'memory-exceeds-capacity');
  assert.ok(p, c.problems.map((x) => x.code).join());
  assert.equal(under(text, p), '1', 'on the --tensor-parallel-size value');
  const fix = p.fixes?.find((f) => f.title.includes('--tensor-parallel-size'));
  assert.ok(fix);
  const fixed = applyEdits(text, fix.edits);
  assert.ok(fixed.includes('"--tensor-parallel-size", "2"'), fixed);
  assert.ok(fixed.includes('nvidia.com/gpu: 2'), fixed);
  const again = checkText(fixed, 'big.yaml');
  assert.equal(again.problems.filter((x) => x.severity === 'error').length, 0, again.problems.map((x) => x.message).join('; '));
});

test('max-model-len beyond the model context: the error is on the value, the fix edits it in place (split and joined forms)', () => {
  for (const args of ['["meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "200000"]', '["meta-llama/Llama-3.1-8B-Instruct", "--max-model-len=200000"]']) {
    const text = deployment(args);
    const c = checkText(text, 'd.yaml');
    const p = c.problems.find((x) => x.code === 'max-model-len');
    assert.ok(p, c.problems.map((x) => x.code).join());
    assert.equal(under(text, p), '200000');
    const fixed = applyEdits(text, p.fixes![0].edits);
    assert.ok(fixed.includes('131072'));
    assert.ok(!checkText(fixed, 'd.yaml').problems.some((x) => x.code === 'max-model-len'));
  }
});

test('a pod asking for more GPUs than tp × pp uses: a warning on the limit, with a fix', () => {
  const text = deployment('["meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "8192"]', 4);
  const c = checkText(text, 'd.yaml');
  const p = c.problems.find((x) => x.code === 'foreign-gpus-idle');
  assert.ok(p);
  assert.equal(p.severity, 'warning');
  assert.equal(under(text, p), '4');
  const fixed = applyEdits(text, p.fixes![0].edits);
  assert.ok(!checkText(fixed, 'd.yaml').problems.some((x) => x.code === 'foreign-gpus-idle'));
});

test('a script: the fix edits the variable the flag is written with ($MAX_LEN), and appends new flags after the command', () => {
  const text = `#!/bin/bash
#SBATCH --gres=gpu:l4:1
MODEL=meta-llama/Llama-3.1-8B-Instruct
MAX_LEN=131072
srun vllm serve $MODEL \\
  --max-model-len $MAX_LEN \\
  --port 8000
`;
  const c = checkText(text, 'serve.sh');
  const p = c.problems.find((x) => x.code === 'kv-cache-too-small');
  assert.ok(p, c.problems.map((x) => `${x.code} ${x.message}`).join('\n'));
  for (const fix of p.fixes!) {
    const fixed = applyEdits(text, fix.edits);
    const again = checkText(fixed, 'serve.sh');
    // A fix that says it is not enough on its own ("still too small") is offered, honestly, as such.
    if (!fix.title.includes('still too small')) assert.ok(!again.problems.some((x) => x.code === 'kv-cache-too-small'), `${fix.title}\n${fixed}`);
    if (fix.title.startsWith('Lower')) assert.ok(fixed.includes('MAX_LEN=') && !fixed.includes('MAX_LEN=131072'), fixed);
    if (fix.title.includes('fp8')) assert.ok(fixed.includes('--port 8000 --kv-cache-dtype fp8'), fixed);
    if (fix.title.includes('--tensor-parallel-size')) assert.ok(fixed.includes('gpu:l4:'), fixed);
  }
});

test('SkyPilot: --tensor-parallel-size $SKYPILOT_NUM_GPUS_PER_NODE is the accelerator count, and a fix edits accelerators', () => {
  const text = `resources:
  accelerators: L4:1
envs:
  MODEL: meta-llama/Llama-3.1-8B-Instruct
run: |
  vllm serve $MODEL --tensor-parallel-size $SKYPILOT_NUM_GPUS_PER_NODE --max-model-len 131072
`;
  const c = checkText(text, 'task.yaml');
  assert.equal(c.foreign?.[0].job.spec.tensorParallel, 1);
  const p = c.problems.find((x) => x.code === 'kv-cache-too-small');
  assert.ok(p);
  const tp = p.fixes?.find((f) => f.title.includes('--tensor-parallel-size'));
  assert.ok(tp);
  const fixed = applyEdits(text, tp.edits);
  assert.ok(fixed.includes('accelerators: L4:2'), fixed);
});

test('a script with --max-model-len="300000": the error and its fix land on the digits inside the quotes', () => {
  const text = '#!/bin/bash\nvllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len="300000" --port 8000\n';
  const c = checkText(text, 'serve.sh');
  const p = c.problems.find((x) => x.code === 'max-model-len');
  assert.ok(p, c.problems.map((x) => x.code).join());
  assert.equal(under(text, p), '300000');
  assert.match(p.message, /^--max-model-len 300000 exceeds/);
  const fix = p.fixes?.[0];
  assert.ok(fix, 'a fix is offered');
  const fixed = applyEdits(text, fix.edits);
  assert.equal(fixed, text.replace('"300000"', '"131072"'));
  assert.ok(!checkText(fixed, 'serve.sh').problems.some((x) => x.code === 'max-model-len'));
});

test('a sh -c script in a manifest with --max-model-len="300000" (escaped quotes in a YAML string): the error is on the digits', () => {
  const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: v\n    image: vllm/vllm-openai:v0.19.0\n    command: ["sh", "-c", "vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len=\'300000\'"]\n';
  const c = checkText(text, 'pod.yaml');
  const p = c.problems.find((x) => x.code === 'max-model-len');
  assert.ok(p, c.problems.map((x) => x.code).join());
  assert.equal(under(text, p), '300000');
  const fixed = applyEdits(text, p.fixes![0].edits);
  assert.ok(fixed.includes("--max-model-len='131072'"), fixed);
});

const lws = (tp: number, pp: number, leaderGpus: number, workerGpus: number) => `apiVersion: leaderworkerset.x-k8s.io/v1
kind: LeaderWorkerSet
metadata:
  name: vllm-70b
spec:
  leaderWorkerTemplate:
    size: 2
    leaderTemplate:
      spec:
        nodeSelector:
          nvidia.com/gpu.product: NVIDIA-H100-80GB-HBM3
        containers:
          - name: leader
            image: vllm/vllm-openai:v0.8.5
            command: ["sh", "-c", "ray start --head; vllm serve meta-llama/Llama-3.1-70B-Instruct --tensor-parallel-size ${tp} --pipeline-parallel-size ${pp} --max-model-len 8192"]
            resources:
              limits:
                nvidia.com/gpu: "${leaderGpus}"
    workerTemplate:
      spec:
        containers:
          - name: worker
            image: vllm/vllm-openai:v0.8.5
            command: ["sh", "-c", "ray start --block"]
            resources:
              limits:
                nvidia.com/gpu: "${workerGpus}"
`;

test('a LeaderWorkerSet group asking for more GPUs than tp × pp uses: idle GPUs on the leader limit, as for a Deployment', () => {
  const text = lws(8, 1, 8, 8);
  const c = checkText(text, 'lws.yaml');
  const p = c.problems.find((x) => x.code === 'foreign-gpus-idle');
  assert.ok(p, c.problems.map((x) => `${x.code} ${x.message}`).join('\n'));
  assert.equal(p.severity, 'warning');
  assert.equal(under(text, p), '8');
  assert.ok(p.offset < text.indexOf('workerTemplate'), 'on the leader pod');
  assert.match(p.message, /2 pods ask for 8 GPUs each .* = 16, but the command uses tensor 8 × pipeline 1 = 8: 8 stay idle\.$/);
  // No fix that would split tensor parallel 8 over two 4-GPU pods.
  assert.equal(p.fixes, undefined);
  // What the group uses in full, and a worker that asks for less, each counted as written.
  assert.ok(!checkText(lws(8, 2, 8, 8), 'lws.yaml').problems.some((x) => x.code === 'foreign-gpus-idle'));
  const uneven = lws(4, 2, 8, 4);
  const q = checkText(uneven, 'lws.yaml').problems.find((x) => x.code === 'foreign-gpus-idle');
  assert.ok(q);
  assert.match(q.message, /12 GPUs: 8 for the leader .* and 4 for its worker, but the command uses tensor 4 × pipeline 2 = 8: 4 stay idle\.$/);
  const fixed = applyEdits(uneven, q.fixes![0].edits);
  assert.equal(fixed, uneven.replace('nvidia.com/gpu: "8"', 'nvidia.com/gpu: "4"'));
  assert.ok(!checkText(fixed, 'lws.yaml').problems.some((x) => x.code === 'foreign-gpus-idle'));
});

test('the tensor-parallel fix that raises the GPU count is one set of edits that do not overlap (an editor refuses overlapping edits)', () => {
  const cases: [string, string][] = [
    ['s.sbatch', '#!/bin/bash\n#SBATCH --gres=gpu:l4:1\nLEN=\'131072\'\nvllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len "$LEN" # comment\n'],
    [
      'd.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: llm\nspec:\n  template:\n    spec:\n      nodeSelector:\n        nvidia.com/gpu.product: NVIDIA-L4\n      containers:\n        - name: vllm\n          image: vllm/vllm-openai:v0.19.0\n          command: ["vllm", "serve", "meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "131072"]\n          resources:\n            limits:\n              nvidia.com/gpu: 1\n',
    ],
  ];
  for (const [name, text] of cases) {
    const c = checkText(text, `/w/${name}`);
    const p = c.problems.find((x) => x.code === 'kv-cache-too-small');
    const fix = p?.fixes?.find((f) => f.title.startsWith('Set --tensor-parallel-size to'));
    assert.ok(fix, `${name}: ${JSON.stringify(p?.fixes?.map((f) => f.title))}`);
    const sorted = [...fix.edits].sort((a, b) => a.offset - b.offset);
    for (let k = 1; k < sorted.length; k++) assert.ok(sorted[k].offset >= sorted[k - 1].offset + sorted[k - 1].length, `${name}: overlapping edits ${JSON.stringify(fix.edits)}`);
    const after = applyEdits(text, fix.edits);
    assert.ok(after.includes('--tensor-parallel-size'), after);
    assert.ok(!checkText(after, `/w/${name}`).problems.some((x) => x.code === 'kv-cache-too-small' || x.code === 'serving-gpus'), after);
  }
});

test('compose: a sh -c script (its own entrypoint, or in command:) is read for its serve command and pip pin; a shell handed to the engine image is the error', () => {
  const own = 'services:\n  llm:\n    image: vllm/vllm-openai:v0.8.5\n    entrypoint: ["/bin/sh", "-c"]\n    command: ["pip install vllm==0.10.1 && vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 300000"]\n';
  const c = checkText(own, '/w/docker-compose.yml');
  const len = c.problems.find((p) => p.code === 'max-model-len');
  assert.equal(own.slice(len!.offset, len!.offset + len!.length), '300000');
  assert.equal(applyEdits(own, len!.fixes![0].edits).includes('--max-model-len 131072"'), true);
  assert.equal(c.foreign?.[0].job.spec.engineVersion, '0.10.1');
  const plain = 'services:\n  llm:\n    image: python:3.11\n    command: bash -c "pip install vllm && vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192"\n';
  assert.equal(checkText(plain, '/w/docker-compose.yml').foreign?.length, 1);
  const handed = 'services:\n  llm:\n    image: vllm/vllm-openai:v0.8.5\n    command: bash -c "vllm serve meta-llama/Llama-3.1-8B-Instruct"\n';
  const h = checkText(handed, '/w/docker-compose.yml');
  assert.deepEqual(
    h.problems.map((p) => p.code),
    ['foreign-entrypoint'],
  );
  assert.equal(handed.slice(h.problems[0].offset, h.problems[0].offset + h.problems[0].length), 'bash');
});
