// Speculative decoding (issue 12: "a draft model" made published logs inexpressible): the drafter's weights and
// its attention layers' KV cache come out of the same budget; vLLM/SGLang flags read and written; checks.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseHfConfig } from '../../../core/catalog/hfConfig';
import { findModel, resolveModelName } from '../../../core/catalog/models';
import { estimateInferenceService } from '../../../core/estimate/index';
import { drafterOf } from '../../../core/estimate/params';
import { tokenizeShell } from '../../../core/formats/shellWords';
import { findServeCommand, readServeArgs } from '../../../core/formats/vllmArgs';
import { engineArgv, engineUnsupported } from '../../../core/runs/engineCommand';
import { check } from '../helpers';
import { GIB, cluster, near, service } from './helpers';

const h100 = cluster('H100-SXM-80GB', 1);
const read = (line: string) => readServeArgs(findServeCommand(tokenizeShell(line).commands[0].words)!);

test('EAGLE on Llama 3.1 8B: one more 4 KiB/token KV layer (33 where the model has 32) and a 0.25 B head in bf16', () => {
  const base = estimateInferenceService(service({ model: { preset: 'llama-3.1-8b' }, maxModelLen: 131072 }), h100);
  const eagle = estimateInferenceService(service({ model: { preset: 'llama-3.1-8b' }, maxModelLen: 131072, speculative: { method: 'eagle', tokens: 3, draftModel: 'yuhuili/EAGLE-LLaMA3.1-Instruct-8B' } }), h100);
  assert.ok(base.ok && eagle.ok);
  // vLLM prints the pool over the bytes of every KV layer, the drafter's included: 33 × 2 × 8 KV heads × 128 × 2 B.
  assert.equal(base.serving!.kvBytesPerToken, 32 * 4096);
  assert.equal(eagle.serving!.kvBytesPerToken, 33 * 4096);
  // The head: one Llama 3.1 8B decoder layer (218.1 M) + the 2h → h input projection (33.6 M) + norms, in bf16.
  const head = eagle.serving!.weightsBytes - base.serving!.weightsBytes;
  assert.equal(head, 2 * (4096 * 4096 * 2 + 2 * 4096 * 8 * 128 + 3 * 4096 * 14336 + 2 * 4096 + 2 * 4096 * 4096));
  assert.ok(eagle.assumptions.some((a) => a.includes('Speculative decoding (eagle, 3 tokens per step)')));
  assert.ok(eagle.serving!.kvCacheTokens < base.serving!.kvCacheTokens);
  // EAGLE-3 carries its own 32,000-token lm_head and a 3h → h projection.
  const e3 = drafterOf(findModel('llama-3.1-8b')!.architecture, 'eagle3');
  const e1 = drafterOf(findModel('llama-3.1-8b')!.architecture, 'eagle');
  assert.equal(e3.params - e1.params, 32000 * 4096 + 4096 * 4096);
  // ngram has no drafter; it runs on the V1 model runner (Model Runner V2 does not support it), as the base does when told to.
  const ng = estimateInferenceService(service({ model: { preset: 'llama-3.1-8b' }, maxModelLen: 131072, speculative: { method: 'ngram', tokens: 5 } }), h100);
  const onV1 = estimateInferenceService(service({ model: { preset: 'llama-3.1-8b' }, maxModelLen: 131072, env: { VLLM_USE_V2_MODEL_RUNNER: '0' } }), h100);
  assert.equal(ng.serving!.kvCacheTokens, onV1.serving!.kvCacheTokens);
});

