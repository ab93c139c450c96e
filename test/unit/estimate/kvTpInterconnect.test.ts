import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { estimateInferenceService } from '../../../core/estimate/index';
import type { ClusterDoc } from '../../../core/spec/types';
import { cluster, GIB, near, service } from './helpers';

// Issue 12: vLLM's non-torch memory under tensor parallel depends on the interconnect. On NVLink H100s vLLM 0.19
// measured 2.1 GiB per GPU (custom all-reduce, symmetric-memory and NVLink SHARP buffers among it); on PCIe only
// those do not exist, and what remains is the TP 1 figure plus NCCL's ring buffers (0.25 + 0.1 GiB). Published
// A100 starts over NVLink (vLLM 0.10) fit that PCIe allowance too (serving.ts nonTorchTpKind).

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

test('TP 2 over NVLink before Hopper (A100 SXM, NVLink 3): the PCIe allowance, and it says why', () => {
  const a100 = estimateInferenceService(svc(2), cluster('A100-SXM-80GB', 2), { noFixes: true });
  assert.ok(near(a100.serving!.nonTorchBytes, 0.35 * GIB, 1e-9));
  assert.ok(a100.assumptions.some((a) => a.includes('before Hopper') && a.includes('PCIe allowance') && a.includes('untested on 0.19')));
  for (const gpu of ['A800-SXM-80GB', 'V100-SXM-32GB']) assert.ok(near(estimateInferenceService(svc(2), cluster(gpu, 2), { noFixes: true }).serving?.nonTorchBytes ?? 0, 0.35 * GIB, 1e-9), gpu);
  // Hopper and Blackwell over NVLink keep the measured figure.
  for (const gpu of ['H200-SXM-141GB', 'B200-180GB']) assert.ok(near(estimateInferenceService(svc(2), cluster(gpu, 2), { noFixes: true }).serving!.nonTorchBytes, 2.1 * GIB, 1e-9), gpu);
});

test('the link a Cluster states decides before the card: an A100 SXM over PCIe gets the PCIe text, an A100 PCIe card on an NVLink 3 fabric the pre-Hopper one', () => {
  const overPcie = estimateInferenceService(svc(2), withIntra(cluster('A100-SXM-80GB', 2), 'pcie4'), { noFixes: true });
  assert.ok(near(overPcie.serving!.nonTorchBytes, 0.35 * GIB, 1e-9));
  assert.ok(overPcie.assumptions.some((a) => a.includes('PCIe only')));
  const bridged = estimateInferenceService(svc(2), withIntra(cluster('A100-PCIe-80GB', 2), 'nvlink3'), { noFixes: true });
  assert.ok(near(bridged.serving!.nonTorchBytes, 0.35 * GIB, 1e-9));
  assert.ok(bridged.assumptions.some((a) => a.includes('before Hopper')));
  // A Hopper card keeps the measured figure whatever link generation the Cluster names: the card decides.
  assert.ok(near(estimateInferenceService(svc(2), withIntra(cluster('H100-SXM-80GB', 2), 'nvlink3'), { noFixes: true }).serving!.nonTorchBytes, 2.1 * GIB, 1e-9));
});

test('a GPU described in the Cluster: its link generation says which figure (nvlink3: pre-Hopper; nvlink4: measured)', () => {
  const custom = (type: string): ClusterDoc => withIntra({ ...cluster('H100-SXM-80GB', 2), spec: { ...cluster('H100-SXM-80GB', 2).spec, nodes: { count: 1, gpu: { model: 'my-card', count: 2, memoryGiB: 80 } } } }, type);
  const pre = estimateInferenceService(svc(2), custom('nvlink3'), { noFixes: true });
  assert.ok(near(pre.serving!.nonTorchBytes, 0.35 * GIB, 1e-9));
  assert.ok(pre.assumptions.some((a) => a.includes('taken as a board before Hopper from its link')));
  assert.ok(near(estimateInferenceService(svc(2), custom('nvlink4'), { noFixes: true }).serving!.nonTorchBytes, 2.1 * GIB, 1e-9));
});

test('AMD over Infinity Fabric keeps the measured figure and says it is untested there', () => {
  const e = estimateInferenceService(svc(2), cluster('MI300X-192GB', 2), { noFixes: true });
  assert.ok(near(e.serving!.nonTorchBytes, 2.1 * GIB, 1e-9));
  assert.ok(e.assumptions.some((a) => a.includes('measured on NVLink H100s') && a.includes('untested on AMD')));
});

test("TGI under tensor parallel says the non-torch figure is vLLM's, taken for it", () => {
  const tgi = service({ engine: 'tgi', model: { preset: 'qwen3-14b' }, tensorParallel: 2, maxModelLen: 8192 });
  const e = estimateInferenceService(tgi, cluster('A100-SXM-80GB', 2), { noFixes: true });
  assert.ok(e.assumptions.some((a) => a.includes("(vLLM's figure, taken for TGI: the PCIe allowance")));
});
