// The second throughput reserve (TS5-01..TS5-19, no TS5-09/10/20/21): bench/data/throughput-reserve2.jsonl as the
// bench's ThroughputRow objects. Seventeen published training throughputs (tokens/s per GPU, each with its
// configuration), eleven of them MoE: torchtitan's DeepEP notes (Qwen3-30B-A3B on B200) and a Qwen3-30B-A3B tuning
// log on H200, AMD Primus (Megatron backend) on MI355X, ms-swift's Megatron-SWIFT MoE and dense examples, BLOOM-176B
// and its 181B prototypes (Megatron-DeepSpeed), Colossal-AI Gemini LLaMA-65B; bench/data/README.md, section
// throughput-reserve2.
//
// HELD OUT for the next change to step time (the MoE one): not wired into bench/estimator.mjs; written from the
// configurations alone; nothing here was checked against an estimate. Every row is part 'held-out'.
//
// Each row is mapped from its published configuration alone, field by field (the rules of
// bench/estimatorThroughputReserve.ts, with the frameworks this set adds):
// - model: a catalog preset where the catalog has the model (core/catalog/models.ts); else an architecture from
//   the row's architecture_notes when they give layers, hidden, heads, KV heads (or say MHA), FFN and vocabulary
//   (and for MoE the experts, active experts, expert FFN, shared experts, dense layers); else unmatched. No
//   architecture is taken from outside the row.
// - gpu: the catalog GPU the row names (gpuId of the TS4 loader, plus H200 → H200-SXM-141GB and MI355X →
//   MI355X-288GB). A GPU the row does not name is unmatched, however likely a guess.
// - gpus, micro (micro_batch), seq (seq_len), globalBatch (global_batch) as printed or derived by the gatherer.
// - precision: fp8 → fp8-mixed; bf16-mixed → bf16-mixed; bf16 (Megatron, DeepSpeed BF16_Optimizer, Colossal-AI:
//   fp32 master weights) → bf16-mixed; "bf16 or fp16" → bf16-mixed (the row's "bf16 likely").
// - parallelism: tp → tensor, pp → pipeline, vp → virtualPipelineStages, cp → context, ep → expert (each only when
//   > 1), etp → expertTensor when given (null: the spec default, = tensor, Megatron-Core's default). Families, from
//   the framework text: Megatron family (Megatron-LM/Core, Megatron-Bridge, NeMo, ms-swift's Megatron-SWIFT, AMD
//   Primus with its Megatron-LM backend): the distributed optimizer (zero 1), or Megatron FSDP (fsdp full) where
//   the row says FSDP; sequence parallel under TP. torchtitan: fsdp full (HSDP → hybrid); sequence parallel under
//   TP. DeepSpeed family (Megatron-DeepSpeed, BLOOM; checked before the Megatron family): the stated ZeRO stage;
//   sequence parallel only where the row says so (Megatron-DeepSpeed of 2022 had none). Colossal-AI Gemini: its
//   chunk-based ZeRO-3-style sharding as fsdp full (said in `note`).
// - checkpointing: none, selective or full as the row says; not stated (null) → none, as the TS4 rows assume.
// - extra: compile when the row says torch.compile. attention: the row's attention field where it names one
//   (flash-attn / attention_backend flash / xformers → flash, the spec default, so not set; Megatron's fused
//   softmax with no flash attention → eager); not stated → cudnn for the Megatron family on NVIDIA GPUs
//   (Transformer Engine picks cuDNN's fused attention on Hopper and newer; on Ampere it changes nothing), the
//   default on AMD (ROCm has no cuDNN; TE-ROCm's fused attention is CK/AOTriton flash) and for torchtitan.
// - note: what the spec cannot say (forced expert balancing, DeepEP or other dispatchers, packed SFT sequences,
//   uneven pipeline splits, figures before steady state, an assumed value). unmatched: the reason a row has no
//   configuration to express.
//
// The third throughput reserve (TS6-01..TS6-23, bench/data/throughput-reserve3.jsonl; readThroughputReserve3) goes
// through the same toRow, with the mapping extended only where TS5 rows never reach it (their output is unchanged):
// - gpu: H20 → H20-96GB (as a word, so never H200), MI300X → MI300X-192GB, MI325X → MI325X-256GB.
// - model: the TS6 model strings (catalog presets; the torchtitan DeepSeek-V3 16B flavor and NeMo's Grok-1 314B as
//   architectures from their rows' architecture_notes).
// - framework: NeMo 2.0 / Megatron-LM / FlagScale (a Megatron-LM fork) / ms-swift are the Megatron family and
//   torchtitan (its transformers modeling backend too) the FSDP family, by the same regular expressions as TS5;
//   precision 'mxfp8 …' → fp8-mixed and 'amp …' → bf16-mixed as before; attention 'flex' / 'varlen' → flash.
// Eleven of the 23 rows are MoE. HELD OUT like TS5 was: not wired into bench/estimator.mjs or bench/estimatorRows.ts,
// written from the configurations alone, nothing checked against an estimate.
//
// The fourth throughput reserve (TS7-01..TS7-23, bench/data/throughput-reserve4.jsonl; readThroughputReserve4) goes
// through the same toRow, with the mapping extended only where no TS5 or TS6 row reaches it (their output is unchanged):
// - model: the TS7 model strings: catalog presets (Mixtral 8x22B, Qwen3-235B-A22B; the TS5/TS6 strings reused for
//   Qwen3-30B-A3B, Qwen3-32B, Llama 3 8B and the torchtitan DeepSeek-V3 16B flavor) and, from the rows'
//   architecture_notes, Llama 4 Maverick (its 24 interleaved dense layers as denseLayers 24) and Moonlight-16B-A3B.
// - attention: a row whose attention text starts with 'sdpa' (PyTorch SDPA, TS7-08) → sdpa; no TS5/TS6 row's does.
// - GPUs (H100 80GB / 96GB, H800, B200, GB200), frameworks (Megatron-Core via the Megatron-MoE-ModelZoo scripts,
//   NeMo 2.0, Megatron-Bridge, Pai-Megatron-Patch: the Megatron family; torchtitan: the FSDP family) and precision
//   spellings all map by the TS5/TS6 rules unchanged.
// Eighteen of the 23 rows are MoE. HELD OUT like TS5/TS6: not wired into bench/estimator.mjs or
// bench/estimatorRows.ts, written from the configurations alone, nothing checked against an estimate.
//
// The fifth throughput reserve (TS8-01..TS8-24, bench/data/throughput-reserve5.jsonl; readThroughputReserve5), gathered
// 2026-12-07 and committed (5000495) before this mapping was written, goes through the same toRow, extended only where
// no earlier row reaches it (their output is unchanged):
// - model: architectures from the rows' architecture_notes: the flash-attention GPT-3 shapes (GELU MLP, tied,
//   vocabulary 50264), Paxml GPT-5B, NeMo GPT-3 175B, Nemotron-4 340B (squared-ReLU MLP: not gated), KempnerForge's
//   13B and its two small MoEs (every layer MoE, no shared expert); Llama 3 / 3.1 and Mixtral 8x22B as presets.
// - framework: KempnerForge (FSDP2 / DTensor TP) is the FSDP family (the torchtitan rules: fsdp full, sequence
//   parallel under TP); flash-attention's Lightning trainer, Lambda's fork and Paxml stay 'other' (the row's ZeRO
//   stage; Paxml's FSDP over a node's 8 GPUs with data parallel across nodes as fsdp hybrid, per row).
// - precision: trainer.precision 16 (fp16 AMP, TS8-04..06) → fp16-mixed, per row.
// - attention: Transformer Engine's fused attention (NVTE_FUSED_ATTN=1: cuDNN's on Hopper, TS8-15..17) → cudnn, per
//   row; 'sdpa (backend auto)' → sdpa by the TS7 rule; the flash-attention rows → flash.
// - unmatched: LLaMA-65B's whole-run figure (TS8-24: micro batch and tensor/pipeline degrees not stated).
// The KempnerForge nodes hold 4 H200 each; the bench's cluster has 8 per node (said in the notes: a gap).
// HELD OUT: written from the configurations alone, evaluated once with no formula change pending.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Architecture, AttentionImpl, Checkpointing, Parallelism, Precision } from '../core/spec/types';
import type { ThroughputRow } from './estimatorThroughput';
import { checkpointingOf, gpuId as reserveGpuId, MODELS as TS4_MODELS, type PublishedRow as ReservePublishedRow, type ReserveThroughputRow } from './estimatorThroughputReserve';

