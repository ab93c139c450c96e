// compose `device_ids`: Docker joins the list with commas into NVIDIA_VISIBLE_DEVICES (moby's
// daemon/nvidia_linux.go, setNvidiaGPUs), so `['0,1,2,3']` is four GPUs, `['0', '1']` two, and
// `['all']` every GPU of the machine, as `count: all` is.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText } from './servingHelpers';

const compose = (ids: string, tp: number) => `services:
  vllm:
    image: vllm/vllm-openai:v0.10.0
    deploy:
      resources:
        reservations:
          devices:
            - capabilities: [gpu]
              device_ids: ${ids}
    command: --model Qwen/Qwen2.5-7B-Instruct --tensor-parallel-size ${tp}
`;

const gpuCount = (c: ReturnType<typeof checkText>) => (c.foreign?.[0].cluster?.spec.nodes as { gpu?: { count?: number } } | undefined)?.gpu?.count;
const codes = (c: ReturnType<typeof checkText>) => c.problems.map((p) => p.code);

test("device_ids: ['0,1,2,3'] is four GPUs: TP 4 fits, TP 8 does not", () => {
  const ok = checkText(compose("['0,1,2,3']", 4), 'compose.yaml');
  assert.equal(gpuCount(ok), 4);
  assert.ok(!codes(ok).includes('serving-gpus') && !codes(ok).includes('foreign-gpus-idle'), codes(ok).join());
  const over = checkText(compose("['0,1,2,3']", 8), 'compose.yaml');
  assert.ok(codes(over).includes('serving-gpus'), codes(over).join());
});

test("device_ids: ['0', '1'] and ['0,1', '1'] are two GPUs", () => {
  for (const ids of ["['0', '1']", "['0,1', '1']", '["0, 1"]']) {
    const c = checkText(compose(ids, 2), 'compose.yaml');
    assert.equal(gpuCount(c), 2, ids);
    assert.ok(!codes(c).includes('serving-gpus'), `${ids}: ${codes(c).join()}`);
  }
});

test("device_ids: ['all'] is every GPU, like count: all (no count, no serving-gpus error)", () => {
  const c = checkText(compose("['all']", 2), 'compose.yaml');
  assert.equal(c.foreign?.[0].job.spec.tensorParallel, 2);
  assert.ok(!codes(c).includes('serving-gpus'), codes(c).join());
  assert.ok(
    c.foreign?.[0].assumptions.some((a) => a.includes('all of the machine')),
    c.foreign?.[0].assumptions.join('\n'),
  );
});

test('a list item "${ARGS}" stays one word (Compose does not split it); in a string command it is split', () => {
  const env = (p: string) => (p === '.env' ? 'ARGS=--tensor-parallel-size 2\n' : undefined);
  const list = checkText('services:\n  vllm:\n    image: vllm/vllm-openai:v0.10.0\n    command: ["--model", "Qwen/Qwen2.5-7B-Instruct", "${ARGS}"]\n', 'compose.yaml', undefined, env);
  assert.ok(codes(list).includes('foreign-flag-value'), codes(list).join());
  const str = checkText('services:\n  vllm:\n    image: vllm/vllm-openai:v0.10.0\n    command: --model Qwen/Qwen2.5-7B-Instruct ${ARGS}\n', 'compose.yaml', undefined, env);
  assert.equal(str.foreign?.[0].job.spec.tensorParallel, 2);
  assert.ok(!codes(str).includes('foreign-flag-value'), codes(str).join());
});
