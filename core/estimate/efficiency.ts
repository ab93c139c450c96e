// The share of a GPU's dense half-precision peak that a training step's kernels reach (hardware FLOPs
// utilisation), by GPU generation and model size, from published MFU tables — not one constant:
//
// | GPU generation            | bf16/fp16                                          | source |
// | Hopper (H100/H200/H800…)  | 41 % at 2 B → 47 % at 462 B, log-linear in size    | Megatron-LM README (interconnect.csv MFU-002: "41% rising to 47-48% with model size", H100, up to 6144 GPUs) |
// | Ampere (A100/A800)        | 63 % (HFU)                                         | torchtitan A100 table, Llama 2/3 8–70B FSDP (MFU-003..010), each row's MFU turned into HFU below |
// | Blackwell, Ada, AMD, Intel| the Hopper figure (no published table in the data) | assumed, and said so |
//
// Below 2 B the Hopper figure is held at 41 % (no smaller model in the Megatron table).
//
// Hardware FLOPs (issue 12, throughput pass). Model FLOPs count attention as the full s×s matrix
// (12·L·s·heads·headDim per token: torchtitan get_num_flop_per_token, llm-foundry, PaLM). A causal
// kernel — FlashAttention (Dao 2022, the causal variant iterates only over key blocks at or below the
// query block), cuDNN/SDPA — computes about half of it, at about half the GEMMs' efficiency
// (causalAttentionFlops): the time is that of the full count at the step's efficiency. Recomputation
// is not in this figure either: trainingTime.ts adds the FLOPs each checkpointing policy re-runs
// (recomputeFlopsPerToken) and divides them by this efficiency.
//
// MFU vs HFU, by each source's own definition. MFU counts model FLOPs only (6Ψ + attention): torchtitan,
// llm-foundry (its README: "MFU … does not account for … activation checkpointing"; HFU multiplies by
// 4/3), Megatron-LM (num_floating_point_operations: the 3× forward/backward expansion, no recompute
// term), PaLM. The value here is a hardware efficiency, so a row is counted at
// HFU = MFU × (hardware FLOPs incl. recomputation) / model FLOPs. The torchtitan A100 rows (MFU-003..010,
// recompute share from recomputeFlopsPerToken; torchtitan's 'selective layer' checkpoints every 2nd
// block, half a full recompute) give a median of 63.0 %. (Charging causal attention at half at the
// GEMMs' efficiency re-derives 58.0 %; before issue 12, 54 % with full recomputation charged twice.)
// Megatron-LM's H100 figures are taken as HFU = MFU as published: its README runs are not documented
// with full recomputation (an assumption, stated in the estimate); they are end-to-end figures at up
// to 6144 GPUs with TP/PP, so they include pipeline bubbles and exposed TP traffic that trainingTime.ts
// adds again — a kernel efficiency for an FSDP-only job is therefore likely higher (a known gap).
//
// float8 (fp8-mixed). torchao's Float8Linear and Transformer Engine convert the transformer blocks'
// linear layers; attention, norms, element-wise ops, embedding and output layer stay in bf16. So only
// the time in those GEMMs shrinks (fp8StepFactor). Their share of a bf16 step's compute time is their
// FLOP share × e / GEMM_EFFICIENCY: they run near large-GEMM efficiency (59 % of the bf16 peak, derived
// below from a published fp8 ratio) while the step as a whole runs at e. In fp8 they run 0.9 × (fp8 peak / bf16 peak) faster —
// 1.8× on Hopper: torchao's float8 README ("the gemm speedup approaching 2x as M, K, N increase", less
// the max-abs and cast overhead it derives). On Llama 3 8B at 8192 tokens on H100 this gives 1.23×
// end-to-end, on 405B 1.34×; torchao publishes up to 1.25× at 8 GPUs / 8B and up to 1.5× at 512 GPUs /
// 405B (the latter with float8 all-gather saving communication). Until the throughput pass fp8 was a
// flat 1.25× (62.5 % of the bf16 efficiency against the fp8 peak) for every model.
//
// The llm-foundry H100 table (MFU-012..022) and the Megatron-Bridge / NeMo AutoModel rows (MB-*, AM-*)
// are "examined" rows: nothing here was read from them, but their errors were looked at.

