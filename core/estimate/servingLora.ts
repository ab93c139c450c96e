// vLLM's multi-LoRA slots (--enable-lora, --max-loras, --max-lora-rank): the GPU buffers vLLM allocates with the model
// for every layer it can put an adapter on, whether or not an adapter is loaded. Their shapes are the LoRA layers'
// create_lora_weights in vllm/lora/layers (base_linear.py, column_parallel_linear.py, row_parallel_linear.py,
// fused_moe.py, vocal_parallel_embedding.py, logits_processor.py): for each of max_loras slots, lora_a of
// max_lora_rank × input and lora_b of output × max_lora_rank, in the model dtype (lora_dtype auto). They are made
// inside the model load, so vLLM counts them in "Model loading took … GiB" and they come off the KV budget like
// weights. The dummy adapters of the profile run live in host memory (create_dummy_lora on "cpu").

import type { Architecture } from '../spec/types';
import { atLeast } from './engineVersion';
import { headDimOf, kvHeadsOf, recurrentLayersOf } from './params';

/** vLLM's LoRAConfig defaults: one slot of rank 16 (vllm/config/lora.py). */
export const VLLM_LORA_DEFAULTS = { maxLoras: 1, maxRank: 16 } as const;

/**
 * LoRA on the routed experts (FusedMoEWithLoRA, vLLM PR #21229, merged 2025-10-21), whose first release is taken as
 * 0.11.1 from the merge date. Before it an MoE model's adapters reach attention, the router and dense layers only.
 * An unknown version is the current release.
 */
export function vllmLoraCoversExperts(version: [number, number, number] | undefined): boolean {
  return !version || atLeast(version, 0, 11, 1);
}

/**
 * Whether vLLM's model class gives the embedding and lm_head LoRA slots: only classes that declare them in
 * `embedding_modules` (vLLM main of 2026-08: Llama, Qwen3 and Qwen3-MoE, Mixtral, Granite, Nemotron, EXAONE, MiniCPM,
 * PhiMoE, Jamba, LFM2, Falcon-H1, Solar; MistralForCausalLM sets it empty). Qwen2's declaration went in vLLM 0.8.0
 * (PR #13166). Read from the catalog id, as the runner's class is (engineVersion.ts); a model known by no id: none.
 */
export function vllmLoraEmbeddings(id: string | undefined, version: [number, number, number] | undefined): boolean {
  const n = (id ?? '').toLowerCase();
  if (!n || n.includes('mistral')) return false;
  if ((n.startsWith('qwen2-') || n.startsWith('qwen2.5-')) && !n.includes('vl')) return !!version && !atLeast(version, 0, 8);
  if (n.startsWith('qwen3-')) return !['next', 'vl', 'omni'].some((k) => n.includes(k));
  return ['llama', 'mixtral', 'granite', 'nemotron', 'exaone', 'minicpm', 'phi-3.5-moe', 'jamba', 'lfm2', 'falcon-h1', 'solar'].some((k) => n.includes(k));
}

export interface LoraSlots {
  /** Bytes per GPU of this stage's slots. */
  bytes: number;
  /** Of which on the routed experts. */
  expertBytes: number;
  maxLoras: number;
  maxRank: number;
  /** Whether the embedding and lm_head have slots (vllmLoraEmbeddings). */
  embeddings: boolean;
}

/**
 * The LoRA slot buffers one GPU holds for `layers` decoder layers of this stage (the embedding's on the first stage,
 * the lm_head's on the last, where the model class has them: vllmLoraEmbeddings). A column-parallel layer keeps lora_a
 * whole (rank × input) and shards lora_b's output by TP; a row-parallel layer shards lora_a's input and keeps lora_b
 * whole; fully_sharded_loras splits the whole halves too. A packed projection (q/k/v, gate/up) has one lora_a per
 * slice. Routed experts: every local expert's w13 and w2 pairs.
 */
