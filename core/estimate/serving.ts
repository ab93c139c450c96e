// estimateInferenceService: weights, KV-cache pool and capacity of an inference service.
//
// vLLM (V1; the sizing of v0.6.5+, FORMULAS §3.2): the instance may use utilization × capacity;
// it loads the weights, runs a profile forward of max_num_batched_tokens dummy tokens and a dummy
// sampler pass over max_num_seqs rows, and measures non-torch memory; the rest is the KV pool:
//   pool = util × capacity − weights − activation peak − non-torch.
// KV bytes per token per GPU = 2 × layers-per-stage × KV heads per TP rank × head_dim × dtype bytes
// (CacheEngine block size formula; KV heads are replicated when fewer than TP ranks); MLA caches
// kv_lora_rank + qk_rope_head_dim values per layer, the same on every TP rank. The pool is cut into
// blocks of block_size tokens; with pipeline parallelism the smallest stage pool decides. Through
// 0.19, CUDA graphs are captured after sizing, so they come on top of the budget (utilization 0.9 by
// default); from 0.20 vLLM estimates them in the profile run and takes them off the pool (utilization
// 0.92 by default): engineVersion.ts vllmSizing. From 0.22 Model Runner V2 (engineVersion.ts vllmModelRunner)
// profiles a smaller sampler pass and holds a penalty state of max_num_seqs × vocab int32 beside the peak.
// Hybrid models (Qwen3-Next, Qwen3.5: Gated DeltaNet layers with full attention every few layers) cache
// K and V on the full-attention layers only; each linear layer keeps one recurrent state per sequence
// (value heads × key dim × value dim, in mamba_ssm_dtype) and a convolution state ((kernel − 1) × the
// q, k, v channels). vLLM V1's hybrid allocator (v1/core/kv_cache_utils.py, models/config.py) gives
// every layer one page size: the attention block grows to the smallest multiple of 16 tokens whose
// page holds a layer's state; layers are grouped by kind into groups of min(full, linear) layers; the
// pool is num_blocks pages per layer of a group; a request of L tokens takes ceil(L / block) blocks in
// each full-attention group and one in each linear group (hybridPool). Sliding-window layers are grouped
// the same way, a request holding its window's blocks (slidingPool). The printed token figure is
// num_blocks // groups × block through 0.20.0 and int(concurrency × L) since (printedTokens). Other
// engines: the states of max_num_seqs sequences come off the pool first.
// SGLang: static pool = mem_fraction_static × capacity − weights − context (the activation peak lives in
// the remaining 1 − mem_fraction_static). TGI: warm-up prefill, then the free memory becomes KV.

import { withEdits } from './withEdits';
import {
  atLeast,
  VLLM_MM_DEFAULT_LIMIT,
  CUDA_GRAPHS,
  engineVersionOf,
  qwen2VlDummyVideo,
  vllmPadsEncoderOutputs,
  fusedMoeSharesCache13,
  vllmModularMoe,
  vllmSlidingBatches,
  vllmAcceptsAutoMaxModelLen,
  vllmBatchDefaults,
  vllmCompilesInProfile,
  vllmMambaCacheMode,
  vllmModelRunner,
  vllmSizing,
  type VllmBatchDefaults,
  type VllmRunner,
  type VllmSizing,
} from './engineVersion';
import type { Architecture, ClusterDoc, InferenceServiceDoc, InferenceServiceSpec } from '../spec/types';
import { formatOfQuantization, hybridNamedFormat, type ModuleKind, type WeightFormat } from '../catalog/weightFormat';
import { cudaCapability, findGpu, type GpuInfo } from '../catalog/gpus';
import { gib, grouped, summarizeServing } from './format';
import { guarded } from './guard';
import { dsaKv, type DsaKv } from './sparseAttention';
import { type LoraSlots, VLLM_LORA_DEFAULTS, vllmLoraCoversExperts, vllmLoraEmbeddings, vllmLoraSlotBytes } from './servingLora';
import { blockParamsByKind, drafterOf, globalAttentionOf, headDimOf, kvHeadsOf, mlaAbsorbedCopyBytes, recurrentLayersOf } from './params';
import { assistantFromHfCache, badInput, GIB, resolveCluster, resolveModel, SERVER_GPUS, type ResolvedCluster, type ResolvedModel } from './resolve';
import type { EstimateOptions, Finding, Fix, RefusalKind, ServingEstimate, ServingFigures } from './types';

/** Dummy sampler pass: fp32 logits (4 B) + top-k/top-p sort: fp32 values (4 B) + int64 indices (8 B), per row per vocab entry. */
const SAMPLER_BYTES_PER_LOGIT = 16;
/**
 * vLLM V0's dummy sampler pass (model_executor/layers/sampler.py, profile run with top_k = vocab − 1 and
 * top_p 0.99, one row per max_num_seqs), at its peak, the sort in `_apply_top_k_top_p`: the model
 * dtype logits the model runner still holds (2 B) + their fp32 copy (4 B) + the sort's fp32 values (4 B)
 * and int64 indices (8 B) + the int64 iota it sorts along (8 B) + the radix sort's alternate key and
 * value buffers (4 + 8 B): 38 B per row per vocab entry. The final hidden states (tokens × hidden) are
 * held through the sampler too.
 */
const SAMPLER_V0_BYTES_PER_LOGIT = 38;
/**
 * Model Runner V2's dummy sampler pass (vllm/v1/worker/gpu/model_runner.py _dummy_sampler_run, sample/sampler.py):
 * one row per dummy request (min(max_num_batched_tokens, max_num_seqs)); the logits in the model dtype and their
 * fp32 copy (`torch.empty_like(logits, dtype=torch.float32).copy_(logits)`). Top-k, top-p and logprobs are skipped
 * while profiling ("During the initial memory profiling, the sampler may skip top_k, top_p, and logprobs"), so
 * there is no sort: the model dtype's bytes + 4 per row per vocab entry, against the V1 runner's 16.
 */
const SAMPLER_MRV2_FP32_BYTES = 4;
/**
 * Model Runner V2's penalty state (sample/penalties.py), allocated with the sampler before profiling and held for
 * good: output_bin_counts, int32 [max_num_seqs, vocab] ("can be very large, taking up GBs of GPU memory"), and
 * prompt_bin_mask, int32 [max_num_seqs, ceil(vocab / 32)] (bit-packed since PR #29756). Bytes per sequence.
 */
export function mrv2PenaltyBytesPerSeq(vocab: number): number {
  return vocab * 4 + Math.ceil(vocab / 32) * 4;
}
/** Non-torch memory seen in vLLM 0.19 profiling: ~0.25 GiB at TP 1 (cuBLAS/cuda workspaces), ~2.1 GiB per GPU at TP ≥ 2 on NVLink H100s (TP2 2.07, TP4 2.13–2.17 GiB: NCCL incl. NVLink SHARP, custom all-reduce and symmetric-memory buffers), 0.07 GiB with PP only (FORMULAS §3.2). */
const NON_TORCH_TP1 = 0.25 * GIB;
const NON_TORCH_TP = 2.1 * GIB;
const NON_TORCH_PP = 0.07 * GIB;
/**
 * Tensor parallel over PCIe only (issue 12; docs/estimator.md "TP non-torch memory by interconnect").
 * The NVLink-only communicators do not exist there: vLLM's custom all-reduce disables itself without
 * P2P or on more than two PCIe-only GPUs (distributed/device_communicators/custom_all_reduce.py:
 * "Custom allreduce is disabled because it's not supported on more than two PCIe-only GPUs" / "...
 * lacks GPU P2P capability"), its symmetric-memory communicator only runs on sm90/sm100
 * (symm_mem.py: "SymmMemCommunicator: Device capability 8.6 not supported"), and NCCL's NVLink SHARP
 * buffers need an NVSwitch (vLLM issue #9699: NVLS on H100-class boards only, nvlsTotalSize 2.25 GiB
 * at 8 GPUs). What is left is NCCL's ring/tree buffers: NCCL_BUFFSIZE 4 MiB (Simple) plus the LL/LL128
 * buffers, ≈ 8 MiB per channel per peer, 2 channels on PCIe, send and receive peers, for the two
 * communicators vLLM holds per TP group (PyNccl and torch's device group): 2 × 2 × 2 × 8 MiB ≈ 0.06 GiB,
 * rounded up to 0.1 GiB for NCCL's own work queues. Not fitted: the examined V0-16 log (2 × RTX 4090)
 * prints non_torch_memory 0.25 GiB at TP 2.
 */
const NCCL_PCIE_BUFFERS = 0.1 * GIB;
const NON_TORCH_TP_PCIE = NON_TORCH_TP1 + NCCL_PCIE_BUFFERS;
/**
 * Tensor parallel over NVLink on a GPU older than Hopper (A100, A800, V100 SXM: compute capability below 9.0, or the
 * nvlink2/nvlink3 links only such boards have) is charged the PCIe allowance. Empirical, from examined rows: five
 * published vLLM V1 starts on A100 SXM at TP 2 and 4 (KV4-07/09/10/12/14: vLLM 0.10.1 and one unstated) leave about
 * 0.1 GiB (1.1 GiB on the 40 GB card) beside weights, activations and KV where the H100 figure charges 2.1 GiB. Some
 * Hopper buffers do need sm90 or newer (NCCL's NVLink SHARP: Hopper NVSwitch boards, above 2 GPUs; vLLM's
 * symmetric-memory all-reduce: sm90/sm100, 64 MiB at TP 2), but they do not add up to 2.1 GiB at TP 2, and the
 * H100 figure is a vLLM 0.19 measurement while the A100 rows are older releases (an H100 TP 2 start on an
 * early-2026 release printed 0.55 GiB: KV10-01/02), so GPU generation and vLLM release are confounded here; an
 * A100 on vLLM 0.19 or later is untested. Nothing is fitted: the allowance is the derived PCIe one.
 */
export function nonTorchTpKind(g: GpuInfo, intraLink: string): 'pcie' | 'nvlink-pre-hopper' | 'measured' {
  if (intraLink.startsWith('pcie')) return 'pcie';
  if (g.vendor !== 'nvidia') return 'measured';
  const cc = cudaCapability(g);
  if (cc !== undefined) return cc < 90 && intraLink.startsWith('nvlink') ? 'nvlink-pre-hopper' : 'measured';
  // A GPU described in a Cluster (no compute capability known): the link generation says the board's.
  return intraLink === 'nvlink2' || intraLink === 'nvlink3' ? 'nvlink-pre-hopper' : 'measured';
}
/** CUDA context with lazy loading (vLLM logs: 0.51 GiB used before loading at TP 1). */
const CUDA_CONTEXT = 0.5 * GIB;
/**
 * TGI's warm-up (server/text_generation_server/models/flash_causal_lm.py `warmup`): one prefill of
 * max_batch_prefill_tokens (requests of max_input_tokens each), then
 * num_blocks = free_memory × TGI_WIGGLE_ROOM // block bytes + the warm-up batch's own blocks, with
 * free_memory = mem_get_info free − (1 − cuda_memory_fraction) × total ("Leave 5% for some wiggle room").
 */
const TGI_WIGGLE_ROOM = 0.95;
/** TGI launcher default for --max-batch-prefill-tokens (v2: 4096). */
const TGI_PREFILL_TOKENS = 4096;
/** SGLang's mem_fraction_static default on large GPUs. */
/** SGLang's mem_fraction_static default by parallel size (server_args.py: world ≥ 16: 0.79, ≥ 8: 0.81, ≥ 4: 0.85, ≥ 2: 0.87, else 0.88). */
export function sglangMemFraction(world: number): number {
  return world >= 16 ? 0.79 : world >= 8 ? 0.81 : world >= 4 ? 0.85 : world >= 2 ? 0.87 : 0.88;
}
interface Stage {
  weights: number;
  activation: number;
  kvBytesPerToken: number;
  pool: number;
  /** Hybrid models: this stage's layers of each kind and one linear layer's state per sequence (bytes per GPU). */
  hybrid?: { kind: string; full: number; linear: number; stateBytesPerLayer: number; attnBytesPerTokenPerLayer: number };
  /** Sliding-window models whose layer pattern is known: this stage's full-attention and sliding-window layers
   *  (attnBytesPerTokenPerLayer: a sliding layer's KV per token; fullBytesPerTokenPerLayer: a full layer's, where it differs, Gemma 4). */
  sliding?: { full: number; sliding: number; window: number; attnBytesPerTokenPerLayer: number; fullBytesPerTokenPerLayer?: number };
  /** mxfp4 experts stored padded for vLLM's MoE kernel (mxfp4ExpertPadding). */
  expertPadding?: { factor: number; backend?: string };
  /** A drafter's full-attention layer beside global layers of another shape (Gemma 4): a third kind, not laid out. */
  drafterBesideGlobal?: boolean;
  /** Decoder layers kept in host memory (--cpu-offload-gb) and their bytes per GPU, taken off `weights`. */
  offloaded?: { layers: number; bytes: number };
  /** What a vision encoder's profile run adds to this stage's activation peak (visionProfile). */
  visionExtra?: number;
  towerWeights?: number;
  /** vLLM V1's first start: what the compile's benchmark copy of the embedding (compileEmbeddingPeak) adds above the profile's own peak. */
  compileExtra?: number;
  /** vLLM's LoRA slots on this stage (servingLora.ts), within `weights`. */
  lora?: LoraSlots;
}

/** Why a hybrid request holds the recurrent state blocks it does (vllmMambaCacheMode), for the estimate's assumptions. */
function mambaStatesNote(c: ReturnType<typeof vllmMambaCacheMode> | undefined, specTokens: number, kind: string): string {
  if (!c) return '';
  const pc = c.prefixCaching ? `prefix caching ${c.byDefault ? 'on by default for hybrid models (vLLM 0.28 and later)' : 'on'}` : `prefix caching ${c.byDefault ? 'off by default for hybrid models before vLLM 0.28' : 'off'}`;
  const mode = c.mode === 'align' ? ": vLLM's 'align' mamba cache mode keeps the running state and the one saved at the last block boundary" : c.mode === 'all' ? `: vLLM of this release caches a ${kind} state per attention block ('all' mode), which this estimate does not lay out (the pool holds fewer requests)` : '';
  const spec = specTokens > 0 ? `, and one more per speculative token (${specTokens})` : '';
  return `; ${pc}${mode}${spec}`;
}

/** The model with its recurrent layers' state type set by spec.mambaSsmCacheDtype (auto or unset: as it is), said. */
function withStateDtype(m: ResolvedModel, dtype: InferenceServiceSpec['mambaSsmCacheDtype'], assumptions: string[]): ResolvedModel {
  const a = m.arch;
  if (!dtype || dtype === 'auto' || !(a.mamba || a.linearAttention)) return m;
  const stateDtype = dtype === 'float32' ? ('fp32' as const) : ('bf16' as const);
  assumptions.push(`Recurrent state in ${dtype} (mambaSsmCacheDtype)${(a.mamba ?? a.linearAttention)?.stateDtype === 'fp32' && stateDtype !== 'fp32' ? ", half the model config's float32" : ''}.`);
  return { ...m, arch: { ...a, ...(a.mamba ? { mamba: { ...a.mamba, stateDtype } } : {}), ...(a.linearAttention ? { linearAttention: { ...a.linearAttention, stateDtype } } : {}) } };
}

/** A stage's recurrent state for one sequence on one GPU (bytes; 0 for a model without recurrent layers). */
const stateBytesPerSequence = (s: Stage): number => (s.hybrid ? s.hybrid.linear * s.hybrid.stateBytesPerLayer : 0);

/** vLLM's kernel block alignment for the attention block size of hybrid models (HybridAttentionMambaModelConfig). */
const HYBRID_BLOCK_ALIGNMENT = 16;

/**
 * vLLM V1's KV pool for a model with two kinds of layer (a hybrid's full-attention and recurrent layers, or
 * full-attention and sliding-window layers): every layer has one page size, the layers are grouped by kind
 * into groups of one size, and the pool is `blocks` pages per layer of a group.
 */
export interface GroupedPool {
  /** Tokens per block of a full-attention layer (a hybrid's attention block grows so that one page holds a layer's recurrent state). */
  blockSize: number;
  /** Tokens per block of a sliding-window layer (its own where the page sizes were unified; else blockSize). */
  otherBlockSize: number;
  /** The two kinds' page sizes do not divide: the smaller padded to the larger. */
  padded?: boolean;
  /** Bytes of one block of one layer. */
  pageBytes: number;
  /** Layers per group and the number of groups of each kind ("other": recurrent or sliding-window). */
  groupSize: number;
  fullGroups: number;
  otherGroups: number;
  /** Blocks one request of maxModelLen tokens takes in one group of the other kind (a recurrent state: 1; a window: its pages). */
  otherBlocksPerRequest: number;
  /** The same for a request of `len` tokens (a window's pages stop growing at the window). */
  otherBlocksAt: (len: number) => number;
  blocks: number;
  /** Blocks one request of maxModelLen tokens takes: ceil(L / block) in each full-attention group, otherBlocksPerRequest in each other group. */
  blocksPerRequest: number;
  /** KV cache one request of maxModelLen tokens needs over all the stage's layers (vLLM's startup check). */
  requestBytes: number;
  /** What vLLM prints as "GPU KV cache size" (printedTokens). */
  tokens: number;
  /** Requests of maxModelLen tokens that fit at once (vLLM's "Maximum concurrency"). */
  concurrency: number;
}

/**
 * How vLLM groups layers of two kinds (kv_cache_utils.py _get_kv_cache_groups_uniform_page_size): groups of
 * the smaller kind's count, or of the larger's when the two are close; each kind fills whole groups.
 */
