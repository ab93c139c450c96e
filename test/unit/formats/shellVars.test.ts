// Shell variables a launch line is written with: the sbatch GPU count as $SLURM_GPUS_ON_NODE, `$(( A * B ))`
// over known variables, `$(nvidia-smi -L | wc -l)`, field splitting of an unquoted `$ARGS`, a variable set
// from `$1` or `$(…)` (unknown, as they are), and `${VAR:+word}`.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { evalArithmetic, tokenizeShell, type ShellVar } from '../../../core/formats/shellWords';
import { applyEdits, checkText, under } from './servingHelpers';

const words = (text: string, opts: Parameters<typeof tokenizeShell>[1] = {}) => tokenizeShell(text, { assignments: true, ...opts }).commands.map((c) => c.words.map((w) => w.value));
const codes = (c: ReturnType<typeof checkText>) => c.problems.map((p) => p.code);

test('$(( … )): + - * / and parentheses over known whole-number variables; anything else stays unresolved', () => {
  const vars = new Map<string, ShellVar>([
    ['A', { value: '8' }],
    ['B', { value: '2' }],
    ['S', { value: 'x' }],
    ['U', { value: '$1', unresolved: '$1' }],
  ]);
  assert.equal(evalArithmetic('$A * $B', vars), 16);
  assert.equal(evalArithmetic('A*B', vars), 16);
  assert.equal(evalArithmetic('${A} / 3 - (1 + -B)', vars), 3);
  assert.equal(evalArithmetic(' 7 / 2 ', vars), 3);
  for (const bad of ['A ** B', 'A % B', '$S * 2', '$U * 2', '$C * 2', 'A / 0', '010', '0x10', 'A++', 'A += 1', 'A B', '(A', '']) assert.equal(evalArithmetic(bad, vars), undefined, bad);
  assert.equal(evalArithmetic('('.repeat(100) + '1' + ')'.repeat(100), vars), undefined, 'nesting is bounded');
  assert.deepEqual(words('N=2\nG=4\nx --tp $(($N * $G)) $((N*G+1)) "$((G / N))" $((N * Q))'), [['N=2'], ['G=4'], ['x', '--tp', '8', '9', '2', '$((N * Q))']]);
  const w = tokenizeShell('x $((N * Q))').commands[0].words[1];
  assert.equal(w.unresolved, '$((N * Q))');
});

test('an unquoted $ARGS is split on white space (a field inside the assignment points there); "$ARGS" stays one word', () => {
  const text = 'ARGS="--tensor-parallel-size 2  --max-model-len 8192"\nx $ARGS "$ARGS" ${ARGS}\nB=$ARGS\ny $B\n';
  const { commands } = tokenizeShell(text, { assignments: true });
  const x = commands[1].words;
  assert.deepEqual(
    x.map((w) => w.value),
    ['x', '--tensor-parallel-size', '2', '--max-model-len', '8192', '--tensor-parallel-size 2  --max-model-len 8192', '--tensor-parallel-size', '2', '--max-model-len', '8192'],
  );
  assert.equal(under(text, x[2].origin!.span), '2');
  assert.equal(x[2].origin!.exact, true);
  assert.equal(under(text, x[4].span), '$ARGS');
  // An assignment's value is not split; its later unquoted use is.
  assert.deepEqual(
    commands[2].words.map((w) => w.value),
    ['B=--tensor-parallel-size 2  --max-model-len 8192'],
  );
  assert.equal(commands[3].words.length, 5);
  // An unquoted expansion to nothing is no word; a quoted one is an empty word.
  assert.deepEqual(words('E=\nx $E "$E" ${E} y'), [['E='], ['x', '', 'y']]);
});

