// Throughput rows: tokens/s per GPU published with the full configuration, from
// ../shared/estimator-data/interconnect.csv (the MFU-* rows), as specs.
//
// Two parts, kept apart on purpose:
// - reference: torchtitan's A100 table (MFU-003..010). Its MFU figures are one of the sources of
//   the efficiency table (core/estimate/efficiency.ts), so these rows are in-sample.
// - held-out: llm-foundry's H100 BF16 table (MFU-012..022). No efficiency figure was taken from
//   them and no formula is tuned on them; they measure how the estimate carries over.
// MPT shapes come from llm-foundry scripts/train/yamls/pretrain/mpt-*.yaml (d_model, n_heads,
// n_layers, expansion_ratio 4, vocab 50368; MPT has no gated MLP, ties embeddings, uses ALiBi).

import type { Architecture } from '../core/spec/types';

export interface ThroughputRow {
  id: string;
  part: 'reference' | 'held-out';
  label: string;
  model: { preset: string } | { architecture: Architecture };
  gpu: string;
  gpus: number;
  micro: number;
  seq: number;
  checkpointing: 'none' | 'selective' | 'full';
  /** Measured tokens/s per GPU. */
  measured: number;
  source: string;
}

const mpt = (hidden: number, heads: number, layers: number): { architecture: Architecture } => ({
  architecture: { layers, hidden, heads, ffn: 4 * hidden, vocab: 50368, gatedMlp: false, tiedEmbeddings: true, maxContext: 8192 },
});

const TT = 'torchtitan docs/performance.md (A100 80GB × 64, FSDP2 1D), interconnect.csv';
const LF = 'llm-foundry scripts/train/benchmarking/README.md H100 80GB BF16 table (FSDP FULL_SHARD, amp_bf16), interconnect.csv';