function groupLayers(full: number, other: number): { groupSize: number; fullGroups: number; otherGroups: number } {
  if (full < 1 || other < 1) return { groupSize: Math.max(full, other, 1), fullGroups: full > 0 ? 1 : 0, otherGroups: other > 0 ? 1 : 0 };
  const lo = Math.min(full, other);
  const hi = Math.max(full, other);
  const groupSize = hi < lo * 1.5 ? hi : lo;
  return { groupSize, fullGroups: Math.ceil(full / groupSize), otherGroups: Math.ceil(other / groupSize) };
}

/**
 * The token figure vLLM prints as "GPU KV cache size". Through 0.20 it was blocks ÷ groups × block size; later
 * releases (vLLM PR #40694, issue #40691: the old figure did not match the printed concurrency for Qwen3.5)
 * print int(max_concurrency × max_model_len) (kv_cache_utils.py get_kv_cache_capacity), which for a hybrid
 * counts only the groups whose blocks grow with the request. Published logs date it: 0.20.0 and a 0.20.1rc1
 * nightly of 4 May 2026 print the old figure, 0.20.1 and a 0.20.2rc1 nightly of 6 May the new one (the
 * first evaluation took 0.21; bench/data/vllm-v1-kv-reserve5.jsonl KV7-03 and KV7-12 moved it to 0.20.1).
 */
function printedTokens(groupAware: boolean, blocks: number, groups: number, blockSize: number, concurrency: number, maxModelLen: number): number {
  return groupAware ? Math.floor(concurrency * maxModelLen) : Math.floor(blocks / groups) * blockSize;
}

/** `otherBlockSize`: the other kind's tokens per block where it differs from the full-attention layers' (unified page sizes); the printed figure counts the smaller. */
function groupedPool(full: number, other: number, pageBytes: number, blockSize: number, otherBlocksAt: (len: number) => number, pool: number, maxModelLen: number, groupAware: boolean, otherBlockSize = blockSize): GroupedPool {
  const { groupSize, fullGroups, otherGroups } = groupLayers(full, other);
  const otherBlocksPerRequest = otherBlocksAt(maxModelLen);
  const blocks = Math.max(0, Math.floor(pool / (pageBytes * groupSize)));
  const fullBlocks = Math.ceil(maxModelLen / blockSize);
  const blocksPerRequest = fullGroups * fullBlocks + otherGroups * otherBlocksPerRequest;
  const concurrency = blocks / blocksPerRequest;
  const tokens = printedTokens(groupAware, blocks, fullGroups + otherGroups, Math.min(blockSize, otherBlockSize), concurrency, maxModelLen);
  const requestBytes = (full * fullBlocks + other * otherBlocksPerRequest) * pageBytes;
  return { blockSize, otherBlockSize, pageBytes, groupSize, fullGroups, otherGroups, otherBlocksPerRequest, otherBlocksAt, blocks, blocksPerRequest, requestBytes, tokens, concurrency };
}

/**
 * The longest request (tokens, at most maxModelLen) one grouped pool holds: the largest length whose blocks in every
 * full-attention group and every other group (a window's at that length) fit in the pool.
 */