test('a script whose flags come in an unquoted $ARGS: they are read (and the fix edits the value in the assignment); "$ARGS" is the one-word error', () => {
  const text = 'ARGS="--tensor-parallel-size 1 --max-model-len 131072"\nvllm serve meta-llama/Llama-3.1-8B-Instruct $ARGS\n';
  const c = checkText(text, 'serve.sh', { gpu: 'L4-24GB' });
  assert.equal(c.foreign?.[0].job.spec.maxModelLen, 131072);
  assert.equal(c.foreign?.[0].job.spec.tensorParallel, 1);
  assert.ok(!codes(c).includes('foreign-flag-value'), codes(c).join());
  const p = c.problems.find((x) => x.code === 'kv-cache-too-small');
  assert.ok(p, codes(c).join());
  const lower = p.fixes?.find((f) => f.title.startsWith('Lower'));
  assert.ok(lower, (p.fixes ?? []).map((f) => f.title).join(' | '));
  const fixed = applyEdits(text, lower.edits);
  assert.ok(fixed.startsWith('ARGS="--tensor-parallel-size 1 --max-model-len ') && !fixed.includes('131072'), fixed);
  const quoted = checkText('ARGS="--tensor-parallel-size 2 --max-model-len 8192"\nvllm serve meta-llama/Llama-3.1-8B-Instruct "$ARGS"\n', 'serve.sh');
  assert.ok(codes(quoted).includes('foreign-flag-value'), codes(quoted).join());
});

test('sbatch: $SLURM_GPUS_ON_NODE is the allocation; a fix of it edits the #SBATCH count', () => {
  const text = '#!/bin/bash\n#SBATCH --gres=gpu:l40s:2\nvllm serve Qwen/Qwen2.5-72B-Instruct --max-model-len 8192 --tensor-parallel-size $SLURM_GPUS_ON_NODE\n';
  const c = checkText(text, 'job.sbatch');
  assert.equal(c.foreign?.[0].job.spec.tensorParallel, 2);
  assert.ok(!codes(c).includes('foreign-unresolved') && !codes(c).includes('foreign-gpus-idle'), codes(c).join());
  const p = c.problems.find((x) => x.code === 'memory-exceeds-capacity');
  assert.ok(p, codes(c).join());
  const tp = p.fixes?.find((f) => f.title.includes('--tensor-parallel-size'));
  assert.ok(tp, (p.fixes ?? []).map((f) => f.title).join(' | '));
  const fixed = applyEdits(text, tp.edits);
  assert.ok(fixed.includes('#SBATCH --gres=gpu:l40s:4\n') && fixed.includes('--tensor-parallel-size $SLURM_GPUS_ON_NODE\n'), fixed);
});

test('sbatch: $SLURM_GPUS_PER_NODE only where --gpus-per-node gives it, as Slurm sets it', () => {
  const perNode = checkText('#!/bin/bash\n#SBATCH --gpus-per-node=4\nvllm serve Qwen/Qwen2.5-72B-Instruct --tensor-parallel-size $SLURM_GPUS_PER_NODE\n', 'job.sbatch');
  assert.equal(perNode.foreign?.[0].job.spec.tensorParallel, 4);
  const gres = checkText('#!/bin/bash\n#SBATCH --gres=gpu:4\nvllm serve Qwen/Qwen2.5-72B-Instruct --tensor-parallel-size $SLURM_GPUS_PER_NODE\n', 'job.sbatch');
  assert.ok(codes(gres).includes('foreign-unresolved'), codes(gres).join());
  const none = checkText('#!/bin/bash\nvllm serve Qwen/Qwen2.5-7B-Instruct --tensor-parallel-size $SLURM_GPUS_ON_NODE\n', 'serve.sh');
  assert.ok(codes(none).includes('foreign-unresolved'), codes(none).join());
});

test('$(nvidia-smi --list-gpus | wc -l) is the GPUs the file asks for; where it asks none, unresolved', () => {
  for (const sub of ['$(nvidia-smi --list-gpus | wc -l)', '$(nvidia-smi -L|wc -l)']) {
    const c = checkText(`#!/bin/bash\n#SBATCH --gres=gpu:h100:2\nTP=${sub}\nvllm serve openai/gpt-oss-120b --tensor-parallel-size \${TP}\n`, 'job.sbatch');
    assert.equal(c.foreign?.[0].job.spec.tensorParallel, 2, sub);
    assert.ok(!codes(c).includes('foreign-gpus-idle') && !codes(c).includes('foreign-unresolved'), `${sub}: ${codes(c).join()}`);
  }
  const none = checkText('#!/bin/bash\nTP=$(nvidia-smi -L | wc -l)\nvllm serve Qwen/Qwen2.5-7B-Instruct --tensor-parallel-size $TP\n', 'serve.sh');
  assert.ok(codes(none).includes('foreign-unresolved'), codes(none).join());
});