test('MTP on a hybrid Qwen3.6-27B: the MTP layer is a 17th full-attention layer in the hybrid pool, loaded in the checkpoint format', () => {
  const spec = { model: { preset: 'Qwen/Qwen3.6-27B' }, tensorParallel: 2, maxModelLen: 65536 } as const;
  const two = cluster('H100-SXM-80GB', 2);
  const base = estimateInferenceService(service(spec), two);
  const mtp = estimateInferenceService(service({ ...spec, speculative: { method: 'mtp', tokens: 3 } }), two);
  assert.ok(base.ok && mtp.ok, JSON.stringify(mtp.findings));
  assert.ok(base.assumptions.some((a) => a.includes('16 full-attention and 48 Gated DeltaNet layers per GPU')));
  assert.ok(mtp.assumptions.some((a) => a.includes('17 full-attention and 48 Gated DeltaNet layers per GPU')));
  // The current release prints int(concurrency × max_model_len) (no version given).
  assert.ok(mtp.assumptions.some((a) => a.includes('int(concurrency × max_model_len), as vLLM 0.20.1 and later print it')));
  // The MTP layer: a gated-attention layer (24 heads × 256 × 3 + 2 × 4 × 256, × 5120) + the 17408-wide MLP + the 2h → h projection.
  const layer = drafterOf(findModel('qwen3.5-27b')!.architecture, 'mtp').params;
  const expected = 5120 * 24 * 256 * 3 + 2 * 5120 * 4 * 256 + 3 * 5120 * 17408 + 2 * 5120 * 5120 + 4 * 5120;
  assert.equal(layer, expected);
  assert.ok(Math.abs(mtp.serving!.weightsBytes - base.serving!.weightsBytes - (layer * 2) / 2) < 1e6);
  // An fp8 checkpoint carries its MTP layer at 8 bits too.
  const f8 = estimateInferenceService(service({ ...spec, model: { preset: 'Qwen/Qwen3.8-27B-FP8' } }), two);
  const f8mtp = estimateInferenceService(service({ ...spec, model: { preset: 'Qwen/Qwen3.8-27B-FP8' }, speculative: { method: 'mtp' } }), two);
  assert.ok(Math.abs(f8mtp.serving!.weightsBytes - f8.serving!.weightsBytes - layer / 2) < 1e6);
  // The layer count comes from config.json.
  const cfg = parseHfConfig(JSON.stringify({ model_type: 'deepseek_v3', num_hidden_layers: 4, hidden_size: 64, num_attention_heads: 4, intermediate_size: 128, vocab_size: 100, num_nextn_predict_layers: 2 }));
  assert.ok(cfg.ok && cfg.architecture.mtpLayers === 2);
});

test('vllm serve --speculative-config (JSON), the older --speculative-model flags and SGLang --speculative-algorithm read into spec.speculative', () => {
  const mtp = read(`vllm serve Qwen/Qwen3.6-27B -tp 2 --speculative-config '{"method":"qwen3_5_mtp","num_speculative_tokens":3}'`);
  assert.deepEqual(mtp.spec.speculative, { method: 'mtp', tokens: 3 });
  assert.ok(mtp.sources.has('spec.speculative'));
  assert.ok(!(mtp.spec.extraArgs ?? []).includes('--speculative-config'));
  const e3 = read(`vllm serve meta-llama/Llama-3.1-8B-Instruct '--speculative-config={"model":"yuhuili/EAGLE3-LLaMA3.1-Instruct-8B","num_speculative_tokens":4}'`);
  assert.deepEqual(e3.spec.speculative, { method: 'eagle3', tokens: 4, draftModel: 'yuhuili/EAGLE3-LLaMA3.1-Instruct-8B' });
  assert.deepEqual(read('vllm serve meta-llama/Llama-3.1-8B-Instruct --speculative-model [ngram] --num-speculative-tokens 5').spec.speculative, { method: 'ngram', tokens: 5 });
  const sg = read('python -m sglang.launch_server --model-path Qwen/Qwen3.6-35B-A3B --speculative-algorithm NEXTN --speculative-num-steps 3');
  assert.deepEqual(sg.spec.speculative, { method: 'mtp', tokens: 3 });
  // What Gantry does not model is said at the flag, and the estimate goes on without the drafter.
  const medusa = read(`vllm serve x/y --speculative-config '{"method":"medusa","model":"a/b","num_speculative_tokens":2}'`);
  assert.equal(medusa.spec.speculative, undefined);
  assert.ok(medusa.problems.some((p) => p.code === 'foreign-flag-value' && p.message.includes('medusa')));
  const bad = read(`vllm serve x/y --speculative-config '{"method":'`);
  assert.ok(bad.problems.some((p) => p.code === 'foreign-flag-value' && p.severity === 'error' && p.message.includes('not a JSON object')));
  const huge = read(`vllm serve x/y --speculative-config '${'['.repeat(50000)}'`);
  assert.ok(huge.problems.some((p) => p.message.includes('not a JSON object') && p.message.length < 400));
});

