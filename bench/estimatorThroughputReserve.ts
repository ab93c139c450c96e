// The throughput reserve (TS4-01..TS4-34): bench/data/throughput-reserve.jsonl as the bench's ThroughputRow
// objects. Thirty-four published training throughputs (tokens/s per GPU, each with its configuration) from
// sources the estimator was never checked on: Megatron-Bridge tables of other releases and sections (26.06 SFT,
// 25.09 FSDP and token-drop rows, 26.02), torchtitan's H100/B200/GB200 notes, OLMo-core, fms-fsdp, FlagPerf,
// InternEvo, TinyLlama, torchtune, Megatron-LLaMA, and whole-run averages (DeepSeek-V3, Llama 2 70B,
// Megatron-LLaMA's 10B-token cost figure); bench/data/README.md, section throughput-reserve.
//
// HELD OUT for the cuDNN-attention change to step time: every row is part 'held-out'. The set was committed, and
// this loader written, before any prediction for it was looked at; it was evaluated once after that change
// (2026-12-05, commit 276c0a0: 31 rows, median 13.7 %) and the bench shows it on every run since. Nothing here was
// fitted to an estimate; from now on its rows are examined, not held out, for any later change.
//
// Each row is mapped from its published configuration alone, field by field:
// - model: a catalog preset where the catalog has the model (core/catalog/models.ts), else an architecture
//   from the model's published config (the helpers below say where each figure comes from).
// - gpu: the catalog GPU the row names (gpuId). The torchtitan H100 rows ran on 96 GB HBM2e H100s capped at
//   500 W: H100-SXM-96GB (its 2.4 TB/s; the power cap is not in the spec, said in `note`). Power-limited B200s
//   are B200-180GB at full power (said in `note`).
// - gpus, micro (micro_batch), seq (seq_len), globalBatch (global_batch) as printed or derived by the gatherer.
// - precision: fp8 and mxfp8 → fp8-mixed; bf16-mixed → bf16-mixed; bf16 → bf16-mixed unless the source says
//   the weights and optimizer are pure bf16 (torchtune) → bf16.
// - parallelism: tp → tensor, pp → pipeline, vp → virtualPipelineStages, cp → context, ep → expert, etp →
//   expertTensor (each only when > 1, etp when given). Megatron family (Megatron-Bridge/NeMo, Megatron-LM,
//   Pai-Megatron-Patch, Megatron-LLaMA): the distributed optimizer (zero 1), or Megatron FSDP (fsdp full) where
//   the row says FSDP; sequence parallel under TP, as the MB-*/MC-*/NX-* rows. FSDP stacks (torchtitan,
//   fms-fsdp, OLMo-core, TinyLlama's Fabric FSDP): fsdp full, HSDP → hybrid; sequence parallel under TP
//   (torchtitan's TP shards the norms' activations). Others (InternEvo, DeepSeek's HAI-LLM): the row's ZeRO
//   stage. One GPU (torchtune single device): no sharding.
// - checkpointing: none, selective or full as the row says; not stated (null) → none, as the Megatron rows
//   above assume. fms-fsdp's "selective AC" checkpoints whole blocks for a fraction of them: full (see row).
// - extra: compile when the row says torch.compile. float8 all-gather is set nowhere: no row states it. attention:
//   cudnn for the Megatron family (Transformer Engine picks cuDNN's fused attention on Hopper and newer; added
//   2026-12-05 with that kernel's speed, from the framework field alone, before the set's evaluation), else the
//   default.
// - note: what the spec cannot say (power caps, token dropping, DualPipe, interconnects slower than the
//   bench's NDR, an assumed value). unmatched: the reason a row has no configuration to express.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Architecture, Checkpointing, Parallelism, Precision } from '../core/spec/types';
import type { ThroughputRow } from './estimatorThroughput';

export const THROUGHPUT_RESERVE_FILE = 'bench/data/throughput-reserve.jsonl';

/** A reserve row: a ThroughputRow, or one that cannot be expressed as a spec (then `unmatched` says why and gpus is 0). */
export interface ReserveThroughputRow extends ThroughputRow {
  /** Why the row has no spec: the bench reports it as not matched (RowResult.unmatched) and estimates nothing for it. */
  unmatched?: string;
}