test('SkyPilot: TP=$(($SKYPILOT_NUM_GPUS_PER_NODE * $SKYPILOT_NUM_NODES)) is evaluated (num_nodes 1 when the task does not say)', () => {
  const sky = (nodes: string) => `resources:\n  accelerators: {H100:8, A100-80GB:8}\n${nodes}run: |\n  TP=$(($SKYPILOT_NUM_GPUS_PER_NODE * $SKYPILOT_NUM_NODES))\n  python -m sglang.launch_server --model-path meta-llama/Llama-3.1-70B-Instruct --tp $TP --nnodes $SKYPILOT_NUM_NODES\n`;
  assert.equal(checkText(sky('num_nodes: 2\n'), 'sky.yaml').foreign?.[0].job.spec.tensorParallel, 16);
  const one = checkText(sky(''), 'sky.yaml');
  assert.equal(one.foreign?.[0].job.spec.tensorParallel, 8);
  assert.ok(!codes(one).includes('foreign-unresolved'), codes(one).join());
});

test('a model set from $1 or $(…) through a variable is unresolved (a warning), not a model named "$1"', () => {
  for (const script of ['m=$1\nvllm serve $m\n', 'm="$1"\nvllm serve "$m"\n', 'MODEL=$(cat model.txt)\nvllm serve $MODEL\n', 'M=`cat f`\nexport MODEL=$M\nvllm serve ${MODEL}\n']) {
    const c = checkText(`#!/bin/bash\n${script}`, 'serve.sh');
    const p = c.problems.find((x) => x.code === 'foreign-unresolved');
    assert.ok(p, `${script}: ${codes(c).join()}`);
    assert.ok(!codes(c).includes('unknown-model') && p.severity === 'warning', `${script}: ${codes(c).join()}`);
    assert.equal(c.foreign?.[0].job.spec.model === undefined || !JSON.stringify(c.foreign?.[0].job.spec.model).includes('$1'), true);
  }
  // A default for it keeps the default's reading where the value is known.
  const d = checkText('#!/bin/bash\nm=${1:-Qwen/Qwen2.5-7B-Instruct}\nvllm serve $m\n', 'serve.sh');
  assert.ok(!codes(d).includes('foreign-unresolved'), codes(d).join());
});

test('${VAR:+word}: nothing where VAR is unset or empty, the word (expanded, then split) where it is set', () => {
  assert.deepEqual(words('x ${REV:+--revision "$REV"} y'), [['x', 'y']]);
  assert.deepEqual(words('REV=\nx ${REV:+--revision "$REV"} ${REV+--set} y'), [['REV='], ['x', '--set', 'y']]);
  assert.deepEqual(words('REV=abc\nx ${REV:+--revision "$REV"} "${REV:+a b}" y'), [['REV=abc'], ['x', '--revision', 'abc', 'a b', 'y']]);
  const u = tokenizeShell('R=$1\nx ${R:+--revision $R}', { assignments: true }).commands[1].words[1];
  assert.equal(u.unresolved, '$1');
  const text = 'FROM vllm/vllm-openai:latest\nENTRYPOINT python3 -m vllm.entrypoints.openai.api_server \\\n    --model ${MODEL_NAME:-meta-llama/Meta-Llama-3.1-8B-Instruct} \\\n    ${REVISION:+--revision "$REVISION"}\n';
  const c = checkText(text, 'Dockerfile');
  assert.equal(c.foreign?.[0].job.spec.extraArgs, undefined, JSON.stringify(c.foreign?.[0].job.spec));
  const set = checkText(text.replace('FROM vllm/vllm-openai:latest\n', 'FROM vllm/vllm-openai:latest\nENV REVISION=main\n'), 'Dockerfile');
  assert.equal(JSON.stringify(set.foreign?.[0].job.spec).includes('--revision'), true, JSON.stringify(set.foreign?.[0].job.spec));
});