import { cudaCapability, peakTflops, type GpuInfo } from '../catalog/gpus';
import type { AttentionImpl, Precision } from '../spec/types';

export interface Efficiency {
  value: number;
  /**
   * The figure is an end-to-end MFU of runs that overlapped tensor- and pipeline-parallel communication with
   * compute (Megatron-LM README: --tp-comm-overlap, PP overlap on by default, "throughputs include all
   * operations … communication"): TP/PP traffic is then charged as overlappable, not again on the critical path.
   */
  commOverlapInFigure: boolean;
  /** One line: the figure and where it comes from. */
  source: string;
}

type Generation = 'hopper' | 'ampere' | 'other';

function generation(g: GpuInfo): Generation {
  const id = g.id.toLowerCase();
  if (cudaCapability(g) === 90) return 'hopper';
  if (id.startsWith('a100') || id.startsWith('a800')) return 'ampere';
  return 'other';
}

const HOPPER_SMALL = { params: 2e9, mfu: 0.41 };
const HOPPER_LARGE = { params: 462e9, mfu: 0.47 };
export const AMPERE_HFU = 0.63;
/**
 * Share of a half-precision dense peak that the block linears' GEMMs reach inside a training step. Until issue
 * 12's round 2 this was an assumed 75 %; it is now derived from a published end-to-end fp8/bf16 ratio:
 * torchtitan's float8 note (PyTorch dev-discuss "enabling float8 all-gather in FSDP2": Llama 3 70B on 128
 * H100, 1.50× over bf16, "20% of the speedup is contributed by float8 all-gather while the rest 80% come from
 * float8 compute") gives a compute-only speed-up of 1 + 0.5 × 0.8 = 1.40×. With fp8StepFactor's form and
 * 1.8× GEMMs that is a linear-time share s = (1 − 1/1.40)/(1 − 1/1.8) = 0.643; Llama 3 70B at 8192 tokens has
 * a linear FLOP share f = 0.842 and a Hopper step efficiency e = 0.449 here, so G = f·e/s = 0.59 (about 580
 * TFLOPS on an H100 SXM). Check: Llama 3 8B on 8 GPUs then gets 1.28×, torchao's float8 README publishes
 * up to 1.25× there.
 */
export const GEMM_EFFICIENCY = 0.59;
/** fp8 GEMM speed over bf16 GEMM speed per unit of the peak ratio: fp8/bf16 peak (2× on Hopper) less cast and scale overhead. */
export const FP8_GEMM_OF_PEAK_RATIO = 0.9;

function hopper(params: number): number {
  const p = Math.min(Math.max(params, HOPPER_SMALL.params), HOPPER_LARGE.params);
  const t = Math.log(p / HOPPER_SMALL.params) / Math.log(HOPPER_LARGE.params / HOPPER_SMALL.params);
  return HOPPER_SMALL.mfu + t * (HOPPER_LARGE.mfu - HOPPER_SMALL.mfu);
}

/**
 * How fast attention kernels run against the block GEMMs, per FLOP: FlashAttention-2 reaches about 35 %
 * of an H100's dense peak in training (FlashAttention-3 paper, Shah et al. 2024, §1), where large GEMMs
 * reach some 70–75 % (GEMM_EFFICIENCY): about half.
 */
export const ATTENTION_EFFICIENCY_RATIO = 0.5;

/**
 * cuDNN's fused flash attention against FlashAttention-2 on Hopper, in training: the FlashAttention-3 paper's
 * backward benchmark (Shah et al. 2024, "Attention backward speed, head dim 128 (H100 80GB SXM5)"; the backward
 * does 2.5× the forward's FLOPs) gives FlashAttention-2 318 and cuDNN 518 TFLOPs/s at 8K tokens (FA3 559). Transformer
 * Engine picks cuDNN's kernel on Hopper and newer when both apply (NeMo docs, "Flash Attention": "Transformer
 * Engine prefers cuDNN flash attention on Hopper+ architectures, and Tri Dao flash attention on Ampere"), and MaxText's
 * GPU recipes run cudnn_flash_te. PyTorch's SDPA picks its FlashAttention-2 backend on H100 (2.5.0 made cuDNN the
 * default there; PR #138587 turned it off again), so `flash` and `sdpa` keep ATTENTION_EFFICIENCY_RATIO.
 */