export const THROUGHPUT_RESERVE2_FILE = 'bench/data/throughput-reserve2.jsonl';
export const THROUGHPUT_RESERVE3_FILE = 'bench/data/throughput-reserve3.jsonl';
export const THROUGHPUT_RESERVE4_FILE = 'bench/data/throughput-reserve4.jsonl';
export const THROUGHPUT_RESERVE5_FILE = 'bench/data/throughput-reserve5.jsonl';

/** One line of throughput-reserve2/3/4.jsonl: the TS4 row, plus architecture notes and the attention kernel. */
interface PublishedRow extends ReservePublishedRow {
  architecture_notes: string | null;
  attention: string | null;
}

// ---------------------------------------------------------------- models the catalog lacks

/** A GPT-2/GPT-3-style decoder (multi-head attention, 4× GELU MLP, tied embeddings), as the TS8 rows' notes give it. */
function gptStyle(layers: number, hidden: number, heads: number, vocab: number, maxContext: number): { architecture: Architecture } {
  return { architecture: { layers, hidden, heads, kvHeads: heads, headDim: hidden / heads, ffn: 4 * hidden, vocab, gatedMlp: false, tiedEmbeddings: true, maxContext } };
}

/** KempnerForge's small Llama-3-style MoE (TS8-13/14): 24 layers of dim 2048, 16 heads, 4 KV heads, every layer MoE, top-2 of `experts` SwiGLU experts of 7168, no shared expert. */
function kempnerMoe(experts: number): { architecture: Architecture } {
  return {
    architecture: { layers: 24, hidden: 2048, heads: 16, kvHeads: 4, headDim: 128, ffn: 7168, vocab: 128256, gatedMlp: true, tiedEmbeddings: false, maxContext: 4096, moe: { experts, activeExperts: 2, expertFfn: 7168 } },
  };
}

// The BLOOM 181B prototype of bigscience's topology search (TS5-17/18), from the rows' architecture_notes alone:
// "72 layers, hidden 14336, FFN 4x (57344, GeLU), heads 64 ..., vocab ~250k (250,880 padded), seq 2048, tied
// embeddings"; GPT/BLOOM-style, so multi-head attention (KV heads = heads). ALiBi and the embedding LayerNorm are
// not in the spec.
const bloomPrototype181b: { architecture: Architecture } = {
  architecture: { layers: 72, hidden: 14336, heads: 64, kvHeads: 64, ffn: 57344, vocab: 250880, gatedMlp: false, tiedEmbeddings: true, maxContext: 2048 },
};

// torchtitan's deepseek_v3 '16B' flavor (TS6-06), from the row's architecture_notes (the run's printed
// DeepSeekV3ModelArgs): 27 layers (1 dense), hidden 2048, 16 heads, MLA (kv_lora_rank 512, qk_rope_head_dim 64, head
// dim 128, no q LoRA), dense FFN 10944, 64 routed experts top-6 + 2 shared of FFN 1408, vocab 102400, untied; the
// shapes of DeepSeek-V2-Lite, written the way the catalog writes that model.
const torchtitanDsv3_16b: { architecture: Architecture } = {
  architecture: {
    layers: 27,
    hidden: 2048,
    heads: 16,
    kvHeads: 16,
    headDim: 128,
    ffn: 10944,
    vocab: 102400,
    gatedMlp: true,
    tiedEmbeddings: false,
    maxContext: 4096,
    moe: { experts: 64, activeExperts: 6, sharedExperts: 2, expertFfn: 1408, denseLayers: 1 },
    mla: { kvLoraRank: 512, qkRopeHeadDim: 64 },
  },
};

// Grok-1 314B (TS6-09..11), from the rows' architecture_notes (xAI's published config): 64 layers, hidden 6144, 48
// query heads, 8 KV heads of 128, 8 experts top-2 of FFN 32768 (gated), no shared experts, vocab 131072, tied
// embeddings, sequence 8192. NeMo's own Grok-1 config is not read (said in the rows).
const grok1: { architecture: Architecture } = {
  architecture: { layers: 64, hidden: 6144, heads: 48, kvHeads: 8, headDim: 128, ffn: 32768, vocab: 131072, gatedMlp: true, tiedEmbeddings: true, maxContext: 8192, moe: { experts: 8, activeExperts: 2, expertFfn: 32768 } },
};

// Llama 4 Maverick 400B (TS7-04..07), from the rows' architecture_notes (the published text_config): 48 layers,
// hidden 5120, 40 query heads, 8 KV heads of 128, dense-layer FFN 16384, MoE on every other layer (24 of 48) with 128
// routed experts top-1 + 1 shared expert of FFN 8192, vocab 202048, untied, 1M positions. The spec has only leading
// dense layers: the 24 interleaved dense layers are written as denseLayers 24 (same parameters and FLOPs, other
// placement). Chunked attention, NoPE layers and QK-norm are not in the spec.
const llama4Maverick: { architecture: Architecture } = {
  architecture: {
    layers: 48,
    hidden: 5120,
    heads: 40,
    kvHeads: 8,
    headDim: 128,
    ffn: 16384,
    vocab: 202048,
    gatedMlp: true,
    tiedEmbeddings: false,
    maxContext: 1048576,
    moe: { experts: 128, activeExperts: 1, sharedExperts: 1, expertFfn: 8192, denseLayers: 24 },
  },
};