export function longestGroupedRequest(p: GroupedPool, maxModelLen: number): number {
  const fits = (len: number) => p.fullGroups * Math.ceil(len / p.blockSize) + p.otherGroups * p.otherBlocksAt(len) <= p.blocks;
  if (!p.fullGroups) return fits(maxModelLen) ? maxModelLen : 0;
  let lo = 0;
  let hi = maxModelLen;
  if (fits(hi)) return hi;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * vLLM V1's hybrid KV pool for one stage (see the header): the attention block grown to the smallest multiple
 * of 16 tokens whose page holds one recurrent layer's state, `statesPerRequest` blocks per request in each recurrent
 * group (vllmMambaCacheMode: one, two with prefix caching's 'align' mode, plus one per speculative token).
 * `groupAware`: the printed token figure of vLLM 0.20.1 and later (printedTokens). Undefined for a model without
 * both kinds of layer.
 */
export function hybridPool(h: Omit<NonNullable<Stage['hybrid']>, 'kind'>, pool: number, maxModelLen: number, groupAware = false, statesPerRequest = 1): GroupedPool | undefined {
  if (h.full < 1 || h.linear < 1 || !(h.attnBytesPerTokenPerLayer > 0)) return undefined;
  const a = HYBRID_BLOCK_ALIGNMENT;
  const blockSize = a * Math.ceil(h.stateBytesPerLayer / (a * h.attnBytesPerTokenPerLayer));
  return groupedPool(h.full, h.linear, blockSize * h.attnBytesPerTokenPerLayer, blockSize, () => statesPerRequest, pool, maxModelLen, groupAware);
}

/**
 * vLLM V1's pool for full-attention and sliding-window layers (Gemma 2, 3 and 4, gpt-oss): pages of `blockSize`
 * tokens; a request holds ceil(L / block) blocks in each full-attention group and, in each sliding-window
 * group, the blocks of min(window − 1 + in-flight tokens, L) tokens plus one (SlidingWindowSpec
 * max_memory_usage_bytes: the window need not start on a block boundary). `inFlightTokens` is
 * max_num_batched_tokens, or from vLLM 0.26 that times the batches in flight (vllmSlidingBatches). Where a full-attention layer caches
 * another size per token than a sliding one (Gemma 4's 512-wide global heads), vLLM gives every layer the larger
 * page and the kind with the smaller one blocks of as many more tokens (kv_cache_utils.py
 * unify_kv_cache_spec_page_size). Page sizes that do not divide, which that function refused, later releases pad
 * to the larger (page_size_padded); so does this (`padded`).
 */
export function slidingPool(s: NonNullable<Stage['sliding']>, pool: number, maxModelLen: number, blockSize: number, inFlightTokens: number, groupAware: boolean): GroupedPool | undefined {
  const slide = s.attnBytesPerTokenPerLayer;
  const full = s.full > 0 ? (s.fullBytesPerTokenPerLayer ?? slide) : slide;
  if (s.sliding < 1 || !(slide > 0) || !(full > 0)) return undefined;
  const whole = Number.isInteger(Math.max(slide, full) / Math.min(slide, full));
  const ratio = whole ? Math.max(slide, full) / Math.min(slide, full) : 1;
  const fullBlock = full < slide ? blockSize * ratio : blockSize;
  const slideBlock = slide < full ? blockSize * ratio : blockSize;
  const windowBlocks = (len: number) => Math.ceil(Math.min(s.window - 1 + inFlightTokens, len) / slideBlock) + 1;
  const p = groupedPool(s.full, s.sliding, blockSize * Math.max(slide, full), fullBlock, windowBlocks, pool, maxModelLen, groupAware, slideBlock);
  return whole ? p : { ...p, padded: true };
}

function dtypeBytes(spec: InferenceServiceSpec): number {
  return spec.dtype === 'fp32' ? 4 : 2;
}

function kvBytes(spec: InferenceServiceSpec, dt: number): number {
  const k = spec.kvCacheDtype ?? 'auto';
  if (k === 'fp8' || k === 'fp8-e4m3' || k === 'fp8-e5m2') return 1;
  if (k === 'bf16' || k === 'fp16') return 2;
  return dt;
}

/**
 * vLLM stores mxfp4 MoE experts (gpt-oss) padded to the tile sizes of the MoE kernel it picks by GPU
 * (mxfp4.py get_mxfp4_backend and Mxfp4MoEMethod.create_weights): on compute capability 10.x (B200, GB200,
 * B300) FlashInfer's TRT-LLM kernels, expert FFN and hidden each rounded up to 256; on 9.x (Hopper) the
 * Triton kernels, the expert FFN to 64 and hidden as is; on the others (Ampere, Ada, and the sm_120 Blackwell
 * workstation cards) the Marlin kernel, the expert FFN to 128 and hidden to 256 (its n % 256 and k % 128
 * rule). gpt-oss has 2880 for both: 1.138× on a B200, 1.090× through Marlin, none on an H100. The expert
 * FFN is per GPU (tensor parallel splits it; expert parallel keeps it whole). Other vendors: none assumed.
 * Hopper ran Marlin too before vLLM 0.12: its Triton path needs the triton_kernels package, which no release
 * before 0.12 installed (0.12 bundles it as vllm/third_party/triton_kernels, PR #28788, and limits Triton to
 * 9.0 ≤ cc < 11.0, PR #29339); a published 0.11.2 start on an H100 logs "Using Marlin backend" and loads
 * 65.97 GiB, Marlin's padding. A user who installed triton_kernels by hand on an older release gets Triton.
 * Opt-in backends (VLLM_USE_FLASHINFER_MOE_MXFP4_*, --mxfp4-backend) are not modelled.
 */
export function mxfp4ExpertPadding(a: Architecture, family: string, tp: number, expertParallel: boolean, gpu: GpuInfo, version?: [number, number, number]): { factor: number; backend?: string } {
  if (family !== 'mxfp4' || !a.moe) return { factor: 1 };
  const cc = cudaCapability(gpu);
  if (cc === undefined) return { factor: 1 };
  const ffn = (a.moe.expertFfn ?? a.ffn) / (expertParallel ? 1 : tp);
  const up = (x: number, m: number) => Math.ceil(x / m) * m;
  const triton = cc >= 90 && cc < 100 && (!version || atLeast(version, 0, 12));
  const [backend, f, h]: [string, number, number] = cc >= 100 && cc < 110 ? ['FlashInfer TRT-LLM', up(ffn, 256), up(a.hidden, 256)] : triton ? ['Triton', up(ffn, 64), a.hidden] : ['Marlin', up(ffn, 128), up(a.hidden, 256)];
  return { factor: (f * h) / (ffn * a.hidden), backend };
}

/**
 * The peak a first start's torch.compile leaves in vLLM V1's profiling window (bytes per GPU, on the stage that holds
 * the embedding): the compile runs inside it (the profile run's dummy forward is the first call of the compiled model;
 * a restart that loads the compile cache skips it), and Inductor benchmarks the fused kernels at compile time on
 * freshly allocated inputs (vLLM sets benchmark_combo_kernel, PR #26682), the token embedding among them: a copy of
 * the local vocabulary shard (vocab / TP × hidden, the model dtype) and its output over max_num_batched_tokens. vLLM
 * counts the window's torch peak as "peak activation" (issue #54122, open; fixes proposed in PRs #54209 and #54479).
 * The size is read from published splits, not from Inductor's code: Qwen2.5-7B AWQ 1.04 GiB (this gives 1.03),
 * Qwen3-8B 1.18 (1.18), Qwen3-14B/32B AWQ 1.46 (1.47), Qwen2.5-0.5B 0.25 (0.26), LFM2.5-1.2B 0.26 (0.25), and restarts
 * of the same servers printing 0.08–0.33 GiB.
 */
export function compileEmbeddingPeak(a: Architecture, tp: number, tokens: number, dt: number): number {
  return ((a.vocab / Math.max(1, tp)) * a.hidden + tokens * a.hidden) * dt;
}

/**
 * Elements per token per GPU that the MLP keeps alive in the profile forward. A dense MLP: its gate/up
 * output and the activation's (3 × ffn / TP). An MoE layer runs vLLM's fused-MoE kernel, whose
 * workspaces hold every token's top-k expert copies (fused_moe.py fused_experts_impl; the modular
 * kernels' workspace13 / workspace2 have the same shapes): the first GEMM's output N = 2 × the expert FFN
 * on this GPU, the activation's output N / 2, and the second GEMM's output K = hidden — not split by tensor
 * parallel, so for fine-grained experts (expert FFN well under hidden: Qwen3 MoE, DeepSeek, GLM) it is the
 * largest. From vLLM 0.8 the first and last share one buffer (max(N, K)); before, all three were separate
 * (fusedMoeSharesCache13); from 0.14 the modular kernels' workspaces take max(N / 2, K) + max(N, K) (vllmModularMoe).
 * Expert parallel keeps whole experts on a GPU, so N is not split either. Leading dense layers (DeepSeek style)
 * count when their MLP is the larger.
 */
export function mlpActivationWidth(a: Architecture, tp: number, expertParallel: boolean, sharedCache13: boolean, modular = false): number {
  const dense = (3 * a.ffn) / tp;
  if (!a.moe) return dense;
  const moe = moeWorkspaceWidth(a, tp, expertParallel, sharedCache13, modular);
  return (a.moe.denseLayers ?? 0) > 0 ? Math.max(moe, dense) : moe;
}

/** The fused-MoE workspaces alone, elements per token per GPU (mlpActivationWidth): top-k expert copies. */
export function moeWorkspaceWidth(a: Architecture, tp: number, expertParallel: boolean, sharedCache13: boolean, modular: boolean): number {
  if (!a.moe) return 0;
  const split = expertParallel ? 1 : tp;
  const gated = a.gatedMlp ?? true;
  const n = ((gated ? 2 : 1) * (a.moe.expertFfn ?? a.ffn)) / split;
  const act = gated ? n / 2 : n;
  const perCopy = modular ? Math.max(act, a.hidden) + Math.max(n, a.hidden) : sharedCache13 ? Math.max(n, a.hidden) + act : n + act + a.hidden;
  return a.moe.activeExperts * perCopy;
}

/**
 * fp8 MoE with fp8 activations (block or per-tensor fp8 weights on compute capability 8.9 and newer, where vLLM runs
 * w8a8): the experts quantize their input (moe_kernel_quantize_input: hidden fp8 bytes and an fp32 scale per 128) and,
 * in TritonExperts.apply, the activation's output before the second GEMM (top-k × N / 2, the same). Bytes per token.
 * Older GPUs run fp8 weights through Marlin with half-precision activations: none.
 */
export function moeFp8QuantBytes(a: Architecture, tp: number, expertParallel: boolean): number {
  if (!a.moe) return 0;
  const gated = a.gatedMlp ?? true;
  const n = ((gated ? 2 : 1) * (a.moe.expertFfn ?? a.ffn)) / (expertParallel ? 1 : tp);
  const act = gated ? n / 2 : n;
  return (a.hidden + a.moe.activeExperts * act) * (1 + 1 / 32);
}

/** What vLLM V1's profile run of a vision encoder adds (visionProfile): bytes per GPU, and what the estimate says of it. */
export interface VisionProfile {
  /** The encoder's peak over its dummy batch (patch inputs, hidden states, QKV and MLP widths per patch). */
  encoderPeak: number;
  /** The embeddings it returns, held in the encoder cache while the language model's dummy batch and sampler run. */
  outputs: number;
  items: number;
  budget: number;
  /** What vLLM profiles with: the modality whose item gives the most tokens (images on a tie), videos where images are off. */
  modality: 'image' | 'video';
  /** One item of that modality: its tokens and the patches the encoder runs on. */
  tokensPerItem: number;
  patchesPerItem: number;
  /** A video item the encoder runs on fewer tokens of than vLLM counts it as (Qwen3-VL in 0.11–0.13; Qwen2-VL before 0.11.0). */
  ranTokens?: number;
  /** A video of frames of the largest image (dummyVideo 'qwen2-vl'): how many frames the item counts, and how many the encoder runs on (fewer before vLLM 0.11.0). */
  frames?: number;
  ranFrames?: number;
  /** vLLM 0.11–0.13 padded each item's embeddings with zeros to the whole budget: its rows. */
  paddedTo?: number;
}

/**
 * vLLM V1's profile run of a vision-language model (gpu_model_runner profile_run, multimodal/encoder_budget.py):
 * before the language model's dummy batch it runs the vision encoder on dummy items of the largest size the
 * processor makes: budget = max(max_num_batched_tokens, tokens per item) tokens, as many items as the budget holds
 * (at least one; at most max_num_seqs × items per prompt, which --limit-mm-per-prompt caps), all in one batch. The
 * embeddings it returns stay in the encoder cache through the language model's dummy run and the sampler, so the
 * peak the KV cache is sized after is max(encoder peak, language model peak + embeddings) (the inputs_embeds buffer a
 * multimodal model keeps is counted apart, visionEmbeds: it is there whether the profile runs or not). The encoder's peak per
 * patch is counted as the language model's is per token: its pixel input, three hidden-wide states, and the QKV and
 * MLP outputs split over tensor parallel (vLLM shards the tower's weights by default, mm_encoder_tp_mode "weights").
 * A reason string where the profile is not run (--skip-mm-profiling, --language-model-only, every modality at 0).
 */
export function visionProfile(a: Architecture, spec: InferenceServiceSpec, tokens: number, seqs: number, maxModelLen: number, dt: number, tp: number): VisionProfile | string | undefined {
  const v = a.vision;
  if (!v) return undefined;
  const mm = spec.multimodal;
  if (mm?.languageModelOnly) return '--language-model-only: the vision tower is neither loaded nor profiled';
  const { image: imageLimit, video: videoLimit } = modalityLimits(v, spec);
  if (towerModalitiesOff(a, spec)) return `--limit-mm-per-prompt turns ${v.video ? 'image and video' : 'image'} off: the encoder is not profiled`;
  if (mm?.skipProfiling) return "--skip-mm-profiling: the encoder is not profiled, so its memory at the first image request is not left out of the KV cache (vLLM's warning: the user's to leave)";
  // vLLM profiles the modality whose item gives the most tokens (the first, image, on a tie), counting one item of each.
  // A video is made as the model's processor makes it (dummyVideo), else taken at an image's size (and the note says so).
  const version = engineVersionOf(spec).parts;
  const video = videoLimit > 0 ? dummyVideoItem(v, maxModelLen, tokens, version, imageLimit > 0) : undefined;
  const modality: 'image' | 'video' = imageLimit === 0 || (video !== undefined && video.itemTokens > v.tokensPerItem) ? 'video' : 'image';
  const modelled = modality === 'video' ? video : undefined;
  const perItem = modelled?.itemTokens ?? v.tokensPerItem;
  const budget = Math.max(tokens, perItem);
  const limit = modality === 'video' ? videoLimit : imageLimit;
  const perPrompt = Math.max(1, Math.min(limit, Math.floor(maxModelLen / perItem)));
  const items = Math.max(1, Math.min(Math.floor(budget / perItem), seqs * perPrompt));
  // What the encoder runs on per item, and the embeddings it returns (each padded to the whole budget in 0.11–0.13).
  const ranTokens = modelled?.runTokens ?? perItem;
  const patchesPerItem = modelled?.runPatches ?? v.patchesPerItem;
  const padded = vllmPadsEncoderOutputs(version) && ranTokens < budget;
  const patches = items * patchesPerItem;
  const encoderPeak = patches * encoderBytesPerPatch(v, dt, tp);
  const outputs = items * (padded ? budget : ranTokens) * a.hidden * dt * (1 + (v.deepstack ?? 0));
  return {
    encoderPeak,
    outputs,
    items,
    budget,
    modality,
    tokensPerItem: perItem,
    patchesPerItem,
    ...(modelled && ranTokens !== perItem ? { ranTokens } : {}),
    ...(modelled?.frames !== undefined ? { frames: modelled.frames, ranFrames: modelled.ranFrames } : {}),
    ...(padded ? { paddedTo: budget } : {}),
  };
}

/**
 * Items per prompt of each modality the vision encoder serves (--limit-mm-per-prompt, else vLLM's default); video is 0
 * for an encoder that takes none. vLLM profiles the modalities whose limit is not 0 (encoder_budget.py tower_modalities).
 */
function modalityLimits(v: NonNullable<Architecture['vision']>, spec: InferenceServiceSpec): { image: number; video: number } {
  const limits = spec.multimodal?.limitPerPrompt;
  return { image: limits?.image ?? VLLM_MM_DEFAULT_LIMIT, video: v.video ? (limits?.video ?? VLLM_MM_DEFAULT_LIMIT) : 0 };
}

/**
 * One dummy video item as the model's processor makes it (VisionEncoder.dummyVideo): the tokens vLLM counts it as (which
 * set the budget, the item count and the modality) and what the encoder runs on. Qwen2-VL's processor: frames of the
 * largest image (dummyVideoFrames). Qwen3-VL's (vLLM qwen3_vl.py, which Qwen3.5 reuses): its video processor's pixel
 * volume (longest_edge 25,165,824 over two frames of 32-pixel tokens: 12,288 tokens, four patches each); from 0.11.0 to
 * 0.13 the frame search stopped at two frames of 3,520² (12,100 tokens) below a max_model_len of 16,200, and vLLM counted
 * the item 12.5 times over (get_max_video_tokens: the timestamps' text), so it won over the image.
 */
export function dummyVideoItem(v: NonNullable<Architecture['vision']>, maxModelLen: number, batchedTokens: number, version: [number, number, number] | undefined, imagesOn: boolean): { itemTokens: number; runTokens: number; runPatches: number; itemPatches: number; frames?: number; ranFrames?: number } | undefined {
  const patchesPerToken = v.patchesPerItem / v.tokensPerItem;
  if (v.dummyVideo === 'qwen2-vl') {
    const item = dummyVideoFrames(maxModelLen, v.tokensPerItem, version, imagesOn);
    // Before 0.11.0 the dummy batch asked for a video of max_num_batched_tokens with only video counted (PR #25553 changed it).
    const ran = qwen2VlDummyVideo(version).lessAnImage ? dummyVideoFrames(batchedTokens, v.tokensPerItem, version, false) : item;
    return { itemTokens: item.groups * v.tokensPerItem, runTokens: ran.groups * v.tokensPerItem, runPatches: ran.groups * v.patchesPerItem, itemPatches: item.groups * v.patchesPerItem, frames: item.frames, ranFrames: ran.frames };
  }
  if (v.dummyVideo === 'qwen3-vl') {
    const old = vllmPadsEncoderOutputs(version);
    const run = old && maxModelLen < QWEN3VL_FRAME_SEARCH_LEN ? QWEN3VL_VIDEO_TOKENS_TWO_FRAMES : QWEN3VL_VIDEO_TOKENS;
    const runPatches = Math.round(run * patchesPerToken);
    return { itemTokens: old ? Math.floor(run * QWEN3VL_VIDEO_COUNTED_TIMES) : run, runTokens: run, runPatches, itemPatches: runPatches };
  }
  return undefined;
}

/** vLLM 0.11–0.13 counted Qwen3-VL's video tokens this many times over (get_max_video_tokens: the timestamps' text around each frame). */
const QWEN3VL_VIDEO_COUNTED_TIMES = 12.5;
/** Qwen3-VL's dummy video: the video processor's pixel volume (longest_edge 25,165,824) over two frames, in 32-pixel tokens. */
const QWEN3VL_VIDEO_TOKENS = 12288;
/** vLLM 0.11–0.13 below a max_model_len of 16,200: two frames of 3,520² (the frame search's first step gave 16,200 tokens). */
const QWEN3VL_VIDEO_TOKENS_TWO_FRAMES = 12100;
const QWEN3VL_FRAME_SEARCH_LEN = 16200;

/** The encoder's peak per patch: its pixel input, three hidden-wide states, and the QKV and MLP outputs split over tensor parallel. */
function encoderBytesPerPatch(v: NonNullable<Architecture['vision']>, dt: number, tp: number): number {
  const mlpWidth = v.ffn * (v.gatedMlp ? 3 : 2);
  return dt * ((v.patchInput ?? 588) + 3 * v.hidden + (3 * v.hidden + mlpWidth) / tp);
}

/** A dummy video whose profile costs the KV cache at least this much over an image's is said (vision-video-profile). */
const VIDEO_PROFILE_NOTE_BYTES = 2 ** 30;

/** Frames to a temporal patch in the Qwen2-VL processor (temporal_patch_size; every Qwen2-VL and Qwen2.5-VL config has 2). */
const QWEN2VL_TEMPORAL = 2;

/**
 * The dummy video of the Qwen2-VL processor (vLLM qwen2_vl.py get_num_frames_with_most_features, which Qwen2.5-VL
 * shares), counted for one video as vLLM counts an item's size (mm_counts of 1 per modality on): frames of the largest
 * image, the most whose tokens fit max_model_len (less an image's tokens, with images on, before 0.11.0), one at least,
 * at most the release's cap (qwen2VlDummyVideo); frames are padded to a whole temporal patch of two, and each patch
 * gives an image's tokens.
 */
export function dummyVideoFrames(maxModelLen: number, imageTokens: number, version: [number, number, number] | undefined, imagesOn: boolean): { frames: number; groups: number } {
  const rule = qwen2VlDummyVideo(version);
  const room = maxModelLen - (rule.lessAnImage && imagesOn ? imageTokens : 0);
  const groups = (n: number) => Math.max(1, Math.floor((n + (n % QWEN2VL_TEMPORAL)) / QWEN2VL_TEMPORAL));
  let n = 1;
  while (n < rule.maxFrames && groups(n + 1) * imageTokens <= room) n++;
  return { frames: n, groups: groups(n) };
}

/**
 * --limit-mm-per-prompt sets every modality the vision tower serves to 0 (image, and video where the model takes it:
 * architecture.vision.video, or a catalog tower's towers.video where the profile is not modelled). A tower whose
 * modalities are not known (a config.json vision_config Gantry cannot read) may take video, so video must be 0 too.
 */
export function towerModalitiesOff(a: Architecture, spec: InferenceServiceSpec, tower?: { video?: boolean }): boolean {
  const limits = spec.multimodal?.limitPerPrompt;
  const video = a.vision ? a.vision.video === true : tower?.video !== false;
  return (!!a.vision || !!tower) && limits?.image === 0 && (!video || limits.video === 0);
}

/** The refusal an estimate predicts: no memory left for the KV cache, or less than one request of it; undefined for a start. */
export function predictedRefusal(e: { findings: readonly Finding[] }): RefusalKind | undefined {
  if (e.findings.some((f) => f.code === 'memory-exceeds-capacity')) return 'no-kv-memory';
  if (e.findings.some((f) => f.code === 'kv-cache-too-small')) return 'kv-below-one-sequence';
  return undefined;
}

/** "Available KV cache memory" as vLLM prints it, signed (bytes per GPU): the estimate's room, less its shortfall. */
export function printedAvailableKvBytes(s: Pick<ServingFigures, 'availableKvBytes' | 'kvShortfallBytes'>): number {
  return s.availableKvBytes - (s.kvShortfallBytes ?? 0);
}

/** What the estimate says of an audio tower: loaded (its profile run is not modelled) or left out, and why. */
function audioNote(params: number, skipped: boolean, lmo: boolean, engine: string, audioOff: boolean): string {
  const count = `${(params / 1e9).toFixed(2)} B parameters`;
  if (skipped) return `Audio tower: its ${count} are not loaded (${lmo ? '--language-model-only' : '--limit-mm-per-prompt sets audio to 0; vLLM 0.10.1 and later skip a tower whose every modality is at 0'}).`;
  // Audio at 0 on a release before 0.10.1: the tower loads all the same, and no audio is profiled.
  if (audioOff && engine === 'vllm') return `Audio tower: its ${count} are loaded and counted (audio is at 0, but vLLM before 0.10.1 loads a tower whatever its limits).`;
  const off = engine === 'vllm' ? '; --limit-mm-per-prompt \'{"audio":0}\' or (text only) --language-model-only leave it out' : '';
  return `Audio tower: its ${count} are loaded and counted; the memory of its profile run on dummy audio is not modelled${off}.`;
}

/** What the estimate says of a vision-language model's encoder (visionProfile). */
function visionNote(a: Architecture, spec: InferenceServiceSpec, vision: VisionProfile | string | undefined, engine: string, v0: boolean, tower: { skipped: boolean; params?: number; byLimits: boolean; embeds: number; pp: number }): string {
  const v = a.vision;
  const why = tower.byLimits ? ' (vLLM 0.10.1 and later skip a tower whose every modality is at 0)' : '';
  const off = !tower.skipped ? '' : tower.params ? ` The tower's ${(tower.params / 1e9).toFixed(2)} B parameters are not loaded${why}.` : ` The tower is not loaded${why}, but its parameters are not known apart from the model's other extra parameters, so they are still counted.`;
  if (!v) return `Vision tower:${off.replace(" The tower's", ' its')}`;
  if (typeof vision === 'string') return `Vision encoder: ${vision}.${off}`;
  if (!vision) return `Vision encoder: ${engine === 'vllm' && v0 ? "vLLM V0's" : engine === 'vllm' ? "vLLM's" : `${engine === 'sglang' ? 'SGLang' : 'TGI'}'s`} profile of it is not modelled; only its weights are counted.${off}`;
  const gibs = (b: number) => gib(b, 2);
  const stages = tower.pp > 1 ? ` On every pipeline stage: vLLM builds and runs the tower on each rank.` : '';
  const items = `${vision.items} dummy ${vision.modality}${vision.items === 1 ? '' : 's'}`;
  const imagesOff = spec.multimodal?.limitPerPrompt?.image === 0;
  const framesOf = (n: number) => `${n} frame${n === 1 ? '' : 's'}`;
  const size = `${grouped(vision.tokensPerItem)} tokens`;
  const profiledWhy = imagesOff ? 'images are off' : `vLLM profiles the modality whose item gives the most tokens${v.tokensPerItem < vision.tokensPerItem ? `, here more than an image's ${grouped(v.tokensPerItem)}` : ''}`;
  const what =
    vision.modality !== 'video'
      ? `${items} of ${size} (${grouped(vision.patchesPerItem)} patches each)`
      : v.dummyVideo === undefined
        ? `${items} of ${size} (${grouped(vision.patchesPerItem)} patches each; images are off, so vLLM profiles videos, taken here at an image's size)`
        : vision.frames === undefined
          ? vision.ranTokens !== undefined
            ? `${items} counted as ${size} (${profiledWhy}; vLLM 0.11–0.13 counted the dummy video 12.5 times over, for the timestamps around its frames), the encoder running on ${grouped(vision.ranTokens)} tokens and ${grouped(vision.patchesPerItem)} patches each`
            : `${items} of ${size} (${grouped(vision.patchesPerItem)} patches each, two frames within the video processor's pixel volume; ${profiledWhy})`
          : vision.ranFrames !== undefined && vision.ranFrames !== vision.frames
            ? `${items} of ${size} (${framesOf(vision.frames)} of the largest image, as many as max_model_len holds up to vLLM's cap; ${profiledWhy}), though releases before 0.11.0 run the encoder on a video of max_num_batched_tokens: ${framesOf(vision.ranFrames)}, ${grouped(vision.patchesPerItem)} patches`
            : `${items} of ${size} (${framesOf(vision.frames)} of the largest image, ${grouped(vision.patchesPerItem)} patches, as many frames as max_model_len holds up to vLLM's cap; ${profiledWhy})`;
  const padding = vision.paddedTo !== undefined ? ` vLLM 0.11–0.13 padded each item's embeddings with zeros to the whole budget (${grouped(vision.paddedTo)} rows), which the embeddings' figure counts.` : '';
  // vLLM profiles the modality whose item is longest; where the dummy video is not modelled, say that it may be longer.
  const longerVideo =
    v.video && !v.dummyVideo && vision.modality === 'image'
      ? " Where a release makes its dummy video longer than an image, it profiles that instead and takes more (vLLM #25631: Qwen2.5-VL with 5.26 GiB of KV cache by default, 25.05 GiB with video at 0, on an A100 40GB); this model's dummy video is not modelled, and video at 0 in --limit-mm-per-prompt avoids it."
      : v.dummyVideo === 'qwen2-vl' && vision.modality === 'image' && modalityLimits(v, spec).video > 0
        ? ` Its dummy video is no longer than an image at this max_model_len (one temporal patch), so the memory is an image's whichever vLLM names; from ${grouped((qwen2VlDummyVideo(engineVersionOf(spec).parts).lessAnImage ? 3 : 2) * v.tokensPerItem)} tokens of max_model_len the video is longer and takes more.`
        : v.dummyVideo === 'qwen3-vl' && vision.modality === 'image' && modalityLimits(v, spec).video > 0
          ? ` Its processor's dummy video (12,288 tokens) is shorter than an image, so vLLM profiles images (vLLM 0.11–0.13 counted that video 12.5 times over, profiled it instead and padded its embeddings to that budget).`
          : '';
  return `Vision encoder profiled before the KV cache is sized (vLLM V1): ${what} in an encoder budget of ${grouped(vision.budget)} tokens; encoder peak ${gibs(vision.encoderPeak)}, its embeddings ${gibs(vision.outputs)} held through the language model's dummy batch, and the inputs_embeds buffer ${gibs(tower.embeds)}.${padding}${stages}${longerVideo} --skip-mm-profiling, --limit-mm-per-prompt '{"image":0,"video":0}' or (text only) --language-model-only leave this memory to the KV cache.`;
}

/**
 * The weights' format: spec.quantization wins; otherwise the checkpoint's own (quantization_config, a
 * derivative's name). A quantization of the checkpoint's own family (`--quantization awq` on an AWQ
 * group-64 checkpoint, mxfp4 on gpt-oss's experts-only mxfp4) takes the checkpoint's exact bits and
 * scope. An NVFP4 hybrid keeps its token mixers out of 4 bits, whether the repo name or the spec says
 * NVFP4 (hybridNamedFormat). `fromSpec`: the spec's quantization decided it.
 */
function servingWeightFormat(m: ResolvedModel, spec: InferenceServiceSpec): { format?: WeightFormat; fromSpec: boolean } {
  const spelled = formatOfQuantization(spec.quantization ?? 'none');
  const named = spelled && hybridNamedFormat(spelled, m.arch, m.id);
  return !named || (m.weightFormat && named.family === m.weightFormat.family) ? { format: m.weightFormat, fromSpec: false } : { format: named, fromSpec: true };
}

/** Bytes per parameter of one kind of block module under a weight format: the model dtype where the format leaves it out (an ignore list, an experts-only format), its higher precision where it names one, else its own bits. */
function moduleBytes(wf: WeightFormat | undefined, kind: ModuleKind, dt: number): number {
  if (!wf) return dt;
  if (wf.scope === 'experts') return kind === 'experts' ? wf.bitsPerWeight / 8 : dt;
  if (wf.kept?.includes(kind)) return dt;
  if (wf.higher?.kinds.includes(kind)) return wf.higher.bitsPerWeight / 8;
  return wf.bitsPerWeight / 8;
}

function stageFigures(
  m: ResolvedModel,
  c: ResolvedCluster,
  spec: InferenceServiceSpec,
  tp: number,
  pp: number,
  dp: number,
  stage: 'first' | 'last',
  defaults: { seqs: number; tokens: number; v0?: boolean; moeSharedCache: boolean; moeModular?: boolean; mrv2?: boolean; compilePeak?: 'apply' | 'measure'; attnTp?: number; vision?: VisionProfile; visionEmbeds?: number; towerLoaded?: boolean; audioLoaded?: boolean; dsa?: DsaKv },
): Stage {
  const a = m.arch;
  const p = m.params;
  const dt = dtypeBytes(spec);
  const vllm = (spec.engine ?? 'vllm') === 'vllm';
  const layers = Math.ceil(a.layers / pp);
  const blockParams = ((p.denseLayers * p.denseLayer + p.moeLayers * (p.moeLayerShared + p.moeLayerExperts)) / a.layers) * layers;
  const wf = servingWeightFormat(m, spec).format;
  let blockBytes: number;
  let padding: { factor: number; backend?: string } = { factor: 1 };
  // The routed experts of this stage, and the bytes they take (expert parallel shards them differently).
  const experts = ((p.moeLayers * p.moeLayerExperts) / a.layers) * layers;
  let expertBytes: number;
  if (wf?.scope === 'experts') {
    if (vllm) padding = mxfp4ExpertPadding(a, wf.family, tp, spec.expertParallel === true, c.gpu, engineVersionOf(spec).parts);
    expertBytes = experts * padding.factor * (wf.bitsPerWeight / 8);
    blockBytes = expertBytes + (blockParams - experts) * dt;
  } else if (wf?.kept?.length || wf?.higher) {
    // The ignore list keeps these kinds of module in the model dtype, and a format may hold some at another
    // precision (hybridNamedFormat); their shares of the block parameters.
    const by = blockParamsByKind(a);
    const total = Object.values(by).reduce((x, y) => x + y, 0);
    const kept = wf.kept ?? [];
    const share = (kinds: readonly ModuleKind[]) => (total > 0 ? kinds.reduce((x, k) => x + by[k], 0) / total : 0);
    const keptShare = share(kept);
    const higherShare = wf.higher ? share(wf.higher.kinds.filter((k) => !kept.includes(k))) : 0;
    blockBytes = blockParams * (keptShare * dt + higherShare * ((wf.higher?.bitsPerWeight ?? 0) / 8) + (1 - keptShare - higherShare) * (wf.bitsPerWeight / 8));
    expertBytes = experts * moduleBytes(wf, 'experts', dt);
  } else {
    blockBytes = blockParams * (wf ? wf.bitsPerWeight / 8 : dt);
    expertBytes = experts * moduleBytes(wf, 'experts', dt);
  }
  // Global layers of their own shape (Gemma 4), this stage's share. A k_eq_v layer's checkpoint has no V projection,
  // but vLLM's fused QKV projection has a V slot all the same and loads K into it (gemma4.py), in the attention's format.
  const g = globalAttentionOf(a);
  const globalHere = g ? Math.round((g.layers * layers) / a.layers) : 0;
  // Layers that reuse an earlier layer's cache (Gemma 4 E2B/E4B) cache nothing of their own (vLLM leaves them out of the KV spec).
  const sharedHere = a.kvShared ? Math.min(layers, Math.round((a.kvShared.layers * layers) / a.layers)) : 0;
  const sharedGlobalHere = a.kvShared?.global ? Math.min(sharedHere, Math.round((a.kvShared.global * layers) / a.layers)) : 0;
  if (g?.kEqV && vllm) blockBytes += globalHere * a.hidden * g.kvHeads * g.headDim * moduleBytes(wf, 'attention', dt);
  let vocabParams = 0;
  // A tower whose count is known apart (m.visionTower.params, m.audioTower.params, in p.extra) loads on every pipeline
  // stage (vLLM builds and runs it on each rank), unless it is skipped; the model's other extra parameters sit with the embedding.
  const visionParams = m.visionTower?.params ?? 0;
  const audioParams = m.audioTower?.params ?? 0;
  const extra = Math.max(0, p.extra - visionParams - audioParams);
  // Under SGLang and TGI the towers live on the first pipeline stage only (SGLang's gemma4.py builds them on the first PP rank).
  const towersHere = vllm || pp === 1 || stage === 'first';
  const towerHere = towersHere ? (defaults.towerLoaded === false ? 0 : visionParams) + (defaults.audioLoaded === false ? 0 : audioParams) : 0;
  if (pp === 1) vocabParams = p.embedding + p.output + extra + towerHere;
  else if (stage === 'first') vocabParams = p.embedding + extra + towerHere;
  else vocabParams = (p.output || p.embedding) + towerHere;
  // Speculative decoding: the drafter runs with the last stage (vLLM's and SGLang's proposer sits on the last PP rank).
  const method = spec.speculative?.method;
  const drafter = method && stage === 'last' ? drafterOf(a, method) : undefined;
  const mtpKept = wf?.kept?.includes('mtp') ?? false;
  const drafted = drafter?.layers ?? 0;
  const drafterBytes = drafter ? drafter.params * (drafter.inCheckpointFormat && !mtpKept && blockParams > 0 ? blockBytes / blockParams : dt) : 0;
  // Expert parallel spreads whole routed experts over the expert-parallel group, which in vLLM spans the
  // data-parallel ranks too (EP size = TP × DP); attention, shared experts and the vocabulary stay sharded by TP
  // alone. SGLang's --ep-size lives inside the TP group, its --dp-size replicas each hold the whole model.
  const epRanks = spec.expertParallel === true && vllm ? tp * Math.max(1, dp) : tp;
  // DSA: the top-k index buffers vLLM allocates with the model and each MTP layer, whole on every rank.
  const dsa = defaults.dsa;
  const indexBuffers = dsa ? dsa.indexBuffer * ((pp === 1 || stage === 'first' ? 1 : 0) + drafted) + dsa.retained : 0;
  // A drafter of its own (Gemma 4's assistant): the proposer's hidden-state and inputs_embeds buffers of
  // max_num_batched_tokens × the model's width, allocated with the model runner (SpecDecodeBaseProposer).
  const proposerBuffers = drafter?.assistant ? 2 * (spec.maxNumBatchedTokens && spec.maxNumBatchedTokens > 0 ? spec.maxNumBatchedTokens : defaults.tokens) * a.hidden * dt : 0;
  // MLA under vLLM with a quantized kv_b_proj: its 16-bit W_UK_T and W_UV kept beside it (mlaAbsorbedCopyBytes).
  const mlaCopies = vllm && moduleBytes(wf, 'attention', dt) < dt ? mlaAbsorbedCopyBytes(a, a.heads / tp, layers + drafted, dt) : 0;
  // Weights kept in host memory (--cpu-offload-gb, GiB per GPU): vLLM's maybe_offload_to_cpu (and SGLang's offloader)
  // moves whole decoder layers while the bytes moved are under the budget, so it stops one layer past it at most; the
  // embedding and lm_head stay on the GPU.
  const layerBytes = layers > 0 ? ((blockBytes - expertBytes) / tp + expertBytes / epRanks) / layers : 0;
  const offloadBudget = typeof spec.cpuOffloadGiB === 'number' && spec.cpuOffloadGiB > 0 ? spec.cpuOffloadGiB * GIB : 0;
  const offloadedLayers = offloadBudget > 0 && layerBytes > 0 ? Math.min(layers, Math.ceil(offloadBudget / layerBytes)) : 0;
  // vLLM's LoRA slots (--enable-lora): made with the model and counted in its load (servingLora.ts).
  const lora =
    vllm && spec.lora
      ? vllmLoraSlotBytes(a, {
          tp,
          expertRanks: epRanks,
          expertParallel: spec.expertParallel === true,
          layers,
          first: pp === 1 || stage === 'first',
          last: stage === 'last',
          maxLoras: spec.lora.maxLoras ?? VLLM_LORA_DEFAULTS.maxLoras,
          maxRank: spec.lora.maxRank ?? VLLM_LORA_DEFAULTS.maxRank,
          dt,
          experts: vllmLoraCoversExperts(engineVersionOf(spec).parts),
          embeddings: vllmLoraEmbeddings(m.id, engineVersionOf(spec).parts),
          fullySharded: spec.lora.fullyShardedLoras === true && tp > 1,
        })
      : undefined;
  const weights = (blockBytes - expertBytes + vocabParams * dt + drafterBytes) / tp + expertBytes / epRanks + indexBuffers + proposerBuffers + mlaCopies - offloadedLayers * layerBytes + (lora?.bytes ?? 0);

  // Profile forward over max_num_batched_tokens: residual, normed and attention-output hidden
  // states, QKV, the MLP's gate/up output and its activation (MoE: the fused-MoE kernel's workspaces, mlpActivationWidth).
  const tokens = spec.maxNumBatchedTokens && spec.maxNumBatchedTokens > 0 ? spec.maxNumBatchedTokens : defaults.tokens;
  const hd = headDimOf(a);
  const kv = kvHeadsOf(a);
  const rec = recurrentLayersOf(a);
  // The widest token-mixer projection: Q (doubled when it gates the output), K, V (of the wider of a model's two
  // attention shapes, Gemma 4); a recurrent layer's in_proj output.
  const qkvWidth = (headDim: number, kvHeads: number) => (a.heads * (a.attentionOutputGate ? 2 : 1) + 2 * kvHeads) * headDim;
  const fullWidth = Math.max(qkvWidth(hd, kv), g ? qkvWidth(g.headDim, g.kvHeads) : 0);
  const mixerWidth = rec ? Math.max(fullWidth, rec.projectionWidth) : fullWidth;
  const ep = spec.expertParallel === true;
  const modular = defaults.moeModular === true && !!a.moe;
  // fp8 experts with fp8 activations (vLLM's modular path, compute capability 8.9 and newer): the quantized copies.
  const fp8Quant = modular && wf?.family === 'fp8' && (cudaCapability(c.gpu) ?? 0) >= 89 ? tokens * moeFp8QuantBytes(a, tp, ep) : 0;
  const forward = tokens * dt * (3 * a.hidden + mixerWidth / tp + mlpActivationWidth(a, tp, ep, defaults.moeSharedCache, modular)) + fp8Quant + (dsa?.transient ?? 0);
  // The modular kernels' workspace outlives the forward (the workspace manager keeps it): the sampler runs beside it.
  const heldWorkspace = modular ? tokens * dt * moeWorkspaceWidth(a, tp, ep, defaults.moeSharedCache, true) : 0;
  // DSA's requests to the same workspace (sparseAttention.ts): it grows to the largest and stays for the whole profile.
  const dsaWorkspace = dsa ? Math.max(0, dsa.workspace - heldWorkspace) : 0;
  const seqs = spec.maxNumSeqs && spec.maxNumSeqs > 0 ? spec.maxNumSeqs : defaults.seqs;
  // Model Runner V2: a smaller sampler pass, and its penalty state held beside whichever peak is higher.
  const mrv2 = vllm && defaults.mrv2 === true;
  const sampler = stage !== 'last' ? 0 : defaults.v0 ? seqs * a.vocab * SAMPLER_V0_BYTES_PER_LOGIT + tokens * a.hidden * dt : mrv2 ? Math.min(seqs, tokens) * a.vocab * (dt + SAMPLER_MRV2_FP32_BYTES) : seqs * a.vocab * SAMPLER_BYTES_PER_LOGIT;
  const penalties = mrv2 && stage === 'last' ? seqs * mrv2PenaltyBytesPerSeq(a.vocab) : 0;
  // vLLM V1's first start compiles the model inside the profiling window (compileEmbeddingPeak): on the stage that holds
  // the embedding, the compile's benchmark copy of it is the window's peak where it exceeds the forward's and the sampler's.
  const own = Math.max(forward, sampler > 0 ? sampler + heldWorkspace : 0);
  // 'measure' (a restart): only what the first start would add is kept, for the first-start check.
  const compile = defaults.compilePeak && (pp === 1 || stage === 'first') ? compileEmbeddingPeak(a, tp, tokens, dt) : 0;
  const lm = Math.max(own, defaults.compilePeak === 'apply' ? compile : 0) + penalties + dsaWorkspace;
  // A vision-language model's encoder runs before the language model's dummy batch, on every stage (visionProfile).
  const vis = defaults.vision;
  const profiled = vis ? Math.max(vis.encoderPeak, lm + vis.outputs) : lm;
  const activation = profiled + (defaults.visionEmbeds ?? 0);

  const kb = kvBytes(spec, dt);
  const attnLayers = (rec ? Math.ceil((a.layers - rec.layers) / pp) : layers) + (drafter?.layers ?? 0);
  // KV heads per GPU over the attention's tensor-parallel ranks (tp, or tp / dp under SGLang's DP attention); MLA's latent is whole on every rank.
  const attnTp = defaults.attnTp ?? tp;
  const attnPerLayer = dsa ? dsa.perLayer : a.mla ? (a.mla.kvLoraRank + a.mla.qkRopeHeadDim) * kb : 2 * Math.max(1, Math.floor(kv / attnTp)) * hd * kb;
  // A global layer of its own shape caches K and V of its own heads (a k_eq_v layer too: vLLM writes K into both).
  const globalPerLayer = g ? 2 * Math.max(1, Math.floor(g.kvHeads / attnTp)) * g.headDim * kb : attnPerLayer;
  const kvPerToken = Math.max(0, attnLayers - globalHere - (sharedHere - sharedGlobalHere)) * attnPerLayer + Math.max(0, globalHere - sharedGlobalHere) * globalPerLayer;
  const stageOut: Stage = {
    weights,
    activation,
    kvBytesPerToken: kvPerToken,
    pool: 0,
    ...(offloadedLayers ? { offloaded: { layers: offloadedLayers, bytes: offloadedLayers * layerBytes } } : {}),
    ...(padding.factor > 1 ? { expertPadding: padding } : {}),
    ...(profiled > lm ? { visionExtra: profiled - lm } : {}),
    ...(compile > own ? { compileExtra: compile - own } : {}),
    ...(towerHere > 0 ? { towerWeights: (towerHere * dt) / tp } : {}),
    ...(lora ? { lora } : {}),
  };
  if (rec) {
    // One recurrent layer's state per sequence on one TP rank: the SSM/recurrent state and the conv window.
    stageOut.hybrid = { kind: rec.name, full: attnLayers, linear: Math.ceil(rec.layers / pp), stateBytesPerLayer: rec.stateBytes(tp, dt), attnBytesPerTokenPerLayer: attnPerLayer };
  } else if (drafted > 0 && globalPerLayer !== attnPerLayer) {
    stageOut.drafterBesideGlobal = true;
  } else if (a.slidingWindow && a.slidingWindow > 0 && !a.mla && !(vllm && spec.disableHybridKvCacheManager === true)) {
    // Which layers slide, where the catalog knows the pattern: Gemma 2 and gpt-oss every other layer, Gemma 3
    // five of every six (each sixth layer is global); a config's layer_types or the architecture's globalAttention count them.
    // A drafter's layers (EAGLE, MTP) attend to the whole context: one more full-attention layer each, where they
    // cache as a global layer does (not beside Gemma 4's wider global layers, which would make a third kind).
    const pattern = m.extras.slidingWindowLayers;
    const full = g ? globalHere : pattern === 'all' ? 0 : pattern === 'alternate' ? Math.floor(layers / 2) : pattern === 'five-of-six' ? Math.floor(layers / 6) : undefined;
    if (full !== undefined) {
      const caching = { full: Math.max(0, full - sharedGlobalHere) + drafted, sliding: Math.max(0, layers - full - (sharedHere - sharedGlobalHere)) };
      stageOut.sliding = { ...caching, window: a.slidingWindow, attnBytesPerTokenPerLayer: attnPerLayer, ...(globalPerLayer !== attnPerLayer ? { fullBytesPerTokenPerLayer: globalPerLayer } : {}) };
    }
  }
  return stageOut;
}

/** vLLM's engine generation for a spec: V0 before 0.8 (or with VLLM_USE_V1=0 before 0.11), V1 otherwise. */
function vllmGeneration(
  spec: InferenceServiceSpec,
  maxModelLen: number,
  c: ResolvedCluster,
  m: ResolvedModel,
): { v0: boolean; chunked: boolean; label: string; short: string; sizing: VllmSizing; batch?: VllmBatchDefaults; moeSharedCache: boolean; moeModular: boolean; asyncScheduling: boolean; runner?: VllmRunner; groupAwareTokens: boolean } {
  const ver = engineVersionOf(spec);
  const useV1 = spec.env?.VLLM_USE_V1;
  // vLLM reads it as bool(int(…)): 0, with spaces around it in a file's env too.
  const forcedV0 = useV1 === false || ((typeof useV1 === 'string' || typeof useV1 === 'number') && String(useV1).trim() === '0');
  const v0 = ver.parts ? !atLeast(ver.parts, 0, 8) || (forcedV0 && !atLeast(ver.parts, 0, 11)) : false;
  const args = Array.isArray(spec.extraArgs) ? spec.extraArgs.filter((a) => typeof a === 'string').slice(0, 200) : [];
  const on = args.some((a) => a === '--enable-chunked-prefill' || a === '--enable-chunked-prefill=True' || a === '--enable-chunked-prefill=true');
  const off = args.some((a) => a === '--no-enable-chunked-prefill' || a === '--enable-chunked-prefill=False' || a === '--enable-chunked-prefill=false');
  const chunked = on || (!off && maxModelLen > 32768);
  // Async scheduling is on by default; a sliding-window layer's reservation depends on it (vllmSlidingBatches).
  const asyncScheduling = !args.some((a) => a === '--no-async-scheduling' || a === '--async-scheduling=False' || a === '--async-scheduling=false');
  const where = ver.from === 'spec' ? 'engineVersion' : ver.from === 'image' ? 'the container image tag' : '';
  const short = v0 ? 'vLLM V0' : 'vLLM V1';
  const label = ver.parts ? `vLLM ${ver.parts.join('.')} (from ${where}): ${v0 ? 'V0 engine' : 'V1 engine'}${forcedV0 && v0 && atLeast(ver.parts, 0, 8) ? ' (VLLM_USE_V1=0)' : ''}` : 'vLLM version not given (engineVersion or an image tag): the current V1 engine assumed';
  // V0 (≤ 0.10) predates the graph estimate: 0.9 and graphs after sizing, as 0.19 sizes.
  const a = m.arch;
  const runner = v0 ? undefined : vllmModelRunner(ver.parts, { id: m.id, moe: !!a.moe, hybrid: !!(a.linearAttention || a.mamba), quantized: !!(m.weightFormat || (spec.quantization && spec.quantization !== 'none')) }, { env: spec.env, speculative: spec.speculative?.method });
  const sizing = vllmSizing(v0 ? [0, 6, 0] : ver.parts, { env: spec.env, enforceEager: spec.enforceEager === true, vendor: c.gpu.vendor, runner });
  const batch = v0 ? undefined : vllmBatchDefaults(ver.parts, { capacityBytes: c.capacityBytes, id: c.gpu.id, name: c.gpu.name, unifiedMemory: c.gpu.unifiedMemory }, maxModelLen);
  // The printed token figure (printedTokens): int(concurrency × max_model_len) from 0.20.1, and in current releases.
  const groupAwareTokens = !v0 && (!ver.parts || atLeast(ver.parts, 0, 20, 1));
  return { v0, chunked, label, short, sizing, batch, moeSharedCache: fusedMoeSharesCache13(ver.parts), moeModular: !v0 && vllmModularMoe(ver.parts), asyncScheduling, runner, groupAwareTokens };
}

/**
 * SGLang's DP attention (server_args --enable-dp-attention with --dp-size N, as the foreign reader keeps them in
 * extraArgs): the TP group's attention runs as N data-parallel ranks of tp / N GPUs (dp_attention.py
 * compute_dp_attention_world_info: attn_tp_size = tp_size // dp_size), each with its own scheduler and KV pool sized
 * per GPU (the pool's KV heads are get_num_kv_heads(get_attention_tp_size()); an MLA cell is kv_lora_rank +
 * qk_rope_head_dim whatever the TP). N, or undefined when not on, N < 2 or not SGLang.
 */
export function sglangAttentionDp(spec: InferenceServiceSpec): number | undefined {
  if (spec.engine !== 'sglang' || !Array.isArray(spec.extraArgs)) return undefined;
  const args = spec.extraArgs.filter((a): a is string => typeof a === 'string').slice(0, 200);
  let on = false;
  let dp: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.length > 40) continue;
    const eq = a.indexOf('=');
    const name = (eq > 0 ? a.slice(0, eq) : a).split('_').join('-');
    if (name === '--enable-dp-attention') on = eq < 0 || a.slice(eq + 1).toLowerCase() === 'true';
    else if (name === '--dp-size' || name === '--dp') {
      const v = eq > 0 ? a.slice(eq + 1) : args[i + 1];
      const n = typeof v === 'string' && v.length <= 6 && /^[0-9]+$/.test(v) ? Number(v) : undefined;
      if (n !== undefined) dp = n;
    }
  }
  return on && dp !== undefined && dp > 1 && dp <= 1024 ? dp : undefined;
}