export const CUDNN_ATTENTION_SPEEDUP = 518 / 318;

/**
 * How fast the step's attention kernels run against the block GEMMs: ATTENTION_EFFICIENCY_RATIO, and for
 * `cudnn` on Hopper and data-centre Blackwell (compute capability 9.0 and 10.x) CUDNN_ATTENTION_SPEEDUP times it.
 * Elsewhere cuDNN's kernel is taken at FlashAttention-2's speed (no published comparison in the data).
 */
export function attentionEfficiencyRatio(g: GpuInfo, impl: AttentionImpl | undefined): number {
  const cc = cudaCapability(g) ?? 0;
  const hopperOrB200 = cc === 90 || (cc >= 100 && cc < 110);
  return impl === 'cudnn' && hopperOrB200 ? Math.min(1, ATTENTION_EFFICIENCY_RATIO * CUDNN_ATTENTION_SPEEDUP) : ATTENTION_EFFICIENCY_RATIO;
}

/**
 * Causal attention's FLOPs as charged at the step's efficiency, given the full-matrix count: the
 * kernels skip the upper half of the score matrix (half the FLOPs) and run at `ratio` of the GEMMs'
 * efficiency (attentionEfficiencyRatio: about half for FlashAttention-2), so with FlashAttention-2 the time is
 * that of the full matrix at the step's efficiency. (Charging half at the GEMMs' efficiency, as tried in the
 * throughput pass, made torchtitan's long-context rows 2× too optimistic: bench:foreign-training TR-004..007.)
 */
export function causalAttentionFlops(fullMatrixFlops: number, ratio = ATTENTION_EFFICIENCY_RATIO): number {
  return fullMatrixFlops / 2 / ratio;
}

/**
 * Eager attention (transformers' eager_attention_forward, PyTorch's math path) is not one kernel: the
 * s×s score matrix goes through memory once per op, and those ops are memory-bound, so the FLOP count
 * above (the full matrix at the step's efficiency) misses most of their time. Bytes per score element,
 * counted op by op for a half-precision step (bf16 autocast or pure bf16; fp32 training moves about as
 * many, in fewer but wider passes):
 *
 * - forward, 34: Q·Kᵀ writes S (2); `* scaling` reads and writes it (4); `+ causal_mask` reads it and the
 *   mask and writes it (6; fp32 under autocast with fp32 weights, where the mask is fp32: 10); softmax with
 *   `dtype=torch.float32` on bf16 input first converts it (ATen's softmax fuses the up-cast only for fp16:
 *   read 2, write 4) and then reads and writes fp32 (8); `.to(query.dtype)` (read 4, write 2); P·V reads
 *   P (2). fp16's fused up-cast saves 6; the fp32 mask adds 4: 34 is the middle.
 * - backward, 36: P·V's backward writes dP and reads P (4); the cast back (read 2, write 4); softmax's
 *   backward reads the fp32 gradient and output and writes the gradient (12); the cast to half (6); the
 *   scaling's backward (4); Q·Kᵀ's backward reads dS twice (4).
 * - dropout with p > 0 (GPT-2's attn_pdrop): read, write and a 1-byte mask, forward and backward (5 each);
 *   p = 0 returns its input unchanged.
 *
 * Recomputation re-runs the forward's 34 (full checkpointing; selective policies do not save these ops).
 * ELEMENTWISE_BANDWIDTH_SHARE: the share of HBM bandwidth such kernels reach on large tensors (an
 * assumption, stated in the estimate).
 */
export const EAGER_SCORE_BYTES = { forward: 34, backward: 36, dropout: 5 } as const;
export const ELEMENTWISE_BANDWIDTH_SHARE = 0.8;