/** One line of throughput-reserve.jsonl (the fields the loader reads). */
export interface PublishedRow {
  id: string;
  label: string;
  model: string;
  gpu: string;
  gpus: number | null;
  framework: string;
  precision: string | null;
  micro_batch: number | null;
  seq_len: number;
  global_batch: number | null;
  parallelism: { tp: number | null; pp: number | null; vp: number | null; cp: number | null; ep: number | null; etp: number | null; dp: number | null; fsdp: boolean | string | null; zero: number | string | null; sequence_parallel: boolean | null };
  activation_checkpointing: string | null;
  compile: boolean | null;
  tokens_per_s_per_gpu: number;
  how_derived: string;
  source: string;
  notes: string;
}

// ---------------------------------------------------------------- models the catalog lacks

// OLMo-2 7B (allenai/OLMo-2-1124-7B config.json): 32 layers, hidden 4096, 32 heads (MHA), intermediate 11008, SwiGLU,
// vocab 100352 (dolma2 tokenizer, padded), untied, max_position_embeddings 4096. QK-norm is not in the spec.
const olmo2_7b: { architecture: Architecture } = {
  architecture: { layers: 32, hidden: 4096, heads: 32, kvHeads: 32, ffn: 11008, vocab: 100352, gatedMlp: true, tiedEmbeddings: false, maxContext: 4096 },
};
// Llama 3 8B as OLMo-core builds it (TransformerConfig.llama3_8B(vocab_size=tokenizer.padded_vocab_size())): the Llama 3 8B
// shape (catalog llama-3-8b: 32 layers, hidden 4096, 32 heads, 8 KV heads, intermediate 14336) with the OLMo tokenizer's
// padded vocabulary, 100352 (the same dolma2 tokenizer as olmo2_7b), not Llama's 128256.
const olmoCoreLlama3_8b: { architecture: Architecture } = {
  architecture: { layers: 32, hidden: 4096, heads: 32, kvHeads: 8, ffn: 14336, vocab: 100352, gatedMlp: true, tiedEmbeddings: false, maxContext: 8192 },
};
// fms-fsdp's llama "34b" variant (fms_fsdp/utils/config_utils.py, as the row's architecture_notes): 48 layers, hidden 8192,
// 64 heads, 8 KV heads, SwiGLU FFN 22016, vocab 32000 (the Llama 2 tokenizer); seq 4096.
const fms34b: { architecture: Architecture } = {
  architecture: { layers: 48, hidden: 8192, heads: 64, kvHeads: 8, ffn: 22016, vocab: 32000, gatedMlp: true, tiedEmbeddings: false, maxContext: 4096 },
};
// FlagPerf's "qwen1.5_14B_MoE" (training/benchmarks/qwen1.5_MoE/megatron/megatron_pai_main.sh): --num-layers 24 --hidden-size 2048
// --num-attention-heads 16 (MHA) --ffn-hidden-size 5504 --swiglu --add-qkv-bias --untie-embeddings-and-output-weights,
// --num-experts 8 --moe-router-topk 2 (aux-loss routing, no shared expert); Qwen2Tokenizer + --extra-vocab-size 293 =
// 151643 + 293 = 151936. Not the public Qwen1.5-MoE-A2.7B (60 fine-grained experts). QKV bias not in the spec.
const flagperfQwenMoe14b: { architecture: Architecture } = {
  architecture: { layers: 24, hidden: 2048, heads: 16, ffn: 5504, vocab: 151936, gatedMlp: true, tiedEmbeddings: false, moe: { experts: 8, activeExperts: 2, expertFfn: 5504 } },
};
// InternLM-7B (internlm/internlm-7b config.json; InternEvo configs/7B_sft.py): 32 layers, hidden 4096, 32 heads (MHA),
// intermediate 11008 (mlp_ratio 8/3, SwiGLU), vocab 103168, untied, max_position_embeddings 2048. Linear biases not in the spec.
const internlm7b: { architecture: Architecture } = {
  architecture: { layers: 32, hidden: 4096, heads: 32, kvHeads: 32, ffn: 11008, vocab: 103168, gatedMlp: true, tiedEmbeddings: false, maxContext: 2048 },
};
// LLaMA-13B (huggyllama/llama-13b config.json; Megatron-LLaMA examples/LLaMA/LLaMA_13_slurm.sh: --num-layers 40 --hidden-size 5120
// --num-attention-heads 40 --ffn-hidden-size 13824 --swiglu --max-position-embeddings 2048): vocab 32000, untied.
const llama1_13b: { architecture: Architecture } = {
  architecture: { layers: 40, hidden: 5120, heads: 40, kvHeads: 40, ffn: 13824, vocab: 32000, gatedMlp: true, tiedEmbeddings: false, maxContext: 2048 },
};

