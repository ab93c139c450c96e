// `#SBATCH --gpus=N` / `-G N` / `--gpus=TYPE:N` is the job's GPU count (sbatch's man page: "the total
// number of GPUs required for the job"); on one node it is the node's count, as `--gres=gpu:N` is.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyEdits, checkText, under } from './servingHelpers';

const script = (opt: string, tp: number, more = '') => `#!/bin/bash
#SBATCH ${opt}
${more}vllm serve Qwen/Qwen2.5-72B-Instruct --tensor-parallel-size ${tp}
`;
const gpuCount = (c: ReturnType<typeof checkText>) => (c.foreign?.[0].cluster?.spec.nodes as { gpu?: { count?: number } } | undefined)?.gpu?.count;

test('#SBATCH -G 2, --gpus=2, --gpus=h100:2, -G2: two GPUs, so TP 4 is a serving-gpus error on the count', () => {
  for (const opt of ['-G 2', '--gpus=2', '--gpus h100:2', '-G A100:2', '-G2']) {
    const text = script(opt, 4);
    const c = checkText(text, 'job.sbatch');
    assert.equal(gpuCount(c), 2, opt);
    const p = c.problems.find((x) => x.code === 'serving-gpus');
    assert.ok(p, `${opt}: ${c.problems.map((x) => x.code).join()}`);
  }
});

test('#SBATCH --gpus=h100:4 with TP 4: no error; the type is read too', () => {
  const c = checkText(script('--gpus=h100:4', 4, '#SBATCH -N 1\n'), 'job.sbatch');
  assert.equal(gpuCount(c), 4);
  assert.ok(!c.problems.some((x) => x.severity === 'error'), c.problems.map((x) => x.message).join('\n'));
  assert.match(String((c.foreign?.[0].cluster?.spec.nodes as { gpu?: { model?: string } } | undefined)?.gpu?.model), /H100/);
});

test('#SBATCH --gpus=8 over --nodes=2 is 4 per node; --gpus-per-node wins over it', () => {
  const c = checkText(script('--gpus=8\n#SBATCH --nodes=2', 4, ''), 'job.sbatch');
  assert.equal(gpuCount(c), 4);
  const d = checkText(script('--gpus=8\n#SBATCH --gpus-per-node=2', 2), 'job.sbatch');
  assert.equal(gpuCount(d), 2);
});

test('a fix of the GPU count edits the digits of --gpus', () => {
  const text = script('--gpus=2', 1);
  const c = checkText(text, 'job.sbatch');
  const p = c.problems.find((x) => x.code === 'foreign-gpus-idle');
  assert.ok(p, c.problems.map((x) => x.code).join());
  assert.equal(under(text, p), '2');
  const fix = p.fixes?.find((f) => f.title.startsWith('Request'));
  assert.ok(fix, (p.fixes ?? []).map((f) => f.title).join(' | '));
  assert.ok(applyEdits(text, fix.edits).includes('#SBATCH --gpus=1\n'), applyEdits(text, fix.edits));
});