/** Seconds one GPU spends moving eager attention's score matrices: `elements` score elements per GPU per step. */
export function eagerScoreSeconds(g: GpuInfo, elements: number, o: { recomputeShare: number; dropout: boolean }): number {
  const perElement = EAGER_SCORE_BYTES.forward * (1 + o.recomputeShare) + EAGER_SCORE_BYTES.backward + (o.dropout ? EAGER_SCORE_BYTES.dropout * (2 + o.recomputeShare) : 0);
  return (elements * perElement) / (g.memoryBandwidthGBps * 1e9 * ELEMENTWISE_BANDWIDTH_SHARE);
}

/** The half-precision hardware efficiency (for fp8-mixed too: fp8StepFactor scales the step). */
export function computeEfficiency(g: GpuInfo, precision: Precision, activeParams: number): Efficiency {
  const gen = generation(g);
  let value: number;
  let source: string;
  if (gen === 'ampere') {
    value = AMPERE_HFU;
    source = `A100 table (torchtitan Llama 8–70B as hardware FLOPs utilisation, median ${(AMPERE_HFU * 100).toFixed(0)} %)`;
  } else {
    value = hopper(activeParams);
    source = `H100 table (Megatron-LM: 41 % at 2 B → 47 % at 462 B; ${(activeParams / 1e9).toFixed(1)} B active)${gen === 'other' ? `; no published table for ${g.name}, the H100 figure assumed` : ''}`;
  }
  const commOverlapInFigure = gen !== 'ampere';
  if (precision === 'fp8-mixed') source += '; fp8 speeds up the block linears only (their share of the bf16 step, GEMMs ~1.8× faster)';
  return { value, source, commOverlapInFigure };
}

export interface Fp8Factor {
  /** fp8 compute time ÷ bf16 compute time. */
  factor: number;
  /** Share of the bf16 compute time spent in the block linears' GEMMs. */
  linearTimeShare: number;
  gemmSpeedup: number;
}

/**
 * float8 training converts the transformer blocks' linear layers (torchao Float8Linear, Transformer Engine
 * fp8 GEMMs); attention, norms, element-wise ops, the embedding and the output layer stay in bf16. Only
 * the time in those GEMMs shrinks. In a bf16 step at hardware efficiency e, linears with FLOP share f take
 * f·e/GEMM_EFFICIENCY of the compute time (they run at large-GEMM efficiency, everything else slower);
 * fp8 runs them FP8_GEMM_OF_PEAK_RATIO × (fp8 peak / bf16 peak) times faster (1.8× on Hopper; 1 where the
 * card has no fp8 peak).
 */
export function fp8StepFactor(g: GpuInfo, bf16Efficiency: number, linearFlopShare: number): Fp8Factor {
  const bf16 = peakTflops(g, 'bf16');
  const fp8 = g.tflops.fp8;
  const gemmSpeedup = fp8 && bf16 > 0 ? Math.max(1, (FP8_GEMM_OF_PEAK_RATIO * fp8) / bf16) : 1;
  const linearTimeShare = Math.min(1, Math.max(0, (linearFlopShare * bf16Efficiency) / GEMM_EFFICIENCY));
  return { factor: 1 - linearTimeShare * (1 - 1 / gemmSpeedup), linearTimeShare, gemmSpeedup };
}

/**
 * Grouped-GEMM efficiency of the MoE expert layers against large dense GEMMs, by the rows (tokens) each expert's
 * GEMM gets. Published curve: DeepGEMM's README (deepseek-ai/DeepGEMM, H800, FP8, N 4096 × K 7168), TFLOPS at M
 * rows per GEMM/group: 64 → 287, 128 → 533 (dense GEMMs), 256 → 932, 512 → 1040, 1024 → 1233 (masked grouped),
 * 4096 → 1288, 8192 → 1297 (contiguous grouped); relative to 1297 that is the table below. First principles
 * agree at small M: a GEMM with M ≪ N, K moves about its weights once, so its arithmetic intensity is ≈ M
 * FLOPs per byte in bf16 (≈ 2M in fp8, against twice the peak) and it is memory-bound below M ≈ peak / memory
 * bandwidth (H800: 989 TFLOPS / 3.35 TB/s ≈ 295 rows) — the roofline (Williams et al. 2009) gives 0.22 at 64
 * and 0.43 at 128 rows, as measured. Other GPUs scale M by their own ridge point (bf16 peak / memory bandwidth)
 * against the H800's.
 */