/** The row's `model` field → a catalog preset or an architecture (the later reserve sets' loader extends it). */
export const MODELS: Record<string, ThroughputRow['model']> = {
  'meta-llama/Meta-Llama-3-70B': { preset: 'llama-3-70b' },
  'meta-llama/Llama-3.1-405B': { preset: 'llama-3.1-405b' },
  'Qwen/Qwen3-235B-A22B': { preset: 'qwen3-235b-a22b' },
  'deepseek-ai/DeepSeek-V3': { preset: 'deepseek-v3' },
  'deepseek-ai/DeepSeek-V3-Base': { preset: 'deepseek-v3' },
  'meta-llama/Llama-3.1-8B': { preset: 'llama-3.1-8b' },
  'meta-llama/Llama-3.1-70B': { preset: 'llama-3.1-70b' },
  'meta-llama/Meta-Llama-3-8B': { preset: 'llama-3-8b' },
  'meta-llama/Llama-4-Scout-17B-16E': { preset: 'llama-4-scout-17b-16e' },
  'allenai/OLMo-2-1124-7B': olmo2_7b,
  'meta-llama/Meta-Llama-3-8B (architecture; OLMo-core implementation)': olmoCoreLlama3_8b,
  'meta-llama/Llama-2-7b-hf (architecture)': { preset: 'llama-2-7b' },
  "fms-fsdp llama '34b' variant": fms34b,
  'meta-llama/Llama-2-70b-hf (architecture)': { preset: 'llama-2-70b' },
  'meta-llama/Llama-2-70b-hf': { preset: 'llama-2-70b' },
  'mistralai/Mixtral-8x7B-v0.1': { preset: 'mixtral-8x7b' },
  "custom Qwen1.5-style MoE ('qwen1.5_14B_MoE' in FlagPerf)": flagperfQwenMoe14b,
  'internlm/internlm-7b': internlm7b,
  'TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T': { preset: 'tinyllama-1.1b' },
  'meta-llama/Llama-3.2-3B': { preset: 'llama-3.2-3b' },
  'LLaMA-13B (huggyllama/llama-13b architecture)': llama1_13b,
};

// ---------------------------------------------------------------- field mapping

/** The catalog GPU a row's `gpu` text names. */
export function gpuId(text: string): string | undefined {
  const t = text.toLowerCase();
  if (t.includes('gb200')) return 'GB200-186GB';
  if (t.includes('b200')) return 'B200-180GB';
  if (t.includes('h800')) return 'H800-SXM-80GB';
  if (t.includes('h100') && t.includes('96gb')) return 'H100-SXM-96GB';
  if (t.includes('h100')) return 'H100-SXM-80GB';
  if (t.includes('a800')) return 'A800-SXM-80GB';
  if (t.includes('a100') && t.includes('40gb')) return 'A100-SXM-40GB';
  if (t.includes('a100')) return 'A100-SXM-80GB';
  return undefined;
}

type Family = 'megatron' | 'fsdp' | 'other';

function familyOf(framework: string): Family {
  if (/megatron|nemo/i.test(framework)) return 'megatron';
  if (/torchtitan|fms-fsdp|olmo-core|lit-gpt|fabric|torchtune/i.test(framework)) return 'fsdp';
  return 'other';
}

function precisionOf(r: PublishedRow): Precision {
  const p = (r.precision ?? '').toLowerCase();
  if (p === 'fp8' || p === 'mxfp8') return 'fp8-mixed';
  if (p === 'bf16' && /pure bf16/i.test(r.notes)) return 'bf16';
  return 'bf16-mixed';
}

