// Parameter counts from an architecture. Standard decoder accounting (as in Megatron's
// theoretical_memory_usage.py and litgpt's Config): per layer, attention Q/K/V/O projections
// (GQA: K and V have kvHeads × headDim outputs), MLP with three matrices when gated (SwiGLU/GeGLU)
// or two otherwise, two norms; plus the embedding and, unless tied, the output layer. MoE layers
// hold `experts` routed expert MLPs of `expertFfn`, any shared experts, and a router.
// Biases are ignored (< 0.1 % for the models in the catalog).
//
// Hybrid models (Qwen3-Next, Qwen3.5; granite-4.0-h): `linearAttention.layers` (or `mamba.layers`) of
// the layers mix tokens with Gated DeltaNet (or Mamba2) instead of attention (recurrentLayersOf). The rest are
// full attention, whose query projection is doubled when it gates its output (attn_output_gate). The
// per-layer figures below are averages over the two kinds, so totals are exact: Qwen3-Next-80B-A3B
// counts 79,674,284,800 against the 79,674,391,296 of its safetensors (the difference, 106,496, is its
// shared-expert gates and q/k norms).

import type { ModuleKind } from '../catalog/weightFormat';
import type { Architecture } from '../spec/types';

export interface ModelExtras {
  learnedPositions?: number;
  extraParams?: number;
  totalParams?: number;
  activeParams?: number;
  norm?: 'rmsnorm' | 'layernorm';
}

export interface ParamCounts {
  total: number;
  /** Parameters used per token (MoE: active experts only). */
  active: number;
  embedding: number;
  /** Output layer (0 when tied to the embedding). */
  output: number;
  /** One dense transformer layer (attention + MLP + norms). */
  denseLayer: number;
  /** One MoE layer's non-expert part (attention + norms + router + shared experts). */
  moeLayerShared: number;
  /** One MoE layer's routed experts, all of them. */
  moeLayerExperts: number;
  denseLayers: number;
  moeLayers: number;
  /** Parameters of attention + MLP in the largest single layer (for ZeRO-3/FSDP gather buffers). */
  largestLayer: number;
  extra: number;
}

export function headDimOf(a: Architecture): number {
  return a.headDim ?? a.hidden / a.heads;
}

export function kvHeadsOf(a: Architecture): number {
  return a.kvHeads ?? a.heads;
}

/**
 * The full-attention layers of a sliding-window model with their own shape (Gemma 4's global layers:
 * global_head_dim, num_global_key_value_heads, attention_k_eq_v), every field filled in; undefined when the
 * architecture gives none, or gives it beside recurrent layers or MLA (which resolve.ts refuses).
 */
export function globalAttentionOf(a: Architecture): { layers: number; headDim: number; kvHeads: number; kEqV: boolean } | undefined {
  const g = a.globalAttention;
  if (!g || a.mla || a.linearAttention || a.mamba || !(g.layers > 0)) return undefined;
  return { layers: Math.min(a.layers, g.layers), headDim: g.headDim ?? headDimOf(a), kvHeads: g.kvHeads ?? kvHeadsOf(a), kEqV: g.kEqV === true };
}

/** One attention layer's projections: Q (doubled when it gates the output) and O of `hd`-wide heads, K and (unless `noV`) V of `kv` heads. */
function attentionLayerParams(a: Architecture, hd: number, kv: number, noV: boolean): number {
  return a.hidden * a.heads * hd * (a.attentionOutputGate ? 3 : 2) + (noV ? 1 : 2) * a.hidden * kv * hd;
}

/** One attention layer's parameters, averaged over the sliding-window and global layers where their shapes differ (Gemma 4). */
function attentionParams(a: Architecture): number {
  const hd = headDimOf(a);
  if (a.mla) {
    // MLA: the query W_q (h → heads·(nope+rope)), or with a low-rank query W_q_a (h → qLora) and W_q_b (qLora →
    // heads·(nope+rope)); W_kv_a (h → kvLora+rope), W_kv_b (kvLora → heads·(nope+hd)), W_o (heads·hd → h), where hd is
    // the value head and nope the query/key's non-rotary width (the same unless the config says otherwise).
    // DeepSeek-V2/V3 report totals directly.
    const { kvLoraRank, qkRopeHeadDim, qLoraRank, indexer } = a.mla;
    const nope = a.mla.qkNopeHeadDim ?? hd;
    const qWidth = a.heads * (nope + qkRopeHeadDim);
    const query = qLoraRank ? a.hidden * qLoraRank + qLoraRank * qWidth : a.hidden * qWidth;
    // DeepSeek Sparse Attention's indexer (deepseek_v2.py Indexer): wq_b (qLora → heads·dim), wk (h → dim), its
    // LayerNorm, and weights_proj (h → heads); averaged over the layers where only some carry one (IndexShare).
    const idx = indexer ? ((qLoraRank ?? a.hidden) * indexer.heads * indexer.headDim + a.hidden * indexer.headDim + 2 * indexer.headDim + a.hidden * indexer.heads) * (Math.min(a.layers, indexer.layers ?? a.layers) / Math.max(1, a.layers)) : 0;
    return query + a.hidden * (kvLoraRank + qkRopeHeadDim) + kvLoraRank * a.heads * (nope + hd) + a.heads * hd * a.hidden + idx;
  }
  const base = attentionLayerParams(a, hd, kvHeadsOf(a), false);
  const g = globalAttentionOf(a);
  if (!g || a.layers <= 0) return base;
  return ((a.layers - g.layers) * base + g.layers * attentionLayerParams(a, g.headDim, g.kvHeads, g.kEqV)) / a.layers;
}