export function vllmLoraSlotBytes(a: Architecture, o: { tp: number; expertRanks: number; expertParallel: boolean; layers: number; first: boolean; last: boolean; maxLoras: number; maxRank: number; dt: number; experts: boolean; embeddings: boolean; fullySharded?: boolean }): LoraSlots {
  const r = o.maxRank;
  const tp = o.tp;
  const h = a.hidden;
  // Elements of one slot, per kind of layer. --fully-sharded-loras also shards the halves kept whole: a column layer's
  // lora_a by rank, a row layer's lora_b by output.
  const fs = o.fullySharded ? tp : 1;
  const column = (input: number, output: number, slices = 1) => r * ((slices * input) / fs + output / tp);
  const row = (input: number, output: number) => r * (input / tp + output / fs);
  const mlp = (ffn: number) => (a.gatedMlp !== false ? column(h, 2 * ffn, 2) : column(h, ffn)) + row(ffn, h);

  const hd = headDimOf(a);
  const kvWidth = Math.max(1, Math.floor(kvHeadsOf(a) / tp)) * tp * hd;
  let attention: number;
  if (a.mla) {
    // MLA: the fused q_a / kv_a projection (replicated, two slices), q_b or q_proj, kv_b, o_proj.
    const rope = a.mla.qkRopeHeadDim;
    const qk = (a.mla.qkNopeHeadDim ?? hd) + rope;
    const qa = a.mla.qLoraRank;
    const down = r * ((qa ? 2 : 1) * h + (qa ?? 0) + a.mla.kvLoraRank + rope);
    const q = qa ? column(qa, a.heads * qk) : column(h, a.heads * qk);
    attention = down + q + column(a.mla.kvLoraRank, a.heads * ((a.mla.qkNopeHeadDim ?? hd) + hd)) + row(a.heads * hd, h);
  } else {
    const qWidth = a.heads * hd * (a.attentionOutputGate ? 2 : 1);
    attention = column(h, qWidth + 2 * kvWidth, 3) + row(a.heads * hd, h);
  }
  const rec = recurrentLayersOf(a);
  const mixer = rec ? column(h, rec.projectionWidth) + row(rec.saved.outInput, h) : 0;
  const recurrent = rec ? rec.layers : 0;
  const moe = a.moe;
  const denseLayers = moe ? Math.min(a.layers, moe.denseLayers ?? 0) : a.layers;
  const moeLayers = a.layers - denseLayers;
  let expertPerLayer = 0;
  let moeOther = 0;
  if (moe) {
    const ef = moe.expertFfn ?? a.ffn;
    // Under expert parallel each GPU holds experts / ranks whole; otherwise every expert, its FFN split by TP.
    const local = o.expertParallel ? Math.ceil(moe.experts / o.expertRanks) : moe.experts;
    const ffn = o.expertParallel ? ef : ef / tp;
    // w13's lora_a (rank × hidden per slice) and w2's lora_b (hidden × rank) are the halves fully sharded splits.
    if (o.experts) expertPerLayer = local * r * (a.gatedMlp !== false ? (2 * h) / fs + 2 * ffn + ffn + h / fs : h / fs + ffn + ffn + h / fs);
    // The router (a replicated linear layer) and the shared experts (a dense MLP of their summed width).
    moeOther = r * (h + moe.experts) + (moe.sharedExperts ? mlp(ef * moe.sharedExperts) : 0);
  }
  // This stage's share of each kind of layer.
  const share = o.layers / a.layers;
  const perSlot = share * ((a.layers - recurrent) * attention + recurrent * mixer + denseLayers * mlp(a.ffn) + moeLayers * moeOther) + (o.embeddings && o.first ? r * (a.vocab + h) : 0) + (o.embeddings && o.last ? r * (h + a.vocab) : 0);
  const expertElements = share * moeLayers * expertPerLayer;
  const bytes = o.maxLoras * o.dt * (perSlot + expertElements);
  return { bytes, expertBytes: o.maxLoras * o.dt * expertElements, maxLoras: o.maxLoras, maxRank: r, embeddings: o.embeddings };
}
