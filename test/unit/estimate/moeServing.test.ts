// MoE models in vLLM (docs/estimator.md "MoE profile activation" and "mxfp4 experts"):
// - the profile run's MLP activation is the fused-MoE kernel's workspaces (core/estimate/serving.ts
//   mlpActivationWidth). Each case is one shape from vLLM's fused_moe.py: M × top-k × (max(N, K) + N / 2)
//   since vLLM 0.8 (PR #13625), M × top-k × (N + N / 2 + K) before, M × top-k × (max(N / 2, K) + max(N, K))
//   from 0.14 (the modular kernels' workspaces, held while the sampler runs), with N = 2 × the expert FFN on one
//   GPU and K = hidden;
// - mxfp4 experts (gpt-oss) are stored padded to the tile sizes of the MoE kernel vLLM picks by GPU
//   (mxfp4ExpertPadding; mxfp4.py create_weights).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { fusedMoeSharesCache13, parseVersion, vllmModularMoe } from '../../../core/estimate/engineVersion';
import { estimateInferenceService } from '../../../core/estimate/index';
import { mlpActivationWidth, moeFp8QuantBytes, moeWorkspaceWidth, mxfp4ExpertPadding } from '../../../core/estimate/serving';
import { cudaCapability, findGpu } from '../../../core/catalog/gpus';
import type { Architecture } from '../../../core/spec/types';
import { cluster, service } from './helpers';

// Qwen3-30B-A3B's shape: 128 experts, top-8, expert FFN 768, hidden 2048 (fine-grained: 2 × 768 < 2048).
const fine: Architecture = { layers: 48, hidden: 2048, heads: 32, kvHeads: 4, headDim: 128, ffn: 6144, vocab: 151936, moe: { experts: 128, activeExperts: 8, expertFfn: 768 } };
// Mixtral 8x7B's shape: 8 experts, top-2, expert FFN 14336, hidden 4096 (coarse: 2 × 14336 > 4096).
const coarse: Architecture = { layers: 32, hidden: 4096, heads: 32, kvHeads: 8, ffn: 14336, vocab: 32000, moe: { experts: 8, activeExperts: 2 } };

test('a dense MLP keeps its gate/up and activation outputs: 3 × ffn / TP', () => {
  const dense: Architecture = { layers: 32, hidden: 4096, heads: 32, ffn: 14336, vocab: 128256 };
  assert.equal(mlpActivationWidth(dense, 2, false, true), (3 * 14336) / 2);
});

test('fine-grained experts: the second GEMM output (hidden, not split by TP) sets the shared buffer', () => {
  // TP 4: N = 2 × 768 / 4 = 384, N / 2 = 192; max(384, 2048) + 192 = 2240 per copy, × 8 copies.
  assert.equal(mlpActivationWidth(fine, 4, false, true), 8 * 2240);
  // Before vLLM 0.8 the three buffers were separate: 384 + 192 + 2048.
  assert.equal(mlpActivationWidth(fine, 4, false, false), 8 * (384 + 192 + 2048));
  // Expert parallel keeps whole experts on a GPU: N = 1536, max(1536, 2048) + 768.
  assert.equal(mlpActivationWidth(fine, 4, true, true), 8 * (2048 + 768));
});

test('coarse experts: max(N, hidden) is N, so the width is the dense form over the top-k copies', () => {
  assert.equal(mlpActivationWidth(coarse, 2, false, true), (2 * 3 * 14336) / 2);
});

test('leading dense layers count when their MLP is the wider', () => {
  const ds: Architecture = { ...fine, ffn: 18432, moe: { ...fine.moe!, denseLayers: 3 } };
  assert.equal(mlpActivationWidth(ds, 1, false, true), Math.max(8 * (2048 + 768), 3 * 18432));
});

