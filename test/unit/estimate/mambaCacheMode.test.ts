// A hybrid model's recurrent state blocks per request under vLLM V1 (MambaSpec.max_memory_usage_bytes): one, two in
// prefix caching's 'align' mode, plus one per speculative token. They set the printed concurrency (and from 0.20.1 the
// printed token figure), not the pool.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { estimateInferenceService } from '../../../core/estimate/serving';
import { vllmMambaCacheMode } from '../../../core/estimate/engineVersion';
import type { InferenceServiceSpec } from '../../../core/spec/types';
import { GIB, cluster, service } from './helpers';
import { engineArgv, engineUnsupported } from '../../../core/runs/engineCommand';
import { checkText } from '../formats/servingHelpers';

test("the mamba cache mode: prefix caching on by default for hybrids from 0.28; 'align' for Gated DeltaNet, 'all' for Mamba2 before 0.28", () => {
  const mode = (v: [number, number, number] | undefined, o: { prefixCaching?: boolean; speculative?: boolean; mamba2?: boolean }) => vllmMambaCacheMode(v, { speculative: false, mamba2: false, ...o }).mode;
  assert.equal(mode([0, 24, 0], {}), 'none', 'opt-in before PR #50991');
  assert.equal(mode([0, 28, 0], {}), 'align');
  assert.equal(mode(undefined, {}), 'align', 'an unknown version is the current release');
  assert.equal(mode([0, 30, 0], { prefixCaching: false }), 'none');
  assert.equal(mode([0, 16, 1], { prefixCaching: true }), 'align', 'Gated DeltaNet: align since PR #30877');
  assert.equal(mode([0, 14, 0], { prefixCaching: true }), 'none', 'before align mode a Gated DeltaNet model caches no prefix');
  assert.equal(mode([0, 24, 0], { prefixCaching: true, mamba2: true }), 'all', "Mamba2 took 'all' until PR #50991");
  assert.equal(mode([0, 24, 0], { prefixCaching: true, mamba2: true, speculative: true }), 'align', "or 'align' under speculative decoding (PR #40454)");
  assert.equal(mode([0, 28, 0], { prefixCaching: true, mamba2: true }), 'align');
  assert.equal(vllmMambaCacheMode([0, 24, 0], { speculative: false, mamba2: false }).byDefault, true);
});

// Qwen3.5 9B on an H100 with a fixed 40 GiB pool, so only the layout moves: 8 full-attention and 24 Gated DeltaNet layers.
const h100 = cluster('H100-SXM-80GB', 1);
const base: Partial<InferenceServiceSpec> & Pick<InferenceServiceSpec, 'model'> = { model: { preset: 'qwen3.5-9b' }, maxModelLen: 65536, kvCacheMemoryBytes: 40 * GIB };
const at = (s: Partial<InferenceServiceSpec>) => estimateInferenceService(service({ ...base, ...s }), h100);
const perRequest = (e: ReturnType<typeof at>) => Number(/a 65536-token request takes (\d+) of them/.exec(e.assumptions.find((a) => a.startsWith('Hybrid model'))!)![1]);

test('each recurrent group holds one state block per request, two in align mode, and one more per speculative token', () => {
  const none = at({ engineVersion: '0.24.0' });
  const align = at({ engineVersion: '0.30.0' });
  const mtp = at({ engineVersion: '0.30.0', enablePrefixCaching: false, speculative: { method: 'mtp', tokens: 3 } });
  const both = at({ engineVersion: '0.30.0', speculative: { method: 'mtp', tokens: 2 } });
  // The pool is the same; what one request takes is not (3 Gated DeltaNet groups).
  assert.equal(none.serving!.availableKvBytes, align.serving!.availableKvBytes);
  assert.equal(perRequest(align) - perRequest(none), 3);
  assert.equal(perRequest(mtp) - perRequest(none), 3 * 3);
  assert.equal(perRequest(both) - perRequest(none), 3 * (1 + 2));
  assert.ok(align.serving!.maxConcurrency < none.serving!.maxConcurrency);
  assert.ok(align.assumptions.some((a) => a.includes("prefix caching on by default for hybrid models (vLLM 0.28 and later): vLLM's 'align' mamba cache mode")));
  assert.ok(none.assumptions.some((a) => a.includes('prefix caching off by default for hybrid models before vLLM 0.28')));
  assert.ok(mtp.assumptions.some((a) => a.includes('and one more per speculative token (3)')));
  // 0.20.0 printed blocks ÷ groups × block size, which the state blocks do not move; the concurrency they do.
  const old = at({ engineVersion: '0.20.0', enablePrefixCaching: true });
  const oldOff = at({ engineVersion: '0.20.0', enablePrefixCaching: false });
  assert.equal(old.serving!.kvCacheTokens, oldOff.serving!.kvCacheTokens);
  assert.ok(old.serving!.maxConcurrency < oldOff.serving!.maxConcurrency);
});

test("Mamba2 with prefix caching before 0.28 says its 'all' mode is not laid out", () => {
  const e = estimateInferenceService(service({ model: { preset: 'nemotron-3-nano-4b' }, engineVersion: '0.24.0', enablePrefixCaching: true, maxModelLen: 32768 }), h100);
  assert.ok(e.assumptions.some((a) => a.includes("('all' mode), which this estimate does not lay out")));
});

