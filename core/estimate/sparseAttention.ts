// DeepSeek Sparse Attention (DSA: DeepSeek-V3.2, GLM-5) in the serving engines' KV cache and profile run. Every rule
// here was read from the engines' code (docs/estimator.md "Sparse attention (DSA)"); the release boundaries of vLLM
// come from the pull requests' merge dates, not from tags, and say so.
//
// vLLM V1 (vllm/model_executor/models/deepseek_v2.py, layers/attention/mla_attention.py, v1/kv_cache_interface.py):
// - every decoder layer registers two caches, both replicated on every tensor-parallel rank: the MLA latent
//   (kv_lora_rank + qk_rope_head_dim per token) and the indexer's key (DeepseekV32IndexerCache: index_head_dim fp8
//   bytes and a 4-byte fp32 scale per 128, uint8, whatever kv_cache_dtype says). The MTP layer has both as well;
// - the latent's layout: `fp8_ds_mla` (kv_lora_rank fp8 bytes, a 4-byte scale per 128, the rotary part in bf16:
//   656 bytes for 512 + 64) when the cache is fp8 on FlashMLA's sparse kernel; kv_lora_rank + rope plain fp8 bytes
//   (576) on FlashInfer's sparse MLA, which vLLM picks for an fp8 cache on compute capability 10.x from PR #37252
//   (merged 2026-03-17; 0.18.0 taken as its first release); the model dtype otherwise. `auto` meant fp8_ds_mla in
//   0.11.0 only (PR #25988), and the model dtype from PR #27121 (merged 2025-10-18, in 0.11.1);
// - the block is 64 tokens (the indexer's kernels support no other on CUDA), and both caches of every layer share
//   one group whose page is the sum of their pages (UniformTypeKVCacheSpecs): tokens = 64 × ⌊pool ÷ (64 × Σ bytes)⌋;
// - the workspace manager (PR #27532, merged 2025-12-12; 0.14.0 taken as the first release, as for the fused-MoE
//   workspaces it also holds) keeps one buffer, grown to the largest request and held: the indexer's profile request
//   is max_model_len × 40 rows of its key, 1 MiB for the radix top-k, max_num_batched_tokens × (index_topk + 1) int32,
//   and from PR #36178 (merged 2026-04-01; 0.19.0 taken) a 512 MiB stand-in for its logits
//   (VLLM_SPARSE_INDEXER_MAX_LOGITS_MB). FlashMLA's sparse backend takes its buffers from the same manager when the
//   model is built (flashmla_sparse.py): the queries' latent copy (q_concat, max_num_batched_tokens × local heads ×
//   (kv_lora_rank + rope) bf16) and, under fp8_ds_mla, a prefill buffer of 5 × max_model_len bf16 latents. Its layers
//   keep views of that first buffer, so when a larger request grows the workspace the old one is not freed: it stays
//   beside the new one, in "Model loading took", until PR #56902 (merged after 2026-09-14; 0.31.0 taken) released
//   the views. FlashMLA's sparse kernel is the backend on Hopper, and on compute capability 10.x for a 16-bit cache
//   with more than 16 heads per rank (PR #37252), or for any cache before 0.18;
// - model memory: a top-k index buffer of max_num_batched_tokens × index_topk int32 for the model and each MTP layer.
//
// SGLang (mem_cache/memory_pool.py NSATokenToKVPool): the same indexer key (132 bytes per token per layer); the
// latent in the fp8_ds_mla layout when the cache is fp8, which `auto` picks on compute capability 10.x and newer
// ("Setting KV cache dtype to fp8_e4m3 for DeepSeek DSA"), the model dtype otherwise.

import type { Architecture } from '../spec/types';
import { atLeast } from './engineVersion';

export const VLLM_DSA_AUTO_IS_DTYPE: [number, number, number] = [0, 11, 1];
export const VLLM_DSA_FLASHINFER_FP8: [number, number, number] = [0, 18, 0];
export const VLLM_DSA_WORKSPACE: [number, number, number] = [0, 14, 0];
export const VLLM_DSA_LOGITS_RESERVE: [number, number, number] = [0, 19, 0];
/** PR #45895 (merged 2026-06-17): a layer that reuses an earlier selection (IndexShare) builds no indexer; 0.23.0 taken (GLM-5.2's recipe names it as the minimum). */
export const VLLM_DSA_INDEX_SHARE: [number, number, number] = [0, 23, 0];
/** PR #30785 (merged 2025-12-17): `auto` takes a ModelOpt checkpoint's kv_cache_quant_algo (FP8 → fp8_e4m3); 0.14.0 taken. */
export const VLLM_KV_FROM_CHECKPOINT: [number, number, number] = [0, 14, 0];
/** VLLM_SPARSE_INDEXER_MAX_LOGITS_MB's default: the indexer's logits the profile run stands in for. */
export const DSA_LOGITS_RESERVE_BYTES = 512 * 2 ** 20;
/** Rows of the indexer's key the workspace reserves per max_model_len token (sparse_attn_indexer.py), and FlashMLA's prefill rows. */
export const DSA_INDEXER_WORKSPACE_ROWS = 40;
export const DSA_PREFILL_WORKSPACE_ROWS = 5;
export const DSA_BLOCK_SIZE = 64;
/** PR #56902: FlashMLA's sparse layers release their views of the first workspace, which the manager can then free. */
export const VLLM_DSA_VIEWS_RELEASED: [number, number, number] = [0, 31, 0];

