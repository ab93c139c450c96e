// Completion of an engine's flags inside a serving command (core/check/foreignComplete.ts): in a
// script, in a Deployment's args (block and flow lists), for vLLM and SGLang; the flags the command
// writes already are left out; nothing outside a command or on a word that is not a flag.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkFile } from '../../../core/check/checkFile';
import { foreignFlagCompletion } from '../../../core/check/foreignComplete';
import { schemaIndex } from '../../../core/validate/schema';

function flagsAt(text: string, fileName: string, offset: number) {
  const c = checkFile(text, { fileName, readFile: () => undefined });
  return foreignFlagCompletion(text, offset, c.foreign ?? [], schemaIndex);
}

test('a vllm serve line in a script: typing --gpu offers the flags Gantry reads, with what each sets; written flags are left out', () => {
  const text = '#!/bin/bash\nvllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192 --gpu\necho done\n';
  const at = text.indexOf('--gpu') + 5;
  const items = flagsAt(text, 'serve.sh', at);
  const labels = items.map((i) => i.label);
  assert.ok(labels.includes('--gpu-memory-utilization'));
  assert.ok(labels.includes('--tensor-parallel-size'));
  assert.ok(!labels.includes('--max-model-len'), 'written already');
  const gmu = items.find((i) => i.label === '--gpu-memory-utilization')!;
  assert.equal(gmu.detail, 'gpuMemoryUtilization');
  assert.match(gmu.documentation ?? '', /Read by Gantry as `gpuMemoryUtilization`/);
  assert.doesNotMatch(gmu.documentation ?? '', /Default:/, "Gantry's defaults are not the engine's");
  assert.deepEqual(gmu.replace, { offset: text.indexOf('--gpu'), length: 5 }, 'the typed word is replaced');
  const kv = items.find((i) => i.label === '--kv-cache-dtype')!;
  assert.match(kv.documentation ?? '', /Values: .*`fp8`/);
  // Not a flag word, or outside the command: nothing.
  assert.deepEqual(flagsAt(text, 'serve.sh', text.indexOf('8192') + 2), []);
  assert.deepEqual(flagsAt(text, 'serve.sh', text.indexOf('echo') + 2), []);
  assert.deepEqual(flagsAt(`${text}ls --a\n`, 'serve.sh', text.length + 5), [], 'a flag of another command');
});

test("a Deployment's args, as a block list and as a flow list; SGLang's own flags", () => {
  const block = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: llama
spec:
  template:
    spec:
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.8.5
          command: ["vllm", "serve"]
          args:
            - meta-llama/Llama-3.1-8B-Instruct
            - --max-num
`;
  const items = flagsAt(block, 'deploy.yaml', block.indexOf('--max-num') + 9);
  assert.ok(items.some((i) => i.label === '--max-num-seqs'));
  assert.ok(items.some((i) => i.label === '--max-num-batched-tokens'));
  const flow = block.replace('command: ["vllm", "serve"]\n          args:\n            - meta-llama/Llama-3.1-8B-Instruct\n            - --max-num\n', 'command: ["vllm", "serve", "meta-llama/Llama-3.1-8B-Instruct", "--enf"]\n');
  const f = flagsAt(flow, 'deploy.yaml', flow.indexOf('--enf') + 5);
  assert.ok(f.some((i) => i.label === '--enforce-eager'));
  assert.deepEqual(f[0].replace.length, 5, 'the word inside its quotes');
  const sglang = 'python3 -m sglang.launch_server --model-path meta-llama/Llama-3.1-8B-Instruct --mem\n';
  const s = flagsAt(sglang, 'run.sh', sglang.indexOf('--mem') + 5);
  assert.ok(s.some((i) => i.label === '--mem-fraction-static'));
  assert.ok(!s.some((i) => i.label === '--gpu-memory-utilization'), "vLLM's flag is not SGLang's");
  assert.ok(!s.some((i) => i.label === '--model-path'), 'the model is given');
  // A field written under an alias (--tp for --tp-size), or the model given positionally: not offered again.
  const alias = 'python3 -m sglang.launch_server --model-path m/m --tp 2 --t\n';
  assert.ok(!flagsAt(alias, 'run.sh', alias.indexOf('--t\n') + 3).some((i) => i.label === '--tp-size'));
  const positional = 'vllm serve meta-llama/Llama-3.1-8B-Instruct --\n';
  const p = flagsAt(positional, 'serve.sh', positional.indexOf('--\n') + 2).map((i) => i.label);
  assert.ok(!p.includes('--model'), 'vllm serve MODEL names the model');
  assert.ok(!p.includes('--speculative-model') && p.includes('--speculative-config'), "current vLLM's speculative flag, not the old one");
});

test('bad positions and long words: nothing, no throw', () => {
  const text = `vllm serve m --${'x'.repeat(5000)}\n`;
  for (const at of [-1, 0, text.length, text.length + 10, 20, 4000]) assert.doesNotThrow(() => flagsAt(text, 'serve.sh', at));
  assert.deepEqual(flagsAt(text, 'serve.sh', 4000), [], 'the look back is bounded: a word past 80 characters is not a flag being typed');
});
