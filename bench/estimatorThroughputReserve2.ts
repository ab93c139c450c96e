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

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Architecture, AttentionImpl, Checkpointing, Parallelism, Precision } from '../core/spec/types';
import type { ThroughputRow } from './estimatorThroughput';
import { checkpointingOf, gpuId as reserveGpuId, type ReserveThroughputRow } from './estimatorThroughputReserve';

export const THROUGHPUT_RESERVE2_FILE = 'bench/data/throughput-reserve2.jsonl';

/** One line of throughput-reserve2.jsonl (the fields the loader reads). */
interface PublishedRow {
  id: string;
  label: string;
  model: string;
  architecture_notes: string | null;
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
  attention: string | null;
  tokens_per_s_per_gpu: number;
  how_derived: string;
  source: string;
  notes: string;
}

// ---------------------------------------------------------------- models the catalog lacks

// The BLOOM 181B prototype of bigscience's topology search (TS5-17/18), from the rows' architecture_notes alone:
// "72 layers, hidden 14336, FFN 4x (57344, GeLU), heads 64 ..., vocab ~250k (250,880 padded), seq 2048, tied
// embeddings"; GPT/BLOOM-style, so multi-head attention (KV heads = heads). ALiBi and the embedding LayerNorm are
// not in the spec.
const bloomPrototype181b: { architecture: Architecture } = {
  architecture: { layers: 72, hidden: 14336, heads: 64, kvHeads: 64, ffn: 57344, vocab: 250880, gatedMlp: false, tiedEmbeddings: true, maxContext: 2048 },
};

/** The row's `model` field → a catalog preset or an architecture. */
const MODELS: Record<string, ThroughputRow['model']> = {
  'Qwen/Qwen3-30B-A3B': { preset: 'qwen3-30b-a3b' },
  'Qwen/Qwen3-30B-A3B-Base': { preset: 'qwen3-30b-a3b' },
  'Qwen/Qwen1.5-MoE-A2.7B': { preset: 'qwen1.5-moe-a2.7b' },
  'Qwen/Qwen2.5-14B': { preset: 'qwen2.5-14b' },
  'Qwen/Qwen2.5-7B': { preset: 'qwen2.5-7b' },
  'BLOOM-style 181B prototype (unreleased)': bloomPrototype181b,
};

// ---------------------------------------------------------------- field mapping

/** The catalog GPU a row's `gpu` text names: the TS4 loader's, plus H200 and MI355X. */
export function gpuId2(text: string): string | undefined {
  const t = text.toLowerCase();
  if (t.includes('mi355x')) return 'MI355X-288GB';
  if (t.includes('h200') && !t.includes('gh200')) return 'H200-SXM-141GB';
  return reserveGpuId(text);
}

type Family = 'megatron' | 'fsdp' | 'deepspeed' | 'gemini' | 'other';

/** The framework family, from the framework text (DeepSpeed first: Megatron-DeepSpeed is not the Megatron family). */
export function familyOf2(framework: string): Family {
  if (/deepspeed/i.test(framework)) return 'deepspeed';
  if (/colossal/i.test(framework)) return 'gemini';
  if (/torchtitan/i.test(framework)) return 'fsdp';
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
    return undefined; // flash-attn, attention_backend flash, xformers memory-efficient: flash
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

/** What a row needs beyond the generic mapping: an assumed value, an override, a gap, or why it cannot be expressed. */
interface Judgment {
  note?: string;
  micro?: number;
  model?: ThroughputRow['model'];
  parallelism?: Partial<Parallelism>;
  checkpointing?: Checkpointing;
  precision?: Precision;
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
  const attention = attentionOf(r, family, gpu!);
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

/** The 17 rows of the second reserve, all part 'held-out'; rows that cannot be expressed carry `unmatched`. */
export function readThroughputReserve2(repoRoot: string): ReserveThroughputRow[] {
  const text = readFileSync(path.join(repoRoot, THROUGHPUT_RESERVE2_FILE), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => toRow(JSON.parse(l) as PublishedRow));
}
