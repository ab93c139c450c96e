// Throughput rows: tokens/s per GPU published with the full configuration, from
// ../shared/estimator-data/interconnect.csv (the MFU-* rows), as specs.
//
// Three parts, kept apart on purpose:
// - reference: torchtitan's A100 table (MFU-003..010). Its MFU figures are one of the sources of
//   the efficiency table (core/estimate/efficiency.ts), so these rows are in-sample.
// - examined: llm-foundry's H100 BF16 table (MFU-012..022), held out until issue 12. No figure was
//   taken from them, but issue 12 investigated their errors (MFU vs HFU, recompute) before changing
//   how recomputation is counted, so they no longer count as held out.
// - examined, too: NVIDIA Megatron-Bridge's and NeMo AutoModel's published DGX-H100 tables (MB-*, AM-*).
//   They were gathered as held-out for issue 12, evaluated once (median 35.3 %, max 158.8 %, n = 7), and
//   their errors were then looked at (fp8 speed-up, MoE efficiency, partial recompute), so they are no
//   longer held out.
// - examined, too (h12t2): NeMo 24.07 (NM-*), torchtitan H200 float8 (TH-*) and Megatron-Core MoE Qwen3-235B
//   (MZ-*). They were gathered as held-out for the issue-12 throughput pass and then evaluated TWICE
//   (31.5 % / 48.8 % n = 19 the second time), and their systematic error (dense FP8 ~ -30 %) was
//   looked at, so they are spent as held-out data.
// - held-out (h12t2): a new set gathered before any formula change of this pass, from sources not used
//   before (NeMo Framework 25.02 / 25.04 performance summaries on DGX-B200 / DGX-GB200, the Llama 3
//   paper's 405B table). Kept out of the output unless GANTRY_EVAL_HELDOUT=1.
// MPT shapes come from llm-foundry scripts/train/yamls/pretrain/mpt-*.yaml (d_model, n_heads,
// n_layers, expansion_ratio 4, vocab 50368; MPT has no gated MLP, ties embeddings, uses ALiBi).

import type { Architecture, Parallelism, Precision, TrainingJobSpec } from '../core/spec/types';

export interface ThroughputRow {
  id: string;
  part: 'reference' | 'examined' | 'held-out';
  label: string;
  model: { preset: string } | { architecture: Architecture };
  gpu: string;
  gpus: number;
  micro: number;
  seq: number;
  checkpointing: 'none' | 'selective' | 'full';
  /** Defaults: bf16-mixed, FSDP full shard over every GPU, global batch micro × GPUs. */
  precision?: Precision;
  parallelism?: Parallelism;
  globalBatch?: number;
  /** Further spec fields the published run sets (torch.compile, float8 all-gather). */
  extra?: Pick<TrainingJobSpec, 'compile' | 'float8' | 'checkpointedLayers'>;
  /** What of the published configuration the spec cannot say (a gap, not a reason to drop the row). */
  note?: string;
  /** Measured tokens/s per GPU. */
  measured: number;
  source: string;
}

const mpt = (hidden: number, heads: number, layers: number): { architecture: Architecture } => ({
  architecture: { layers, hidden, heads, ffn: 4 * hidden, vocab: 50368, gatedMlp: false, tiedEmbeddings: true, maxContext: 8192 },
});

const gpt3 = (hidden: number, heads: number, layers: number): { architecture: Architecture } => ({
  architecture: { layers, hidden, heads, ffn: 4 * hidden, vocab: 50304, gatedMlp: false, tiedEmbeddings: true, maxContext: 2048 },
});
// Nemotron: squared-ReLU MLP (two matrices), untied embeddings, 256k vocabulary.
const nemotron = (hidden: number, heads: number, kvHeads: number, layers: number): { architecture: Architecture } => ({
  architecture: { layers, hidden, heads, kvHeads, ffn: 4 * hidden, vocab: 256000, gatedMlp: false, tiedEmbeddings: false, maxContext: 4096 },
});

