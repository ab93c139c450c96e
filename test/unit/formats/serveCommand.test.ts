// Which words are a vLLM/SGLang launch, and which engine version a file names: an `echo` that
// mentions `vllm serve` launches nothing; a base image's tag is the engine's version only when the
// image is the engine's, and a Dockerfile's `RUN pip install vllm==X` pins it.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { findServeCommand, imageVersion, namedEngineVersion } from '../../../core/formats/vllmArgs';
import { tokenizeShell } from '../../../core/formats/shellWords';
import { checkText, estimateOf } from './helpers';
import type { ServingEstimate } from '../../../core/estimate/index';

const launches = (line: string) => tokenizeShell(line).commands.map((c) => findServeCommand(c.words)?.launcher ?? null);

test('a command that only names the launcher (echo, printf, pkill, grep, which) is no launch; wrappers and env prefixes still are', () => {
  assert.deepEqual(launches('echo Launching vllm serve now'), [null]);
  assert.deepEqual(launches("printf '%s\\n' starting; pkill -f vllm serve; grep vllm serve log.txt; which vllm serve"), [null, null, null, null]);
  assert.deepEqual(launches('exec env CUDA_VISIBLE_DEVICES=0 nohup vllm serve Qwen/Qwen2.5-7B-Instruct'), ['vllm serve']);
  assert.deepEqual(launches('HF_HOME=/cache srun --job-name test vllm serve Qwen/Qwen2.5-7B-Instruct'), ['vllm serve']);
  assert.deepEqual(launches('python3 -m sglang.launch_server --model-path Qwen/Qwen2.5-7B-Instruct'), ['sglang.launch_server']);
});

test('a script whose echo mentions vllm serve is checked on its real launch only: no "unknown model now"', () => {
  const c = checkText('#!/bin/bash\necho Launching vllm serve now\nvllm serve Qwen/Qwen2.5-7B-Instruct --max-model-len 16384\n', '/w/serve.sh');
  assert.deepEqual(
    c.problems.map((p) => p.code),
    [],
  );
  assert.equal(c.estimates.length, 1);
});

test("an image tag is the engine's version only for the engine's own image", () => {
  assert.equal(imageVersion('vllm/vllm-openai:v0.19.0', 'vllm'), '0.19.0');
  assert.equal(imageVersion('registry.local:5000/mirror/vllm-openai:0.10.1', 'vllm'), '0.10.1');
  assert.equal(imageVersion('lmsysorg/sglang:v0.5.2-cu126', 'sglang'), '0.5.2-cu126');
  assert.equal(imageVersion('python:3.11-slim', 'vllm'), undefined);
  assert.equal(imageVersion('nvcr.io/nvidia/pytorch:24.05-py3', 'vllm'), undefined);
  assert.equal(imageVersion('lmsysorg/sglang:v0.5.2', 'vllm'), undefined);
  assert.equal(imageVersion('vllm/vllm-openai', 'vllm'), undefined);
});

test('a Dockerfile on a python base image takes the version its RUN pip install pins, not the base image tag', () => {
  const text = 'FROM python:3.11-slim\nRUN pip install --no-cache-dir vllm==0.8.5 \\\n    huggingface_hub\nCMD vllm serve Qwen/Qwen2.5-7B-Instruct --max-model-len 8192\n';
  const e = estimateOf(checkText(text, '/w/Dockerfile')) as unknown as ServingEstimate;
  assert.ok(
    e.assumptions.some((a) => a === 'Engine: vLLM 0.8.5.'),
    JSON.stringify(e.assumptions),
  );
  assert.ok(!e.assumptions.some((a) => a.includes('3.11')), JSON.stringify(e.assumptions));
  const unpinned = estimateOf(checkText(text.replace('vllm==0.8.5', 'vllm'), '/w/Dockerfile')) as unknown as ServingEstimate;
  assert.ok(!unpinned.assumptions.some((a) => a.includes('3.11')), JSON.stringify(unpinned.assumptions));
});

