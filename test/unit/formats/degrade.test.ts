// Where the engine starts but degrades (issue 10): tensor parallel over PCIe-only GPUs, and a
// --max-num-seqs above the number of full-length requests the KV cache holds — warnings at the flag.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkText } from './servingHelpers';

const script = (flags: string) => `#!/bin/bash\n#SBATCH --gres=gpu:l4:2\nvllm serve meta-llama/Llama-3.1-8B-Instruct --tensor-parallel-size 2 --max-model-len 8192 ${flags}\n`;
const at = (text: string, p: { offset: number; length: number }) => text.slice(p.offset, p.offset + p.length);

test('tensor parallel over PCIe and --max-num-seqs beyond the KV cache: warnings at the flags', () => {
  const text = script('--max-num-seqs 512');
  const c = checkText(text, 'serve.sbatch');
  const pcie = c.problems.find((p) => p.code === 'tp-over-pcie');
  const seqs = c.problems.find((p) => p.code === 'concurrency-below-max-seqs');
  assert.ok(pcie && seqs, JSON.stringify(c.problems));
  assert.equal(pcie.severity, 'warning');
  assert.equal(at(text, pcie), '2');
  assert.equal(at(text, seqs), '512');
  assert.match(seqs.message, /--max-num-seqs 512/);
});

test('no concurrency warning when --max-num-seqs is not given or fits', () => {
  for (const flags of ['', '--max-num-seqs 8']) {
    const c = checkText(script(flags), 'serve.sbatch');
    assert.ok(!c.problems.some((p) => p.code === 'concurrency-below-max-seqs'), flags);
  }
});