/** A published row's activation checkpointing: selective, full, or none when not stated (both reserve loaders). */
export function checkpointingOf(r: { activation_checkpointing: string | null }): Checkpointing {
  const a = (r.activation_checkpointing ?? 'none').toLowerCase();
  if (a.startsWith('selective')) return 'selective';
  if (a.startsWith('full')) return 'full';
  return 'none';
}

/** ZeRO stage from the row's `zero` field: a number, "1 (…)", or the Megatron distributed optimizer (1). */
function zeroOf(z: number | string | null): 0 | 1 | 2 | 3 | undefined {
  if (z === null) return undefined;
  if (typeof z === 'number') return z as 0 | 1 | 2 | 3;
  const m = /^\s*([0-3])\b/.exec(z);
  if (m) return Number(m[1]) as 0 | 1 | 2 | 3;
  return /distributed optimizer/i.test(z) ? 1 : undefined;
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
    // Megatron FSDP where the row says FSDP (as NX-02/03), else the distributed optimizer.
    if (p.fsdp === true) out.fsdp = 'full';
    else out.zero = 1;
    if (tp > 1) out.sequenceParallel = true;
  } else if (family === 'fsdp') {
    const f = typeof p.fsdp === 'string' ? p.fsdp : '';
    out.fsdp = gpus === 1 && !p.fsdp ? 'none' : /hsdp|hybrid/i.test(f) ? 'hybrid' : 'full';
    if (tp > 1 && p.sequence_parallel !== false) out.sequenceParallel = true;
  } else {
    const z = zeroOf(p.zero);
    if (z !== undefined) out.zero = z;
  }
  return out;
}

// ---------------------------------------------------------------- per-row judgment

const H100_96 = 'H100 SXM 96 GB HBM2e at its 500 W power limit (Grand Teton): catalog H100-SXM-96GB (2.4 TB/s), whose peak TFLOPS are the 700 W part’s; the cap is not in the spec';
const B200_CAPPED = 'power-limited B200 (limit not stated): catalog B200-180GB at full power';
const SEQ_DEFAULT = 'seq 8192 from the torchtitan config default, not printed';
const MB_GAPS = 'FP8 recipe, sequence packing, recompute and CUDA graphs not stated: none assumed';

/** What a row needs beyond the generic mapping: an assumed value, an override, a gap, or why it cannot be expressed. */
interface Judgment {
  note?: string;
  micro?: number;
  model?: ThroughputRow['model'];
  parallelism?: Partial<Parallelism>;
  checkpointing?: Checkpointing;
  precision?: Precision;
  unmatched?: string;
}

