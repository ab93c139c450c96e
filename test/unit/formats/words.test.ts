// Shell words with their places, vLLM/SGLang flags through the shared table, GPU names.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { gpuFromName } from '../../../core/formats/gpuNames';
import { expandKubeEnv, literalSpan, tokenizeShell } from '../../../core/formats/shellWords';
import { findServeCommand, parseNumber, readServeArgs } from '../../../core/formats/vllmArgs';

const under = (text: string, s: { offset: number; length: number }) => text.slice(s.offset, s.offset + s.length);

test('words: quotes, escapes, continuations, comments, separators, with their spans', () => {
  const text = `echo 'a b' "c \\"d\\"" e\\ f \\\n  g # comment\nx=1; y && z`;
  const { commands } = tokenizeShell(text);
  assert.deepEqual(
    commands.map((c) => c.words.map((w) => w.value)),
    [['echo', 'a b', 'c "d"', 'e f', 'g'], ['x=1'], ['y'], ['z']],
  );
  const [, ab, cd, ef] = commands[0].words;
  assert.equal(under(text, ab.span), 'a b');
  assert.equal(ab.exact, true);
  assert.equal(ab.quote, "'");
  assert.equal(cd.exact, false);
  assert.equal(ef.exact, false);
});

test('redirections stay in their command: the file descriptor before > or <, and the target after, are not words (2>&1 after --bf16 is not its value; words after a redirection still count)', () => {
  const text = 'train.py --bf16 2>&1 | tee log\nx 1> out\n2>err y\necho 3 > f\ncat "2">f\ntrain.py --max_length 4096 2>&1 --bf16 &> all.log\nrun < in.txt --a >> out --b >| o2\ncat <<EOF\nbody\nEOF\n';
  const { commands } = tokenizeShell(text);
  assert.deepEqual(
    commands.map((c) => c.words.map((w) => w.value)),
    [['train.py', '--bf16'], ['tee', 'log'], ['x'], ['y'], ['echo', '3'], ['cat', '2'], ['train.py', '--max_length', '4096', '--bf16'], ['run', '--a', '--b'], ['cat'], ['EOF'], ['body'], ['EOF']],
  );
  // A command that starts with a redirection starts at its first word.
  assert.equal(text.slice(commands[3].start, commands[3].end), 'y');
});

test('variables: set earlier, ${X:-default}, unknown ones marked, one-variable words point at the value', () => {
  const text = 'TP=4\nexport LEN=8192\nvllm serve m --tp $TP --len "${LEN}" --x ${NOPE:-7} --y $UNSET';
  const { commands } = tokenizeShell(text, { assignments: true });
  const w = commands[2].words;
  assert.deepEqual(
    w.map((x) => x.value),
    ['vllm', 'serve', 'm', '--tp', '4', '--len', '8192', '--x', '7', '--y', '$UNSET'],
  );
  assert.equal(under(text, w[4].origin!.span), '4');
  assert.equal(under(text, w[6].origin!.span), '8192');
  assert.equal(w[10].unresolved, '$UNSET');
});

test('Kubernetes $(VAR): from env defined earlier; a later or circular reference stays as written; $$ escapes', () => {
  const { env } = expandKubeEnv([
    { name: 'A', value: 'x' },
    { name: 'B', value: '$(A)-$(C)' },
    { name: 'C', value: '$(B)' },
    { name: 'D', value: '$$(A)' },
  ]);
  assert.equal(env.get('B')!.value, 'x-$(C)');
  assert.equal(env.get('C')!.value, 'x-$(C)');
  assert.equal(env.get('D')!.value, '$(A)');
  const { commands } = tokenizeShell('vllm serve $(A) $(UNKNOWN)', { kubeEnv: env });
  assert.equal(commands[0].words[2].value, 'x');
  assert.equal(commands[0].words[3].unresolved, '$(UNKNOWN)');
});

test('launchers: vllm serve, the OpenAI api_server module, sglang.launch_server, behind srun/exec/env prefixes', () => {
  const words = (s: string) => tokenizeShell(s).commands[0].words;
  assert.equal(findServeCommand(words('srun -N1 --gres=gpu:4 /opt/venv/bin/vllm serve m'))?.launcher, 'vllm serve');
  assert.equal(findServeCommand(words('exec env A=1 python3 -m vllm.entrypoints.openai.api_server --model m'))?.engine, 'vllm');
  assert.equal(findServeCommand(words('python -m sglang.launch_server --model-path m'))?.engine, 'sglang');
  assert.equal(findServeCommand(words('pip install vllm')), undefined);
});