const TT = 'torchtitan docs/performance.md (A100 80GB × 64, FSDP2 1D), interconnect.csv';
const MB = 'NVIDIA Megatron-Bridge docs/performance-summary-archive.md, 25.11 NeMo container, DGX-H100 table (https://docs.nvidia.com/nemo/megatron-bridge/latest/performance-summary-archive.html); parallel sizes from scripts/performance/configs/llama/llama3_workload_base_configs.py';
const AM = 'NVIDIA NeMo AutoModel docs/performance-summary.md, DGX-H100 BF16 pre-training table, 2025-10-02 (https://github.com/NVIDIA-NeMo/Automodel/blob/main/docs/performance-summary.md); examples/benchmark/configs/gptoss_20b_te_deepep.yaml';
const NM =
  'NVIDIA NeMo docs/source/performance/performance_summary.md, NeMo 24.07 container, DGX-H100, FP8 (commit 8e3d65dc "24.07 perf numbers", https://github.com/NVIDIA/NeMo/blob/8e3d65dcfe3504689bfc5b6e67d502780aacad41/docs/source/performance/performance_summary.md); shapes from nemo/collections/llm/gpt/model/{base,nemotron}.py';
const TH = 'torchtitan benchmarks/llama3_8b_h200_2025-06_torchtitan.md (Trainy, June 2025): 8 × H200 per host, 400 Gb/s RDMA per GPU; llama3_8b.toml (seq 8192, selective op AC), local batch 2, torch.compile, float8 tensorwise with FSDP float8 all-gather; TPS/GPU at step 100';
const MZ = 'Megatron-MoE-ModelZoo best_practice/Qwen3/readme.md (github.com/yanring/Megatron-MoE-ModelZoo, NVIDIA Megatron-Core MoE team): 256 × H100, NVLink 4, InfiniBand 8 × 50 GB/s, BF16; tokens/s/GPU = GBS × 4096 / step time / 256';
const LF = 'llm-foundry scripts/train/benchmarking/README.md H100 80GB BF16 table (FSDP FULL_SHARD, amp_bf16), interconnect.csv';