// Moonlight-16B-A3B (TS7-10/11), from the rows' architecture_notes (the published config, DeepseekV3ForCausalLM): 27
// layers (the first dense), hidden 2048, 16 heads, MLA (kv_lora_rank 512, qk_rope_head_dim 64, head dim 128, no q
// LoRA), dense FFN 11264, 64 routed experts top-6 + 2 shared of FFN 1408, vocab 163840, untied, 8K positions: the
// DeepSeek-V2-Lite shape of torchtitan's 16B flavour above, with its own FFN, vocabulary and context.
const moonlight16b: { architecture: Architecture } = {
  architecture: { ...torchtitanDsv3_16b.architecture, ffn: 11264, vocab: 163840, maxContext: 8192 },
};

/** The row's `model` field → a catalog preset or an architecture: the TS4 loader's table, and these. */
const MODELS: Record<string, ThroughputRow['model']> = {
  ...TS4_MODELS,
  'Qwen/Qwen3-30B-A3B': { preset: 'qwen3-30b-a3b' },
  'Qwen/Qwen3-30B-A3B-Base': { preset: 'qwen3-30b-a3b' },
  'Qwen/Qwen1.5-MoE-A2.7B': { preset: 'qwen1.5-moe-a2.7b' },
  'Qwen/Qwen2.5-14B': { preset: 'qwen2.5-14b' },
  'Qwen/Qwen2.5-7B': { preset: 'qwen2.5-7b' },
  'BLOOM-style 181B prototype (unreleased)': bloomPrototype181b,
  // TS6 (throughput-reserve3.jsonl)
  'openai/gpt-oss-20b': { preset: 'gpt-oss-20b' },
  'torchtitan deepseek_v3 16B flavor (DeepSeek-V2-Lite shapes)': torchtitanDsv3_16b,
  'xai-org/grok-1 (NeMo Grok-1 314B recipe)': grok1,
  'Qwen/Qwen3-8B': { preset: 'qwen3-8b' },
  'Qwen/Qwen3-14B': { preset: 'qwen3-14b' },
  'Qwen/Qwen3-32B': { preset: 'qwen3-32b' },
  // TS7 (throughput-reserve4.jsonl); the strings above (and the TS4 table's) serve its Qwen3-30B-A3B,
  // Qwen3-32B, Qwen3-235B-A22B, Llama 3 8B and torchtitan DeepSeek-V3 16B rows.
  'mistralai/Mixtral-8x22B-v0.1': { preset: 'mixtral-8x22b' },
  'meta-llama/Llama-4-Maverick-17B-128E': llama4Maverick,
  'moonshotai/Moonlight-16B-A3B': moonlight16b,
  // TS8 (throughput-reserve5.jsonl): architectures from the rows' architecture_notes, presets otherwise.
  'GPT-3 760M shape (flash-attention training/configs/experiment/pile/gpt3l-flash.yaml; no HF checkpoint)': gptStyle(24, 1536, 16, 50264, 2048),
  'GPT-3 1.3B (XL) shape (flash-attention training/configs/experiment/pile/gpt3xl-flash.yaml; no HF checkpoint)': gptStyle(24, 2048, 16, 50264, 2048),
  'GPT-3 2.7B shape with 20 heads of 128 (flash-attention training/configs/experiment/pile/gpt3-2.7B-flash-hdim128.yaml; no HF checkpoint)': gptStyle(32, 2560, 20, 50264, 2048),
  'GPT-3 2.7B shape (LambdaLabsML/flash-attention owt/gpt3-2.7B-flash.yaml; no HF checkpoint)': gptStyle(32, 2560, 32, 50264, 1024),
  'KempnerForge 13B (Llama-3-style, no HF checkpoint)': {
    architecture: { layers: 40, hidden: 5120, heads: 40, kvHeads: 8, headDim: 128, ffn: 17920, vocab: 128256, gatedMlp: true, tiedEmbeddings: false, maxContext: 4096 },
  },
  'KempnerForge MoE E=8 (Llama-3-style, no HF checkpoint)': kempnerMoe(8),
  'KempnerForge MoE E=16 (Llama-3-style, no HF checkpoint)': kempnerMoe(16),
  'GPT-3 5B shape (Paxml GPT5B; no HF checkpoint)': { architecture: { ...gptStyle(24, 4096, 32, 50304, 2048).architecture } },
  'nvidia/Nemotron-4-340B-Base': {
    architecture: { layers: 96, hidden: 18432, heads: 96, kvHeads: 8, headDim: 192, ffn: 73728, vocab: 256000, gatedMlp: false, tiedEmbeddings: false, maxContext: 4096 },
  },
  'GPT-3 175B shape (NeMo gpt3_175b_hydra.yaml; no HF checkpoint)': gptStyle(96, 12288, 96, 50688, 2048),
  'huggyllama/llama-65b (LLaMA-1 65B)': {
    architecture: { layers: 80, hidden: 8192, heads: 64, kvHeads: 64, headDim: 128, ffn: 22016, vocab: 32000, gatedMlp: true, tiedEmbeddings: false, maxContext: 2048 },
  },
};

// ---------------------------------------------------------------- field mapping

/** The catalog GPU a row's `gpu` text names: the TS4 loader's, plus H200 and MI355X (TS5), H20, MI300X and MI325X (TS6). */
export function gpuId2(text: string): string | undefined {
  const t = text.toLowerCase();
  if (t.includes('mi355x')) return 'MI355X-288GB';
  // TS6 additions (no TS5 row's GPU text contains them): H20 as a word (never H200), MI300X, MI325X.
  if (/\bh20\b/.test(t)) return 'H20-96GB';
  if (t.includes('mi300x')) return 'MI300X-192GB';
  if (t.includes('mi325x')) return 'MI325X-256GB';
  if (t.includes('h200') && !t.includes('gh200')) return 'H200-SXM-141GB';
  return reserveGpuId(text);
}

type Family = 'megatron' | 'fsdp' | 'deepspeed' | 'gemini' | 'other';

/** The framework family, from the framework text (DeepSpeed first: Megatron-DeepSpeed is not the Megatron family). */
export function familyOf2(framework: string): Family {
  if (/deepspeed/i.test(framework)) return 'deepspeed';
  if (/colossal/i.test(framework)) return 'gemini';
  if (/torchtitan|kempnerforge/i.test(framework)) return 'fsdp';
  if (/megatron|nemo|primus|ms-swift/i.test(framework)) return 'megatron';
  return 'other';
}

function precisionOf(r: PublishedRow): Precision {
  const p = (r.precision ?? '').toLowerCase();
  if (/^(fp8|mxfp8)\b/.test(p)) return 'fp8-mixed';
  if (/^bf16\b/.test(p) && /pure bf16/i.test(r.notes)) return 'bf16';
  return 'bf16-mixed';
}