export const THROUGHPUT_ROWS: ThroughputRow[] = [
  { id: 'MFU-003', part: 'reference', label: 'Llama 3 8B, mb 1, seq 8192, AC selective layer', model: { preset: 'llama-3-8b' }, gpu: 'A100-SXM-80GB', gpus: 64, micro: 1, seq: 8192, checkpointing: 'selective', measured: 2904, source: TT },
  { id: 'MFU-004', part: 'reference', label: 'Llama 3 8B, mb 1, seq 8192, AC selective op', model: { preset: 'llama-3-8b' }, gpu: 'A100-SXM-80GB', gpus: 64, micro: 1, seq: 8192, checkpointing: 'selective', measured: 2973, source: TT },
  { id: 'MFU-005', part: 'reference', label: 'Llama 3 70B, mb 1, seq 8192, AC full', model: { preset: 'llama-3-70b' }, gpu: 'A100-SXM-80GB', gpus: 64, micro: 1, seq: 8192, checkpointing: 'full', measured: 331, source: TT },
  { id: 'MFU-006', part: 'reference', label: 'Llama 2 13B, mb 2, seq 4096, AC none', model: { preset: 'llama-2-13b' }, gpu: 'A100-SXM-80GB', gpus: 64, micro: 2, seq: 4096, checkpointing: 'none', measured: 2162, source: TT },
  { id: 'MFU-007', part: 'reference', label: 'Llama 2 13B, mb 2, seq 4096, AC selective layer', model: { preset: 'llama-2-13b' }, gpu: 'A100-SXM-80GB', gpus: 64, micro: 2, seq: 4096, checkpointing: 'selective', measured: 1914, source: TT },
  { id: 'MFU-008', part: 'reference', label: 'Llama 2 13B, mb 2, seq 4096, AC selective op', model: { preset: 'llama-2-13b' }, gpu: 'A100-SXM-80GB', gpus: 64, micro: 2, seq: 4096, checkpointing: 'selective', measured: 1904, source: TT },
  { id: 'MFU-009', part: 'reference', label: 'Llama 2 70B, mb 1, seq 4096, AC selective op', model: { preset: 'llama-2-70b' }, gpu: 'A100-SXM-80GB', gpus: 64, micro: 1, seq: 4096, checkpointing: 'selective', measured: 355, source: TT },
  { id: 'MFU-010', part: 'reference', label: 'Llama 2 70B, mb 2, seq 4096, AC full', model: { preset: 'llama-2-70b' }, gpu: 'A100-SXM-80GB', gpus: 64, micro: 2, seq: 4096, checkpointing: 'full', measured: 353, source: TT },
  { id: 'MFU-012', part: 'held-out', label: 'MPT-7b, mb 6, seq 2048, AC no, 8 GPUs', model: mpt(4096, 32, 32), gpu: 'H100-SXM-80GB', gpus: 8, micro: 6, seq: 2048, checkpointing: 'none', measured: 10643, source: LF },
  { id: 'MFU-013', part: 'held-out', label: 'MPT-7b, mb 16, seq 4096, AC yes, 8 GPUs', model: mpt(4096, 32, 32), gpu: 'H100-SXM-80GB', gpus: 8, micro: 16, seq: 4096, checkpointing: 'full', measured: 8611, source: LF },
  { id: 'MFU-014', part: 'held-out', label: 'MPT-7b, mb 8, seq 8192, AC yes, 8 GPUs', model: mpt(4096, 32, 32), gpu: 'H100-SXM-80GB', gpus: 8, micro: 8, seq: 8192, checkpointing: 'full', measured: 6935, source: LF },
  { id: 'MFU-015', part: 'held-out', label: 'MPT-13b, mb 2, seq 2048, AC no, 8 GPUs', model: mpt(5120, 40, 40), gpu: 'H100-SXM-80GB', gpus: 8, micro: 2, seq: 2048, checkpointing: 'none', measured: 4792, source: LF },
  { id: 'MFU-016', part: 'held-out', label: 'MPT-13b, mb 10, seq 4096, AC yes, 8 GPUs', model: mpt(5120, 40, 40), gpu: 'H100-SXM-80GB', gpus: 8, micro: 10, seq: 4096, checkpointing: 'full', measured: 4717, source: LF },
  { id: 'MFU-017', part: 'held-out', label: 'MPT-30b, mb 14, seq 2048, AC yes, 32 GPUs', model: mpt(7168, 56, 48), gpu: 'H100-SXM-80GB', gpus: 32, micro: 14, seq: 2048, checkpointing: 'full', measured: 2308, source: LF },
  { id: 'MFU-018', part: 'held-out', label: 'MPT-70b, mb 8, seq 2048, AC yes, 64 GPUs', model: mpt(8192, 64, 80), gpu: 'H100-SXM-80GB', gpus: 64, micro: 8, seq: 2048, checkpointing: 'full', measured: 1039, source: LF },
  { id: 'MFU-019', part: 'held-out', label: 'MPT-70b, mb 2, seq 2048, AC yes, 32 GPUs', model: mpt(8192, 64, 80), gpu: 'H100-SXM-80GB', gpus: 32, micro: 2, seq: 2048, checkpointing: 'full', measured: 882, source: LF },
  { id: 'MFU-020', part: 'held-out', label: 'MPT-1b, mb 14, seq 2048, AC no, 8 GPUs', model: mpt(2048, 16, 24), gpu: 'H100-SXM-80GB', gpus: 8, micro: 14, seq: 2048, checkpointing: 'none', measured: 45455, source: LF },
  { id: 'MFU-021', part: 'held-out', label: 'MPT-760m, mb 24, seq 2048, AC no, 8 GPUs', model: mpt(1536, 12, 24), gpu: 'H100-SXM-80GB', gpus: 8, micro: 24, seq: 2048, checkpointing: 'none', measured: 63147, source: LF },
  { id: 'MFU-022', part: 'held-out', label: 'MPT-3b, mb 6, seq 2048, AC no, 64 GPUs', model: mpt(2560, 20, 32), gpu: 'H100-SXM-80GB', gpus: 64, micro: 6, seq: 2048, checkpointing: 'none', measured: 22525, source: LF },
];