test('the buffer layout follows the release: shared from 0.8, separate before, shared when the version is unknown', () => {
  assert.equal(fusedMoeSharesCache13(parseVersion('0.7.3')), false);
  assert.equal(fusedMoeSharesCache13(parseVersion('0.8.0')), true);
  assert.equal(fusedMoeSharesCache13(undefined), true);
});

test('an MoE estimate: the profile activation grows with the hidden-sized workspace and the estimate says so', () => {
  // max_num_seqs 8 keeps the sampler below the forward, so the forward sets the activation peak.
  const spec = { model: { architecture: fine }, tensorParallel: 4, maxModelLen: 8192, maxNumSeqs: 8, maxNumBatchedTokens: 8192, gpuMemoryUtilization: 0.9 };
  const v13 = estimateInferenceService(service({ ...spec, engineVersion: '0.13.0' }), cluster('H100-SXM-80GB', 4));
  const now = estimateInferenceService(service({ ...spec, engineVersion: '0.27.1' }), cluster('H100-SXM-80GB', 4));
  const old = estimateInferenceService(service({ ...spec, engineVersion: '0.7.3' }), cluster('H100-SXM-80GB', 4));
  const ep = estimateInferenceService(service({ ...spec, engineVersion: '0.27.1', expertParallel: true }), cluster('H100-SXM-80GB', 4));
  const act = (e: ReturnType<typeof estimateInferenceService>) => e.serving!.activationPeakBytes;
  // Each difference is 8192 tokens × 2 bytes × the width difference.
  assert.equal(act(old) - act(v13), 8192 * 2 * (mlpActivationWidth(fine, 4, false, false) - mlpActivationWidth(fine, 4, false, true)));
  assert.equal(act(now) - act(v13), 8192 * 2 * (mlpActivationWidth(fine, 4, false, true, true) - mlpActivationWidth(fine, 4, false, true)));
  assert.equal(act(ep) - act(now), 8192 * 2 * (mlpActivationWidth(fine, 4, true, true, true) - mlpActivationWidth(fine, 4, false, true, true)));
  assert.ok(v13.assumptions.some((a) => a.includes('fused-MoE kernel') && a.includes('PR #13625')));
  assert.ok(now.assumptions.some((a) => a.includes("vLLM 0.14's modular kernels")));
  assert.ok(old.assumptions.some((a) => a.includes('separate buffers before vLLM 0.8')));
  assert.ok(ep.assumptions.some((a) => a.includes('whole experts per GPU')));
});

test("vLLM 0.14's modular kernels: max(N / 2, K) + max(N, K) per expert copy (TritonExperts.workspace_shapes), from 0.14.0 and for an unknown version", () => {
  // TP 4: N = 384, N / 2 = 192, K = 2048: 2048 + 2048 per copy, where fused_experts() took 2048 + 192.
  assert.equal(mlpActivationWidth(fine, 4, false, true, true), 8 * (2048 + 2048));
  assert.equal(moeWorkspaceWidth(fine, 4, false, true, true), 8 * (2048 + 2048));
  // Coarse experts: N = 14336 (TP 2), N / 2 = 7168, both wider than K: the same as before.
  assert.equal(mlpActivationWidth(coarse, 2, false, true, true), mlpActivationWidth(coarse, 2, false, true));
  assert.equal(vllmModularMoe(parseVersion('0.13.0')), false);
  assert.equal(vllmModularMoe(parseVersion('0.14.0')), true);
  assert.equal(vllmModularMoe(undefined), true);
  // fp8 activations: the input (hidden) and the activation output (top-k × N / 2), each 1 byte plus an fp32 scale per 128.
  assert.equal(moeFp8QuantBytes(fine, 4, false), (2048 + 8 * 192) * (1 + 1 / 32));
});