/**
 * The attention's shape for per-token widths (FLOPs, saved activations, LoRA sizes): the head width and KV heads,
 * averaged over the layers where the global layers' differ (Gemma 4), so heads × hd is the mean query width and
 * kv × hd the mean K (and V) width; the model's own headDim and kvHeads otherwise.
 */
export function attentionShapeOf(a: Architecture): { hd: number; kv: number } {
  const hd = headDimOf(a);
  const kv = kvHeadsOf(a);
  const g = globalAttentionOf(a);
  if (!g || a.layers <= 0) return { hd, kv };
  const share = g.layers / a.layers;
  const meanHd = (1 - share) * hd + share * g.headDim;
  return { hd: meanHd, kv: ((1 - share) * kv * hd + share * g.kvHeads * g.headDim) / meanHd };
}

/**
 * A hybrid model's recurrent (state-space) layers, whichever kind: how many, a layer's parameters, its widest
 * projection output and the activations it saves per token (elements), and its state per sequence per GPU.
 * Gated DeltaNet (Qwen3-Next, Qwen3.5): in_proj_qkvz and in_proj_ba, a depthwise conv over q, k, v, out_proj,
 * A_log and dt_bias; state value heads × key dim × value dim. Mamba2 (granite-4.0-h; transformers' Mamba2Mixer):
 * in_proj (z, x, B, C, dt), a depthwise conv over x, B, C, out_proj, A_log, D, dt_bias and a gated norm; state
 * heads × head dim × state size. Both keep a (kernel − 1)-token convolution window of their conv channels
 * (vLLM MambaStateShapeCalculator), split over TP ranks (Mamba2 groups padded to a multiple of TP).
 */
export interface RecurrentLayers {
  kind: 'gated-deltanet' | 'mamba2';
  name: string;
  layers: number;
  params: number;
  projectionWidth: number;
  /** Elements saved for backward per token: half-precision ones and the output projection's input (fp8-saveable). */
  saved: { wide: number; outInput: number };
  stateBytes: (tp: number, dtypeBytes: number) => number;
  /** Heads that must split evenly over tensor parallel. */
  tpHeads: number[];
}

export function recurrentLayersOf(a: Architecture): RecurrentLayers | undefined {
  const h = a.hidden;
  const l = a.linearAttention;
  if (l) {
    const keys = l.keyHeads * l.keyHeadDim;
    const values = l.valueHeads * l.valueHeadDim;
    const kernel = l.convKernel ?? 4;
    return {
      kind: 'gated-deltanet',
      name: 'Gated DeltaNet',
      layers: Math.min(a.layers, l.layers),
      params: h * (2 * keys + 2 * values) + h * 2 * l.valueHeads + (2 * keys + values) * kernel + values * h + 2 * l.valueHeads + l.valueHeadDim,
      projectionWidth: 2 * keys + 2 * values + 2 * l.valueHeads,
      saved: { wide: 2 * keys + 2 * values + 2 * l.valueHeads + 2 * keys + values, outInput: values },
      stateBytes: (tp, dt) => Math.max(1, Math.floor(l.valueHeads / tp)) * l.keyHeadDim * l.valueHeadDim * (l.stateDtype === 'fp32' ? 4 : dt) + (kernel - 1) * Math.max(1, Math.floor((2 * keys + values) / tp)) * dt,
      tpHeads: [l.keyHeads, l.valueHeads],
    };
  }
  const m = a.mamba;
  if (m) {
    const inner = m.heads * m.headDim;
    const groups = m.groups ?? 1;
    const kernel = m.convKernel ?? 4;
    const conv = inner + 2 * groups * m.stateSize;
    return {
      kind: 'mamba2',
      name: 'Mamba2',
      layers: Math.min(a.layers, m.layers),
      params: h * (2 * inner + 2 * groups * m.stateSize + m.heads) + conv * kernel + inner * h + 3 * m.heads + inner,
      projectionWidth: 2 * inner + 2 * groups * m.stateSize + m.heads,
      saved: { wide: 2 * inner + 2 * groups * m.stateSize + m.heads + conv + inner, outInput: inner },
      stateBytes: (tp, dt) => {
        const g = groups % tp === 0 ? groups : groups + tp - (groups % tp);
        return Math.max(1, Math.floor(m.heads / tp)) * m.headDim * m.stateSize * (m.stateDtype === 'fp32' ? 4 : dt) + (kernel - 1) * Math.max(1, Math.floor((inner + 2 * g * m.stateSize) / tp)) * dt;
      },
      tpHeads: [m.heads],
    };
  }
  return undefined;
}