test('flags: split and joined forms, underscores, -tp, quoted numbers, k/K suffixes, unknown flags kept', () => {
  const words = tokenizeShell(
    'vllm serve meta-llama/Llama-3.1-8B-Instruct -tp 2 --pipeline_parallel_size=2 --max-model-len "32k" --gpu-memory-utilization=0.85 --dtype half --kv-cache-dtype fp8_e5m2 --quantization awq_marlin --enforce-eager --enable-lora --max-lora-rank 64 --lora-modules a=/x b=/y --trust-remote-code --served-model-name llama',
  ).commands[0].words;
  const r = readServeArgs(findServeCommand(words)!);
  assert.deepEqual(r.spec, {
    engine: 'vllm',
    tensorParallel: 2,
    pipelineParallel: 2,
    maxModelLen: 32000,
    gpuMemoryUtilization: 0.85,
    dtype: 'fp16',
    kvCacheDtype: 'fp8-e5m2',
    quantization: 'awq',
    enforceEager: true,
    lora: {
      maxRank: 64,
      adapters: [
        { name: 'a', path: '/x' },
        { name: 'b', path: '/y' },
      ],
    },
    extraArgs: ['--trust-remote-code', '--served-model-name', 'llama'],
    model: { preset: 'llama-3.1-8b', weights: 'meta-llama/Llama-3.1-8B-Instruct' },
  });
  const sg = readServeArgs(findServeCommand(tokenizeShell('python -m sglang.launch_server --model-path Qwen/Qwen2.5-7B-Instruct --tp 4 --mem-fraction-static 0.8 --context-length 8192 --disable-radix-cache --kv-cache-dtype fp8_e4m3').commands[0].words)!);
  assert.deepEqual(sg.spec, { engine: 'sglang', tensorParallel: 4, gpuMemoryUtilization: 0.8, maxModelLen: 8192, enablePrefixCaching: false, kvCacheDtype: 'fp8-e4m3', model: { preset: 'qwen2.5-7b-instruct', weights: 'Qwen/Qwen2.5-7B-Instruct' } });
  // DP attention: the --dp ranks live inside the --tp GPUs (8 GPUs here, not 64); without it --dp is replicas.
  const dpa = readServeArgs(findServeCommand(tokenizeShell('python3 -m sglang.launch_server --model-path deepseek-ai/DeepSeek-V3 --tp 8 --dp 8 --enable-dp-attention').commands[0].words)!);
  assert.equal(dpa.spec.dataParallel, undefined);
  assert.equal(dpa.spec.tensorParallel, 8);
  assert.ok(dpa.assumptions.some((a) => a.includes('--enable-dp-attention') && a.includes('not TP × DP')));
  const dp = readServeArgs(findServeCommand(tokenizeShell('python3 -m sglang.launch_server --model-path Qwen/Qwen2.5-7B-Instruct --tp 2 --dp 4').commands[0].words)!);
  assert.equal(dp.spec.dataParallel, 4);
  assert.equal(parseNumber('4K', true), 4096);
  assert.equal(parseNumber('1.5', true), undefined);
  assert.equal(parseNumber('abc', false), undefined);
});