function fail(findings: Finding[], assumptions: string[]): ServingEstimate {
  const e: ServingEstimate = { kind: 'InferenceService', ok: false, assumptions, findings, summary: '' };
  e.summary = summarizeServing(e);
  return e;
}

export function estimateInferenceService(doc: InferenceServiceDoc, cluster: ClusterDoc | undefined, opts: EstimateOptions = {}): ServingEstimate {
  return guarded(
    () => withFirstStart(doc, cluster, opts),
    (message) => fail([badInput(message, ['spec'])], []),
  );
}

/** A config reader that reads each path once (its other members, such as `why`, pass through). */
function readOnce(read: NonNullable<EstimateOptions['resolveConfig']>): NonNullable<EstimateOptions['resolveConfig']> {
  const seen = new Map<string, string | undefined>();
  const once = (p: string) => {
    if (!seen.has(p)) seen.set(p, read(p));
    return seen.get(p);
  };
  return Object.assign(once, read);
}

const FIRST_START = "On its first start, before vLLM's compile cache holds this configuration (compileCache: cold):";

/**
 * A vLLM V1 spec that leaves compileCache out is estimated as a restart that loads the compile cache (warm), and its
 * first start (cold: the compile inside the profiling window, compileEmbeddingPeak) is checked beside it: where only
 * the first start refuses, its refusal is the error (a server that never starts has no restart); where both refuse,
 * the fixes are the first start's; else the estimate says how much less KV cache the first start has. The second
 * estimate runs only where the first start's peak differs (firstStartExtraBytes).
 */