/** ZeRO stage from the row's `zero` field: a number or "N (…)". */
function zeroOf(z: number | string | null): 0 | 1 | 2 | 3 | undefined {
  if (z === null) return undefined;
  if (typeof z === 'number') return z as 0 | 1 | 2 | 3;
  const m = /^\s*([0-3])\b/.exec(z);
  return m ? (Number(m[1]) as 0 | 1 | 2 | 3) : undefined;
}

function parallelismOf(r: PublishedRow, family: Family, gpus: number): Parallelism {
  const p = r.parallelism;
  const out: Parallelism = {};
  const tp = p.tp ?? 1;
  if (tp > 1) out.tensor = tp;
  if ((p.pp ?? 1) > 1) out.pipeline = p.pp!;
  if ((p.vp ?? 1) > 1) out.virtualPipelineStages = p.vp!;
  if ((p.cp ?? 1) > 1) out.context = p.cp!;
  if ((p.ep ?? 1) > 1) out.expert = p.ep!;
  if (p.etp != null) out.expertTensor = p.etp;
  if (family === 'megatron') {
    if (p.fsdp === true) out.fsdp = 'full';
    else out.zero = 1;
    if (tp > 1) out.sequenceParallel = true;
  } else if (family === 'fsdp') {
    const f = typeof p.fsdp === 'string' ? p.fsdp : '';
    out.fsdp = gpus === 1 && !p.fsdp ? 'none' : /hsdp|hybrid/i.test(f) ? 'hybrid' : 'full';
    if (tp > 1 && p.sequence_parallel !== false) out.sequenceParallel = true;
  } else if (family === 'gemini') {
    out.fsdp = 'full';
  } else {
    const z = zeroOf(p.zero);
    if (z !== undefined) out.zero = z;
    if (tp > 1 && p.sequence_parallel === true) out.sequenceParallel = true;
  }
  return out;
}

/** The attention implementation: the row's stated one, else the family's default (undefined = the spec default, flash). */
function attentionOf(r: PublishedRow, family: Family, gpu: string): AttentionImpl | undefined {
  const a = (r.attention ?? '').toLowerCase();
  if (a) {
    if (/no flash|fused softmax|eager/.test(a)) return 'eager';
    if (/cudnn/.test(a)) return 'cudnn';
    if (/^sdpa\b/.test(a)) return 'sdpa'; // TS7 addition (no TS5/TS6 row's attention starts with 'sdpa')
    return undefined; // flash-attn, attention_backend flash, xformers memory-efficient, flex, varlen: flash
  }
  return family === 'megatron' && !gpu.startsWith('MI') ? 'cudnn' : undefined;
}

// ---------------------------------------------------------------- per-row judgment

const TT_DEEPEP = 'DeepEP dispatch/combine (not in the spec: counted as the default all-to-all)';
const FORCED = 'forced uniform expert routing (debug_moe_force_load_balance / even routing), optimistic vs real routing; the spec counts balanced experts either way';
const TT_FORK = 'a personal fork’s tuning log, one log line at step 10 (possibly before steady state, routing not forced); selective AC and compile inherited from Exp 4’s config block as the row assumes; torchtitan selective AC read as selective; FSDP over 8 (dp_shard not printed)';
const PRIMUS =
  'AMD Primus (Megatron-LM backend) as the Megatron family: distributed optimizer assumed (not printed); TP 1, DP 8 and GA 8 inferred by the gatherer from tokens/s/GPU; recompute not stated: none; tensorwise FP8 (Primus-Turbo) as fp8-mixed; attention left at the default (ROCm has no cuDNN); 8 MI355X in one node over Infinity Fabric; an agent-generated report in the Primus repo, mean of iterations 11-20';
const SWIFT = 'ms-swift Megatron-SWIFT as the Megatron family: distributed optimizer (ms-swift default, "likely"); full-parameter SFT on packed sequences (each filled up to max_length: the figure is an upper bound)';

const TT_DSV3_671B =
  'torchtitan PR #2107 run: 64 nodes × 8 H100 80GB (interconnect not stated in the row: the bench’s NDR), FSDP 64 × PP 8 Interleaved1F1B (VP 2 = torchtitan’s default 2 stages per rank, not printed; 61 layers split unevenly) × EP 32 (ETP 1); local batch 16 as 16 pipeline microbatches of 1 (GBS 1024 inferred); full AC, compile; one log line';
const TT_3105 = 'torchtitan PR #3105 (symmetric-memory FSDP, column symm_mem off): 4 GB200 (one NVL72 tray), FSDP 4, the model’s default config of that commit assumed (the PR says only "default trainer path"); mean of steps 21-100';
const TT_NVFP4 = 'torchtitan nvfp4.md (PR #3914): 4 GB200 (from the PR’s environment block), FSDP 4, local batch 32 × seq 2048 (GBS 128), eager + torch.compile, step 760 of a 200M-token C4 run';
const NEMO_DGX =
  'NVIDIA DGX Cloud Benchmarking recipe (release 25.05.04) running NeMo 2.0 25.04 performance scripts: distributed optimizer and sequence parallel assumed as the Megatron family (not printed); mean step time of iterations 11-44 over the recipe’s GBS × seq; interconnect as the bench’s default (NDR, NVL72 for GB200)';
const GROK = 'Grok-1 314B from xAI’s published config (NeMo’s own Grok-1 config, vocabulary and tying not read; the recipe passes 64 layers and hidden 6144); recompute not stated: none; routing/balancing as NeMo defaults';
const SWIFT_H20 =
  'ms-swift Megatron-SWIFT on 8 H20 (test_env H20): full-parameter SFT on sequences packed to 8192 (the figure is an upper bound), TP 4 + SP, DP 2, GA 8, selective recompute, distributed optimizer (ms-swift default, assumed); precision-aware optimizer with bf16 Adam moments (not in the spec); s/it rounded to whole seconds; flash attention as stated';
const MLM_LLAMA = 'Megatron-LM examples/llama README FP8 table: H100 inferred from the README’s example script (the table names no GPU); FP8 hybrid (delayed scaling) as fp8-mixed; distributed optimizer; recompute not stated: none; figures likely NeMo performance runs of the time';
const L405 = 'Llama 3.1 405B BF16, 126 layers over PP 8 × VP 8 (NeMo’s uneven split; the spec rule wants even stages), CP 2; recompute not stated: none';
const FLAGSCALE =
  'FlagPerf llama2_70B-megatron (FlagScale, a Megatron-LM fork) on 4 × 8 H800 over 200 Gb/s InfiniBand (the bench’s NDR assumed): "amp" read as bf16-mixed, distributed optimizer and sequence parallel assumed as the Megatron family (not printed), LBS 1 × GAS 44 (GBS 44), no recompute, flash attention 2; config file named config_H100x4x8.py though the hardware is H800';