test('the modular workspace stays held while the dummy sampler runs: a sampler-bound profile adds it from 0.14', () => {
  // 2048 tokens and 1024 sequences: the sampler's logits outweigh the forward in both releases.
  const spec = { model: { architecture: fine }, tensorParallel: 4, maxModelLen: 8192, maxNumSeqs: 1024, maxNumBatchedTokens: 2048, gpuMemoryUtilization: 0.9 };
  const v13 = estimateInferenceService(service({ ...spec, engineVersion: '0.13.0' }), cluster('H100-SXM-80GB', 4));
  const v14 = estimateInferenceService(service({ ...spec, engineVersion: '0.14.0' }), cluster('H100-SXM-80GB', 4));
  assert.equal(v14.serving!.activationPeakBytes - v13.serving!.activationPeakBytes, 2048 * 2 * moeWorkspaceWidth(fine, 4, false, true, true));
});

test('fp8 experts add their fp8 input and activation copies where vLLM runs w8a8 (compute capability 8.9 and newer), not on an A100 (Marlin, half-precision activations)', () => {
  const spec = { model: { architecture: fine }, tensorParallel: 4, maxModelLen: 8192, maxNumSeqs: 8, maxNumBatchedTokens: 8192, gpuMemoryUtilization: 0.9, engineVersion: '0.19.1' };
  const act = (gpu: string, quantization?: 'fp8') => estimateInferenceService(service({ ...spec, ...(quantization ? { quantization } : {}) }), cluster(gpu, 4)).serving!.activationPeakBytes;
  assert.equal(act('H100-SXM-80GB', 'fp8') - act('H100-SXM-80GB'), 8192 * moeFp8QuantBytes(fine, 4, false));
  assert.equal(act('A100-SXM-80GB', 'fp8'), act('A100-SXM-80GB'));
  const said = (gpu: string) => estimateInferenceService(service({ ...spec, quantization: 'fp8' }), cluster(gpu, 4)).assumptions.some((x) => x.includes("fp8 copies of the experts' input"));
  assert.equal(said('H100-SXM-80GB'), true);
  assert.equal(said('A100-SXM-80GB'), false);
});

// gpt-oss-120b's expert shape: hidden 2880, expert FFN 2880, 128 experts, top-4.
const gptOss: Architecture = { layers: 36, hidden: 2880, heads: 64, kvHeads: 8, headDim: 64, ffn: 2880, vocab: 201088, moe: { experts: 128, activeExperts: 4, expertFfn: 2880 } };
const gpu = (id: string) => {
  const g = findGpu(id);
  assert.ok(g, id);
  return g;
};

test('compute capability by product line', () => {
  assert.deepEqual(
    ['H100-SXM-80GB', 'GH200-96GB', 'B200-180GB', 'RTX-PRO-6000-96GB', 'RTX-5090-32GB', 'L40S-48GB', 'RTX-4090-24GB', 'A100-SXM-80GB', 'A10G-24GB', 'RTX-A6000-48GB', 'T4-16GB'].map((id) => cudaCapability(gpu(id))),
    [90, 90, 100, 120, 120, 89, 89, 80, 86, 86, 75],
  );
  assert.equal(cudaCapability(gpu('MI300X-192GB')), undefined);
});