function withFirstStart(doc: InferenceServiceDoc, cluster: ClusterDoc | undefined, given: EstimateOptions): ServingEstimate {
  const spec = doc?.spec;
  const both = !!spec && spec.engine === 'vllm' && spec.compileCache === undefined && spec.enforceEager !== true;
  if (!both) return estimateUnsafe(doc, cluster, given, undefined);
  // The two estimates read a model's config.json once (the reader's `why` goes with it), and the quick fixes are
  // attached once, to what is returned: a refusal's sized for the first start.
  const opts = given.resolveConfig ? { ...given, resolveConfig: readOnce(given.resolveConfig) } : given;
  const bare = { ...opts, noFixes: true };
  const fixed = (d: InferenceServiceDoc, e: ServingEstimate): ServingEstimate => {
    if (!given.noFixes) attachServingFixes(d, cluster, opts, e);
    return e;
  };
  const warm = estimateUnsafe(doc, cluster, bare, undefined);
  if (!warm.serving?.firstStartExtraBytes) return fixed(doc, warm);
  const coldDoc = { ...doc, spec: { ...spec, compileCache: 'cold' as const } };
  const cold = estimateUnsafe(coldDoc, cluster, bare, undefined);
  const less = warm.serving.availableKvBytes - (cold.serving?.availableKvBytes ?? 0);
  if (!cold.serving || less <= 0) return fixed(doc, warm);
  const refusal = (e: ServingEstimate) => e.findings.find((x) => x.code === 'memory-exceeds-capacity' || x.code === 'kv-cache-too-small');
  const coldRefusal = refusal(cold);
  if (coldRefusal) fixed(coldDoc, cold);
  const warmRefusal = refusal(warm);
  if (coldRefusal && !warmRefusal) {
    fixed(doc, warm).findings.unshift({ ...coldRefusal, message: `${FIRST_START} ${coldRefusal.message} A restart that loads the cache would start, but a server that does not start once has none.` });
    warm.ok = false;
  } else if (coldRefusal && warmRefusal) {
    // Both refuse: the fixes are the first start's, so that a fixed spec starts the first time too.
    warmRefusal.message += ` Its first start, before vLLM's compile cache holds this configuration, has ${gib(less, 2)} less: the fixes are sized for it.`;
    if (coldRefusal.fixes) warmRefusal.fixes = coldRefusal.fixes;
  } else {
    fixed(doc, warm).assumptions.push(
      `${FIRST_START} ${gib(less, 2)} less KV cache, ${grouped(cold.serving.kvCacheTokens)} tokens: vLLM compiles the model inside its profiling window, and the compile's benchmark copy of the embedding sets the window's peak (vLLM issue #54122). This estimate is a restart that loads the cache (~/.cache/vllm/torch_compile_cache), as compileCache: warm says; a container that keeps no cache starts cold every time.`,
    );
  }
  return warm;
}

function int(v: unknown, def: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.floor(v) : def;
}

/**
 * `autoFrom`: set when this is the second pass of maxModelLen auto (vLLM's --max-model-len auto / -1): the model's
 * context the first pass sized the pool at, which the fitted length is quoted against.
 */