const MZ_8X22B =
  'NVIDIA Megatron-MoE-ModelZoo Mixtral 8x22B script: an "around" TFLOPS figure for H100 (80 GB SXM assumed; interconnect not stated: the bench’s NDR) converted with Megatron-LM’s FLOPs per token (2.42168e11); 16 nodes × 8, TP 2 (sequence parallel) × PP 8 × VP 7 (1 layer per virtual stage) × EP 8 (ETP 1), DP 8, MBS 1, GBS 256 (GA 32); distributed optimizer; no recompute; alltoall dispatcher with grouped GEMM and permute/router fusion; attention backend not printed (--use-flash-attn is a legacy flag): cuDNN as the Megatron family; the run’s Llama 2 tokenizer (vocab 32000) against the preset’s 32768; Megatron-LM dev branch not pinned';
const MAVERICK =
  'NVIDIA DGX Cloud Benchmarking recipe (release 25.05.04) running NeMo 2.0 25.04.01 pretrain_llama4_e128: mean step time of iterations 11-44 over GBS × 8192; architecture from the row’s notes (24 interleaved dense layers as denseLayers 24: the spec places them first, which only the GB200 rows’ PP 2 split can notice); distributed optimizer, sequence parallel under TP, recompute (none), routing and attention backend are NeMo defaults not printed (cuDNN as the Megatron family); interconnect as the bench’s default (NDR, NVL72 for GB200)';
const TT_1610 =
  'torchtitan PR #1610 run (deepseek_v3_16b.toml, --parallelism.expert_parallel_degree=8): 8 GPUs, H100 96 GB from the memory percentage (not named by the PR), FSDP 8 × EP 8 (ETP 1), local batch 8 (GBS 64), seq 4096, selective op AC read as selective, compile of the loss only (model eager), real routing; architecture from the row’s notes (DeepSeek-V2-Lite shapes, the TS6-06 flavor); step-100 line of a 100-step run';
const MOONLIGHT =
  'Megatron-Bridge recompute study (2026-08-12): the Moonlight 16B H100 BF16 pretraining recipe on 8 H100 80GB, TP 2 (sequence parallel) × EP 8 (ETP 1), DP 4, MBS 1, GBS 4 (GA 1), seq 4096, mock data, mean of iterations 11-20; distributed optimizer with bf16 grads and Adam moments (not in the spec); alltoall dispatcher, grouped GEMM, shared-expert overlap; no CUDA graphs; fused (cuDNN) attention as the doc says; architecture from the row’s notes (the published config)';
const PAI_235B =
  'Pai-Megatron-Patch issue #658 speed test on 256 H800 (PAI-DLC), Qwen3-235B-A22B BF16 (assumed from the README example), PP 32 × VPP 3 over 94 layers (96 virtual stages: uneven, the embedding/loss presumably counted; the spec rule wants even stages), EP 8; distributed optimizer and sequence parallel from the README example; flash attention as the example sets (FL=true); forced uniform expert routing for the test (optimistic), CUDA graphs removed';
const PAI_30B =
  'Pai-Megatron-Patch issue #643 speed test on 16 H800 (PAI-DLC; the environment line says 32 or 64 GPUs, the table and its Tokens/GPU/Second say 16), Qwen3-30B-A3B BF16 (assumed from the README example), TP 1, ETP 1, MBS 1, seq 8192, no recompute, CUDA graphs removed; --moe-expert-capacity-factor 1.0 (token dropping, which the spec cannot say: counted as dropless); flash attention as the README example sets (FL=true); distributed optimizer';
const TT_QWEN32B = 'torchtitan PR #1690 (Qwen3 32B configs): H100 96 GB from the memory percentages (not named by the PR), seq 4096, full AC (the toml’s mode; the table says so for the TP rows), real single log lines on C4';

const FA_README =
  'flash-attention training README (8 × A100 80GB SXM4 400 W, NVLink; FlashAttention 1 era, NGC 22.11): node throughput rounded to three figures, divided by 8; DDP with ZeroRedundancyOptimizer (ZeRO 1); micro batch from the config’s GPU-memory rule; no activation checkpointing; fused dense+GELU, dropout-add-LayerNorm and cross-entropy kernels (not in the spec); learned position embeddings and biases not in the spec; steps timed not stated';
const LAMBDA = 'LambdaLabs flash-attention-2 fork (OpenWebText, 100-step run with 10 warm-up steps): fp16 AMP inferred from trainer.precision 16 (the README does not restate it); ZeroRedundancyOptimizer (ZeRO 1); head dim 80; seq 1024; no checkpointing; fused MLP (not in the spec)';
const KEMPNER =
  'KempnerForge MFU-scaling report (H200, 4 per node: the bench’s cluster has 8 per node, so its intra-node span is wider), 20-step runs, steady state of the last 5: bf16 mixed, full activation checkpointing, fused AdamW, torch.compile (but TS8-10), SDPA backend auto as sdpa; job tokens/s divided by the GPU count';
const KEMPNER_MOE =
  'KempnerForge packed-expert MoE report: 8 H200 over 2 nodes of 4, FSDP2 8 with no expert parallelism, experts run with torch._grouped_mm on tokens padded to the largest expert’s count (not in the spec), random init so routing is near-uniform (balanced, as the spec counts), eager, full AC, median of the last 10 of 20 steps; every layer MoE, no shared expert';
const PAX =
  'NVIDIA dgxc-benchmarking Paxml GPT-5B (JAX/XLA, JAX-Toolbox pax-2024.03.04, Transformer Engine): FSDP 8 over each node’s GPUs × data parallel across nodes as fsdp hybrid; SAVE_DOT_ONLY rematerialisation read as selective; NVTE_FUSED_ATTN=1 (Transformer Engine’s fused attention, cuDNN’s on Hopper) as cudnn; last logged step of a 500-step run; JAX/XLA is not a framework the efficiency table names';
const DGXC_NEMO = 'NVIDIA dgxc-benchmarking NeMo (Megatron-Core with Transformer Engine, synthetic data): distributed fused Adam (ZeRO 1), sequence parallel; last step of a 100-step run; cluster interconnect not stated (the bench’s NDR); attention backend not printed (cuDNN as the Megatron family)';
const AMD_QUOTED = 'AMD’s measured 8-node figures as quoted in the Primus projection notes (AMD’s page not read): framework, global batch, recompute and routing of the measured run not stated (recompute as none, the global batch as micro × GPUs, the bench’s default)';

/** What a row needs beyond the generic mapping: an assumed value, an override, a gap, or why it cannot be expressed. */
interface Judgment {
  note?: string;
  micro?: number;
  model?: ThroughputRow['model'];
  parallelism?: Partial<Parallelism>;
  checkpointing?: Checkpointing;
  precision?: Precision;
  attention?: AttentionImpl;
  unmatched?: string;
  /** The row's GPU text only guesses a GPU ("A800 likely"): no catalog GPU is taken from it. */
  gpuUnnamed?: boolean;
}

