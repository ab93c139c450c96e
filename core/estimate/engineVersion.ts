// Which engine version an InferenceService runs: spec.engineVersion, else the tag of its container
// image (`vllm/vllm-openai:v0.6.3` → 0.6.3), else unknown (the estimator then assumes the current
// release and says so). Parsed by hand (split on '.', digits only): no regular expression on the text.

import type { InferenceServiceSpec } from '../spec/types';

export interface EngineVersion {
  /** [major, minor, patch]; undefined when unknown. */
  parts?: [number, number, number];
  text?: string;
  /** Where the version came from. */
  from: 'spec' | 'image' | 'default';
}

/** '0.6.3', 'v0.10.1', '0.6.3.post1', '0.8.5rc1' → [0, 6, 3] / [0, 10, 1] / …; undefined when not a version. */
export function parseVersion(text: string): [number, number, number] | undefined {
  if (typeof text !== 'string' || text.length > 40) return undefined;
  let t = text.trim();
  if (t.startsWith('v') || t.startsWith('V')) t = t.slice(1);
  const fields = t.split('.');
  if (fields.length < 2) return undefined;
  const out: number[] = [];
  for (const f of fields.slice(0, 3)) {
    let digits = '';
    for (const c of f) {
      if (c >= '0' && c <= '9') digits += c;
      else break;
    }
    if (!digits || digits.length > 4) return out.length >= 2 ? undefined : undefined;
    out.push(Number(digits));
    if (digits.length !== f.length) break; // '3rc1', '3-cu121': the rest is a suffix
  }
  if (out.length < 2) return undefined;
  return [out[0], out[1], out[2] ?? 0];
}

/** The tag of an image reference (`repo/name:tag@sha256:…` → tag), or undefined. */
export function imageTag(image: string | undefined): string | undefined {
  if (typeof image !== 'string' || image.length > 500) return undefined;
  const noDigest = image.split('@')[0];
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > lastSlash ? noDigest.slice(colon + 1) : undefined;
}

export function engineVersionOf(spec: InferenceServiceSpec): EngineVersion {
  if (typeof spec.engineVersion === 'string') {
    const parts = parseVersion(spec.engineVersion);
    if (parts) return { parts, text: spec.engineVersion, from: 'spec' };
  }
  const tag = imageTag(spec.container?.image);
  if (tag) {
    const parts = parseVersion(tag);
    if (parts) return { parts, text: tag, from: 'image' };
  }
  return { from: 'default' };
}

export function atLeast(v: [number, number, number], major: number, minor: number, patch = 0): boolean {
  if (v[0] !== major) return v[0] > major;
  if (v[1] !== minor) return v[1] > minor;
  return v[2] >= patch;
}

/**
 * The CUDA graph pool: the median of vLLM's own estimate ("Estimated CUDA graph memory: … GiB total") over
 * the 23 published startup logs on CUDA GPUs in bench/data/vllm-cudagraph-estimates.jsonl, 0.78 GiB (range
 * 0.17–4.99 GiB; left out: two that vLLM issues report as estimator bugs, 33 and 119 GiB, and the ROCm
 * builds). Neither tensor parallel nor layers × hidden explain the spread in those logs (13 single-GPU
 * logs: median 0.65; 10 with tensor parallel, mostly large MoE models: 1.77), so one figure is taken and
 * its range is stated. The pool vLLM captures after sizing is the same memory (the estimate is a trial
 * capture of it), so the figure serves every release.
 */
export const CUDA_GRAPHS = 0.78 * 2 ** 30;

/** How a vLLM V1 release sizes its KV cache around CUDA graphs, and its default utilization. */
export interface VllmSizing {
  /** --gpu-memory-utilization when the spec does not set it. */
  utilization: number;
  /** Which releases have that default, for the estimate's text. */
  utilizationOf: string;
  /** The CUDA graph estimate is taken off the KV budget before sizing (else the graphs are captured after, on top). */
  graphsInBudget: boolean;
  /** One line for the estimate, saying which rule applies and why. */
  note: string;
}

const envFlag = (env: Record<string, unknown> | undefined, key: string): boolean | undefined => {
  const v = env?.[key];
  if (v === undefined) return undefined;
  return v === true || v === 1 || v === '1' || v === 'true' || v === 'True';
};

/**
 * vLLM V1's sizing by release (docs/estimator.md "vLLM versions"):
 * - through 0.19: default utilization 0.9; CUDA graphs are captured after the KV cache is sized, so they
 *   come on top of the budget (the graph estimate was opt-in, VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS=1);
 * - from 0.20 (vLLM PR #38284, "Enable CUDAGraph memory profiling by default", which "correspondingly
 *   increases the default --gpu-memory-utilization to 0.92"; its log line says "default since v0.21.0", but
 *   0.20.0 logs already print it): default 0.92, and the graph estimate comes off the budget;
 * - not on ROCm before PR #48526 (July 2026; 0.25 is taken as its first release), never with
 *   VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS=0, with Model Runner V2 (VLLM_USE_V2_MODEL_RUNNER=1, whose
 *   estimate is 0) or without graphs (--enforce-eager).
 * An unknown version is taken as the current release.
 */
