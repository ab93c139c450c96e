// The share of a GPU's dense peak that a training step's kernels reach (hardware FLOPs utilisation),
// by GPU generation, precision and model size, from published MFU tables — not one constant:
//
// | GPU generation            | bf16/fp16                                          | source |
// | Hopper (H100/H200/H800…)  | 41 % at 2 B → 47 % at 462 B, log-linear in size    | Megatron-LM README (interconnect.csv MFU-002: "41% rising to 47-48% with model size", H100, up to 6144 GPUs) |
// | Ampere (A100/A800)        | 63 % (HFU)                                         | torchtitan A100 table, Llama 2/3 8–70B FSDP (MFU-003..010), each row's MFU turned into HFU below |
// | Blackwell, Ada, AMD, Intel| the Hopper figure (no published table in the data) | assumed, and said so |
//
// Below 2 B the Hopper figure is held at 41 % (no smaller model in the Megatron table). fp8 training
// (Float8 linears) runs at 62.5 % of the bf16 efficiency against the fp8 peak, i.e. 1.25× the bf16 speed
// (torchtitan's float8 notes report 1.25–1.5× on Llama; the low end is assumed, attention and norms stay
// in bf16). Recomputation is not in this figure: trainingTime.ts adds the FLOPs each checkpointing
// policy re-runs (recomputeFlopsPerToken) and divides hardware FLOPs by this efficiency.
//
// MFU vs HFU, by each source's own definition. MFU counts model FLOPs only (6Ψ + attention): torchtitan
// (get_num_flop_per_token = 6N + 12·l·h·q·t), llm-foundry (its README: "MFU … does not account for …
// activation checkpointing"; HFU multiplies by 4/3), Megatron-LM (num_floating_point_operations: the 3×
// forward/backward expansion, no recompute term), PaLM. The value here is a hardware efficiency, so a
// row measured with recomputation counts at HFU = MFU × (model + recomputed FLOPs) / model FLOPs.
// Until issue 12 the A100 figure was the median of the torchtitan rows' MFU (54 %) and full
// recomputation was then charged again (× 4/3): the AC rows were counted twice. torchtitan A100 rows,
// MFU → HFU (recompute share from recomputeFlopsPerToken; torchtitan's 'selective layer' checkpoints
// every 2nd block, half a full recompute):
//   MFU-003 8B layer-SAC 56.8 → 65.3 · MFU-004 8B op-SAC 58.2 → 63.1 · MFU-005 70B full 51.7 → 68.5 ·
//   MFU-006 13B none 61.1 → 61.1 · MFU-007 13B layer-SAC 54.1 → 62.9 · MFU-008 13B op-SAC 53.8 → 59.8 ·
//   MFU-009 70B op-SAC 50.8 → 56.5 · MFU-010 70B full 50.5 → 67.2 — median 63.0 %.
// Megatron-LM's H100 figures are taken as HFU = MFU: its README runs are not documented with full
// recomputation (an assumption, stated in the estimate); they are end-to-end figures at up to 6144 GPUs
// with TP/PP, so they include pipeline bubbles and exposed TP traffic that trainingTime.ts adds again —
// a kernel efficiency for an FSDP-only job is therefore likely higher than this figure (a known gap).
// The llm-foundry H100 table (MFU-012..022) is held out: nothing here was read from it.

import type { GpuInfo } from '../catalog/gpus';
import type { Precision } from '../spec/types';

export interface Efficiency {
  value: number;
  /** One line: the figure and where it comes from. */
  source: string;
}

type Generation = 'hopper' | 'ampere' | 'other';

function generation(g: GpuInfo): Generation {
  const id = g.id.toLowerCase();
  if (id.startsWith('h100') || id.startsWith('h200') || id.startsWith('h800') || id.startsWith('h20-') || id.startsWith('gh200')) return 'hopper';
  if (id.startsWith('a100') || id.startsWith('a800')) return 'ampere';
  return 'other';
}

const HOPPER_SMALL = { params: 2e9, mfu: 0.41 };
const HOPPER_LARGE = { params: 462e9, mfu: 0.47 };
const AMPERE = 0.63;
const FP8_RELATIVE = 0.625;

function hopper(params: number): number {
  const p = Math.min(Math.max(params, HOPPER_SMALL.params), HOPPER_LARGE.params);
  const t = Math.log(p / HOPPER_SMALL.params) / Math.log(HOPPER_LARGE.params / HOPPER_SMALL.params);
  return HOPPER_SMALL.mfu + t * (HOPPER_LARGE.mfu - HOPPER_SMALL.mfu);
}

export function computeEfficiency(g: GpuInfo, precision: Precision, activeParams: number): Efficiency {
  const gen = generation(g);
  let value: number;
  let source: string;
  if (gen === 'ampere') {
    value = AMPERE;
    source = 'A100 table (torchtitan Llama 8–70B as hardware FLOPs utilisation, median 63 %)';
  } else {
    value = hopper(activeParams);
    source = `H100 table (Megatron-LM: 41 % at 2 B → 47 % at 462 B; ${(activeParams / 1e9).toFixed(1)} B active)${gen === 'other' ? `; no published table for ${g.name}, the H100 figure assumed` : ''}`;
  }
  if (precision === 'fp8-mixed') {
    value *= FP8_RELATIVE;
    source += '; fp8: 1.25× the bf16 speed assumed (62.5 % of the bf16 efficiency against the fp8 peak)';
  }
  return { value, source };
}