const JUDGMENT: Record<string, Judgment> = {
  'TS5-01': { note: `${TT_DEEPEP}; ${FORCED}; 128 experts top-8 over EP 8 (ETP 1) inside one node; FSDP2 over 8; GBS 64 = LBS 8 × 8 (inferred)` },
  'TS5-02': { note: `${TT_DEEPEP}; ${FORCED}; EP 8 kept inside each node, FSDP2 over all 128 ranks; weak-scaling LBS 10; GBS 1280 = 10 × 128 (inferred)` },
  'TS5-03': { note: `torchtitan's default expert parallelism (all-to-all); config not printed for this baseline: assumed identical to TS5-01 (LBS 8, full AC, compile, EP 8) but the dispatcher (medium confidence); ${FORCED}` },
  'TS5-04': { note: `${TT_FORK}; EP 8 (ETP 1)` },
  'TS5-05': { note: `${TT_FORK}; EP 4 (ETP 1) over FSDP 8` },
  'TS5-06': { note: `${TT_FORK}; EP 4 (ETP 1) over FSDP 8; seq 12288` },
  'TS5-07': { note: `${PRIMUS}; ${FORCED}; baseline run r0_base (installed Primus-Turbo, fused activation)` },
  'TS5-08': { note: `${PRIMUS}; ${FORCED}; tuned cfg2: Turbo grouped GEMM, FP8 permute, fused QK-norm/RoPE and DeepEP with 160 CUs, none of which the spec says (its twin cfg1 hit NaN loss)` },
  'TS5-11': {
    note: `${SWIFT}; expert tensor parallel not set in the command: the spec default (= TP 2, Megatron-Core's default; ms-swift may set 1), EP 8 × ETP 2 = 16; a later example script quotes the same 9.6 s/it with PP 2 EP 8 instead of TP 2 EP 8 (layout ambiguous); 'full (uniform, 1 layer)' as full; flash-attn as stated (not cudnn); moe_grouped_gemm, shared_expert_overlap not in the spec; DP 8, GA 2 inferred`,
  },
  'TS5-12': {
    note: `${SWIFT}; A800 80GB inferred by the gatherer (the script names no GPU; the Megatron-SWIFT doc's 2.93 s/it is on 8 × A800); PP 2 split 13/11 in the run (last stage 11 of 24 layers), even 12/12 in the spec; attention_backend flash as stated (not cudnn); DP 4, GA 4 inferred`,
  },
  'TS5-13': {
    gpuUnnamed: true,
    unmatched: "GPU not named (the script gives only '8 * 60GiB'; A800 is a guess) and moonshotai/Moonlight-16B-A3B-Instruct is not in the catalog, with no architecture_notes in the row (its notes give only MLA, 64 routed experts top-6 + 2 shared and 27 layers: no hidden, heads, FFN or vocabulary)",
  },
  'TS5-14': {
    note: `${SWIFT}; measured with the doc's benchmark, config from base_to_chat.sh (TP 4, MBS 1, GBS 16, selective = core-attention recompute), script version not pinned; flash-attn as stated (not cudnn); DP 2, GA 8 inferred`,
  },
  'TS5-15': {
    note: `${SWIFT} (LongWriter-6k at 32K: the fill is unknown, so the real tokens per step may be well below 8 × 32768); A100 80GB from the 50 GB used, SXM assumed; ZeRO not stated: the distributed optimizer, moot at DP 1; flash-attn as stated (not cudnn); GA 8 inferred`,
  },
  'TS5-16': {
    unmatched: "bigscience/bloom (BLOOM-176B) is not in the catalog and the row gives no architecture_notes (the loader takes architectures from the row only; BLOOM's published config.json would express it)",
  },
  'TS5-17': {
    note: 'Megatron-DeepSpeed as the DeepSpeed family: ZeRO-1 as stated, no sequence parallel; architecture from the row’s notes (heads 64 called ambiguous there; MHA assumed); precision not stated: bf16-mixed (the row’s "bf16 likely"); full recompute assumed as in all bigscience runs; Megatron fused softmax (no flash) as eager; ALiBi not in the spec; throughput at iteration 2 (not steady state); Jean Zay’s interconnect not stated in the row: the bench’s NDR',
  },
  'TS5-18': {
    note: 'Megatron-DeepSpeed as the DeepSpeed family: ZeRO-1 as stated, no sequence parallel; architecture from the row’s notes (heads 64 called ambiguous there; MHA assumed); precision not stated: bf16-mixed (the row’s "bf16 likely"); full recompute assumed as in all bigscience runs; Megatron fused softmax (no flash) as eager; ALiBi not in the spec; throughput at iteration 2 (not steady state); Jean Zay’s interconnect not stated in the row: the bench’s NDR',
  },
  'TS5-19': {
    unmatched: "huggyllama/llama-65b (LLaMA-65B) is not in the catalog and the row gives no architecture_notes (the loader takes architectures from the row only); were it expressed: Colossal-AI Gemini's chunk-based ZeRO-3-style sharding as fsdp full, bf16-mixed, full recompute, xformers attention as flash",
  },
  // ---- TS6 (throughput-reserve3.jsonl)
  'TS6-01': { note: `${TT_DSV3_671B}; ${TT_DEEPEP}; ${FORCED}` },
  'TS6-02': { note: `${TT_DSV3_671B}; torchtitan's default all-to-all dispatcher; the PR prints one config block (the DeepEP one): this baseline assumed identical but the dispatcher; ${FORCED}` },
  'TS6-03': { note: `${TT_3105}; torch.compile on (components not stated: model assumed)` },
  'TS6-04': { note: `${TT_3105}; eager (no torch.compile)` },
  'TS6-05': {
    note: "torchtitan's transformers modeling backend (Hugging Face Qwen3-MoE modeling code under FSDP2 + EP; a slower MoE implementation than torchtitan's own, which the spec cannot say); FSDP 8 with EP 8 (ETP 1); step-500 log line, routing not forced; H100 96 GB from the printed memory percentage",
  },
  'TS6-06': {
    note: "a developer's test log (PR #1616), step 100 of 100: PP 4 Interleaved1F1B with 8 stages (VP 2; 27 layers split unevenly, the spec rule wants even stages) over FSDP 2, no EP in the mesh, full AC, loss-only compile (model eager); flex attention with block-causal mask as flash; architecture from the row's notes (DeepSeek-V2-Lite shapes); routing not forced",
  },
  'TS6-07': { note: `${NEMO_DGX}; selective recompute of the MLA up-projections (mla_up_proj); 61 layers on PP 8 split unevenly; MTP layers, router balancing and token dropping are recipe defaults not stated (not counted)` },
  'TS6-08': { note: `${NEMO_DGX}; selective recompute of core attention; 61 layers on PP 4 split unevenly; MTP, router balancing and token dropping are recipe defaults not stated (not counted); GB200 NVL72 at 4 GPUs per node` },
  'TS6-09': { note: `${NEMO_DGX}; ${GROK}; BF16; CUDA graphs on (not in the spec)` },
  'TS6-10': { note: `${NEMO_DGX}; ${GROK}; FP8 recipe (delayed/current/block scaling) not stated, as fp8-mixed; CUDA graphs on (not in the spec)` },
  'TS6-11': { note: `${NEMO_DGX}; ${GROK}; BF16, CP 2 with VP 8 (one layer per virtual stage); figures revised once in the recipe repo` },
  'TS6-12': { note: `${TT_NVFP4}; BF16 baseline config assumed = llama3_8b (per-op selective AC) with model compile` },
  'TS6-13': { note: `${TT_NVFP4}; torchao MXFP8 linears (llama3_8b_mxfp8) as fp8-mixed; whether the output layer stays bf16 not stated` },
  'TS6-14': {
    note: "torchtitan FSDP2 over 4 GB200 (one NVL72 tray), the nvfp4.md Qwen3 8B run: GPU from the memory percentage (the same 184.3 GiB device as the PR's 4x GB200), BF16 baseline's config not named (per-op selective AC and varlen attention assumed from sft_qwen3_8b_math); varlen attention as flash; random-init C4 at step 1,520",
  },
  'TS6-15': { note: `${TT_3105}; Qwen3 32B, torch.compile on` },
  'TS6-16': { note: `${SWIFT_H20}; FP8 blockwise (e4m3, fp8_param_gather) as fp8-mixed` },
  'TS6-17': { note: `${SWIFT_H20}; BF16 run of the same script (its command assumed identical minus the fp8 flags)` },
  'TS6-18': { note: `${MLM_LLAMA}; CP 2, DP 4; fused (cuDNN) attention as the example script sets` },
  'TS6-19': { note: `${MLM_LLAMA}; TP 4 PP 8 VP 5 (interleaved), DP 2; attention backend not stated: cuDNN (Megatron family default)` },
  'TS6-20': { note: `${NEMO_DGX}; ${L405}` },
  'TS6-21': { note: `${NEMO_DGX}; ${L405}` },
  'TS6-22': { note: `${FLAGSCALE}; TP 4 PP 8` },
  'TS6-23': { note: `${FLAGSCALE}; TP 8 PP 4` },
  // ---- TS7 (throughput-reserve4.jsonl)
  'TS7-01': { note: `${MZ_8X22B}; real (aux-loss) routing, dropless` },
  'TS7-02': { note: `${MZ_8X22B}; ${FORCED}` },
  'TS7-03': { note: `${MZ_8X22B}; FP8 blockwise (e4m3, fp8 param gather, bf16 Adam moments: not in the spec) as fp8-mixed; ${FORCED}` },
  'TS7-04': { note: `${MAVERICK}; GB200 NVL72 (4 GPUs per node), PP 2 × VP 12 (2 layers per virtual stage), EP 64, DP 64; CUDA graphs off` },
  'TS7-05': { note: `${MAVERICK}; GB200 NVL72, as TS7-04; FP8 recipe not stated (the recipe's next release says MXFP8 on GB200) as fp8-mixed` },
  'TS7-06': { note: `${MAVERICK}; H100, TP 4 (sequence parallel) × EP 128 × ETP 4, DP 128 (the table's VP 12 is moot at PP 1; launch.sh sets VP 1); CUDA graphs off` },
  'TS7-07': { note: `${MAVERICK}; H100 as TS7-06; FP8 recipe not stated (the next release says delayed scaling on H100) as fp8-mixed; CUDA graphs on (not in the spec)` },
  'TS7-08': { note: `${TT_1610}; PyTorch SDPA's memory-efficient kernel (flash cannot run with V head dim 128 ≠ QK 192) as sdpa; steps 60-100: 6,133-6,721` },
  'TS7-09': { note: `${TT_1610}; FlexAttention with block-causal document masking (fewer attention FLOPs than the spec's causal 4096) as flash; steps 60-100: 8,240-8,667` },
  'TS7-10': { note: `${MOONLIGHT}; the control row: selective granularity with no module listed, as none` },
  'TS7-11': { note: `${MOONLIGHT}; recompute of the grouped-expert activation only (moe_act), as selective` },
  'TS7-12': { note: `${PAI_235B}; TP 1, DP 8, MBS 4, GA 128; full recompute (uniform, 1 layer)` },
  'TS7-13': { note: `${PAI_235B}; TP 2 (sequence parallel), DP 4, MBS 4, GA 256; full recompute (uniform, 1 layer); ETP 1 assumed (the README example)` },
  'TS7-14': { note: `${PAI_235B}; TP 2 (sequence parallel), DP 4, MBS 1, GA 512; recompute of moe_act and layernorm as selective; ETP 1 assumed (the README example)` },
  'TS7-15': { note: `${PAI_235B}; TP 1, DP 8, MBS 1, GA 256; recompute of the whole MoE block and layernorm (more than the spec's selective) as selective` },
  'TS7-16': { note: `${PAI_30B}; PP 2 × EP 8, DP 8, GA 16` },
  'TS7-17': { note: `${PAI_30B}; PP 4 × EP 4, DP 4, GA 64` },
  'TS7-18': {
    note: "a user's torchtitan comparison run in a PithTrain issue (torchtitan version not stated): 8 × B200 in one node, FSDP 8 with no EP, MBS 8 (GBS 64), seq 8192, selective AC (policy not stated), transformer blocks and loss compiled, eight loss chunks (not in the spec); real routing with the aux loss; median of three stable steps of a five-step run, figures rounded to 10 tokens/s",
  },
  'TS7-19': { note: `${TT_QWEN32B}; FSDP 8, LBS 2, torch.compile of model and loss` },
  'TS7-20': { note: `${TT_QWEN32B}; FSDP 8, LBS 1, eager` },
  'TS7-21': { note: `${TT_QWEN32B}; FSDP 16 over 2 nodes (interconnect not stated: the bench's NDR), LBS 4, eager, step-80 line` },
  'TS7-22': { note: `${TT_QWEN32B}; FSDP 4 × TP 8 (TP inside a node, sequence-parallel norms) over 4 nodes, LBS 16, eager, step-20 line (early)` },
  'TS7-23': {
    note: 'torchtitan PR #822 test run (reshard_after_forward "default"): 8 H100 96 GB from the memory percentage (not named by the PR), FSDP 8, LBS 1 × seq 8192 (GBS 8), selective op AC read as selective, eager, step-50 line; the "never"/"always" runs of the PR are not taken',
  },
  // ---- TS8 (throughput-reserve5.jsonl)
  'TS8-01': { note: FA_README },
  'TS8-02': { note: FA_README },
  'TS8-03': { note: FA_README },
  'TS8-04': { precision: 'fp16-mixed', note: `${LAMBDA}; one GPU, GA 128` },
  'TS8-05': { precision: 'fp16-mixed', note: LAMBDA },
  'TS8-06': { precision: 'fp16-mixed', note: LAMBDA },
  'TS8-07': { note: `${KEMPNER}; one GPU, MBS 2 × GA 4 from the benchmark script (the report's table says 4 × 2: the same tokens per step)` },
  'TS8-08': { note: `${KEMPNER}; FSDP 4 inside one node` },
  'TS8-09': { note: `${KEMPNER}; TP 4 inside one node, sequence-parallel norms; the row says no FSDP, mapped as fsdp full by the family rule (moot at data parallel 1)` },
  'TS8-10': { note: `${KEMPNER}; FSDP 8 over 2 nodes of 4, the one eager run` },
  'TS8-11': { note: `${KEMPNER}; TP 4 inside each node × FSDP 8 over 8 nodes` },
  'TS8-12': { note: `${KEMPNER}; Llama 3 70B, TP 4 inside each node × FSDP 8 over 8 nodes` },
  'TS8-13': { note: `${KEMPNER_MOE}; 8 experts` },
  'TS8-14': { note: `${KEMPNER_MOE}; 16 experts` },
  'TS8-15': { parallelism: { fsdp: 'hybrid' }, attention: 'cudnn', note: `${PAX}; 2 nodes` },
  'TS8-16': { parallelism: { fsdp: 'hybrid' }, attention: 'cudnn', note: `${PAX}; 16 nodes` },
  'TS8-17': { parallelism: { fsdp: 'hybrid' }, attention: 'cudnn', note: `${PAX}; FP8 (Transformer Engine) as fp8-mixed; 2 nodes` },
  'TS8-18': { note: `${DGXC_NEMO}; Nemotron-4 340B, TP 8 × PP 8 × VP 12, selective recompute of core attention, tensor-parallel communication overlap; 16 nodes` },
  'TS8-19': { note: `${DGXC_NEMO}; as TS8-18 on 256 nodes (DP 32)` },
  'TS8-20': { note: `${DGXC_NEMO}; GPT-3 175B, TP 4 × PP 8 × VP 12, no recompute; the table says NeMo 24.11, the launch script's container 24.05` },
  'TS8-21': { note: `${AMD_QUOTED}; FP8 (recipe not stated) as fp8-mixed; data parallel 64 with no ZeRO stated (plain DDP)` },
  'TS8-22': { parallelism: { fsdp: 'full' }, note: `${AMD_QUOTED}; FSDP over 64 (the table's FSDP column)` },
  'TS8-23': {
    note: `${AMD_QUOTED}; the layout (PP 4 × VP 2 × EP 8, DP 16) from the table, read as the Megatron family (the blog's own config for this model is Primus/Megatron-LM: distributed optimizer assumed); its forced expert balancing and no layer recomputed may not be the measured run's`,
  },
  'TS8-24': {
    unmatched: "a whole-run 'around' figure (LLaMA paper §2.4) whose micro batch and tensor/pipeline degrees are not stated (Megatron-style model and sequence parallelism, degrees unknown); sequence length 2048 assumed",
  },
};

