// The share of a GPU's dense peak that a training step's kernels reach (hardware FLOPs utilisation),
// by GPU generation, precision and model size, from published MFU tables — not one constant:
//
// | GPU generation            | bf16/fp16                                          | source |
// | Hopper (H100/H200/H800…)  | 41 % at 2 B → 47 % at 462 B, log-linear in size    | Megatron-LM README (interconnect.csv MFU-002: "41% rising to 47-48% with model size", H100, up to 6144 GPUs) |
// | Ampere (A100/A800)        | 54 %                                               | torchtitan A100 table, Llama 2/3 8–70B FSDP (MFU-003..010: 50.5–61.1 %, median 54 %); Korthikanti et al. 530B: 54.2 % (MFU-001) |
// | Blackwell, Ada, AMD, Intel| the Hopper figure (no published table in the data) | assumed, and said so |
//
// Below 2 B the Hopper figure is held at 41 % (no smaller model in the Megatron table). fp8 training
// (Float8 linears) runs at 62.5 % of the bf16 efficiency against the fp8 peak, i.e. 1.25× the bf16 speed
// (torchtitan's float8 notes report 1.25–1.5× on Llama; the low end is assumed, attention and norms stay
// in bf16). Full activation recomputation adds a forward pass on top (× 4/3 hardware FLOPs; Korthikanti
// et al.: 54.2 % MFU with selective vs 42.1 % with full recomputation ≈ 3/4).
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
const AMPERE = 0.54;
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
    source = 'A100 table (torchtitan Llama 8–70B, median 54 %)';
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
