// Text renderings of an estimate: the one-line summary (inlay hint / code lens) and a markdown
// table for hover and the CLI.

import type { ServingEstimate, TrainingEstimate } from './types';

const GIB = 1024 ** 3;

export function gib(bytes: number, digits = 1): string {
  return `${(bytes / GIB).toFixed(digits)} GiB`;
}

/**
 * An integer with thousands separators ("1,234,567"), as toLocaleString('en-US') writes it but
 * without Intl: the first Intl call loads ICU data, about 7 MB of resident memory in the server.
 */
export function grouped(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const r = Math.round(n);
  const digits = String(Math.abs(r));
  return (r < 0 ? '-' : '') + digits.replace(/\B(?=(\d{3})+$)/g, ',');
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s) || s <= 0) return '0 s';
  if (s < 0.001) return `${(s * 1e6).toFixed(0)} µs`;
  if (s < 0.01) return `${(s * 1000).toFixed(1)} ms`;
  if (s < 1) return `${(s * 1000).toFixed(0)} ms`;
  if (s < 120) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  if (s < 172800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} days`;
}

export function memoryLine(device: number, capacity: number): string {
  const pct = capacity > 0 ? Math.round((device / capacity) * 100) : 0;
  return `≈ ${gib(device)} / ${gib(capacity)} per GPU (${pct} %)`;
}

export function summarizeTraining(e: TrainingEstimate): string {
  if (!e.memory) return `estimate unavailable: ${e.findings.find((f) => f.severity === 'error')?.message ?? 'missing input'}`;
  const parts = [memoryLine(e.memory.perGpu.deviceBytes, e.memory.capacityBytes)];
  if (e.time) {
    parts.push(`${formatSeconds(e.time.stepSeconds)}/step`);
    parts.push(`comm ${Math.round(e.time.commFraction * 100)} %`);
  }
  return parts.join(' · ');
}

export function summarizeServing(e: ServingEstimate): string {
  if (!e.memory || !e.serving) return `estimate unavailable: ${e.findings.find((f) => f.severity === 'error')?.message ?? 'missing input'}`;
  const s = e.serving;
  return `${memoryLine(e.memory.perGpu.deviceBytes, e.memory.capacityBytes)} · KV ${gib(s.kvCacheBytes)} = ${grouped(Math.floor(s.kvCacheTokens))} tokens · ${s.maxConcurrency.toFixed(1)}× ${grouped(s.maxModelLen)}-token requests`;
}

const LABELS: Record<string, string> = {
  weights: 'Weights',
  loraSlots: 'LoRA adapter slots (vLLM --max-loras × --max-lora-rank)',
  masterWeights: 'fp32 master weights',
  gradients: 'Gradients',
  optimizerStates: 'Optimizer states',
  pagedOptimizerStates: 'Paged optimizer states (CUDA unified memory)',
  optimizerStepTemporaries: 'Optimizer step temporaries (foreach/for-loop)',
  activations: 'Activations',
  logitsAndLoss: 'Logits and loss',
  backwardWorkingSet: 'Backward working set',
  transientBuffers: 'Gather/bucket buffers',
  autocastWeightCopies: 'Autocast half-precision weight copies',
  allocatorSlack: 'Allocator slack (reserved − allocated)',
  cudaContext: 'CUDA context',
  ncclBuffers: 'NCCL buffers',
  kvCache: 'KV cache',
  activationPeak: 'Activation peak (profile run)',
  nonTorch: 'Non-torch (NCCL, cuBLAS)',
  cudaGraphs: 'CUDA graphs',
};

/** A markdown table of the whole breakdown, the three totals and the assumptions. */
export function renderMarkdown(e: TrainingEstimate | ServingEstimate): string {
  const lines: string[] = [];
  lines.push(`**${e.summary}**`, '');
  if (e.memory) {
    lines.push('| Memory per GPU | GiB |', '| --- | ---: |');
    for (const [k, v] of Object.entries(e.memory.breakdown)) {
      if (v > 0) lines.push(`| ${LABELS[k] ?? k} | ${(v / GIB).toFixed(2)} |`);
    }
    const p = e.memory.perGpu;
    lines.push(`| **Peak allocated** (tensors) | **${(p.allocatedBytes / GIB).toFixed(2)}** |`);
    lines.push(`| **Peak reserved** (allocator) | **${(p.reservedBytes / GIB).toFixed(2)}** |`);
    lines.push(`| **Device** (nvidia-smi) | **${(p.deviceBytes / GIB).toFixed(2)}** |`);
    lines.push(`| Capacity | ${(e.memory.capacityBytes / GIB).toFixed(2)} |`, '');
  }
  if (e.kind === 'InferenceService' && e.serving) {
    const s = e.serving;
    lines.push('| Serving | |', '| --- | ---: |');
    lines.push(`| KV bytes per token per GPU | ${grouped(s.kvBytesPerToken)} |`);
    if (s.stateBytesPerSequence) lines.push(`| Recurrent state per sequence per GPU | ${(s.stateBytesPerSequence / 2 ** 20).toFixed(2)} MiB |`);
    lines.push(`| KV cache tokens | ${grouped(s.kvCacheTokens)} |`);
    lines.push(`| Max concurrency at ${s.maxModelLen} tokens | ${s.maxConcurrency.toFixed(2)} |`, '');
  }
  if (e.kind === 'TrainingJob' && e.time && e.interconnect) {
    const t = e.time;
    lines.push('| Time | |', '| --- | ---: |');
    lines.push(`| Compute per step | ${formatSeconds(t.computeSeconds)} |`);
    if (t.moeHostSeconds) lines.push(`| MoE host time per step | ${formatSeconds(t.moeHostSeconds)} |`);
    lines.push(`| Exposed communication | ${formatSeconds(e.interconnect.exposedCommSeconds)} |`);
    if (t.pipelineBubbleFraction > 0) lines.push(`| Pipeline bubble | ${(t.pipelineBubbleFraction * 100).toFixed(1)} % |`);
    lines.push(`| Step | ${formatSeconds(t.stepSeconds)} |`);
    lines.push(`| Tokens/s per GPU | ${grouped(t.tokensPerSecondPerGpu)} |`);
    lines.push(`| MFU (implied) | ${(t.mfu * 100).toFixed(1)} % |`);
    if (t.totalSeconds) lines.push(`| Time to train ${(t.totalTokens ?? 0).toExponential(2)} tokens | ${formatSeconds(t.totalSeconds)} |`);
    lines.push('');
    if (e.interconnect.collectives.length) {
      lines.push('| Collective | ranks | link | GB/GPU/step | s |', '| --- | ---: | --- | ---: | ---: |');
      for (const c of e.interconnect.collectives) {
        lines.push(`| ${c.name} | ${c.ranks} | ${c.link} | ${(c.bytesPerGpu / 1e9).toFixed(2)} | ${c.seconds.toFixed(3)} |`);
      }
      lines.push('');
    }
  }
  if (e.assumptions.length) {
    lines.push('Assumptions:', ...e.assumptions.map((a) => `- ${a}`));
  }
  return lines.join('\n');
}
