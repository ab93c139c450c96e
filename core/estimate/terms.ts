// The estimate's memory in two parts, for calibration against measured runs (core/calibrate):
// the static part is counted exactly from the model and the layout (weights, fp32 master weights,
// gradients, optimizer states); the rest (activations, logits, working sets, allocator slack, CUDA
// context, NCCL buffers) comes from assumptions, and is the part a measured run corrects.
import type { MemoryEstimate } from './types';

const STATIC_TERMS = ['weights', 'masterWeights', 'gradients', 'optimizerStates'] as const;

/** Bytes per GPU of the terms counted exactly (the rest of deviceBytes is activations and overhead). */
export function staticBytesOf(memory: MemoryEstimate): number {
  let sum = 0;
  for (const k of STATIC_TERMS) sum += memory.breakdown[k] ?? 0;
  return Math.min(sum, memory.perGpu.deviceBytes);
}
