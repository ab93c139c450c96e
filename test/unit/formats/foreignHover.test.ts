// Hover on one value of a foreign config (core/check/foreignHover.ts): what Gantry reads the value
// as, from the reader's source map, for a serving command in a Deployment, a torchtitan TOML and a
// DeepSpeed JSON; nothing where no value was read; a long value is cut in the first line.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkFile } from '../../../core/check/checkFile';
import { foreignValueHover } from '../../../core/check/foreignHover';
import { schemaIndex } from '../../../core/validate/schema';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: llama
spec:
  replicas: 1
  template:
    spec:
      nodeSelector:
        nvidia.com/gpu.product: NVIDIA-L4
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.8.5
          command: ["vllm", "serve", "meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "8192", "--gpu-memory-utilization", "0.85"]
          resources:
            limits:
              nvidia.com/gpu: 1
`;

function hoverAt(text: string, fileName: string, needle: string, nth = 0) {
  const c = checkFile(text, { fileName, readFile: () => undefined });
  assert.ok(c.foreign?.length, 'the file is read as a foreign config');
  let at = -1;
  for (let k = 0; k <= nth; k++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} is in the text`);
  const summary = (i: number) => c.estimates.find((x) => x.docIndex === i)?.estimate.summary;
  return foreignValueHover(c.foreign ?? [], at + 1, schemaIndex, summary);
}

test('a --max-model-len value in a Deployment: the field, its value, its description and the estimate line', () => {
  const h = hoverAt(DEPLOYMENT, 'deploy.yaml', '"8192"');
  assert.ok(h);
  assert.match(h.markdown, /^\*\*--max-model-len\*\* · read by Gantry as `maxModelLen` = `8192`/);
  assert.match(h.markdown, /---\n\n.*tokens/, 'the estimate line closes the hover');
  assert.doesNotMatch(h.markdown, /\(tokens\)[^\n]*Unit: tokens/, 'the unit once');
  // The range is the value inside its quotes.
  assert.equal(DEPLOYMENT.slice(h.offset, h.offset + h.length), '8192');
});

test('the model word: the catalog entry it resolves to, with its architecture', () => {
  const h = hoverAt(DEPLOYMENT, 'deploy.yaml', 'meta-llama/Llama-3.1-8B-Instruct');
  assert.ok(h);
  assert.match(h.markdown, /read by Gantry as `model\.preset` = `llama-3\.1-8b`/);
  assert.match(h.markdown, /\| field \| value \|/);
  // Only the field's first sentence: the rest of the schema's words are about Gantry's spec (its other fields, its defaults).
  assert.doesNotMatch(h.markdown, /Exactly one of|Default:/);
});

test('the GPU in a node selector: the Cluster field and the catalog figures', () => {
  const h = hoverAt(DEPLOYMENT, 'deploy.yaml', 'NVIDIA-L4');
  assert.ok(h);
  assert.match(h.markdown, /read by Gantry as `nodes\.gpu\.model` = `L4-24GB`.* of the GPUs it runs on/);
  assert.match(h.markdown, /GiB usable/);
});

test('the engine version where the file writes it: the image tag, a pip pin in a script; a digest after the tag is not the version', () => {
  const tag = hoverAt(DEPLOYMENT, 'deploy.yaml', '0.8.5');
  assert.ok(tag);
  assert.match(tag.markdown, /^\*\*the image tag\*\* · read by Gantry as `engineVersion` = `0\.8\.5`/);
  assert.equal(DEPLOYMENT.slice(tag.offset, tag.offset + tag.length), '0.8.5');
  const script = '#!/bin/bash\npip install "vllm==0.10.1.1"\nvllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192\n';
  const pin = hoverAt(script, 'serve.sh', '0.10.1.1');
  assert.ok(pin);
  assert.match(pin.markdown, /^\*\*the pip pin vllm==0\.10\.1\.1\*\* · read by Gantry as `engineVersion` = `0\.10\.1\.1`/);
  assert.equal(script.slice(pin.offset, pin.offset + pin.length), '0.10.1.1');
  const digest = DEPLOYMENT.replace('v0.8.5', 'v0.8.5@sha256:0123abcd');
  const d = hoverAt(digest, 'deploy.yaml', '0.8.5');
  assert.ok(d);
  assert.equal(digest.slice(d.offset, d.offset + d.length), '0.8.5');
  assert.equal(hoverAt(digest, 'deploy.yaml', '0123abcd'), undefined);
});

test('a key, the image or a blank: no value hover (the line falls back to the estimate hover)', () => {
  for (const needle of ['nodeSelector', 'replicas', 'containers', 'vllm/vllm-openai']) assert.equal(hoverAt(DEPLOYMENT, 'deploy.yaml', needle), undefined, needle);
});

test('a torchtitan TOML value and a DeepSpeed JSON value', () => {
  const toml = `[model]\nname = "llama3"\nflavor = "8B"\n\n[training]\nlocal_batch_size = 2\nseq_len = 4096\nsteps = 100\n\n[parallelism]\ndata_parallel_shard_degree = -1\n`;
  const t = hoverAt(toml, 'train.toml', '4096');
  assert.ok(t);
  assert.match(t.markdown, /read by Gantry as `batch\.sequenceLength` = `4096`/);
  assert.match(t.markdown, /---/);
  const json = `{\n  "train_micro_batch_size_per_gpu": 4,\n  "gradient_accumulation_steps": 8,\n  "zero_optimization": { "stage": 3 },\n  "bf16": { "enabled": true }\n}\n`;
  // Without a model the config's batch is not read (DeepSpeed's batch needs the training script); its ZeRO stage is.
  const d = hoverAt(json, 'ds_config.json', ' 3 }');
  assert.ok(d, 'the ZeRO stage has a hover');
  assert.match(d.markdown, /read by Gantry as `parallelism\.zero` = `3`/);
  assert.equal(hoverAt(json, 'ds_config.json', ' 4,'), undefined);
});

test('a very long value is cut in the hover', () => {
  const long = 'x'.repeat(5000);
  const text = `vllm serve meta-llama/Llama-3.1-8B-Instruct --served-model-name ${long} --max-model-len 8192\n`;
  const c = checkFile(text, { fileName: 'serve.sh', readFile: () => undefined });
  for (const s of c.foreign ?? []) for (const e of s.sources.values()) e.label = `${e.label}${long}`;
  const at = text.indexOf('8192');
  const h = foreignValueHover(c.foreign ?? [], at, schemaIndex);
  assert.ok(h);
  assert.ok(h.markdown.split('\n')[0].length < 300, 'the first line is bounded');
});

test("the estimate's own assumptions are in the file's words: the engine version from the image tag, the flags by their names", () => {
  const c = checkFile(DEPLOYMENT, { fileName: 'deploy.yaml', readFile: () => undefined });
  const a = c.estimates[0]?.estimate.assumptions ?? [];
  assert.ok(
    a.some((x) => x.startsWith('vLLM 0.8.5 (from the image tag):')),
    a.join('\n'),
  );
  assert.ok(!a.some((x) => x.includes('(from engineVersion)')));
});