test("a context beyond the model's is refused in the engine's own words: SGLang and its override, not vLLM's", () => {
  const sg = checkText('python -m sglang.launch_server --model-path Qwen/Qwen2.5-7B-Instruct --context-length 500000\n', '/w/sg.sh');
  const p = sg.problems.find((x) => x.code === 'max-model-len');
  assert.ok(p, JSON.stringify(sg.problems.map((x) => x.message)));
  assert.match(p.message, /^--context-length 500000 exceeds the model's context of \d+ tokens; SGLang refuses to start \(unless SGLANG_ALLOW_OVERWRITE_LONGER_CONTEXT_LEN=1\)\.$/);
  const v = checkText('vllm serve Qwen/Qwen2.5-7B-Instruct --max-model-len 500000\n', '/w/v.sh');
  assert.match(v.problems.find((x) => x.code === 'max-model-len')?.message ?? '', /vLLM refuses to start \(unless VLLM_ALLOW_LONG_MAX_MODEL_LEN=1\)/);
});

test('a slip of a known flag is a warning with a "did you mean" fix that keeps the value; real flags and short names are left alone', () => {
  const text = 'vllm serve meta-llama/Llama-3.1-8B-Instruct --tensor-paralel-size 1 --max-model-length=8192 --served-model-name x --tp 1\n';
  const c = checkText(text, '/w/serve.sh');
  const slips = c.problems.filter((p) => p.code === 'foreign-unknown-flag');
  assert.deepEqual(
    slips.map((p) => [text.slice(p.offset, p.offset + p.length), p.severity, p.fixes?.[0]?.title]),
    [
      ['--tensor-paralel-size', 'warning', 'Change to --tensor-parallel-size'],
      ['--max-model-length', 'warning', 'Change to --max-model-len'],
    ],
  );
  const e = slips[1].fixes![0].edits[0];
  assert.equal(text.slice(0, e.offset) + e.newText + text.slice(e.offset + e.length), text.replace('--max-model-length=8192', '--max-model-len=8192'));
  const sg = checkText('python -m sglang.launch_server --model-path Qwen/Qwen2.5-7B-Instruct --dp-size 2 --tp-szie 1 --mem-fraction-static 0.8\n', '/w/sg.sh');
  assert.deepEqual(
    sg.problems.filter((p) => p.code === 'foreign-unknown-flag'),
    [],
  );
});

test('a flag and its value in one list item is an error on that item', () => {
  const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: v\n    image: vllm/vllm-openai:v0.19.0\n    args: ["--model", "meta-llama/Llama-3.1-8B-Instruct", "--max-model-len 8192"]\n';
  const p = checkText(text, '/w/pod.yaml').problems.find((x) => x.code === 'foreign-flag-value');
  assert.ok(p && p.severity === 'error', JSON.stringify(p));
  assert.equal(text.slice(p.offset, p.offset + p.length), '--max-model-len 8192');
  assert.match(p.message, /one word with a space in it/);
});

test('a model read at run time ($1, $(MODEL) from a Secret) is one warning on the model and no estimate, not an error', () => {
  const sh = checkText('vllm serve "$1" --max-model-len 8192\n', '/w/serve.sh');
  assert.deepEqual(
    sh.problems.map((p) => [p.code, p.severity]),
    [['foreign-unresolved', 'warning']],
  );
  assert.equal(sh.estimates.length, 0);
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: v\n    image: vllm/vllm-openai:v0.19.0\n    env:\n    - name: MODEL\n      valueFrom: {secretKeyRef: {name: s, key: m}}\n    args: ["--model", "$(MODEL)"]\n';
  const k = checkText(pod, '/w/pod.yaml');
  assert.deepEqual(
    k.problems.map((p) => [p.code, p.severity, pod.slice(p.offset, p.offset + p.length)]),
    [['foreign-unresolved', 'warning', '$(MODEL)']],
  );
});

test('a message names the GPUs the file gives (the pod limit), not the Cluster Gantry made up for it', () => {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: v\n    image: vllm/vllm-openai:v0.19.0\n    args: ["--model", "meta-llama/Llama-3.1-8B-Instruct", "--tensor-parallel-size", "4", "--pipeline-parallel-size", "2"]\n    resources: {limits: {nvidia.com/gpu: 4}}\n';
  const p = checkText(pod, '/w/pod.yaml').problems.find((x) => x.code === 'serving-gpus');
  assert.ok(p, 'serving-gpus');
  assert.match(p.message, /= 8 GPUs, but resources\.limits\["nvidia\.com\/gpu"\] has 4\.$/);
  assert.doesNotMatch(p.message, /cluster '/);
});

test('what vLLM refuses before compute capability 8.0: bf16 on a V100 (fix: float16), FP8 on a T4; auto and fp16 pass', () => {
  const v100 = '#!/bin/bash\n#SBATCH --gres=gpu:v100:1\nvllm serve meta-llama/Llama-3.2-3B-Instruct --dtype bfloat16 --max-model-len 8192\n';
  const c = checkText(v100, '/w/v100.sbatch');
  const p = c.problems.find((x) => x.code === 'gpu-dtype');
  assert.ok(p && p.severity === 'error', JSON.stringify(c.problems));
  assert.equal(v100.slice(p.offset, p.offset + p.length), 'bfloat16');
  const e = p.fixes?.[0]?.edits[0];
  assert.ok(e);
  assert.equal(v100.slice(0, e.offset) + e.newText + v100.slice(e.offset + e.length), v100.replace('bfloat16', 'float16'));
  for (const ok of [v100.replace('--dtype bfloat16 ', ''), v100.replace('bfloat16', 'float16')]) {
    assert.ok(!checkText(ok, '/w/v100.sbatch').problems.some((x) => x.code === 'gpu-dtype'), ok);
  }
  const t4 = '#!/bin/bash\n#SBATCH --gres=gpu:t4:1\nvllm serve Qwen/Qwen2.5-1.5B-Instruct --quantization fp8 --max-model-len 4096\n';
  assert.match(checkText(t4, '/w/t4.sbatch').problems.find((x) => x.code === 'gpu-dtype')?.message ?? '', /FP8 needs compute capability 8\.0/);
});

test('what argparse refuses is an error at the flag or value, for vLLM and SGLang: a flag without its value, a word an int flag cannot take', () => {
  const cases: [string, string, string[]][] = [
    ['vllm serve meta-llama/Llama-3.1-8B-Instruct --port notaport --max-model-len\n', '/w/v.sh', ['notaport', '--max-model-len']],
    ['python -m sglang.launch_server --model-path meta-llama/Llama-3.1-8B-Instruct --port notaport --context-length\n', '/w/sg.sh', ['notaport', '--context-length']],
    // Followed by another flag, argparse takes that one as an option: --max-model-len is left without a value.
    ['vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len --port 8000\n', '/w/v2.sh', ['--max-model-len']],
    ['python -m sglang.launch_server --model-path meta-llama/Llama-3.1-8B-Instruct --tp-size two\n', '/w/sg2.sh', ['two']],
  ];
  for (const [text, file, at] of cases) {
    const c = checkText(text, file);
    const ps = c.problems.filter((p) => p.code === 'foreign-flag-value');
    assert.deepEqual(
      ps.map((p) => [p.severity, text.slice(p.offset, p.offset + p.length)]),
      at.map((a) => ['error', a]),
      text,
    );
    assert.match(ps[0].message, /argument parser/);
  }
  // Numbers where numbers belong pass.
  assert.ok(!checkText('vllm serve meta-llama/Llama-3.1-8B-Instruct --port 8000 --max-model-len 8192\n', '/w/ok.sh').problems.some((p) => p.code === 'foreign-flag-value'));
});

test('a number written with its quotes as a list item reaches vLLM with them: an error on the value, and a fix that drops only the quotes', () => {
  const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: v\n    image: vllm/vllm-openai:v0.19.0\n    args:\n    - --model=meta-llama/Llama-3.1-8B-Instruct\n    - --max-model-len="300000"\n';
  const c = checkText(text, '/w/pod.yaml');
  const p = c.problems.find((x) => x.code === 'foreign-flag-value');
  assert.ok(p && p.severity === 'error', JSON.stringify(c.problems));
  assert.equal(text.slice(p.offset, p.offset + p.length), '"300000"');
  const e = p.fixes?.[0]?.edits[0];
  assert.ok(e, 'a fix');
  const fixed = text.slice(0, e.offset) + e.newText + text.slice(e.offset + e.length);
  assert.equal(fixed, text.replace('"300000"', '300000'));
  // Now the value reads as a number, beyond the model's context, and that error sits on the digits.
  const again = checkText(fixed, '/w/pod.yaml').problems.find((x) => x.code === 'max-model-len');
  assert.equal(again && fixed.slice(again.offset, again.offset + again.length), '300000');
});

test('--quantization awq with --dtype float32: vLLM refuses it (AWQ kernels take float16), one gpu-dtype error on the dtype, with a fix', () => {
  const text = '#!/bin/bash\nvllm serve Qwen/Qwen2.5-7B-Instruct-AWQ --quantization awq --dtype float32 --max-model-len 8192\n';
  const c = checkText(text, '/w/awq.sh');
  const ps = c.problems.filter((x) => x.code === 'gpu-dtype' || x.code === 'quantization-dtype');
  assert.deepEqual(
    ps.map((p) => [p.code, p.severity, text.slice(p.offset, p.offset + p.length)]),
    [['gpu-dtype', 'error', 'float32']],
  );
  assert.match(ps[0].message, /torch\.float32 is not supported for quantization method/);
  const e = ps[0].fixes?.[0]?.edits[0];
  assert.ok(e);
  const fixed = text.slice(0, e.offset) + e.newText + text.slice(e.offset + e.length);
  assert.equal(fixed, text.replace('float32', 'float16'));
  assert.ok(!checkText(fixed, '/w/awq.sh').problems.some((x) => x.code === 'gpu-dtype'));
  // awq_marlin takes bfloat16; FP8 with float32 is the same refusal, said once (not also as quantization-dtype).
  assert.ok(!checkText(text.replace('awq --dtype float32', 'awq_marlin --dtype bfloat16'), '/w/awq.sh').problems.some((x) => x.code === 'gpu-dtype'));
  const fp8 = checkText('vllm serve Qwen/Qwen2.5-7B-Instruct --quantization fp8 --dtype float --max-model-len 8192\n', '/w/fp8.sh').problems.filter((x) => x.code === 'gpu-dtype' || x.code === 'quantization-dtype');
  assert.deepEqual(
    fp8.map((p) => [p.code, p.severity]),
    [['gpu-dtype', 'error']],
  );
});

test('a container\'s sh -c "pip install vllm==X && vllm serve …" names the engine version, as a Dockerfile\'s RUN does', () => {
  const pod = (image: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: v\n    image: ${image}\n    command: ["bash", "-c", "pip install vllm==0.8.5 && vllm serve Qwen/Qwen2.5-7B-Instruct --max-model-len 8192"]\n    resources: {limits: {nvidia.com/gpu: 1}}\n`;
  for (const image of ['python:3.11', 'vllm/vllm-openai:v0.19.0']) {
    const e = estimateOf(checkText(pod(image), '/w/pod.yaml')) as unknown as ServingEstimate;
    assert.ok(e.assumptions.includes('Engine: vLLM 0.8.5.'), JSON.stringify(e.assumptions));
  }
  const text = 'FROM vllm/vllm-openai:v0.19.0\nRUN pip install vllm==0.8.5\nCMD ["--model", "Qwen/Qwen2.5-7B-Instruct", "--max-model-len", "8192"]\n';
  const d = estimateOf(checkText(text, '/w/Dockerfile')) as unknown as ServingEstimate;
  assert.ok(d.assumptions.includes('Engine: vLLM 0.8.5.'), JSON.stringify(d.assumptions));
  assert.equal(namedEngineVersion('vllm', { image: 'vllm/vllm-openai:v0.19.0', commands: tokenizeShell('pip3 install -U "vllm[audio]==0.10.1.1"').commands }), '0.10.1.1');
  assert.equal(namedEngineVersion('vllm', { image: 'vllm/vllm-openai:v0.19.0', commands: tokenizeShell('pip install sglang==0.5.2').commands }), '0.19.0');
});

test("a shell expansion the reader does not evaluate is a warning that the default is assumed, not 'the server does not start'; a float with an exponent is a number", () => {
  for (const script of ['DEFAULT_LEN=4096\nvllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len ${MAX_LEN:-${DEFAULT_LEN}}\n', 'MAX=$(( 1 << 14 ))\nvllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len $MAX\n']) {
    const c = checkText(script, '/w/serve.sh');
    const p = c.problems.find((x) => x.path?.join('.') === 'spec.maxModelLen' || x.code === 'foreign-unresolved');
    assert.equal(p?.code, 'foreign-unresolved', JSON.stringify(c.problems));
    assert.equal(p.severity, 'warning');
    assert.ok(!c.problems.some((x) => x.code === 'foreign-flag-value'));
  }
  const e = checkText('vllm serve meta-llama/Llama-3.1-8B-Instruct --gpu-memory-utilization 0.9e0 --max-model-len 8192\n', '/w/serve.sh');
  assert.deepEqual(
    e.problems.filter((x) => x.severity === 'error'),
    [],
  );
  assert.equal(e.foreign?.[0].job.spec.gpuMemoryUtilization, 0.9);
});

test("a script's `docker run … vllm/vllm-openai:TAG FLAGS` (vLLM's documented form) is the image's server with those flags; `bash -c \"vllm serve …\"` is read", () => {
  const docker = `#!/bin/bash
docker run --runtime nvidia --gpus all \\
    -v ~/.cache/huggingface:/root/.cache/huggingface \\
    --env "HUGGING_FACE_HUB_TOKEN=$HF_TOKEN" -e VLLM_ALLOW_LONG_MAX_MODEL_LEN=1 \\
    -p 8000:8000 --ipc=host \\
    vllm/vllm-openai:v0.19.0 \\
    --model meta-llama/Llama-3.1-8B-Instruct --max-model-len 200000
`;
  const c = checkText(docker, '/w/run.sh');
  // The container's env (-e) lets vLLM start past the context; the tag names the version.
  assert.deepEqual(
    c.problems.map((p) => [p.code, p.severity, docker.slice(p.offset, p.offset + p.length)]),
    [['max-model-len', 'warning', '200000']],
  );
  assert.equal(c.estimates.length, 1);
  assert.match((c.estimates[0].estimate as ServingEstimate).assumptions.join('\n'), /vLLM 0\.19\.0 \(from /);
  // Another image, or --entrypoint, is not the engine's server.
  assert.equal(checkText('#!/bin/bash\ndocker run --gpus all python:3.11 --model x\n', '/w/run.sh').estimates.length, 0);
  assert.equal(checkText('#!/bin/bash\ndocker run --entrypoint bash vllm/vllm-openai:latest -c "sleep 1"\n', '/w/run.sh').estimates.length, 0);
  const dashC = '#!/bin/bash\nbash -c "vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192 --tensor-parallel-size 3"\n';
  const d = checkText(dashC, '/w/run.sh');
  const tp = d.problems.find((p) => p.code === 'heads-divisible' || p.code === 'tp-divides-heads' || p.message.includes('tensor'));
  assert.ok(tp, d.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
  assert.equal(dashC.slice(tp.offset, tp.offset + tp.length), '3');
});

test('a signed number is a number, as Python reads it: `--tensor-parallel-size -2` is out of range, not "not a whole number"; one of a unit is singular', () => {
  const text = '#!/bin/bash\nvllm serve meta-llama/Llama-3.1-8B-Instruct --tensor-parallel-size -2 --max-model-len 0\n';
  const c = checkText(text, '/w/serve.sh');
  assert.deepEqual(
    c.problems.map((p) => [p.code, text.slice(p.offset, p.offset + p.length), p.message]),
    [
      ['schema-range', '-2', '--tensor-parallel-size must be at least 1, not -2.'],
      ['schema-range', '0', '--max-model-len must be at least 1 token, not 0.'],
    ],
  );
});

test('compose: `entrypoint: [bash, -c]` with a string command is an error at its first word (Compose splits it, the shell runs that word alone); a list command is read', () => {
  const svc = (command: string) => `services:\n  llm:\n    image: vllm/vllm-openai:v0.20.1\n    entrypoint: ["/bin/bash", "-c"]\n    command: ${command}\n`;
  const text = svc('"vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192"');
  const c = checkText(text, '/w/compose.yaml');
  assert.deepEqual(
    c.problems.map((p) => [p.code, p.severity, text.slice(p.offset, p.offset + p.length)]),
    [['foreign-entrypoint', 'error', 'vllm']],
  );
  assert.match(c.problems[0].message, /Compose splits a string command: into words/);
  // A reader error withholds the estimate (estimateWithheld).
  assert.equal(c.estimates.length, 0);
  const listed = checkText(svc('["vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192"]'), '/w/compose.yaml');
  assert.deepEqual(
    listed.problems.map((p) => p.code),
    [],
  );
  assert.equal(listed.estimates.length, 1);
});