export const GROUPED_GEMM_CURVE: readonly (readonly [rows: number, efficiency: number])[] = [
  [64, 287 / 1297],
  [128, 533 / 1297],
  [256, 932 / 1297],
  [512, 1040 / 1297],
  [1024, 1233 / 1297],
  [4096, 1288 / 1297],
  [8192, 1],
];
/** The H800's ridge point (bf16 dense TFLOPS per TB/s of memory bandwidth) that DeepGEMM's curve was measured at. */
const CURVE_RIDGE = 989.5 / 3.35;

/** Efficiency (0–1] of an expert GEMM with `rows` tokens, relative to a large GEMM, on GPU g (log-linear in rows). */
export function groupedGemmEfficiency(g: GpuInfo, rows: number): number {
  if (!(rows > 0)) return 1;
  const bw = g.memoryBandwidthGBps / 1000;
  const ridge = bw > 0 ? peakTflops(g, 'bf16') / bw : CURVE_RIDGE;
  const m = rows * (CURVE_RIDGE / (ridge > 0 ? ridge : CURVE_RIDGE));
  const c = GROUPED_GEMM_CURVE;
  if (m <= c[0][0]) return Math.max(0.01, c[0][1] * (m / c[0][0])); // memory-bound: linear in rows
  for (let i = 1; i < c.length; i++) {
    if (m <= c[i][0]) {
      const t = Math.log(m / c[i - 1][0]) / Math.log(c[i][0] / c[i - 1][0]);
      return c[i - 1][1] + t * (c[i][1] - c[i - 1][1]);
    }
  }
  return 1;
}

/**
 * Host-side time of an MoE layer that the GPU waits for, per micro-batch, forward and backward: routing, token
 * permutation, the device-to-host sync that dropless routing needs to size the all-to-all and the grouped GEMM
 * (the host cannot run ahead of it), and the per-expert work of grouped linears (Transformer Engine's
 * GroupedLinear quantizes and launches per local expert). The MoE papers name it: "host-boundedness" / "host
 * overhead" is one of Megatron Core MoE's three walls (arXiv 2603.07685), which CUDA graphs of the router and
 * preprocessing exist to remove. No published figure gives its size, so the two constants are fitted, by the
 * median error alone (docs/estimator.md "MoE host time"): first (2026-12-06) on the 22 examined MoE rows, 2 ms per
 * MoE layer and micro-batch + 0.1 ms per local expert (experts ÷ expert parallel), which two reserve sets then
 * showed over-corrects 8-expert models; now on all 60 MoE rows looked at (examined, and the held-out sets after
 * their one evaluation: Megatron-Bridge, Megatron Core, NeMo, torchtitan, AutoModel, ms-swift, Primus, HF), 1 ms +
 * 0.3 ms per local expert, a reserve set gathered before held out. At 48 layers and 16 local experts that is 0.28 s
 * per micro-batch: Qwen3-30B-A3B at micro-batch 1 on B200 measured 0.44 s where its FLOPs take ~0.12.
 */
export const MOE_LAYER_HOST_SECONDS = 1e-3;
export const MOE_LOCAL_EXPERT_HOST_SECONDS = 0.3e-3;

/** Host time per micro-batch (seconds, forward + backward) of `moeLayers` MoE layers with `localExperts` experts on each GPU. */
export function moeHostSeconds(moeLayers: number, localExperts: number): number {
  return Math.max(0, moeLayers) * (MOE_LAYER_HOST_SECONDS + MOE_LOCAL_EXPERT_HOST_SECONDS * Math.max(1, localExperts));
}
