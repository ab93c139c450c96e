// Every training fixture cut at many places and salted with odd values: the readers and the check
// return problems, never throw (the editor checks every keystroke's text).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { FIXTURES, checkText, fixture } from './helpers';
import { MAX_FOREIGN_CHARS } from '../../../core/formats/types';
import { MAX_TOML_CHARS } from '../../../core/formats/torchtitan';
import { parseToml } from '../../../core/formats/tomlDoc';
import { foreignDefaults, MAX_CONTEXT_CHARS } from '../../../core/formats/context';
import { projectConfigOf } from '../../../core/workspace/workspace';
import { launchLinkFor } from '../../../core/formats/launcherLink';

const files = readdirSync(FIXTURES).flatMap((d) => readdirSync(path.join(FIXTURES, d)).map((f) => `${d}/${f}`));

test('every prefix of every fixture is checked without a throw', () => {
  assert.ok(files.length >= 20, `${files.length} fixtures`);
  for (const rel of files) {
    const { text, fileName } = fixture(rel);
    for (let cut = 0; cut <= text.length; cut += Math.max(1, Math.floor(text.length / 40))) {
      const c = checkText(text.slice(0, cut), fileName, { model: 'llama-3.1-8b' });
      assert.ok(Array.isArray(c.problems), `${rel} @${cut}`);
    }
  }
});

test('odd values where numbers belong: problems, no throw', () => {
  const odd = ['-5', '0', '1e309', '"auto"', 'true', '[]', '{}', '9999999999999', '0.5', 'nan', 'inf'];
  for (const v of odd) {
    checkText(`[model]\nname = "llama3"\nflavor = "8B"\n[training]\nlocal_batch_size = ${v}\nseq_len = ${v}\n[parallelism]\ntensor_parallel_degree = ${v}\ndata_parallel_shard_degree = ${v}\n`, '/w/t.toml');
    checkText(`{"train_batch_size": ${v.replace('nan', '1').replace('inf', '2')}, "train_micro_batch_size_per_gpu": 1, "gradient_accumulation_steps": 1, "zero_optimization": {"stage": ${v === 'true' ? 1 : 3}}}`, '/w/ds.json', { model: 'gpt2' });
    checkText(`base_model: gpt2\nmicro_batch_size: ${v}\nsequence_len: ${v}\nlora_r: ${v}\nadapter: lora\n`, '/w/a.yml');
    checkText(`distributed_type: MULTI_GPU\nnum_processes: ${v}\nnum_machines: ${v}\n`, '/w/c.yaml', { model: 'gpt2' });
  }
});

