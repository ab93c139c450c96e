// Log parsing: training metrics in common formats, error detectors, rank prefixes, sanitising.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { compileMetricPattern, parseTrainingLine } from '../../../core/logs/metrics';
import { detectError } from '../../../core/logs/errors';
import { parseRankPrefix, splitByRank } from '../../../core/logs/prefix';
import { sanitizeLine } from '../../../core/logs/sanitize';

const metricCases: [string, string, object | undefined][] = [
  ['HF Trainer', "{'loss': 2.3456, 'grad_norm': 1.25, 'learning_rate': 4.99e-05, 'epoch': 0.01}", { loss: 2.3456, lr: 4.99e-5 }],
  ['HF Trainer summary', "{'train_runtime': 12.3, 'train_samples_per_second': 5.2, 'train_loss': 2.1, 'epoch': 3.0}", { loss: 2.1 }],
  ['Megatron', ' [2026-11-22 16:30:00] iteration       10/  500000 | consumed samples:          640 | elapsed time per iteration (ms): 1234.5 | learning rate: 1.500E-06 | global batch size:    64 | lm loss: 1.012345E+01 | loss scale: 1.0 | grad norm: 5.123 |', { step: 10, loss: 10.12345, lr: 1.5e-6 }],
  ['torchtitan', '[rank0]:[titan] 2026-11-22 16:30:00,123 - root - INFO - step: 10  loss:  7.9876  memory: 30.12GiB(38.05%)  tps: 5,432  tflops: 123.45  mfu: 12.34%', { step: 10, loss: 7.9876, tokensPerSec: 5432 }],
  ['Lightning', 'Epoch 0:  12%|█▏        | 120/1000 [00:10<01:20, 11.00it/s, v_num=0, train_loss=2.345]', { step: 120, loss: 2.345 }],
  ['plain', 'step 10 loss 2.35 tokens/s 1234', { step: 10, loss: 2.35, tokensPerSec: 1234 }],
  ['key=value', 'iter=42 loss=0.5 lr=3e-4', { step: 42, loss: 0.5, lr: 3e-4 }],
  ['NaN loss is a point', 'step 7 loss nan', { step: 7, loss: NaN }],
  ['progress only', 'step 3 of 10: loading shards', undefined],
  ['unrelated', 'Downloading model.safetensors: 100%', undefined],
  ['percent is not a step', 'Loading checkpoint shards: step 50% done', undefined],
];

for (const [name, line, want] of metricCases) {
  test(`metrics: ${name}`, () => assert.deepEqual(parseTrainingLine(line), want));
}

test('metrics: a configured pattern with named groups wins', () => {
  const re = compileMetricPattern(String.raw`it (?<step>\d+) \| l=(?<loss>[\d.]+)`);
  assert.deepEqual(parseTrainingLine('it 5 | l=0.25', re), { step: 5, loss: 0.25 });
  assert.equal(compileMetricPattern('(unclosed'), undefined);
});

const errorCases: [string, string, string | undefined][] = [
  ['traceback', 'Traceback (most recent call last):', 'traceback'],
  ['traceback with rank prefix', '[rank1]: Traceback (most recent call last):', 'traceback'],
  ['OOM', 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.10 GiB', 'cuda-oom'],
  ['OOM, old form', 'RuntimeError: CUDA error: out of memory', 'cuda-oom'],
  ['NCCL', 'torch.distributed.DistBackendError: NCCL error in: ../torch/csrc/distributed/c10d/NCCLUtils.hpp:275, unhandled system error', 'nccl'],
  ['NCCL watchdog', '[rank3]:[E ProcessGroupNCCL.cpp:563] [Rank 3] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=1)', 'nccl'],
  ['NCCL WARN', 'node1:12:34 [0] NCCL INFO', undefined],
  ['Xid', 'NVRM: Xid (PCI:0000:3b:00): 79, pid=1234, GPU has fallen off the bus.', 'xid'],
  ['CUDA error', 'RuntimeError: CUDA error: an illegal memory access was encountered', 'cuda-error'],
  ['ordinary', 'step 10 loss 2.3', undefined],
];
for (const [name, line, kind] of errorCases) {
  test(`errors: ${name}`, () => assert.equal(detectError(line)?.kind, kind));
}
test('errors: Xid summary names the code and its meaning', () => {
  assert.equal(detectError('NVRM: Xid (PCI:0000:3b:00): 79, pid=1234')?.summary, 'Xid 79 (GPU has fallen off the bus) on 0000:3b:00');
});

test('rank prefixes of torchrun, c10, srun --label and Open MPI', () => {
  assert.deepEqual(parseRankPrefix('[default3]:step 1 loss 2'), { rank: 3, length: 11 });
  assert.deepEqual(parseRankPrefix('[rank12]:[W socket.cpp] x'), { rank: 12, length: 9 });
  assert.deepEqual(parseRankPrefix('  7: hello'), { rank: 7, length: 5 });
  assert.deepEqual(parseRankPrefix('[1,2]<stderr>:oops'), { rank: 2, stream: 'stderr', length: 14 });
  assert.equal(parseRankPrefix('[INFO] starting'), undefined);
  assert.equal(parseRankPrefix('plain line'), undefined);
});

test('sanitize: ANSI colours go, \\r progress keeps the last redraw, control bytes become visible', () => {
  assert.equal(sanitizeLine('\x1b[32mok\x1b[0m done\r'), 'ok done');
  assert.equal(sanitizeLine('10%\r50%\r100%'), '100%');
  assert.equal(sanitizeLine('a\x00b\x07c\td'), 'a\u2400b\u2407c\td');
});

test('sanitize: a long line is cut with a note that names its size', () => {
  const s = sanitizeLine('x'.repeat(100), 10, 100);
  assert.ok(s.startsWith('xxxxxxxxxx … [line of 100 bytes cut'));
});

test('torchrun output in one file splits by rank; continuation lines keep the rank before them', () => {
  const parts = splitByRank(['starting', '[default0]:step 1', '[default1]:Traceback (most recent call last):', '  File "x.py"', '[default0]:step 2'], undefined);
  assert.deepEqual(parts, [{ lines: ['starting'] }, { rank: 0, lines: ['[default0]:step 1'] }, { rank: 1, lines: ['[default1]:Traceback (most recent call last):', '  File "x.py"'] }, { rank: 0, lines: ['[default0]:step 2'] }]);
  assert.deepEqual(splitByRank(['  File "y"'], 1), [{ rank: 1, lines: ['  File "y"'] }]);
});