test('mxfp4 experts: padded per the kernel vLLM picks by GPU; none on Hopper or off NVIDIA; none for other formats', () => {
  const pad = (id: string, tp = 1, ep = false) => mxfp4ExpertPadding(gptOss, 'mxfp4', tp, ep, gpu(id));
  // FlashInfer TRT-LLM (10.x): 2880 → 3072 both.
  assert.deepEqual(pad('B200-180GB'), { factor: (3072 * 3072) / (2880 * 2880), backend: 'FlashInfer TRT-LLM' });
  // Marlin (Ampere, Ada, sm_120): expert FFN 2880 → 2944 (128), hidden 2880 → 3072 (256).
  assert.deepEqual(pad('RTX-PRO-6000-96GB'), { factor: (2944 * 3072) / (2880 * 2880), backend: 'Marlin' });
  assert.equal(pad('A100-SXM-80GB').backend, 'Marlin');
  // Triton (9.x): the expert FFN to 64 (2880 already is), hidden as is — from vLLM 0.12, which bundles triton_kernels; Marlin before.
  assert.deepEqual(pad('H100-SXM-80GB'), { factor: 1, backend: 'Triton' });
  assert.deepEqual(mxfp4ExpertPadding(gptOss, 'mxfp4', 1, false, gpu('H100-SXM-80GB'), [0, 12, 0]), { factor: 1, backend: 'Triton' });
  assert.deepEqual(mxfp4ExpertPadding(gptOss, 'mxfp4', 1, false, gpu('H100-SXM-80GB'), [0, 11, 2]), { factor: (2944 * 3072) / (2880 * 2880), backend: 'Marlin' });
  // TP 4 splits the expert FFN: 720 → 768 through Marlin; expert parallel keeps it whole.
  assert.equal(pad('L40S-48GB', 4).factor, (768 * 3072) / (720 * 2880));
  assert.equal(pad('L40S-48GB', 4, true).factor, pad('L40S-48GB').factor);
  assert.equal(mxfp4ExpertPadding(gptOss, 'mxfp4', 1, false, gpu('MI300X-192GB')).factor, 1);
  assert.equal(mxfp4ExpertPadding(gptOss, 'nvfp4', 1, false, gpu('B200-180GB')).factor, 1);
});

test('a gpt-oss estimate on a Marlin GPU counts the padded experts and says so', () => {
  const spec = { model: { preset: 'gpt-oss-120b' }, maxModelLen: 8192, engineVersion: '0.27.1' };
  const marlin = estimateInferenceService(service(spec), cluster('RTX-PRO-6000-96GB', 1));
  const hopper = estimateInferenceService(service(spec), cluster('H100-SXM-80GB', 1));
  assert.ok(
    marlin.assumptions.some((a) => a.includes('Marlin MoE kernel') && a.includes('×1.090')),
    marlin.assumptions.join('\n'),
  );
  assert.ok(!hopper.assumptions.some((a) => a.includes('stored padded')));
  assert.ok(marlin.serving!.weightsBytes > hopper.serving!.weightsBytes * 1.07, 'the experts are most of the weights');
});

test('DeepSeek-V3 loads as released, fp8 in 128×128 blocks: about 78 GiB per GPU at TP 8, so it fits eight H200s', () => {
  const e = estimateInferenceService(service({ model: { preset: 'deepseek-v3' }, tensorParallel: 8, maxModelLen: 32768 }), cluster('H200-SXM-141GB', 8));
  assert.equal(e.ok, true, e.findings.map((f) => f.message).join('\n'));
  assert.ok(e.serving!.weightsBytes / 2 ** 30 > 74 && e.serving!.weightsBytes / 2 ** 30 < 82, String(e.serving!.weightsBytes / 2 ** 30));
});

test('expert parallel with data parallel: routed experts spread over TP × DP GPUs, attention replicated per data-parallel rank', () => {
  const base = { model: { preset: 'deepseek-v3' }, maxModelLen: 32768 };
  const c8 = cluster('H200-SXM-141GB', 8);
  const tp8 = estimateInferenceService(service({ ...base, tensorParallel: 8, expertParallel: true }), c8).serving!.weightsBytes;
  const dp8 = estimateInferenceService(service({ ...base, tensorParallel: 1, dataParallel: 8, expertParallel: true }), c8).serving!.weightsBytes;
  const dp8NoEp = estimateInferenceService(service({ ...base, tensorParallel: 1, dataParallel: 8 }), c8);
  // The experts take the same bytes per GPU either way; the rest (about 20 GiB in all) is whole on every data-parallel rank.
  assert.ok(dp8 > tp8 && dp8 - tp8 < 25 * 2 ** 30, `${tp8 / 2 ** 30} / ${dp8 / 2 ** 30}`);
  // Without expert parallel each data-parallel rank holds the whole model: it does not fit.
  assert.equal(dp8NoEp.ok, false);
});