const ALL_ROWS: ThroughputRow[] = [
  { id: 'MFU-003', part: 'reference', label: 'Llama 3 8B, mb 1, seq 8192, AC selective layer', model: { preset: 'llama-3-8b' }, gpu: 'A100-SXM-80GB', gpus: 64, micro: 1, seq: 8192, checkpointing: 'selective', measured: 2904, source: TT },
  { id: 'MFU-004', part: 'reference', label: 'Llama 3 8B, mb 1, seq 8192, AC selective op', model: { preset: 'llama-3-8b' }, gpu: 'A100-SXM-80GB', gpus: 64, micro: 1, seq: 8192, checkpointing: 'selective', measured: 2973, source: TT },
  { id: 'MFU-005', part: 'reference', label: 'Llama 3 70B, mb 1, seq 8192, AC full', model: { preset: 'llama-3-70b' }, gpu: 'A100-SXM-80GB', gpus: 64, micro: 1, seq: 8192, checkpointing: 'full', measured: 331, source: TT },
  { id: 'MFU-006', part: 'reference', label: 'Llama 2 13B, mb 2, seq 4096, AC none', model: { preset: 'llama-2-13b' }, gpu: 'A100-SXM-80GB', gpus: 64, micro: 2, seq: 4096, checkpointing: 'none', measured: 2162, source: TT },
  { id: 'MFU-007', part: 'reference', label: 'Llama 2 13B, mb 2, seq 4096, AC selective layer', model: { preset: 'llama-2-13b' }, gpu: 'A100-SXM-80GB', gpus: 64, micro: 2, seq: 4096, checkpointing: 'selective', measured: 1914, source: TT },
  { id: 'MFU-008', part: 'reference', label: 'Llama 2 13B, mb 2, seq 4096, AC selective op', model: { preset: 'llama-2-13b' }, gpu: 'A100-SXM-80GB', gpus: 64, micro: 2, seq: 4096, checkpointing: 'selective', measured: 1904, source: TT },
  { id: 'MFU-009', part: 'reference', label: 'Llama 2 70B, mb 1, seq 4096, AC selective op', model: { preset: 'llama-2-70b' }, gpu: 'A100-SXM-80GB', gpus: 64, micro: 1, seq: 4096, checkpointing: 'selective', measured: 355, source: TT },
  { id: 'MFU-010', part: 'reference', label: 'Llama 2 70B, mb 2, seq 4096, AC full', model: { preset: 'llama-2-70b' }, gpu: 'A100-SXM-80GB', gpus: 64, micro: 2, seq: 4096, checkpointing: 'full', measured: 353, source: TT },
  { id: 'MFU-012', part: 'examined', label: 'MPT-7b, mb 6, seq 2048, AC no, 8 GPUs', model: mpt(4096, 32, 32), gpu: 'H100-SXM-80GB', gpus: 8, micro: 6, seq: 2048, checkpointing: 'none', measured: 10643, source: LF },
  { id: 'MFU-013', part: 'examined', label: 'MPT-7b, mb 16, seq 4096, AC yes, 8 GPUs', model: mpt(4096, 32, 32), gpu: 'H100-SXM-80GB', gpus: 8, micro: 16, seq: 4096, checkpointing: 'full', measured: 8611, source: LF },
  { id: 'MFU-014', part: 'examined', label: 'MPT-7b, mb 8, seq 8192, AC yes, 8 GPUs', model: mpt(4096, 32, 32), gpu: 'H100-SXM-80GB', gpus: 8, micro: 8, seq: 8192, checkpointing: 'full', measured: 6935, source: LF },
  { id: 'MFU-015', part: 'examined', label: 'MPT-13b, mb 2, seq 2048, AC no, 8 GPUs', model: mpt(5120, 40, 40), gpu: 'H100-SXM-80GB', gpus: 8, micro: 2, seq: 2048, checkpointing: 'none', measured: 4792, source: LF },
  { id: 'MFU-016', part: 'examined', label: 'MPT-13b, mb 10, seq 4096, AC yes, 8 GPUs', model: mpt(5120, 40, 40), gpu: 'H100-SXM-80GB', gpus: 8, micro: 10, seq: 4096, checkpointing: 'full', measured: 4717, source: LF },
  { id: 'MFU-017', part: 'examined', label: 'MPT-30b, mb 14, seq 2048, AC yes, 32 GPUs', model: mpt(7168, 56, 48), gpu: 'H100-SXM-80GB', gpus: 32, micro: 14, seq: 2048, checkpointing: 'full', measured: 2308, source: LF },
  { id: 'MFU-018', part: 'examined', label: 'MPT-70b, mb 8, seq 2048, AC yes, 64 GPUs', model: mpt(8192, 64, 80), gpu: 'H100-SXM-80GB', gpus: 64, micro: 8, seq: 2048, checkpointing: 'full', measured: 1039, source: LF },
  { id: 'MFU-019', part: 'examined', label: 'MPT-70b, mb 2, seq 2048, AC yes, 32 GPUs', model: mpt(8192, 64, 80), gpu: 'H100-SXM-80GB', gpus: 32, micro: 2, seq: 2048, checkpointing: 'full', measured: 882, source: LF },
  { id: 'MFU-020', part: 'examined', label: 'MPT-1b, mb 14, seq 2048, AC no, 8 GPUs', model: mpt(2048, 16, 24), gpu: 'H100-SXM-80GB', gpus: 8, micro: 14, seq: 2048, checkpointing: 'none', measured: 45455, source: LF },
  { id: 'MFU-021', part: 'examined', label: 'MPT-760m, mb 24, seq 2048, AC no, 8 GPUs', model: mpt(1536, 12, 24), gpu: 'H100-SXM-80GB', gpus: 8, micro: 24, seq: 2048, checkpointing: 'none', measured: 63147, source: LF },
  { id: 'MFU-022', part: 'examined', label: 'MPT-3b, mb 6, seq 2048, AC no, 64 GPUs', model: mpt(2560, 20, 32), gpu: 'H100-SXM-80GB', gpus: 64, micro: 6, seq: 2048, checkpointing: 'none', measured: 22525, source: LF },
  // ---- held-out since issue 12 (DGX-H100: 8 × H100 SXM per node, NVLink 4, InfiniBand NDR)
  {
    id: 'MB-01',
    part: 'examined',
    label: 'Llama 3 70B, FP8-CS, TP 4 PP 8 VP 5, mb 1 × 8192, GBS 128, 64 GPUs',
    model: { preset: 'llama-3-70b' },
    gpu: 'H100-SXM-80GB',
    gpus: 64,
    micro: 1,
    seq: 8192,
    checkpointing: 'none',
    precision: 'fp8-mixed',
    parallelism: { tensor: 4, pipeline: 8, virtualPipelineStages: 5, sequenceParallel: true, zero: 1 },
    globalBatch: 128,
    measured: 1602,
    source: MB,
  },
  {
    id: 'MB-02',
    part: 'examined',
    label: 'Llama 3.1 405B, FP8-CS, TP 8 PP 8 CP 2 VP 8, mb 1 × 8192, GBS 512, 1024 GPUs',
    model: { preset: 'llama-3.1-405b' },
    gpu: 'H100-SXM-80GB',
    gpus: 1024,
    micro: 1,
    seq: 8192,
    checkpointing: 'none',
    precision: 'fp8-mixed',
    parallelism: { tensor: 8, pipeline: 8, context: 2, virtualPipelineStages: 8, sequenceParallel: true, zero: 1 },
    globalBatch: 512,
    measured: 292,
    source: MB,
  },
  { id: 'MB-03', part: 'examined', label: 'GPT-OSS 120B, BF16, PP 4 EP 8, mb 4 × 4096, GBS 512, 64 GPUs', model: { preset: 'gpt-oss-120b' }, gpu: 'H100-SXM-80GB', gpus: 64, micro: 4, seq: 4096, checkpointing: 'none', parallelism: { pipeline: 4, expert: 8, zero: 1 }, globalBatch: 512, measured: 5630, source: MB },
  {
    id: 'MB-04',
    part: 'examined',
    label: 'Qwen3 30B-A3B, FP8-CS, PP 2 VP 24 EP 8, mb 2 × 4096, GBS 512, 16 GPUs',
    model: { preset: 'qwen3-30b-a3b' },
    gpu: 'H100-SXM-80GB',
    gpus: 16,
    micro: 2,
    seq: 4096,
    checkpointing: 'none',
    precision: 'fp8-mixed',
    parallelism: { pipeline: 2, virtualPipelineStages: 24, expert: 8, zero: 1 },
    globalBatch: 512,
    measured: 5275,
    source: MB,
  },
  {
    id: 'MB-05',
    part: 'examined',
    label: 'Qwen3 235B-A22B, FP8-CS, TP 2 PP 8 VP 4 EP 32, mb 1 × 4096, GBS 2048, 256 GPUs',
    model: { preset: 'qwen3-235b-a22b' },
    gpu: 'H100-SXM-80GB',
    gpus: 256,
    micro: 1,
    seq: 4096,
    checkpointing: 'none',
    precision: 'fp8-mixed',
    parallelism: { tensor: 2, pipeline: 8, virtualPipelineStages: 4, expert: 32, sequenceParallel: true, zero: 1 },
    globalBatch: 2048,
    measured: 1575,
    source: MB,
  },
  {
    id: 'MB-06',
    part: 'examined',
    label: 'Llama 3 8B, FP8-CS, FSDP 8, mb 1 × 8192, GBS 128, 8 GPUs',
    model: { preset: 'llama-3-8b' },
    gpu: 'H100-SXM-80GB',
    gpus: 8,
    micro: 1,
    seq: 8192,
    checkpointing: 'full',
    extra: { checkpointedLayers: 5 },
    precision: 'fp8-mixed',
    parallelism: { fsdp: 'full' },
    globalBatch: 128,
    measured: 14451,
    source: MB,
    note: 'the recipe recomputes 5 of 32 layers (recompute_num_layers=5): checkpointedLayers 5 since issue 12',
  },
  { id: 'AM-01', part: 'examined', label: 'GPT-OSS 20B, BF16, FSDP 8 EP 8, mb 2 × 4096, GBS 256, 8 GPUs', model: { preset: 'gpt-oss-20b' }, gpu: 'H100-SXM-80GB', gpus: 8, micro: 2, seq: 4096, checkpointing: 'none', parallelism: { fsdp: 'full', expert: 8 }, globalBatch: 256, measured: 13058, source: AM },
  {
    id: 'AM-02',
    part: 'examined',
    label: 'Qwen3 30B-A3B, BF16, FSDP 8 EP 8, mb 4 × 4096, GBS 512, 8 GPUs',
    model: { preset: 'qwen3-30b-a3b' },
    gpu: 'H100-SXM-80GB',
    gpus: 8,
    micro: 4,
    seq: 4096,
    checkpointing: 'none',
    parallelism: { fsdp: 'full', expert: 8 },
    globalBatch: 512,
    measured: 12040,
    source: AM,
    note: "activation checkpointing as in the 20B YAML (off), not read from this model's",
  },
  // ---- gathered as held-out for the issue-12 throughput pass, evaluated twice since: examined now. NeMo 24.07 rows: Megatron distributed optimizer (zero 1), sequence parallel
  // where TP > 1; activation recompute is not stated in the table and is taken as none.
  { id: 'NM-01', part: 'examined', label: 'GPT3 5B, FP8, mb 4 × 2048, GBS 2048, 64 GPUs', model: gpt3(4096, 32, 24), gpu: 'H100-SXM-80GB', gpus: 64, micro: 4, seq: 2048, checkpointing: 'none', precision: 'fp8-mixed', parallelism: { zero: 1 }, globalBatch: 2048, measured: 23406, source: NM },
  {
    id: 'NM-02',
    part: 'examined',
    label: 'GPT3 20B, FP8, TP 2, mb 2 × 2048, GBS 256, 64 GPUs',
    model: gpt3(6144, 48, 44),
    gpu: 'H100-SXM-80GB',
    gpus: 64,
    micro: 2,
    seq: 2048,
    checkpointing: 'none',
    precision: 'fp8-mixed',
    parallelism: { tensor: 2, sequenceParallel: true, zero: 1 },
    globalBatch: 256,
    measured: 5851,
    source: NM,
  },
  {
    id: 'NM-03',
    part: 'examined',
    label: 'GPT3 175B, FP8, TP 4 PP 8 VP 6, mb 1 × 2048, GBS 256, 128 GPUs',
    model: { preset: 'gpt3-175b' },
    gpu: 'H100-SXM-80GB',
    gpus: 128,
    micro: 1,
    seq: 2048,
    checkpointing: 'none',
    precision: 'fp8-mixed',
    parallelism: { tensor: 4, pipeline: 8, virtualPipelineStages: 6, sequenceParallel: true, zero: 1 },
    globalBatch: 256,
    measured: 716,
    source: NM,
  },
  {
    id: 'NM-04',
    part: 'examined',
    label: 'GPT3 175B, FP8, TP 4 PP 8 VP 6, mb 2 × 2048, GBS 2048, 512 GPUs',
    model: { preset: 'gpt3-175b' },
    gpu: 'H100-SXM-80GB',
    gpus: 512,
    micro: 2,
    seq: 2048,
    checkpointing: 'none',
    precision: 'fp8-mixed',
    parallelism: { tensor: 4, pipeline: 8, virtualPipelineStages: 6, sequenceParallel: true, zero: 1 },
    globalBatch: 2048,
    measured: 825,
    source: NM,
  },
  { id: 'NM-05', part: 'examined', label: 'Llama 2 7B, FP8, mb 1 × 4096, GBS 128, 8 GPUs', model: { preset: 'llama-2-7b' }, gpu: 'H100-SXM-80GB', gpus: 8, micro: 1, seq: 4096, checkpointing: 'none', precision: 'fp8-mixed', parallelism: { zero: 1 }, globalBatch: 128, measured: 16934, source: NM },
  {
    id: 'NM-06',
    part: 'examined',
    label: 'Llama 2 13B, FP8, PP 4 VP 10, mb 1 × 4096, GBS 128, 16 GPUs',
    model: { preset: 'llama-2-13b' },
    gpu: 'H100-SXM-80GB',
    gpus: 16,
    micro: 1,
    seq: 4096,
    checkpointing: 'none',
    precision: 'fp8-mixed',
    parallelism: { pipeline: 4, virtualPipelineStages: 10, zero: 1 },
    globalBatch: 128,
    measured: 8715,
    source: NM,
  },
  {
    id: 'NM-07',
    part: 'examined',
    label: 'Llama 2 70B, FP8, TP 4 PP 4 VP 20, mb 1 × 4096, GBS 128, 64 GPUs',
    model: { preset: 'llama-2-70b' },
    gpu: 'H100-SXM-80GB',
    gpus: 64,
    micro: 1,
    seq: 4096,
    checkpointing: 'none',
    precision: 'fp8-mixed',
    parallelism: { tensor: 4, pipeline: 4, virtualPipelineStages: 20, sequenceParallel: true, zero: 1 },
    globalBatch: 128,
    measured: 1728,
    source: NM,
  },
  {
    id: 'NM-08',
    part: 'examined',
    label: 'Nemotron 8B, FP8, TP 2, mb 4 × 4096, GBS 256, 64 GPUs',
    model: nemotron(4096, 32, 32, 32),
    gpu: 'H100-SXM-80GB',
    gpus: 64,
    micro: 4,
    seq: 4096,
    checkpointing: 'none',
    precision: 'fp8-mixed',
    parallelism: { tensor: 2, sequenceParallel: true, zero: 1 },
    globalBatch: 256,
    measured: 12507,
    source: NM,
  },
  {
    id: 'NM-09',
    part: 'examined',
    label: 'Nemotron 22B, FP8, TP 2 PP 4 VP 10, mb 2 × 4096, GBS 256, 64 GPUs',
    model: nemotron(6144, 48, 48, 40),
    gpu: 'H100-SXM-80GB',
    gpus: 64,
    micro: 2,
    seq: 4096,
    checkpointing: 'none',
    precision: 'fp8-mixed',
    parallelism: { tensor: 2, pipeline: 4, virtualPipelineStages: 10, sequenceParallel: true, zero: 1 },
    globalBatch: 256,
    measured: 4312,
    source: NM,
  },
  {
    id: 'NM-10',
    part: 'examined',
    label: 'Nemotron 340B, FP8, TP 8 PP 8 VP 12, mb 1 × 4096, GBS 32, 128 GPUs',
    model: nemotron(18432, 96, 8, 96),
    gpu: 'H100-SXM-80GB',
    gpus: 128,
    micro: 1,
    seq: 4096,
    checkpointing: 'none',
    precision: 'fp8-mixed',
    parallelism: { tensor: 8, pipeline: 8, virtualPipelineStages: 12, sequenceParallel: true, zero: 1 },
    globalBatch: 32,
    measured: 326,
    source: NM,
  },
  { id: 'NM-11', part: 'examined', label: 'Llama 3 8B, FP8, CP 2, mb 1 × 8192, GBS 128, 8 GPUs', model: { preset: 'llama-3-8b' }, gpu: 'H100-SXM-80GB', gpus: 8, micro: 1, seq: 8192, checkpointing: 'none', precision: 'fp8-mixed', parallelism: { context: 2, zero: 1 }, globalBatch: 128, measured: 12273, source: NM },
  {
    id: 'NM-12',
    part: 'examined',
    label: 'Llama 3 70B, FP8, TP 4 PP 4 CP 2 VP 5, mb 1 × 8192, GBS 128, 64 GPUs',
    model: { preset: 'llama-3-70b' },
    gpu: 'H100-SXM-80GB',
    gpus: 64,
    micro: 1,
    seq: 8192,
    checkpointing: 'none',
    precision: 'fp8-mixed',
    parallelism: { tensor: 4, pipeline: 4, context: 2, virtualPipelineStages: 5, sequenceParallel: true, zero: 1 },
    globalBatch: 128,
    measured: 1524,
    source: NM,
  },
  { id: 'NM-13', part: 'examined', label: 'Llama 2 7B SFT (packed 4096), FP8, mb 1, GBS 32, 8 GPUs', model: { preset: 'llama-2-7b' }, gpu: 'H100-SXM-80GB', gpus: 8, micro: 1, seq: 4096, checkpointing: 'none', precision: 'fp8-mixed', parallelism: { zero: 1 }, globalBatch: 32, measured: 16891, source: NM },
  {
    id: 'NM-14',
    part: 'examined',
    label: 'Llama 2 13B SFT (packed 4096), FP8, PP 4, mb 1, GBS 32, 8 GPUs',
    model: { preset: 'llama-2-13b' },
    gpu: 'H100-SXM-80GB',
    gpus: 8,
    micro: 1,
    seq: 4096,
    checkpointing: 'none',
    precision: 'fp8-mixed',
    parallelism: { pipeline: 4, zero: 1 },
    globalBatch: 32,
    measured: 10176,
    source: NM,
  },
  {
    id: 'NM-15',
    part: 'examined',
    label: 'Llama 2 70B SFT (packed 4096), FP8, TP 4 PP 4, mb 1, GBS 32, 16 GPUs',
    model: { preset: 'llama-2-70b' },
    gpu: 'H100-SXM-80GB',
    gpus: 16,
    micro: 1,
    seq: 4096,
    checkpointing: 'none',
    precision: 'fp8-mixed',
    parallelism: { tensor: 4, pipeline: 4, sequenceParallel: true, zero: 1 },
    globalBatch: 32,
    measured: 1816,
    source: NM,
  },
  // torchtitan on H200 (Trainy): FSDP2 over all GPUs, float8 with FSDP float8 all-gather.
  {
    id: 'TH-01',
    part: 'examined',
    label: 'Llama 3.1 8B, float8, FSDP, AC selective op, compile, mb 2 × 8192, 32 × H200',
    model: { preset: 'llama-3.1-8b' },
    gpu: 'H200-SXM-141GB',
    gpus: 32,
    micro: 2,
    seq: 8192,
    checkpointing: 'selective',
    precision: 'fp8-mixed',
    parallelism: { fsdp: 'full' },
    extra: { compile: true, float8: { allGather: true } },
    measured: 10938,
    source: TH,
  },
  {
    id: 'TH-02',
    part: 'examined',
    label: 'Llama 3.1 8B, float8, FSDP, AC selective op, compile, mb 2 × 8192, 64 × H200',
    model: { preset: 'llama-3.1-8b' },
    gpu: 'H200-SXM-141GB',
    gpus: 64,
    micro: 2,
    seq: 8192,
    checkpointing: 'selective',
    precision: 'fp8-mixed',
    parallelism: { fsdp: 'full' },
    extra: { compile: true, float8: { allGather: true } },
    measured: 10753,
    source: TH,
  },
  // Megatron-Core MoE (Qwen3 235B-A22B, BF16, DeepEP unless said). 'norm, act' recompute (layernorm and
  // activation function only: no GEMM re-run) is counted as none.
  {
    id: 'MZ-01',
    part: 'examined',
    label: 'Qwen3 235B-A22B, BF16, TP 2 EP 32 PP 8 VP 4 DP 16, mb 1 × 4096, GBS 2048, 256 GPUs',
    model: { preset: 'qwen3-235b-a22b' },
    gpu: 'H100-SXM-80GB',
    gpus: 256,
    micro: 1,
    seq: 4096,
    checkpointing: 'none',
    parallelism: { tensor: 2, pipeline: 8, virtualPipelineStages: 4, expert: 32, sequenceParallel: true, zero: 1 },
    globalBatch: 2048,
    measured: 1663,
    source: MZ,
    note: 'step 19.7 s; recompute norm + act',
  },
  {
    id: 'MZ-02',
    part: 'examined',
    label: 'Qwen3 235B-A22B, BF16, TP 2 EP 32 PP 8 VP 4 DP 16, 1F1B A2A overlap, mb 1 × 4096, GBS 2048, 256 GPUs',
    model: { preset: 'qwen3-235b-a22b' },
    gpu: 'H100-SXM-80GB',
    gpus: 256,
    micro: 1,
    seq: 4096,
    checkpointing: 'none',
    parallelism: { tensor: 2, pipeline: 8, virtualPipelineStages: 4, expert: 32, sequenceParallel: true, zero: 1 },
    globalBatch: 2048,
    measured: 1862,
    source: MZ,
    note: 'step 17.6 s; recompute norm + act; EP all-to-all overlapped with 1F1B (not expressible)',
  },
  {
    id: 'MZ-03',
    part: 'examined',
    label: 'Qwen3 235B-A22B, BF16, TP 2 EP 8 FSDP 128, AC full, mb 4 × 4096, GBS 2048, 256 GPUs',
    model: { preset: 'qwen3-235b-a22b' },
    gpu: 'H100-SXM-80GB',
    gpus: 256,
    micro: 4,
    seq: 4096,
    checkpointing: 'full',
    parallelism: { tensor: 2, expert: 8, sequenceParallel: true, fsdp: 'full' },
    globalBatch: 2048,
    measured: 1862,
    source: MZ,
    note: 'step 17.6 s; Megatron FSDP',
  },
  {
    id: 'MZ-04',
    part: 'examined',
    label: 'Qwen3 235B-A22B, BF16, all-to-all dispatcher, TP 2 EP 8 PP 32 VP 3 DP 4, mb 1 × 4096, GBS 2048, 256 GPUs',
    model: { preset: 'qwen3-235b-a22b' },
    gpu: 'H100-SXM-80GB',
    gpus: 256,
    micro: 1,
    seq: 4096,
    checkpointing: 'none',
    parallelism: { tensor: 2, pipeline: 32, virtualPipelineStages: 3, expert: 8, sequenceParallel: true, zero: 1 },
    globalBatch: 2048,
    measured: 1354,
    source: MZ,
    note: 'step 24.2 s; recompute norm + act',
  },
  {
    id: 'MZ-05',
    part: 'examined',
    label: 'Qwen3 235B-A22B, BF16, TP 4 EP 8 PP 8 VP 4 DP 8, mb 1 × 4096, GBS 2048, 256 GPUs',
    model: { preset: 'qwen3-235b-a22b' },
    gpu: 'H100-SXM-80GB',
    gpus: 256,
    micro: 1,
    seq: 4096,
    checkpointing: 'none',
    parallelism: { tensor: 4, pipeline: 8, virtualPipelineStages: 4, expert: 8, sequenceParallel: true, zero: 1 },
    globalBatch: 2048,
    measured: 1130,
    source: MZ,
    note: 'step 29.0 s',
  },
];

/** Every row; the held-out part only with GANTRY_EVAL_HELDOUT=1 (kept out while formulas change). */
export const THROUGHPUT_ROWS: ThroughputRow[] = typeof process !== 'undefined' && process.env.GANTRY_EVAL_HELDOUT === '1' ? ALL_ROWS : ALL_ROWS.filter((r) => r.part !== 'held-out');