export function vllmSizing(version: [number, number, number] | undefined, o: { env?: Record<string, unknown>; enforceEager?: boolean; vendor?: string }): VllmSizing {
  const modern = !version || atLeast(version, 0, 20);
  const utilization = modern ? 0.92 : 0.9;
  const flag = envFlag(o.env, 'VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS');
  let graphsInBudget = flag ?? modern;
  let reason = flag === undefined ? (modern ? 'the default since vLLM 0.20' : 'vLLM 0.19 and earlier') : `VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS=${flag ? 1 : 0}`;
  if (o.enforceEager) {
    graphsInBudget = false;
    reason = 'enforceEager: no CUDA graphs';
  } else if (envFlag(o.env, 'VLLM_USE_V2_MODEL_RUNNER')) {
    graphsInBudget = false;
    reason = 'Model Runner V2 (VLLM_USE_V2_MODEL_RUNNER=1) estimates no graph memory';
  } else if (graphsInBudget && o.vendor === 'amd' && version && !atLeast(version, 0, 25)) {
    graphsInBudget = false;
    reason = 'vLLM skipped the graph estimate on ROCm before 0.25';
  }
  const note = graphsInBudget ? `CUDA graph memory estimated during profiling and taken off the budget (${reason})` : `CUDA graphs captured after sizing, on top of the budget (${reason})`;
  return { utilization, utilizationOf: modern ? 'vLLM 0.20 and later' : 'vLLM 0.19 and earlier', graphsInBudget, note };
}

/**
 * Whether vLLM's fused-MoE kernel lays its two GEMM outputs over one buffer: `cache13` of
 * M × top-k × max(N, K) elements holds the first GEMM's gate/up output (N = 2 × the expert FFN per rank)
 * and, once that is consumed, the second GEMM's output (K = hidden), beside `cache2` (the activation's
 * output, M × top-k × N / 2). vLLM PR #13625 ("[Kernel] Optimize moe intermediate_cache usage", February
 * 2025) introduced it; before it the three were separate tensors (M × top-k × (N + N / 2 + K)). Its
 * first release is taken as 0.8.0 (from the merge date, not a tag). Unknown version: the current layout.
 */
export function fusedMoeSharesCache13(version: [number, number, number] | undefined): boolean {
  return !version || atLeast(version, 0, 8);
}

/** `vllm serve`'s default batch budget on one GPU (vllmBatchDefaults). */
export interface VllmBatchDefaults {
  tokens: number;
  seqs: number;
  /** The rule that gave them, for the estimate's text. */
  rule: string;
}

/**
 * `vllm serve`'s default max_num_batched_tokens and max_num_seqs on a GPU (EngineArgs.get_batch_defaults,
 * the OPENAI_API_SERVER context; docs/estimator.md "vLLM versions"):
 * - before 0.8.4: 8192 tokens on an H100/H200 (by name; PR #12369), else 2048; 1024 sequences everywhere;
 * - 0.8.4: the same, with 256 sequences off H100/H200 (PR #16158);
 * - 0.8.5: 8192 / 1024 on any GPU of 70 GiB or more (PR #17073), else 2048 / 256;
 * - 0.9 to 0.27: the same without the A100 80GB (PR #17885: "large max_num_batched_tokens for A100
 *   reduces throughput");
 * - 0.28 and later (PR #51726): 16384 / 1024 from 160 GiB (B200, B300, MI300X and up), else as before.
 * Then tokens ≤ max_num_seqs × max_model_len and sequences ≤ tokens. An unknown version is the current one.
 */
export function vllmBatchDefaults(version: [number, number, number] | undefined, gpu: { capacityBytes: number; id: string; name: string }, maxModelLen: number): VllmBatchDefaults {
  const gib = gpu.capacityBytes / 2 ** 30;
  const name = `${gpu.id} ${gpu.name}`.toLowerCase();
  const hopperByName = name.includes('h100') || name.includes('h200');
  const a100 = name.includes('a100');
  const v = version;
  let tokens: number;
  let seqs: number;
  let rule: string;
  if (v && !atLeast(v, 0, 8, 4)) {
    tokens = hopperByName ? 8192 : 2048;
    seqs = 1024;
    rule = 'vLLM before 0.8.4: 8192 tokens on H100/H200, else 2048; 1024 sequences';
  } else if (v && !atLeast(v, 0, 8, 5)) {
    tokens = hopperByName ? 8192 : 2048;
    seqs = hopperByName ? 1024 : 256;
    rule = 'vLLM 0.8.4: 8192 tokens and 1024 sequences on H100/H200, else 2048 and 256';
  } else if (v && !atLeast(v, 0, 28)) {
    const big = gib >= 70 && (atLeast(v, 0, 9) ? !a100 : true);
    tokens = big ? 8192 : 2048;
    seqs = big ? 1024 : 256;
    rule = `vLLM ${atLeast(v, 0, 9) ? '0.9–0.27: GPUs of 70 GiB or more except the A100' : '0.8.5: GPUs of 70 GiB or more'} get 8192 tokens and 1024 sequences, others 2048 and 256`;
  } else {
    const huge = gib >= 160;
    const big = huge || (gib >= 70 && !a100);
    tokens = huge ? 16384 : big ? 8192 : 2048;
    seqs = big ? 1024 : 256;
    rule = `vLLM ${v ? '0.28 and later' : 'current release'}: 16384 tokens from 160 GiB, 8192 from 70 GiB (not the A100), else 2048; 1024 sequences from 70 GiB, else 256`;
  }
  tokens = Math.min(tokens, seqs * Math.max(1, maxModelLen));
  seqs = Math.min(seqs, tokens);
  return { tokens, seqs, rule };
}