// ---------------------------------------------------------------- loader

function toRow(r: PublishedRow): ReserveThroughputRow {
  const j = JUDGMENT[r.id] ?? {};
  const model = j.model ?? MODELS[r.model];
  const gpu = j.gpuUnnamed ? undefined : gpuId2(r.gpu);
  const base = {
    id: r.id,
    part: 'held-out' as const,
    label: r.label,
    seq: r.seq_len,
    measured: r.tokens_per_s_per_gpu,
    source: `${r.source} (${r.how_derived})`,
  };
  const unmatched = j.unmatched ?? (!model ? `'${r.model}' is not in the catalog and the row gives no complete architecture_notes` : !gpu ? `no catalog GPU for '${r.gpu}'` : r.gpus === null ? 'GPU count not stated' : r.micro_batch === null && j.micro === undefined ? 'micro batch not stated' : undefined);
  if (unmatched) {
    return { ...base, model: model ?? { preset: r.model }, gpu: gpu ?? r.gpu, gpus: 0, micro: r.micro_batch ?? j.micro ?? 1, checkpointing: j.checkpointing ?? checkpointingOf(r), unmatched };
  }
  const gpus = r.gpus!;
  const family = familyOf2(r.framework);
  const attention = j.attention ?? attentionOf(r, family, gpu!);
  const extra = { ...(r.compile ? { compile: true } : {}), ...(attention ? { attention } : {}) };
  const row: ReserveThroughputRow = {
    ...base,
    model: model!,
    gpu: gpu!,
    gpus,
    micro: j.micro ?? r.micro_batch!,
    checkpointing: j.checkpointing ?? checkpointingOf(r),
    precision: j.precision ?? precisionOf(r),
    parallelism: { ...parallelismOf(r, family, gpus), ...j.parallelism },
    ...(r.global_batch !== null ? { globalBatch: r.global_batch } : {}),
    ...(Object.keys(extra).length ? { extra } : {}),
    ...(j.note ? { note: j.note } : {}),
  };
  return row;
}