function estimateUnsafe(doc: InferenceServiceDoc, cluster: ClusterDoc | undefined, opts: EstimateOptions, autoFrom: number | undefined): ServingEstimate {
  const assumptions: string[] = [];
  const spec = doc?.spec;
  if (!spec || typeof spec !== 'object') return fail([badInput('the document has no spec', [])], assumptions);
  const findings: Finding[] = [];
  const tp = int(spec.tensorParallel, 1);
  const pp = int(spec.pipelineParallel, 1);
  const dp = int(spec.dataParallel, 1);
  if (tp < 1 || tp > 1024) findings.push(badInput(`tensorParallel must be between 1 and 1024 (got ${spec.tensorParallel})`, ['spec', 'tensorParallel']));
  if (pp < 1 || pp > 1024) findings.push(badInput(`pipelineParallel must be between 1 and 1024 (got ${spec.pipelineParallel})`, ['spec', 'pipelineParallel']));
  if (dp < 1 || dp > 1024) findings.push(badInput(`dataParallel must be between 1 and 1024 (got ${spec.dataParallel})`, ['spec', 'dataParallel']));
  const util = spec.gpuMemoryUtilization;
  if (util !== undefined && !(typeof util === 'number' && util > 0 && util <= 1)) {
    findings.push(badInput(`gpuMemoryUtilization must be in (0, 1] (got ${util})`, ['spec', 'gpuMemoryUtilization']));
  }
  if (spec.maxNumSeqs !== undefined && !(typeof spec.maxNumSeqs === 'number' && spec.maxNumSeqs >= 1 && spec.maxNumSeqs <= 1e6)) {
    findings.push(badInput(`maxNumSeqs must be between 1 and 10^6 (got ${spec.maxNumSeqs})`, ['spec', 'maxNumSeqs']));
  }
  if (spec.maxNumBatchedTokens !== undefined && !(typeof spec.maxNumBatchedTokens === 'number' && spec.maxNumBatchedTokens >= 1 && spec.maxNumBatchedTokens <= 1e8)) {
    findings.push(badInput(`maxNumBatchedTokens must be between 1 and 10^8 (got ${spec.maxNumBatchedTokens})`, ['spec', 'maxNumBatchedTokens']));
  }
  if (spec.cpuOffloadGiB !== undefined && !(typeof spec.cpuOffloadGiB === 'number' && spec.cpuOffloadGiB >= 0 && spec.cpuOffloadGiB <= 4096)) {
    findings.push(badInput(`cpuOffloadGiB must be between 0 and 4096 (got ${String(spec.cpuOffloadGiB).slice(0, 20)})`, ['spec', 'cpuOffloadGiB']));
  }
  if (spec.kvCacheMemoryBytes !== undefined && !(typeof spec.kvCacheMemoryBytes === 'number' && Number.isInteger(spec.kvCacheMemoryBytes) && spec.kvCacheMemoryBytes >= 1 && spec.kvCacheMemoryBytes <= 2 ** 44)) {
    findings.push(badInput(`kvCacheMemoryBytes must be a whole number of bytes between 1 and 2^44 (got ${String(spec.kvCacheMemoryBytes).slice(0, 20)})`, ['spec', 'kvCacheMemoryBytes']));
  }
  if (spec.mambaSsmCacheDtype !== undefined && !['auto', 'float32', 'bfloat16', 'float16'].includes(spec.mambaSsmCacheDtype)) {
    findings.push(badInput(`mambaSsmCacheDtype must be auto, float32, bfloat16 or float16 (got ${String(spec.mambaSsmCacheDtype).slice(0, 20)})`, ['spec', 'mambaSsmCacheDtype']));
  }
  if (spec.compileCache !== undefined && spec.compileCache !== 'cold' && spec.compileCache !== 'warm') {
    findings.push(badInput(`compileCache must be cold or warm (got ${String(spec.compileCache).slice(0, 20)})`, ['spec', 'compileCache']));
  }
  const requestedBlockSize = int(spec.blockSize, 16);
  if (requestedBlockSize < 1 || requestedBlockSize > 4096) findings.push(badInput(`blockSize must be between 1 and 4096 (got ${spec.blockSize})`, ['spec', 'blockSize']));
  const mod = resolveModel(spec.model, opts, ['spec', 'model']);
  findings.push(...mod.findings);
  if (findings.some((f) => f.severity === 'error') || !mod.model) return fail(findings, assumptions);
  // An MTP assistant drafter named by speculative.draftModel (Gemma 4's) whose shape the model's entry does not carry:
  // read from its config.json in the local Hugging Face cache, if there.
  const sp0 = spec.speculative;
  const drafterRepo = sp0 && typeof sp0 === 'object' && sp0.method === 'mtp' && typeof sp0.draftModel === 'string' && !mod.model.arch.mtpAssistant ? sp0.draftModel : undefined;
  const fromCache = drafterRepo ? assistantFromHfCache(drafterRepo, opts) : undefined;
  if (fromCache?.pending) return fail(findings, assumptions);
  const resolved = fromCache?.assistant ? { ...mod.model, arch: { ...mod.model.arch, mtpAssistant: fromCache.assistant } } : mod.model;
  // --mamba-ssm-cache-dtype (SGLang --mamba-ssm-dtype): the recurrent layers' temporal state in the type given, instead of
  // the config's mamba_ssm_dtype or the model dtype (vLLM mamba_utils _mamba_state_dtype).
  const m = withStateDtype(resolved, spec.mambaSsmCacheDtype, assumptions);
  if (fromCache?.assistant) assumptions.push(`Speculative decoding: the assistant drafter's shape read from its config.json in the local Hugging Face cache (${fromCache.where}).`);
  const a = m.arch;
  assumptions.push(...m.notes);
  // The spec's quantization names the checkpoint's format where the model's name did not: an NVFP4 hybrid's reading is said.
  const weights = servingWeightFormat(m, spec);
  if (weights.fromSpec && weights.format?.higher) assumptions.push(`Weights (quantization ${spec.quantization}): ${weights.format.label}.`);
  else if (weights.format?.fromName && !weights.format.higher && weights.format.scope === 'linear' && weights.format.bitsPerWeight < 8)
    assumptions.push("Weights: every linear layer of the blocks taken in the repo name's format. Some exports keep attention (or more) in bf16 or FP8, which the name does not say; the checkpoint's config.json (its quantization_config), in the Hugging Face cache or as model.config, does.");
  const gpusPerReplica = tp * pp * dp;
  // Without a Cluster: 8-GPU servers (SERVER_GPUS), as many as the replica needs.
  const cl = resolveCluster(cluster, Math.min(gpusPerReplica, SERVER_GPUS), Math.ceil(gpusPerReplica / SERVER_GPUS), assumptions);
  if (!cl.cluster) return fail([...findings, ...cl.findings], assumptions);
  const c = cl.cluster;
  // A replica larger than one NVLink domain (a node, or a multi-node NVLink rack) puts its pipeline stages on
  // several nodes: the stage-to-stage activations cross the network between them (vLLM and SGLang run such a
  // replica across nodes: vLLM on a Ray cluster or its multi-node backend, SGLang with --nnodes).
  if (tp * pp > c.nvlinkDomain) {
    const nodesUsed = Math.ceil((tp * pp) / c.gpusPerNode);
    const link = c.inter ? `${c.inter.name} (≈ ${Math.round(c.interBusGBps)} GB/s bus bandwidth per GPU)` : 'the network between nodes';
    assumptions.push(
      tp <= c.nvlinkDomain
        ? `Pipeline parallel ${pp} across ${nodesUsed} nodes of ${c.gpusPerNode} GPU${c.gpusPerNode === 1 ? '' : 's'}: ${tp > 1 ? `each stage's tensor parallel ${tp} stays on ${c.intra.name}, and ` : ''}each step the stages pass their activations (tokens × hidden) to the next node over ${link}; the KV cache and weights per GPU are those of one stage.`
        : `Tensor parallel ${tp} is more than the ${c.nvlinkDomain} GPUs one ${c.nvlinkDomain === c.gpusPerNode ? 'node' : 'NVLink domain'} links: every layer's all-reduce crosses ${link} (the weights and KV cache per GPU are as estimated; decoding is slower).`,
    );
  }
  if (tp > 1 && a.heads % tp !== 0) return fail([...findings, badInput(`tensorParallel ${tp} does not divide the ${a.heads} attention heads`, ['spec', 'tensorParallel'])], assumptions);
  if (pp > a.layers) return fail([...findings, badInput(`pipelineParallel ${pp} exceeds the model's ${a.layers} layers`, ['spec', 'pipelineParallel'])], assumptions);
  const maxModelLen = int(spec.maxModelLen, a.maxContext ?? 8192);
  if (maxModelLen < 1 || maxModelLen > 1 << 27) return fail([...findings, badInput(`maxModelLen must be between 1 and ${1 << 27} (got ${spec.maxModelLen})`, ['spec', 'maxModelLen'])], assumptions);
  if (spec.maxModelLen === undefined) assumptions.push(`maxModelLen: the model's context, ${maxModelLen} tokens.`);
  // maxModelLen auto (vLLM 0.13+, PR #29431): vLLM sizes the pool with the model's context as the bound, then takes the
  // longest length one request's KV cache fits in (_auto_fit_max_model_len): L = min(context, the longest request).
  // Other engines and earlier vLLM releases refuse the word (the max-model-len rule); their estimate takes the context.
  const autoLen = spec.maxModelLen === 'auto' && (spec.engine ?? 'vllm') === 'vllm' && vllmAcceptsAutoMaxModelLen(engineVersionOf(spec).parts);
  if (autoFrom !== undefined)
    assumptions.push(`max-model-len auto: ${grouped(maxModelLen)} tokens fit (the model's context is ${grouped(autoFrom)}); vLLM fits the length to the KV cache (one request's blocks in the pool of the smallest worker) and logs "Auto-fit max_model_len: reduced from ${autoFrom} to ${maxModelLen}".`);

  const engine = spec.engine ?? 'vllm';
  const cap = c.capacityBytes;
  // SGLang's DP attention: the attention of the TP group runs as attnDp data-parallel ranks of tp / attnDp GPUs.
  const attnDp = sglangAttentionDp(spec);
  if (attnDp && tp % attnDp !== 0) return fail([...findings, badInput(`--dp-size ${attnDp} with --enable-dp-attention must divide tensorParallel ${tp} (SGLang's attention-TP size is tp / dp)`, ['spec', 'extraArgs'])], assumptions);
  const gen = engine === 'vllm' ? vllmGeneration(spec, maxModelLen, c, m) : undefined;
  // The CUDA graph pool (the published median of vLLM's own estimate; see engineVersion.ts); vLLM 0.20+ sizes the KV cache around it.
  const graphs = spec.enforceEager ? 0 : CUDA_GRAPHS;
  const graphsInBudget = !!gen && !gen.v0 && gen.sizing.graphsInBudget;
  // vLLM V1: `vllm serve`'s batch defaults by release and GPU (engineVersion.ts vllmBatchDefaults); SGLang: 1024 / 256 sequences by GPU size.
  // vLLM V0 (≤ 0.7): max_num_seqs 256; without chunked prefill the profile run takes max(max_model_len, 2048)
  // tokens, with it 512 (SchedulerConfig defaults of 0.5–0.6); chunked prefill was on by default only past 32K context.
  const big = cap >= 70 * GIB;
  // TGI: the token budget. maxNumBatchedTokens is --max-batch-prefill-tokens and maxModelLen is
  // --max-total-tokens; the warm-up batch holds prefill / max_input_tokens requests (at least one).
  const tgiPrefill = spec.maxNumBatchedTokens && spec.maxNumBatchedTokens > 0 ? spec.maxNumBatchedTokens : TGI_PREFILL_TOKENS;
  const tgiSeqs = Math.max(1, Math.floor(tgiPrefill / Math.max(1, maxModelLen - 1)));
  const v1Batch = gen?.batch;
  // The fused-MoE buffer layout follows the vLLM release; other engines are taken at the current layout.
  const moeSharedCache = gen?.moeSharedCache ?? true;
  const moeModular = gen?.moeModular === true;
  const batchDefaults = engine === 'tgi' ? { seqs: tgiSeqs, tokens: tgiPrefill } : gen?.v0 ? { seqs: 256, tokens: gen.chunked ? 512 : Math.max(maxModelLen, 2048), v0: true } : v1Batch ? { seqs: v1Batch.seqs, tokens: v1Batch.tokens } : { seqs: big ? 1024 : 256, tokens: big ? 8192 : 2048 };
  // A vision-language model under vLLM V1: its encoder's profile run and, under --language-model-only, no tower.
  // The profile's batch is the one the language model's dummy run takes: the spec's, else the release's defaults.
  const profileTokens = spec.maxNumBatchedTokens && spec.maxNumBatchedTokens > 0 ? spec.maxNumBatchedTokens : batchDefaults.tokens;
  const profileSeqs = spec.maxNumSeqs && spec.maxNumSeqs > 0 ? spec.maxNumSeqs : batchDefaults.seqs;
  const vllmV1 = engine === 'vllm' && !gen?.v0;
  const vision = a.vision && vllmV1 ? visionProfile(a, spec, profileTokens, profileSeqs, maxModelLen, dtypeBytes(spec), tp) : undefined;
  // Not loaded under --language-model-only, nor (vLLM 0.10.1 and later, PR #22299: SupportsMultiModal._mark_tower_model)
  // when --limit-mm-per-prompt sets every modality the tower serves to 0.
  const ver = engineVersionOf(spec).parts;
  const lmo = spec.multimodal?.languageModelOnly === true;
  const visionOff = lmo || (towerModalitiesOff(a, spec, m.visionTower) && (!ver || atLeast(ver, 0, 10, 1)));
  const towerSkipped = !!m.visionTower && engine === 'vllm' && visionOff;
  const audioSkipped = !!m.audioTower && engine === 'vllm' && (lmo || (spec.multimodal?.limitPerPrompt?.audio === 0 && (!ver || atLeast(ver, 0, 10, 1))));
  // vLLM V1 keeps an inputs_embeds buffer of max_num_batched_tokens for a multimodal model while any of its towers loads
  // (profiled or not): only with every modality at 0 does it run text only.
  const towersLoaded = [...(m.visionTower && !towerSkipped ? (['vision'] as const) : []), ...(m.audioTower && !audioSkipped ? (['audio'] as const) : [])];
  const anyTowerLoaded = towersLoaded.length > 0;
  // vLLM V1 feeds a multimodal model inputs_embeds (its runner embeds the tokens outside the compiled graph) unless
  // --language-model-only or --limit-mm-per-prompt turns every modality off; the catalog may know the tower only from
  // the architecture (a.vision) without counting it apart.
  const multimodalInputs = anyTowerLoaded || (!!a.vision && !visionOff);
  // A first start compiles the model inside vLLM's profile (compileEmbeddingPeak); the compiled model takes token ids,
  // where a multimodal model with any modality on takes inputs_embeds, embedded outside it. Whether this start is one.
  const firstStartCompiles = vllmV1 && !multimodalInputs && vllmCompilesInProfile(ver, { enforceEager: spec.enforceEager, compileCache: 'cold' });
  const thisStartCompiles = firstStartCompiles && vllmCompilesInProfile(ver, { enforceEager: spec.enforceEager, compileCache: spec.compileCache, env: spec.env });
  const visionEmbeds = anyTowerLoaded && vllmV1 ? profileTokens * a.hidden * dtypeBytes(spec) : 0;
  // DeepSeek Sparse Attention (DeepSeek-V3.2, GLM-5) under vLLM V1 or SGLang: its two caches, block and profile buffers.
  const dsa = vllmV1 || engine === 'sglang' ? dsaKv(a, { engine, version: ver, kvCacheDtype: spec.kvCacheDtype, cc: cudaCapability(c.gpu), kvBytes: kvBytes(spec, dtypeBytes(spec)), maxModelLen, tokens: profileTokens, tp, checkpointFp8Kv: weights.format?.kvFp8 === true }) : undefined;
  const blockSize = dsa?.blockSize ?? requestedBlockSize;
  const defaults = {
    ...batchDefaults,
    moeSharedCache,
    moeModular,
    mrv2: gen?.runner?.v2 === true,
    ...(firstStartCompiles ? { compilePeak: thisStartCompiles ? ('apply' as const) : ('measure' as const) } : {}),
    ...(attnDp ? { attnTp: tp / attnDp } : {}),
    ...(typeof vision === 'object' ? { vision } : {}),
    ...(visionEmbeds ? { visionEmbeds } : {}),
    ...(towerSkipped ? { towerLoaded: false } : {}),
    ...(audioSkipped ? { audioLoaded: false } : {}),
    ...(dsa ? { dsa } : {}),
  };
  if (a.vision || towerSkipped) assumptions.push(visionNote(a, spec, vision, engine, !!gen?.v0, { skipped: towerSkipped, params: m.visionTower?.params, byLimits: towerSkipped && !lmo, embeds: visionEmbeds, pp }));
  if (m.audioTower) assumptions.push(audioNote(m.audioTower.params, audioSkipped, lmo, engine, spec.multimodal?.limitPerPrompt?.audio === 0));
  const stageSpec = engine === 'tgi' ? { ...spec, maxNumSeqs: undefined } : spec;
  const tpKind = nonTorchTpKind(c.gpu, c.intra.type);
  const nonTorch = tp > 1 ? (tpKind === 'measured' ? NON_TORCH_TP : NON_TORCH_TP_PCIE) : pp > 1 ? NON_TORCH_PP : NON_TORCH_TP1;
  if (tp > 1 && engine !== 'sglang') {
    const whose = engine === 'tgi' ? "vLLM's figure, taken for TGI: " : '';
    assumptions.push(
      tpKind === 'pcie'
        ? `Tensor parallel over ${c.intra.name} (PCIe only): non-torch memory ${gib(nonTorch, 2)} per GPU (${whose}CUDA/cuBLAS workspaces + NCCL ring buffers; no custom all-reduce, symmetric-memory or NVLink SHARP buffers without NVLink).`
        : tpKind === 'nvlink-pre-hopper'
          ? `Tensor parallel over ${c.intra.name} on ${c.gpu.name}${cudaCapability(c.gpu) === undefined ? ', taken as a board before Hopper from its link' : ' (before Hopper)'}: non-torch memory ${gib(nonTorch, 2)} per GPU (${whose}the PCIe allowance, taken from published A100 starts on vLLM 0.10; the NVLink H100 figure of vLLM 0.19 is 2.1 GiB, and which of the GPU and the release makes the difference is not known; untested on 0.19 and later).`
          : `Tensor parallel over ${c.intra.name}: non-torch memory ${gib(nonTorch, 2)} per GPU (${whose}NCCL, custom all-reduce and NVLink buffers as measured on NVLink H100s with vLLM 0.19${c.intra.type.startsWith('nvlink') ? '' : `; untested on ${c.gpu.name}`}).`,
    );
  }
  const stages = pp > 1 ? [stageFigures(m, c, stageSpec, tp, pp, dp, 'first', defaults), stageFigures(m, c, stageSpec, tp, pp, dp, 'last', defaults)] : [stageFigures(m, c, stageSpec, tp, pp, dp, 'last', defaults)];
  let budget: number;
  let frac: number;
  // vLLM --kv-cache-memory-bytes (0.11.0 and later, PR #21489): each GPU's cache is the bytes given; vLLM skips its
  // memory profiling (the profile run still compiles), ignores gpu_memory_utilization and checks nothing else fits.
  const fixedKv = vllmV1 && typeof spec.kvCacheMemoryBytes === 'number' && (!ver || atLeast(ver, 0, 11)) ? spec.kvCacheMemoryBytes : undefined;
  if (spec.kvCacheMemoryBytes !== undefined && fixedKv === undefined && engine === 'vllm') assumptions.push(`kvCacheMemoryBytes not applied: ${gen?.v0 ? 'vLLM V0' : `vLLM ${engineVersionOf(spec).text?.slice(0, 20)}`} has no --kv-cache-memory-bytes (from 0.11.0), so gpuMemoryUtilization sizes the cache.`);
  for (const s of stages) {
    if (engine === 'sglang') {
      frac = typeof util === 'number' ? util : sglangMemFraction(tp * pp);
      s.pool = frac * cap - s.weights - CUDA_CONTEXT;
    } else if (engine === 'tgi') {
      frac = typeof util === 'number' ? util : 1;
      const warmupKv = tgiPrefill * s.kvBytesPerToken;
      const free = frac * cap - CUDA_CONTEXT - s.weights - s.activation - nonTorch - warmupKv;
      s.pool = free > 0 ? TGI_WIGGLE_ROOM * free + warmupKv : free;
    } else {
      frac = typeof util === 'number' ? util : gen!.sizing.utilization;
      s.pool = fixedKv ?? frac * cap - s.weights - s.activation - nonTorch - (graphsInBudget ? graphs : 0);
    }
  }
  frac = engine === 'sglang' ? (typeof util === 'number' ? util : sglangMemFraction(tp * pp)) : typeof util === 'number' ? util : engine === 'tgi' ? 1 : gen!.sizing.utilization;
  budget = frac * cap;
  const padded = stages[0].expertPadding;
  if (padded) assumptions.push(`mxfp4 experts stored padded for vLLM's ${padded.backend} MoE kernel on ${c.gpu.name} (tile-size round-up of the expert FFN and hidden sizes): ×${padded.factor.toFixed(3)} on the expert weights.`);
  if (a.moe && engine !== 'sglang') {
    assumptions.push(
      `MoE profile activation: the fused-MoE kernel's workspaces${engine === 'vllm' ? '' : " (taken as vLLM's)"}, ${a.moe.activeExperts} expert copies per token of ${moeModular ? `max(activation output, hidden) + max(gate/up output, hidden) (vLLM 0.14's modular kernels, whose workspace stays held while the sampler runs)${weights.format?.family === 'fp8' && (cudaCapability(c.gpu) ?? 0) >= 89 ? ", and fp8 copies of the experts' input and activation output (w8a8 on this GPU)" : ''}` : moeSharedCache ? 'max(gate/up output, hidden) + the activation output (one buffer for both GEMM outputs since vLLM 0.8, PR #13625)' : 'gate/up output + activation output + hidden (separate buffers before vLLM 0.8)'}${spec.expertParallel ? `, whole experts per GPU under expert parallel${engine === 'vllm' ? ` (the routed experts spread over the ${tp * dp} GPUs of TP × DP; attention and shared experts by TP alone)` : ''}` : ''}.`,
    );
  }
  if (engine === 'sglang') assumptions.push(`SGLang: mem_fraction_static ${frac}${typeof util === 'number' ? '' : ` (its default at ${tp * pp} GPU${tp * pp > 1 ? 's' : ''})`} of capacity holds weights + KV; activations live in the rest.`);
  else if (engine === 'tgi')
    assumptions.push(
      `TGI: warm-up prefill of max_batch_prefill_tokens ${tgiPrefill}${spec.maxNumBatchedTokens ? '' : ' (launcher default)'} (${tgiSeqs} request${tgiSeqs > 1 ? 's' : ''}); ${TGI_WIGGLE_ROOM} × the free memory left at cuda_memory_fraction ${frac} becomes KV cache, plus the warm-up batch's blocks; max_total_tokens = maxModelLen ${maxModelLen}.`,
    );
  else
    assumptions.push(
      `${gen!.label}${gen!.runner ? `, ${gen!.runner.note}` : ''}; ${fixedKv !== undefined ? `KV pool fixed at ${gib(fixedKv, 2)} per GPU by kvCacheMemoryBytes (--kv-cache-memory-bytes ${fixedKv}): vLLM skips its memory check and gpuMemoryUtilization, so Gantry checks that weights + activation peak + non-torch + CUDA graphs + CUDA context fit beside it in ${gib(cap, 2)}; the terms as vLLM would size them otherwise: ` : ''}sizing ${frac} × ${gib(cap, 2)} − weights − activation peak (profile run over max_num_batched_tokens ${spec.maxNumBatchedTokens ?? defaults.tokens}${gen!.v0 ? (gen!.chunked ? ', chunked prefill on' : ', chunked prefill off: max(max_model_len, 2048)') : ''}, max_num_seqs ${spec.maxNumSeqs ?? defaults.seqs}${v1Batch && (spec.maxNumBatchedTokens === undefined || spec.maxNumSeqs === undefined) ? `; defaults of ${v1Batch.rule}` : ''}) − non-torch${graphsInBudget ? ` − CUDA graphs (${gib(graphs)})` : ''} → KV pool${typeof util === 'number' ? '' : ` (utilization ${frac}: the default of ${gen!.sizing.utilizationOf})`}; ${gen!.sizing.note}${graphs ? `; the graph pool taken as ${gib(graphs, 2)}, the median of vLLM's published estimates (0.17–4.99 GiB seen; vLLM prints its own as "Estimated CUDA graph memory")` : ''}${gen!.runner?.v2 ? `; Model Runner V2 profiles the sampler without top-k/top-p (logits in the model dtype + an fp32 copy, one row per dummy request) and holds its penalty state, int32 per vocabulary entry for each of max_num_seqs sequences (${gib((spec.maxNumSeqs ?? defaults.seqs) * mrv2PenaltyBytesPerSeq(a.vocab), 2)}), beside the activation peak` : ''}.`,
    );
  const compiled = stages.find((x) => x.compileExtra);
  if (compiled?.compileExtra && defaults.compilePeak === 'apply')
    assumptions.push(
      `First start: vLLM compiles the model inside its profiling window, and the compile's benchmark copy of the embedding (vocab${tp > 1 ? ` / TP ${tp}` : ''} × hidden, ${gib(compileEmbeddingPeak(a, tp, spec.maxNumBatchedTokens ?? defaults.tokens, dtypeBytes(spec)), 2)}) is its activation peak, ${gib(compiled.compileExtra, 2)} above the profile run's own; a restart that loads the compile cache (~/.cache/vllm/torch_compile_cache; compileCache: warm) skips the compile and has that much more KV cache (vLLM issue #54122).`,
    );
  const sp = spec.speculative;
  if (sp && typeof sp === 'object' && (sp.method === 'mtp' || sp.method === 'eagle' || sp.method === 'eagle3' || sp.method === 'ngram')) {
    const d = drafterOf(a, sp.method);
    const n = typeof sp.tokens === 'number' ? `, ${sp.tokens} token${sp.tokens === 1 ? '' : 's'} per step` : '';
    if (sp.method === 'ngram') assumptions.push(`Speculative decoding (ngram${n}): prompt lookup, no drafter in memory.`);
    else if (d.assistant)
      assumptions.push(
        `Speculative decoding (mtp${n}): the model's assistant drafter${sp.draftModel ? ` (${String(sp.draftModel).slice(0, 80)})` : ''}, ${(d.params / 1e9).toFixed(2)} B parameters in the model dtype (${a.mtpAssistant!.layers} query-only layers that read the model's KV cache and cache nothing, and an lm_head of its own; the embedding is the model's), loads on the last stage with its proposer's buffers of max_num_batched_tokens × ${a.hidden} (hidden states and input embeddings); vLLM runs it from 0.21 (PR #41745).`,
      );
    else
      assumptions.push(
        `Speculative decoding (${sp.method}${n}): the drafter's ${d.layers} layer${d.layers === 1 ? '' : 's'} (${(d.params / 1e9).toFixed(2)} B parameters ${d.inCheckpointFormat ? "in the checkpoint's format" : 'in half precision'}, sharing the model's embedding${sp.method === 'eagle3' ? '' : ' and lm_head'}) load${d.layers === 1 ? 's' : ''} on the last stage and cache${d.layers === 1 ? 's' : ''} K and V like ${d.layers === 1 ? 'a full-attention layer' : 'full-attention layers'} in the same pool${sp.method === 'mtp' && a.mtpLayers === undefined ? "; the model's MTP layer count is not known: 1 assumed" : ''}.`,
      );
  }
  const off = stages.find((s) => s.offloaded)?.offloaded;
  if (off)
    assumptions.push(
      `Weights offloaded to host memory (--cpu-offload-gb ${spec.cpuOffloadGiB}): ${off.layers} whole decoder layer${off.layers === 1 ? '' : 's'} per GPU (${gib(off.bytes)}), moved until the budget is met, the last one past it; the GPU reads them over ${c.gpu.unifiedMemory || ['gh200', 'gb200', 'gb300', 'gb10'].some((k) => c.gpu.id.toLowerCase().includes(k)) ? 'the CPU-GPU link (NVLink-C2C on a Grace superchip)' : 'PCIe'} every step, so decoding is bound by that link.`,
    );
  const loraSlots = stages[0].lora;
  if (loraSlots) {
    const experts =
      loraSlots.expertBytes > 0 ? ` ${gib(loraSlots.expertBytes, 2)} of it is on the routed experts (every local expert's gate/up and down pairs, vLLM 0.11.1 and later).` : a.moe ? ` None is on the routed experts: vLLM ${engineVersionOf(spec).text?.slice(0, 20) ?? ''} gives them no LoRA (from 0.11.1, PR #21229).` : '';
    assumptions.push(
      `LoRA (--enable-lora): ${loraSlots.maxLoras} slot${loraSlots.maxLoras === 1 ? '' : 's'} of rank ${loraSlots.maxRank}${spec.lora?.maxLoras === undefined || spec.lora?.maxRank === undefined ? " (vLLM's defaults where the spec sets none: 1 slot, rank 16)" : ''} on every layer vLLM can adapt${loraSlots.embeddings ? '' : " (not the embedding or lm_head: this model's vLLM class gives them none)"}, allocated with the model in the model dtype whether or not an adapter is loaded: ${gib(loraSlots.bytes, 2)} per GPU${stages.length > 1 ? ' on the first stage' : ''}, counted in the weights as vLLM counts them in "Model loading took".${experts} ${spec.lora?.fullyShardedLoras && tp > 1 ? ` Fully sharded (--fully-sharded-loras): both halves of each slot split over the ${tp} tensor-parallel ranks.` : ''} Not counted: the CUDA graphs vLLM captures for each number of active adapters.`,
    );
  } else if (spec.lora && engine !== 'vllm') assumptions.push(`LoRA: ${engine === 'sglang' ? "SGLang's" : "TGI's"} adapter memory is not counted (only vLLM's slots are modelled).`);
  if (dsa) assumptions.push(dsa.note);
  else if (a.mla) assumptions.push(`MLA: the KV cache holds kv_lora_rank + qk_rope_head_dim values per token per layer, replicated on every ${attnDp ? `attention-TP rank of a DP rank (${tp / attnDp} GPU${tp / attnDp === 1 ? '' : 's'} each)` : 'TP rank'}.`);

  // The smallest stage pool decides the number of blocks (vLLM takes the minimum over workers).
  // vLLM V1 lays the pool of a model with two kinds of layer out in groups (groupedPool): a hybrid's
  // recurrent layers, or sliding-window layers whose pattern is known; other engines first set aside the
  // recurrent states of max_num_seqs sequences, and count sliding-window layers as full attention.
  const v1 = engine === 'vllm' && !gen!.v0;
  const groupAware = v1 && gen!.groupAwareTokens;
  const v1Hybrid = v1 && !!stages[0].hybrid;
  const hybridSeqs = spec.maxNumSeqs && spec.maxNumSeqs > 0 ? spec.maxNumSeqs : defaults.seqs;
  const batchedTokens = spec.maxNumBatchedTokens && spec.maxNumBatchedTokens > 0 ? spec.maxNumBatchedTokens : defaults.tokens;
  // What a sliding-window layer reserves beyond its window: one batch, or from vLLM 0.26 every batch in flight.
  const inFlightBatches = v1 ? vllmSlidingBatches(ver, { pp, v2Runner: gen!.runner?.v2 === true, asyncScheduling: gen!.asyncScheduling }) : 1;
  const inFlightTokens = batchedTokens * inFlightBatches;
  // A hybrid's recurrent state blocks per request (vllmMambaCacheMode); 'all' (a state per attention block, Mamba2 models
  // with prefix caching before 0.28) is not laid out: one block each, said.
  const specTokens = spec.speculative && typeof spec.speculative === 'object' ? (typeof spec.speculative.tokens === 'number' && spec.speculative.tokens > 0 ? spec.speculative.tokens : 1) : 0;
  const mambaCache = v1Hybrid ? vllmMambaCacheMode(ver, { prefixCaching: spec.enablePrefixCaching, speculative: specTokens > 0, mamba2: !!a.mamba }) : undefined;
  const statesPerRequest = (mambaCache?.mode === 'align' ? 2 : 1) + specTokens;
  let tokens = Infinity;
  // The chosen stage's whole blocks, in tokens (a model with one kind of layer).
  let capacityTokens = 0;
  let worst = stages[0];
  let pooled: GroupedPool | undefined;
  for (const s of stages) {
    const g = !v1 ? undefined : s.hybrid ? hybridPool(s.hybrid, s.pool, maxModelLen, groupAware, statesPerRequest) : s.sliding ? slidingPool(s.sliding, s.pool, maxModelLen, blockSize, inFlightTokens, groupAware) : undefined;
    const statesBytes = v1Hybrid ? 0 : hybridSeqs * stateBytesPerSequence(s);
    const blocks = Math.floor(Math.max(0, s.pool - statesBytes) / (s.kvBytesPerToken * blockSize));
    // One kind of layer: the printed figure is whole blocks, or from 0.20.1 int(blocks ÷ ceil(L / block) × L) (printedTokens).
    const t = g ? g.tokens : groupAware ? printedTokens(true, blocks, 1, blockSize, blocks / Math.ceil(maxModelLen / blockSize), maxModelLen) : blocks * blockSize;
    if (t < tokens || (g && pooled && g.concurrency < pooled.concurrency)) {
      tokens = t;
      capacityTokens = blocks * blockSize;
      worst = s;
      pooled = g;
    }
  }
  const printed = groupAware ? `int(concurrency × max_model_len), as vLLM 0.20.1 and later print it` : 'blocks ÷ groups × block size, as vLLM 0.20.0 and earlier print it';
  if (stages[0].hybrid) {
    const hs = stages[0].hybrid;
    const state = `${(hs.stateBytesPerLayer / 2 ** 20).toFixed(2)} MiB`;
    assumptions.push(
      pooled
        ? `Hybrid model: ${hs.full} full-attention and ${hs.linear} ${hs.kind} layers per GPU; each ${hs.kind} layer keeps ${state} of state per sequence. vLLM's hybrid allocator grows the attention block to ${pooled.blockSize} tokens so one page holds a layer's state and groups the layers ${pooled.groupSize} to a group (${pooled.fullGroups} full-attention, ${pooled.otherGroups} ${hs.kind}): ${grouped(pooled.blocks)} blocks; a ${maxModelLen}-token request takes ${pooled.blocksPerRequest} of them (${statesPerRequest === 1 ? 'one' : statesPerRequest} per ${hs.kind} group${mambaStatesNote(mambaCache, specTokens, hs.kind)}), so ${pooled.concurrency.toFixed(2)} fit at once. KV tokens: ${grouped(pooled.tokens)}, ${printed}${groupAware ? '' : ` (later releases print concurrency × max_model_len, ${grouped(Math.floor(pooled.concurrency * maxModelLen))}, for the same pool)`}.`
        : `Hybrid model: KV cache on the ${hs.full} full-attention layers per GPU only; each of the ${hs.linear} ${hs.kind} layers keeps ${state} of state per sequence, set aside for ${hybridSeqs} sequences.`,
    );
  } else if (a.slidingWindow) {
    const ss = stages[0].sliding;
    const inFlight = inFlightBatches > 1 ? `the ${inFlightBatches} batches in flight, ${inFlightBatches} × max_num_batched_tokens ${batchedTokens} (vLLM 0.26 and later)` : `max_num_batched_tokens ${batchedTokens}`;
    assumptions.push(
      pooled && ss
        ? `Sliding window: ${ss.full} full-attention and ${ss.sliding} sliding-window layers (window ${ss.window}) per GPU, grouped ${pooled.groupSize} to a group (${pooled.fullGroups} full-attention, ${pooled.otherGroups} sliding-window): ${grouped(pooled.blocks)} blocks of ${pooled.blockSize === pooled.otherBlockSize ? `${pooled.blockSize} tokens` : `${pooled.otherBlockSize} tokens in a sliding-window group and ${pooled.blockSize} in a full-attention group (one page size for every layer: the kind that caches less per token holds more tokens in a page)`}; a ${maxModelLen}-token request takes ${Math.ceil(maxModelLen / pooled.blockSize)} in each full-attention group and ${pooled.otherBlocksPerRequest} in each sliding-window group (${ss.window - 1 + inFlightTokens < maxModelLen ? `its window plus ${inFlight}` : `the whole request: its window plus ${inFlight} reaches max_model_len`}), so ${pooled.concurrency.toFixed(2)} fit at once. KV tokens: ${grouped(pooled.tokens)}, ${printed}.${pooled.padded ? ' The two kinds of layer cache sizes per token that do not divide: the smaller page is padded to the larger, as later vLLM releases do (page_size_padded); earlier ones refuse to start ("Cannot unify by adjusting block_size").' : ''}`
        : ss && ss.sliding < 1
          ? 'Every layer attends to the whole context (no sliding-window layer).'
          : `Sliding-window layers are counted as full attention${v1 && spec.disableHybridKvCacheManager ? ' (--disable-hybrid-kv-cache-manager: vLLM gives every layer a cache for the whole sequence)' : !v1 ? '' : stages.some((s) => s.drafterBesideGlobal) ? ` (the ${spec.speculative?.method} drafter's layer would be a third kind of KV layer beside the wider global ones, which this estimate does not lay out: the pool is understated)` : " (the model's layer pattern is not known)"}.`,
    );
  }
  if (a.kvShared) assumptions.push(`KV sharing: the last ${a.kvShared.layers} layers${a.kvShared.global ? ` (${a.kvShared.global} of them global)` : ''} reuse the KV cache of an earlier layer of their kind and cache nothing of their own.`);
  const rank0 = stages[0];
  // The tightest stage's pool: what vLLM prints as "Available KV cache memory", and below 0 a refusal.
  const minPool = Math.min(...stages.map((x) => x.pool));
  const kvCacheBytes = pooled ? pooled.blocks * pooled.pageBytes * pooled.groupSize : capacityTokens * worst.kvBytesPerToken + hybridSeqs * stateBytesPerSequence(worst);
  const heaviest = stages.reduce((x, y) => (x.weights + x.activation > y.weights + y.activation ? x : y));
  const allocated = heaviest.weights + heaviest.activation + kvCacheBytes;
  const reserved = allocated;
  const device = Math.max(reserved + nonTorch + CUDA_CONTEXT + graphs, engine === 'vllm' ? 0 : 0);
  // What a cache fixed by kvCacheMemoryBytes must fit beside (vLLM checks none of it).
  const besideFixedKv: [string, number][] = [
    ['Weights', heaviest.weights],
    ['activation peak', heaviest.activation],
    ['non-torch', nonTorch],
    ['CUDA graphs', graphs],
    ['CUDA context', CUDA_CONTEXT],
  ];
  const serving: ServingFigures = {
    weightsBytes: rank0.weights,
    kvCacheBytes,
    kvCacheTokens: tokens,
    kvBytesPerToken: worst.kvBytesPerToken,
    // vLLM V1's concurrency is blocks ÷ ceil(L / block); V0 and the other engines print tokens ÷ L.
    maxConcurrency: pooled ? pooled.concurrency : capacityTokens / (v1 ? Math.ceil(maxModelLen / blockSize) * blockSize : maxModelLen),
    ...(worst.hybrid ? { stateBytesPerSequence: stateBytesPerSequence(worst) } : {}),
    longestRequestTokens: pooled ? longestGroupedRequest(pooled, maxModelLen) : capacityTokens,
    maxModelLen,
    activationPeakBytes: rank0.activation,
    ...(defaults.compilePeak === 'measure' && stages.some((x) => x.compileExtra) ? { firstStartExtraBytes: Math.max(...stages.map((x) => x.compileExtra ?? 0)) } : {}),
    ...(rank0.visionExtra ? { visionProfileBytes: rank0.visionExtra } : {}),
    // The processor's dummy video won over images (images on): video at 0 gives back the difference (servingFixes).
    ...(typeof vision === 'object' && vision.modality === 'video' && a.vision?.dummyVideo && spec.multimodal?.limitPerPrompt?.image !== 0 ? { visionVideo: { countedTokens: vision.tokensPerItem, ...(vision.frames !== undefined ? { frames: vision.frames } : {}) } } : {}),
    ...(rank0.towerWeights ? { towerWeightBytes: rank0.towerWeights } : {}),
    ...(towersLoaded.length ? { towersLoaded } : {}),
    availableKvBytes: Math.max(0, minPool),
    ...(rank0.lora ? { loraBytes: rank0.lora.bytes } : {}),
    ...(fixedKv !== undefined ? { fixedKv: { bytes: fixedKv, roomBytes: cap - besideFixedKv.reduce((x, [, b]) => x + b, 0) } } : {}),
    ...(minPool < 0 ? { kvShortfallBytes: -minPool } : {}),
    nonTorchBytes: nonTorch,
    cudaGraphBytes: graphs,
    budgetBytes: budget,
  };
  if (attnDp) {
    // Each attention-DP rank keeps the KV of its own requests (SGLang's scheduler per DP rank, its own pool), so the
    // replica holds attnDp pools of the size SGLang logs as max_total_num_tokens (per rank); one request lives on one rank.
    serving.maxConcurrency *= attnDp;
    assumptions.push(
      `SGLang DP attention (--enable-dp-attention, --dp-size ${attnDp}): ${attnDp} attention-DP ranks of ${tp / attnDp} GPU${tp / attnDp === 1 ? '' : 's'} each keep the KV of their own requests${a.mla ? " (MLA's latent KV, which plain tensor parallel replicates on every rank)" : ` (KV heads split over ${tp / attnDp} attention-TP rank${tp / attnDp === 1 ? '' : 's'}, not ${tp})`}: ${grouped(tokens)} tokens per rank, as SGLang logs max_total_num_tokens, ${grouped(tokens * attnDp)} over the replica; a request is held by one rank, so concurrency counts all ${attnDp} ranks (${serving.maxConcurrency.toFixed(2)}× at ${maxModelLen}).`,
    );
  }
  if (autoLen) {
    const fit = Math.min(maxModelLen, serving.longestRequestTokens);
    if (fit >= 1 && fit < maxModelLen) return estimateUnsafe(withEdits(doc, [{ path: ['spec', 'maxModelLen'], value: fit }]), cluster, opts, maxModelLen);
    if (fit >= 1) assumptions.push(`max-model-len auto: ${grouped(maxModelLen)} tokens fit, the model's whole context (vLLM fits the length to the KV cache, up to the context).`);
  }
  const est: ServingEstimate = {
    kind: 'InferenceService',
    ok: true,
    gpu: { id: c.gpu.id, name: c.gpu.name },
    model: { id: m.id, params: m.params.total, activeParams: m.params.active },
    memory: {
      perGpu: { allocatedBytes: allocated, reservedBytes: reserved, deviceBytes: device },
      capacityBytes: cap,
      // vLLM's LoRA slots (within the stage's weights, as vLLM's load counts them) shown as a line of their own.
      breakdown: { weights: heaviest.weights - (heaviest.lora?.bytes ?? 0), ...(heaviest.lora ? { loraSlots: heaviest.lora.bytes } : {}), activationPeak: heaviest.activation, kvCache: kvCacheBytes, nonTorch, cudaContext: CUDA_CONTEXT, cudaGraphs: graphs },
    },
    serving,
    gpusPerReplica,
    assumptions,
    findings,
    summary: '',
  };

  // ---- findings
  // A model with Mamba or linear-attention layers needs vLLM's hybrid KV cache manager (kv_cache_utils: "hybrid SSM
  // models … require HMA and will fail at startup without it").
  if (v1 && stages[0].hybrid && spec.disableHybridKvCacheManager === true) {
    findings.push({
      code: 'hybrid-kv-manager-off',
      severity: 'error',
      path: ['spec', 'disableHybridKvCacheManager'],
      message: `${stages[0].hybrid.kind} layers keep their state in vLLM's hybrid KV cache manager: with --disable-hybrid-kv-cache-manager ${gen!.short} does not start for this model. Leave the manager on (drop the flag).`,
      fixes: [{ title: 'Leave the hybrid KV cache manager on (drop --disable-hybrid-kv-cache-manager)', edits: [{ path: ['spec', 'disableHybridKvCacheManager'], value: false }] }],
    });
  }
  if (serving.fixedKv && serving.fixedKv.bytes > serving.fixedKv.roomBytes) {
    // vLLM allocates the cache it was given without checking: it fails there, in CUDA graph capture, or on the first full batch.
    const terms: [string, number][] = [...besideFixedKv, ['the KV cache (kvCacheMemoryBytes)', serving.fixedKv.bytes]];
    findings.push({
      code: 'memory-exceeds-capacity',
      severity: 'error',
      path: ['spec', 'kvCacheMemoryBytes'],
      message: `${terms.map(([what, b]) => `${what} (${gib(b)})`).join(' + ')} = ${gib(terms.reduce((x, [, b]) => x + b, 0))} per GPU exceed the ${gib(cap)} on ${c.gpu.name}: with --kv-cache-memory-bytes vLLM checks nothing before it allocates the cache, so the start runs out of memory (CUDA out of memory while allocating the KV cache or capturing CUDA graphs) or the first full batch does. ${serving.fixedKv.roomBytes > 0 ? `At most ${gib(serving.fixedKv.roomBytes)} fits beside the rest.` : 'The rest alone does not fit.'}`,
    });
  } else if (minPool <= 0) {
    // The terms each engine takes off its budget before the KV cache, on the tightest stage: they add up to the budget
    // plus kvShortfallBytes (SGLang's static fraction holds weights and KV, TGI's free memory is what its warm-up leaves).
    const tight = stages.find((x) => x.pool === minPool) ?? heaviest;
    const terms: [string, number][] =
      engine === 'sglang'
        ? [
            ['Weights', tight.weights],
            ['CUDA context', CUDA_CONTEXT],
          ]
        : engine === 'tgi'
          ? [
              ['Weights', tight.weights],
              ['activation peak', tight.activation],
              ['non-torch', nonTorch],
              ['CUDA context', CUDA_CONTEXT],
              ["the warm-up batch's KV", tgiPrefill * tight.kvBytesPerToken],
            ]
          : [['Weights', tight.weights], ['activation peak', tight.activation], ['non-torch', nonTorch], ...(graphsInBudget ? ([['CUDA graphs', graphs]] as [string, number][]) : [])];
    const need = terms.reduce((x, [, b]) => x + b, 0);
    findings.push({
      code: 'memory-exceeds-capacity',
      severity: 'error',
      path: ['spec', 'tensorParallel'],
      message: `${terms.map(([what, b]) => `${what} (${gib(b)})`).join(' + ')} = ${gib(need)} per GPU exceed the ${gib(budget)} budget (${frac} × ${gib(cap)}): no room for a KV cache${engine === 'vllm' ? ` — ${gen!.short} refuses to start ("No available memory for the cache blocks")` : ''}.`,
    });
  } else if (pooled ? pooled.concurrency < 1 : maxModelLen > capacityTokens) {
    findings.push({
      code: 'kv-cache-too-small',
      severity: 'error',
      path: ['spec', 'maxModelLen'],
      message: `${
        pooled
          ? `A ${maxModelLen}-token request needs ${pooled.blocksPerRequest} blocks of KV cache${worst.hybrid ? ' and recurrent state' : ''}, and the pool holds ${grouped(pooled.blocks)}`
          : `maxModelLen ${maxModelLen} exceeds the ${grouped(capacityTokens)} tokens the KV cache holds (${gib(kvCacheBytes)} at ${grouped(worst.kvBytesPerToken)} B/token/GPU)`
      }: ${
        engine === 'vllm'
          ? gen!.v0
            ? `${gen!.short} refuses to start ("The model's max seq len (${maxModelLen}) is larger than the maximum number of tokens that can be stored in KV cache (${tokens})")`
            : `${gen!.short} refuses to start ("To serve at least one request with the models's max seq len (${maxModelLen}), (${gib(pooled ? pooled.requestBytes : Math.ceil(maxModelLen / blockSize) * blockSize * worst.kvBytesPerToken)} KV cache is needed, which is larger than the available KV cache memory (${gib(Math.max(0, minPool))})")`
          : engine === 'tgi'
            ? `TGI refuses to start ("Not enough memory to handle ${maxModelLen} total tokens"): lower max_total_tokens (maxModelLen) or max_batch_prefill_tokens`
            : 'requests that long cannot be served'
      }.`,
    });
  } else if (device > cap) {
    findings.push({
      code: 'memory-near-capacity',
      severity: 'warning',
      path: ['spec', 'gpuMemoryUtilization'],
      message: `The budget (${gib(budget)}) plus CUDA context and ${graphs ? 'CUDA graphs' : 'overheads'} reaches ≈ ${gib(device)} of ${gib(cap)}: CUDA graph capture may run out of memory; lower gpuMemoryUtilization.`,
    });
  }
  // Starts, but degrades: fewer full-length sequences fit than the scheduler would admit, or
  // tensor parallel's all-reduces on every layer go over PCIe.
  if (!findings.some((f) => f.severity === 'error')) {
    const seqs = spec?.maxNumSeqs;
    if (typeof seqs === 'number' && seqs > 0 && serving.maxConcurrency < seqs) {
      findings.push({
        code: 'concurrency-below-max-seqs',
        severity: 'warning',
        path: ['spec', 'maxNumSeqs'],
        message: `maxNumSeqs ${seqs} is more than the KV cache holds at full length: ${grouped(tokens)} tokens is ${serving.maxConcurrency.toFixed(1)}× a ${maxModelLen}-token request, so when requests are long the batch is smaller than ${seqs} (requests wait or are preempted).`,
      });
    }
    // Multimodal options on a model with no tower at all (no vision encoder, no parameters beyond the architecture's).
    if (spec.multimodal && Object.keys(spec.multimodal).length && !m.visionTower && !m.audioTower) {
      findings.push({
        code: 'multimodal-text-model',
        severity: 'warning',
        path: ['spec', 'multimodal'],
        message: `${m.id ? `'${m.id}' is a text-only model` : "The model as given has no vision tower (architecture.vision, or a config.json's vision_config)"}: multimodal options change nothing here${engine === 'vllm' ? ', and vLLM may refuse them for a model that is not multimodal' : ''}.`,
      });
    }
    // --skip-mm-profiling: the KV cache takes the memory the encoder needs, so the first full-size image must find it outside the budget.
    if (a.vision && vllmV1 && spec.multimodal?.skipProfiling && !towerSkipped) {
      // The largest single request of a modality that is on: an image, or a video as long as the processor makes it.
      const on = modalityLimits(a.vision, spec);
      const imagesOn = on.image > 0;
      const videoOn = on.video > 0;
      const video = videoOn ? dummyVideoItem(a.vision, maxModelLen, profileTokens, engineVersionOf(spec).parts, imagesOn) : undefined;
      const videoPatches = videoOn ? (video?.itemPatches ?? a.vision.patchesPerItem) : 0;
      const worst = videoPatches > (imagesOn ? a.vision.patchesPerItem : 0) ? { modality: 'video' as const, patches: videoPatches } : { modality: 'image' as const, patches: a.vision.patchesPerItem };
      const oneItem = worst.patches * encoderBytesPerPatch(a.vision, dtypeBytes(spec), tp);
      const left = cap - device;
      if (oneItem > left) {
        findings.push({
          code: 'vision-profile-skipped',
          severity: 'warning',
          path: ['spec', 'multimodal', 'skipProfiling'],
          message: `With the encoder's profile skipped, the KV cache takes its memory: one full-size ${worst.modality} runs the encoder at about ${gib(oneItem)} per GPU, and ${gib(Math.max(0, left))} is left outside vLLM's budget, so the first such request may run out of memory. Lower gpuMemoryUtilization by ${Math.ceil(((oneItem - left) / cap) * 100) / 100} or more, ${worst.modality === 'video' ? `turn video off (limitPerPrompt.video: 0)${video?.frames !== undefined ? ' or shorten maxModelLen, which shortens the longest video' : ''}` : 'cap the images (limitPerPrompt and a smaller max_pixels)'}, or serve text only (languageModelOnly).`,
        });
      }
    }
    if (tp > 1 && cl.cluster && cl.cluster.intra.type.startsWith('pcie')) {
      findings.push({
        code: 'tp-over-pcie',
        severity: 'warning',
        path: ['spec', 'tensorParallel'],
        message: `Tensor parallel ${tp} over ${cl.cluster.intra.name} (≈ ${Math.round(cl.cluster.intraBusGBps)} GB/s bus bandwidth, no NVLink): every layer's all-reduce crosses PCIe, which slows decoding; a larger GPU, a quantized model or pipeline parallel may serve faster.`,
      });
    }
  }
  if (!opts.noFixes) attachServingFixes(doc, cluster, opts, est);
  est.ok = !findings.some((f) => f.severity === 'error');
  est.summary = summarizeServing(est);
  return est;
}

/**
 * The quick fixes of an estimate, attached to it: to its refusal (memory-exceeds-capacity, kv-cache-too-small), each
 * re-checked by a new estimate; to a start whose dummy video took KV memory, an info finding and its fix. Called once for
 * the estimate that is returned (withFirstStart sizes a refusal's fixes for the first start).
 */
function attachServingFixes(doc: InferenceServiceDoc, cluster: ClusterDoc | undefined, opts: EstimateOptions, est: ServingEstimate): void {
  const spec = doc.spec;
  const findings = est.findings;
  const f = findings.find((x) => x.code === 'memory-exceeds-capacity' || x.code === 'kv-cache-too-small');
  if (f) f.fixes = servingFixes(doc, cluster, opts, est, f.code === 'kv-cache-too-small');
  // It starts, but the processor's dummy video took KV memory an image's profile would have left: said, with the fix,
  // for a service that may take no video (the user's to know). Not where the memory error above offers the same fix.
  const video = est.serving?.visionVideo;
  if (!f && video) {
    const edit = { path: ['spec', 'multimodal', 'limitPerPrompt', 'video'], value: 0 };
    const alt = estimateInferenceService(withEdits(doc, [edit]), cluster, { ...opts, noFixes: true });
    const more = (alt.serving?.kvCacheBytes ?? 0) - (est.serving?.kvCacheBytes ?? 0);
    if (alt.serving && more >= VIDEO_PROFILE_NOTE_BYTES) {
      const item = video.frames !== undefined ? `a ${video.frames}-frame dummy video of ${grouped(video.countedTokens)} tokens` : `a dummy video counted as ${grouped(video.countedTokens)} tokens, its embeddings padded to that budget`;
      findings.push({
        code: 'vision-video-profile',
        severity: 'info',
        path: spec.multimodal ? ['spec', 'multimodal'] : ['spec', 'model'],
        message: `vLLM profiles ${item} before it sizes the KV cache, which leaves ${gib(more)} per GPU less for the cache than an image's profile would. If this service takes no video, turning video off keeps images and gives it back (≈ ${grouped(alt.serving.kvCacheTokens)} KV tokens instead of ${grouped(est.serving!.kvCacheTokens)}).`,
        fixes: [{ title: `Turn video off, keeping images (--limit-mm-per-prompt video 0: ≈ ${grouped(alt.serving.kvCacheTokens)} KV tokens)`, edits: [edit] }],
      });
    }
  }
}

function servingFixes(doc: InferenceServiceDoc, cluster: ClusterDoc | undefined, opts: EstimateOptions, cur: ServingEstimate, kvOnly: boolean): Fix[] {
  const fixes: Fix[] = [];
  const spec = doc.spec;
  const o = { ...opts, noFixes: true };
  // Under one request, rounded down: 0.996 is not "1.0×".
  const times = (c: number) => (c < 1 ? (Math.floor(c * 100) / 100).toFixed(2) : c.toFixed(1));
  const describe = (e: ServingEstimate) => (e.serving ? `≈ ${grouped(e.serving.kvCacheTokens)} KV tokens, ${times(e.serving.maxConcurrency)}× at ${e.serving.maxModelLen}` : '');
  // A cache fixed by kvCacheMemoryBytes: the most that fits beside the rest, in whole MiB, where that serves a request.
  const fixed = cur.serving?.fixedKv;
  if (fixed && fixed.roomBytes >= 2 ** 20) {
    const bytes = Math.floor(fixed.roomBytes / 2 ** 20) * 2 ** 20;
    if (bytes !== fixed.bytes) {
      const e = estimateInferenceService(withEdits(doc, [{ path: ['spec', 'kvCacheMemoryBytes'], value: bytes }]), cluster, o);
      if (e.ok && e.serving) fixes.push({ title: `Set kvCacheMemoryBytes to ${bytes} (${gib(bytes)}, the most that fits beside the rest: ${describe(e)})`, edits: [{ path: ['spec', 'kvCacheMemoryBytes'], value: bytes }] });
    }
  }
  const longest = cur.serving?.longestRequestTokens ?? 0;
  if (kvOnly && longest > 0) {
    const len = Math.floor(longest / 256) * 256 || longest;
    fixes.push({ title: `Lower maxModelLen to ${len} (the KV cache holds one request of up to ${grouped(longest)} tokens)`, edits: [{ path: ['spec', 'maxModelLen'], value: len }] });
  }
  const kvd = spec.kvCacheDtype ?? 'auto';
  if (kvOnly && !kvd.startsWith('fp8')) {
    const e = estimateInferenceService(withEdits(doc, [{ path: ['spec', 'kvCacheDtype'], value: 'fp8' }]), cluster, o);
    if (e.serving) fixes.push({ title: `Use an fp8 KV cache (${describe(e)}${e.ok ? '' : ', still too small'})`, edits: [{ path: ['spec', 'kvCacheDtype'], value: 'fp8' }] });
  }
  const gpusPerNode = cluster?.spec?.nodes?.gpu?.count ?? 8;
  for (let tp = (spec.tensorParallel ?? 1) * 2; tp <= Math.max(8, gpusPerNode); tp *= 2) {
    const e = estimateInferenceService(withEdits(doc, [{ path: ['spec', 'tensorParallel'], value: tp }]), cluster, o);
    if (e.findings.some((f) => f.code === 'bad-estimate-input')) break;
    if (e.ok && e.serving) {
      fixes.push({ title: `Set tensorParallel to ${tp} (${describe(e)})`, edits: [{ path: ['spec', 'tensorParallel'], value: tp }] });
      break;
    }
  }
  // A multimodal model served for text: --language-model-only gives back the encoder's profile and the towers' weights.
  const vision = cur.serving?.visionProfileBytes;
  const towers = cur.serving?.towerWeightBytes;
  const loaded = cur.serving?.towersLoaded ?? [];
  if ((vision || towers) && !spec.multimodal?.languageModelOnly) {
    const e = estimateInferenceService(withEdits(doc, [{ path: ['spec', 'multimodal', 'languageModelOnly'], value: true }]), cluster, o);
    const what = [towers ? `${gib(towers)} of tower weights go` : "the tower's weights go", ...(vision ? [`and the ${gib(vision)} its profile run adds to the activation peak`] : [])].join(', ');
    if (e.serving && e.serving.kvCacheBytes > (cur.serving?.kvCacheBytes ?? 0))
      fixes.push({
        title: `Serve text only, without the ${loaded.length > 1 ? 'vision and audio towers' : `${loaded[0] ?? 'vision'} tower`} (--language-model-only: ${what}; ${describe(e)}${e.ok ? '' : ', still too small'})`,
        edits: [{ path: ['spec', 'multimodal', 'languageModelOnly'], value: true }],
      });
  }
  // The processor's dummy video profiled over images (Qwen2-VL at a long max_model_len, Qwen3-VL in 0.11–0.13): video at 0 keeps images and gives back the rest.
  const video = cur.serving?.visionVideo;
  if (video && spec.multimodal?.limitPerPrompt?.image !== 0 && !spec.multimodal?.languageModelOnly) {
    const e = estimateInferenceService(withEdits(doc, [{ path: ['spec', 'multimodal', 'limitPerPrompt', 'video'], value: 0 }]), cluster, o);
    if (e.serving && e.serving.kvCacheBytes > (cur.serving?.kvCacheBytes ?? 0))
      fixes.push({
        title: `Turn video off, keeping images (--limit-mm-per-prompt video 0: vLLM profiles one image instead of ${video.frames !== undefined ? `a ${video.frames}-frame dummy video` : `a dummy video counted as ${grouped(video.countedTokens)} tokens, its embeddings padded to that budget`}; ${describe(e)}${e.ok ? '' : ', still too small'})`,
        edits: [{ path: ['spec', 'multimodal', 'limitPerPrompt', 'video'], value: 0 }],
      });
  }
  // LoRA slots reserved beyond one: each costs its share whether or not an adapter is loaded.
  const maxLoras = spec.lora?.maxLoras ?? 1;
  if (cur.serving?.loraBytes && maxLoras > 1) {
    const e = estimateInferenceService(withEdits(doc, [{ path: ['spec', 'lora', 'maxLoras'], value: 1 }]), cluster, o);
    if (e.serving && e.serving.kvCacheBytes > (cur.serving.kvCacheBytes ?? 0))
      fixes.push({ title: `Reserve one LoRA slot instead of ${maxLoras} (--max-loras 1 gives back ${gib((cur.serving.loraBytes * (maxLoras - 1)) / maxLoras)} per GPU; ${describe(e)}${e.ok ? '' : ', still too small'})`, edits: [{ path: ['spec', 'lora', 'maxLoras'], value: 1 }] });
  }
  // vLLM runs fp8 weights from compute capability 8.0 (the gpu-dtype rule): none offered on a T4 or V100.
  const g = cur.gpu ? findGpu(cur.gpu.id) : undefined;
  const cc = g ? cudaCapability(g) : undefined;
  const fp8Runs = !g || g.vendor !== 'nvidia' || cc === undefined || cc >= 80;
  if (!kvOnly && fp8Runs && (spec.quantization ?? 'none') === 'none') {
    const e = estimateInferenceService(withEdits(doc, [{ path: ['spec', 'quantization'], value: 'fp8' }]), cluster, o);
    if (e.ok && e.serving) fixes.push({ title: `Quantize weights to fp8 (${describe(e)})`, edits: [{ path: ['spec', 'quantization'], value: 'fp8' }] });
  }
  // A Grace superchip (GH200, GB200, GB300) reads host memory over NVLink-C2C: offloading whole layers there
  // (--cpu-offload-gb) is a way to fit, at the link's speed. The smallest of a few budgets that fits; none over PCIe.
  const c2c = g && ['gh200', 'gb200', 'gb300'].some((k) => g.id.toLowerCase().includes(k));
  if (c2c && (spec.engine ?? 'vllm') !== 'tgi') {
    const have = typeof spec.cpuOffloadGiB === 'number' ? spec.cpuOffloadGiB : 0;
    for (const gb of OFFLOAD_STEPS_GIB) {
      if (gb <= have) continue;
      const e = estimateInferenceService(withEdits(doc, [{ path: ['spec', 'cpuOffloadGiB'], value: gb }]), cluster, o);
      if (e.findings.some((f) => f.code === 'bad-estimate-input')) break;
      if (e.ok && e.serving) {
        fixes.push({ title: `Offload ${gb} GiB of weights per GPU to Grace memory (--cpu-offload-gb ${gb}, read over NVLink-C2C every step; ${describe(e)})`, edits: [{ path: ['spec', 'cpuOffloadGiB'], value: gb }] });
        break;
      }
    }
  }
  return fixes;
}

/** The --cpu-offload-gb budgets a fix tries, smallest first (GiB per GPU). */
const OFFLOAD_STEPS_GIB = [4, 8, 16, 24, 32, 48, 64, 96, 128] as const;
