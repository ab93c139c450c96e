import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { estimateInferenceService } from '../../../core/estimate/index';
import type { ClusterDoc } from '../../../core/spec/types';
import { cluster, GIB, near, service } from './helpers';

// Issue 12: vLLM's non-torch memory under tensor parallel depends on the interconnect. On NVLink the
// custom all-reduce, symmetric-memory and NVLink SHARP buffers exist (2.1 GiB per GPU measured on H100s);
// on PCIe only they do not, and what remains is the TP 1 figure plus NCCL's ring buffers (0.25 + 0.1 GiB).

function withIntra(c: ClusterDoc, type: string): ClusterDoc {
  return { ...c, spec: { ...c.spec, interconnect: { ...(c.spec.interconnect ?? {}), intraNode: { type: type as never } } } };
}

const svc = (tp: number) => service({ engine: 'vllm', engineVersion: '0.19.0', model: { preset: 'qwen3-14b' }, tensorParallel: tp, maxModelLen: 8192 });

test('TP 2 on PCIe-only L4s: non-torch = 0.25 GiB (TP 1) + 0.1 GiB NCCL ring buffers, not the NVLink 2.1 GiB', () => {
  const e = estimateInferenceService(svc(2), cluster('L4-24GB', 2), { noFixes: true });
  assert.ok(e.serving);
  assert.ok(near(e.serving.nonTorchBytes, 0.35 * GIB, 1e-9));
  assert.ok(e.assumptions.some((a) => a.includes('PCIe only')));
});

test('TP 2 on H100 SXM (NVLink 4) keeps the measured 2.1 GiB; TP 1 keeps 0.25 GiB', () => {
  const tp2 = estimateInferenceService(svc(2), cluster('H100-SXM-80GB', 2), { noFixes: true });
  assert.ok(near(tp2.serving!.nonTorchBytes, 2.1 * GIB, 1e-9));
  const tp1 = estimateInferenceService(svc(1), cluster('H100-SXM-80GB', 1), { noFixes: true });
  assert.ok(near(tp1.serving!.nonTorchBytes, 0.25 * GIB, 1e-9));
});

test('the same GPUs described as PCIe-connected get the PCIe allowance, and 1.75 GiB more KV pool per GPU', () => {
  const nv = estimateInferenceService(svc(2), cluster('H100-SXM-80GB', 2), { noFixes: true });
  const pcie = estimateInferenceService(svc(2), withIntra(cluster('H100-SXM-80GB', 2), 'pcie5'), { noFixes: true });
  assert.ok(near(pcie.serving!.nonTorchBytes, 0.35 * GIB, 1e-9));
  assert.ok(near(pcie.serving!.kvCacheBytes - nv.serving!.kvCacheBytes, 1.75 * GIB, 0.01));
});

test('TP 2 over NVLink before Hopper (A100 SXM, NVLink 3): no NVLink SHARP, symmetric-memory or FlashInfer buffers, so the PCIe allowance, and it says why', () => {
  const a100 = estimateInferenceService(svc(2), cluster('A100-SXM-80GB', 2), { noFixes: true });
  assert.ok(near(a100.serving!.nonTorchBytes, 0.35 * GIB, 1e-9));
  assert.ok(a100.assumptions.some((a) => a.includes('before Hopper') && a.includes('NVLink SHARP')));
  // Hopper and Blackwell over NVLink keep the measured figure; a GPU whose generation is unknown keeps it too.
  for (const gpu of ['H200-SXM-141GB', 'B200-180GB']) assert.ok(near(estimateInferenceService(svc(2), cluster(gpu, 2), { noFixes: true }).serving!.nonTorchBytes, 2.1 * GIB, 1e-9), gpu);
});