const JUDGMENT: Record<string, Judgment> = {
  'TS4-01': { note: `full-parameter SFT (a pre-training step); ${MB_GAPS}` },
  'TS4-02': { note: `full-parameter SFT (a pre-training step); ${MB_GAPS}; GB200 trays of 4 GPUs counted as the bench's nodes of 8 in one NVL72 domain` },
  'TS4-03': { note: '25.09 table has no precision column: the unparenthesised figure read as FP8 per-tensor (the parenthesised one is 32×32 blocks); Megatron FSDP over DP 64 with TP 2; recompute not stated: none' },
  'TS4-04': {
    parallelism: { expertTensor: 1 },
    note: 'MoE with token dropping (capacity-limited routing), which the spec cannot say: counted as dropless; expert tensor parallel not stated: 1, the only size that fits EP 64 on TP 2 × DP 32 (as NX-07); FP8 per-tensor assumed (no precision column)',
  },
  'TS4-05': { note: 'MXFP8 as fp8-mixed; 61 layers on PP 16 split unevenly (the spec rule wants even stages); MTP on/off not stated (not counted); force-balanced, dropless; recompute not stated: none' },
  'TS4-06': { note: `${H100_96}; selective op AC; ${SEQ_DEFAULT}` },
  'TS4-07': { note: `${H100_96}; torchao float8 on nn.Linear (tensorwise); FSDP float8 all-gather not stated (off by default): not set; ${SEQ_DEFAULT}` },
  'TS4-08': { note: `${H100_96}; float8 all-gather not stated: not set; global batch 8 = local 1 × FSDP 8` },
  'TS4-09': { note: `${H100_96}; vanilla TP (the 876 AsyncTP figure is not used); float8 all-gather not stated: not set; ${SEQ_DEFAULT}` },
  'TS4-10': {
    micro: 2,
    parallelism: { virtualPipelineStages: 2 },
    note: `${H100_96}; interleaved 1F1B with torchtitan's defaults at that commit (not printed): 2 stages per rank (generate_split_points) and microbatches = total stages 16, so micro 32 / 16 = 2; 126 layers over 16 stages split unevenly; AsyncTP on (not in the spec); float8 all-gather not set; ${SEQ_DEFAULT}`,
  },
  'TS4-11': { note: `${H100_96}; vanilla TP; column read as tokens/s per GPU (torchtitan logs per device); ${SEQ_DEFAULT}; global batch 512 = 16 × DP 32` },
  'TS4-12': { note: `${H100_96}; vanilla TP; per-op SAC; column read as per GPU; ${SEQ_DEFAULT}; global batch 96 = 12 × DP 8` },
  'TS4-13': { note: `${B200_CAPPED}; per-op SAC; tokens/s read as per device` },
  'TS4-14': { note: `${B200_CAPPED}; MXFP8 (mxfp8_cublas, nn.Linear only) as fp8-mixed; per-op SAC` },
  'TS4-15': { note: 'MXFP8 on the routed-expert grouped GEMMs and linears (not output, router, wk, wv) as fp8-mixed; 256 GPUs per the blog (the doc says 512); FSDP 256, EP 16' },
  'TS4-16': { note: '256 GPUs per the blog (the doc says 512); FSDP 256, EP 16' },
  'TS4-17': { unmatched: 'GPU count not stated: the OLMo-core README gives tokens/s per device for its official OLMo2-7B.py script, which runs on any number of nodes (HSDP groups and gradient accumulation follow from it)' },
  'TS4-18': { unmatched: 'GPU count not stated: the OLMo-core README gives tokens/s per device for its Llama3-8B.py script (float8), which runs on any number of nodes (HSDP groups and gradient accumulation follow from it)' },
  'TS4-19': { note: "HSDP (full shard inside a node, replicas across 12 nodes) as hybrid; interconnect '800 Gbps' (per node, 8 GPUs) is slower than the bench's NDR 400 Gb/s per GPU; no gradient accumulation assumed" },
  'TS4-20': {
    checkpointing: 'full',
    note: "fms-fsdp 'selective AC' checkpoints whole blocks for a fraction p of them (fms_fsdp/policies/ac_handler.py); p not stated: full on every layer assumed; interconnect '800 Gbps' slower than the bench's NDR; no gradient accumulation assumed",
  },
  'TS4-21': {
    checkpointing: 'full',
    note: "fms-fsdp 'selective AC' (whole blocks, fraction p not stated) as full on every layer: the README's 0.74 HFU / 0.55 MFU = 1.35 ≈ 4/3 says nearly every block is recomputed; A100 SXM assumed; interconnect '400 Gbps' slower than the bench's NDR",
  },
  'TS4-22': { note: 'A100 SXM 80GB assumed (form factor not stated); no recompute flag in the launch script: none; distributed optimizer' },
  'TS4-23': { note: 'Transformer Engine FP8 hybrid with delayed scaling as fp8-mixed; H100 SXM assumed; no recompute flag: none' },
  'TS4-24': { note: 'H100 SXM assumed; no recompute flag: none; GA 8 computed' },
  'TS4-25': { note: 'H100 SXM assumed; no recompute flag: none; no virtual pipeline' },
  'TS4-26': { note: 'EP conflict (README EP1, script --expert-model-parallel-size 8): EP 1, the only size Megatron allows with DP 2; --recompute-activations as selective; aux-loss routing (not force-balanced); H100 SXM assumed' },
  'TS4-27': { note: 'custom 8-expert top-2 MoE from the launch script; --recompute-activations as selective; A800 = A100 80GB with 400 GB/s NVLink' },
  'TS4-28': { note: 'InternEvo packed samples (micro 8 × 2048 tokens per step, attention within each 2048); ZeRO-1 over groups of 8 (zero1=8) as ZeRO-1 over all ranks; dtype bfloat16 read as bf16-mixed (fp32 master weights in the optimizer); 4 × 100 Gb RoCE per node is slower than the bench NDR' },
  'TS4-29': { note: 'InternEvo packed samples; ZeRO-1 (zero1=8) over the node; bf16-mixed; micro_num 4 as gradient accumulation' },
  'TS4-30': { note: 'GPU count for the 24k figure not stated: 16 (the training cluster) as the row records; A100 SXM 40GB assumed; fused kernels (rotary, cross-entropy, SwiGLU) not in the spec; bf16-mixed (Fabric default)' },
  'TS4-31': { note: 'single device, pure bf16 weights and optimizer (torchtune); packed sequences; A100 80GB inferred from the 51 GiB peak, SXM assumed' },
  'TS4-32': {
    micro: 4,
    parallelism: { tensor: 2, sequenceParallel: true, zero: 1 },
    checkpointing: 'selective',
    precision: 'bf16-mixed',
    note: 'the benchmark’s TP/PP/MBS/precision are not stated: taken from the repo’s own 13B launch script examples/LLaMA/LLaMA_13_slurm.sh (TP 2, PP 1, MBS 4, --sequence-parallel, --bf16, --recompute-granularity selective, GBS 2048), not confirmed for this table; OverlappedDistributedOptimizer as ZeRO-1; 10e9 tokens / 40.3 h / 32 GPUs',
  },
  'TS4-33': {
    micro: 1,
    note: 'whole-run average (180K H800 GPU-hours per trillion tokens, stalls and restarts included) as its stated config; micro batch not stated: 1; DualPipe schedule as 1F1B; 61 layers on PP 16 split unevenly; MTP (depth 1) not counted; recompute of RMSNorm and the MLA up-projections as selective; batch ramp 3072 → 15360 taken at 15360; H800 NVLink 400 GB/s',
  },
  'TS4-34': { unmatched: 'no configuration to express: the model card gives 1,720,320 A100 GPU-hours for 2.0T tokens, but not the GPU count, the parallelism, the micro batch or the precision' },
};