/** The vocabulary an EAGLE-3 head predicts over by default (its own lm_head: draft_vocab_size 32000 in the published heads). */
export const EAGLE3_DRAFT_VOCAB = 32000;

/**
 * MLA under vLLM with a quantized kv_b_proj (fp8, int4): process_weights_after_loading (mla_attention.py) dequantizes its
 * two halves into 16-bit W_UK_T and W_UV for the absorbed attention and keeps them beside the quantized original:
 * heads per rank × (qk_nope + v) × kv_lora_rank elements per layer, in bytes of `dt`. An unquantized kv_b_proj gives views.
 */
export function mlaAbsorbedCopyBytes(a: Architecture, headsPerRank: number, layers: number, dt: number): number {
  if (!a.mla) return 0;
  const hd = headDimOf(a);
  return layers * headsPerRank * ((a.mla.qkNopeHeadDim ?? hd) + hd) * a.mla.kvLoraRank * dt;
}

/**
 * The drafter of speculative decoding, per replica (before tensor parallel): its layers (full attention, each
 * caching K and V like one of the model's own) and its parameters beyond the embedding and lm_head it shares.
 * - mtp (DeepSeek-V3 `num_nextn_predict_layers`, Qwen3-Next/3.5 `mtp_num_hidden_layers`): each MTP layer is a
 *   full-attention decoder layer with the model's own MLP (its MoE where the model has one), plus the
 *   projection of [embedding; hidden state] (2h × h) and its norms. Stored in the checkpoint's format.
 * - eagle / eagle3: one Llama-style decoder layer at the model's width and attention geometry, with a dense MLP
 *   (the model's ffn; for an MoE model its active experts' width), and an input projection of 2h (EAGLE) or 3h
 *   (EAGLE-3, fed three hidden states) to h; EAGLE-3 adds its own lm_head over EAGLE3_DRAFT_VOCAB tokens. Half precision.
 * - ngram: no drafter.
 */
export function drafterOf(a: Architecture, method: 'mtp' | 'eagle' | 'eagle3' | 'ngram'): { layers: number; params: number; inCheckpointFormat: boolean; assistant?: boolean } {
  const h = a.hidden;
  const gated = a.gatedMlp ?? true;
  const norms = 2 * h;
  if (method === 'mtp' && a.mtpAssistant) {
    // Gemma 4's assistant (vLLM gemma4_mtp.py, PR #41745): query-only attention (q_proj, o_proj) that reads the target's
    // KV cache (kv_sharing_target_layer_name: no cache of its own), a gated MLP, the projections in from and back to the
    // target's width (2h → d, d → h), and its own tied lm_head; the input embedding is the target's. Loaded unquantized.
    const d = a.mtpAssistant;
    const global = Math.min(d.layers, d.globalLayers ?? 0);
    const q = (hd: number) => 2 * d.hidden * d.heads * hd;
    const attention = (d.layers - global) * q(d.headDim) + global * q(d.globalHeadDim ?? d.headDim);
    const params = attention + d.layers * (mlpParams(d.hidden, d.ffn, true) + 4 * d.hidden) + 3 * h * d.hidden + d.vocab * d.hidden;
    return { layers: 0, params, inCheckpointFormat: false, assistant: true };
  }
  if (method === 'mtp') {
    const layers = a.mtpLayers ?? 1;
    const mlp = a.moe ? h * a.moe.experts + (a.moe.experts + (a.moe.sharedExperts ?? 0)) * mlpParams(h, a.moe.expertFfn ?? a.ffn, gated) : mlpParams(h, a.ffn, gated);
    return { layers, params: layers * (attentionParams(a) + mlp + norms + 2 * h * h + 2 * h), inCheckpointFormat: true };
  }
  if (method === 'eagle' || method === 'eagle3') {
    const ffn = a.moe ? a.moe.activeExperts * (a.moe.expertFfn ?? a.ffn) : a.ffn;
    const fc = (method === 'eagle3' ? 3 : 2) * h * h;
    const head = method === 'eagle3' ? EAGLE3_DRAFT_VOCAB * h : 0;
    return { layers: 1, params: attentionParams(a) + mlpParams(h, ffn, gated) + norms + fc + head, inCheckpointFormat: false };
  }
  return { layers: 0, params: 0, inCheckpointFormat: false };
}