test('nesting deep enough to exhaust the parser stack: one problem where it passes the limit, no throw', () => {
  const head = '{"train_batch_size": 8, "zero_optimization": {"stage": 2}, "x": ';
  const json = `${head}${'['.repeat(30000)}${']'.repeat(30000)}}`;
  assert.ok(json.length <= MAX_FOREIGN_CHARS, 'under the size limit: read, and too deep');
  const c = checkText(json, '/w/ds_config.json', { model: 'gpt2' });
  const deep = c.problems.filter((p) => /nested too deeply/.test(p.message));
  assert.equal(deep.length, 1, c.problems.map((p) => p.message.slice(0, 80)).join(' | '));
  // Level 1,001: the file's own brace, then the 1,000th of the brackets.
  assert.equal(deep[0].offset, head.length + 999);
  // The TOML parser itself (a TOML this size is past the torchtitan reader's limit: not read at all).
  const toml = `[model]\nname = "llama3"\nflavor = "8B"\n[training]\nx = ${'['.repeat(20000)}${']'.repeat(20000)}\n`;
  assert.match(parseToml(toml).error?.message ?? '', /nested too deeply/);
  assert.deepEqual(
    checkText(toml, '/w/t.toml').problems.map((p) => p.code),
    ['foreign-file-too-large'],
  );
  // Under that limit, deep enough for the parser but not for reading its values (5,000 levels in 10 KB): one syntax problem, no throw.
  const mid = `[model]\nname = "llama3"\nflavor = "8B"\n[training]\nseq_len = 2048\nx = ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
  const m = checkText(mid, '/w/t.toml').problems;
  assert.equal(m.length, 1, m.map((p) => `${p.code}: ${p.message.slice(0, 80)}`).join(' | '));
  assert.match(m[0].message, /nested too deeply/);
  assert.ok(!m.some((p) => p.code === 'check-failed'));
});

test('a claimed foreign file past MAX_FOREIGN_CHARS: one notice, not read; an unclaimed one: nothing', () => {
  const toml = `[job]\ndump_folder = "./out"\n[model]\nname = "llama3"\nflavor = "8B"\n[training]\n${Array.from({ length: 20000 }, (_, i) => `k${i} = ${i}`).join('\n')}\n`;
  assert.ok(toml.length > MAX_FOREIGN_CHARS);
  const c = checkText(toml, '/w/train.toml');
  assert.equal(c.gantry, true);
  assert.deepEqual(
    c.problems.map((p) => [p.code, p.severity, p.offset]),
    [['foreign-file-too-large', 'warning', 0]],
  );
  assert.match(c.problems[0].message, /^This file is too large for Gantry to read as a torchtitan config: \d+ KB \(limit 16 KB/);
  // TOML's own limit (its parser runs in one step): 20 KB of keys is past it; the same keys in an
  // axolotl YAML, whose reader parses in steps, are read up to MAX_FOREIGN_CHARS.
  const keys = (n: number, sep: string) => Array.from({ length: n }, (_, i) => `k${i}${sep}${i}`).join('\n');
  const toml20 = `[job]\ndump_folder = "./out"\n[model]\nname = "llama3"\nflavor = "8B"\n[training]\n${keys(2000, ' = ')}\n`;
  assert.ok(toml20.length > MAX_TOML_CHARS && toml20.length < MAX_FOREIGN_CHARS);
  assert.deepEqual(
    checkText(toml20, '/w/train.toml').problems.map((p) => p.code),
    ['foreign-file-too-large'],
  );
  const yaml60 = `base_model: meta-llama/Llama-3.1-8B\nsequence_len: 4096\nmicro_batch_size: 2\n${keys(5500, ': ')}\n`;
  assert.ok(yaml60.length > 60_000 && yaml60.length < MAX_FOREIGN_CHARS);
  const y = checkText(yaml60, '/w/axolotl.yaml', { model: 'llama-3.1-8b' });
  assert.ok(y.gantry && !y.problems.some((p) => p.code === 'foreign-file-too-large'));
  // Past the limit but claimed by no reader (a big JSON that is no DeepSpeed config): not Gantry's business.
  assert.equal(checkText(`{"vocab": {${Array.from({ length: 20000 }, (_, i) => `"t${i}": ${i}`).join(', ')}}}`, '/w/tokenizer.json').gantry, false);
  // A script beside a training config is not tokenized for its launcher line past the limit.
  const big = `torchrun --nproc_per_node=4 -m torchtitan.train --job.config_file train.toml\n${'# filler\n'.repeat(MAX_FOREIGN_CHARS / 9 + 1)}`;
  assert.equal(
    launchLinkFor('train.toml', ['big.sh'], () => big),
    undefined,
  );
  assert.equal(launchLinkFor('train.toml', ['small.sh'], () => big.slice(0, 200))?.gpusPerNode, 4);
});

test('a script that launches a config past the limit: the config is not read from the script either', () => {
  const config = (pad: number) => `[model]\nname = "llama3"\nflavor = "8B"\n[training]\nlocal_batch_size = 1\nseq_len = 2048\n[parallelism]\ndata_parallel_shard_degree = -1\n${'# pad\n'.repeat(pad)}`;
  const script = '#!/bin/bash\ntorchrun --nproc_per_node=8 -m torchtitan.train --job.config_file train.toml\n';
  const reading = (text: string) => Object.assign((rel: string) => (rel.endsWith('train.toml') ? text : undefined), { why: () => undefined });
  const small = checkText(script, '/w/run.sh', undefined, reading(config(0)));
  assert.equal(small.estimates.length, 1, small.problems.map((p) => p.message).join(' | '));
  const big = checkText(script, '/w/run.sh', undefined, reading(config(MAX_FOREIGN_CHARS / 6 + 1)));
  assert.equal(big.estimates.length, 0);
});

test('a gantry.context.yaml or gantry.yaml of thousands of keys: read in one pass, or not at all past its limit', () => {
  const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}: ${i}`).join('\n');
  // 60,000 keys: the parser's own duplicate-key test compared every pair (minutes); past 16 KB it is not read.
  const huge = `gpu: H100-SXM-80GB\n${keys(60_000)}\n`;
  const at = (text: string) => (rel: string) => (rel === 'gantry.context.yaml' ? text : undefined);
  assert.deepEqual(foreignDefaults(at(huge), { gpu: 'A100-SXM-80GB' }), { gpu: 'A100-SXM-80GB' });
  const under = `gpu: H100-SXM-80GB\ngpusPerNode: 4\n${keys(1_500)}\n`;
  assert.ok(under.length < MAX_CONTEXT_CHARS);
  assert.deepEqual(foreignDefaults(at(under)), { gpu: 'H100-SXM-80GB', gpusPerNode: 4, worldFrom: 'gantry.context.yaml' });
  // A project file of 6,000 keys (under its 64 KB) is read for its clusterFolders.
  assert.deepEqual(projectConfigOf(`clusterFolders: [shared]\n${keys(6_000)}\n`).clusterFolders, ['shared']);
});

test('a rendered chart past 64 KB is read a document at a time; one engine document past 64 KB is passed over with the notice at it', () => {
  const plain = (k: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${k}\ndata:\n  key: "${'x'.repeat(400)}"\n`;
  const serve = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: llm\nspec:\n  template:\n    spec:\n      containers:\n        - name: vllm\n          image: vllm/vllm-openai:v0.19.0\n          command: ["vllm", "serve", "meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "300000"]\n';
  const docs = Array.from({ length: 300 }, (_, k) => plain(k));
  docs.splice(150, 0, serve);
  const chart = docs.join('---\n');
  assert.ok(chart.length > 2 * MAX_FOREIGN_CHARS);
  const c = checkText(chart, '/w/rendered.yaml');
  assert.equal(c.foreign?.length, 1);
  const len = c.problems.find((p) => p.code === 'max-model-len');
  assert.equal(chart.slice(len!.offset, len!.offset + len!.length), '300000');
  // One engine document past the per-document limit: a notice at that document, the others still read.
  const huge = serve.replace('name: llm', 'name: huge').replace('"300000"]', `"8192", ${Array.from({ length: 12000 }, () => '"--x"').join(', ')}]`);
  assert.ok(huge.length > MAX_FOREIGN_CHARS);
  const both = `${chart}---\n${huge}`;
  const b = checkText(both, '/w/rendered.yaml');
  assert.equal(b.foreign?.length, 1);
  const notice = b.problems.find((p) => p.code === 'foreign-file-too-large');
  assert.equal(notice?.offset, both.length - huge.length - '---\n'.length, 'at the document, from its --- line');
  assert.match(notice!.message, /This document is too large .* the file's other documents are checked/);
});