test('mambaSsmCacheDtype sets the recurrent state type over the config (vLLM --mamba-ssm-cache-dtype, SGLang --mamba-ssm-dtype)', () => {
  const nano = (s: Partial<InferenceServiceSpec>) => estimateInferenceService(service({ model: { preset: 'nemotron-3-nano-30b-a3b' }, engineVersion: '0.30.0', maxModelLen: 8192, ...s }), h100);
  const fp32 = nano({}).serving!;
  const fp16 = nano({ mambaSsmCacheDtype: 'float16' });
  assert.ok(fp16.serving!.stateBytesPerSequence! < fp32.stateBytesPerSequence!, 'a 16-bit state is smaller than the config float32');
  assert.ok(fp16.assumptions.some((a) => a === "Recurrent state in float16 (mambaSsmCacheDtype), half the model config's float32."));
  assert.equal(nano({ mambaSsmCacheDtype: 'float32' }).serving!.stateBytesPerSequence, fp32.stateBytesPerSequence, 'float32 is what the config already says');
  assert.equal(nano({ mambaSsmCacheDtype: 'auto' }).serving!.stateBytesPerSequence, fp32.stateBytesPerSequence);
  assert.ok(nano({ mambaSsmCacheDtype: 'int8' as never }).findings.some((f) => f.code === 'bad-estimate-input' && f.path.join('.') === 'spec.mambaSsmCacheDtype'));
  // The launch: vLLM's flag from 0.10.2; SGLang takes float32 or bfloat16; TGI has none.
  const gaps = (s: Partial<InferenceServiceSpec>) => engineUnsupported({ model: { preset: 'nemotron-3-nano-4b' }, ...s } as InferenceServiceSpec).map((g) => g.message.slice(0, 50));
  assert.deepEqual(gaps({ engine: 'vllm', engineVersion: '0.10.1', mambaSsmCacheDtype: 'float32' }), ['vLLM 0.10.1 has no --mamba-ssm-cache-dtype (from 0']);
  assert.deepEqual(gaps({ engine: 'vllm', engineVersion: '0.10.1', mambaSsmCacheDtype: 'auto' }), [], 'auto writes no flag');
  assert.deepEqual(gaps({ engine: 'sglang', mambaSsmCacheDtype: 'bfloat16' }), []);
  assert.equal(gaps({ engine: 'sglang', mambaSsmCacheDtype: 'float16' }).length, 1);
  assert.equal(gaps({ engine: 'tgi', mambaSsmCacheDtype: 'float32' }).length, 1);
  const argv = engineArgv({ engine: 'vllm', model: { preset: 'nemotron-3-nano-4b' }, mambaSsmCacheDtype: 'float32' } as InferenceServiceSpec, { model: 'm', host: '127.0.0.1' })!;
  assert.equal(argv[argv.indexOf('--mamba-ssm-cache-dtype') + 1], 'float32');
});

test('a vllm serve line with --mamba-ssm-cache-dtype is read into the estimate', () => {
  const text = 'vllm serve nvidia/NVIDIA-Nemotron-3-Nano-4B-BF16 --max-model-len 8192 --mamba-ssm-cache-dtype float32\n';
  const c = checkText(text, '/w/serve.sh', { gpu: 'H100-SXM-80GB', engineVersion: '0.30.0' } as never);
  const e = c.estimates[0]?.estimate as ReturnType<typeof estimateInferenceService>;
  assert.ok(
    e.assumptions.some((a) => a.startsWith('Recurrent state in float32')),
    JSON.stringify(c.problems.map((p) => p.message.slice(0, 80))),
  );
});

test('--disable-hybrid-kv-cache-manager: sliding-window layers cached for the whole sequence; a hybrid model does not start', () => {
  const oss = (s: Partial<InferenceServiceSpec>) => estimateInferenceService(service({ model: { preset: 'gpt-oss-120b' }, engineVersion: '0.22.1', maxModelLen: 131072, ...s }), cluster('H200-SXM-141GB', 1));
  const on = oss({});
  const off = oss({ disableHybridKvCacheManager: true });
  assert.equal(off.serving!.availableKvBytes, on.serving!.availableKvBytes, 'the pool is the same');
  assert.ok(off.serving!.kvCacheTokens < on.serving!.kvCacheTokens && off.serving!.maxConcurrency < on.serving!.maxConcurrency);
  assert.ok(off.assumptions.some((a) => a.startsWith('Sliding-window layers are counted as full attention (--disable-hybrid-kv-cache-manager')));
  const hybrid = at({ engineVersion: '0.30.0', disableHybridKvCacheManager: true });
  const f = hybrid.findings.find((x) => x.code === 'hybrid-kv-manager-off');
  assert.equal(f?.severity, 'error');
  assert.deepEqual(f?.fixes?.[0].edits, [{ path: ['spec', 'disableHybridKvCacheManager'], value: false }]);
  assert.equal(hybrid.ok, false);
  const spec = { engine: 'vllm', model: { preset: 'gpt-oss-120b' }, disableHybridKvCacheManager: true } as InferenceServiceSpec;
  assert.ok(engineArgv(spec, { model: 'm', host: '127.0.0.1' })!.includes('--disable-hybrid-kv-cache-manager'));
  assert.equal(engineUnsupported({ ...spec, engine: 'sglang' }).length, 1);
  const read = checkText('vllm serve openai/gpt-oss-120b --disable-hybrid-kv-cache-manager\n', '/w/serve.sh', { gpu: 'H200-SXM-141GB', engineVersion: '0.22.1' } as never);
  assert.equal((read.foreign?.[0]?.job.spec as unknown as InferenceServiceSpec | undefined)?.disableHybridKvCacheManager, true);
});