/**
 * The transformer blocks' parameters by kind of module (before any published-total scaling), for a checkpoint
 * whose ignore list keeps some kinds in the model dtype; `other` is the norms and the MoE router.
 */
export function blockParamsByKind(a: Architecture): Record<ModuleKind, number> & { other: number } {
  const h = a.hidden;
  const gated = a.gatedMlp ?? true;
  const rec = recurrentLayersOf(a);
  const full = Math.max(0, a.layers - (rec?.layers ?? 0));
  const out = { attention: full * attentionParams(a), recurrent: rec ? rec.layers * rec.params : 0, mlp: 0, experts: 0, shared: 0, mtp: 0, other: 2 * h * a.layers };
  if (a.moe) {
    const one = mlpParams(h, a.moe.expertFfn ?? a.ffn, gated);
    const dense = Math.min(a.layers, a.moe.denseLayers ?? 0);
    const moe = a.layers - dense;
    out.mlp = dense * mlpParams(h, a.ffn, gated);
    out.experts = moe * a.moe.experts * one;
    out.shared = moe * (a.moe.sharedExperts ?? 0) * one;
    out.other += moe * h * a.moe.experts;
  } else out.mlp = a.layers * mlpParams(h, a.ffn, gated);
  return out;
}

/** Full-attention layers: all of them, less a hybrid model's recurrent layers. */
export function fullAttentionLayers(a: Architecture): number {
  return Math.max(0, a.layers - (recurrentLayersOf(a)?.layers ?? 0));
}

/** The token mixer's parameters per layer, averaged over full-attention and recurrent layers. */
function mixerParams(a: Architecture): number {
  const r = recurrentLayersOf(a);
  if (!r || a.layers <= 0) return attentionParams(a);
  return ((a.layers - r.layers) * attentionParams(a) + r.layers * r.params) / a.layers;
}

function mlpParams(hidden: number, ffn: number, gated: boolean): number {
  return (gated ? 3 : 2) * hidden * ffn;
}

export function countParams(a: Architecture, x: ModelExtras = {}): ParamCounts {
  const gated = a.gatedMlp ?? true;
  const norms = 2 * a.hidden;
  const attn = mixerParams(a);
  const denseLayer = attn + mlpParams(a.hidden, a.ffn, gated) + norms;
  let moeLayerShared = 0;
  let moeLayerExperts = 0;
  let denseLayers = a.layers;
  let moeLayers = 0;
  let activeExpertParams = 0;
  if (a.moe) {
    const eFfn = a.moe.expertFfn ?? a.ffn;
    const one = mlpParams(a.hidden, eFfn, gated);
    denseLayers = Math.min(a.layers, a.moe.denseLayers ?? 0);
    moeLayers = a.layers - denseLayers;
    moeLayerShared = attn + norms + a.hidden * a.moe.experts + (a.moe.sharedExperts ?? 0) * one;
    moeLayerExperts = a.moe.experts * one;
    activeExpertParams = a.moe.activeExperts * one;
  }
  const embedding = a.vocab * a.hidden + (x.learnedPositions ?? 0) * a.hidden;
  const output = a.tiedEmbeddings ? 0 : a.vocab * a.hidden;
  const extra = x.extraParams ?? 0;
  let total = embedding + output + denseLayers * denseLayer + moeLayers * (moeLayerShared + moeLayerExperts) + extra;
  let active = embedding + output + denseLayers * denseLayer + moeLayers * (moeLayerShared + activeExpertParams) + extra;
  if (x.totalParams && x.totalParams > 0) {
    // Published totals win; scale the expert part so the layer split stays consistent.
    const scale = x.totalParams / total;
    moeLayerExperts *= scale;
    moeLayerShared *= scale;
    total = x.totalParams;
    active = x.activeParams ?? active * scale;
  }
  const largestLayer = Math.max(denseLayers > 0 ? denseLayer : 0, moeLayers > 0 ? moeLayerShared + moeLayerExperts : 0);
  return { total, active, embedding, output, denseLayer, moeLayerShared, moeLayerExperts, denseLayers, moeLayers, largestLayer, extra };
}
