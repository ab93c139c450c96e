// Parameter counts from an architecture. Standard decoder accounting (as in Megatron's
// theoretical_memory_usage.py and litgpt's Config): per layer, attention Q/K/V/O projections
// (GQA: K and V have kvHeads × headDim outputs), MLP with three matrices when gated (SwiGLU/GeGLU)
// or two otherwise, two norms; plus the embedding and, unless tied, the output layer. MoE layers
// hold `experts` routed expert MLPs of `expertFfn`, any shared experts, and a router.
// Biases are ignored (< 0.1 % for the models in the catalog).
//
// Hybrid models (Qwen3-Next, Qwen3.5): `linearAttention.layers` of the layers mix tokens with Gated
// DeltaNet instead of attention (transformers' Qwen3NextGatedDeltaNet): in_proj_qkvz (hidden → 2·keys +
// 2·values), in_proj_ba (hidden → 2 × value heads), a depthwise causal conv1d over q, k and v
// (convKernel taps per channel), out_proj (values → hidden), and per-head A_log and dt_bias. The rest are
// full attention, whose query projection is doubled when it gates its output (attn_output_gate). The
// per-layer figures below are averages over the two kinds, so totals are exact: Qwen3-Next-80B-A3B
// counts 79,674,284,800 against the 79,674,391,296 of its safetensors (the difference, 106,496, is its
// shared-expert gates and q/k norms).

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

function attentionParams(a: Architecture): number {
  const hd = headDimOf(a);
  if (a.mla) {
    // MLA without a query low-rank: W_q (h → heads·(hd+rope)), W_kv_a (h → kvLora+rope),
    // W_kv_b (kvLora → heads·2·hd), W_o (heads·hd → h). DeepSeek-V2/V3 report totals directly.
    const { kvLoraRank, qkRopeHeadDim } = a.mla;
    return a.hidden * a.heads * (hd + qkRopeHeadDim) + a.hidden * (kvLoraRank + qkRopeHeadDim) + kvLoraRank * a.heads * 2 * hd + a.heads * hd * a.hidden;
  }
  return a.hidden * a.heads * hd * (a.attentionOutputGate ? 3 : 2) + 2 * a.hidden * kvHeadsOf(a) * hd;
}

/** Full-attention layers: all of them, less a hybrid model's linear-attention layers. */
export function fullAttentionLayers(a: Architecture): number {
  return Math.max(0, a.layers - (a.linearAttention ? Math.min(a.layers, a.linearAttention.layers) : 0));
}

/** One Gated DeltaNet layer's token mixer (see the header). */
function linearAttentionParams(a: Architecture): number {
  const l = a.linearAttention;
  if (!l) return 0;
  const keys = l.keyHeads * l.keyHeadDim;
  const values = l.valueHeads * l.valueHeadDim;
  return a.hidden * (2 * keys + 2 * values) + a.hidden * 2 * l.valueHeads + (2 * keys + values) * (l.convKernel ?? 4) + values * a.hidden + 2 * l.valueHeads + l.valueHeadDim;
}

/** The token mixer's parameters per layer, averaged over full- and linear-attention layers. */
function mixerParams(a: Architecture): number {
  const full = fullAttentionLayers(a);
  if (!a.linearAttention || a.layers <= 0) return attentionParams(a);
  return (full * attentionParams(a) + (a.layers - full) * linearAttentionParams(a)) / a.layers;
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