export type DsaLatentLayout = 'fp8_ds_mla' | 'fp8' | 'dtype';

export interface DsaKv {
  /** Bytes per token per layer of the MLA latent, and of the indexer's key where a layer carries one. */
  latentBytes: number;
  indexerBytes: number;
  /** The indexer's bytes averaged over the layers (IndexShare: only some layers carry one). */
  perLayer: number;
  layout: DsaLatentLayout;
  /** vLLM's block of 64 tokens; other engines keep theirs. */
  blockSize?: number;
  /** Bytes the workspace manager's buffer grows to for DSA (its largest request), beside which the MoE's are compared. */
  workspace: number;
  /** FlashMLA's first workspace, held by its layers' views beside the grown one (model memory; 0.14 to 0.30). */
  retained: number;
  /** Transient bytes of the attention in the profile run (the queries' latent copy, before the workspace manager). */
  transient: number;
  /** Top-k index buffers allocated with the model (bytes), without the MTP layer's. */
  indexBuffer: number;
  note: string;
}

const fp8Asked = (k: string | undefined) => k === 'fp8' || k === 'fp8-e4m3' || k === 'fp8-e5m2';

/**
 * The KV layout and profile terms of a DSA model (a.mla.indexer) under vLLM V1 or SGLang; undefined for other models
 * and engines. `cc` is the GPU's compute capability × 10 (90 Hopper, 100 B200), `kvBytes` the bytes of a cache element
 * in the spec's kvCacheDtype (serving.ts kvBytes), which the 16-bit latent takes.
 */