test("a float flag that Python's float() reads as infinite or NaN (1e309, inf, nan) is said as such, not as 'not a number'", () => {
  const read = (v: string) => readServeArgs(findServeCommand(tokenizeShell(`vllm serve meta-llama/Llama-3.1-8B --gpu-memory-utilization ${v}`).commands[0].words)!).problems;
  assert.match(read('1e309')[0].message, /^--gpu-memory-utilization '1e309' is infinite as Python's float\(\) reads it: the argument parser takes it, but vLLM refuses the setting/);
  assert.match(read('Infinity')[0].message, /is infinite as Python's float\(\) reads it/);
  assert.match(read('nan')[0].message, /'nan' is NaN as Python's float\(\) reads it/);
  assert.match(read('0.9x')[0].message, /'0\.9x' is not a number; vLLM's argument parser refuses it/);
  assert.equal(parseNumber('1e309', false), undefined);
  assert.equal(parseNumber('0.9e0', false), 0.9);
});

test("a value the engine's argument parser refuses is an error; one it takes but Gantry does not model is a warning that says the default is assumed", () => {
  const r = readServeArgs(findServeCommand(tokenizeShell('vllm serve meta-llama/Llama-3.1-8B --max-model-len lots --dtype int3 --quantization experts_int8').commands[0].words)!);
  assert.deepEqual(
    r.problems.map((p) => p.severity),
    ['error', 'error', 'warning'],
  );
  assert.match(r.problems[1].message, /invalid choice/);
  assert.match(r.problems[2].message, /the estimate assumes unquantized weights/);
  assert.equal(r.spec.maxModelLen, undefined);
});

test('GPU names: GPU feature discovery labels, SkyPilot and Slurm names to catalog ids', () => {
  const id = (n: string, d: 'gfd' | 'skypilot' | 'slurm') => gpuFromName(n, d).gpu?.id;
  assert.equal(id('NVIDIA-H100-80GB-HBM3', 'gfd'), 'H100-SXM-80GB');
  assert.equal(id('NVIDIA-A100-SXM4-80GB', 'gfd'), 'A100-SXM-80GB');
  assert.equal(id('NVIDIA-A100-SXM4-40GB', 'gfd'), 'A100-SXM-40GB');
  assert.equal(id('NVIDIA-L4', 'gfd'), 'L4-24GB');
  assert.equal(id('NVIDIA-H100-PCIe', 'gfd'), 'H100-PCIe-80GB');
  assert.equal(id('nvidia-l4', 'gfd'), 'L4-24GB');
  assert.equal(id('H100', 'skypilot'), 'H100-SXM-80GB');
  assert.equal(id('A100', 'skypilot'), 'A100-SXM-40GB');
  assert.equal(id('A100-80GB', 'skypilot'), 'A100-SXM-80GB');
  assert.equal(id('L4', 'skypilot'), 'L4-24GB');
  assert.equal(id('h100', 'slurm'), 'H100-SXM-80GB');
  assert.equal(id('NVIDIA-A100-SXM4-40GB-MIG-1g.5gb', 'gfd'), undefined);
  assert.equal(id('TPU-v5', 'skypilot'), undefined);
});

test('a word quoted in part keeps the places of its literal stretches: --max-model-len="300000" places the digits', () => {
  for (const [text, inner] of [
    ['vllm serve m --max-model-len="300000"', '300000'],
    ["vllm serve m --max-model-len='300000'", '300000'],
    ['vllm serve m "--max-model-len"=300000', '300000'],
  ]) {
    const w = tokenizeShell(text).commands[0].words[3];
    assert.equal(w.value, `--max-model-len=${inner}`);
    assert.equal(w.exact, false);
    const at = literalSpan(w, 16);
    assert.ok(at, text);
    assert.equal(under(text, at), inner);
    const name = literalSpan(w, 0, 15);
    if (text.includes('"--max')) assert.equal(under(text, name!), '--max-model-len');
  }
  // Escapes and variables are not the file's characters: nothing is placed across them.
  const esc = tokenizeShell('LEN=8\nvllm serve m --x="a\\"b" --y="$LEN"', { assignments: true }).commands[1].words;
  assert.equal(literalSpan(esc[3], 4), undefined);
  assert.equal(literalSpan(esc[4], 4), undefined);
});

test('a joined value in quotes is read with its exact place: the flag source is the digits, written back in place', () => {
  const text = 'vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len="300000" --tensor_parallel_size=\'2\'';
  const cmd = findServeCommand(tokenizeShell(text).commands[0].words)!;
  const r = readServeArgs(cmd);
  assert.equal(r.spec.maxModelLen, 300000);
  assert.equal(under(text, r.sources.get('spec.maxModelLen')!.span), '300000');
  assert.equal(under(text, r.sources.get('spec.tensorParallel')!.span), '2');
  const e = r.sources.get('spec.maxModelLen')!.write!(131072)!;
  assert.equal(text.slice(0, e.offset) + e.newText + text.slice(e.offset + e.length), text.replace('"300000"', '"131072"'));
});