test('launch commands: vLLM gets one JSON word, SGLang its flags, TGI n-gram only', () => {
  const sp = { method: 'eagle3', tokens: 4, draftModel: 'yuhuili/EAGLE3-LLaMA3.1-Instruct-8B' } as const;
  const v = engineArgv({ engine: 'vllm', model: { preset: 'llama-3.1-8b' }, speculative: sp }, { model: 'm', host: '127.0.0.1' })!;
  const at = v.indexOf('--speculative-config');
  assert.deepEqual(JSON.parse(v[at + 1]), { method: 'eagle3', model: 'yuhuili/EAGLE3-LLaMA3.1-Instruct-8B', num_speculative_tokens: 4 });
  // What launches reads back to the same spec.
  assert.deepEqual(readServeArgs(findServeCommand(v.map((value) => ({ value, span: { offset: 0, length: 0 }, exact: true, quote: '' })))!).spec.speculative, sp);
  const s = engineArgv({ engine: 'sglang', model: { preset: 'llama-3.1-8b' }, speculative: { method: 'mtp', tokens: 3 } }, { model: 'm', host: '127.0.0.1' })!;
  assert.deepEqual(s.slice(s.indexOf('--speculative-algorithm')), ['--speculative-algorithm', 'NEXTN', '--speculative-num-steps', '3', '--speculative-eagle-topk', '1', '--speculative-num-draft-tokens', '4']);
  assert.deepEqual(
    engineUnsupported({ engine: 'tgi', model: { preset: 'llama-3.1-8b' }, speculative: { method: 'mtp' } }).map((g) => g.path),
    [['spec', 'speculative']],
  );
  const t = engineArgv({ engine: 'tgi', model: { preset: 'llama-3.1-8b' }, speculative: { method: 'ngram', tokens: 3 } }, { model: 'm', host: '127.0.0.1' })!;
  assert.deepEqual(t.slice(t.indexOf('--speculate')), ['--speculate', '3']);
});

