// The parallel layout of a training job: how many GPUs, and how they split into tensor, pipeline,
// context, expert and data parallel groups, with the checks that make a layout impossible.

import type { FsdpStrategy, TrainingJobSpec } from '../spec/types';
import { badInput } from './resolve';
import type { Finding } from './types';

export interface TrainingLayout {
  gpus: number;
  nodes: number;
  gpusPerNode: number;
  tensor: number;
  pipeline: number;
  context: number;
  data: number;
  expert: number;
  /** Tensor-parallel size inside the expert layers (Megatron expert_tensor_parallel_size); default tensor. */
  expertTensor: number;
  sequenceParallel: boolean;
  zero: 0 | 1 | 2 | 3;
  offload: 'none' | 'optimizer' | 'params';
  fsdp: FsdpStrategy;
  virtualStages: number;
  micro: number;
  seq: number;
  /** Micro-batches per optimizer step on each data-parallel rank (gradient accumulation). */
  microBatches: number;
  globalBatch: number;
}

const MAX_GPUS = 1_000_000;
const MAX_SEQ = 1 << 26;

function posInt(v: unknown, def: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.floor(v) : def;
}

export function resolveLayout(spec: TrainingJobSpec): { layout?: TrainingLayout; findings: Finding[] } {
  const f: Finding[] = [];
  const nodes = posInt(spec.resources?.nodes, 1);
  const gpusPerNode = posInt(spec.resources?.gpusPerNode, 1);
  if (nodes < 1) f.push(badInput(`resources.nodes must be at least 1 (got ${spec.resources?.nodes})`, ['spec', 'resources', 'nodes']));
  if (gpusPerNode < 1) f.push(badInput(`resources.gpusPerNode must be at least 1 (got ${spec.resources?.gpusPerNode}); a training job needs GPUs`, ['spec', 'resources', 'gpusPerNode']));
  if (f.length) return { findings: f };
  const gpus = nodes * gpusPerNode;
  if (gpus > MAX_GPUS) return { findings: [badInput(`${gpus} GPUs is beyond what this estimator handles (${MAX_GPUS})`, ['spec', 'resources', 'nodes'])] };
  const p = spec.parallelism ?? {};
  const tensor = posInt(p.tensor, 1);
  const pipeline = posInt(p.pipeline, 1);
  const context = posInt(p.context, 1);
  const expert = posInt(p.expert, 1);
  const expertTensor = posInt(p.expertTensor, tensor);
  for (const [k, v] of [
    ['tensor', tensor],
    ['pipeline', pipeline],
    ['context', context],
    ['expert', expert],
    ['expertTensor', expertTensor],
  ] as const) {
    if (v < 1) f.push(badInput(`parallelism.${k} must be at least 1 (got ${v})`, ['spec', 'parallelism', k]));
  }
  if (f.length) return { findings: f };
  const modelParallel = tensor * pipeline * context;
  if (modelParallel > gpus) {
    return { findings: [badInput(`tensor × pipeline × context = ${modelParallel} needs more GPUs than the job has (${gpus})`, ['spec', 'parallelism'])] };
  }
  let data = posInt(p.data, Math.floor(gpus / modelParallel));
  if (p.data !== undefined && data * modelParallel !== gpus) {
    f.push(badInput(`tensor × pipeline × context × data = ${modelParallel * data}, but the job has ${gpus} GPUs`, ['spec', 'parallelism', 'data']));
  } else if (p.data === undefined && gpus % modelParallel !== 0) {
    f.push(badInput(`${gpus} GPUs do not divide into tensor × pipeline × context = ${modelParallel}`, ['spec', 'parallelism']));
  }
  if (data < 1) data = 1;
  if (p.expertTensor === undefined) {
    if (expert > data * context) f.push(badInput(`parallelism.expert (${expert}) cannot exceed data × context (${data * context}); set parallelism.expertTensor to fold experts across tensor ranks`, ['spec', 'parallelism', 'expert']));
  } else if ((tensor * context * data) % (expert * expertTensor) !== 0) {
    // Megatron-Core MoE parallel folding: the expert layers regroup the same GPUs as expertTensor × expert × expert-data.
    f.push(badInput(`parallelism.expert × expertTensor (${expert} × ${expertTensor}) must divide tensor × context × data (${tensor * context * data})`, ['spec', 'parallelism', 'expertTensor']));
  }
  const b = spec.batch;
  const micro = posInt(b?.micro, 0);
  const seq = posInt(b?.sequenceLength, 0);
  if (micro < 1) f.push(badInput(`batch.micro must be at least 1 (got ${b?.micro})`, ['spec', 'batch', 'micro']));
  if (seq < 1) f.push(badInput(`batch.sequenceLength must be at least 1 (got ${b?.sequenceLength})`, ['spec', 'batch', 'sequenceLength']));
  else if (seq > MAX_SEQ) f.push(badInput(`batch.sequenceLength ${seq} is beyond ${MAX_SEQ} tokens`, ['spec', 'batch', 'sequenceLength']));
  if (micro > 1e6) f.push(badInput(`batch.micro ${micro} is not plausible`, ['spec', 'batch', 'micro']));
  if (seq % context !== 0 && seq >= 1) f.push(badInput(`batch.sequenceLength (${seq}) must divide by parallelism.context (${context})`, ['spec', 'parallelism', 'context']));
  if (f.length) return { findings: f };
  let microBatches = posInt(b.gradientAccumulation, 1);
  if (microBatches > 1e6) return { findings: [badInput(`batch.gradientAccumulation ${b.gradientAccumulation} is not plausible (more than 10^6)`, ['spec', 'batch', 'gradientAccumulation'])] };
  if (b.global !== undefined && !(typeof b.global === 'number' && b.global <= 1e9)) {
    return { findings: [badInput(`batch.global ${b.global} is not plausible (more than 10^9 sequences)`, ['spec', 'batch', 'global'])] };
  }
  if (b.gradientAccumulation !== undefined && microBatches < 1) {
    return { findings: [badInput(`batch.gradientAccumulation must be at least 1 (got ${b.gradientAccumulation})`, ['spec', 'batch', 'gradientAccumulation'])] };
  }
  let globalBatch = micro * data * microBatches;
  if (b.global !== undefined) {
    const g = posInt(b.global, 0);
    if (g < micro) return { findings: [badInput(`batch.global (${b.global}) is smaller than batch.micro (${micro})`, ['spec', 'batch', 'global'])] };
    if (g % (micro * data) !== 0) {
      return { findings: [badInput(`batch.global (${g}) must be a multiple of micro × data-parallel ranks (${micro} × ${data} = ${micro * data})`, ['spec', 'batch', 'global'])] };
    }
    const m = g / (micro * data);
    if (b.gradientAccumulation !== undefined && m !== microBatches) {
      return { findings: [badInput(`batch.global (${g}) ≠ micro × data × gradientAccumulation (${micro} × ${data} × ${microBatches})`, ['spec', 'batch', 'global'])] };
    }
    microBatches = m;
    globalBatch = g;
  }
  const zero = p.zero === 1 || p.zero === 2 || p.zero === 3 ? p.zero : 0;
  const fsdp: FsdpStrategy = p.fsdp === 'full' || p.fsdp === 'hybrid' || p.fsdp === 'grad-op' ? p.fsdp : 'none';
  const virtualStages = Math.max(1, posInt(p.virtualPipelineStages, 1));
  return {
    layout: {
      gpus,
      nodes,
      gpusPerNode,
      tensor,
      pipeline,
      context,
      data,
      expert,
      expertTensor,
      sequenceParallel: p.sequenceParallel === true && tensor > 1,
      zero,
      offload: p.offload === 'optimizer' || p.offload === 'params' ? p.offload : 'none',
      fsdp,
      virtualStages,
      micro,
      seq,
      microBatches,
      globalBatch,
    },
    findings: f,
  };
}