/** A reserve file (TS5, TS6 or TS7 layout) read line by line through toRow. */
export function readReserveFile(repoRoot: string, file: string): ReserveThroughputRow[] {
  const text = readFileSync(path.join(repoRoot, file), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => toRow(JSON.parse(l) as PublishedRow));
}

/** The 17 rows of the second reserve, all part 'held-out'; rows that cannot be expressed carry `unmatched`. */
export function readThroughputReserve2(repoRoot: string): ReserveThroughputRow[] {
  return readReserveFile(repoRoot, THROUGHPUT_RESERVE2_FILE);
}

/** The 23 rows of the third reserve (TS6-*), all part 'held-out', mapped by the same toRow. */
export function readThroughputReserve3(repoRoot: string): ReserveThroughputRow[] {
  return readReserveFile(repoRoot, THROUGHPUT_RESERVE3_FILE);
}

/** The 23 rows of the fourth reserve (TS7-*, 18 MoE), all part 'held-out', mapped by the same toRow. */
export function readThroughputReserve4(repoRoot: string): ReserveThroughputRow[] {
  return readReserveFile(repoRoot, THROUGHPUT_RESERVE4_FILE);
}

/** The 24 rows of the fifth reserve (TS8-*, 3 MoE), all part 'held-out', mapped by the same toRow. */
export function readThroughputReserve5(repoRoot: string): ReserveThroughputRow[] {
  return readReserveFile(repoRoot, THROUGHPUT_RESERVE5_FILE);
}
