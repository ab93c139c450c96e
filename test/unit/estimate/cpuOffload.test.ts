// --cpu-offload-gb (vLLM and SGLang): weights kept in host memory per GPU, whole decoder layers at a time.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { estimateInferenceService } from '../../../core/estimate/index';
import { tokenizeShell } from '../../../core/formats/shellWords';
import { findServeCommand, readServeArgs } from '../../../core/formats/vllmArgs';
import { engineArgv, engineUnsupported } from '../../../core/runs/engineCommand';
import { GIB, cluster, service } from './helpers';
import { applyEdits, checkText } from '../formats/servingHelpers';

const read = (line: string) => readServeArgs(findServeCommand(tokenizeShell(line).commands[0].words)!);

test('--cpu-offload-gb is read as cpuOffloadGiB (a float), and written back for vLLM and SGLang; TGI has none', () => {
  assert.equal(read('vllm serve meta-llama/Llama-3.1-70B-Instruct --cpu-offload-gb 12.5').spec.cpuOffloadGiB, 12.5);
  assert.equal(read('python -m sglang.launch_server --model-path meta-llama/Llama-3.1-70B-Instruct --cpu-offload-gb 8').spec.cpuOffloadGiB, 8);
  const argv = engineArgv({ engine: 'vllm', model: { preset: 'llama-3.1-70b' }, cpuOffloadGiB: 12.5 }, { model: 'm', host: '127.0.0.1' })!;
  assert.deepEqual(argv.slice(argv.indexOf('--cpu-offload-gb'), argv.indexOf('--cpu-offload-gb') + 2), ['--cpu-offload-gb', '12.5']);
  assert.deepEqual(
    engineUnsupported({ engine: 'tgi', model: { preset: 'llama-3.1-70b' }, cpuOffloadGiB: 4 }).map((g) => g.path),
    [['spec', 'cpuOffloadGiB']],
  );
});

test('offloading moves whole decoder layers until the budget is met, the last one past it; the pool gets the difference', () => {
  const spec = { model: { preset: 'llama-3.1-70b' }, tensorParallel: 2, maxModelLen: 8192, engineVersion: '0.19.0' } as const;
  const base = estimateInferenceService(service(spec), cluster('H100-SXM-80GB', 2)).serving!;
  const off = estimateInferenceService(service({ ...spec, cpuOffloadGiB: 10 }), cluster('H100-SXM-80GB', 2));
  assert.ok(off.serving, JSON.stringify(off.findings));
  // A Llama 3.1 70B layer is 856 M parameters: 0.80 GiB per GPU at TP 2 in bf16; 10 GiB takes 13 layers (10.4 GiB).
  const layer = ((8192 * 8192 * 2 + 2 * 8192 * 8 * 128 + 3 * 8192 * 28672) * 2) / 2;
  const moved = Math.ceil((10 * GIB) / layer) * layer;
  assert.equal(Math.ceil((10 * GIB) / layer), 13);
  assert.ok(Math.abs(base.weightsBytes - off.serving!.weightsBytes - moved) < 1e6, `${base.weightsBytes - off.serving!.weightsBytes} vs ${moved}`);
  assert.ok(off.serving!.kvCacheBytes > base.kvCacheBytes + 10 * GIB);
  assert.ok(off.assumptions.some((a) => a.startsWith('Weights offloaded to host memory (--cpu-offload-gb 10): 13 whole decoder layers per GPU') && a.includes('PCIe')));
  // More than the model: every layer, and no more.
  const all = estimateInferenceService(service({ ...spec, cpuOffloadGiB: 4000 }), cluster('H100-SXM-80GB', 2)).serving!;
  assert.ok(all.weightsBytes > 0 && all.weightsBytes < 3 * GIB);
  // A bad value is a finding at the field, not a crash.
  const bad = estimateInferenceService(service({ ...spec, cpuOffloadGiB: -1 }), cluster('H100-SXM-80GB', 2));
  assert.ok(bad.findings.some((f) => f.path?.join('.') === 'spec.cpuOffloadGiB'));
});

test('on a Grace superchip a model too large gets an offload fix (the smallest budget tried that fits); over PCIe none', () => {
  const doc = service({ model: { preset: 'zai-org/GLM-5.1-FP8' }, tensorParallel: 4, maxModelLen: 131072, kvCacheDtype: 'fp8' });
  const gh = estimateInferenceService(doc, cluster('GH200', 4));
  assert.equal(gh.ok, false);
  const fixes = gh.findings.flatMap((f) => f.fixes ?? []);
  const fix = fixes.find((f) => f.edits.some((e) => e.path.join('.') === 'spec.cpuOffloadGiB'));
  assert.ok(fix, fixes.map((f) => f.title).join('\n'));
  assert.match(fix.title, /NVLink-C2C/);
  const gb = fix.edits[0].value as number;
  // It fits with that budget, and not with the step below it.
  assert.ok(estimateInferenceService(service({ ...doc.spec, cpuOffloadGiB: gb }), cluster('GH200', 4)).ok);
  assert.equal(estimateInferenceService(service({ ...doc.spec, cpuOffloadGiB: gb === 128 ? 96 : gb / 2 }), cluster('GH200', 4)).ok, false);
  const h100 = estimateInferenceService(doc, cluster('H100-SXM-80GB', 4));
  assert.equal(h100.ok, false);
  assert.ok(!h100.findings.flatMap((f) => f.fixes ?? []).some((f) => f.edits.some((e) => e.path.join('.') === 'spec.cpuOffloadGiB')));
});

test('in a vllm serve script the offload fix writes --cpu-offload-gb, and the fixed line checks clean', () => {
  const text = '#!/bin/bash\nvllm serve zai-org/GLM-5.1-FP8 --tensor-parallel-size 4 --max-model-len 131072 --kv-cache-dtype fp8\n';
  const c = checkText(text, 'serve.sh', { gpu: 'GH200' });
  const p = c.problems.find((x) => x.code === 'memory-exceeds-capacity');
  assert.ok(p, c.problems.map((x) => x.code).join(', '));
  const fix = p.fixes!.find((f) => f.title.includes('--cpu-offload-gb'));
  assert.ok(fix, p.fixes!.map((f) => f.title).join('\n'));
  const fixed = applyEdits(text, fix.edits);
  assert.match(fixed, /--cpu-offload-gb \d+/);
  assert.ok(!checkText(fixed, 'serve.sh', { gpu: 'GH200' }).problems.some((x) => x.severity === 'error'), fixed);
});