// ---------------------------------------------------------------- loader

function toRow(r: PublishedRow): ReserveThroughputRow {
  const j = JUDGMENT[r.id] ?? {};
  const model = j.model ?? MODELS[r.model];
  const gpu = gpuId(r.gpu);
  const base = {
    id: r.id,
    part: 'held-out' as const,
    label: r.label,
    seq: r.seq_len,
    measured: r.tokens_per_s_per_gpu,
    source: `${r.source} (${r.how_derived})`,
  };
  const unmatched = j.unmatched ?? (!model ? `no catalog model or architecture for '${r.model}'` : !gpu ? `no catalog GPU for '${r.gpu}'` : r.gpus === null ? 'GPU count not stated' : r.micro_batch === null && j.micro === undefined ? 'micro batch not stated' : undefined);
  if (unmatched) {
    return { ...base, model: model ?? { preset: r.model }, gpu: gpu ?? r.gpu, gpus: 0, micro: r.micro_batch ?? j.micro ?? 1, checkpointing: j.checkpointing ?? checkpointingOf(r), unmatched };
  }
  const gpus = r.gpus!;
  const family = familyOf(r.framework);
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
    ...(r.compile || family === 'megatron' ? { extra: { ...(r.compile ? { compile: true } : {}), ...(family === 'megatron' ? { attention: 'cudnn' as const } : {}) } } : {}),
    ...(j.note ? { note: j.note } : {}),
  };
  return row;
}

/** The 34 reserve rows, all part 'held-out'; rows that cannot be expressed carry `unmatched`. */
export function readThroughputReserve(repoRoot: string): ReserveThroughputRow[] {
  const text = readFileSync(path.join(repoRoot, THROUGHPUT_RESERVE_FILE), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => toRow(JSON.parse(l) as PublishedRow));
}