export function dsaKv(a: Architecture, o: { engine: string; version?: [number, number, number]; kvCacheDtype?: string; cc?: number; kvBytes: number; maxModelLen: number; tokens: number; tp: number; checkpointFp8Kv?: boolean }): DsaKv | undefined {
  const mla = a.mla;
  const idx = mla?.indexer;
  if (!mla || !idx) return undefined;
  const width = mla.kvLoraRank + mla.qkRopeHeadDim;
  const dsMla = mla.kvLoraRank + Math.ceil(mla.kvLoraRank / 128) * 4 + mla.qkRopeHeadDim * 2;
  const indexerBytes = idx.headDim + Math.ceil(idx.headDim / 128) * 4;
  const v = o.version;
  const vllm = o.engine !== 'sglang';
  // IndexShare: SGLang (PR #30531) and vLLM from 0.23 build indexers only on the layers that select; earlier vLLM on all.
  const shares = !vllm || !v || atLeast(v, ...VLLM_DSA_INDEX_SHARE);
  const share = shares ? Math.min(a.layers, idx.layers ?? a.layers) / Math.max(1, a.layers) : 1;
  const cc = o.cc ?? 0;
  const sm10 = cc >= 100 && cc < 110;
  // NVIDIA's NVFP4 releases of these models quantize the KV cache to FP8 (hf_quant_config kv_cache_quant_algo), which
  // vLLM 0.14 and later read for `auto` as fp8_e4m3 (checkpointFp8Kv: the weight format says so, WeightFormat.kvFp8).
  const fromCheckpoint = vllm && (o.kvCacheDtype ?? 'auto') === 'auto' && o.checkpointFp8Kv === true && (!v || atLeast(v, ...VLLM_KV_FROM_CHECKPOINT));
  const asked = fromCheckpoint ? 'fp8-e4m3' : (o.kvCacheDtype ?? 'auto');
  let layout: DsaLatentLayout;
  let why: string;
  if (o.engine === 'sglang') {
    const fp8 = fp8Asked(asked) || (asked === 'auto' && cc >= 100);
    layout = fp8 ? 'fp8_ds_mla' : 'dtype';
    why = fp8 ? (asked === 'auto' ? 'SGLang picks an fp8 cache for DSA on compute capability 10.x and newer' : 'an fp8 cache') : 'the model dtype';
  } else {
    const autoFp8 = !!v && v[0] === 0 && v[1] === 11 && v[2] === 0;
    if (fp8Asked(asked) || (asked === 'auto' && autoFp8)) {
      // FlashMLA's sparse kernel takes `fp8` (as fp8_ds_mla) but not fp8_e4m3, which only FlashInfer's (10.x) runs.
      const flashinfer = sm10 && (asked === 'fp8-e4m3' || !v || atLeast(v, ...VLLM_DSA_FLASHINFER_FP8));
      layout = flashinfer ? 'fp8' : 'fp8_ds_mla';
      const source = fromCheckpoint ? "the checkpoint's FP8 KV quantization (hf_quant_config), which vLLM reads for auto as fp8_e4m3" : 'an fp8 cache';
      why = flashinfer
        ? `${source} on compute capability 10.x, run on FlashInfer's sparse MLA with a plain fp8 latent`
        : asked === 'auto'
          ? 'vLLM 0.11.0 took auto as fp8_ds_mla for DeepSeek-V3.2'
          : asked === 'fp8-e4m3'
            ? `${source}; FlashMLA's sparse kernel, the one for this GPU, refuses fp8_e4m3 (vLLM finds no attention backend): --kv-cache-dtype fp8 runs it as fp8_ds_mla, counted here`
            : "an fp8 cache on FlashMLA's sparse kernel";
    } else {
      layout = 'dtype';
      why = asked === 'auto' ? "auto keeps the model's dtype (vLLM 0.11.1 and later)" : 'the cache dtype asked';
    }
  }
  const latentBytes = layout === 'fp8_ds_mla' ? dsMla : layout === 'fp8' ? width : width * o.kvBytes;
  const workspaceOn = vllm && (!v || atLeast(v, ...VLLM_DSA_WORKSPACE));
  const logits = vllm && (!v || atLeast(v, ...VLLM_DSA_LOGITS_RESERVE)) ? DSA_LOGITS_RESERVE_BYTES : 0;
  const indexerWs = workspaceOn ? o.maxModelLen * DSA_INDEXER_WORKSPACE_ROWS * indexerBytes + 2 ** 20 + o.tokens * (idx.topk + 1) * 4 + logits : 0;
  const localHeads = a.heads / Math.max(1, o.tp);
  const qConcat = vllm ? o.tokens * localHeads * width * 2 : 0;
  // Which sparse kernel runs the attention: FlashMLA's, except FlashInfer's on 10.x for an fp8 cache (layout 'fp8')
  // or, from 0.18, a 16-bit cache with 16 heads or fewer per rank.
  const flashMla = vllm && layout !== 'fp8' && !(sm10 && layout === 'dtype' && localHeads <= 16 && (!v || atLeast(v, ...VLLM_DSA_FLASHINFER_FP8)));
  const first = flashMla && workspaceOn ? qConcat + (layout === 'fp8_ds_mla' ? o.maxModelLen * DSA_PREFILL_WORKSPACE_ROWS * width * 2 : 0) : 0;
  const released = !v || atLeast(v, ...VLLM_DSA_VIEWS_RELEASED);
  const layoutWords = layout === 'fp8_ds_mla' ? `fp8_ds_mla, ${dsMla} B` : layout === 'fp8' ? `fp8, ${width} B` : `${latentBytes / width === 1 ? '8' : '16'}-bit, ${latentBytes} B`;
  const shared = share < 1 ? ` on ${Math.round(share * a.layers)} of ${a.layers} layers (IndexShare: the others reuse an earlier layer's selection)` : idx.layers && idx.layers < a.layers ? ` on every layer (releases before vLLM 0.23 build an indexer on the layers that share one too)` : '';
  const kernel = flashMla ? "FlashMLA's sparse kernel" : "FlashInfer's sparse MLA";
  const workspaceWords = !workspaceOn
    ? vllm
      ? "; releases before 0.14 have no workspace manager: the indexer's profile buffers are not counted"
      : ''
    : `; vLLM's workspace grows to the indexer's profile request (${DSA_INDEXER_WORKSPACE_ROWS} × max_model_len keys${logits ? `, a ${logits / 2 ** 20} MiB stand-in for its logits` : ''} and its top-k indices)${first ? `${released ? ' or' : ', and'} ${kernel}'s first buffer (the queries' latent copy${layout === 'fp8_ds_mla' ? ` and ${DSA_PREFILL_WORKSPACE_ROWS} × max_model_len bf16 latents for prefill` : ''}, ${(first / 2 ** 30).toFixed(2)} GiB)${released ? ', whichever is larger' : ', which its layers keep viewing beside the grown buffer until vLLM 0.31 (PR #56902)'}` : ` (${kernel} runs the attention)`}`;
  const note = `Sparse attention (DSA): each layer caches the MLA latent (${layoutWords}: ${why}) and the indexer's fp8 key (${indexerBytes} B)${shared} per token, on every tensor-parallel rank${vllm ? `; vLLM lays both out in one group of ${DSA_BLOCK_SIZE}-token blocks` : ''}${workspaceWords}.`;
  return {
    latentBytes,
    indexerBytes,
    perLayer: latentBytes + indexerBytes * share,
    layout,
    ...(vllm ? { blockSize: DSA_BLOCK_SIZE } : {}),
    workspace: released ? Math.max(indexerWs, first) : indexerWs,
    retained: released ? 0 : first,
    transient: workspaceOn ? 0 : qConcat,
    indexBuffer: vllm ? o.tokens * idx.topk * 4 : 0,
    note,
  };
}