test('checks: an EAGLE head needs draftModel and tokens; at the method', () => {
  const text = (extra: string[]) => ['apiVersion: gantry/v1', 'kind: InferenceService', 'metadata: { name: s }', 'spec:', '  engine: vllm', '  model: { preset: llama-3.1-8b }', '  maxModelLen: 8192', '  speculative:', ...extra, ''].join('\n');
  const noDraft = check(text(['    method: eagle3'])).problems.filter((p) => p.code === 'speculative-draft');
  assert.deepEqual(noDraft.map((p) => p.severity).sort(), ['error', 'warning']);
  const doc = text(['    method: eagle3']);
  for (const p of noDraft) assert.equal(doc.slice(p.offset, p.offset + p.length), 'eagle3');
  assert.deepEqual(
    check(text(['    method: eagle3', '    tokens: 3', '    draftModel: yuhuili/EAGLE3-LLaMA3.1-Instruct-8B'])).problems.filter((p) => p.code === 'speculative-draft'),
    [],
  );
  assert.deepEqual(
    check(text(['    method: mtp'])).problems.filter((p) => p.severity === 'error'),
    [],
  );
  // ngram has no draft head whose config could give the count: vLLM always refuses without it.
  const ngram = check(text(['    method: ngram'])).problems.filter((p) => p.code === 'speculative-draft');
  assert.deepEqual(
    ngram.map((p) => p.severity),
    ['error'],
  );
  assert.match(ngram[0].message, /vLLM refuses to start without it\.$/);
  assert.match(noDraft.find((p) => p.severity === 'warning')!.message, /unless the draft head's config gives n_predict/);
  const unknown = check(text(['    method: medusa']));
  assert.ok(
    unknown.problems.some((p) => p.severity === 'error'),
    'the schema names the methods',
  );
});

test('GiB check: an EAGLE head on Llama 3.1 8B costs about half a GiB of weights', () => {
  const base = estimateInferenceService(service({ model: { preset: 'llama-3.1-8b' }, maxModelLen: 8192 }), h100);
  const eagle = estimateInferenceService(service({ model: { preset: 'llama-3.1-8b' }, maxModelLen: 8192, speculative: { method: 'eagle', tokens: 3, draftModel: 'a/b' } }), h100);
  const d = (eagle.serving!.weightsBytes - base.serving!.weightsBytes) / GIB;
  assert.ok(d > 0.4 && d < 0.5, String(d));
});

test("in a vllm serve line, a speculative decoding message names the key of --speculative-config, not the spec's field", async () => {
  const { checkFile } = await import('../../../core/check/checkFile');
  const messages = (config: string) => {
    const text = `#!/bin/bash\nvllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 8192 --speculative-config '${config}'\n`;
    return checkFile(text, { fileName: '/w/serve.sh', defaults: { gpu: 'H100-SXM-80GB' } })
      .problems.filter((p) => p.code === 'speculative-draft')
      .map((p) => p.message);
  };
  const noDraft = messages('{"method": "eagle"}');
  assert.ok(
    noDraft.some((m) => m.includes('set "model" in --speculative-config to its Hugging Face id')),
    noDraft.join('\n'),
  );
  const noTokens = messages('{"method": "ngram"}');
  assert.ok(
    noTokens.some((m) => m.startsWith('ngram speculative decoding needs "num_speculative_tokens" in --speculative-config')),
    noTokens.join('\n'),
  );
  for (const m of [...noDraft, ...noTokens]) assert.ok(!m.includes('speculative.draftModel') && !m.includes('speculative.tokens'), m);
});

test("Gemma 4's assistant drafter caches nothing of its own: the KV layout is the model's, and its 0.4 B bf16 weights and buffers load", () => {
  const a = findModel('gemma-4-26b-a4b')!.architecture;
  const d = drafterOf(a, 'mtp');
  assert.equal(d.layers, 0);
  assert.equal(d.assistant, true);
  // Published sizes: about 0.4 B for the 26B-A4B's assistant, 0.47 B for the 31B's (QAT repack 470 M), 78 M for E4B's.
  assert.ok(near(d.params, 0.42e9, 0.03), String(d.params));
  assert.ok(near(drafterOf(findModel('gemma-4-31b')!.architecture, 'mtp').params, 0.47e9, 0.03));
  assert.ok(near(drafterOf(findModel('gemma-4-e4b')!.architecture, 'mtp').params, 78.8e6, 0.03));
  const spec = { model: { preset: 'google/gemma-4-26B-A4B-it' }, maxModelLen: 32768, maxNumBatchedTokens: 8192, engineVersion: '0.29.0', multimodal: { languageModelOnly: true } } as const;
  const base = estimateInferenceService(service(spec), h100);
  const mtp = estimateInferenceService(service({ ...spec, speculative: { method: 'mtp', tokens: 4, draftModel: 'google/gemma-4-26B-A4B-it-assistant' } }), h100);
  assert.ok(base.serving && mtp.serving);
  assert.equal(mtp.serving!.kvBytesPerToken, base.serving!.kvBytesPerToken);
  assert.equal(mtp.serving!.weightsBytes - base.serving!.weightsBytes, d.params * 2 + 2 * 8192 * 2816 * 2);
  assert.ok(mtp.assumptions.some((s) => s.includes('assistant drafter (google/gemma-4-26B-A4B-it-assistant)') && s.includes('cache nothing')));
  assert.ok(!mtp.assumptions.some((s) => s.includes('third kind of KV layer')));
});

test("NVIDIA's NVFP4 names of Gemma 4 keep attention (and the 26B-A4B's dense MLP) unquantized", () => {
  const moe = resolveModelName('nvidia/Gemma-4-26B-A4B-NVFP4')!;
  assert.deepEqual([...(moe.weightFormat?.kept ?? [])].sort(), ['attention', 'mlp', 'shared']);
  const dense = resolveModelName('nvidia/Gemma-4-31B-IT-NVFP4')!;
  assert.deepEqual(dense.weightFormat?.kept, ['attention']);
  assert.equal(resolveModelName('RedHatAI/Qwen3-8B-NVFP4')?.weightFormat?.kept, undefined);
  // Other exporters' NVFP4 (llm-compressor's scheme quantizes every linear layer): the name's format as it stands.
  assert.equal(resolveModelName('unsloth/gemma-4-26B-A4B-it-NVFP4')?.weightFormat?.kept, undefined);
  assert.equal(resolveModelName('lukealonso/GLM-5.1-NVFP4')?.weightFormat?.kept, undefined);
  assert.equal(moe.weightFormat?.kvFp8, true);
});

test("a Gemma 4 read from its config.json takes its assistant drafter's shape from the drafter's config.json in the local Hugging Face cache", () => {
  const hub = path.join(path.sep, 'cache', 'hub');
  const target = path.join(hub, 'models--acme--Gemma4-26B-A4B-finetune');
  const drafter = path.join(hub, 'models--google--gemma-4-26B-A4B-it-assistant');
  const catalog = findModel('gemma-4-26b-a4b')!.architecture;
  const a = catalog.mtpAssistant!;
  // The target's config.json as the catalog reads Gemma 4 26B-A4B (text_config), and the assistant's own config.json.
  const targetConfig = {
    model_type: 'gemma4',
    text_config: {
      model_type: 'gemma4_text',
      num_hidden_layers: catalog.layers,
      hidden_size: catalog.hidden,
      num_attention_heads: catalog.heads,
      num_key_value_heads: catalog.kvHeads,
      head_dim: 256,
      intermediate_size: 2112,
      vocab_size: catalog.vocab,
      tie_word_embeddings: true,
      max_position_embeddings: 262144,
    },
  };
  const assistantConfig = {
    model_type: 'gemma4_assistant',
    num_hidden_layers: 4,
    hidden_size: a.hidden,
    intermediate_size: a.ffn,
    num_attention_heads: a.heads,
    num_key_value_heads: 8,
    head_dim: 256,
    global_head_dim: 512,
    layer_types: ['sliding_attention', 'sliding_attention', 'sliding_attention', 'full_attention'],
    vocab_size: 262144,
    tie_word_embeddings: true,
    backbone_hidden_size: catalog.hidden,
  };
  const files = new Map<string, string>([
    [path.join(target, 'refs', 'main'), 'abc1234def5678\n'],
    [path.join(target, 'snapshots', 'abc1234def5678', 'config.json'), JSON.stringify(targetConfig)],
    [path.join(drafter, 'refs', 'main'), '0123456789abcd\n'],
    [path.join(drafter, 'snapshots', '0123456789abcd', 'config.json'), JSON.stringify(assistantConfig)],
  ]);
  const opts = { resolveConfig: (p: string) => files.get(p), hfHubCache: hub };
  const spec = { model: { preset: 'acme/Gemma4-26B-A4B-finetune' }, maxModelLen: 8192, speculative: { method: 'mtp' as const, tokens: 3, draftModel: 'google/gemma-4-26B-A4B-it-assistant' } };
  const e = estimateInferenceService(service(spec), h100, opts);
  assert.ok(e.serving, JSON.stringify(e.findings));
  assert.ok(e.assumptions.some((s) => s.includes("assistant drafter's shape read from its config.json")));
  assert.ok(e.assumptions.some((s) => s.includes("query-only layers that read the model's KV cache")));
  // Without the drafter's config in the cache: the drafter as a layer of the model's own, as before.
  files.delete(path.join(drafter, 'refs', 'main'));
  const without = estimateInferenceService(service(spec), h100, opts);
  assert.ok(!without.assumptions.some((s) => s.includes("assistant drafter's shape")));
});
